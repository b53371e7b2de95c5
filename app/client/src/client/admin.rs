//! The admin's calls, and creating a pool.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::instructions::{InitializePoolArgs, SetMetadataArgs};
use tributary::state::Fees;

use super::{PoolClient, TxOutcome};
use crate::pda::PoolAddresses;
use crate::transport::Transport;
use crate::{instructions, ClientError};

impl<T: Transport> PoolClient<T> {
    pub async fn initialize_pool(
        &mut self,
        admin: &Keypair,
        pool: &Keypair,
        treasury_owner: &Pubkey,
        args: InitializePoolArgs,
    ) -> Result<TxOutcome, ClientError> {
        let addresses = PoolAddresses::with_program(pool.pubkey(), self.program_id());
        let ix = instructions::initialize_pool(&admin.pubkey(), &addresses, treasury_owner, args);
        let outcome = self.send(&[ix], &[admin, pool]).await?;
        self.use_pool(pool.pubkey());
        Ok(outcome)
    }

    /// Creates the pool's tip accounts not tied to a validator, paid by the bank's payer.
    pub async fn create_pool_tip_accounts(&mut self) -> Result<TxOutcome, ClientError> {
        let ix = instructions::create_pool_tip_accounts(self.addresses()?, &self.payer());
        self.send(&[ix], &[]).await
    }

    pub async fn set_fees(
        &mut self,
        admin: &Keypair,
        fees: Fees,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_fees(self.addresses()?, &admin.pubkey(), fees);
        self.send(&[ix], &[admin]).await
    }

    pub async fn propose_admin(
        &mut self,
        admin: &Keypair,
        new_admin: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::propose_admin(self.addresses()?, &admin.pubkey(), new_admin);
        self.send(&[ix], &[admin]).await
    }

    pub async fn accept_admin(
        &mut self,
        pending_admin: &Keypair,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::accept_admin(self.addresses()?, &pending_admin.pubkey());
        self.send(&[ix], &[pending_admin]).await
    }

    pub async fn set_operator(
        &mut self,
        admin: &Keypair,
        operator: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_operator(self.addresses()?, &admin.pubkey(), operator);
        self.send(&[ix], &[admin]).await
    }

    pub async fn set_treasury(
        &mut self,
        admin: &Keypair,
        treasury: &Pubkey,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_treasury(self.addresses()?, &admin.pubkey(), treasury);
        self.send(&[ix], &[admin]).await
    }

    /// Changes the token's name, symbol or URI (those given); the admin pays any extra rent.
    pub async fn set_metadata(
        &mut self,
        admin: &Keypair,
        args: SetMetadataArgs,
    ) -> Result<TxOutcome, ClientError> {
        let ix = instructions::set_metadata(self.addresses()?, &admin.pubkey(), args);
        self.send(&[ix], &[admin]).await
    }

    pub async fn pause(&mut self, admin: &Keypair) -> Result<TxOutcome, ClientError> {
        let ix = instructions::pause(self.addresses()?, &admin.pubkey());
        self.send(&[ix], &[admin]).await
    }

    pub async fn unpause(&mut self, admin: &Keypair) -> Result<TxOutcome, ClientError> {
        let ix = instructions::unpause(self.addresses()?, &admin.pubkey());
        self.send(&[ix], &[admin]).await
    }
}
