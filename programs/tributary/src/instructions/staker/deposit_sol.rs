use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Transfer};
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::cpi::mint_shares;
use crate::errors::TributaryError;
use crate::events::{record, DepositSolEvent};
use crate::state::Pool;

/// Arguments of `deposit_sol`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct DepositSolArgs {
    /// Lamports to deposit.
    pub lamports: u64,
    /// Slippage bound: the deposit fails if it would mint fewer shares to the depositor.
    pub min_shares_out: u64,
}

#[derive(Accounts)]
pub struct DepositSol<'info> {
    /// Signs and pays the lamports deposited.
    #[account(mut)]
    pub depositor: Signer<'info>,
    #[account(
        mut,
        has_one = mint @ TributaryError::WrongPoolAccount,
        has_one = reserve @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    /// CHECK: the pool's reserve, checked by `has_one`.
    #[account(mut)]
    pub reserve: UncheckedAccount<'info>,
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: the pool's authority PDA, checked by `has_one`; signs the mint.
    pub authority: UncheckedAccount<'info>,
    /// The depositor's token account of the pool's token: receives the shares.
    #[account(
        mut,
        constraint = depositor_token.mint == pool.mint @ TributaryError::WrongMint,
        constraint = depositor_token.owner == depositor.key() @ TributaryError::WrongTokenOwner,
    )]
    pub depositor_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl DepositSol<'_> {
    fn validate(&self, args: &DepositSolArgs) -> Result<()> {
        require_gt!(args.lamports, 0, TributaryError::ZeroAmount);
        require!(!self.pool.paused, TributaryError::Paused);
        Ok(())
    }
}

pub fn handle_deposit_sol(ctx: Context<DepositSol>, args: DepositSolArgs) -> Result<()> {
    ctx.accounts.validate(&args)?;
    let accounts = ctx.accounts;
    accounts.pool.refresh(&Clock::get()?)?;
    let (quote, supply_after) =
        accounts
            .pool
            .price_deposit(args.lamports, accounts.mint.supply, args.min_shares_out)?;

    system_program::transfer(
        CpiContext::new(
            accounts.system_program.key(),
            Transfer {
                from: accounts.depositor.to_account_info(),
                to: accounts.reserve.to_account_info(),
            },
        ),
        args.lamports,
    )?;
    let pool_key = accounts.pool.key();
    mint_shares(
        &accounts.token_program.to_account_info(),
        &accounts.mint.to_account_info(),
        &accounts.depositor_token.to_account_info(),
        &accounts.authority,
        &accounts.pool.authority_seeds(&pool_key),
        quote.user_shares,
    )?;

    let pool = &mut accounts.pool;
    pool.credit(args.lamports)?;
    pool.owe_treasury(quote.fee_shares)?;
    record(&DepositSolEvent {
        pool: pool_key,
        depositor: accounts.depositor.key(),
        lamports: args.lamports,
        user_shares: quote.user_shares,
        fee_lamports: quote.fee_lamports,
        fee_shares: quote.fee_shares,
        total_lamports: pool.total_lamports,
        share_supply: supply_after,
    });
    Ok(())
}
