//! `PoolClient`: every pool operation as one async call, over a cluster's RPC or (with the
//! `bank` feature) an in-process bank. The calls are grouped as the program's instructions are:
//! by who makes them, with the account readers and the crank's planning apart.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_sdk::hash::Hash;
use solana_sdk::message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_sdk::rent::Rent;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::{Transaction, VersionedTransaction};
use tributary::constants::MAX_TRANSACTION_COMPUTE_UNITS;
use tributary::events::{LossEvent, UpdatePoolEvent, UpdateValidatorsEvent};

use crate::pda::PoolAddresses;
use crate::transport::Transport;
use crate::ClientError;

mod admin;
#[cfg(feature = "bank")]
mod bank;
#[cfg(feature = "bank")]
pub use bank::{tip_distribution_account, BankClient};
mod crank;
mod explain;
pub use explain::{Binding, ValidatorReport};
mod round;
pub use round::{KeeperAction, Round};
mod lookup;
pub use lookup::LookupTables;
mod mev;
mod operator;
pub mod plan;
mod read;
mod staker;

/// What a landed transaction left behind.
#[derive(Debug, Clone)]
pub struct TxOutcome {
    pub signature: Signature,
    /// Whether it was sent; a dry run's transactions are only simulated.
    pub sent: bool,
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
    /// Their events, one per transaction.
    pub updates: Vec<UpdateValidatorsEvent>,
    /// What became of the epoch roll.
    pub roll: Roll,
    /// The losses the crank counted: each stake account `update_validators` found short, and a
    /// shortfall at the roll.
    pub losses: Vec<LossEvent>,
}

/// What became of an epoch roll, said without ambiguity.
#[derive(Default)]
pub enum Roll {
    /// This call rolled the pool: the roll's event.
    Rolled(UpdatePoolEvent),
    /// The pool had rolled this epoch already: there was nothing to roll.
    #[default]
    AlreadyRolled,
    /// This call rolled the pool, but the node kept no logs to read the roll's event from.
    Unreported,
    /// The epoch has turned, but the runtime is still paying its rewards: the roll waits (the
    /// program would refuse it).
    WaitingForRewards,
}

impl Roll {
    /// Whether this call rolled the pool.
    pub fn rolled(&self) -> bool {
        matches!(self, Roll::Rolled(_) | Roll::Unreported)
    }

    /// The roll's event, when this call rolled the pool and the node reported it.
    pub fn event(&self) -> Option<&UpdatePoolEvent> {
        match self {
            Roll::Rolled(event) => Some(event),
            _ => None,
        }
    }

    /// The roll's event, taken.
    pub fn into_event(self) -> Option<UpdatePoolEvent> {
        match self {
            Roll::Rolled(event) => Some(event),
            _ => None,
        }
    }
}

/// How `PoolClient` sends transactions: the Solana CLI's transaction flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendOptions {
    /// A priority fee, in micro-lamports per compute unit.
    pub compute_unit_price: Option<u64>,
    /// The compute unit limit of every transaction, in place of the instructions' own.
    pub compute_unit_limit: Option<u32>,
    /// Without a limit given, ask for what a simulation uses plus a margin (not the runtime's
    /// default of 200k per instruction, which a priority fee is paid on).
    pub estimate_compute_limit: bool,
    /// Simulate every transaction and land none (`dry_run_transactions` says what they were).
    pub dry_run: bool,
}

/// A transaction a dry run simulated instead of sending.
#[derive(Debug, Clone)]
pub struct DryRunTransaction {
    /// With the compute budget instructions the options added.
    pub instructions: Vec<Instruction>,
    pub logs: Vec<String>,
    pub compute_units: u64,
}

/// A client of one pool at a time over a transport.
pub struct PoolClient<T: Transport> {
    pub transport: T,
    program_id: Pubkey,
    options: SendOptions,
    dry_run: Vec<DryRunTransaction>,
    /// The transactions landed, in order (their count is the throughput figure).
    signatures: Vec<Signature>,
    pool: Option<PoolAddresses>,
    /// The blockhash of the last transaction, and the signatures sent at it, so that a repeated
    /// transaction gets made unique.
    blockhash: Hash,
    sent: HashSet<Signature>,
    nonce: u32,
    /// The Rent sysvar, read once: it does not change under a running client.
    rent: Option<Rent>,
    /// When the transport's latest blockhash was last read.
    blockhash_read: Option<Instant>,
}

/// How long a blockhash read serves: far inside the ~150 blockhashes (a minute on a cluster,
/// about a second in the in-process bank) for which a transaction's blockhash stays valid.
const BLOCKHASH_REUSE: Duration = Duration::from_millis(200);

