//! Setting a pool up, and the token accounts its stakers need.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::system_program;
use tributary::constants::DEFAULT_TIP_RATE_CAP_BPS;
use tributary::instructions::InitializePoolArgs;
use tributary::state::Fees;
use tributary::{accounts, instruction};

use super::{build, TOKEN_PROGRAM};
use crate::pda::PoolAddresses;

/// The token's name and symbol when none is given.
pub const DEFAULT_TOKEN_NAME: &str = "Tributary Staked SOL";
pub const DEFAULT_TOKEN_SYMBOL: &str = "trSOL";

/// A pool's settings with the default token (no URI) and tip rate cap.
pub fn default_pool_args(operator: Pubkey, fees: Fees) -> InitializePoolArgs {
    InitializePoolArgs {
        operator,
        fees,
        tip_rate_cap_bps: DEFAULT_TIP_RATE_CAP_BPS,
        name: DEFAULT_TOKEN_NAME.into(),
        symbol: DEFAULT_TOKEN_SYMBOL.into(),
        uri: String::new(),
    }
}

/// Creates the pool at the address of the `pool` keypair, which must sign with `admin`.
pub fn initialize_pool(
    admin: &Pubkey,
    pool: &PoolAddresses,
    treasury_owner: &Pubkey,
    args: InitializePoolArgs,
) -> Instruction {
    build(
        &pool.program_id,
        accounts::InitializePool {
            admin: *admin,
            pool: pool.pool,
            authority: pool.authority,
            reserve: pool.reserve,
            validator_list: pool.validator_list,
            mint: pool.mint,
            treasury_owner: *treasury_owner,
            treasury: pool.token_account(treasury_owner),
            token_program: TOKEN_PROGRAM,
            associated_token_program: spl_associated_token_account_interface::program::ID,
            system_program: system_program::ID,
        },
        instruction::InitializePool { args },
    )
}

/// Creates the pool's tip accounts not tied to a validator, paid by `payer`.
pub fn create_pool_tip_accounts(pool: &PoolAddresses, payer: &Pubkey) -> Instruction {
    let mut ix = build(
        &pool.program_id,
        accounts::CreatePoolTipAccounts {
            payer: *payer,
            pool: pool.pool,
            system_program: system_program::ID,
        },
        instruction::CreatePoolTipAccounts {},
    );
    ix.accounts.extend(
        pool.tip_accounts()
            .into_iter()
            .map(|tip_account| AccountMeta::new(tip_account, false)),
    );
    ix
}

pub fn realloc_validator_list(pool: &PoolAddresses, payer: &Pubkey) -> Instruction {
    build(
        &pool.program_id,
        accounts::ReallocValidatorList {
            payer: *payer,
            pool: pool.pool,
            validator_list: pool.validator_list,
            system_program: system_program::ID,
        },
        instruction::ReallocValidatorList {},
    )
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
