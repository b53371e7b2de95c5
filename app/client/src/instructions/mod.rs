//! One typed builder per program instruction, from Anchor's generated `accounts::` and
//! `instruction::` types, grouped as the program groups them, by who calls them.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{InstructionData, ToAccountMetas};
use tributary::accounts;
use tributary::stake::STAKE_PROGRAM_ID;

use crate::pda::PoolAddresses;

mod admin;
mod crank;
mod mev;
mod operator;
mod pool;
mod staker;

pub use admin::*;
pub use crank::*;
pub use mev::*;
pub use operator::*;
pub use pool::*;
pub use staker::*;

pub(crate) const TOKEN_PROGRAM: Pubkey = spl_token_2022_interface::ID;

/// The sysvars and the program every Stake-program call needs.
pub(crate) fn stake_program_accounts() -> accounts::StakeProgramAccounts {
    accounts::StakeProgramAccounts {
        clock: solana_sdk::sysvar::clock::ID,
        stake_history: solana_stake_interface::sysvar::stake_history::ID,
        stake_program: STAKE_PROGRAM_ID,
    }
}

/// An instruction of the Tributary program deployed at `program_id`.
pub(crate) fn build(
    program_id: &Pubkey,
    accounts: impl ToAccountMetas,
    data: impl InstructionData,
) -> Instruction {
    Instruction {
        program_id: *program_id,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// The accounts that move the stake of the validator voting with `vote`.
pub(crate) fn validator_stake_accounts(
    pool: &PoolAddresses,
    vote: &Pubkey,
) -> accounts::ValidatorStakeAccounts {
    accounts::ValidatorStakeAccounts {
        pool: pool.pool,
        validator_list: pool.validator_list,
        reserve: pool.reserve,
        authority: pool.authority,
        vote: *vote,
        validator_stake: pool.validator_stake(vote),
        transient_stake: pool.transient_stake(vote),
        rent: solana_sdk::sysvar::rent::ID,
        stake_config: tributary::stake::STAKE_CONFIG_ID,
        stake: stake_program_accounts(),
        system_program: anchor_lang::solana_program::system_program::ID,
    }
}
