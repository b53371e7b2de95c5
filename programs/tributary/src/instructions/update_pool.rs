use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::Mint;
use solana_sysvar::epoch_rewards::EpochRewards;

use crate::authority_seeds;
use crate::cpi::{mint_shares, set_share_price};
use crate::errors::TributaryError;
use crate::events::{record, UpdatePoolEvent};
use crate::math::share_price;
use crate::state::Pool;

/// The epoch roll of a pool (permissionless): mints the fee shares owed to the treasury,
/// applies pending fees whose epoch has come, sets the multiplier to lamports per share and
/// opens the epoch for deposits and withdrawals.
#[derive(Accounts)]
pub struct UpdatePool<'info> {
    #[account(
        mut,
        has_one = mint @ TributaryError::WrongPoolAccount,
        has_one = treasury @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
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

    let treasury_shares = accounts.pool.pending_treasury_shares;
    if treasury_shares > 0 {
        mint_shares(
            &token_program,
            &mint,
            &accounts.treasury,
            &accounts.authority,
            authority_seeds!(pool_key, accounts.pool),
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
        authority_seeds!(pool_key, pool),
        price,
        clock.unix_timestamp,
    )?;
    let previous_update_epoch = pool.last_update_epoch;
    pool.last_update_epoch = clock.epoch;

    record(&UpdatePoolEvent {
        pool: pool_key,
        epoch: clock.epoch,
        previous_update_epoch,
        treasury_shares_minted: treasury_shares,
        fees: pool.fees,
        fees_rolled,
        total_lamports: pool.total_lamports,
        share_supply: minted,
        share_price: price,
    });
    Ok(())
}
