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
            report.tips_to_vaults + report.tips_kept_by_validators,
            mev.tips,
            "epoch {epoch}"
        );
        waiting = waiting + report.tips_to_vaults - report.tips;
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
    // The validator that routes its tips away keeps them; the others' reach the vaults.
    let kept: u64 = reports
        .iter()
        .map(|r| r.validator_earnings[2].tips_kept)
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
    let text = include_str!("../../../../scenarios/five-validators.toml");
    // Its ten epochs: stake follows the scores at the movement cap's pace, and the validator
    // that stopped voting has been unstaked by then.
    let config = SimulationConfig::from_toml(text).unwrap();
    assert_eq!(config.validators.len(), 5);
    let reports = complete(&config).await;
    let stakes = &reports.last().unwrap().validator_stakes;
    // The two that share most of their MEV lead (which of them first is the slots' luck); the
    // one that declares it keeps all its MEV never gets more than the operator's floor (and
    // the floor's rewards); the high-commission one and the one that stopped voting trail both
    // leaders.
    let floor = reports[0].validator_stakes[1];
    assert!(stakes[1] < floor + floor / 10, "{stakes:?}");
    for trailing in [stakes[2], stakes[3]] {
        assert!(trailing < stakes[0] && trailing < stakes[4], "{stakes:?}");
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
    let text = include_str!("../../../../scenarios/five-validators.toml");
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

#[tokio::test]
async fn a_run_stops_when_asked_and_keeps_its_epochs() {
    let config = small();
    let mut seen = 0;
    let run = run_designs(
        &config,
        &Design::ALL,
        |reports| {
            assert_eq!(reports.len(), Design::ALL.len());
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
    assert!(run.designs.iter().all(|design| design.reports.len() == 2));
    // An interruption before the first epoch ends keeps nothing, and says so.
    let run = run_interrupted(&config).await;
    assert!(matches!(run.stop, Some(Stop::Interrupted)));
    assert!(run.designs.iter().all(|design| design.reports.is_empty()));
    // A scenario outside the limits runs nothing.
    let invalid = SimulationConfig {
        epochs: 0,
        ..small()
    };
    let run = run_interrupted(&invalid).await;
    assert!(matches!(run.stop, Some(Stop::Invalid(_))), "{:?}", run.stop);
}

async fn run_interrupted(config: &SimulationConfig) -> Run {
    run_designs(
        config,
        &[Design::Integrated],
        |_| ControlFlow::Continue(()),
        std::future::ready(()),
    )
    .await
}

#[tokio::test]
async fn writes_the_figures_and_the_charts() {
    let config = small();
    let designs = complete_designs(&config, &Design::ALL).await;
    let summary = DesignSummary::of(&config, &designs[0]);
    let results: Vec<DesignResult> = designs
        .iter()
        .map(|run| {
            DesignResult::of(
                &config,
                DesignRun {
                    design: run.design,
                    reports: run.reports.clone(),
                },
            )
        })
        .collect();
    let out = tempfile::tempdir().unwrap();
    write_outputs(out.path(), &config, &results).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("simulation.json")).unwrap())
            .unwrap();
    let written = json["designs"].as_array().unwrap();
    assert_eq!(written.len(), 3);
    assert_eq!(written[1]["design"], "modular");
    let epochs = written[0]["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), designs[0].reports.len());
    assert_eq!(
        epochs[3]["total_lamports"].as_u64(),
        Some(designs[0].reports[3].total_lamports)
    );
    assert_eq!(
        written[0]["summary"]["mev"]["captured"].as_u64(),
        Some(summary.mev.captured)
    );
    assert_eq!(json["config"]["fees"]["epoch_bps"].as_u64(), Some(500));
    for file in CHART_FILES {
        let svg = std::fs::read_to_string(out.path().join(file)).unwrap();
        let document = roxmltree::Document::parse(&svg).unwrap();
        assert_eq!(document.root_element().tag_name().name(), "svg", "{file}");
        assert!(svg.contains(&format!("seed {}", config.seed)), "{file}");
    }
    let price = std::fs::read_to_string(out.path().join("share-price.svg")).unwrap();
    assert!(Design::ALL
        .iter()
        .all(|design| price.contains(design.name())));
    let stake = std::fs::read_to_string(out.path().join("stake.svg")).unwrap();
    assert!(config.validators.iter().all(|v| stake.contains(&v.name)));
}

#[tokio::test]
async fn the_same_seed_gives_the_same_run() {
    let first = complete(&small()).await;
    assert_eq!(complete(&small()).await, first);
    let other = SimulationConfig { seed: 8, ..small() };
    assert_ne!(complete(&other).await, first);
}

/// The stake the validator `name` held on average over a design's run.
fn average_stake_of(summary: &DesignSummary, name: &str) -> u64 {
    summary
        .validators
        .iter()
        .find(|validator| validator.name == name)
        .map(|validator| validator.average_stake)
        .unwrap()
}

#[tokio::test]
async fn the_designs_see_the_same_draws_and_the_integrated_one_pays_stakers_most() {
    let config = SimulationConfig::default();
    let designs = complete_designs(&config, &Design::ALL).await;
    let summaries: Vec<DesignSummary> = designs
        .iter()
        .map(|run| DesignSummary::of(&config, run))
        .collect();
    let [integrated, modular, blind] = &summaries[..] else {
        panic!("three designs");
    };
    // The same stakers' draws: the first epoch's deposits are the same everywhere.
    let first: Vec<&EpochReport> = designs.iter().map(|run| &run.reports[0]).collect();
    assert!(first
        .iter()
        .all(|r| r.lamports_deposited == first[0].lamports_deposited));
    // Every lamport of MEV and of staking rewards accounted for, in every design: the rolls
    // counted all the runtime paid the stake accounts but the last boundary's.
    for (summary, run) in summaries.iter().zip(&designs) {
        let last = run.reports.last().unwrap();
        assert_eq!(
            summary.rewards_paid - summary.rewards_commission - summary.rewards_counted,
            last.rewards_paid - last.rewards_commission
        );
        assert_eq!(
            summary.mev.to_searchers
                + summary.mev.to_builder
                + summary.tips_kept_by_validators
                + summary.tips_to_validators
                + summary.tips_to_protocol
                + summary.tips_to_stakers
                + summary.tips_waiting,
            summary.mev.captured,
            "{:?}",
            summary.design
        );
    }
    // No pool sees a tip in the modular design.
    assert_eq!(modular.tips_to_vaults, 0);
    assert_eq!(modular.tips_to_stakers, 0);
    assert!(modular.tips_kept_by_validators > 0);
    // Stakers earn most in the integrated design.
    assert!(
        integrated.staker_apy > blind.staker_apy && blind.staker_apy > modular.staker_apy,
        "{} {} {}",
        integrated.staker_apy,
        blind.staker_apy,
        modular.staker_apy
    );
    // Stake moves away from the validator that keeps its MEV: it holds less, on average over
    // the run (the tickets' and deposits' swings blur any single epoch), than the two that share
    // and than it held with equal weights, and earns less than in the modular pool.
    let keeper = average_stake_of(integrated, "keeps its MEV");
    assert!(keeper < average_stake_of(integrated, "shares its MEV"));
    assert!(keeper < average_stake_of(integrated, "8% MEV commission"));
    assert!(keeper < average_stake_of(modular, "keeps its MEV"));
    let earned = |summary: &DesignSummary| {
        let keeper = summary
            .validators
            .iter()
            .find(|v| v.name == "keeps its MEV");
        keeper.map(|v| v.earned.total()).unwrap()
    };
    assert!(earned(integrated) < earned(modular));
    let text = comparison_text(&summaries);
    assert!(text.contains("Stakers earned"), "{text}");
    assert!(text.contains("against modular"), "{text}");
}

#[tokio::test]
async fn builders_and_sharing_move_stake_only_in_the_integrated_design() {
    let text = include_str!("../../../../scenarios/builders.toml");
    let config = SimulationConfig::from_toml(text).unwrap();
    let designs = complete_designs(&config, &Design::ALL).await;
    let stakes: Vec<&Vec<u64>> = designs
        .iter()
        .map(|run| &run.reports.last().unwrap().validator_stakes)
        .collect();
    // Integrated: the efficient builder that shares leads every other.
    let integrated = stakes[0];
    assert!(
        integrated[1..].iter().all(|stake| *stake < integrated[0]),
        "{integrated:?}"
    );
    assert!(integrated[2] > integrated[3], "{integrated:?}");
    // The others weigh everyone alike: no validator ends with a tenth more than another.
    for other in &stakes[1..] {
        let (low, high) = (other.iter().min().unwrap(), other.iter().max().unwrap());
        assert!(*high <= low + low / 10, "{other:?}");
    }
}

#[tokio::test]
async fn two_designs_that_act_alike_give_the_same_run() {
    // Integrated with the operator's equal weights is the declared-commission, MEV-blind
    // design: the same draws must give the same epochs, lamport for lamport.
    let config = SimulationConfig {
        strategy: tributary::state::StrategyMode::Manual,
        ..small()
    };
    let designs = complete_designs(&config, &[Design::Integrated, Design::DeclaredBlind]).await;
    assert_eq!(designs[0].reports, designs[1].reports);
    assert!(designs[0].reports.iter().any(|r| r.mev.available > 0));
}

#[tokio::test]
async fn a_small_validators_lucky_bundle_does_not_win_the_most_stake() {
    // Three validators share all their MEV; the fourth keeps a 30% inflation commission, so it
    // stays small, and in its fourth epoch lands a bundle worth half of what the whole pool's
    // slots offer in an epoch. Per SOL of its own stake that is a fortune; per SOL of the
    // average stake, which is all a score trusts, it is not.
    let mut config = SimulationConfig {
        epochs: 16,
        ..SimulationConfig::default()
    };
    let sharer = config.validators[0].clone();
    config.validators = vec![sharer.clone(), sharer.clone(), sharer.clone(), sharer];
    let lucky = &mut config.validators[3];
    lucky.name = "small and lucky".into();
    lucky.commission = 30;
    lucky.lucky_tip = Some(LuckyTip {
        epoch: 4,
        lamports: LAMPORTS_PER_SOL / 20,
    });
    let designs = complete_designs(&config, &[Design::Integrated]).await;
    let reports = &designs[0].reports;
    assert_eq!(reports[4].validator_earnings[3].mev_commission, 0);
    let landed = reports[4].mev.tips;
    assert!(landed >= LAMPORTS_PER_SOL / 20, "{landed}");
    // Equal sharers' stakes differ by their slots' luck and by where tickets are unstaked from,
    // epoch by epoch; over the run since its bundle, the lucky one holds the least on average,
    // and it ends below their average.
    let average = |validator: usize| {
        let held: u64 = reports[4..]
            .iter()
            .map(|report| report.validator_stakes[validator])
            .sum();
        held / reports[4..].len() as u64
    };
    let averages: Vec<u64> = (0..4).map(average).collect();
    assert!(
        averages[..3].iter().all(|sharer| *sharer > averages[3]),
        "{averages:?}"
    );
    let last = &reports.last().unwrap().validator_stakes;
    assert!(last[3] < last[..3].iter().sum::<u64>() / 3, "{last:?}");
}
