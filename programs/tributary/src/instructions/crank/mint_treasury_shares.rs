use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::cpi::mint_shares;
use crate::errors::TributaryError;
use crate::events::{record, MintTreasurySharesEvent};
use crate::state::Pool;

/// Mints the fee shares owed to the treasury (anyone). Apart from the epoch roll, so a closed
/// treasury account stops only this: the shares stay owed, and counted in the supply, until the
/// account exists again or the admin names another.
#[derive(Accounts)]
pub struct MintTreasuryShares<'info> {
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
    /// The pool's treasury token account: receives the fee shares owed.
    #[account(mut)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Program<'info, Token2022>,
}

pub fn handle_mint_treasury_shares(ctx: Context<MintTreasuryShares>) -> Result<()> {
    let accounts = ctx.accounts;
    let shares = accounts.pool.pending_treasury_shares;
    require_gt!(shares, 0, TributaryError::NoTreasuryShares);
    let pool_key = accounts.pool.key();
    mint_shares(
        &accounts.token_program.to_account_info(),
        &accounts.mint.to_account_info(),
        &accounts.treasury.to_account_info(),
        &accounts.authority,
        &accounts.pool.authority_seeds(&pool_key),
        shares,
    )?;
    accounts.pool.pending_treasury_shares = 0;
    record(&MintTreasurySharesEvent {
        pool: pool_key,
        treasury: accounts.treasury.key(),
        shares,
    });
    Ok(())
}
