//! The epoch crank, for anyone.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use tributary::constants::{
    UPDATE_BASE_COMPUTE_UNITS, UPDATE_ENTRY_COMPUTE_UNITS, UPDATE_IDLE_ENTRY_COMPUTE_UNITS,
};
use tributary::instructions::{RebalanceArgs, ScoreValidatorArgs, UpdateValidatorsArgs};
use tributary::state::ValidatorEntry;
use tributary::{accounts, instruction};

use super::{build, stake_program_accounts, validator_stake_accounts, TOKEN_PROGRAM};
use crate::pda::PoolAddresses;

/// The compute units an `update_validators` transaction of `entries` may use: each entry's
/// worst case (a merge or a withdrawal and a sweep with a transient, a sweep without).
pub fn update_validators_compute(entries: &[ValidatorEntry]) -> u32 {
    entries
        .iter()
        .fold(UPDATE_BASE_COMPUTE_UNITS, |units, entry| {
            units.saturating_add(match entry.has_transient() {
                true => UPDATE_ENTRY_COMPUTE_UNITS,
                false => UPDATE_IDLE_ENTRY_COMPUTE_UNITS,
            })
        })
}

/// The compute budget of an `update_validators` transaction of `entries`.
pub fn update_validators_budget(entries: &[ValidatorEntry]) -> Instruction {
    ComputeBudgetInstruction::set_compute_unit_limit(update_validators_compute(entries))
}

/// Updates `entries`, the list entries from `start_index` on, as they are now: each takes its
/// validator stake account, and its transient stake account when it has one.
pub fn update_validators(
    pool: &PoolAddresses,
    start_index: u32,
    entries: &[ValidatorEntry],
) -> Instruction {
    let mut ix = build(
        &pool.program_id,
        accounts::UpdateValidators {
            pool: pool.pool,
            validator_list: pool.validator_list,
            reserve: pool.reserve,
            authority: pool.authority,
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

pub fn update_pool(pool: &PoolAddresses) -> Instruction {
    build(
        &pool.program_id,
        accounts::UpdatePool {
            pool: pool.pool,
            validator_list: pool.validator_list,
            reserve: pool.reserve,
            mint: pool.mint,
            authority: pool.authority,
            token_program: TOKEN_PROGRAM,
        },
        instruction::UpdatePool {},
    )
}

/// `treasury` is the pool's current treasury token account (`Pool::treasury`).
pub fn mint_treasury_shares(pool: &PoolAddresses, treasury: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        accounts::MintTreasuryShares {
            pool: pool.pool,
            mint: pool.mint,
            authority: pool.authority,
            treasury: *treasury,
            token_program: TOKEN_PROGRAM,
        },
        instruction::MintTreasuryShares {},
    )
}

/// Scores the validator voting with `vote`; `tip_distribution`, its Jito tip-distribution
/// account of this epoch or the last (`pda::tip_distribution_account`), when it has one, so the
/// score reads its declared commission.
pub fn score_validator(
    pool: &PoolAddresses,
    vote: &Pubkey,
    validator_index: u32,
    tip_distribution: Option<&Pubkey>,
) -> Instruction {
    let mut ix = build(
        &pool.program_id,
        accounts::ScoreValidator {
            pool: pool.pool,
            validator_list: pool.validator_list,
            vote: *vote,
            mev_vault: pool.mev_vault(vote),
        },
        instruction::ScoreValidator {
            args: ScoreValidatorArgs { validator_index },
        },
    );
    if let Some(account) = tip_distribution {
        ix.accounts.push(AccountMeta::new_readonly(*account, false));
    }
    ix
}

/// Moves the validator's stake towards its target; anyone may call it.
pub fn rebalance(pool: &PoolAddresses, vote: &Pubkey, validator_index: u32) -> Instruction {
    build(
        &pool.program_id,
        accounts::Rebalance {
            validator: validator_stake_accounts(pool, vote),
        },
        instruction::Rebalance {
            args: RebalanceArgs { validator_index },
        },
    )
}
