//! Addresses of a pool's accounts, derived from the program's own seed constants.

use anchor_lang::prelude::Pubkey;
use tributary::constants::{
    AUTHORITY_SEED, JITO_TIP_DISTRIBUTION_PROGRAM_ID, MEV_VAULT_SEED, MINT_SEED, POOL_TIP_ACCOUNTS,
    POOL_TIP_SEED, RESERVE_SEED, TIP_DISTRIBUTION_ACCOUNT_SEED, TRANSIENT_STAKE_SEED,
    VALIDATOR_LIST_SEED, VALIDATOR_STAKE_SEED,
};

fn find(program_id: &Pubkey, seed: &[u8], pool: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[seed, pool.as_ref()], program_id)
}

fn find_for_vote(program_id: &Pubkey, seed: &[u8], pool: &Pubkey, vote: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seed, pool.as_ref(), vote.as_ref()], program_id).0
}

/// The associated Token-2022 account of `owner` for the pool's mint.
pub fn token_account(owner: &Pubkey, mint: &Pubkey) -> Pubkey {
    spl_associated_token_account_interface::address::get_associated_token_address_with_program_id(
        owner,
        mint,
        &spl_token_2022_interface::ID,
    )
}

/// The Jito tip-distribution account of the validator voting with `vote` for `epoch`, and its
/// bump: where it declares its MEV commission for the epoch.
pub fn tip_distribution_account(vote: &Pubkey, epoch: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[
            TIP_DISTRIBUTION_ACCOUNT_SEED,
            vote.as_ref(),
            &epoch.to_le_bytes(),
        ],
        &JITO_TIP_DISTRIBUTION_PROGRAM_ID,
    )
}

/// Every PDA of one pool, under the program deployed at `program_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolAddresses {
    pub program_id: Pubkey,
    pub pool: Pubkey,
    pub authority: Pubkey,
    pub reserve: Pubkey,
    pub mint: Pubkey,
    pub validator_list: Pubkey,
}

impl PoolAddresses {
    /// The pool's addresses under the program's compiled id.
    pub fn new(pool: Pubkey) -> Self {
        Self::with_program(pool, tributary::ID)
    }

    /// The pool's addresses under the program deployed at `program_id` (a deployment of one's
    /// own, after `anchor keys sync`).
    pub fn with_program(pool: Pubkey, program_id: Pubkey) -> Self {
        Self {
            program_id,
            pool,
            authority: find(&program_id, AUTHORITY_SEED, &pool).0,
            reserve: find(&program_id, RESERVE_SEED, &pool).0,
            mint: find(&program_id, MINT_SEED, &pool).0,
            validator_list: find(&program_id, VALIDATOR_LIST_SEED, &pool).0,
        }
    }

    /// The stake account of the validator voting with `vote`.
    pub fn validator_stake(&self, vote: &Pubkey) -> Pubkey {
        find_for_vote(&self.program_id, VALIDATOR_STAKE_SEED, &self.pool, vote)
    }

    /// The transient stake account of the validator voting with `vote`.
    pub fn transient_stake(&self, vote: &Pubkey) -> Pubkey {
        find_for_vote(&self.program_id, TRANSIENT_STAKE_SEED, &self.pool, vote)
    }

    /// The MEV vault searchers tip for the blocks of the validator voting with `vote`.
    pub fn mev_vault(&self, vote: &Pubkey) -> Pubkey {
        find_for_vote(&self.program_id, MEV_VAULT_SEED, &self.pool, vote)
    }

    /// The pool's tip accounts not tied to a validator, in index order.
    pub fn tip_accounts(&self) -> Vec<Pubkey> {
        (0..POOL_TIP_ACCOUNTS)
            .map(|index| {
                let seeds: &[&[u8]] = &[POOL_TIP_SEED, self.pool.as_ref(), &[index]];
                Pubkey::find_program_address(seeds, &self.program_id).0
            })
            .collect()
    }

    /// The associated token account of `owner` for this pool's mint.
    pub fn token_account(&self, owner: &Pubkey) -> Pubkey {
        token_account(owner, &self.mint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_and_instruction_follows_the_program_id() {
        let pool = Pubkey::new_unique();
        let vote = Pubkey::new_unique();
        let own_program = Pubkey::new_unique();
        let compiled = PoolAddresses::new(pool);
        let own = PoolAddresses::with_program(pool, own_program);
        assert_eq!(compiled.program_id, tributary::ID);
        let pairs = [
            (compiled.authority, own.authority),
            (compiled.reserve, own.reserve),
            (compiled.mint, own.mint),
            (compiled.validator_list, own.validator_list),
            (compiled.validator_stake(&vote), own.validator_stake(&vote)),
            (compiled.transient_stake(&vote), own.transient_stake(&vote)),
            (compiled.mev_vault(&vote), own.mev_vault(&vote)),
            (compiled.tip_accounts()[0], own.tip_accounts()[0]),
        ];
        for (compiled, own) in pairs {
            assert_ne!(compiled, own);
        }
        let seeds: &[&[u8]] = &[MEV_VAULT_SEED, pool.as_ref(), vote.as_ref()];
        assert_eq!(
            own.mev_vault(&vote),
            Pubkey::find_program_address(seeds, &own_program).0
        );
        let admin = Pubkey::new_unique();
        assert_eq!(
            crate::instructions::pause(&own, &admin).program_id,
            own_program
        );
        assert_eq!(
            crate::instructions::pause(&compiled, &admin).program_id,
            tributary::ID
        );
    }
}
