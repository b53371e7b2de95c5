//! One run of a scenario: a `Simulation` whose phases are the epoch's steps, and `run`, which
//! drives it epoch by epoch until the end, an error, an interruption or the caller says stop.

use std::future::Future;
use std::ops::ControlFlow;

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::state::{DelegationRule, Strategy, StrategyMode, ValidatorEntry};

use super::config::{BuilderSpec, InvalidScenario, MAX_DEPOSIT_LAMPORTS};
use super::design::Design;
use super::stakers::Stakers;
use super::{annualised_yield, EpochReport, SimulationConfig, SimulationError, ValidatorEarnings};
use crate::rng::Rng;
use tributary_client::{BankClient, ClientError, LAMPORTS_PER_SOL};

/// How a run ended before its last epoch.
#[derive(Debug)]
pub enum Stop {
    /// The scenario is outside what the simulation supports (`SimulationConfig::check`).
    Invalid(InvalidScenario),
    /// A call failed: the epoch, the actor and the error.
    Failed(SimulationError),
    /// `interrupt` fired (Ctrl-C).
    Interrupted,
    /// The caller's `on_epoch` asked to stop (its output was closed).
    Stopped,
}

/// One design's epochs.
#[derive(Debug)]
pub struct DesignRun {
    pub design: Design,
    pub reports: Vec<EpochReport>,
}

/// A run's designs and their epochs (as many for each), why it ended early if it did, and the
/// transactions it landed.
#[derive(Debug)]
pub struct Run {
    pub designs: Vec<DesignRun>,
    pub stop: Option<Stop>,
    pub transactions: u64,
}

/// Runs `config` through each of `designs`, each in its own bank, epoch by epoch in step,
/// calling `on_epoch` with every design's report once an epoch has ended in all; stops early
/// when the scenario is invalid, a call fails, `interrupt` completes or `on_epoch` breaks. The
/// epochs that ended in every design are always returned.
pub async fn run_designs(
    config: &SimulationConfig,
    designs: &[Design],
    mut on_epoch: impl FnMut(&[&EpochReport]) -> ControlFlow<()>,
    interrupt: impl Future<Output = ()>,
) -> Run {
    let mut runs: Vec<DesignRun> = designs
        .iter()
        .map(|design| DesignRun {
            design: *design,
            reports: Vec::with_capacity(config.epochs as usize),
        })
        .collect();
    let checked = config.check().and_then(|()| config.validator_builders());
    let builders = match checked {
        Ok(builders) => builders,
        Err(invalid) => {
            return Run {
                designs: runs,
                stop: Some(Stop::Invalid(invalid)),
                transactions: 0,
            }
        }
    };
    let mut transactions = 0;
    let stepping = async {
        let mut simulations = Vec::with_capacity(designs.len());
        for design in designs {
            let simulation = Simulation::start(config, *design, builders.clone()).await;
            simulations.push(simulation.map_err(Stop::Failed)?);
        }
        for _ in 0..config.epochs {
            for (simulation, design_run) in simulations.iter_mut().zip(runs.iter_mut()) {
                let report = simulation.epoch().await;
                design_run.reports.push(report.map_err(Stop::Failed)?);
            }
            transactions = simulations_landed(&simulations);
            let latest: Vec<&EpochReport> =
                runs.iter().filter_map(|run| run.reports.last()).collect();
            if on_epoch(&latest).is_break() {
                return Err(Stop::Stopped);
            }
        }
        Ok(())
    };
    let stop = tokio::select! {
        stepped = stepping => stepped.err(),
        () = interrupt => Some(Stop::Interrupted),
    };
    // An epoch some designs ended and others did not is left out of all.
    let epochs = runs.iter().map(|run| run.reports.len()).min().unwrap_or(0);
    for design_run in &mut runs {
        design_run.reports.truncate(epochs);
    }
    Run {
        designs: runs,
        stop,
        transactions,
    }
}

/// The transactions the simulations' clients have landed.
fn simulations_landed(simulations: &[Simulation<'_>]) -> u64 {
    simulations
        .iter()
        .map(|simulation| simulation.client.transactions_landed())
        .sum()
}

/// The most one validator may hold (in every design but the Steward's, which has no such cap),
/// and the most stake moved in an epoch.
pub const VALIDATOR_CAP_BPS: u16 = 5_000;
pub const MAX_MOVE_BPS: u16 = 2_000;

/// The bank, the pool and the scenario's actors.
pub(super) struct Simulation<'a> {
    pub(super) config: &'a SimulationConfig,
    pub(super) design: Design,
    /// Each validator's builder, in the validators' order.
    pub(super) builders: Vec<BuilderSpec>,
    /// The stakers' draws and the slots' draws, apart: every design sees the same of each.
    pub(super) rng: Rng,
    pub(super) mev_rng: Rng,
    pub(super) client: BankClient,
    pub(super) stakers: Stakers,
    pub(super) votes: Vec<Pubkey>,
    pub(super) searcher: Keypair,
    /// The bank's epoch, for naming where a run stopped.
    pub(super) epoch: u64,
    /// The pool's admin and operator.
    pub(super) admin: Keypair,
    /// The share price at the end of the previous epoch; the pool's first shares were at one
    /// lamport each.
    pub(super) previous_price: f64,
    /// What Jito owes each validator's stake account for the last epoch's tips, claimed in this
    /// one; and what it owed validators no longer in the pool, never claimed.
    pub(super) jito_owed: Vec<u64>,
    pub(super) jito_expired: u64,
    /// The operator's weights in force (the designs it weighs by hand).
    pub(super) weights: Vec<u32>,
}

