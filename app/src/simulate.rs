//! The value-flow simulation: a pool in an in-process bank with validators, stakers depositing
//! and withdrawing, staking rewards, the operator delegating the reserve and the epoch crank,
//! over several epochs, and the pool's ledger after each epoch.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::DEFAULT_TIP_RATE_CAP_BPS;
use tributary::events::{ClaimTicketEvent, OrderUnstakeEvent, WithdrawSolEvent};
use tributary::instructions::InitializePoolArgs;
use tributary::math::{quote_withdraw, shares_to_lamports};
use tributary::stake::STAKE_ACCOUNT_SPACE;
use tributary::state::{strategy_mode, Fees, Strategy};

use crate::events::DistributionTotals;
use crate::pda::{find_mev_vault, find_pool_tip_accounts};
use crate::rng::Rng;
use crate::{ClientError, PoolClient, LAMPORTS_PER_SOL};

/// A scenario: what `tributary simulate` runs. Read from a TOML file (see `scenarios/`), every
/// field optional, the rest from the built-in default.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulationConfig {
    pub epochs: u64,
    pub stakers: usize,
    /// The pool's validators and how each behaves.
    pub validators: Vec<ValidatorSpec>,
    /// `scored` (stake follows what validators return to stakers) or `manual` (their weights).
    pub strategy: StrategyMode,
    /// Staking rewards each epoch, in millionths of the stake: 400 is about 7% a year.
    pub rewards_ppm: u64,
    /// Share of the pool kept liquid in the reserve, in basis points.
    pub reserve_buffer_bps: u16,
    /// What searchers tip the pool's own tip accounts each epoch, at most, in lamports.
    pub pool_tip_lamports: u64,
    /// The same seed gives the same run.
    pub seed: u64,
    pub fees: Fees,
}

/// One validator of a scenario.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidatorSpec {
    /// Its inflation commission, in percent.
    pub commission: u8,
    /// The MEV commission it declares, in basis points; above the pool's cap, it keeps its MEV.
    pub mev_commission_bps: u16,
    /// What searchers tip its vault each epoch, in millionths of its stake (at least as for
    /// 1 SOL), give or take half.
    pub tip_ppm: u64,
    /// The run epoch from which it stops voting, if it does.
    #[serde(default)]
    pub stops_voting_at: Option<u64>,
    /// Its weight in `manual` mode.
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StrategyMode {
    Scored,
    Manual,
}

impl SimulationConfig {
    /// A scenario from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

impl Default for SimulationConfig {
    fn default() -> Self {
        let validator = |mev_commission_bps| ValidatorSpec {
            commission: 5,
            mev_commission_bps,
            tip_ppm: 1_500,
            stops_voting_at: None,
            weight: 1,
        };
        Self {
            epochs: 6,
            stakers: 4,
            // One shares all its MEV, one keeps an average commission, one keeps it all.
            validators: vec![validator(0), validator(800), validator(10_000)],
            strategy: StrategyMode::Scored,
            rewards_ppm: 400,
            reserve_buffer_bps: 1_000,
            pool_tip_lamports: 150_000,
            seed: 7,
            fees: Fees {
                deposit_bps: 10,
                withdrawal_bps: 30,
                ticket_bps: 0,
                epoch_bps: 500,
                mev_bps: 500,
                mev_commission_cap_bps: 1_000,
            },
        }
    }
}

/// The pool's ledger at the end of one epoch.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EpochReport {
    pub epoch: u64,
    /// Staking rewards the epoch roll found, before the epoch fee.
    pub rewards: u64,
    /// Tips distributed last epoch (the stakers' and the protocol's parts), counted into the
    /// pool's lamports at this epoch's roll.
    pub tips_counted: u64,
    /// MEV tips distributed this epoch, and where they went.
    pub tips: u64,
    pub tips_to_validators: u64,
    pub tips_to_protocol: u64,
    pub tips_to_stakers: u64,
    pub deposits: u32,
    pub withdrawals: u32,
    pub lamports_deposited: u64,
    /// Paid out at once by `withdraw_sol`.
    pub lamports_withdrawn: u64,
    /// Unstake tickets ordered, and the lamports they were given (out of `total_lamports`).
    pub tickets: u32,
    pub lamports_ticketed: u64,
    /// Tickets claimed, and the lamports paid to their owners.
    pub claims: u32,
    pub lamports_claimed: u64,
    /// Owed to tickets not yet claimed at the end of the epoch.
    pub ticket_lamports: u64,
    pub total_lamports: u64,
    /// Minted shares plus fee shares owed to the treasury.
    pub share_supply: u64,
    pub share_price: f64,
    /// The epoch's growth of the share price compounded over a year of mainnet epochs.
    pub annualised_yield: f64,
    /// Liquid lamports in the reserve, above its rent-exempt minimum.
    pub reserve_lamports: u64,
    /// Lamports delegated to validators, active or on their way.
    pub staked_lamports: u64,
    /// Each validator's lamports, in the order they were added.
    pub validator_stakes: Vec<u64>,
    /// What the validators' stake accounts keep, paid by the operator: no staker's.
    pub floor_lamports: u64,
    pub treasury_shares: u64,
    pub treasury_value: u64,
}

