//! The epoch crank, for anyone: read the pool, plan (`plan.rs`), send.

use anchor_lang::prelude::Pubkey;
use solana_sdk::epoch_rewards::EpochRewards;
use solana_sdk::sysvar;
use tributary::constants::JITO_TIP_DISTRIBUTION_PROGRAM_ID;
use tributary::events::{LossEvent, UpdatePoolEvent, UpdateValidatorsEvent};
use tributary::math::MoveBounds;
use tributary::state::{ListTotals, Pool, ValidatorEntry};

use super::plan;
use super::{Crank, PoolClient, Roll, TxOutcome};
use crate::transport::Transport;
use crate::{instructions, ClientError};

impl<T: Transport> PoolClient<T> {
    /// The epoch crank: unless the pool has rolled this epoch already (or the runtime is still
    /// paying the epoch's rewards, when the roll would be refused), updates every validator,
    /// packing as many into each transaction as its size and account limits allow, then rolls
    /// the pool; then mints the treasury's fee shares.
    pub async fn crank(&mut self) -> Result<Crank, ClientError> {
        let mut crank = Crank::default();
        if self.pool_state().await?.last_update_epoch < self.clock().await?.epoch {
            if self.epoch_rewards_active().await? {
                crank.roll = Roll::WaitingForRewards;
                return Ok(crank);
            }
            let mut outcomes = self.send_updates().await?;
            crank.update_transactions = outcomes.len();
            crank.updates = outcomes
                .iter()
                .flat_map(|outcome| outcome.events::<UpdateValidatorsEvent>())
                .collect();
            outcomes.push(self.update_pool().await?);
            crank.roll = outcomes
                .last()
                .and_then(|outcome| outcome.events::<UpdatePoolEvent>().pop())
                .map_or(Roll::Unreported, Roll::Rolled);
            crank.losses = outcomes
                .iter()
                .flat_map(|outcome| outcome.events::<LossEvent>())
                .collect();
        }
        self.mint_treasury_shares().await?;
        Ok(crank)
    }

    /// Updates every validator, as many per transaction as fit (through the pool's lookup tables
    /// when it has them); returns each transaction's event. Anyone may run it at any time: a
    /// stake account found short of what its entry recorded is counted as a loss at once.
    pub async fn update_validators(&mut self) -> Result<Vec<UpdateValidatorsEvent>, ClientError> {
        let outcomes = self.send_updates().await?;
        Ok(outcomes
            .iter()
            .flat_map(|outcome| outcome.events::<UpdateValidatorsEvent>())
            .collect())
    }

    /// `update_validators`' transactions, sent; their outcomes.
    pub(crate) async fn send_updates(&mut self) -> Result<Vec<TxOutcome>, ClientError> {
        let pool = *self.addresses()?;
        let payer = self.payer();
        let entries = self.validator_list().await?;
        let tables = self.lookup_tables().await?;
        let tables = plan::TableIndex::new(&tables);
        let batches = plan::update_batches(&pool, &entries, &payer, &tables);
        let mut outcomes = Vec::with_capacity(batches.len());
        for batch in &batches {
            let ixs = plan::update_transaction(&pool, batch.start, &entries[batch.clone()]);
            outcomes.push(
                self.send_through(&ixs, &[], &tables.for_instructions(&ixs))
                    .await?,
            );
        }
        Ok(outcomes)
    }

    pub async fn update_pool(&mut self) -> Result<TxOutcome, ClientError> {
        let ix = instructions::update_pool(self.addresses()?);
        self.send(&[ix], &[]).await
    }

    /// Mints the fee shares owed to the treasury. `None` when none are owed, or when the
    /// treasury's token account does not exist (its owner closed it): the shares stay owed.
    pub async fn mint_treasury_shares(&mut self) -> Result<Option<TxOutcome>, ClientError> {
        let pool = self.pool_state().await?;
        if pool.pending_treasury_shares == 0 || self.account(&pool.treasury).await?.is_none() {
            return Ok(None);
        }
        let ix = instructions::mint_treasury_shares(self.addresses()?, &pool.treasury);
        self.send(&[ix], &[]).await.map(Some)
    }

    /// Removes (as anyone may) every validator whose stake the Stake program has deactivated
    /// because it stopped voting. Returns the removals made.
    pub async fn remove_deactivated_validators(&mut self) -> Result<Vec<TxOutcome>, ClientError> {
        let pool = *self.addresses()?;
        let payer = self.payer();
        let mut outcomes = Vec::new();
        for (index, entry) in self.validator_list().await?.iter().enumerate() {
            if !entry.is_active() {
                continue;
            }
            let deactivated = self
                .stake_delegation(&entry.validator_stake)
                .await?
                .is_some_and(|delegation| delegation.deactivation_epoch != u64::MAX);
            if deactivated {
                let ix = instructions::remove_validator(&pool, &payer, &entry.vote, index as u32);
                outcomes.push(self.send(&[ix], &[]).await?);
            }
        }
        Ok(outcomes)
    }

