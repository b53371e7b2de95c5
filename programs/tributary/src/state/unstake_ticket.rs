use anchor_lang::prelude::*;

/// A claim on lamports, made by burning shares at the rate of the epoch it was ordered in;
/// claimable after the next epoch boundary once the reserve holds them.
#[account]
#[derive(InitSpace, Debug)]
pub struct UnstakeTicket {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub lamports: u64,
    pub created_epoch: u64,
}
