use anchor_lang::prelude::*;

use crate::instructions::{move_validator_stake, MoveValidatorStake, ValidatorStakeArgs};

/// Moves stake from the reserve to a validator (operator): the lamports go to its transient
/// account and are delegated; the crank merges them into the validator's stake once active.
pub fn handle_increase_validator_stake(
    ctx: Context<MoveValidatorStake>,
    args: ValidatorStakeArgs,
) -> Result<()> {
    move_validator_stake(ctx.accounts, args, true)
}
