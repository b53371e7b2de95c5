//! The admin: fees, roles, the treasury, pause, the tip rate cap, the token's metadata.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_program;
use tributary::instructions::{
    ProposeAdminArgs, SetMetadataArgs, SetOperatorArgs, SetTipRateCapArgs,
};
use tributary::state::Fees;
use tributary::{accounts, instruction};

use super::{build, TOKEN_PROGRAM};
use crate::pda::PoolAddresses;

fn admin_action(pool: &PoolAddresses, admin: &Pubkey) -> accounts::AdminAction {
    accounts::AdminAction {
        admin: *admin,
        pool: pool.pool,
    }
}

pub fn set_fees(pool: &PoolAddresses, admin: &Pubkey, fees: Fees) -> Instruction {
    build(
        &pool.program_id,
        admin_action(pool, admin),
        instruction::SetFees { fees },
    )
}

pub fn propose_admin(pool: &PoolAddresses, admin: &Pubkey, new_admin: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        admin_action(pool, admin),
        instruction::ProposeAdmin {
            args: ProposeAdminArgs {
                new_admin: *new_admin,
            },
        },
    )
}

pub fn accept_admin(pool: &PoolAddresses, pending_admin: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        accounts::AcceptAdmin {
            pending_admin: *pending_admin,
            pool: pool.pool,
        },
        instruction::AcceptAdmin {},
    )
}

pub fn set_operator(pool: &PoolAddresses, admin: &Pubkey, operator: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        admin_action(pool, admin),
        instruction::SetOperator {
            args: SetOperatorArgs {
                operator: *operator,
            },
        },
    )
}

pub fn set_treasury(pool: &PoolAddresses, admin: &Pubkey, treasury: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        accounts::SetTreasury {
            admin: *admin,
            pool: pool.pool,
            treasury: *treasury,
        },
        instruction::SetTreasury {},
    )
}

pub fn pause(pool: &PoolAddresses, admin: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        admin_action(pool, admin),
        instruction::Pause {},
    )
}

pub fn unpause(pool: &PoolAddresses, admin: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        admin_action(pool, admin),
        instruction::Unpause {},
    )
}

pub fn set_tip_rate_cap(
    pool: &PoolAddresses,
    admin: &Pubkey,
    tip_rate_cap_bps: u16,
) -> Instruction {
    build(
        &pool.program_id,
        admin_action(pool, admin),
        instruction::SetTipRateCap {
            args: SetTipRateCapArgs { tip_rate_cap_bps },
        },
    )
}

/// Changes the token's name, symbol or URI (those given); the admin pays any extra rent.
pub fn set_metadata(pool: &PoolAddresses, admin: &Pubkey, args: SetMetadataArgs) -> Instruction {
    build(
        &pool.program_id,
        accounts::SetMetadata {
            admin: *admin,
            pool: pool.pool,
            mint: pool.mint,
            authority: pool.authority,
            token_program: TOKEN_PROGRAM,
            system_program: system_program::ID,
        },
        instruction::SetMetadata { args },
    )
}