impl<'a> Simulation<'a> {
    /// A bank with a pool (the admin also its operator), the scenario's validators and its
    /// strategy, and stakers funded for a deposit every epoch.
    async fn start(
        config: &'a SimulationConfig,
        design: Design,
        builders: Vec<BuilderSpec>,
    ) -> Result<Self, SimulationError> {
        let actor = format!("{}: setting up the pool", design.name());
        let failed = |source| SimulationError::new(0, actor.clone(), source);
        let mut client = BankClient::start().await;
        // The tests check the list after every transaction; a simulation sends tens of thousands.
        client.skip_validator_list_checks();
        let admin = Keypair::new();
        // The admin pays the pool's accounts and, as operator, each validator's floor (rent and
        // the minimum delegation, at most a SOL each) and vote account.
        let validators = config.validators.len() as u64;
        let admin_funds = (10 + 2 * validators) * LAMPORTS_PER_SOL;
        client
            .airdrop(&admin.pubkey(), admin_funds)
            .await
            .map_err(failed)?;
        let args = tributary_client::instructions::default_pool_args(admin.pubkey(), config.fees);
        let treasury = Keypair::new().pubkey();
        client
            .initialize_pool(&admin, &Keypair::new(), &treasury, args)
            .await
            .map_err(failed)?;
        let votes = add_validators(&mut client, &admin, config, design)
            .await
            .map_err(failed)?;
        // Only the integrated design lets the scores move stake, by the scenario's delegation
        // rule (the recommended one unless it names another); the Steward weighs its eligible
        // validators alike, within its unstaking caps; the oracle weighs by what it knows; the
        // others weigh equally.
        let (mode, rule) = match design {
            Design::Integrated => (config.strategy, config.rule),
            _ => (StrategyMode::Manual, DelegationRule::default()),
        };
        let validator_cap_bps = match design {
            Design::JitoLike => 10_000,
            _ => VALIDATOR_CAP_BPS,
        };
        let strategy = Strategy {
            mode,
            validator_cap_bps,
            reserve_buffer_bps: config.reserve_buffer_bps,
            max_move_bps: MAX_MOVE_BPS,
            rule,
        };
        client
            .set_strategy(&admin, strategy)
            .await
            .map_err(failed)?;
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
        let stakers = Stakers::new(stakers, client.addresses().map_err(failed)?);
        Ok(Self {
            config,
            design,
            builders,
            rng: Rng(config.seed),
            // Another stream of the same seed.
            mev_rng: Rng(config.seed ^ 0x4D45_565F_534C_4F54),
            client,
            stakers,
            jito_owed: vec![0; votes.len()],
            jito_expired: 0,
            weights: config.validators.iter().map(|_| 1).collect(),
            votes,
            searcher,
            epoch: 0,
            previous_price: 1.0,
            admin,
        })
    }

    /// One epoch: the epoch's round of work (the crank, tips, stake), claims, the stakers'
    /// moves, the searchers' tips, and the round again within the epoch, as a keeper runs it;
    /// the ledger; then votes, rewards and the epoch boundary.
    async fn epoch(&mut self) -> Result<EpochReport, SimulationError> {
        self.epoch = self
            .client
            .clock()
            .await
            .map_err(self.failed("reading the clock"))?
            .epoch;
        self.declare_to_jito();
        self.weigh()
            .await
            .map_err(self.failed("the operator, weighing"))?;
        let round = self
            .client
            .epoch_round(0)
            .await
            .map_err(self.failed("the epoch's round"))?;
        let roll = round.roll.event();
        let mut flows = EpochReport {
            epoch: self.epoch,
            rewards: roll.map_or(0, |roll| roll.rewards),
            epoch_fee: roll.map_or(0, |roll| roll.epoch_fee_lamports),
            tips_counted: roll.map_or(0, |roll| roll.tips),
            validator_earnings: vec![ValidatorEarnings::default(); self.votes.len()],
            ..EpochReport::default()
        };
        self.count_distributions(&round.distributions, &mut flows);
        self.claim_due_tickets(&mut flows).await?;
        self.stakers_act(&mut flows).await?;
        self.tip(&mut flows).await?;
        let round = self
            .client
            .epoch_round(0)
            .await
            .map_err(self.failed("the round within the epoch"))?;
        self.count_distributions(&round.distributions, &mut flows);
        self.measure(&mut flows)
            .await
            .map_err(self.failed("measuring the pool"))?;
        self.end_epoch(&mut flows)
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
        let actor = format!("{}: {actor}", self.design.name());
        move |source| SimulationError::new(epoch, actor, source)
    }

