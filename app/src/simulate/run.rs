//! One run of a scenario: a `Simulation` whose phases are the epoch's steps.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::DEFAULT_TIP_RATE_CAP_BPS;
use tributary::events::{ClaimTicketEvent, OrderUnstakeEvent, WithdrawSolEvent};
use tributary::instructions::InitializePoolArgs;
use tributary::stake::STAKE_ACCOUNT_SPACE;
use tributary::state::Strategy;

use super::{annualised_yield, EpochReport, SimulationConfig};
use crate::events::DistributionTotals;
use crate::pda::{find_mev_vault, find_pool_tip_accounts};
use crate::rng::Rng;
use crate::{BankClient, ClientError, LAMPORTS_PER_SOL};

/// Runs the simulation, calling `report` after each epoch, and returns every epoch's report.
pub async fn run(
    config: &SimulationConfig,
    mut report: impl FnMut(&EpochReport),
) -> Result<Vec<EpochReport>, ClientError> {
    let mut simulation = Simulation::start(config).await?;
    let mut reports: Vec<EpochReport> = Vec::with_capacity(config.epochs as usize);
    for run_epoch in 0..config.epochs {
        let epoch = simulation.epoch(reports.last()).await?;
        report(&epoch);
        reports.push(epoch);
        simulation.end_epoch(run_epoch).await?;
    }
    Ok(reports)
}

/// A ticket a staker has not claimed yet.
struct OpenTicket {
    staker: usize,
    address: Pubkey,
    ordered: u64,
}

/// The bank, the pool and the scenario's actors.
struct Simulation<'a> {
    config: &'a SimulationConfig,
    rng: Rng,
    client: BankClient,
    stakers: Vec<Keypair>,
    votes: Vec<Pubkey>,
    searcher: Keypair,
    tickets: Vec<OpenTicket>,
}

impl<'a> Simulation<'a> {
    /// A bank with a pool (the admin also its operator), the scenario's validators and its
    /// strategy, and funded stakers and searcher.
    async fn start(config: &'a SimulationConfig) -> Result<Self, ClientError> {
        let mut client = BankClient::start().await;
        let admin = client.funded_keypair(10 * LAMPORTS_PER_SOL).await?;
        let args = InitializePoolArgs {
            operator: admin.pubkey(),
            fees: config.fees,
            tip_rate_cap_bps: DEFAULT_TIP_RATE_CAP_BPS,
            name: "Tributary Staked SOL".into(),
            symbol: "trSOL".into(),
            uri: String::new(),
        };
        client
            .initialize_pool(&admin, &Keypair::new(), &Keypair::new().pubkey(), args)
            .await?;
        let mut stakers = Vec::with_capacity(config.stakers);
        for _ in 0..config.stakers {
            stakers.push(client.funded_keypair(1_000 * LAMPORTS_PER_SOL).await?);
        }
        let votes = add_validators(&mut client, &admin, config).await?;
        let strategy = Strategy {
            mode: config.strategy,
            validator_cap_bps: 5_000,
            reserve_buffer_bps: config.reserve_buffer_bps,
            max_move_bps: 2_000,
        };
        client.set_strategy(&admin, strategy).await?;
        client.create_pool_tip_accounts().await?;
        let searcher = client.funded_keypair(1_000 * LAMPORTS_PER_SOL).await?;
        Ok(Self {
            config,
            rng: Rng(config.seed),
            client,
            stakers,
            votes,
            searcher,
            tickets: Vec::new(),
        })
    }

