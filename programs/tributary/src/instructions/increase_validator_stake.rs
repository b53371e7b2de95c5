use anchor_lang::prelude::*;

use crate::events::{record, ValidatorStakeEvent};
use crate::instructions::manage_validator::ManageValidator;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct ValidatorStakeArgs {
    /// Position of the validator in the list.
    pub validator_index: u32,
    /// Lamports of stake to move.
    pub lamports: u64,
}

/// Moves stake from the reserve to a validator (operator): the lamports go to its transient
/// account and are delegated; the crank merges them into the validator's stake once active.
pub fn handle_increase_validator_stake(
    ctx: Context<ManageValidator>,
    args: ValidatorStakeArgs,
) -> Result<()> {
    let accounts = &ctx.accounts;
    let epoch = Clock::get()?.epoch;
    accounts.require_operator(epoch)?;
    let transient_lamports = accounts.stake_in(args.validator_index, args.lamports, epoch)?;
    record(&ValidatorStakeEvent {
        pool: accounts.pool.key(),
        vote: accounts.vote.key(),
        increase: true,
        lamports: args.lamports,
        transient_lamports,
        epoch,
    });
    Ok(())
}
