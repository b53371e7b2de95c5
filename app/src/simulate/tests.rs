use std::ops::ControlFlow;

use tributary::constants::LOCKED_SEED_LAMPORTS;

use super::*;

fn small() -> SimulationConfig {
    SimulationConfig {
        epochs: 5,
        stakers: 3,
        seed: 7,
        ..SimulationConfig::default()
    }
}

/// Runs `config` to its end; any stop fails the test, naming the epoch and the actor.
async fn complete(config: &SimulationConfig) -> Vec<EpochReport> {
    let run = run(
        config,
        |_| ControlFlow::Continue(()),
        std::future::pending(),
    )
    .await;
    if let Some(stop) = run.stop {
        panic!("seed {}: the run stopped: {stop:?}", config.seed);
    }
    assert_eq!(run.reports.len() as u64, config.epochs);
    run.reports
}

/// The ledger's identities after every epoch: every lamport the pool counts, owes to a ticket,
/// keeps as a floor or holds as tips for the next roll is in the reserve or with a validator;
/// what it counts moves only by rewards, counted tips, deposits and redemptions; tickets are
/// owed what they were given until claimed; every tip went somewhere.
fn assert_ledger(reports: &[EpochReport]) {
    // The admin's locked seed.
    let mut expected = LOCKED_SEED_LAMPORTS;
    let (mut ticketed, mut claimed) = (0, 0);
    for report in reports {
        let epoch = report.epoch;
        assert_eq!(
            report.tips_to_validators + report.tips_to_protocol + report.tips_to_stakers,
            report.tips,
            "epoch {epoch}"
        );
        expected = expected + report.rewards + report.tips_counted + report.lamports_deposited
            - report.lamports_withdrawn
            - report.lamports_ticketed;
        ticketed += report.lamports_ticketed;
        claimed += report.lamports_claimed;
        assert_eq!(
            report.reserve_lamports + report.staked_lamports,
            report.total_lamports + report.ticket_lamports + report.floor_lamports + report.tips
                - report.tips_to_validators,
            "epoch {epoch}"
        );
        assert_eq!(report.total_lamports, expected, "epoch {epoch}");
        assert_eq!(ticketed - claimed, report.ticket_lamports, "epoch {epoch}");
    }
}

#[tokio::test]
async fn the_ledger_is_conserved_every_epoch() {
    let reports = complete(&small()).await;
    assert_ledger(&reports);
    assert!(reports.iter().map(|r| r.deposits).sum::<u32>() > 0);
    assert!(reports.iter().map(|r| r.withdrawals).sum::<u32>() > 0);
    assert!(reports.iter().map(|r| r.tickets).sum::<u32>() > 0);
    assert!(reports.iter().map(|r| r.claims).sum::<u32>() > 0);
    // Rewards arrive once stake is active and raise the share price.
    assert!(reports[2..].iter().all(|r| r.rewards > 0));
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
async fn the_only_rewards_are_the_scenarios() {
    // No rewards, no tips: the bank's own inflation is taken back at every boundary.
    let mut config = SimulationConfig {
        epochs: 12,
        rewards_ppm: 0,
        pool_tip_lamports: 0,
        ..small()
    };
    for validator in &mut config.validators {
        validator.tip_ppm = 0;
    }
    let reports = complete(&config).await;
    assert_ledger(&reports);
    assert!(reports.iter().all(|r| r.rewards == 0 && r.tips == 0));
    // The price grows only by the fees stakers leave behind: well under a percent.
    let last = reports.last().unwrap();
    assert!(
        last.share_price >= 1.0 && last.share_price < 1.01,
        "{last:?}"
    );
    // With the scenario's rewards, each epoch's are what the stake active at its start earns:
    // 400 millionths, less the stake that was still activating.
    let config = SimulationConfig {
        rewards_ppm: 400,
        ..config
    };
    let reports = complete(&config).await;
    for pair in reports.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        assert!(
            after.rewards <= before.staked_lamports * 400 / 1_000_000 + 1,
            "{after:?}"
        );
    }
    assert!(reports[3..].iter().all(|r| r.rewards > 0));
    // The APY column is the price's growth: about 7.6% a year at 400 millionths an epoch,
    // before fees and on the staked part only, so never above that.
    assert!(
        reports.iter().all(|r| r.annualised_yield < 0.076),
        "{reports:?}"
    );
}

