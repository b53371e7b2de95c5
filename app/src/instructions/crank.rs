//! The epoch crank, for anyone.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use tributary::instructions::UpdateValidatorsArgs;
use tributary::state::ValidatorEntry;
use tributary::{accounts, instruction};

use super::{build, stake_program_accounts, validator_stake_accounts, TOKEN_PROGRAM};
use crate::pda::{find_mev_vault, PoolAddresses};

/// Updates `entries`, the list entries from `start_index` on, as they are now: each takes its
/// validator stake account, and its transient stake account when it has one.
pub fn update_validators(
    pool: &Pubkey,
    start_index: u32,
    entries: &[ValidatorEntry],
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    let mut ix = build(
        accounts::UpdateValidators {
            pool: *pool,
            validator_list: addresses.validator_list,
            reserve: addresses.reserve,
            authority: addresses.authority,
            stake: stake_program_accounts(),
        },
        instruction::UpdateValidators {
            args: UpdateValidatorsArgs {
                start_index,
                count: entries.len() as u32,
            },
        },
    );
    for entry in entries {
        ix.accounts
            .push(AccountMeta::new(entry.validator_stake, false));
        if entry.has_transient() {
            ix.accounts
                .push(AccountMeta::new(entry.transient_stake, false));
        }
    }
    ix
}

pub fn update_pool(pool: &Pubkey) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::UpdatePool {
            pool: *pool,
            validator_list: addresses.validator_list,
            reserve: addresses.reserve,
            mint: addresses.mint,
            authority: addresses.authority,
            token_program: TOKEN_PROGRAM,
        },
        instruction::UpdatePool {},
    )
}

/// `treasury` is the pool's current treasury token account (`Pool::treasury`).
pub fn mint_treasury_shares(pool: &Pubkey, treasury: &Pubkey) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::MintTreasuryShares {
            pool: *pool,
            mint: addresses.mint,
            authority: addresses.authority,
            treasury: *treasury,
            token_program: TOKEN_PROGRAM,
        },
        instruction::MintTreasuryShares {},
    )
}

pub fn score_validator(pool: &Pubkey, vote: &Pubkey, validator_index: u32) -> Instruction {
    build(
        accounts::ScoreValidator {
            pool: *pool,
            validator_list: PoolAddresses::new(*pool).validator_list,
            vote: *vote,
            mev_vault: find_mev_vault(pool, vote).0,
        },
        instruction::ScoreValidator { validator_index },
    )
}

/// Moves the validator's stake towards its target; anyone may call it.
pub fn rebalance(pool: &Pubkey, vote: &Pubkey, validator_index: u32) -> Instruction {
    build(
        accounts::Rebalance {
            validator: validator_stake_accounts(pool, vote),
        },
        instruction::Rebalance { validator_index },
    )
}
