use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, TransferTicketEvent};
use crate::state::UnstakeTicket;

/// Arguments of `transfer_ticket`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct TransferTicketArgs {
    /// The ticket's new owner.
    pub new_owner: Pubkey,
}

/// Hands a ticket to another owner (its owner).
#[derive(Accounts)]
pub struct TransferTicket<'info> {
    /// The ticket's owner now, who signs.
    pub owner: Signer<'info>,
    /// The ticket.
    #[account(mut, has_one = owner @ TributaryError::NotTicketOwner)]
    pub ticket: Box<Account<'info, UnstakeTicket>>,
}

pub fn handle_transfer_ticket(ctx: Context<TransferTicket>, new_owner: Pubkey) -> Result<()> {
    let ticket = &mut ctx.accounts.ticket;
    let previous_owner = ticket.owner;
    ticket.owner = new_owner;
    record(&TransferTicketEvent {
        pool: ticket.pool,
        ticket: ticket.key(),
        previous_owner,
        owner: new_owner,
    });
    Ok(())
}
