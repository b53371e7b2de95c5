use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::Mint;
use solana_sysvar::epoch_rewards::EpochRewards;
use solana_sysvar::epoch_schedule::EpochSchedule;

use crate::cpi::{reserve_spendable, set_share_price};
use crate::errors::TributaryError;
use crate::events::{record, LossEvent, UpdatePoolEvent, ValidatorRemovedEvent};
use crate::math::{roll_epoch, share_price, Roll, RollInputs};
use crate::state::{ListAccount, Pool, Release, ValidatorList};

/// The epoch roll of a pool (permissionless), once per epoch and once every validator is updated
/// this epoch: counts what the pool holds, the reserve and the list, against what it owed.
/// Growth is the epoch's rewards (the epoch fee taken on them) and the tips distributed since
/// the last roll; the fees join the stakers' lamports as the treasury's shares, the rest is
/// released into the share price over the next epoch. A shortfall is a loss, met by income not
/// yet released, then shared pro rata by the stakers and the open tickets.
/// Drops the entries of removed validators the crank found drained (at most
/// `MAX_DRAINED_PER_ROLL`), owes the fee shares to the treasury, applies pending fees whose epoch
/// has come, sets the multiplier to lamports per share and opens the epoch for deposits and
/// withdrawals. It reads the list's running totals, not its entries, only accounts the pool
/// owns, and never fails on what it counts, so no one can stop the epoch from rolling.
#[derive(Accounts)]
pub struct UpdatePool<'info> {
    #[account(
        mut,
        has_one = mint @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
        has_one = reserve @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// CHECK: the pool's reserve, checked by `has_one`.
    pub reserve: UncheckedAccount<'info>,
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: the pool's authority PDA, checked by `has_one`; sets the multiplier.
    pub authority: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token2022>,
}

pub fn handle_update_pool(ctx: Context<UpdatePool>) -> Result<()> {
    let clock = Clock::get()?;
    // Income is counted once an epoch, so nothing moves the rate within one.
    require_gt!(
        clock.epoch,
        ctx.accounts.pool.last_update_epoch,
        TributaryError::EpochAlreadyUpdated
    );
    // While the runtime pays partitioned rewards, stake balances are still moving.
    require!(
        !EpochRewards::get()?.active,
        TributaryError::EpochRewardsActive
    );
    let accounts = ctx.accounts;
    let pool_key = accounts.pool.key();

    let sums = sum_and_compact(&accounts.validator_list, pool_key, clock.epoch)?;
    let pool = &mut accounts.pool;
    pool.release_income(clock.slot)?;
    // A removed validator's floor is back in the reserve: it joins the stakers' lamports.
    pool.floor_lamports = pool.floor_lamports.saturating_sub(sums.floors_returned);
    let roll = roll_epoch(&RollInputs {
        assets: reserve_spendable(&accounts.reserve)?.saturating_add(sums.managed),
        floor_lamports: sums.floors_held,
        total_lamports: pool.total_lamports,
        locked_lamports: pool.release.lamports,
        ticket_lamports: pool.ticket_lamports,
        tips_to_stakers: pool.tips.pending_to_stakers,
        tips_to_protocol: pool.tips.pending_to_protocol,
        epoch_fee_bps: pool.fees.epoch_bps,
        supply: pool.share_supply(accounts.mint.supply)?,
    });
    pool.total_lamports = roll.total_lamports;
    pool.ticket_lamports = roll.ticket_lamports;
    // Released by the next boundary, so the next roll finds it all in the price; over half an
    // epoch at least, should the roll come late, so it never lands in a few slots.
    let schedule = EpochSchedule::get()?;
    let next_epoch = schedule.get_first_slot_in_epoch(clock.epoch.saturating_add(1));
    let half_epoch = schedule.get_slots_in_epoch(clock.epoch) / 2;
    pool.release = Release {
        lamports: roll.locked_lamports,
        from_slot: clock.slot,
        until_slot: next_epoch.max(clock.slot.saturating_add(half_epoch)),
    };
    pool.tips.roll(roll.total_lamports);
    pool.owe_treasury(roll.fee_shares)?;
    let fees_rolled = pool.roll_fees(clock.epoch);
    let share_supply = pool.share_supply(accounts.mint.supply)?;
    let price = share_price(pool.total_lamports, share_supply);
    set_share_price(
        &accounts.token_program.to_account_info(),
        &accounts.mint.to_account_info(),
        &accounts.authority,
        &pool.authority_seeds(&pool_key),
        price,
        clock.unix_timestamp,
    )?;
    let previous_update_epoch = pool.last_update_epoch;
    pool.last_update_epoch = clock.epoch;
    record_roll(
        pool,
        pool_key,
        &roll,
        fees_rolled,
        previous_update_epoch,
        share_supply,
        sums.entries_read,
    );
    Ok(())
}

