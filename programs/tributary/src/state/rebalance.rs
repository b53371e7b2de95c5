//! What `rebalance` plans for one validator, from the pool and its list alone: pure, so the
//! client plans with the same rules.

use anchor_lang::prelude::*;

use crate::math::{stake_target, MoveBounds};
use crate::safe_math::OrOverflow;
use crate::state::{ListTotals, Pool, ValidatorEntry};

/// Where one validator stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebalancePlan {
    /// Its weight's share of what the pool wants delegated, at most the cap per validator.
    pub target: u64,
    /// Its lamports above its floor.
    pub current: u64,
    /// What every entry has on its way back to the reserve.
    pub unstaking: u64,
    /// What every entry has on its way in, not yet active: what tickets take back first.
    pub activating: u64,
}

impl Pool {
    /// The plan for `entry`, in a list whose entries add up to `totals`.
    pub fn rebalance_plan(
        &self,
        totals: &ListTotals,
        entry: &ValidatorEntry,
    ) -> Result<RebalancePlan> {
        let mode = self.strategy.mode;
        let target = stake_target(
            self.total_lamports,
            self.strategy.reserve_buffer_bps,
            self.strategy.validator_cap_bps,
            entry.strategy_weight(mode),
            totals.weight(mode),
        )
        .or_overflow()?;
        Ok(RebalancePlan {
            target,
            current: entry.stake_above_floor()?,
            unstaking: totals.unstaking_lamports,
            activating: totals.activating_lamports,
        })
    }

    /// What bounds a move in `epoch`, the reserve holding `reserve_spendable` lamports above its
    /// rent and the validator `delegated` lamports.
    pub fn move_bounds(
        &self,
        plan: &RebalancePlan,
        reserve_spendable: u64,
        delegated: u64,
        minimum_delegation: u64,
        transient_rent: u64,
        epoch: u64,
    ) -> Result<MoveBounds> {
        Ok(MoveBounds {
            budget: self.movement_left(epoch)?,
            // An increase pays its transient account's rent on top of what it moves.
            free_reserve: reserve_spendable
                .saturating_sub(self.reserve_to_keep(transient_rent)?)
                .saturating_sub(transient_rent),
            movable_stake: delegated.saturating_sub(minimum_delegation),
            minimum_delegation,
            uncovered_tickets: self.uncovered_tickets(
                reserve_spendable,
                plan.unstaking,
                transient_rent,
            )?,
            transient_rent_funded: reserve_spendable >= transient_rent,
        })
    }
}
