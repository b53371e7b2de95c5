use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::cpi::{burn_shares, require_burnable};
use crate::errors::TributaryError;
use crate::events::{record, OrderUnstakeEvent};
use crate::state::{Pool, UnstakeTicket};

/// Arguments of `order_unstake`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct OrderUnstakeArgs {
    /// Shares to exchange for the ticket.
    pub shares: u64,
}

/// Delayed unstake (staker): burns the shares at today's rate, less the ticket fee, and creates
/// a ticket for their lamports, claimable after the next epoch boundary. No slippage: the
/// lamports are fixed now, and only a loss shared before the claim can cut them. The pool
/// moves them from its stakers' lamports to what tickets are owed, so the rate does not move.
#[derive(Accounts)]
pub struct OrderUnstake<'info> {
    /// Owns the shares and the ticket, and pays the ticket's rent (returned at the claim).
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut, has_one = mint @ TributaryError::WrongPoolAccount)]
    pub pool: Box<Account<'info, Pool>>,
    /// A new keypair.
    #[account(init, payer = owner, space = 8 + UnstakeTicket::INIT_SPACE)]
    pub ticket: Box<Account<'info, UnstakeTicket>>,
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
    pub system_program: Program<'info, System>,
}

pub fn handle_order_unstake(ctx: Context<OrderUnstake>, shares: u64) -> Result<()> {
    let clock = Clock::get()?;
    let epoch = clock.epoch;
    let accounts = ctx.accounts;
    require_burnable(accounts.owner_token.amount, shares)?;
    accounts.pool.refresh(&clock)?;
    let (quote, share_supply) = accounts.pool.price_withdrawal(
        shares,
        accounts.mint.supply,
        0,
        accounts.pool.fees.ticket_bps,
    )?;
    burn_shares(
        &accounts.token_program.to_account_info(),
        &accounts.mint.to_account_info(),
        &accounts.owner_token.to_account_info(),
        &accounts.owner.to_account_info(),
        shares,
    )?;

    let pool_key = accounts.pool.key();
    let pool = &mut accounts.pool;
    let units = pool.open_ticket(quote.lamports)?;
    pool.owe_treasury(quote.fee_shares)?;
    let ticket = &mut accounts.ticket;
    ticket.pool = pool_key;
    ticket.owner = accounts.owner.key();
    ticket.lamports = quote.lamports;
    ticket.units = units;
    ticket.created_epoch = epoch;

    record(&OrderUnstakeEvent {
        pool: pool_key,
        owner: ticket.owner,
        ticket: ticket.key(),
        shares,
        fee_lamports: quote.fee_lamports,
        fee_shares: quote.fee_shares,
        lamports: quote.lamports,
        units,
        epoch,
        total_lamports: pool.total_lamports,
        share_supply,
        ticket_lamports: pool.ticket_lamports,
        ticket_units: pool.ticket_units,
    });
    Ok(())
}
