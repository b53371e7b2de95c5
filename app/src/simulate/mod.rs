//! The value-flow simulation: a pool in an in-process bank with validators, stakers depositing
//! and withdrawing, staking rewards, searchers tipping, the epoch crank and rebalancing, over
//! several epochs, and the pool's ledger after each epoch. `run.rs` drives it, `table.rs` prints
//! it, `report.rs` writes its figures and chart.

use tributary::state::{Fees, StrategyMode};

mod report;
mod run;
mod table;

pub use report::{chart, write_outputs};
pub use run::run;
pub use table::{epoch_text, header_text, summary_text};

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
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
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
    /// `Pool::share_supply`: minted, owed to the treasury and locked shares.
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

/// Lamports in SOL, for figures and charts (`cli::sol` prints them exactly).
pub fn in_sol(lamports: u64) -> f64 {
    lamports as f64 / crate::LAMPORTS_PER_SOL as f64
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
        let text = include_str!("../../../scenarios/five-validators.toml");
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
        write_outputs(out.path(), &config, &reports).unwrap();
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