/// Epochs in a year on mainnet: 432,000 slots of about 400 ms make an epoch of about two days.
pub const EPOCHS_PER_YEAR: f64 = 365.25 * 86_400.0 / (432_000.0 * 0.4);

/// The growth from `previous_price` to `price` in one epoch, compounded over a year.
pub fn annualised_yield(previous_price: f64, price: f64) -> f64 {
    if previous_price <= 0.0 {
        return 0.0;
    }
    (price / previous_price).powf(EPOCHS_PER_YEAR) - 1.0
}

/// Runs the simulation, calling `report` after each epoch, and returns every epoch's report.
pub async fn run(
    config: &SimulationConfig,
    mut report: impl FnMut(&EpochReport),
) -> Result<Vec<EpochReport>, ClientError> {
    let mut rng = Rng(config.seed);
    let mut client = PoolClient::start().await;
    let admin = client.funded_keypair(10 * LAMPORTS_PER_SOL).await?;
    let treasury_owner = Keypair::new();
    client
        .initialize_pool(
            &admin,
            &Keypair::new(),
            &treasury_owner.pubkey(),
            InitializePoolArgs {
                operator: admin.pubkey(),
                fees: config.fees,
                tip_rate_cap_bps: DEFAULT_TIP_RATE_CAP_BPS,
                name: "Tributary Staked SOL".into(),
                symbol: "trSOL".into(),
                uri: String::new(),
            },
        )
        .await?;
    let mut stakers = Vec::with_capacity(config.stakers);
    for _ in 0..config.stakers {
        stakers.push(client.funded_keypair(1_000 * LAMPORTS_PER_SOL).await?);
    }
    let mut votes = Vec::with_capacity(config.validators.len());
    for spec in &config.validators {
        let (vote, withdrawer) = client.create_vote_account(spec.commission).await?;
        client.add_validator(&admin, &vote).await?;
        // The validator's payout account, its withdrawer's wallet, exists.
        client
            .transfer(&withdrawer.pubkey(), LAMPORTS_PER_SOL)
            .await?;
        client
            .set_mev_commission(
                &withdrawer,
                &vote,
                spec.mev_commission_bps,
                &withdrawer.pubkey(),
            )
            .await?;
        client.set_weight(&admin, &vote, spec.weight).await?;
        votes.push(vote);
    }
    client
        .set_strategy(
            &admin,
            Strategy {
                mode: match config.strategy {
                    StrategyMode::Scored => strategy_mode::SCORED,
                    StrategyMode::Manual => strategy_mode::MANUAL,
                },
                validator_cap_bps: 5_000,
                reserve_buffer_bps: config.reserve_buffer_bps,
                max_move_bps: 2_000,
            },
        )
        .await?;
    client.create_pool_tip_accounts().await?;
    let searcher = client.funded_keypair(1_000 * LAMPORTS_PER_SOL).await?;

    let mut reports: Vec<EpochReport> = Vec::with_capacity(config.epochs as usize);
    // Each open ticket: its staker, its address and the epoch it was ordered in.
    let mut open_tickets: Vec<(usize, Pubkey, u64)> = Vec::new();
    for _ in 0..config.epochs {
        let roll = client.crank().await?.roll;
        let mut flows = EpochReport {
            epoch: client.clock().await?.epoch,
            rewards: roll.as_ref().map_or(0, |roll| roll.rewards),
            tips_counted: roll.as_ref().map_or(0, |roll| roll.tips),
            tips: 0,
            tips_to_validators: 0,
            tips_to_protocol: 0,
            tips_to_stakers: 0,
            deposits: 0,
            withdrawals: 0,
            lamports_deposited: 0,
            lamports_withdrawn: 0,
            tickets: 0,
            lamports_ticketed: 0,
            claims: 0,
            lamports_claimed: 0,
            ticket_lamports: 0,
            total_lamports: 0,
            share_supply: 0,
            share_price: 0.0,
            annualised_yield: 0.0,
            reserve_lamports: 0,
            staked_lamports: 0,
            validator_stakes: Vec::new(),
            floor_lamports: 0,
            treasury_shares: 0,
            treasury_value: 0,
        };
        // Tickets ordered in earlier epochs are claimed once the reserve holds what they are
        // owed (the crank unstakes for them).
        let mut still_open = Vec::with_capacity(open_tickets.len());
        for (staker, ticket, ordered_epoch) in open_tickets {
            if flows.epoch > ordered_epoch && reserve_covers(&mut client, &ticket).await? {
                let outcome = client.claim_ticket(&stakers[staker], &ticket).await?;
                flows.claims += 1;
                flows.lamports_claimed += outcome.total(|event: &ClaimTicketEvent| event.lamports);
            } else {
                still_open.push((staker, ticket, ordered_epoch));
            }
        }
        open_tickets = still_open;
        for (index, staker) in stakers.iter().enumerate() {
            let held = client.shares_of(&staker.pubkey()).await?;
            // Mostly deposits; a holder sometimes redeems part of what it holds: half the time
            // at once when the reserve can pay it, otherwise through a ticket.
            if held > 0 && rng.between(0, 2) == 0 {
                let shares = held * rng.between(10, 100) / 100;
                if rng.between(0, 1) == 0 && reserve_can_pay(&mut client, shares).await? {
                    let outcome = client.withdraw_sol(staker, shares, 0).await?;
                    flows.withdrawals += 1;
                    flows.lamports_withdrawn +=
                        outcome.total(|event: &WithdrawSolEvent| event.lamports);
                } else {
                    let (ticket, outcome) = client.order_unstake(staker, shares).await?;
                    flows.tickets += 1;
                    flows.lamports_ticketed +=
                        outcome.total(|event: &OrderUnstakeEvent| event.lamports);
                    open_tickets.push((index, ticket, flows.epoch));
                }
            } else {
                let lamports = rng.between(1, 50) * LAMPORTS_PER_SOL;
                client.deposit_sol(staker, lamports, 0).await?;
                flows.deposits += 1;
                flows.lamports_deposited += lamports;
            }
        }
        // Scores refreshed, stake moves towards the validators that return the most.
        client.rebalance_all().await?;

        // Searchers tip the validators' vaults, in proportion to their stake (their share of
        // leader slots), and the pool's own tip accounts; anyone may then distribute.
        let pool_key = client.pool()?.pool;
        let entries = client.validator_list().await?;
        for (vote, spec) in votes.iter().zip(&config.validators) {
            let stake = entries
                .iter()
                .find(|entry| entry.vote == *vote)
                .map_or(0, |entry| entry.active_lamports + entry.transient_lamports);
            let base = stake.max(LAMPORTS_PER_SOL) * spec.tip_ppm / 1_000_000;
            let tip = rng.between(base / 2, base + base / 2);
            client
                .tip(&searcher, &find_mev_vault(&pool_key, vote).0, tip)
                .await?;
        }
        let pool_tip = find_pool_tip_accounts(&pool_key)[rng.between(0, 7) as usize];
        client
            .tip(
                &searcher,
                &pool_tip,
                rng.between(1, config.pool_tip_lamports),
            )
            .await?;
        let distributed = DistributionTotals::of(&client.distribute_all().await?);
        flows.tips = distributed.tips;
        flows.tips_to_validators = distributed.to_validators;
        flows.tips_to_protocol = distributed.to_protocol;
        flows.tips_to_stakers = distributed.to_stakers;

        let pool = client.pool_state().await?;
        let mint = client.mint_state().await?;
        let reserve = client.pool()?.reserve;
        let rent = client.rent().await?;
        let entries = client.validator_list().await?;
        let treasury_owed =
            client.token_balance(&pool.treasury).await? + pool.pending_treasury_shares;
        let share_supply = pool.share_supply(mint.supply).unwrap_or(u64::MAX);
        flows.total_lamports = pool.total_lamports;
        flows.ticket_lamports = pool.ticket_lamports;
        flows.share_supply = share_supply;
        flows.share_price = tributary::math::share_price(pool.total_lamports, share_supply);
        // The first deposit was at one lamport per share.
        let previous_price = reports.last().map_or(1.0, |previous| previous.share_price);
        flows.annualised_yield = annualised_yield(previous_price, flows.share_price);
        flows.reserve_lamports = client.balance(&reserve).await? - rent.minimum_balance(0);
        flows.validator_stakes = votes
            .iter()
            .map(|vote| {
                entries
                    .iter()
                    .find(|entry| entry.vote == *vote)
                    .map_or(0, |entry| entry.active_lamports + entry.transient_lamports)
            })
            .collect();
        flows.staked_lamports = flows.validator_stakes.iter().sum();
        flows.floor_lamports = pool.floor_lamports;
        flows.treasury_shares = treasury_owed;
        flows.treasury_value =
            shares_to_lamports(treasury_owed, pool.total_lamports, share_supply).unwrap_or(0);
        report(&flows);
        reports.push(flows);

        // The validators vote, but for those that stopped; the runtime pays rewards on active
        // stake at the boundary, here added to the stake accounts, as the stake-pool projects'
        // own tests do.
        let run_epoch = reports.len() as u64 - 1;
        for (vote, spec) in votes.iter().zip(&config.validators) {
            if spec.stops_voting_at.is_none_or(|epoch| run_epoch < epoch) {
                client.context().increment_vote_account_credits(vote, 100);
            }
        }
        for entry in &entries {
            let reward = entry.active_lamports * config.rewards_ppm / 1_000_000;
            if reward > 0 {
                client.transfer(&entry.validator_stake, reward).await?;
            }
        }
        client.warp_epochs(1).await?;
    }
    Ok(reports)
}

