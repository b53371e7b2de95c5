//! Stakers' events: deposits, withdrawals and tickets.

use anchor_lang::prelude::*;

/// SOL was deposited for shares.
#[event]
pub struct DepositSolEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Who deposited.
    pub depositor: Pubkey,
    /// Lamports deposited.
    pub lamports: u64,
    /// Shares minted to the depositor.
    pub user_shares: u64,
    /// The deposit fee, and the treasury's shares for it.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
}

/// Shares were redeemed for SOL from the reserve.
#[event]
pub struct WithdrawSolEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Whose shares were burned.
    pub owner: Pubkey,
    /// Shares burned, the fee's included.
    pub shares: u64,
    /// The withdrawal fee, and the treasury's shares for it.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// Lamports paid to the owner.
    pub lamports: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
}

/// A stake account was deposited for shares.
#[event]
pub struct DepositStakeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Who deposited.
    pub depositor: Pubkey,
    /// The deposited stake account, merged into the validator's.
    pub stake_account: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The stake account's lamports.
    pub lamports: u64,
    /// Of `lamports`, what was above the delegation and its rent-exempt reserve: priced as
    /// SOL, as the rest, and swept into the reserve by the next crank.
    pub liquid_lamports: u64,
    /// Shares minted to the depositor.
    pub user_shares: u64,
    /// The fee, in lamports.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
}

/// Shares were redeemed for a stake account split from a validator's.
#[event]
pub struct WithdrawStakeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Whose shares were burned.
    pub owner: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The new stake account, now the owner's.
    pub stake_account: Pubkey,
    /// Shares burned, the fee's included.
    pub shares: u64,
    /// The fee, in lamports.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// Lamports in the new stake account.
    pub lamports: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
}

/// Shares were exchanged for an unstake ticket, claimable once the pool has the SOL unstaked.
#[event]
pub struct OrderUnstakeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Whose shares were burned; the ticket's owner.
    pub owner: Pubkey,
    /// The new ticket.
    pub ticket: Pubkey,
    /// Shares burned, the fee's included.
    pub shares: u64,
    /// The fee, in lamports.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// What the ticket is owed, unless a loss comes first.
    pub lamports: u64,
    /// The ticket's units.
    pub units: u64,
    /// The epoch ordered.
    pub epoch: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
    /// What the open tickets are owed after the change.
    pub ticket_lamports: u64,
    /// The open tickets' units after the change: a ticket is owed `ticket_lamports * units /
    /// ticket_units`.
    pub ticket_units: u64,
}

/// A ticket was claimed and closed.
#[event]
pub struct ClaimTicketEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The ticket's owner, paid.
    pub owner: Pubkey,
    /// The ticket, closed.
    pub ticket: Pubkey,
    /// Paid: what the ticket was owed when ordered, less its share of any loss since.
    pub lamports: u64,
    /// What the ticket was owed when ordered.
    pub ordered_lamports: u64,
    /// What the open tickets are owed after the change.
    pub ticket_lamports: u64,
    /// The open tickets' units after the change: a ticket is owed `ticket_lamports * units /
    /// ticket_units`.
    pub ticket_units: u64,
}

/// A ticket changed hands.
#[event]
pub struct TransferTicketEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The ticket.
    pub ticket: Pubkey,
    /// Its owner before.
    pub previous_owner: Pubkey,
    /// Its owner now.
    pub owner: Pubkey,
}