impl<T: Transport> PoolClient<T> {
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            program_id: tributary::ID,
            options: SendOptions::default(),
            dry_run: Vec::new(),
            signatures: Vec::new(),
            pool: None,
            blockhash: Hash::default(),
            sent: HashSet::new(),
            nonce: 0,
            rent: None,
            blockhash_read: None,
        }
    }

    /// A blockhash for the next transaction: the transport's latest, read again once the last
    /// read is `BLOCKHASH_REUSE` old (one round trip saved per transaction in between).
    async fn recent_blockhash(&mut self) -> Result<Hash, ClientError> {
        if self
            .blockhash_read
            .is_some_and(|read| read.elapsed() < BLOCKHASH_REUSE)
        {
            return Ok(self.blockhash);
        }
        let blockhash = self.transport.latest_blockhash().await?;
        self.blockhash_read = Some(Instant::now());
        Ok(blockhash)
    }

    /// Forgets the blockhash read, after the bank has moved on (a warp).
    pub fn forget_blockhash(&mut self) {
        self.blockhash_read = None;
    }

    /// How many transactions this client has landed.
    pub fn transactions_landed(&self) -> u64 {
        self.signatures.len() as u64
    }

    /// The addresses of the pool the calls act on.
    pub fn addresses(&self) -> Result<&PoolAddresses, ClientError> {
        self.pool.as_ref().ok_or(ClientError::NoPool)
    }

    /// Acts on another pool of the same program from now on.
    pub fn use_pool(&mut self, pool: Pubkey) {
        self.pool = Some(PoolAddresses::with_program(pool, self.program_id));
    }

    /// The program the pools live under: its compiled id unless set (a deployment of one's own).
    pub fn program_id(&self) -> Pubkey {
        self.program_id
    }

    /// Talks to the program deployed at `program_id` from now on (pools used after this).
    pub fn set_program_id(&mut self, program_id: Pubkey) {
        self.program_id = program_id;
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
        self.send_through(instructions, signers, &[]).await
    }

    /// Sends one transaction paid by the payer and waits for it: a v0 transaction that loads
    /// its accounts from `tables` where they hold them, or a legacy one when `tables` is empty.
    pub async fn send_through(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> Result<TxOutcome, ClientError> {
        let sent = self.sign_and_send(instructions, signers, tables).await;
        match sent {
            // The program refuses, on today's state, what may need the dry run's transactions
            // before it to have landed.
            Err(error @ ClientError::Transaction { .. })
                if self.options.dry_run && !self.dry_run.is_empty() =>
            {
                Err(ClientError::DryRunStops {
                    simulated: self.dry_run.len(),
                    error: Box::new(error),
                })
            }
            sent => sent,
        }
    }

    async fn sign_and_send(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> Result<TxOutcome, ClientError> {
        let blockhash = self.recent_blockhash().await?;
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
        let instructions = self
            .with_compute_budget(instructions, &all_signers, tables, blockhash)
            .await?;
        let mut transaction = signed(&instructions, &all_signers, tables, blockhash)?;
        if self.sent.contains(&transaction.signatures[0]) {
            // The same transaction twice in one slot: a distinct compute limit makes it a new one.
            self.nonce += 1;
            let unique = with_distinct_compute_limit(&instructions, self.nonce);
            transaction = signed(&unique, &all_signers, tables, blockhash)?;
        }
        let signature = transaction.signatures[0];
        self.sent.insert(signature);
        if self.options.dry_run {
            let simulated = self.transport.simulate(transaction).await?;
            self.dry_run.push(DryRunTransaction {
                instructions,
                logs: simulated.logs.clone(),
                compute_units: simulated.compute_units,
            });
            return Ok(TxOutcome {
                signature,
                sent: false,
                logs: simulated.logs,
                compute_units: simulated.compute_units,
            });
        }
        let landed = self.transport.process(transaction).await?;
        self.signatures.push(signature);
        Ok(TxOutcome {
            signature,
            sent: true,
            logs: landed.logs,
            compute_units: landed.compute_units,
        })
    }

    /// `instructions` with the compute budget `options` ask for: the unit price first, and the
    /// limit given, or else (when `estimate_compute_limit`, and `instructions` set none) what a
    /// simulation uses plus a margin.
    async fn with_compute_budget(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
        blockhash: Hash,
    ) -> Result<Vec<Instruction>, ClientError> {
        let options = self.options;
        let own_limit = own_compute_limit(instructions).map(|(position, _)| position);
        let limit = match options.compute_unit_limit {
            Some(limit) => Some(limit),
            None if options.estimate_compute_limit && own_limit.is_none() => {
                let trial = signed(instructions, signers, tables, blockhash)?;
                let used = self.transport.simulate(trial).await?.compute_units;
                Some(with_margin(used))
            }
            None => None,
        };
        let mut budgeted = Vec::with_capacity(instructions.len() + 2);
        if let Some(price) = options.compute_unit_price {
            budgeted.push(ComputeBudgetInstruction::set_compute_unit_price(price));
        }
        if let Some(limit) = limit {
            budgeted.push(ComputeBudgetInstruction::set_compute_unit_limit(limit));
        }
        // A limit given replaces the instructions' own.
        let replaced = limit.and(own_limit);
        budgeted.extend(
            (instructions.iter().enumerate())
                .filter(|(position, _)| Some(*position) != replaced)
                .map(|(_, ix)| ix.clone()),
        );
        Ok(budgeted)
    }

    /// How transactions are sent from now on.
    pub fn set_send_options(&mut self, options: SendOptions) {
        self.options = options;
    }

    /// What a dry run would have sent, in order.
    pub fn dry_run_transactions(&self) -> &[DryRunTransaction] {
        &self.dry_run
    }

    /// The signatures of the transactions this client landed, in order.
    pub fn signatures(&self) -> &[Signature] {
        &self.signatures
    }

    /// Runs `instruction` without landing it, paid by the payer; returns its return data.
    async fn return_data(&mut self, instruction: Instruction) -> Result<Vec<u8>, ClientError> {
        let payer = self.transport.payer().insecure_clone();
        let blockhash = self.transport.latest_blockhash().await?;
        let transaction = match self.account(&payer.pubkey()).await? {
            Some(_) => Transaction::new_signed_with_payer(
                &[instruction],
                Some(&payer.pubkey()),
                &[&payer],
                blockhash,
            ),
            // A reader with no funded keypair (`show` of someone named): a simulation does not
            // check signatures, so the pool's operator, whose wallet pays the validators'
            // floors, stands as the payer.
            None => {
                let operator = self.pool_state().await?.operator;
                let message = solana_sdk::message::Message::new_with_blockhash(
                    &[instruction],
                    Some(&operator),
                    &blockhash,
                );
                Transaction::new_unsigned(message)
            }
        };
        self.transport
            .simulate(transaction.into())
            .await?
            .return_data
            .ok_or_else(|| ClientError::Invariant("the instruction returned nothing".into()))
    }

    pub async fn transfer(&mut self, to: &Pubkey, lamports: u64) -> Result<(), ClientError> {
        let ix = system_instruction::transfer(&self.payer(), to, lamports);
        self.send(&[ix], &[]).await.map(|_| ())
    }
}

/// `instructions` signed by `signers`, the first paying: legacy without `tables`, else v0.
fn signed(
    instructions: &[Instruction],
    signers: &[&Keypair],
    tables: &[AddressLookupTableAccount],
    blockhash: Hash,
) -> Result<VersionedTransaction, ClientError> {
    let payer = signers[0].pubkey();
    if tables.is_empty() {
        return Ok(Transaction::new_signed_with_payer(
            instructions,
            Some(&payer),
            signers,
            blockhash,
        )
        .into());
    }
    let message = v0::Message::try_compile(&payer, instructions, tables, blockhash)
        .map_err(|err| ClientError::Build(format!("cannot compile it: {err}")))?;
    VersionedTransaction::try_new(VersionedMessage::V0(message), signers)
        .map_err(|err| ClientError::Build(format!("cannot sign it: {err}")))
}

/// Where `instructions` set their compute unit limit, and to what, if they do.
fn own_compute_limit(instructions: &[Instruction]) -> Option<(usize, u32)> {
    instructions.iter().enumerate().find_map(|(position, ix)| {
        if ix.program_id != solana_compute_budget_interface::ID {
            return None;
        }
        match borsh::from_slice(&ix.data) {
            Ok(ComputeBudgetInstruction::SetComputeUnitLimit(limit)) => Some((position, limit)),
            _ => None,
        }
    })
}

/// A limit for a transaction a simulation found using `used` units: a fifth more and 5,000
/// units for what the simulation could not see (a changed account, a later slot).
fn with_margin(used: u64) -> u32 {
    let limit = used.saturating_add(used / 5).saturating_add(5_000);
    limit.min(u64::from(MAX_TRANSACTION_COMPUTE_UNITS)) as u32
}

/// `instructions` with a compute limit of its own, `nonce` below the most a transaction may ask
/// for: replacing their own limit, if they set one, by one `nonce` above it (or below, at the
/// top).
fn with_distinct_compute_limit(instructions: &[Instruction], nonce: u32) -> Vec<Instruction> {
    let Some((position, limit)) = own_compute_limit(instructions) else {
        let mut unique = vec![ComputeBudgetInstruction::set_compute_unit_limit(
            MAX_TRANSACTION_COMPUTE_UNITS - nonce,
        )];
        unique.extend_from_slice(instructions);
        return unique;
    };
    let distinct = match limit.checked_add(nonce) {
        Some(raised) if raised <= MAX_TRANSACTION_COMPUTE_UNITS => raised,
        _ => limit.saturating_sub(nonce),
    };
    let mut unique = instructions.to_vec();
    unique[position] = ComputeBudgetInstruction::set_compute_unit_limit(distinct);
    unique
}
