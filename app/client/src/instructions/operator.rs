//! The operator: validators, their stake, the strategy.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_program;
use tributary::instructions::{RemoveValidatorArgs, SetWeightArgs, ValidatorStakeArgs};
use tributary::stake::STAKE_CONFIG_ID;
use tributary::state::Strategy;
use tributary::{accounts, instruction};

use super::{build, stake_program_accounts, validator_stake_accounts};
use crate::pda::PoolAddresses;

pub fn add_validator(pool: &PoolAddresses, operator: &Pubkey, vote: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        accounts::AddValidator {
            operator: *operator,
            pool: pool.pool,
            validator_list: pool.validator_list,
            authority: pool.authority,
            vote: *vote,
            validator_stake: pool.validator_stake(vote),
            mev_vault: pool.mev_vault(vote),
            rent: solana_sdk::sysvar::rent::ID,
            stake_config: STAKE_CONFIG_ID,
            stake: stake_program_accounts(),
            system_program: system_program::ID,
        },
        instruction::AddValidator {},
    )
}

fn move_validator_stake(
    pool: &PoolAddresses,
    operator: &Pubkey,
    vote: &Pubkey,
) -> accounts::MoveValidatorStake {
    accounts::MoveValidatorStake {
        operator: *operator,
        validator: validator_stake_accounts(pool, vote),
    }
}

/// `args.validator_index` is the validator's position in the list.
pub fn increase_validator_stake(
    pool: &PoolAddresses,
    operator: &Pubkey,
    vote: &Pubkey,
    args: ValidatorStakeArgs,
) -> Instruction {
    build(
        &pool.program_id,
        move_validator_stake(pool, operator, vote),
        instruction::IncreaseValidatorStake { args },
    )
}

pub fn decrease_validator_stake(
    pool: &PoolAddresses,
    operator: &Pubkey,
    vote: &Pubkey,
    args: ValidatorStakeArgs,
) -> Instruction {
    build(
        &pool.program_id,
        move_validator_stake(pool, operator, vote),
        instruction::DecreaseValidatorStake { args },
    )
}

/// `caller` is the operator, or anyone for a validator the Stake program deactivated.
pub fn remove_validator(
    pool: &PoolAddresses,
    caller: &Pubkey,
    vote: &Pubkey,
    validator_index: u32,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::RemoveValidator {
            caller: *caller,
            pool: pool.pool,
            validator_list: pool.validator_list,
            authority: pool.authority,
            vote: *vote,
            validator_stake: pool.validator_stake(vote),
            transient_stake: pool.transient_stake(vote),
            mev_vault: pool.mev_vault(vote),
            stake: stake_program_accounts(),
        },
        instruction::RemoveValidator {
            args: RemoveValidatorArgs { validator_index },
        },
    )
}

pub fn set_strategy(pool: &PoolAddresses, operator: &Pubkey, strategy: Strategy) -> Instruction {
    build(
        &pool.program_id,
        accounts::OperatorAction {
            operator: *operator,
            pool: pool.pool,
        },
        instruction::SetStrategy { strategy },
    )
}

/// Names `lookup_table` as the table listing the pool's lookup tables.
pub fn set_lookup_table(
    pool: &PoolAddresses,
    operator: &Pubkey,
    lookup_table: &Pubkey,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::SetLookupTable {
            operator: *operator,
            pool: pool.pool,
            lookup_table: *lookup_table,
        },
        instruction::SetLookupTable {},
    )
}

/// `args.vote` must be the validator at `args.validator_index`.
pub fn set_weight(pool: &PoolAddresses, operator: &Pubkey, args: SetWeightArgs) -> Instruction {
    build(
        &pool.program_id,
        accounts::SetWeight {
            operator: *operator,
            pool: pool.pool,
            validator_list: pool.validator_list,
        },
        instruction::SetWeight { args },
    )
}