/// Whether the reserve holds what `ticket` is owed, with the rent a claim leaves behind.
async fn reserve_covers(client: &mut PoolClient, ticket: &Pubkey) -> Result<bool, ClientError> {
    let owed = client.ticket_owed(ticket).await?;
    let rent = client.rent().await?;
    Ok(spendable(client)
        .await?
        .saturating_sub(rent.minimum_balance(STAKE_ACCOUNT_SPACE))
        >= owed)
}

/// Whether the reserve holds what a withdrawal of `shares` pays, above what it keeps for
/// tickets.
async fn reserve_can_pay(client: &mut PoolClient, shares: u64) -> Result<bool, ClientError> {
    let pool = client.pool_state().await?;
    let supply = pool
        .share_supply(client.mint_state().await?.supply)
        .unwrap_or(u64::MAX);
    let rent = client.rent().await?;
    let keep = pool
        .reserve_for_tickets(rent.minimum_balance(STAKE_ACCOUNT_SPACE))
        .unwrap_or(u64::MAX);
    let quote = quote_withdraw(
        shares,
        pool.total_lamports,
        supply,
        pool.fees.withdrawal_bps,
    );
    let available = spendable(client).await?.saturating_sub(keep);
    Ok(quote.is_some_and(|quote| quote.lamports <= available))
}

