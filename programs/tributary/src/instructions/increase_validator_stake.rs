use anchor_lang::prelude::*;

use crate::instructions::manage_validator::{move_validator_stake, ManageValidator};

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
    move_validator_stake(ctx.accounts, args, true)
}
