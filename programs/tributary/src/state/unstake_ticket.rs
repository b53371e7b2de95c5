use anchor_lang::prelude::*;

/// A claim on lamports, made by burning shares at the rate of the epoch it was ordered in;
/// claimable after the next epoch boundary once the reserve holds them. It is owed its units'
/// share of what all open tickets are owed (`Pool::ticket_value`): `lamports` unless a loss
/// has been shared since.
#[account]
#[derive(InitSpace, Debug)]
pub struct UnstakeTicket {
    pub pool: Pubkey,
    pub owner: Pubkey,
    /// What the ticket was owed when ordered.
    pub lamports: u64,
    pub units: u64,
    pub created_epoch: u64,
}