/// The roll's events: a `LossEvent` when it counted one, and the `UpdatePoolEvent`.
fn record_roll(
    pool: &Pool,
    pool_key: Pubkey,
    roll: &Roll,
    fees_rolled: bool,
    previous_update_epoch: u64,
    share_supply: u64,
    entries_read: u32,
) {
    let epoch = pool.last_update_epoch;
    if roll.loss > 0 {
        record(&LossEvent {
            pool: pool_key,
            epoch,
            vote: Pubkey::default(),
            loss: roll.loss,
            floor_loss: 0,
            locked_loss: roll.locked_loss,
            stakers_loss: roll
                .loss
                .saturating_sub(roll.ticket_loss + roll.locked_loss),
            tickets_loss: roll.ticket_loss,
            ticket_lamports: pool.ticket_lamports,
            ticket_units: pool.ticket_units,
            total_lamports: pool.total_lamports,
            locked_lamports: pool.release.lamports,
        });
    }
    record(&UpdatePoolEvent {
        pool: pool_key,
        epoch,
        previous_update_epoch,
        assets: roll.assets,
        rewards: roll.rewards,
        tips: roll.tips,
        loss: roll.loss,
        locked_lamports: pool.release.lamports,
        epoch_fee_lamports: roll.epoch_fee_lamports,
        mev_fee_lamports: roll.mev_fee_lamports,
        fee_shares: roll.fee_shares,
        fees: pool.fees,
        fees_rolled,
        total_lamports: pool.total_lamports,
        ticket_lamports: pool.ticket_lamports,
        share_supply,
        share_price: share_price(pool.total_lamports, share_supply),
        entries_read,
    });
}

/// What the list holds, once every entry is updated this epoch.
struct ListSums {
    /// Every entry's lamports.
    managed: u64,
    /// The floors the entries still hold. A stake account that lost lamports lost its floor
    /// first (the operator's collateral): `update_validators` took the loss from the entry's
    /// floor when it saw it.
    floors_held: u64,
    /// The floors of the entries that left the list.
    floors_returned: u64,
    /// List entries read: at most two per entry dropped, however long the list.
    entries_read: u32,
}

/// The list's totals, once every entry is updated this epoch; entries of removed validators
/// whose every lamport is back in the reserve (as the crank listed them) leave the list.
fn sum_and_compact(
    validator_list: &AccountLoader<ValidatorList>,
    pool: Pubkey,
    epoch: u64,
) -> Result<ListSums> {
    let mut list = validator_list.list_mut()?;
    let header = list.header()?;
    let updated = header.totals.updated_entries;
    require!(
        updated == u64::from(header.validator_count)
            && (updated == 0 || header.totals.updated_epoch == epoch),
        TributaryError::ValidatorsNotUpdated
    );
    let mut floors_returned = 0u64;
    for entry in list.drop_drained()? {
        record(&ValidatorRemovedEvent {
            pool,
            vote: entry.vote,
            epoch,
        });
        floors_returned = floors_returned.saturating_add(entry.floor_lamports);
    }
    let totals = list.header()?.totals;
    Ok(ListSums {
        managed: totals.updated_lamports,
        floors_held: totals.updated_floors,
        floors_returned,
        entries_read: list.entries_read(),
    })
}
