use anchor_lang::prelude::*;

/// A claim on lamports, made by burning shares at the rate of the epoch it was ordered in;
/// claimable after the next epoch boundary once the reserve holds them. It is owed its units'
/// share of what all open tickets are owed (`Pool::ticket_value`): `lamports` unless a loss
/// has been shared since.
#[account]
#[derive(InitSpace, Debug)]
pub struct UnstakeTicket {
    /// The pool.
    pub pool: Pubkey,
    /// Who may claim or transfer it.
    pub owner: Pubkey,
    /// What the ticket was owed when ordered.
    pub lamports: u64,
    /// Its units of `Pool::ticket_lamports`.
    pub units: u64,
    /// The epoch it was ordered; claimable once the pool has the SOL.
    pub created_epoch: u64,
}
