//! The stakers of a simulation and what each holds, kept from the program's events rather than
//! read back, and the batch their instructions are gathered into (each staker still signs its
//! own instruction); what they do in an epoch is in `actors.rs`.

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::TransactionError;

use tributary_client::client::plan::fits_in_transaction;
use tributary_client::pda::PoolAddresses;
use tributary_client::ClientError;

/// Below a thousandth of a SOL's shares there is nothing worth redeeming.
pub(super) const MIN_REDEEMED_SHARES: u64 = 1_000_000;

/// A staker of the run, and what it holds as the program's events said.
pub(super) struct Staker {
    pub keypair: Keypair,
    /// Its token account for the pool's shares (derived once: a derivation is not free).
    pub token_account: Pubkey,
    pub shares: u64,
    pub has_token_account: bool,
}

/// A ticket a staker has not claimed yet, and its share of what tickets are owed.
pub(super) struct OpenTicket {
    pub(super) staker: usize,
    pub(super) address: Pubkey,
    pub(super) units: u64,
    pub(super) ordered: u64,
}

/// The stakers, by index and by address, and their open tickets.
#[derive(Default)]
pub(super) struct Stakers {
    pub all: Vec<Staker>,
    pub(super) index: HashMap<Pubkey, usize>,
    pub(super) tickets: Vec<OpenTicket>,
}

impl Stakers {
    pub fn new(keypairs: Vec<Keypair>, pool: &PoolAddresses) -> Self {
        let index = keypairs
            .iter()
            .enumerate()
            .map(|(index, keypair)| (keypair.pubkey(), index))
            .collect();
        let all = keypairs
            .into_iter()
            .map(|keypair| Staker {
                token_account: pool.token_account(&keypair.pubkey()),
                keypair,
                shares: 0,
                has_token_account: false,
            })
            .collect();
        Self {
            all,
            index,
            tickets: Vec::new(),
        }
    }

    /// The staker at `address`'s entry; `None` for anyone else.
    pub(super) fn by_address(&mut self, address: &Pubkey) -> Option<&mut Staker> {
        let index = *self.index.get(address)?;
        self.all.get_mut(index)
    }
}

/// Instructions of several actors gathered into one transaction, with their signers and, per
/// instruction, who sent it (to name the actor when the transaction fails).
#[derive(Default)]
pub(super) struct Batch {
    pub(super) instructions: Vec<Instruction>,
    pub(super) signers: Vec<Keypair>,
    pub(super) actors: Vec<String>,
}

impl Batch {
    /// Whether `more` still fits the transaction, paid by `payer`.
    pub(super) fn fits(&self, more: &[Instruction], payer: &Pubkey) -> bool {
        let mut all = self.instructions.clone();
        all.extend_from_slice(more);
        fits_in_transaction(&all, payer, &[])
    }

    pub(super) fn push(
        &mut self,
        instructions: Vec<Instruction>,
        signers: &[&Keypair],
        actor: &str,
    ) {
        self.actors
            .extend(std::iter::repeat_n(actor.to_owned(), instructions.len()));
        self.instructions.extend(instructions);
        self.signers
            .extend(signers.iter().map(|signer| signer.insecure_clone()));
    }

    /// Who sent the instruction that `error` names, or everyone in the batch.
    pub(super) fn actor_of(&self, error: &ClientError) -> String {
        if let ClientError::Transaction {
            error: TransactionError::InstructionError(index, _),
            ..
        } = error
        {
            if let Some(actor) = self.actors.get(usize::from(*index)) {
                return actor.clone();
            }
        }
        let mut actors = self.actors.clone();
        actors.dedup();
        actors.join("; ")
    }
}
