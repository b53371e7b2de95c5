//! Stakers' calls: SOL and stake in and out, tickets.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::instructions::{
    DepositSolArgs, DepositStakeArgs, WithdrawSolArgs, WithdrawStakeArgs,
};

use super::{PoolClient, TxOutcome};
use crate::transport::Transport;
use crate::{instructions, ClientError};

impl<T: Transport> PoolClient<T> {
    /// Deposits SOL, creating the depositor's token account first when it has none.
    pub async fn deposit_sol(
        &mut self,
        depositor: &Keypair,
        lamports: u64,
        min_shares_out: u64,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.addresses()?;
        let token_account = pool.token_account(&depositor.pubkey());
        let create_token_account = self.account_data(&token_account).await?.is_none();
        let args = DepositSolArgs {
            lamports,
            min_shares_out,
        };
        let ixs = instructions::deposit_sol_into_token_account(
            &pool,
            &depositor.pubkey(),
            &token_account,
            args,
            create_token_account,
        );
        self.send(&ixs, &[depositor]).await
    }

    pub async fn withdraw_sol(
        &mut self,
        owner: &Keypair,
        shares: u64,
        min_lamports_out: u64,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.addresses()?;
        let ix = instructions::withdraw_sol(
            &pool,
            &owner.pubkey(),
            &pool.token_account(&owner.pubkey()),
            WithdrawSolArgs {
                shares,
                min_lamports_out,
            },
        );
        self.send(&[ix], &[owner]).await
    }

    /// Deposits `stake_account`, an active stake account of `depositor` delegated to `vote`:
    /// hands its authorities to the pool and deposits it in one transaction.
    pub async fn deposit_stake(
        &mut self,
        depositor: &Keypair,
        stake_account: &Pubkey,
        vote: &Pubkey,
        min_shares_out: u64,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.addresses()?;
        let args = DepositStakeArgs {
            validator_index: self.validator_index(vote).await?,
            min_shares_out,
        };
        let token_account = pool.token_account(&depositor.pubkey());
        let mut ixs =
            instructions::authorize_stake_to_pool(&pool, &depositor.pubkey(), stake_account);
        if self.account_data(&token_account).await?.is_none() {
            ixs.push(instructions::create_token_account(
                &depositor.pubkey(),
                &depositor.pubkey(),
                &pool.mint,
            ));
        }
        ixs.push(instructions::deposit_stake(
            &pool,
            &depositor.pubkey(),
            stake_account,
            vote,
            &token_account,
            args,
        ));
        self.send(&ixs, &[depositor]).await
    }

    /// Withdraws `shares` as a new stake account split off `vote`'s stake; returns its address.
    /// A stake account found short of what the pool counted is updated first, so the loss is
    /// counted before the price (the program refuses otherwise).
    pub async fn withdraw_stake(
        &mut self,
        owner: &Keypair,
        vote: &Pubkey,
        shares: u64,
        min_lamports_out: u64,
    ) -> Result<(Pubkey, TxOutcome), ClientError> {
        let pool = *self.addresses()?;
        let index = self.validator_index(vote).await?;
        let entry = self.validator_entry(index).await?;
        if entry.loss_uncounted(self.balance(&entry.validator_stake).await?) {
            self.send_updates().await?;
        }
        let args = WithdrawStakeArgs {
            validator_index: index,
            shares,
            min_lamports_out,
        };
        let destination = Keypair::new();
        let ixs = [
            instructions::create_stake_account(
                &owner.pubkey(),
                &destination.pubkey(),
                self.stake_account_rent().await?,
            ),
            instructions::withdraw_stake(
                &pool,
                &owner.pubkey(),
                vote,
                &destination.pubkey(),
                &pool.token_account(&owner.pubkey()),
                args,
            ),
        ];
        let outcome = self.send(&ixs, &[owner, &destination]).await?;
        Ok((destination.pubkey(), outcome))
    }

    /// Orders a delayed unstake of `shares`; returns the new ticket's address.
    pub async fn order_unstake(
        &mut self,
        owner: &Keypair,
        shares: u64,
    ) -> Result<(Pubkey, TxOutcome), ClientError> {
        let pool = *self.addresses()?;
        let ticket = Keypair::new();
        let ix = instructions::order_unstake(
            &pool,
            &owner.pubkey(),
            &ticket.pubkey(),
            &pool.token_account(&owner.pubkey()),
            shares,
        );
        let outcome = self.send(&[ix], &[owner, &ticket]).await?;
        Ok((ticket.pubkey(), outcome))
    }

    pub async fn claim_ticket(
        &mut self,
        owner: &Keypair,
        ticket: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::claim_ticket(self.addresses()?, &owner.pubkey(), ticket);
        self.send(&[ix], &[owner]).await
    }

    pub async fn transfer_ticket(
        &mut self,
        owner: &Keypair,
        ticket: &Pubkey,
        new_owner: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix =
            instructions::transfer_ticket(self.addresses()?, &owner.pubkey(), ticket, new_owner);
        self.send(&[ix], &[owner]).await
    }

    /// Creates `owner`'s token account for the pool's mint (idempotent).
    pub async fn create_token_account(&mut self, owner: &Pubkey) -> Result<Pubkey, ClientError> {
        let pool = *self.addresses()?;
        let ix = instructions::create_token_account(&self.payer(), owner, &pool.mint);
        self.send(&[ix], &[]).await?;
        Ok(pool.token_account(owner))
    }
}
