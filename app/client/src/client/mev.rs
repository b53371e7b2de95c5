//! Tips and their distribution, and validators' MEV commissions.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::system_instruction;
use solana_sdk::signature::{Keypair, Signer};
use tributary::instructions::SetMevCommissionArgs;
use tributary::state::ValidatorEntry;

use super::{PoolClient, TxOutcome};
use crate::pda::PoolAddresses;
use crate::state::decode_mev_vault;
use crate::transport::Transport;
use crate::{instructions, ClientError};

impl<T: Transport> PoolClient<T> {
    /// A searcher's tip: a plain system transfer to a vault.
    pub async fn tip(
        &mut self,
        searcher: &Keypair,
        vault: &Pubkey,
        lamports: u64,
    ) -> Result<TxOutcome, ClientError> {
        let ix = system_instruction::transfer(&searcher.pubkey(), vault, lamports);
        self.send(&[ix], &[searcher]).await
    }

    /// Distributes the tips in `vault`, paying the commission to the declared payout account.
    pub async fn distribute(&mut self, vault: &Pubkey) -> Result<TxOutcome, ClientError> {
        let vote = self.mev_vault(vault).await?.vote;
        // A pool tip account or a removed validator has no entry; any index will do.
        let index = self.validator_index(&vote).await.unwrap_or(0);
        self.distribute_at(vault, index).await
    }

    /// Distributes the tips in `vault`, whose validator is the list's entry at `index`.
    async fn distribute_at(
        &mut self,
        vault: &Pubkey,
        index: u32,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.addresses()?;
        let state = self.mev_vault(vault).await?;
        let payout = if state.payout == Pubkey::default() {
            self.payer()
        } else {
            state.payout
        };
        let ix = instructions::distribute(&pool, vault, &payout, index);
        self.send(&[ix], &[]).await
    }

    /// Distributes every vault that holds tips: the validators' and the pool's own. Returns the
    /// distributions made; what the rate cap holds back waits for a later epoch.
    pub async fn distribute_all(&mut self) -> Result<Vec<TxOutcome>, ClientError> {
        self.distribute_above(0).await
    }

    /// Collects what reached the stake account of the validator voting with `vote` above its
    /// delegation: its MEV to the stakers.
    pub async fn collect_stake_tips(&mut self, vote: &Pubkey) -> Result<TxOutcome, ClientError> {
        let index = self.validator_index(vote).await?;
        let ix = instructions::collect_stake_tips(self.addresses()?, vote, index);
        self.send(&[ix], &[]).await
    }

    /// Collects the stake-account tips of every validator holding more than `threshold`
    /// lamports of them, then distributes every vault holding more than `threshold` lamports of
    /// tips that the program would act on: tips that arrived since its last distribution (split
    /// now, whatever the tip rate cap, so each pays the commission in force as it arrived), or
    /// tips held back while the cap leaves the stakers room this epoch. Returns the collections
    /// and distributions made.
    pub async fn distribute_above(
        &mut self,
        threshold: u64,
    ) -> Result<Vec<TxOutcome>, ClientError> {
        let pool = *self.addresses()?;
        let entries = self.validator_list().await?;
        let mut outcomes = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            if self.stake_account_tips(entry).await? > threshold {
                let ix = instructions::collect_stake_tips(&pool, &entry.vote, index as u32);
                outcomes.push(self.send(&[ix], &[]).await?);
            }
        }
        let mut waiting_vaults = Vec::new();
        for (vault, index) in Self::tip_vaults(&pool, &entries) {
            // A vault not created yet holds no tips.
            if self.account(&vault).await?.is_none() {
                continue;
            }
            let (state, waiting) = self.tip_account(&vault).await?;
            if waiting > threshold {
                let arrived = waiting.saturating_sub(state.held());
                waiting_vaults.push((vault, index, state.held_to_stakers, arrived));
            }
        }
        // The tip rate cap goes first to the tips it held back, the most first, then to new
        // ones: no vault's tips wait while another's take the cap epoch after epoch.
        waiting_vaults.sort_by_key(|&(_, _, held, _)| std::cmp::Reverse(held));
        for (vault, index, held, arrived) in waiting_vaults {
            let allowance = self.pool_state().await?.tips.allowance();
            let room = allowance.map_err(ClientError::rule)? > 0;
            if arrived > 0 || (room && held > 0) {
                outcomes.push(self.distribute_at(&vault, index).await?);
            }
        }
        Ok(outcomes)
    }

    /// Every account searchers tip: each validator's vault, with its index in the list, and the
    /// pool's own tip accounts (no entry; any index will do).
    fn tip_vaults(pool: &PoolAddresses, entries: &[ValidatorEntry]) -> Vec<(Pubkey, u32)> {
        let mut vaults: Vec<(Pubkey, u32)> = (entries.iter().enumerate())
            .map(|(index, entry)| (pool.mev_vault(&entry.vote), index as u32))
            .collect();
        vaults.extend(pool.tip_accounts().into_iter().map(|vault| (vault, 0)));
        vaults
    }

    /// The stakers' part of the tips split already and held back by the tip rate cap, over
    /// every tip account: what waits for the cap to leave room, from the next epoch.
    pub async fn held_back_tips(&mut self) -> Result<u64, ClientError> {
        let pool = *self.addresses()?;
        let entries = self.validator_list().await?;
        let mut held = 0u64;
        for (vault, _) in Self::tip_vaults(&pool, &entries) {
            if let Some(account) = self.account(&vault).await? {
                held = held.saturating_add(decode_mev_vault(&account.data)?.held_to_stakers);
            }
        }
        Ok(held)
    }

    /// Declares the MEV commission of the validator voting with `vote`.
    pub async fn set_mev_commission(
        &mut self,
        withdrawer: &Keypair,
        vote: &Pubkey,
        commission_bps: u16,
        payout: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_mev_commission(
            self.addresses()?,
            &withdrawer.pubkey(),
            vote,
            SetMevCommissionArgs {
                commission_bps,
                payout: *payout,
            },
        );
        self.send(&[ix], &[withdrawer]).await
    }
}
