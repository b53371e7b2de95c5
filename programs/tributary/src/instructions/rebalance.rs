use anchor_lang::prelude::*;

use crate::cpi::reserve_spendable;
use crate::errors::TributaryError;
use crate::events::{record, RebalanceEvent};
use crate::instructions::manage_validator::ManageValidator;
use crate::math::{rebalance_move, stake_target, MoveBounds};
use crate::stake::{delegated_stake, STAKE_ACCOUNT_SPACE};
use crate::state::split_list;

/// Moves one validator's stake towards its target (anyone): stake proportional to the
/// operator's weight (`Manual`) or the validator's score (`Scored`) of what the pool wants
/// delegated, at most the cap per validator; through its transient account, never more per
/// epoch than the strategy's share of the pool, never what the reserve keeps for tickets and
/// its buffer. While open tickets are owed more than the reserve and the stake on its way back
/// hold, it only unstakes, past the target and the movement cap if need be, so tickets are paid
/// within a bounded number of epochs without the operator.
pub fn handle_rebalance(ctx: Context<ManageValidator>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let accounts = &ctx.accounts;
    accounts.require_open(epoch)?;
    let pool = &accounts.pool;
    let strategy = pool.strategy;

    let (weight, total_weight, current, unstaking) = {
        let list = accounts.validator_list.to_account_info();
        let mut data = list.try_borrow_mut_data()?;
        let (_, entries) = split_list(&mut data)?;
        let weight_of = |entry: &crate::state::ValidatorEntry| entry.strategy_weight(strategy.mode);
        let (total_weight, unstaking) = entries
            .iter()
            .try_fold((0u64, 0u64), |(weight, unstaking), entry| {
                Some((
                    weight.checked_add(weight_of(entry))?,
                    unstaking.checked_add(entry.unstaking_lamports())?,
                ))
            })
            .ok_or(TributaryError::MathOverflow)?;
        let entry = entries
            .get(validator_index as usize)
            .ok_or(TributaryError::UnknownValidator)?;
        let current = entry.stake_above_floor()?;
        (weight_of(entry), total_weight, current, unstaking)
    };
    let target = stake_target(
        pool.total_lamports,
        strategy.reserve_buffer_bps,
        strategy.validator_cap_bps,
        weight,
        total_weight,
    )
    .ok_or(TributaryError::MathOverflow)?;

    let reserve = reserve_spendable(&accounts.reserve)?;
    let transient_rent = Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE);
    let uncovered_tickets = pool.uncovered_tickets(reserve, unstaking, transient_rent)?;
    let budget = pool.movement_left(epoch)?;
    require!(
        budget > 0 || uncovered_tickets > 0,
        TributaryError::MoveCapReached
    );

    let keep = pool.reserve_to_keep(transient_rent)?;
    let pool_key = pool.key();
    let seeds = pool.authority_seeds(&pool_key);
    let minimum = accounts.stake_calls(&seeds).minimum_delegation()?;
    let (_, validator_stake) = delegated_stake(&accounts.validator_stake)?;
    let bounds = MoveBounds {
        budget,
        free_reserve: reserve.saturating_sub(keep),
        movable_stake: validator_stake.delegation.stake.saturating_sub(minimum),
        minimum_delegation: minimum,
        uncovered_tickets,
    };
    let (increase, lamports) =
        rebalance_move(target, current, &bounds).ok_or(TributaryError::AtTarget)?;
    let transient_lamports = if increase {
        accounts.stake_in(validator_index, lamports, epoch)?
    } else {
        accounts.stake_out(validator_index, lamports, epoch)?
    };

    let pool = &mut ctx.accounts.pool;
    pool.record_movement(epoch, lamports)?;
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