    /// The pool's ledger at the end of the epoch.
    async fn measure(&mut self, flows: &mut EpochReport) -> Result<(), ClientError> {
        let quote = self.client.quote().await?;
        let pool = &quote.pool;
        let treasury_owed =
            self.client.token_balance(&pool.treasury).await? + pool.pending_treasury_shares;
        flows.total_lamports = pool.total_lamports;
        flows.locked_lamports = pool.release.lamports;
        flows.ticket_lamports = pool.ticket_lamports;
        flows.floor_lamports = pool.floor_lamports;
        flows.share_supply = quote.supply;
        flows.share_price = quote.price();
        flows.annualised_yield = annualised_yield(self.previous_price, flows.share_price);
        self.previous_price = flows.share_price;
        flows.reserve_lamports = self.client.reserve_spendable().await?;
        let entries = self.client.validator_list().await?;
        flows.validator_stakes = self.stakes_in(&entries)?;
        flows.staked_lamports = flows.validator_stakes.iter().sum();
        flows.treasury_shares = treasury_owed;
        flows.treasury_value = quote.value_of(treasury_owed);
        let pool = *self.client.addresses()?;
        for vote in &self.votes {
            let vault = pool.mev_vault(vote);
            flows.tips_waiting += self.client.pending_tips(&vault).await?;
        }
        for entry in &entries {
            flows.stake_tips_waiting += self.client.stake_account_tips(entry).await?;
        }
        Ok(())
    }

    /// The validators vote, but for those that stopped; then the boundary, where the runtime
    /// pays staking rewards on the active stake of those that voted: the scenario's, in place of
    /// the test bank's own inflation, less each validator's inflation commission.
    async fn end_epoch(&mut self, flows: &mut EpochReport) -> Result<(), ClientError> {
        for (vote, spec) in self.votes.iter().zip(&self.config.validators) {
            if self.votes_in(spec) {
                self.client
                    .context()
                    .increment_vote_account_credits(vote, 100);
            }
        }
        let mut rewards = Vec::new();
        for entry in self.client.validator_list().await? {
            let index = self.votes.iter().position(|vote| *vote == entry.vote);
            let spec = index.map(|index| &self.config.validators[index]);
            // A validator that did not vote earned no credits, and its stake no rewards.
            let voted = spec.is_some_and(|spec| self.votes_in(spec));
            let rewards_ppm = if voted { self.config.rewards_ppm } else { 0 };
            let reward = u128::from(entry.active_lamports) * u128::from(rewards_ppm);
            let reward = (reward / 1_000_000) as u64;
            let commission_percent = spec.map_or(0, |spec| spec.commission);
            let commission = (u128::from(reward) * u128::from(commission_percent) / 100) as u64;
            flows.rewards_paid += reward;
            flows.rewards_commission += commission;
            if let Some(index) = index {
                flows.validator_earnings[index].inflation_commission += commission;
            }
            rewards.push((entry.validator_stake, reward - commission));
            rewards.push((entry.transient_stake, 0));
        }
        self.client.warp_epoch_with_rewards(&rewards).await?;
        Ok(())
    }

    /// Each validator's lamports, in the order they were added (0 once it left the list).
    pub(super) async fn validator_stakes(&mut self) -> Result<Vec<u64>, ClientError> {
        let entries = self.client.validator_list().await?;
        self.stakes_in(&entries)
    }

    /// Each validator's lamports in `entries`, in the order they were added.
    fn stakes_in(&self, entries: &[ValidatorEntry]) -> Result<Vec<u64>, ClientError> {
        self.votes
            .iter()
            .map(|vote| {
                entries
                    .iter()
                    .find(|entry| entry.vote == *vote)
                    .map_or(Ok(0), |entry| {
                        entry.total_lamports().map_err(ClientError::rule)
                    })
            })
            .collect()
    }
}

/// Adds the scenario's validators, each with its vote account, declared MEV commission (paid
/// to its withdrawer's wallet) and weight for `design`.
async fn add_validators(
    client: &mut BankClient,
    operator: &Keypair,
    config: &SimulationConfig,
    design: Design,
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
        // The integrated design follows the scenario's weights in `manual` mode; the others
        // start with every validator alike (the Steward and the oracle weigh them from the first
        // epoch).
        let weight = match design {
            Design::Integrated => spec.weight,
            _ => 1,
        };
        client.set_weight(operator, &vote, weight).await?;
        // It was voting before the pool was made: scores see a live validator from the start.
        client.context().increment_vote_account_credits(&vote, 100);
        votes.push(vote);
    }
    Ok(votes)
}
