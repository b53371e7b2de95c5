//! The in-process bank of solana-program-test, with the program run natively and Token-2022,
//! the associated-token and Stake programs as their real on-chain binaries.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::account_info::AccountInfo;
use anchor_lang::solana_program::entrypoint::ProgramResult;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::hash::Hash;
use solana_sdk::message::VersionedMessage;
use solana_sdk::rent::Rent;
use solana_sdk::signature::Keypair;
use solana_sdk::transaction::VersionedTransaction;

use anchor_lang::Discriminator;
use tributary::state::ValidatorList;

use super::{Landed, Simulated, Transport};
use crate::state::{check_validator_list, decode_lookup_table};
use crate::ClientError;

/// Hands Anchor's generated entry point the accounts with the single lifetime it wants.
fn process_instruction(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    data: &[u8],
) -> ProgramResult {
    fn call<'info>(
        program_id: &'info Pubkey,
        accounts: &'info [AccountInfo<'info>],
        data: &'info [u8],
    ) -> ProgramResult {
        tributary::entry(program_id, accounts, data)
    }
    // SAFETY: the runtime keeps the accounts alive for the whole call; only the lifetime
    // parameters change, to the shortest of the three borrows.
    let accounts =
        unsafe { std::mem::transmute::<&[AccountInfo<'_>], &[AccountInfo<'_>]>(accounts) };
    call(program_id, accounts, data)
}

/// The in-process bank logs every instruction at debug level unless told otherwise: errors
/// only, unless `RUST_LOG` says what to log. Call before the first bank starts.
pub fn quiet_bank_logs() {
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
}

/// A bank with the Tributary program loaded natively.
pub fn program_test() -> ProgramTest {
    // The bank's RPC layer opens a tracing span per request, which the `log` bridge turns into
    // log records while no tracing subscriber is set: a quarter of a busy run's time. Unless the
    // user set one, a subscriber that keeps nothing makes those spans free.
    if !tracing::dispatcher::has_been_set() {
        // Losing the race to a subscriber set meanwhile is fine: one is set either way.
        let _ =
            tracing::subscriber::set_global_default(tracing::subscriber::NoSubscriber::default());
    }
    let mut program_test =
        ProgramTest::new("tributary", tributary::ID, processor!(process_instruction));
    program_test.prefer_bpf(false);
    program_test
}

/// An in-process bank from solana-program-test, with the program loaded natively.
pub struct Bank {
    pub context: ProgramTestContext,
    /// After every transaction that lands, check each validator list it wrote against a walk
    /// over its entries (`check_validator_list`). On for tests; off where a run sends many
    /// transactions to a long list (`simulate`, benchmarks).
    pub check_validator_lists: bool,
}

impl Bank {
    /// The accounts `message` could write: its own, and those it loads from lookup tables.
    async fn writable_accounts(
        &mut self,
        message: &VersionedMessage,
    ) -> Result<Vec<Pubkey>, ClientError> {
        let mut writable: Vec<Pubkey> = (message.static_account_keys().iter().enumerate())
            .filter(|(index, _)| message.is_maybe_writable(*index, None))
            .map(|(_, key)| *key)
            .collect();
        for lookup in message.address_table_lookups().unwrap_or_default() {
            let table = self
                .context
                .banks_client
                .get_account(lookup.account_key)
                .await?
                .ok_or(ClientError::AccountNotFound(lookup.account_key))?;
            let addresses = decode_lookup_table(&table.data)?;
            for index in &lookup.writable_indexes {
                writable.extend(addresses.get(usize::from(*index)));
            }
        }
        Ok(writable)
    }

    /// The validator lists among the accounts `message` could write, checked.
    async fn check_lists_written(&mut self, message: &VersionedMessage) -> Result<(), ClientError> {
        for key in self.writable_accounts(message).await? {
            let Some(account) = self.context.banks_client.get_account(key).await? else {
                continue;
            };
            let is_list = account.owner == tributary::ID
                && account.data.starts_with(ValidatorList::DISCRIMINATOR);
            if is_list {
                check_validator_list(&account.data).map_err(|problem| {
                    ClientError::Invariant(format!("validator list {key}: {problem}"))
                })?;
            }
        }
        Ok(())
    }
}

impl Transport for Bank {
    fn payer(&self) -> &Keypair {
        &self.context.payer
    }

    async fn latest_blockhash(&mut self) -> Result<Hash, ClientError> {
        Ok(self.context.banks_client.get_latest_blockhash().await?)
    }

    async fn process(&mut self, transaction: VersionedTransaction) -> Result<Landed, ClientError> {
        let checked = self
            .check_validator_lists
            .then(|| transaction.message.clone());
        let result = self
            .context
            .banks_client
            .process_transaction_with_metadata(transaction)
            .await?;
        if let (Some(message), Ok(())) = (checked, &result.result) {
            self.check_lists_written(&message).await?;
        }
        let (logs, compute_units) = result
            .metadata
            .map(|meta| (meta.log_messages, meta.compute_units_consumed))
            .unwrap_or_default();
        match result.result {
            Ok(()) => Ok(Landed {
                logs,
                compute_units,
            }),
            Err(error) => Err(ClientError::Transaction { error, logs }),
        }
    }

    async fn next_slot(&mut self) -> Result<(), ClientError> {
        let slot = self.clock().await?.slot;
        self.context
            .warp_to_slot(slot + 1)
            .map_err(|err| ClientError::Warp(format!("{err:?}")))
    }

    async fn simulate(
        &mut self,
        transaction: VersionedTransaction,
    ) -> Result<Simulated, ClientError> {
        let simulation = self
            .context
            .banks_client
            .simulate_transaction(transaction)
            .await?;
        let (logs, compute_units, return_data) = match simulation.simulation_details {
            Some(details) => (
                details.logs,
                details.units_consumed,
                details.return_data.map(|return_data| return_data.data),
            ),
            None => (Vec::new(), 0, None),
        };
        match simulation.result {
            Some(Err(error)) => Err(ClientError::Transaction { error, logs }),
            _ => Ok(Simulated {
                logs,
                compute_units,
                return_data,
            }),
        }
    }

    async fn account(&mut self, address: &Pubkey) -> Result<Option<Account>, ClientError> {
        Ok(self.context.banks_client.get_account(*address).await?)
    }

    async fn account_data_slice(
        &mut self,
        address: &Pubkey,
        offset: usize,
        length: usize,
    ) -> Result<Option<Vec<u8>>, ClientError> {
        let account = self.context.banks_client.get_account(*address).await?;
        Ok(account.map(|account| {
            let data = account.data.get(offset..).unwrap_or_default();
            data[..length.min(data.len())].to_vec()
        }))
    }

    async fn program_accounts(
        &mut self,
        _program: &Pubkey,
        _filters: &[(usize, Vec<u8>)],
    ) -> Result<Vec<(Pubkey, Account)>, ClientError> {
        Err(ClientError::NotServed(
            "the in-process bank cannot list a program's accounts".into(),
        ))
    }

    async fn rent(&mut self) -> Result<Rent, ClientError> {
        Ok(self.context.banks_client.get_rent().await?)
    }

    async fn clock(&mut self) -> Result<Clock, ClientError> {
        Ok(self.context.banks_client.get_sysvar::<Clock>().await?)
    }
}
