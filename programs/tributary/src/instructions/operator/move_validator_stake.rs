use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, ValidatorStakeEvent};
use crate::instructions::stake_move::*;

/// Arguments of `increase_validator_stake` and `decrease_validator_stake`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct ValidatorStakeArgs {
    /// Position of the validator in the list.
    pub validator_index: u32,
    /// Lamports of stake to move.
    pub lamports: u64,
}

/// The accounts of the operator's `increase_validator_stake` and `decrease_validator_stake`.
#[derive(Accounts)]
pub struct MoveValidatorStake<'info> {
    #[account(
        constraint = operator.key() == validator.pool.operator @ TributaryError::NotOperator,
    )]
    pub operator: Signer<'info>,
    pub validator: ValidatorStakeAccounts<'info>,
}

/// The operator's move of `args.lamports` into (`increase`) or out of a validator's stake.
pub fn move_validator_stake(
    accounts: &MoveValidatorStake,
    args: ValidatorStakeArgs,
    increase: bool,
) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let validator = &accounts.validator;
    validator.require_open(epoch)?;
    let transient_lamports = if increase {
        validator.stake_in(args.validator_index, args.lamports, epoch)?
    } else {
        validator.stake_out(args.validator_index, args.lamports, epoch)?
    };
    record(&ValidatorStakeEvent {
        pool: validator.pool.key(),
        vote: validator.vote.key(),
        increase,
        lamports: args.lamports,
        transient_lamports,
        epoch,
    });
    Ok(())
}
