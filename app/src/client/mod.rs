//! `PoolClient`: every pool operation as one async call, over a cluster's RPC or (with the
//! `bank` feature) an in-process bank. The calls are grouped as the program's instructions are:
//! by who makes them, with the account readers and the crank's planning apart.

use std::collections::HashSet;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_sdk::hash::Hash;
use solana_sdk::rent::Rent;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;
use tributary::events::{LossEvent, UpdatePoolEvent};

use crate::pda::PoolAddresses;
use crate::transport::Transport;
use crate::ClientError;

mod admin;
#[cfg(feature = "bank")]
mod bank;
#[cfg(feature = "bank")]
pub use bank::BankClient;
mod crank;
mod mev;
mod operator;
pub mod plan;
mod read;
mod staker;

/// What a landed transaction left behind.
#[derive(Debug, Clone)]
pub struct TxOutcome {
    pub signature: Signature,
    pub logs: Vec<String>,
    /// Compute units of the called programs; natively our own program is not metered.
    pub compute_units: u64,
}

impl TxOutcome {
    pub fn events<E: anchor_lang::AnchorDeserialize + anchor_lang::Discriminator>(&self) -> Vec<E> {
        crate::events::decode_events(&self.logs)
    }

    /// `field` added up over every event of type `E` the transaction logged.
    pub fn total<E: anchor_lang::AnchorDeserialize + anchor_lang::Discriminator>(
        &self,
        field: impl Fn(&E) -> u64,
    ) -> u64 {
        self.events::<E>().iter().map(field).sum()
    }
}

/// What the epoch crank did.
#[derive(Default)]
pub struct Crank {
    /// `update_validators` transactions sent.
    pub update_transactions: usize,
    /// The epoch roll; `None` when the pool had rolled this epoch already.
    pub roll: Option<UpdatePoolEvent>,
    /// A loss the roll counted and shared.
    pub loss: Option<LossEvent>,
}

/// A client of one pool at a time over a transport.
pub struct PoolClient<T: Transport> {
    pub transport: T,
    pool: Option<PoolAddresses>,
    /// The blockhash of the last transaction, and the signatures sent at it, so that a repeated
    /// transaction gets made unique.
    blockhash: Hash,
    sent: HashSet<Signature>,
    nonce: u32,
    /// The Rent sysvar, read once: it does not change under a running client.
    rent: Option<Rent>,
}

impl<T: Transport> PoolClient<T> {
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            pool: None,
            blockhash: Hash::default(),
            sent: HashSet::new(),
            nonce: 0,
            rent: None,
        }
    }

    /// The pool the calls act on.
    pub fn pool(&self) -> Result<&PoolAddresses, ClientError> {
        self.pool.as_ref().ok_or(ClientError::NoPool)
    }

    /// Acts on another pool of the same bank from now on.
    pub fn use_pool(&mut self, pool: Pubkey) {
        self.pool = Some(PoolAddresses::new(pool));
    }

    /// The fee payer of every transaction: the bank's payer, or the CLI's keypair.
    pub fn payer(&self) -> Pubkey {
        self.transport.payer().pubkey()
    }

    /// Sends one transaction paid by the payer and waits for it.
    pub async fn send(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<TxOutcome, ClientError> {
        let blockhash = self.transport.latest_blockhash().await?;
        if blockhash != self.blockhash {
            self.blockhash = blockhash;
            self.sent.clear();
        }
        let payer = self.transport.payer().insecure_clone();
        let mut all_signers = vec![&payer];
        all_signers.extend(
            signers
                .iter()
                .copied()
                .filter(|signer| signer.pubkey() != payer.pubkey()),
        );
        let mut transaction = Transaction::new_signed_with_payer(
            instructions,
            Some(&payer.pubkey()),
            &all_signers,
            blockhash,
        );
        if self.sent.contains(&transaction.signatures[0]) {
            // The same transaction twice in one slot: a distinct compute limit makes it a new one.
            self.nonce += 1;
            let mut unique = vec![ComputeBudgetInstruction::set_compute_unit_limit(
                1_400_000 - self.nonce,
            )];
            unique.extend_from_slice(instructions);
            transaction = Transaction::new_signed_with_payer(
                &unique,
                Some(&payer.pubkey()),
                &all_signers,
                blockhash,
            );
        }
        let signature = transaction.signatures[0];
        self.sent.insert(signature);
        let landed = self.transport.process(transaction).await?;
        Ok(TxOutcome {
            signature,
            logs: landed.logs,
            compute_units: landed.compute_units,
        })
    }

    /// Runs `instruction` without landing it, paid by the payer; returns its return data.
    async fn return_data(&mut self, instruction: Instruction) -> Result<Vec<u8>, ClientError> {
        let payer = self.transport.payer().insecure_clone();
        let blockhash = self.transport.latest_blockhash().await?;
        let transaction = Transaction::new_signed_with_payer(
            &[instruction],
            Some(&payer.pubkey()),
            &[&payer],
            blockhash,
        );
        self.transport
            .simulate_return_data(transaction)
            .await?
            .ok_or_else(|| ClientError::Decode("the instruction returned nothing".into()))
    }

    pub async fn transfer(&mut self, to: &Pubkey, lamports: u64) -> Result<(), ClientError> {
        let ix = system_instruction::transfer(&self.payer(), to, lamports);
        self.send(&[ix], &[]).await.map(|_| ())
    }
}
