use std::ops::ControlFlow;

use tributary::constants::LOCKED_SEED_LAMPORTS;

use tributary_client::LAMPORTS_PER_SOL;

use super::*;

fn small() -> SimulationConfig {
    SimulationConfig {
        epochs: 5,
        stakers: 3,
        seed: 7,
        ..SimulationConfig::default()
    }
}

/// Runs `config` through `designs` to its end; any stop fails the test, naming the epoch and
/// the actor.
async fn complete_designs(config: &SimulationConfig, designs: &[Design]) -> Vec<DesignRun> {
    let run = run_designs(
        config,
        designs,
        |_| ControlFlow::Continue(()),
        std::future::pending(),
    )
    .await;
    if let Some(stop) = run.stop {
        panic!("seed {}: the run stopped: {stop:?}", config.seed);
    }
    for design in &run.designs {
        assert_eq!(design.reports.len() as u64, config.epochs);
        assert_ledger(&design.reports);
    }
    run.designs
}

/// The integrated design's epochs.
async fn complete(config: &SimulationConfig) -> Vec<EpochReport> {
    let mut designs = complete_designs(config, &[Design::Integrated]).await;
    designs.remove(0).reports
}

/// The ledger's identities after every epoch: every lamport the pool counts, owes to a ticket,
/// keeps as a floor or holds as tips for the next roll is in the reserve or with a validator;
/// what it counts moves only by rewards, counted tips, deposits and redemptions; tickets are
/// owed what they were given until claimed; every lamport of MEV captured went to a searcher, a
/// builder, a validator or a vault, and what the vaults hold (read from the bank) is what was
/// tipped into them and not distributed; the rewards each roll counts are what the runtime paid
/// the stake accounts at the boundary before it.
fn assert_ledger(reports: &[EpochReport]) {
    // The admin's locked seed.
    let mut expected = LOCKED_SEED_LAMPORTS;
    let (mut ticketed, mut claimed, mut waiting) = (0, 0, 0);
    let mut paid_to_stake_accounts = 0;
    for report in reports {
        let epoch = report.epoch;
        assert_eq!(
            report.tips_to_validators + report.tips_to_protocol + report.tips_to_stakers,
            report.tips,
            "epoch {epoch}"
        );
        let mev = &report.mev;
        assert_eq!(
            mev.to_searchers + mev.to_builder + mev.tips,
            mev.captured,
            "epoch {epoch}"
        );
        assert!(mev.captured <= mev.available, "epoch {epoch}");
        assert_eq!(
            report.tips_to_vaults + report.tips_kept_by_validators + report.jito.tips,
            mev.tips,
            "epoch {epoch}"
        );
        waiting = waiting + report.tips_to_vaults + report.stake_tips_collected - report.tips;
        assert_eq!(report.tips_waiting, waiting, "epoch {epoch}");
        assert_eq!(report.rewards, paid_to_stake_accounts, "epoch {epoch}");
        paid_to_stake_accounts = report.rewards_paid - report.rewards_commission;
        let earned = |part: fn(&ValidatorEarnings) -> u64| {
            report.validator_earnings.iter().map(part).sum::<u64>()
        };
        let commission = earned(|earned| earned.inflation_commission);
        assert_eq!(commission, report.rewards_commission, "epoch {epoch}");
        let mev_commission = earned(|earned| earned.mev_commission);
        assert_eq!(mev_commission, report.tips_to_validators, "epoch {epoch}");
        expected = expected + report.rewards + report.tips_counted + report.lamports_deposited
            - report.lamports_withdrawn
            - report.lamports_ticketed;
        ticketed += report.lamports_ticketed;
        claimed += report.lamports_claimed;
        assert_eq!(
            report.reserve_lamports + report.staked_lamports,
            report.total_lamports
                + report.locked_lamports
                + report.ticket_lamports
                + report.floor_lamports
                + report.tips
                - report.tips_to_validators,
            "epoch {epoch}"
        );
        assert_eq!(
            report.total_lamports + report.locked_lamports,
            expected,
            "epoch {epoch}"
        );
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
    assert!(reports.last().unwrap().treasury_value > 0);
    // Once stake is delegated, the leaders' slots find MEV and their tips are distributed.
    assert!(reports[2..]
        .iter()
        .all(|r| r.mev.available > 0 && r.tips > 0));
    // The validator that routes its tips away keeps them; the others' reach the vaults or Jito.
    let kept: u64 = reports
        .iter()
        .map(|r| r.validator_earnings[4].tips_kept)
        .sum();
    assert!(kept > 0);
    assert_eq!(
        kept,
        reports
            .iter()
            .map(|r| r.tips_kept_by_validators)
            .sum::<u64>()
    );
}

#[tokio::test]
async fn the_only_rewards_are_the_scenarios() {
    // No rewards, no tips: the bank's own inflation is taken back at every boundary.
    let config = SimulationConfig {
        epochs: 12,
        rewards_ppm: 0,
        mev_ppm: 0,
        ..small()
    };
    let reports = complete(&config).await;
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
    // The price's growth over the run: about 7.6% a year at 400 millionths an epoch, before
    // fees and on the staked part only, so never above that. (One epoch's can be more: income
    // is released over the epoch after the roll, and what a holder who left had not yet been
    // released stays with those who held on.)
    let (first, last) = (&reports[3], reports.last().unwrap());
    let epochs = (last.epoch - first.epoch) as f64;
    let yearly = (last.share_price / first.share_price).powf(super::EPOCHS_PER_YEAR / epochs) - 1.0;
    assert!(yearly < 0.076, "{yearly} {reports:?}");
}

#[tokio::test]
async fn the_five_validator_scenario_moves_stake_to_the_one_that_shares() {
    let text = include_str!("../../../../../scenarios/five-validators.toml");
    // Its ten epochs: stake follows the scores at the movement cap's pace, and the validator
    // that stopped voting has been unstaked by then.
    let config = SimulationConfig::from_toml(text).unwrap();
    assert_eq!(config.validators.len(), 5);
    let reports = complete(&config).await;
    let stakes = &reports.last().unwrap().validator_stakes;
    // One of the two that share most of their MEV leads (which one is the slots' luck: the
    // delegation rule gives stake to the best); the one that declares it keeps all its MEV
    // never gets more than the operator's floor (and the floor's rewards, which tickets may
    // unstake, through a transient account whose rent the reserve lends meanwhile); the
    // high-commission one and the one that stopped voting trail the leader.
    let floor = reports[0].validator_stakes[1];
    assert!(stakes[1] < 2 * floor + floor / 10, "{stakes:?}");
    let leader = stakes[0].max(stakes[4]);
    assert_eq!(stakes.iter().max(), Some(&leader), "{stakes:?}");
    for trailing in [stakes[2], stakes[3]] {
        assert!(trailing < leader, "{stakes:?}");
    }
    // Since it stopped voting it earns and scores nothing, and stake leaves it.
    let stopped: Vec<u64> = reports[4..].iter().map(|r| r.validator_stakes[3]).collect();
    assert!(stopped.last() < stopped.first(), "{stopped:?}");
    assert!(reports[4..]
        .iter()
        .all(|r| r.validator_earnings[3].inflation_commission == 0));
}

/// Many seeds over many epochs, with tickets, withdrawals and a validator that stops voting:
/// no seed stops, and the ledger holds after every epoch.
async fn seeds_complete(seeds: std::ops::Range<u64>) {
    let text = include_str!("../../../../../scenarios/five-validators.toml");
    let base = SimulationConfig::from_toml(text).unwrap();
    for seed in seeds {
        let config = SimulationConfig {
            seed,
            epochs: 30,
            stakers: 3,
            ..base.clone()
        };
        let reports = complete(&config).await;
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

// The runs as a whole: stopping, the outputs, and the designs side by side.
mod config;
mod designs;
