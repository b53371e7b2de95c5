//! The pool's address lookup tables, through which the crank's v0 transactions load the stake
//! accounts: one account-lock each and one byte on the wire, where a legacy transaction spends
//! 32 bytes per account. The pool names a directory table (`Pool::lookup_table`) whose addresses
//! are its data tables; the first data table holds the crank's fixed accounts, and every table
//! the two stake accounts of validators, in the order they were added.

use anchor_lang::prelude::Pubkey;
use solana_address_lookup_table_interface::instruction::{
    create_lookup_table, derive_lookup_table_address, extend_lookup_table,
};
use solana_address_lookup_table_interface::state::LOOKUP_TABLE_MAX_ADDRESSES;
use solana_sdk::message::AddressLookupTableAccount;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::slot_hashes::SlotHashes;
use solana_sdk::sysvar;

use super::{plan, PoolClient};
use crate::state::active_lookup_table;
use crate::transport::Transport;
use crate::{instructions, ClientError};

/// Addresses one extension adds: what fits a transaction beside its signatures and accounts.
const ADDRESSES_PER_EXTENSION: usize = 24;

/// What `sync_lookup_tables` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LookupTables {
    /// The table listing the pool's tables.
    pub directory: Pubkey,
    /// The pool's tables.
    pub tables: Vec<Pubkey>,
    /// Addresses the tables hold.
    pub addresses: usize,
    /// Tables created by this call, the directory among them.
    pub created: usize,
    /// Addresses added by this call.
    pub added: usize,
}

impl<T: Transport> PoolClient<T> {
    /// The pool's lookup tables with the addresses they hold; none when the pool names no
    /// directory, or it has been closed. Whatever the directory holds, the crank goes on: an
    /// address that is not a lookup table, or a table being deactivated (soon unusable), is
    /// passed over, and what no table holds goes in the transactions themselves.
    pub async fn lookup_tables(&mut self) -> Result<Vec<AddressLookupTableAccount>, ClientError> {
        let directory = self.pool_state().await?.lookup_table;
        if directory == Pubkey::default() {
            return Ok(Vec::new());
        }
        let Some(listed) = self.lookup_table(&directory).await? else {
            return Ok(Vec::new());
        };
        let mut tables = Vec::with_capacity(listed.addresses.len());
        for key in listed.addresses {
            tables.extend(self.lookup_table(&key).await?);
        }
        Ok(tables)
    }

    /// The active lookup table at `key`, if there is one.
    async fn lookup_table(
        &mut self,
        key: &Pubkey,
    ) -> Result<Option<AddressLookupTableAccount>, ClientError> {
        let Some(account) = self.account(key).await? else {
            return Ok(None);
        };
        if account.owner != solana_address_lookup_table_interface::program::ID {
            return Ok(None);
        }
        Ok(
            active_lookup_table(&account.data).map(|addresses| AddressLookupTableAccount {
                key: *key,
                addresses,
            }),
        )
    }

    /// Brings the pool's lookup tables up to its validators (operator, who owns the tables and
    /// pays for them): creates the directory and names it in the pool the first time, adds the
    /// stake accounts of validators added since, creating tables as they fill. Waits a slot
    /// after adding, so the crank can use them at once.
    pub async fn sync_lookup_tables(
        &mut self,
        operator: &Keypair,
    ) -> Result<LookupTables, ClientError> {
        // Checked before any table is made: the pool would refuse to name it.
        let pool = self.pool_state().await?;
        if pool.operator != operator.pubkey() {
            return Err(ClientError::NotOperator(operator.pubkey()));
        }
        let mut sync = LookupTables {
            directory: pool.lookup_table,
            ..LookupTables::default()
        };
        if sync.directory == Pubkey::default() {
            sync.directory = self.create_lookup_table(operator).await?;
            sync.created += 1;
            let ix = instructions::set_lookup_table(
                self.addresses()?,
                &operator.pubkey(),
                &sync.directory,
            );
            self.send(&[ix], &[operator]).await?;
        }
        let mut tables = self.lookup_tables().await?;
        let held: std::collections::HashSet<Pubkey> = tables
            .iter()
            .flat_map(|table| table.addresses.iter().copied())
            .collect();
        let missing: Vec<Pubkey> = self
            .crank_addresses()
            .await?
            .into_iter()
            .filter(|address| !held.contains(address))
            .collect();
        for chunk in missing.chunks(ADDRESSES_PER_EXTENSION) {
            let room = |table: &AddressLookupTableAccount| {
                LOOKUP_TABLE_MAX_ADDRESSES - table.addresses.len()
            };
            if tables.last().is_none_or(|table| room(table) < chunk.len()) {
                let key = self.create_lookup_table(operator).await?;
                self.extend_lookup_table(operator, &sync.directory, &[key])
                    .await?;
                tables.push(AddressLookupTableAccount {
                    key,
                    addresses: Vec::new(),
                });
                sync.created += 1;
            }
            let table = tables
                .last_mut()
                .expect("a table with room was just made sure of");
            self.extend_lookup_table(operator, &table.key, chunk)
                .await?;
            table.addresses.extend_from_slice(chunk);
            sync.added += chunk.len();
        }
        if sync.added > 0 {
            self.transport.next_slot().await?;
            self.forget_blockhash();
        }
        sync.tables = tables.iter().map(|table| table.key).collect();
        sync.addresses = tables.iter().map(|table| table.addresses.len()).sum();
        Ok(sync)
    }

    /// The accounts the crank's `update_validators` transactions take: its fixed accounts, then
    /// each validator's stake and transient stake accounts.
    async fn crank_addresses(&mut self) -> Result<Vec<Pubkey>, ClientError> {
        let pool = *self.addresses()?;
        let [_, update] = plan::update_transaction(&pool, 0, &[]);
        let mut addresses: Vec<Pubkey> = update.accounts.iter().map(|meta| meta.pubkey).collect();
        for entry in self.validator_list().await? {
            addresses.extend([entry.validator_stake, entry.transient_stake]);
        }
        Ok(addresses)
    }

    /// A new, empty lookup table owned by `authority`, who need not sign for it. Its address
    /// comes from the authority and a recent slot: the first slot whose table does not exist
    /// yet, waiting for a new slot when every recent one has been used.
    async fn create_lookup_table(&mut self, authority: &Keypair) -> Result<Pubkey, ClientError> {
        loop {
            for slot in self.recent_slots().await? {
                let (table, _) = derive_lookup_table_address(&authority.pubkey(), slot);
                if self.account(&table).await?.is_none() {
                    let (ix, _) = create_lookup_table(authority.pubkey(), self.payer(), slot);
                    self.send(&[ix], &[]).await?;
                    return Ok(table);
                }
            }
            self.transport.next_slot().await?;
            self.forget_blockhash();
        }
    }

    async fn extend_lookup_table(
        &mut self,
        authority: &Keypair,
        table: &Pubkey,
        addresses: &[Pubkey],
    ) -> Result<(), ClientError> {
        let ix = extend_lookup_table(
            *table,
            authority.pubkey(),
            Some(self.payer()),
            addresses.to_vec(),
        );
        self.send(&[ix], &[authority]).await.map(drop)
    }

    /// The slots the SlotHashes sysvar holds, the latest first: those a new table may name.
    async fn recent_slots(&mut self) -> Result<Vec<u64>, ClientError> {
        let hashes: SlotHashes = self.sysvar(&sysvar::slot_hashes::ID).await?;
        Ok(hashes.iter().map(|(slot, _)| *slot).collect())
    }
}