/// The reserve's lamports above its rent-exempt minimum.
async fn spendable(client: &mut PoolClient) -> Result<u64, ClientError> {
    let reserve = client.pool()?.reserve;
    let rent = client.rent().await?;
    Ok(client
        .balance(&reserve)
        .await?
        .saturating_sub(rent.minimum_balance(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary::constants::LOCKED_SEED_LAMPORTS;

    fn small() -> SimulationConfig {
        SimulationConfig {
            epochs: 5,
            stakers: 3,
            seed: 7,
            ..SimulationConfig::default()
        }
    }

    #[tokio::test]
    async fn the_ledger_is_conserved_every_epoch() {
        let reports = run(&small(), |_| {}).await.unwrap();
        assert_eq!(reports.len(), 5);
        // The admin's locked seed.
        let mut expected = LOCKED_SEED_LAMPORTS;
        let (mut ticketed, mut claimed) = (0, 0);
        for report in &reports {
            // Every tip went to the validators, the protocol or the stakers.
            assert_eq!(
                report.tips_to_validators + report.tips_to_protocol + report.tips_to_stakers,
                report.tips
            );
            expected = expected + report.rewards + report.tips_counted + report.lamports_deposited
                - report.lamports_withdrawn
                - report.lamports_ticketed;
            ticketed += report.lamports_ticketed;
            claimed += report.lamports_claimed;
            // Every lamport the ledger counts, every lamport owed to a ticket, the validators'
            // floors and the tips waiting for the next roll are in the reserve or with a
            // validator.
            assert_eq!(
                report.reserve_lamports + report.staked_lamports,
                report.total_lamports
                    + report.ticket_lamports
                    + report.floor_lamports
                    + report.tips
                    - report.tips_to_validators
            );
            assert_eq!(report.total_lamports, expected);
            // A ticket's lamports are owed until claimed, then paid in full.
            assert_eq!(ticketed - claimed, report.ticket_lamports);
        }
        assert!(reports.iter().map(|r| r.deposits).sum::<u32>() > 0);
        assert!(reports.iter().map(|r| r.withdrawals).sum::<u32>() > 0);
        assert!(reports.iter().map(|r| r.tickets).sum::<u32>() > 0);
        assert!(reports.iter().map(|r| r.claims).sum::<u32>() > 0);
        // Rewards arrive from the second epoch on and raise the share price.
        assert!(reports[1..].iter().all(|r| r.rewards > 0));
        assert!(reports
            .windows(2)
            .all(|w| w[1].share_price >= w[0].share_price));
        assert!(reports.last().unwrap().share_price > 1.0);
        assert!(reports.last().unwrap().staked_lamports > 0);
        // Stake moved towards the validator that shares its MEV and away from the one that
        // keeps it.
        let stakes = &reports.last().unwrap().validator_stakes;
        assert!(stakes[0] > stakes[2], "{stakes:?}");
        assert!(reports.last().unwrap().treasury_value > 0);
        assert!(reports.iter().all(|r| r.tips > 0));
        // A declared commission is a raise from nothing: it is paid from the next epoch on.
        assert!(reports[1..].iter().all(|r| r.tips_to_validators > 0));
    }

    #[tokio::test]
    async fn the_five_validator_scenario_moves_stake_to_the_one_that_shares() {
        let text = include_str!("../../scenarios/five-validators.toml");
        // Its ten epochs: stake follows the scores at the movement cap's pace, and the validator
        // that stopped voting has been unstaked by then.
        let config = SimulationConfig::from_toml(text).unwrap();
        assert_eq!(config.validators.len(), 5);
        let reports = run(&config, |_| {}).await.unwrap();
        let stakes = &reports.last().unwrap().validator_stakes;
        let seed = stakes[1];
        // The one that shares leads; the one that keeps its MEV and the one that stopped voting
        // hold no more than their seed stake; the high-commission one trails the average one.
        assert!(stakes.iter().all(|stake| *stake <= stakes[0]), "{stakes:?}");
        assert_eq!(stakes[3], seed, "{stakes:?}");
        assert!(stakes[4] > stakes[2], "{stakes:?}");
        assert!(stakes[2] > seed, "{stakes:?}");
    }

    #[test]
    fn a_scenario_is_checked_for_unknown_fields() {
        assert!(SimulationConfig::from_toml("epochs = 3").is_ok());
        assert!(SimulationConfig::from_toml("epochz = 3").is_err());
        assert!(SimulationConfig::from_toml("strategy = \"random\"").is_err());
    }

    #[tokio::test]
    async fn writes_the_figures_and_a_chart() {
        let config = small();
        let reports = run(&config, |_| {}).await.unwrap();
        let out = tempfile::tempdir().unwrap();
        crate::report::write_outputs(out.path(), &config, &reports).unwrap();
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join("simulation.json")).unwrap(),
        )
        .unwrap();
        let epochs = json["epochs"].as_array().unwrap();
        assert_eq!(epochs.len(), reports.len());
        assert_eq!(
            epochs[3]["total_lamports"].as_u64(),
            Some(reports[3].total_lamports)
        );
        assert_eq!(json["config"]["fees"]["epoch_bps"].as_u64(), Some(500));
        let svg = std::fs::read_to_string(out.path().join("simulation.svg")).unwrap();
        assert!(svg.starts_with("<svg"));
        // One line for the price, four for the flows, one per validator.
        assert_eq!(
            svg.matches("<polyline").count(),
            1 + 4 + config.validators.len()
        );
    }

    #[tokio::test]
    async fn the_same_seed_gives_the_same_run() {
        let first = run(&small(), |_| {}).await.unwrap();
        assert_eq!(run(&small(), |_| {}).await.unwrap(), first);
        let other = SimulationConfig { seed: 8, ..small() };
        assert_ne!(run(&other, |_| {}).await.unwrap(), first);
    }
}