    /// Scores every validator not scored this epoch yet, with its Jito tip-distribution account
    /// when it has one; returns the scores sent.
    pub async fn score_all(&mut self) -> Result<usize, ClientError> {
        let pool_addresses = *self.addresses()?;
        let epoch = self.clock().await?.epoch;
        let mut scored = 0;
        for (index, entry) in self.validator_list().await?.iter().enumerate() {
            if entry.score_epoch == epoch {
                continue;
            }
            let declared = self.tip_distribution_account(&entry.vote, epoch).await?;
            let ix = instructions::score_validator(
                &pool_addresses,
                &entry.vote,
                index as u32,
                declared.as_ref(),
            );
            self.send(&[ix], &[]).await?;
            scored += 1;
        }
        Ok(scored)
    }

    /// The Jito tip-distribution account of the validator voting with `vote` for `epoch`, else
    /// for the epoch before, when Jito's program holds one.
    pub async fn tip_distribution_account(
        &mut self,
        vote: &Pubkey,
        epoch: u64,
    ) -> Result<Option<Pubkey>, ClientError> {
        for epoch in [epoch, epoch.saturating_sub(1)] {
            let (address, _) = crate::pda::tip_distribution_account(vote, epoch);
            let account = self.account(&address).await?;
            if account.is_some_and(|account| account.owner == JITO_TIP_DISTRIBUTION_PROGRAM_ID) {
                return Ok(Some(address));
            }
        }
        Ok(None)
    }

    /// Whether the runtime is paying the epoch's rewards, in partitions, still.
    pub(crate) async fn epoch_rewards_active(&mut self) -> Result<bool, ClientError> {
        let rewards: EpochRewards = self.sysvar(&sysvar::epoch_rewards::ID).await?;
        Ok(rewards.active)
    }

    /// Removes the validators the Stake program deactivated, scores every validator, then moves
    /// each that is off its target towards it, the furthest off first, as far as the epoch's
    /// movement cap allows (and, while tickets are owed more than the reserve holds, unstakes
    /// for them first: stake not yet active, then active stake, in a paused pool too). Returns
    /// the rebalances made.
    pub async fn rebalance_all(&mut self) -> Result<Vec<TxOutcome>, ClientError> {
        self.rebalance(false).await
    }

    /// `rebalance_all`, or, `for_tickets_only`, only while tickets are owed more than the
    /// reserve and the stake on its way back hold (nothing is sent otherwise).
    pub(crate) async fn rebalance(
        &mut self,
        for_tickets_only: bool,
    ) -> Result<Vec<TxOutcome>, ClientError> {
        self.remove_deactivated_validators().await?;
        self.score_all().await?;
        let pool_addresses = *self.addresses()?;
        let mut outcomes = Vec::new();
        let pool = self.pool_state().await?;
        let epoch = self.clock().await?.epoch;
        let (header, entries) = self.validator_list_with_header().await?;
        let reserve = self.reserve_spendable().await?;
        let transient_rent = self.stake_account_rent().await?;
        let for_tickets = pool
            .uncovered_tickets(reserve, header.totals.unstaking_lamports, transient_rent)
            .map_err(ClientError::rule)?
            > 0;
        if for_tickets_only && !for_tickets {
            return Ok(outcomes);
        }
        let order = plan::rebalance_order(&pool, &header.totals, &entries, for_tickets);
        for index in order {
            // Each move changes the reserve, the movement left and what is unstaking: read
            // again, the list's header and this one entry only.
            let pool = self.pool_state().await?;
            let header = self.validator_list_header().await?;
            let entry = &self.validator_entry(index).await?;
            let bounds = self.move_bounds(&pool, &header.totals, entry).await?;
            if bounds.budget == 0 && bounds.uncovered_tickets == 0 {
                break;
            }
            if plan::rebalance_would_move(&pool, &header.totals, entry, &bounds, epoch) {
                let ix = instructions::rebalance(&pool_addresses, &entry.vote, index);
                outcomes.push(self.send(&[ix], &[]).await?);
            }
        }
        Ok(outcomes)
    }

    /// What bounds a rebalance of `entry` now, as the program computes it.
    pub(crate) async fn move_bounds(
        &mut self,
        pool: &Pool,
        totals: &ListTotals,
        entry: &ValidatorEntry,
    ) -> Result<MoveBounds, ClientError> {
        let plan = pool
            .rebalance_plan(totals, entry)
            .map_err(ClientError::rule)?;
        let transient_rent = self.stake_account_rent().await?;
        let reserve = self.reserve_spendable().await?;
        let delegated = self.delegation(&entry.validator_stake).await?;
        let minimum = self.minimum_delegation().await?;
        let epoch = self.clock().await?.epoch;
        pool.move_bounds(&plan, reserve, delegated, minimum, transient_rent, epoch)
            .map_err(ClientError::rule)
    }
}
