//! MEV: commissions and distributions.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use tributary::instructions::{CollectStakeTipsArgs, DistributeArgs, SetMevCommissionArgs};
use tributary::{accounts, instruction};

use super::{build, stake_program_accounts};
use crate::pda::PoolAddresses;

/// Declares the MEV commission of the validator voting with `vote`, signed by its vote
/// account's authorized withdrawer.
pub fn set_mev_commission(
    pool: &PoolAddresses,
    withdrawer: &Pubkey,
    vote: &Pubkey,
    args: SetMevCommissionArgs,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::SetMevCommission {
            withdrawer: *withdrawer,
            vote: *vote,
            mev_vault: pool.mev_vault(vote),
            pool: pool.pool,
        },
        instruction::SetMevCommission { args },
    )
}

/// Distributes the tips in `vault`; `payout` is the payout account the validator declared
/// (any writable account when it declared none, or for a pool tip account), `validator_index`
/// its position in the list (any value for a pool tip account or a removed validator).
pub fn distribute(
    pool: &PoolAddresses,
    vault: &Pubkey,
    payout: &Pubkey,
    validator_index: u32,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::Distribute {
            pool: pool.pool,
            validator_list: pool.validator_list,
            mev_vault: *vault,
            reserve: pool.reserve,
            payout: *payout,
        },
        instruction::Distribute {
            args: DistributeArgs { validator_index },
        },
    )
}

/// Collects what reached the stake account of the validator voting with `vote`, the list's
/// entry at `validator_index`, above its delegation: its MEV to the stakers.
pub fn collect_stake_tips(
    pool: &PoolAddresses,
    vote: &Pubkey,
    validator_index: u32,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::CollectStakeTips {
            pool: pool.pool,
            validator_list: pool.validator_list,
            mev_vault: pool.mev_vault(vote),
            validator_stake: pool.validator_stake(vote),
            reserve: pool.reserve,
            authority: pool.authority,
            stake: stake_program_accounts(),
        },
        instruction::CollectStakeTips {
            args: CollectStakeTipsArgs { validator_index },
        },
    )
}
