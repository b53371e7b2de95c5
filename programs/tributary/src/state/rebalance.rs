//! What `rebalance` plans for one validator, from the pool and its list alone: pure, so the
//! client plans with the same rules.

use anchor_lang::prelude::*;

use crate::math::{stake_target, MoveBounds, TargetInputs};
use crate::safe_math::OrOverflow;
use crate::state::{ListTotals, Pool, StrategyMode, ValidatorEntry};

/// Where one validator stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebalancePlan {
    /// Its weight's share of what the pool wants delegated (and, in `Scored` mode, its share of
    /// what the cap holds back from others), at most the cap per validator.
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
        let target = stake_target(&self.target_inputs(totals, entry)).or_overflow()?;
        Ok(RebalancePlan {
            target,
            current: entry.stake_above_floor()?,
            unstaking: totals.unstaking_lamports,
            activating: totals.activating_lamports,
        })
    }

    /// What `entry`'s target is made of, in a list whose entries add up to `totals`: in `Scored`
    /// mode, with its share of what the capped validators' weights would give beyond the cap.
    pub fn target_inputs(&self, totals: &ListTotals, entry: &ValidatorEntry) -> TargetInputs {
        let mode = self.strategy.mode;
        let (overflow, spare_weight, total_spare_weight) = match mode {
            StrategyMode::Scored => (totals.overflow, entry.spare_weight(), totals.spare_weight),
            StrategyMode::Manual => (0, 0, 0),
        };
        TargetInputs {
            total_lamports: self.total_lamports,
            buffer_bps: self.strategy.reserve_buffer_bps,
            cap_bps: self.strategy.validator_cap_bps,
            weight: entry.strategy_weight(mode),
            total_weight: totals.weight(mode),
            overflow,
            spare_weight,
            total_spare_weight,
        }
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
