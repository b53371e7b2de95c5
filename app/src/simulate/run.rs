//! One run of a scenario: a `Simulation` whose phases are the epoch's steps, and `run`, which
//! drives it epoch by epoch until the end, an error, an interruption or the caller says stop.

use std::future::Future;
use std::ops::ControlFlow;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::system_instruction;
use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::DEFAULT_TIP_RATE_CAP_BPS;
use tributary::instructions::InitializePoolArgs;
use tributary::state::Strategy;

use super::config::MAX_DEPOSIT_LAMPORTS;
use super::stakers::{Batch, Stakers};
use super::{annualised_yield, EpochReport, SimulationConfig, SimulationError};
use crate::events::DistributionTotals;
use crate::pda::{find_mev_vault, find_pool_tip_accounts};
use crate::rng::Rng;
use crate::{BankClient, ClientError, LAMPORTS_PER_SOL};

/// How a run ended before its last epoch.
#[derive(Debug)]
pub enum Stop {
    /// A call failed: the epoch, the actor and the error.
    Failed(SimulationError),
    /// `interrupt` fired (Ctrl-C).
    Interrupted,
    /// The caller's `on_epoch` asked to stop (its output was closed).
    Stopped,
}

/// A run's epochs, why it ended early if it did, and the transactions it landed.
#[derive(Debug)]
pub struct Run {
    pub reports: Vec<EpochReport>,
    pub stop: Option<Stop>,
    pub transactions: u64,
}

/// Runs `config` (checked first with `SimulationConfig::check`), calling `on_epoch` after each
/// epoch; stops early when a call fails, when `interrupt` completes or when `on_epoch` breaks.
/// The epochs that ran are always returned.
pub async fn run(
    config: &SimulationConfig,
    mut on_epoch: impl FnMut(&EpochReport) -> ControlFlow<()>,
    interrupt: impl Future<Output = ()>,
) -> Run {
    let mut reports = Vec::with_capacity(config.epochs as usize);
    let mut transactions = 0;
    let stepping = async {
        let mut simulation = Simulation::start(config).await?;
        while reports.len() < config.epochs as usize {
            let report = simulation.epoch().await;
            transactions = simulation.client.transactions_landed();
            let report = report?;
            let flow = on_epoch(&report);
            reports.push(report);
            if flow.is_break() {
                return Ok(Some(Stop::Stopped));
            }
        }
        Ok(None)
    };
    let stop = tokio::select! {
        stepped = stepping => stepped.unwrap_or_else(|error| Some(Stop::Failed(error))),
        () = interrupt => Some(Stop::Interrupted),
    };
    Run {
        reports,
        stop,
        transactions,
    }
}

/// The bank, the pool and the scenario's actors.
pub(super) struct Simulation<'a> {
    config: &'a SimulationConfig,
    pub rng: Rng,
    pub client: BankClient,
    pub stakers: Stakers,
    votes: Vec<Pubkey>,
    searcher: Keypair,
    /// The bank's epoch, for naming where a run stopped.
    epoch: u64,
    /// The share price at the end of the previous epoch; the pool's first shares were at one
    /// lamport each.
    previous_price: f64,
}

