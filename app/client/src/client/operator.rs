//! The operator's calls: validators, their stake, the strategy.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};
use tributary::instructions::{SetWeightArgs, ValidatorStakeArgs};
use tributary::state::{Strategy, ValidatorList};

use super::{PoolClient, TxOutcome};
use crate::pda::PoolAddresses;
use crate::state::decode_validator_list;
use crate::transport::Transport;
use crate::{instructions, ClientError};

impl<T: Transport> PoolClient<T> {
    /// Grows the validator list by one step (10 KiB), paid by the bank's payer.
    pub async fn realloc_validator_list(&mut self) -> Result<TxOutcome, ClientError> {
        let ix = instructions::realloc_validator_list(self.addresses()?, &self.payer());
        self.send(&[ix], &[]).await
    }

    /// Adds a validator, growing the list first when it is full.
    pub async fn add_validator(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let pool = *self.addresses()?;
        let data = self.require_account_data(&pool.validator_list).await?;
        let (header, _) = decode_validator_list(&data)?;
        if ValidatorList::capacity(data.len()) <= header.validator_count as usize {
            self.realloc_validator_list().await?;
        }
        let ix = instructions::add_validator(&pool, &operator.pubkey(), vote);
        self.send(&[ix], &[operator]).await
    }

    pub async fn increase_validator_stake(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
        lamports: u64,
    ) -> Result<TxOutcome, ClientError> {
        let build = instructions::increase_validator_stake;
        self.move_validator_stake(operator, vote, lamports, build)
            .await
    }

    pub async fn decrease_validator_stake(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
        lamports: u64,
    ) -> Result<TxOutcome, ClientError> {
        let build = instructions::decrease_validator_stake;
        self.move_validator_stake(operator, vote, lamports, build)
            .await
    }

    async fn move_validator_stake(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
        lamports: u64,
        build: fn(&PoolAddresses, &Pubkey, &Pubkey, ValidatorStakeArgs) -> Instruction,
    ) -> Result<TxOutcome, ClientError> {
        let args = ValidatorStakeArgs {
            validator_index: self.validator_index(vote).await?,
            lamports,
        };
        let ix = build(self.addresses()?, &operator.pubkey(), vote, args);
        self.send(&[ix], &[operator]).await
    }

    pub async fn remove_validator(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let index = self.validator_index(vote).await?;
        let ix = instructions::remove_validator(self.addresses()?, &operator.pubkey(), vote, index);
        self.send(&[ix], &[operator]).await
    }

    pub async fn set_strategy(
        &mut self,
        operator: &Keypair,
        strategy: Strategy,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_strategy(self.addresses()?, &operator.pubkey(), strategy);
        self.send(&[ix], &[operator]).await
    }

    pub async fn set_weight(
        &mut self,
        operator: &Keypair,
        vote: &Pubkey,
        weight: u32,
    ) -> Result<TxOutcome, ClientError> {
        let args = SetWeightArgs {
            validator_index: self.validator_index(vote).await?,
            vote: *vote,
            weight,
        };
        let ix = instructions::set_weight(self.addresses()?, &operator.pubkey(), args);
        self.send(&[ix], &[operator]).await
    }
}
