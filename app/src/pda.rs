//! Addresses of a pool's accounts, derived from the program's own seed constants.

use anchor_lang::prelude::Pubkey;
use tributary::constants::{
    AUTHORITY_SEED, MEV_VAULT_SEED, MINT_SEED, POOL_TIP_ACCOUNTS, POOL_TIP_SEED, RESERVE_SEED,
    TRANSIENT_STAKE_SEED, VALIDATOR_LIST_SEED, VALIDATOR_STAKE_SEED,
};

fn find(seed: &[u8], pool: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[seed, pool.as_ref()], &tributary::ID)
}

pub fn find_authority(pool: &Pubkey) -> (Pubkey, u8) {
    find(AUTHORITY_SEED, pool)
}

pub fn find_reserve(pool: &Pubkey) -> (Pubkey, u8) {
    find(RESERVE_SEED, pool)
}

pub fn find_mint(pool: &Pubkey) -> (Pubkey, u8) {
    find(MINT_SEED, pool)
}

pub fn find_validator_list(pool: &Pubkey) -> (Pubkey, u8) {
    find(VALIDATOR_LIST_SEED, pool)
}

/// The stake account of the validator voting with `vote`.
pub fn find_validator_stake(pool: &Pubkey, vote: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[VALIDATOR_STAKE_SEED, pool.as_ref(), vote.as_ref()],
        &tributary::ID,
    )
}

/// The transient stake account of the validator voting with `vote`.
pub fn find_transient_stake(pool: &Pubkey, vote: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[TRANSIENT_STAKE_SEED, pool.as_ref(), vote.as_ref()],
        &tributary::ID,
    )
}

/// The MEV vault searchers tip for the blocks of the validator voting with `vote`.
pub fn find_mev_vault(pool: &Pubkey, vote: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[MEV_VAULT_SEED, pool.as_ref(), vote.as_ref()],
        &tributary::ID,
    )
}

/// The pool's tip accounts not tied to a validator, in index order.
pub fn find_pool_tip_accounts(pool: &Pubkey) -> Vec<Pubkey> {
    (0..POOL_TIP_ACCOUNTS)
        .map(|index| {
            Pubkey::find_program_address(&[POOL_TIP_SEED, pool.as_ref(), &[index]], &tributary::ID)
                .0
        })
        .collect()
}

/// The associated Token-2022 account of `owner` for the pool's mint.
pub fn token_account(owner: &Pubkey, mint: &Pubkey) -> Pubkey {
    spl_associated_token_account_interface::address::get_associated_token_address_with_program_id(
        owner,
        mint,
        &spl_token_2022_interface::ID,
    )
}

/// Every PDA of one pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolAddresses {
    pub pool: Pubkey,
    pub authority: Pubkey,
    pub reserve: Pubkey,
    pub mint: Pubkey,
    pub validator_list: Pubkey,
}

impl PoolAddresses {
    pub fn new(pool: Pubkey) -> Self {
        Self {
            pool,
            authority: find_authority(&pool).0,
            reserve: find_reserve(&pool).0,
            mint: find_mint(&pool).0,
            validator_list: find_validator_list(&pool).0,
        }
    }

    /// The associated token account of `owner` for this pool's mint.
    pub fn token_account(&self, owner: &Pubkey) -> Pubkey {
        token_account(owner, &self.mint)
    }
}