#[tokio::test]
async fn the_five_validator_scenario_moves_stake_to_the_one_that_shares() {
    let text = include_str!("../../../scenarios/five-validators.toml");
    // Its ten epochs: stake follows the scores at the movement cap's pace, and the validator
    // that stopped voting has been unstaked by then.
    let config = SimulationConfig::from_toml(text).unwrap();
    assert_eq!(config.validators.len(), 5);
    let reports = complete(&config).await;
    assert_ledger(&reports);
    let stakes = &reports.last().unwrap().validator_stakes;
    let seed = stakes[1];
    // The one that shares leads; the one that keeps its MEV and the one that stopped voting
    // hold no more than their seed stake; the high-commission one trails the average one.
    assert!(stakes.iter().all(|stake| *stake <= stakes[0]), "{stakes:?}");
    assert_eq!(stakes[3], seed, "{stakes:?}");
    assert!(stakes[4] > stakes[2], "{stakes:?}");
    assert!(stakes[2] > seed, "{stakes:?}");
}

/// Many seeds over many epochs, with tickets, withdrawals and a validator that stops voting:
/// no seed stops, and the ledger holds after every epoch.
async fn seeds_complete(seeds: std::ops::Range<u64>) {
    let text = include_str!("../../../scenarios/five-validators.toml");
    let base = SimulationConfig::from_toml(text).unwrap();
    for seed in seeds {
        let config = SimulationConfig {
            seed,
            epochs: 30,
            stakers: 3,
            ..base.clone()
        };
        let reports = complete(&config).await;
        assert_ledger(&reports);
        let sum = |count: fn(&EpochReport) -> u32| reports.iter().map(count).sum::<u32>();
        assert!(sum(|r| r.withdrawals) > 0, "seed {seed}");
        assert!(
            sum(|r| r.tickets) > 0 && sum(|r| r.claims) > 0,
            "seed {seed}"
        );
    }
}

#[tokio::test]
async fn seeds_1_to_5_complete_30_epochs() {
    seeds_complete(1..6).await;
}

#[tokio::test]
async fn seeds_6_to_10_complete_30_epochs() {
    seeds_complete(6..11).await;
}

#[tokio::test]
async fn seeds_11_to_15_complete_30_epochs() {
    seeds_complete(11..16).await;
}

#[tokio::test]
async fn seeds_16_to_20_complete_30_epochs() {
    seeds_complete(16..21).await;
}

#[tokio::test]
async fn a_run_stops_when_asked_and_keeps_its_epochs() {
    let config = small();
    let mut seen = 0;
    let run = run(
        &config,
        |_| {
            seen += 1;
            if seen == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
        std::future::pending(),
    )
    .await;
    assert!(matches!(run.stop, Some(Stop::Stopped)));
    assert_eq!(run.reports.len(), 2);
    // An interruption before the first epoch ends keeps nothing, and says so.
    let run = run_interrupted(&config).await;
    assert!(matches!(run.stop, Some(Stop::Interrupted)));
    assert!(run.reports.is_empty());
}

async fn run_interrupted(config: &SimulationConfig) -> Run {
    run(
        config,
        |_| ControlFlow::Continue(()),
        std::future::ready(()),
    )
    .await
}

#[tokio::test]
async fn writes_the_figures_and_a_chart() {
    let config = small();
    let reports = complete(&config).await;
    let out = tempfile::tempdir().unwrap();
    write_outputs(out.path(), &config, &reports).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("simulation.json")).unwrap())
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
    let first = complete(&small()).await;
    assert_eq!(complete(&small()).await, first);
    let other = SimulationConfig { seed: 8, ..small() };
    assert_ne!(complete(&other).await, first);
}
