use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::cpi::{burn_shares, pay_from_reserve, require_burnable};
use crate::errors::TributaryError;
use crate::events::{record, WithdrawSolEvent};
use crate::stake::STAKE_ACCOUNT_SPACE;
use crate::state::Pool;

/// Arguments of `withdraw_sol`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct WithdrawSolArgs {
    /// Shares to redeem.
    pub shares: u64,
    /// Slippage bound: the withdrawal fails if it would pay fewer lamports.
    pub min_lamports_out: u64,
}

#[derive(Accounts)]
pub struct WithdrawSol<'info> {
    /// Owns the shares and receives the lamports.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(
        mut,
        has_one = mint @ TributaryError::WrongPoolAccount,
        has_one = reserve @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    /// The pool's reserve: owned by this program, so lamports leave it without a CPI.
    /// CHECK: checked by `has_one`.
    #[account(mut)]
    pub reserve: UncheckedAccount<'info>,
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The owner's token account of the pool's token: the shares are burned from it.
    #[account(
        mut,
        constraint = owner_token.mint == pool.mint @ TributaryError::WrongMint,
        constraint = owner_token.owner == owner.key() @ TributaryError::WrongTokenOwner,
    )]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Program<'info, Token2022>,
}

impl WithdrawSol<'_> {
    fn validate(&self, args: &WithdrawSolArgs) -> Result<()> {
        require_burnable(self.owner_token.amount, args.shares)
    }
}

pub fn handle_withdraw_sol(ctx: Context<WithdrawSol>, args: WithdrawSolArgs) -> Result<()> {
    ctx.accounts.validate(&args)?;
    let accounts = ctx.accounts;
    accounts.pool.refresh(&Clock::get()?)?;
    let (quote, supply_after) = accounts.pool.price_withdrawal(
        args.shares,
        accounts.mint.supply,
        args.min_lamports_out,
        accounts.pool.fees.withdrawal_bps,
    )?;
    burn_shares(
        &accounts.token_program.to_account_info(),
        &accounts.mint.to_account_info(),
        &accounts.owner_token.to_account_info(),
        &accounts.owner.to_account_info(),
        args.shares,
    )?;
    let transient_rent = Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE);
    pay_from_reserve(
        &accounts.reserve,
        &accounts.owner.to_account_info(),
        quote.lamports,
        accounts.pool.reserve_for_tickets(transient_rent)?,
    )?;

    let pool = &mut accounts.pool;
    pool.debit(quote.lamports)?;
    pool.owe_treasury(quote.fee_shares)?;
    record(&WithdrawSolEvent {
        pool: pool.key(),
        owner: accounts.owner.key(),
        shares: args.shares,
        fee_lamports: quote.fee_lamports,
        fee_shares: quote.fee_shares,
        lamports: quote.lamports,
        total_lamports: pool.total_lamports,
        share_supply: supply_after,
    });
    Ok(())
}
