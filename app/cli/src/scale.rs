//! The scale benchmark's flow, in the in-process bank: a pool of many validators through one
//! epoch of the crank at its dearest (every validator merging a transient), the roll, a
//! rebalance of every validator and a distribution of every vault. `examples/scale.rs` prints
//! it at thousands of validators; a test asserts it at a few hundred.

use std::time::Instant;

use solana_sdk::signature::{Keypair, Signer};
use tributary::events::RebalanceEvent;
use tributary::state::{Fees, Strategy, StrategyMode};

use tributary_client::{instructions, BankClient, ClientError, LAMPORTS_PER_SOL};

/// What each validator's stake grows by per deposit: above the minimum delegation, so every
/// validator's rebalance moves stake.
const STAKE_PER_VALIDATOR: u64 = 2 * LAMPORTS_PER_SOL;
/// Each vault's tip: small enough that all of them together stay under the tip rate cap.
const TIP: u64 = LAMPORTS_PER_SOL / 1_000;

/// One run of the flow.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScaleReport {
    pub validators: usize,
    pub lookup_tables: bool,
    /// Seconds to create the validators' vote accounts (by the vote program).
    pub vote_account_seconds: f64,
    /// Seconds to add them to the pool, growing its list.
    pub add_seconds: f64,
    /// `update_validators` transactions of an epoch with no transient to settle.
    pub idle_update_transactions: usize,
    /// The measured epoch's transactions: the crank's updates (every validator merging a
    /// transient), the roll, scores and rebalances, tips' distributions.
    pub update_transactions: usize,
    pub rebalances: usize,
    pub distributions: usize,
    pub epoch_transactions: usize,
    /// Seconds the measured epoch took, in the bank.
    pub epoch_seconds: f64,
    /// The most list entries one instruction read: an `update_validators` batch, the roll, one
    /// rebalance.
    pub update_entries_read: u32,
    pub roll_entries_read: u32,
    pub rebalance_entries_read: u32,
    pub list_bytes: usize,
    pub list_rent_lamports: u64,
}

impl ScaleReport {
    /// The most entries any single instruction of the epoch read.
    pub fn most_entries_read(&self) -> u32 {
        self.update_entries_read
            .max(self.roll_entries_read)
            .max(self.rebalance_entries_read)
    }
}

/// Runs the flow with `validators` validators, the crank going through lookup tables or not.
/// `check_lists` keeps the bank's walk over the list after every transaction (tests).
pub async fn run_scale(
    validators: usize,
    lookup_tables: bool,
    check_lists: bool,
) -> Result<ScaleReport, ClientError> {
    let mut client = BankClient::start().await;
    if !check_lists {
        client.skip_validator_list_checks();
    }
    let operator = Keypair::new();
    let count = validators as u64;
    client
        .airdrop(&operator.pubkey(), (10 + 3 * count) * LAMPORTS_PER_SOL)
        .await?;
    let args = instructions::default_pool_args(operator.pubkey(), Fees::default());
    let treasury = Keypair::new().pubkey();
    client
        .initialize_pool(&operator, &Keypair::new(), &treasury, args)
        .await?;
    let strategy = Strategy {
        mode: StrategyMode::Manual,
        validator_cap_bps: 10_000,
        reserve_buffer_bps: 500,
        max_move_bps: 10_000,
        rule: Default::default(),
    };
    client.set_strategy(&operator, strategy).await?;

    let started = Instant::now();
    let mut votes = Vec::with_capacity(validators);
    for _ in 0..validators {
        votes.push(client.create_vote_account(5).await?.0);
    }
    let vote_account_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for vote in &votes {
        client.add_validator(&operator, vote).await?;
        client.set_weight(&operator, vote, 1).await?;
    }
    let add_seconds = started.elapsed().as_secs_f64();
    if lookup_tables {
        client.sync_lookup_tables(&operator).await?;
    }

    // An epoch that opens a transient for every validator. (Making the tables took slots, and
    // maybe epochs: the crank comes first.)
    client.warp_epochs(1).await?;
    let idle_update_transactions = client.crank().await?.update_transactions;
    let staker = Keypair::new();
    client
        .airdrop(
            &staker.pubkey(),
            2 * count * STAKE_PER_VALIDATOR + LAMPORTS_PER_SOL,
        )
        .await?;
    client
        .deposit_sol(&staker, count * STAKE_PER_VALIDATOR, 0)
        .await?;
    client.rebalance_all().await?;
    let searcher = Keypair::new();
    client
        .airdrop(&searcher.pubkey(), (count + 1) * TIP + LAMPORTS_PER_SOL)
        .await?;
    let pool = *client.addresses()?;
    for vote in &votes {
        client.tip(&searcher, &pool.mev_vault(vote), TIP).await?;
    }

    // The measured epoch: every transient merged, the roll, new deposits rebalanced, every
    // vault distributed.
    client.warp_epochs(1).await?;
    let landed = client.transactions_landed();
    let started = Instant::now();
    let crank = client.crank().await?;
    let roll_entries_read = crank
        .roll
        .event()
        .map(|roll| roll.entries_read)
        .ok_or_else(|| ClientError::Invariant("the crank did not roll the pool".into()))?;
    client
        .deposit_sol(&staker, count * STAKE_PER_VALIDATOR, 0)
        .await?;
    let rebalances = client.rebalance_all().await?;
    let distributions = client.distribute_all().await?;
    let epoch_seconds = started.elapsed().as_secs_f64();
    // The deposit is a staker's, not the epoch's.
    let epoch_transactions = (client.transactions_landed() - landed - 1) as usize;

    let list = client.addresses()?.validator_list;
    let list_account = client
        .account(&list)
        .await?
        .ok_or(ClientError::AccountNotFound(list))?;
    Ok(ScaleReport {
        validators,
        lookup_tables,
        vote_account_seconds,
        add_seconds,
        idle_update_transactions,
        update_transactions: crank.update_transactions,
        rebalances: rebalances.len(),
        distributions: distributions.len(),
        epoch_transactions,
        epoch_seconds,
        update_entries_read: crank
            .updates
            .iter()
            .map(|update| update.entries_read)
            .max()
            .unwrap_or(0),
        roll_entries_read,
        rebalance_entries_read: rebalances
            .iter()
            .flat_map(|outcome| outcome.events::<RebalanceEvent>())
            .map(|event| event.entries_read)
            .max()
            .unwrap_or(0),
        list_bytes: list_account.data.len(),
        list_rent_lamports: list_account.lamports,
    })
}
