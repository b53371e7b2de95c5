//! Stakers: SOL and stake in and out, and tickets.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::{system_instruction, system_program};
use solana_stake_interface::instruction as stake_instruction;
use solana_stake_interface::state::StakeAuthorize;
use tributary::instructions::{
    DepositSolArgs, DepositStakeArgs, OrderUnstakeArgs, TransferTicketArgs, WithdrawSolArgs,
    WithdrawStakeArgs,
};
use tributary::stake::{STAKE_ACCOUNT_SPACE, STAKE_PROGRAM_ID};
use tributary::{accounts, instruction};

use super::{build, stake_program_accounts, TOKEN_PROGRAM};
use crate::pda::PoolAddresses;

/// A SOL deposit into `depositor`'s token account `depositor_token` (its associated token
/// account), which is created first when `create_token_account` (paid by the depositor).
pub fn deposit_sol_into_token_account(
    pool: &PoolAddresses,
    depositor: &Pubkey,
    depositor_token: &Pubkey,
    args: DepositSolArgs,
    create_token_account: bool,
) -> Vec<Instruction> {
    let mut ixs = Vec::with_capacity(2);
    if create_token_account {
        ixs.push(super::create_token_account(
            depositor, depositor, &pool.mint,
        ));
    }
    ixs.push(deposit_sol(pool, depositor, depositor_token, args));
    ixs
}

pub fn deposit_sol(
    pool: &PoolAddresses,
    depositor: &Pubkey,
    depositor_token: &Pubkey,
    args: DepositSolArgs,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::DepositSol {
            depositor: *depositor,
            pool: pool.pool,
            reserve: pool.reserve,
            mint: pool.mint,
            authority: pool.authority,
            depositor_token: *depositor_token,
            token_program: TOKEN_PROGRAM,
            system_program: system_program::ID,
        },
        instruction::DepositSol { args },
    )
}

pub fn withdraw_sol(
    pool: &PoolAddresses,
    owner: &Pubkey,
    owner_token: &Pubkey,
    args: WithdrawSolArgs,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::WithdrawSol {
            owner: *owner,
            pool: pool.pool,
            reserve: pool.reserve,
            mint: pool.mint,
            owner_token: *owner_token,
            token_program: TOKEN_PROGRAM,
        },
        instruction::WithdrawSol { args },
    )
}

/// Deposits `stake_account`, already authorised to the pool's authority (see
/// `authorize_stake_to_pool`), into the validator at `args.validator_index`.
pub fn deposit_stake(
    pool: &PoolAddresses,
    depositor: &Pubkey,
    stake_account: &Pubkey,
    vote: &Pubkey,
    depositor_token: &Pubkey,
    args: DepositStakeArgs,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::DepositStake {
            depositor: *depositor,
            pool: pool.pool,
            validator_list: pool.validator_list,
            stake_account: *stake_account,
            validator_stake: pool.validator_stake(vote),
            authority: pool.authority,
            mint: pool.mint,
            depositor_token: *depositor_token,
            stake: stake_program_accounts(),
            token_program: TOKEN_PROGRAM,
        },
        instruction::DepositStake { args },
    )
}

/// Hands both authorities of `stake_account` from `owner` to the pool, as `deposit_stake`
/// requires; send them in the same transaction as the deposit.
pub fn authorize_stake_to_pool(
    pool: &PoolAddresses,
    owner: &Pubkey,
    stake_account: &Pubkey,
) -> Vec<Instruction> {
    let authority = pool.authority;
    [StakeAuthorize::Staker, StakeAuthorize::Withdrawer]
        .into_iter()
        .map(|kind| stake_instruction::authorize(stake_account, owner, &authority, kind, None))
        .collect()
}

/// Withdraws stake into `destination_stake`, a new account the caller creates in the same
/// transaction (see `create_stake_account`).
pub fn withdraw_stake(
    pool: &PoolAddresses,
    owner: &Pubkey,
    vote: &Pubkey,
    destination_stake: &Pubkey,
    owner_token: &Pubkey,
    args: WithdrawStakeArgs,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::WithdrawStake {
            owner: *owner,
            pool: pool.pool,
            validator_list: pool.validator_list,
            validator_stake: pool.validator_stake(vote),
            destination_stake: *destination_stake,
            authority: pool.authority,
            mint: pool.mint,
            owner_token: *owner_token,
            stake: stake_program_accounts(),
            token_program: TOKEN_PROGRAM,
        },
        instruction::WithdrawStake { args },
    )
}

/// An empty stake account at `stake`, rent paid by `payer`, ready to receive a split.
pub fn create_stake_account(payer: &Pubkey, stake: &Pubkey, rent_lamports: u64) -> Instruction {
    system_instruction::create_account(
        payer,
        stake,
        rent_lamports,
        STAKE_ACCOUNT_SPACE as u64,
        &STAKE_PROGRAM_ID,
    )
}

/// Orders a delayed unstake of `shares` into `ticket`, a new keypair that signs with `owner`.
pub fn order_unstake(
    pool: &PoolAddresses,
    owner: &Pubkey,
    ticket: &Pubkey,
    owner_token: &Pubkey,
    shares: u64,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::OrderUnstake {
            owner: *owner,
            pool: pool.pool,
            ticket: *ticket,
            mint: pool.mint,
            owner_token: *owner_token,
            token_program: TOKEN_PROGRAM,
            system_program: system_program::ID,
        },
        instruction::OrderUnstake {
            args: OrderUnstakeArgs { shares },
        },
    )
}

pub fn claim_ticket(pool: &PoolAddresses, owner: &Pubkey, ticket: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        accounts::ClaimTicket {
            owner: *owner,
            pool: pool.pool,
            ticket: *ticket,
            reserve: pool.reserve,
        },
        instruction::ClaimTicket {},
    )
}

pub fn transfer_ticket(
    pool: &PoolAddresses,
    owner: &Pubkey,
    ticket: &Pubkey,
    new_owner: &Pubkey,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::TransferTicket {
            owner: *owner,
            ticket: *ticket,
        },
        instruction::TransferTicket {
            args: TransferTicketArgs {
                new_owner: *new_owner,
            },
        },
    )
}
