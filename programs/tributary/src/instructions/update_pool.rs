use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::Mint;
use bytemuck::Zeroable;
use solana_sysvar::epoch_rewards::EpochRewards;

use crate::cpi::reserve_spendable;
use crate::cpi::{mint_shares, set_share_price};
use crate::errors::TributaryError;
use crate::events::{record, UpdatePoolEvent, ValidatorRemovedEvent};
use crate::math::{epoch_fee_shares, fee_of, share_price};
use crate::state::{split_list, validator_status, Pool, ValidatorEntry, ValidatorList};

/// The epoch roll of a pool (permissionless), once every validator is updated this epoch: sums
/// the reserve and the list into `total_lamports`, counts the growth as rewards and takes the
/// epoch fee on it, drops the entries of removed validators, mints the fee shares owed to the
/// treasury, applies pending fees whose epoch has come, sets the multiplier to lamports per share
/// and opens the epoch for deposits and withdrawals.
#[derive(Accounts)]
pub struct UpdatePool<'info> {
    #[account(
        mut,
        has_one = mint @ TributaryError::WrongPoolAccount,
        has_one = treasury @ TributaryError::WrongPoolAccount,
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
    /// CHECK: the pool's authority PDA, checked by `has_one`; signs the mint.
    pub authority: UncheckedAccount<'info>,
    /// CHECK: the pool's treasury token account, checked by `has_one`.
    #[account(mut)]
    pub treasury: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token2022>,
}

pub fn handle_update_pool(ctx: Context<UpdatePool>) -> Result<()> {
    // While the runtime pays partitioned rewards, stake balances are still moving.
    require!(
        !EpochRewards::get()?.active,
        TributaryError::EpochRewardsActive
    );
    let clock = Clock::get()?;
    let accounts = ctx.accounts;
    let pool_key = accounts.pool.key();
    let token_program = accounts.token_program.to_account_info();
    let mint = accounts.mint.to_account_info();

    let managed = sum_and_compact(&accounts.validator_list, pool_key, clock.epoch)?;
    // What the tickets are owed is no longer the stakers'.
    let total_lamports = reserve_spendable(&accounts.reserve)?
        .checked_add(managed)
        .and_then(|held| held.checked_sub(accounts.pool.ticket_lamports))
        .ok_or(TributaryError::MathOverflow)?;
    let rewards = total_lamports.saturating_sub(accounts.pool.total_lamports);
    let supply = accounts.pool.share_supply(accounts.mint.supply)?;
    let epoch_fee_lamports =
        fee_of(rewards, accounts.pool.fees.epoch_bps).ok_or(TributaryError::MathOverflow)?;
    let fee_shares = epoch_fee_shares(epoch_fee_lamports, total_lamports, supply)
        .ok_or(TributaryError::MathOverflow)?;
    accounts.pool.total_lamports = total_lamports;
    accounts.pool.owe_treasury(fee_shares)?;

    let treasury_shares = accounts.pool.pending_treasury_shares;
    if treasury_shares > 0 {
        mint_shares(
            &token_program,
            &mint,
            &accounts.treasury,
            &accounts.authority,
            &accounts.pool.authority_seeds(&pool_key),
            treasury_shares,
        )?;
    }
    let minted = accounts
        .mint
        .supply
        .checked_add(treasury_shares)
        .ok_or(TributaryError::MathOverflow)?;

    let pool = &mut accounts.pool;
    pool.pending_treasury_shares = 0;
    let fees_rolled = pool.roll_fees(clock.epoch);
    let price = share_price(pool.total_lamports, minted);
    set_share_price(
        &token_program,
        &mint,
        &accounts.authority,
        &pool.authority_seeds(&pool_key),
        price,
        clock.unix_timestamp,
    )?;
    let previous_update_epoch = pool.last_update_epoch;
    pool.last_update_epoch = clock.epoch;

    record(&UpdatePoolEvent {
        pool: pool_key,
        epoch: clock.epoch,
        previous_update_epoch,
        rewards,
        epoch_fee_lamports,
        epoch_fee_shares: fee_shares,
        treasury_shares_minted: treasury_shares,
        fees: pool.fees,
        fees_rolled,
        total_lamports: pool.total_lamports,
        share_supply: minted,
        share_price: price,
    });
    Ok(())
}

/// Every entry's lamports, once each is updated this epoch; entries of removed validators whose
/// every lamport is back in the reserve leave the list.
fn sum_and_compact(
    validator_list: &AccountLoader<ValidatorList>,
    pool: Pubkey,
    epoch: u64,
) -> Result<u64> {
    let list_info = validator_list.to_account_info();
    let mut data = list_info.try_borrow_mut_data()?;
    let (header, entries) = split_list(&mut data)?;
    require!(
        entries.iter().all(|entry| entry.last_update_epoch == epoch),
        TributaryError::ValidatorsNotUpdated
    );
    let mut count = entries.len();
    let mut index = 0;
    let mut managed = 0u64;
    while index < count {
        let entry = &entries[index];
        if entry.status == validator_status::REMOVING
            && entry.active_lamports == 0
            && !entry.has_transient()
        {
            record(&ValidatorRemovedEvent {
                pool,
                vote: entry.vote,
                epoch,
            });
            entries.swap(index, count - 1);
            entries[count - 1] = ValidatorEntry::zeroed();
            count -= 1;
        } else {
            managed = managed
                .checked_add(entry.total_lamports()?)
                .ok_or(TributaryError::MathOverflow)?;
            index += 1;
        }
    }
    header.validator_count = count as u32;
    Ok(managed)
}