impl<'a> Simulation<'a> {
    /// A bank with a pool (the admin also its operator), the scenario's validators and its
    /// strategy, and stakers funded for a deposit every epoch.
    async fn start(config: &'a SimulationConfig) -> Result<Self, SimulationError> {
        let failed = |source| SimulationError::new(0, "setting up the pool", source);
        let mut client = BankClient::start().await;
        let admin = Keypair::new();
        // The admin pays the pool's accounts and, as operator, each validator's floor (rent and
        // the minimum delegation, at most a SOL each) and vote account.
        let validators = config.validators.len() as u64;
        let admin_funds = (10 + 2 * validators) * LAMPORTS_PER_SOL;
        client
            .airdrop(&admin.pubkey(), admin_funds)
            .await
            .map_err(failed)?;
        let args = InitializePoolArgs {
            operator: admin.pubkey(),
            fees: config.fees,
            tip_rate_cap_bps: DEFAULT_TIP_RATE_CAP_BPS,
            name: "Tributary Staked SOL".into(),
            symbol: "trSOL".into(),
            uri: String::new(),
        };
        let treasury = Keypair::new().pubkey();
        client
            .initialize_pool(&admin, &Keypair::new(), &treasury, args)
            .await
            .map_err(failed)?;
        let votes = add_validators(&mut client, &admin, config)
            .await
            .map_err(failed)?;
        let strategy = Strategy {
            mode: config.strategy,
            validator_cap_bps: 5_000,
            reserve_buffer_bps: config.reserve_buffer_bps,
            max_move_bps: 2_000,
        };
        client
            .set_strategy(&admin, strategy)
            .await
            .map_err(failed)?;
        client.create_pool_tip_accounts().await.map_err(failed)?;
        // What a staker can deposit over the run, and a little for its token account's rent.
        let funds = config.epochs * MAX_DEPOSIT_LAMPORTS + LAMPORTS_PER_SOL;
        let mut stakers = Vec::with_capacity(config.stakers);
        for _ in 0..config.stakers {
            let staker = Keypair::new();
            client
                .airdrop(&staker.pubkey(), funds)
                .await
                .map_err(failed)?;
            stakers.push(staker);
        }
        // The searcher keeps a balance above rent between its tips.
        let searcher = Keypair::new();
        client
            .airdrop(&searcher.pubkey(), LAMPORTS_PER_SOL)
            .await
            .map_err(failed)?;
        let stakers = Stakers::new(stakers, client.pool().map_err(failed)?);
        Ok(Self {
            config,
            rng: Rng(config.seed),
            client,
            stakers,
            votes,
            searcher,
            epoch: 0,
            previous_price: 1.0,
        })
    }

    /// One epoch: the crank, claims, the stakers' moves, rebalancing, tips; the ledger; then
    /// votes, rewards and the epoch boundary.
    async fn epoch(&mut self) -> Result<EpochReport, SimulationError> {
        self.epoch = self
            .client
            .clock()
            .await
            .map_err(self.failed("reading the clock"))?
            .epoch;
        let crank = self
            .client
            .crank()
            .await
            .map_err(self.failed("the crank"))?;
        let mut flows = EpochReport {
            epoch: self.epoch,
            rewards: crank.roll.as_ref().map_or(0, |roll| roll.rewards),
            tips_counted: crank.roll.as_ref().map_or(0, |roll| roll.tips),
            ..EpochReport::default()
        };
        self.claim_due_tickets(&mut flows).await?;
        self.stakers_act(&mut flows).await?;
        // Scores refreshed, stake moves towards the validators that return the most.
        let rebalanced = self.client.rebalance_all().await;
        rebalanced.map_err(self.failed("the operator, rebalancing"))?;
        self.tip_and_distribute(&mut flows).await?;
        self.measure(&mut flows)
            .await
            .map_err(self.failed("measuring the pool"))?;
        self.end_epoch()
            .await
            .map_err(self.failed("the epoch boundary"))?;
        Ok(flows)
    }

    /// An error of `actor` in this epoch.
    pub(super) fn failed(
        &self,
        actor: impl Into<String>,
    ) -> impl FnOnce(ClientError) -> SimulationError {
        let (epoch, actor) = (self.epoch, actor.into());
        move |source| SimulationError::new(epoch, actor, source)
    }

    /// Searchers tip the validators' vaults, in proportion to their stake (their share of
    /// leader slots), and the pool's own tip accounts; anyone may then distribute.
    async fn tip_and_distribute(&mut self, flows: &mut EpochReport) -> Result<(), SimulationError> {
        let stakes = self
            .validator_stakes()
            .await
            .map_err(self.failed("reading stakes"))?;
        let pool = self
            .client
            .pool()
            .map_err(self.failed("the searcher"))?
            .pool;
        let mut tips = Vec::with_capacity(self.votes.len() + 1);
        for ((vote, spec), stake) in self.votes.iter().zip(&self.config.validators).zip(stakes) {
            let base = u128::from(stake.max(LAMPORTS_PER_SOL)) * u128::from(spec.tip_ppm);
            let base = (base / 1_000_000) as u64;
            let tip = self.rng.between(base / 2, base + base / 2);
            tips.push((find_mev_vault(&pool, vote).0, tip));
        }
        if self.config.pool_tip_lamports > 0 {
            let account = find_pool_tip_accounts(&pool)[self.rng.between(0, 7) as usize];
            tips.push((account, self.rng.between(1, self.config.pool_tip_lamports)));
        }
        // Searchers bring what they tip.
        let total = tips.iter().map(|(_, tip)| tip).sum();
        let airdrop = self.client.airdrop(&self.searcher.pubkey(), total).await;
        airdrop.map_err(self.failed("the searcher, funding its tips"))?;
        let searcher = self.searcher.insecure_clone();
        let mut batch = Batch::default();
        for (account, tip) in tips.into_iter().filter(|(_, tip)| *tip > 0) {
            let ix = system_instruction::transfer(&searcher.pubkey(), &account, tip);
            let actor = format!("the searcher, tipping {account}");
            self.queue(&mut batch, vec![ix], &[&searcher], &actor, flows)
                .await?;
        }
        self.send_batch(batch, flows).await?;
        let distributed = self.client.distribute_all().await;
        let distributed = distributed.map_err(self.failed("distributing tips"))?;
        let distributed = DistributionTotals::of(&distributed);
        flows.tips = distributed.tips;
        flows.tips_to_validators = distributed.to_validators;
        flows.tips_to_protocol = distributed.to_protocol;
        flows.tips_to_stakers = distributed.to_stakers;
        Ok(())
    }