    /// One epoch: the crank, claims, the stakers' moves, rebalancing, tips; then the ledger.
    async fn epoch(&mut self, previous: Option<&EpochReport>) -> Result<EpochReport, ClientError> {
        let roll = self.client.crank().await?.roll;
        let mut flows = EpochReport {
            epoch: self.client.clock().await?.epoch,
            rewards: roll.as_ref().map_or(0, |roll| roll.rewards),
            tips_counted: roll.as_ref().map_or(0, |roll| roll.tips),
            ..EpochReport::default()
        };
        self.claim_due_tickets(&mut flows).await?;
        self.stakers_act(&mut flows).await?;
        // Scores refreshed, stake moves towards the validators that return the most.
        self.client.rebalance_all().await?;
        self.tip_and_distribute(&mut flows).await?;
        self.measure(&mut flows, previous).await?;
        Ok(flows)
    }

    /// Tickets ordered in earlier epochs are claimed once the reserve holds what they are owed
    /// (the crank unstakes for them).
    async fn claim_due_tickets(&mut self, flows: &mut EpochReport) -> Result<(), ClientError> {
        let mut open = Vec::with_capacity(self.tickets.len());
        for ticket in std::mem::take(&mut self.tickets) {
            if flows.epoch > ticket.ordered && self.reserve_covers(&ticket.address).await? {
                let owner = &self.stakers[ticket.staker];
                let outcome = self.client.claim_ticket(owner, &ticket.address).await?;
                flows.claims += 1;
                flows.lamports_claimed += outcome.total(|event: &ClaimTicketEvent| event.lamports);
            } else {
                open.push(ticket);
            }
        }
        self.tickets = open;
        Ok(())
    }

    /// Mostly deposits; a holder sometimes redeems part of what it holds: half the time at
    /// once when the reserve can pay it, otherwise through a ticket.
    async fn stakers_act(&mut self, flows: &mut EpochReport) -> Result<(), ClientError> {
        for index in 0..self.stakers.len() {
            let staker = self.stakers[index].insecure_clone();
            let held = self.client.shares_of(&staker.pubkey()).await?;
            if held > 0 && self.rng.between(0, 2) == 0 {
                let shares = held * self.rng.between(10, 100) / 100;
                let at_once = self.rng.between(0, 1) == 0 && self.reserve_can_pay(shares).await?;
                self.redeem(index, shares, at_once, flows).await?;
            } else {
                let lamports = self.rng.between(1, 50) * LAMPORTS_PER_SOL;
                self.client.deposit_sol(&staker, lamports, 0).await?;
                flows.deposits += 1;
                flows.lamports_deposited += lamports;
            }
        }
        Ok(())
    }

    /// Redeems `shares` of the staker at `index`, at once or through a ticket.
    async fn redeem(
        &mut self,
        index: usize,
        shares: u64,
        at_once: bool,
        flows: &mut EpochReport,
    ) -> Result<(), ClientError> {
        let staker = &self.stakers[index];
        if at_once {
            let outcome = self.client.withdraw_sol(staker, shares, 0).await?;
            flows.withdrawals += 1;
            flows.lamports_withdrawn += outcome.total(|event: &WithdrawSolEvent| event.lamports);
        } else {
            let (address, outcome) = self.client.order_unstake(staker, shares).await?;
            flows.tickets += 1;
            flows.lamports_ticketed += outcome.total(|event: &OrderUnstakeEvent| event.lamports);
            self.tickets.push(OpenTicket {
                staker: index,
                address,
                ordered: flows.epoch,
            });
        }
        Ok(())
    }

    /// Searchers tip the validators' vaults, in proportion to their stake (their share of
    /// leader slots), and the pool's own tip accounts; anyone may then distribute.
    async fn tip_and_distribute(&mut self, flows: &mut EpochReport) -> Result<(), ClientError> {
        let pool = self.client.pool()?.pool;
        let stakes = self.validator_stakes().await?;
        for ((vote, spec), stake) in self.votes.iter().zip(&self.config.validators).zip(stakes) {
            let base = stake.max(LAMPORTS_PER_SOL) * spec.tip_ppm / 1_000_000;
            let tip = self.rng.between(base / 2, base + base / 2);
            let vault = find_mev_vault(&pool, vote).0;
            self.client.tip(&self.searcher, &vault, tip).await?;
        }
        let pool_tip = find_pool_tip_accounts(&pool)[self.rng.between(0, 7) as usize];
        let tip = self.rng.between(1, self.config.pool_tip_lamports);
        self.client.tip(&self.searcher, &pool_tip, tip).await?;
        let distributed = DistributionTotals::of(&self.client.distribute_all().await?);
        flows.tips = distributed.tips;
        flows.tips_to_validators = distributed.to_validators;
        flows.tips_to_protocol = distributed.to_protocol;
        flows.tips_to_stakers = distributed.to_stakers;
        Ok(())
    }

