use anchor_lang::prelude::*;

use crate::cpi::pay_from_reserve;
use crate::errors::TributaryError;
use crate::events::{record, ClaimTicketEvent};
use crate::math::ticket_is_due;
use crate::stake::STAKE_ACCOUNT_SPACE;
use crate::state::{Pool, UnstakeTicket};

/// Pays a ticket (its owner) after the epoch boundary that follows its order, once the reserve
/// holds what it is owed, and closes it, returning its rent. Due tickets do not wait for each
/// other: each is paid as soon as the reserve holds its own lamports (and the rent of a
/// transient stake account, which the pool keeps to unstake). It needs this epoch's roll, so a
/// loss of the last epoch is shared before anyone is paid.
#[derive(Accounts)]
pub struct ClaimTicket<'info> {
    /// The ticket's owner: signs, and receives its lamports and its rent.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut, has_one = reserve @ TributaryError::WrongPoolAccount)]
    pub pool: Box<Account<'info, Pool>>,
    /// The ticket, closed here.
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
    let epoch = Clock::get()?.epoch;
    require!(
        ticket_is_due(accounts.ticket.created_epoch, epoch),
        TributaryError::TicketNotDue
    );
    accounts.pool.require_fresh(epoch)?;
    let pool = &mut accounts.pool;
    let lamports = pool.close_ticket(accounts.ticket.units)?;
    // The rent of a transient stake account stays, so the pool can always unstake.
    pay_from_reserve(
        &accounts.reserve,
        &accounts.owner.to_account_info(),
        lamports,
        Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE),
    )?;
    record(&ClaimTicketEvent {
        pool: pool.key(),
        owner: accounts.owner.key(),
        ticket: accounts.ticket.key(),
        lamports,
        ordered_lamports: accounts.ticket.lamports,
        ticket_lamports: pool.ticket_lamports,
        ticket_units: pool.ticket_units,
    });
    Ok(())
}
