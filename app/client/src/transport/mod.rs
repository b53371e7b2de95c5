//! Where `PoolClient`'s transactions go: a cluster over JSON-RPC (the CLI, keepers, dApps) or,
//! with the `bank` feature, an in-process bank (the tests and `simulate`). Both give the same
//! answers, so one client serves both.

use anchor_lang::prelude::Pubkey;
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::hash::Hash;
use solana_sdk::rent::Rent;
use solana_sdk::signature::Keypair;
use solana_sdk::transaction::VersionedTransaction;

use crate::ClientError;

#[cfg(feature = "bank")]
mod bank;
mod rpc;

#[cfg(feature = "bank")]
pub use bank::{program_test, quiet_bank_logs, Bank};
pub use rpc::Rpc;

/// What a landed transaction logged and the compute units it used.
pub struct Landed {
    pub logs: Vec<String>,
    pub compute_units: u64,
}

/// What a transaction would do, simulated without landing.
pub struct Simulated {
    pub logs: Vec<String>,
    pub compute_units: u64,
    pub return_data: Option<Vec<u8>>,
}

/// A bank or cluster that `PoolClient` reads accounts from and sends transactions to.
// Used through generics only, never as a trait object, so the futures need no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// The keypair that pays every transaction's fee.
    fn payer(&self) -> &Keypair;
    async fn latest_blockhash(&mut self) -> Result<Hash, ClientError>;
    /// Sends a signed transaction (legacy, or v0 through address lookup tables) and waits until
    /// it has landed. A refused transaction gives `ClientError::Transaction` with its logs.
    async fn process(&mut self, transaction: VersionedTransaction) -> Result<Landed, ClientError>;
    /// Waits until the next slot, when addresses just added to a lookup table can be used.
    async fn next_slot(&mut self) -> Result<(), ClientError>;
    /// Runs a signed transaction without landing it. A transaction it would refuse gives
    /// `ClientError::Transaction` with its logs.
    async fn simulate(
        &mut self,
        transaction: VersionedTransaction,
    ) -> Result<Simulated, ClientError>;
    async fn account(&mut self, address: &Pubkey) -> Result<Option<Account>, ClientError>;
    /// `length` bytes of the account's data from `offset` (fewer where it ends): a long
    /// account's header or one of its records, without moving the rest over the wire.
    async fn account_data_slice(
        &mut self,
        address: &Pubkey,
        offset: usize,
        length: usize,
    ) -> Result<Option<Vec<u8>>, ClientError>;
    /// The accounts `program` owns whose data holds each `(offset, bytes)` of `filters`
    /// (`getProgramAccounts` with memcmp filters). The in-process bank cannot list accounts.
    async fn program_accounts(
        &mut self,
        program: &Pubkey,
        filters: &[(usize, Vec<u8>)],
    ) -> Result<Vec<(Pubkey, Account)>, ClientError>;
    async fn rent(&mut self) -> Result<Rent, ClientError>;
    async fn clock(&mut self) -> Result<Clock, ClientError>;
}
