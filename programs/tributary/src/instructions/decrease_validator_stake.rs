use anchor_lang::prelude::*;

use crate::events::{record, ValidatorStakeEvent};
use crate::instructions::manage_validator::ManageValidator;
use crate::instructions::ValidatorStakeArgs;

/// Moves stake from a validator back towards the reserve (operator): `lamports` are split off
/// its stake into its transient account and deactivated; the crank returns them to the reserve
/// once inactive.
pub fn handle_decrease_validator_stake(
    ctx: Context<ManageValidator>,
    args: ValidatorStakeArgs,
) -> Result<()> {
    let accounts = &ctx.accounts;
    let epoch = Clock::get()?.epoch;
    accounts.require_operator(epoch)?;
    let transient_lamports = accounts.stake_out(args.validator_index, args.lamports, epoch)?;
    record(&ValidatorStakeEvent {
        pool: accounts.pool.key(),
        vote: accounts.vote.key(),
        increase: false,
        lamports: args.lamports,
        transient_lamports,
        epoch,
    });
    Ok(())
}
