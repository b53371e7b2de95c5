use anchor_lang::prelude::*;

use crate::cpi::reserve_spendable;
use crate::errors::TributaryError;
use crate::events::{record, RebalanceEvent};
use crate::instructions::stake_move::*;
use crate::math::rebalance_move;
use crate::stake::{delegated_stake, STAKE_ACCOUNT_SPACE};
use crate::state::ListAccount;

/// Moves one validator's stake towards its target (anyone): stake proportional to the
/// operator's weight (`Manual`) or the validator's score (`Scored`) of what the pool wants
/// delegated, at most the cap per validator; through its transient account, never more per
/// epoch than the strategy's share of the pool, never what the reserve keeps for tickets and
/// its buffer. While open tickets are owed more than the reserve and the stake on its way back
/// hold, it only unstakes, past the target and the movement cap if need be, so tickets are paid
/// within a bounded number of epochs without the operator.
#[derive(Accounts)]
pub struct Rebalance<'info> {
    pub validator: ValidatorStakeAccounts<'info>,
}

pub fn handle_rebalance(ctx: Context<Rebalance>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let accounts = &ctx.accounts.validator;
    accounts.require_open(epoch)?;
    let pool = &accounts.pool;
    let (plan, entries_read) = {
        let list = accounts.validator_list.list()?;
        let plan = pool.rebalance_plan(&list.header()?.totals, list.get(validator_index)?)?;
        (plan, list.entries_read())
    };
    let pool_key = pool.key();
    let seeds = pool.authority_seeds(&pool_key);
    let minimum = accounts.stake_calls(&seeds).minimum_delegation()?;
    let (_, validator_stake) = delegated_stake(&accounts.validator_stake)?;
    let bounds = pool.move_bounds(
        &plan,
        reserve_spendable(&accounts.reserve)?,
        validator_stake.delegation.stake,
        minimum,
        Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE),
        epoch,
    )?;
    require!(
        bounds.budget > 0 || bounds.uncovered_tickets > 0,
        TributaryError::MoveCapReached
    );
    let nothing_to_move = if bounds.transient_rent_funded {
        TributaryError::AtTarget
    } else {
        TributaryError::TransientRentUnavailable
    };
    let (increase, lamports) =
        rebalance_move(plan.target, plan.current, &bounds).ok_or(nothing_to_move)?;
    let transient_lamports = if increase {
        accounts.stake_in(validator_index, lamports, epoch)?
    } else {
        accounts.stake_out(validator_index, lamports, epoch)?
    };

    let vote = accounts.vote.key();
    let pool = &mut ctx.accounts.validator.pool;
    pool.movement.record(epoch, lamports)?;
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
        entries_read,
    });
    Ok(())
}
