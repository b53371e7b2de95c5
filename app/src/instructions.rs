//! One typed builder per program instruction, from Anchor's generated `accounts::` and
//! `instruction::` types.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_program;
use anchor_lang::{InstructionData, ToAccountMetas};
use tributary::instructions::{DepositSolArgs, InitializePoolArgs, WithdrawSolArgs};
use tributary::state::Fees;
use tributary::{accounts, instruction};

use crate::pda::PoolAddresses;

const TOKEN_PROGRAM: Pubkey = spl_token_2022_interface::ID;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: tributary::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// Creates the pool at the address of the `pool` keypair, which must sign with `admin`.
pub fn initialize_pool(
    admin: &Pubkey,
    pool: &Pubkey,
    treasury_owner: &Pubkey,
    args: InitializePoolArgs,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::InitializePool {
            admin: *admin,
            pool: *pool,
            authority: addresses.authority,
            reserve: addresses.reserve,
            validator_list: addresses.validator_list,
            mint: addresses.mint,
            treasury_owner: *treasury_owner,
            treasury: addresses.token_account(treasury_owner),
            token_program: TOKEN_PROGRAM,
            associated_token_program: spl_associated_token_account_interface::program::ID,
            system_program: system_program::ID,
        },
        instruction::InitializePool { args },
    )
}

pub fn deposit_sol(
    pool: &Pubkey,
    depositor: &Pubkey,
    depositor_token: &Pubkey,
    args: DepositSolArgs,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::DepositSol {
            depositor: *depositor,
            pool: *pool,
            reserve: addresses.reserve,
            mint: addresses.mint,
            authority: addresses.authority,
            depositor_token: *depositor_token,
            token_program: TOKEN_PROGRAM,
            system_program: system_program::ID,
        },
        instruction::DepositSol { args },
    )
}

pub fn withdraw_sol(
    pool: &Pubkey,
    owner: &Pubkey,
    owner_token: &Pubkey,
    args: WithdrawSolArgs,
) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::WithdrawSol {
            owner: *owner,
            pool: *pool,
            reserve: addresses.reserve,
            mint: addresses.mint,
            owner_token: *owner_token,
            token_program: TOKEN_PROGRAM,
        },
        instruction::WithdrawSol { args },
    )
}

/// `treasury` is the pool's current treasury token account (`Pool::treasury`).
pub fn update_pool(pool: &Pubkey, treasury: &Pubkey) -> Instruction {
    let addresses = PoolAddresses::new(*pool);
    build(
        accounts::UpdatePool {
            pool: *pool,
            mint: addresses.mint,
            authority: addresses.authority,
            treasury: *treasury,
            token_program: TOKEN_PROGRAM,
        },
        instruction::UpdatePool {},
    )
}

fn admin_action(pool: &Pubkey, admin: &Pubkey) -> accounts::AdminAction {
    accounts::AdminAction {
        admin: *admin,
        pool: *pool,
    }
}

pub fn set_fees(pool: &Pubkey, admin: &Pubkey, fees: Fees) -> Instruction {
    build(admin_action(pool, admin), instruction::SetFees { fees })
}

pub fn propose_admin(pool: &Pubkey, admin: &Pubkey, new_admin: &Pubkey) -> Instruction {
    build(
        admin_action(pool, admin),
        instruction::ProposeAdmin {
            new_admin: *new_admin,
        },
    )
}

pub fn accept_admin(pool: &Pubkey, pending_admin: &Pubkey) -> Instruction {
    build(
        accounts::AcceptAdmin {
            pending_admin: *pending_admin,
            pool: *pool,
        },
        instruction::AcceptAdmin {},
    )
}

pub fn set_operator(pool: &Pubkey, admin: &Pubkey, operator: &Pubkey) -> Instruction {
    build(
        admin_action(pool, admin),
        instruction::SetOperator {
            operator: *operator,
        },
    )
}

pub fn set_treasury(pool: &Pubkey, admin: &Pubkey, treasury: &Pubkey) -> Instruction {
    build(
        accounts::SetTreasury {
            admin: *admin,
            pool: *pool,
            treasury: *treasury,
        },
        instruction::SetTreasury {},
    )
}

pub fn pause(pool: &Pubkey, admin: &Pubkey) -> Instruction {
    build(admin_action(pool, admin), instruction::Pause {})
}

pub fn unpause(pool: &Pubkey, admin: &Pubkey) -> Instruction {
    build(admin_action(pool, admin), instruction::Unpause {})
}

/// Creates `owner`'s associated token account for the pool's mint if it does not exist.
pub fn create_token_account(payer: &Pubkey, owner: &Pubkey, mint: &Pubkey) -> Instruction {
    spl_associated_token_account_interface::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        mint,
        &TOKEN_PROGRAM,
    )
}