    /// The pool's ledger at the end of the epoch.
    async fn measure(&mut self, flows: &mut EpochReport) -> Result<(), ClientError> {
        let quote = self.client.quote().await?;
        let pool = &quote.pool;
        let treasury_owed =
            self.client.token_balance(&pool.treasury).await? + pool.pending_treasury_shares;
        flows.total_lamports = pool.total_lamports;
        flows.ticket_lamports = pool.ticket_lamports;
        flows.floor_lamports = pool.floor_lamports;
        flows.share_supply = quote.supply;
        flows.share_price = quote.price();
        flows.annualised_yield = annualised_yield(self.previous_price, flows.share_price);
        self.previous_price = flows.share_price;
        flows.reserve_lamports = self.client.reserve_spendable().await?;
        flows.validator_stakes = self.validator_stakes().await?;
        flows.staked_lamports = flows.validator_stakes.iter().sum();
        flows.treasury_shares = treasury_owed;
        flows.treasury_value = quote.value_of(treasury_owed);
        Ok(())
    }

    /// The validators vote, but for those that stopped; then the boundary, where the runtime
    /// pays staking rewards on active stake: the scenario's, in place of the test bank's own
    /// inflation.
    async fn end_epoch(&mut self) -> Result<(), ClientError> {
        for (vote, spec) in self.votes.iter().zip(&self.config.validators) {
            if spec.stops_voting_at.is_none_or(|epoch| self.epoch < epoch) {
                self.client
                    .context()
                    .increment_vote_account_credits(vote, 100);
            }
        }
        let mut rewards = Vec::new();
        for entry in self.client.validator_list().await? {
            let reward = u128::from(entry.active_lamports) * u128::from(self.config.rewards_ppm);
            rewards.push((entry.validator_stake, (reward / 1_000_000) as u64));
            rewards.push((entry.transient_stake, 0));
        }
        self.client.warp_epoch_with_rewards(&rewards).await?;
        Ok(())
    }

    /// Each validator's lamports, in the order they were added (0 once it left the list).
    async fn validator_stakes(&mut self) -> Result<Vec<u64>, ClientError> {
        let entries = self.client.validator_list().await?;
        Ok(self
            .votes
            .iter()
            .map(|vote| {
                entries
                    .iter()
                    .find(|entry| entry.vote == *vote)
                    .map_or(0, |entry| entry.active_lamports + entry.transient_lamports)
            })
            .collect())
    }
}

/// Adds the scenario's validators, each with its vote account, declared MEV commission (paid
/// to its withdrawer's wallet) and weight.
async fn add_validators(
    client: &mut BankClient,
    operator: &Keypair,
    config: &SimulationConfig,
) -> Result<Vec<Pubkey>, ClientError> {
    let mut votes = Vec::with_capacity(config.validators.len());
    for spec in &config.validators {
        let (vote, withdrawer) = client.create_vote_account(spec.commission).await?;
        client.add_validator(operator, &vote).await?;
        // The validator's payout account, its withdrawer's wallet, exists.
        client
            .airdrop(&withdrawer.pubkey(), LAMPORTS_PER_SOL)
            .await?;
        let commission = spec.mev_commission_bps;
        client
            .set_mev_commission(&withdrawer, &vote, commission, &withdrawer.pubkey())
            .await?;
        client.set_weight(operator, &vote, spec.weight).await?;
        votes.push(vote);
    }
    Ok(votes)
}