    /// The pool's ledger at the end of the epoch.
    async fn measure(
        &mut self,
        flows: &mut EpochReport,
        previous: Option<&EpochReport>,
    ) -> Result<(), ClientError> {
        let quote = self.client.quote().await?;
        let pool = &quote.pool;
        let treasury_owed =
            self.client.token_balance(&pool.treasury).await? + pool.pending_treasury_shares;
        flows.total_lamports = pool.total_lamports;
        flows.ticket_lamports = pool.ticket_lamports;
        flows.floor_lamports = pool.floor_lamports;
        flows.share_supply = quote.supply;
        flows.share_price = quote.price();
        // The pool's first shares were at one lamport each.
        let previous_price = previous.map_or(1.0, |previous| previous.share_price);
        flows.annualised_yield = annualised_yield(previous_price, flows.share_price);
        flows.reserve_lamports = self.client.reserve_spendable().await?;
        flows.validator_stakes = self.validator_stakes().await?;
        flows.staked_lamports = flows.validator_stakes.iter().sum();
        flows.treasury_shares = treasury_owed;
        flows.treasury_value = quote.value_of(treasury_owed);
        Ok(())
    }

    /// The validators vote, but for those that stopped; the runtime pays rewards on active
    /// stake at the boundary, here added to the stake accounts, as the stake-pool projects'
    /// own tests do; then the boundary.
    async fn end_epoch(&mut self, run_epoch: u64) -> Result<(), ClientError> {
        for (vote, spec) in self.votes.iter().zip(&self.config.validators) {
            if spec.stops_voting_at.is_none_or(|epoch| run_epoch < epoch) {
                self.client
                    .context()
                    .increment_vote_account_credits(vote, 100);
            }
        }
        for entry in self.client.validator_list().await? {
            let reward = entry.active_lamports * self.config.rewards_ppm / 1_000_000;
            if reward > 0 {
                self.client.transfer(&entry.validator_stake, reward).await?;
            }
        }
        self.client.warp_epochs(1).await?;
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

    /// Whether the reserve holds what `ticket` is owed, with the rent a claim leaves behind.
    async fn reserve_covers(&mut self, ticket: &Pubkey) -> Result<bool, ClientError> {
        let owed = self.client.ticket_owed(ticket).await?;
        let rent = self
            .client
            .rent()
            .await?
            .minimum_balance(STAKE_ACCOUNT_SPACE);
        Ok(self.client.reserve_spendable().await?.saturating_sub(rent) >= owed)
    }

    /// Whether the reserve holds what a withdrawal of `shares` pays, above what it keeps for
    /// tickets.
    async fn reserve_can_pay(&mut self, shares: u64) -> Result<bool, ClientError> {
        let quote = self.client.quote().await?;
        let rent = self
            .client
            .rent()
            .await?
            .minimum_balance(STAKE_ACCOUNT_SPACE);
        let keep = quote.pool.reserve_for_tickets(rent).unwrap_or(u64::MAX);
        let available = self.client.reserve_spendable().await?.saturating_sub(keep);
        Ok(quote
            .withdrawal(shares)
            .is_some_and(|quote| quote.lamports <= available))
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
            .transfer(&withdrawer.pubkey(), LAMPORTS_PER_SOL)
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
