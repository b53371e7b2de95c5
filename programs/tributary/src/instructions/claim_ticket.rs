use anchor_lang::prelude::*;

use crate::cpi::pay_from_reserve;
use crate::errors::TributaryError;
use crate::events::{record, ClaimTicketEvent};
use crate::state::{Pool, UnstakeTicket};

/// Pays a ticket (its owner) after the epoch boundary that follows its order, once the reserve
/// holds its lamports, and closes it, returning its rent.
#[derive(Accounts)]
pub struct ClaimTicket<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut, has_one = reserve @ TributaryError::WrongPoolAccount)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut,
        close = owner,
        has_one = owner @ TributaryError::NotTicketOwner,
        has_one = pool @ TributaryError::WrongPoolAccount,
    )]
    pub ticket: Box<Account<'info, UnstakeTicket>>,
    /// CHECK: the pool's reserve, checked by `has_one`.
    #[account(mut)]
    pub reserve: UncheckedAccount<'info>,
}

pub fn handle_claim_ticket(ctx: Context<ClaimTicket>) -> Result<()> {
    let accounts = ctx.accounts;
    require_gt!(
        Clock::get()?.epoch,
        accounts.ticket.created_epoch,
        TributaryError::TicketNotDue
    );
    let lamports = accounts.ticket.lamports;
    let pool = &mut accounts.pool;
    pool.ticket_lamports = pool
        .ticket_lamports
        .checked_sub(lamports)
        .ok_or(TributaryError::MathOverflow)?;
    // The other tickets' lamports stay.
    pay_from_reserve(
        &accounts.reserve,
        &accounts.owner.to_account_info(),
        lamports,
        pool.ticket_lamports,
    )?;
    record(&ClaimTicketEvent {
        pool: pool.key(),
        owner: accounts.owner.key(),
        ticket: accounts.ticket.key(),
        lamports,
        ticket_lamports: pool.ticket_lamports,
    });
    Ok(())
}
