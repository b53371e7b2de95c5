use anchor_lang::prelude::*;

use crate::cpi::reserve_spendable;
use crate::errors::TributaryError;
use crate::events::{record, RebalanceEvent};
use crate::instructions::stake_move::*;
use crate::math::{rebalance_move, within_deadband};
use crate::safe_math::SafeMath;
use crate::stake::{delegated_stake, STAKE_ACCOUNT_SPACE};
use crate::state::{ListAccount, TransientState};

/// Arguments of `rebalance`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct RebalanceArgs {
    /// The validator's position in the validator list.
    pub validator_index: u32,
}

/// Moves one validator's stake towards its target (anyone): stake proportional to the
/// operator's weight (`Manual`) or the validator's scored weight (`Scored`: its delegation
/// rule) of what the pool wants delegated, at most the cap per validator; an unstake smaller
/// than the strategy's deadband of the target waits (`WithinDeadband`: it would cost the moved
/// stake an epoch of rewards), while staking the reserve's free lamports, which earn nothing
/// there, never waits; through its transient account, never more per
/// epoch than the strategy's share of the pool, never what the reserve keeps for tickets and
/// its buffer, and never staking again in an epoch in which stake was unstaked for tickets (the
/// stakers would pay an epoch of rewards for stake moved out and in again). While open tickets are owed more than the reserve
/// and the stake on its way back hold, it only unstakes for them, even in a paused pool: first
/// stake not yet active (an activating transient is turned back), then, past what that covers,
/// active stake, past the target and the movement cap if need be, so tickets are paid within a
/// bounded number of epochs without the operator.
#[derive(Accounts)]
pub struct Rebalance<'info> {
    pub validator: ValidatorStakeAccounts<'info>,
}

pub fn handle_rebalance(ctx: Context<Rebalance>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let accounts = &ctx.accounts.validator;
    let pool = &accounts.pool;
    pool.require_fresh(epoch)?;
    let (plan, activating, standing, entries_read) = {
        let list = accounts.validator_list.list()?;
        let entry = list.get(validator_index)?;
        let plan = pool.rebalance_plan(&list.header()?.totals, entry)?;
        let activating = entry.transient_state() == TransientState::Activating;
        (plan, activating, entry.standing(), list.entries_read())
    };
    let pool_key = pool.key();
    let seeds = pool.authority_seeds(&pool_key);
    let minimum = accounts.stake_calls(&seeds).minimum_delegation()?;
    let (_, validator_stake) = delegated_stake(&accounts.validator_stake)?;
    let mut bounds = pool.move_bounds(
        &plan,
        reserve_spendable(&accounts.reserve)?,
        validator_stake.delegation.stake,
        minimum,
        Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE),
        epoch,
    )?;
    let for_tickets = bounds.uncovered_tickets > 0;
    let (increase, lamports, transient_lamports) = if for_tickets && activating {
        let lamports = accounts.turn_back_activation(validator_index, epoch)?;
        (false, lamports, lamports)
    } else {
        if for_tickets {
            // Stake not yet active covers tickets first: turning it back costs no rewards.
            require_gt!(
                bounds.uncovered_tickets,
                plan.activating,
                TributaryError::ActivatingStakeCoversTickets
            );
            bounds.uncovered_tickets = bounds.uncovered_tickets.safe_sub(plan.activating)?;
        } else {
            require!(!pool.paused, TributaryError::Paused);
        }
        require!(
            bounds.budget > 0 || for_tickets,
            TributaryError::MoveCapReached
        );
        let nothing_to_move = if bounds.transient_rent_funded {
            TributaryError::AtTarget
        } else {
            TributaryError::TransientRentUnavailable
        };
        require!(
            for_tickets
                || !within_deadband(plan.target, plan.current, pool.strategy.rule.deadband_bps),
            TributaryError::WithinDeadband
        );
        let (increase, lamports) =
            rebalance_move(plan.target, plan.current, &bounds).ok_or(nothing_to_move)?;
        require!(
            for_tickets || !pool.movement.moved_against(epoch, increase),
            TributaryError::OppositeMoveThisEpoch
        );
        let transient_lamports = if increase {
            accounts.stake_in(validator_index, lamports, epoch)?
        } else {
            accounts.stake_out(validator_index, lamports, epoch)?
        };
        (increase, lamports, transient_lamports)
    };

    let vote = accounts.vote.key();
    let pool = &mut ctx.accounts.validator.pool;
    pool.movement
        .record(epoch, lamports, increase, for_tickets)?;
    record(&RebalanceEvent {
        pool: pool.key(),
        vote,
        epoch,
        target: plan.target,
        current: plan.current,
        increase,
        lamports,
        transient_lamports,
        moved_this_epoch: pool.movement.lamports,
        for_tickets,
        mode: pool.strategy.mode,
        standing: standing as u8,
        entries_read,
    });
    Ok(())
}
