use anchor_lang::prelude::*;

use crate::cpi::reserve_spendable;
use crate::errors::TributaryError;
use crate::events::{record, RebalanceEvent};
use crate::instructions::manage_validator::ManageValidator;
use crate::math::{fee_of, stake_target};
use crate::stake::STAKE_ACCOUNT_SPACE;
use crate::state::{split_list, strategy_mode, validator_status};

/// Moves one validator's stake towards its target (anyone): stake proportional to the
/// operator's weight (`Manual`) or the validator's score (`Scored`) of what the pool wants
/// delegated, at most the cap per validator; through its transient account, never more per
/// epoch than the strategy's share of the pool, never what the reserve keeps for tickets and
/// its buffer.
pub fn handle_rebalance(ctx: Context<ManageValidator>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let accounts = &ctx.accounts;
    accounts.require_open(epoch)?;
    let pool = &accounts.pool;
    let strategy = pool.strategy;

    let (weight, total_weight, current) = {
        let list = accounts.validator_list.to_account_info();
        let mut data = list.try_borrow_mut_data()?;
        let (_, entries) = split_list(&mut data)?;
        let weight_of = |entry: &crate::state::ValidatorEntry| match entry.status {
            validator_status::ACTIVE if strategy.mode == strategy_mode::SCORED => entry.score,
            validator_status::ACTIVE => u64::from(entry.weight),
            _ => 0,
        };
        let total_weight = entries
            .iter()
            .try_fold(0u64, |sum, entry| sum.checked_add(weight_of(entry)))
            .ok_or(TributaryError::MathOverflow)?;
        let entry = entries
            .get(validator_index as usize)
            .ok_or(TributaryError::UnknownValidator)?;
        (weight_of(entry), total_weight, entry.total_lamports()?)
    };
    let target = stake_target(
        pool.total_lamports,
        strategy.reserve_buffer_bps,
        strategy.validator_cap_bps,
        weight,
        total_weight,
    )
    .ok_or(TributaryError::MathOverflow)?;

    let moved = if pool.move_epoch == epoch {
        pool.moved_lamports
    } else {
        0
    };
    let budget = fee_of(pool.total_lamports, strategy.max_move_bps)
        .ok_or(TributaryError::MathOverflow)?
        .saturating_sub(moved);
    require_gt!(budget, 0, TributaryError::MoveCapReached);

    let increase = target > current;
    let lamports = if increase {
        // The reserve keeps what tickets are owed, its buffer and the transient's rent.
        let buffer = fee_of(pool.total_lamports, strategy.reserve_buffer_bps)
            .ok_or(TributaryError::MathOverflow)?;
        let transient_rent = Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE);
        let keep = pool
            .ticket_lamports
            .checked_add(buffer)
            .and_then(|keep| keep.checked_add(transient_rent))
            .ok_or(TributaryError::MathOverflow)?;
        let free = reserve_spendable(&accounts.reserve)?.saturating_sub(keep);
        (target - current).min(budget).min(free)
    } else {
        (current - target).min(budget)
    };
    require_gt!(lamports, 0, TributaryError::AtTarget);
    let transient_lamports = if increase {
        accounts.stake_in(validator_index, lamports, epoch)?
    } else {
        accounts.stake_out(validator_index, lamports, epoch)?
    };

    let pool = &mut ctx.accounts.pool;
    pool.move_epoch = epoch;
    pool.moved_lamports = moved
        .checked_add(lamports)
        .ok_or(TributaryError::MathOverflow)?;
    record(&RebalanceEvent {
        pool: pool.key(),
        vote: ctx.accounts.vote.key(),
        epoch,
        target,
        current,
        increase,
        lamports,
        transient_lamports,
        moved_this_epoch: pool.moved_lamports,
    });
    Ok(())
}
