use anchor_lang::prelude::*;

use crate::instructions::{move_validator_stake, MoveValidatorStake, ValidatorStakeArgs};

/// Moves stake from a validator back towards the reserve (operator): `lamports` are split off
/// its stake into its transient account and deactivated; the crank returns them to the reserve
/// once inactive.
pub fn handle_decrease_validator_stake(
    ctx: Context<MoveValidatorStake>,
    args: ValidatorStakeArgs,
) -> Result<()> {
    move_validator_stake(ctx.accounts, args, false)
}
