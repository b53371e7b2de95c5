//! The simulation's runs as a whole: stopping, the outputs, and the designs side by side.

use std::ops::ControlFlow;

use super::*;

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
    let text = include_str!("../../../../../scenarios/builders.toml");
    let config = SimulationConfig::from_toml(text).unwrap();
    let designs = complete_designs(&config, &Design::ALL).await;
    let stakes: Vec<&Vec<u64>> = designs
        .iter()
        .map(|run| &run.reports.last().unwrap().validator_stakes)
        .collect();
    // Integrated: the efficient builder that shares leads every other, and stake goes to the
    // best (the delegation rule concentrates it): a naive sharer holds no more than its floor
    // beside it, and a keeper never more than a sharer like it.
    let integrated = stakes[0];
    assert!(
        integrated[1..].iter().all(|stake| *stake < integrated[0]),
        "{integrated:?}"
    );
    assert!(integrated[2] >= integrated[3], "{integrated:?}");
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
    // epoch by epoch, and the delegation rule gives stake to the best of them; in this model a
    // validator's slots follow the pool's stake, so one left behind early stays behind. Over the
    // run since its bundle, the lucky one holds less than the leading sharers and less than the
    // sharers' average.
    let average = |validator: usize| {
        let held: u64 = reports[4..]
            .iter()
            .map(|report| report.validator_stakes[validator])
            .sum();
        held / reports[4..].len() as u64
    };
    let averages: Vec<u64> = (0..4).map(average).collect();
    let mut sharers = averages[..3].to_vec();
    sharers.sort_unstable();
    assert!(sharers[1] > averages[3], "{averages:?}");
    assert!(
        sharers.iter().sum::<u64>() / 3 > averages[3],
        "{averages:?}"
    );
    let last = &reports.last().unwrap().validator_stakes;
    assert!(last[3] < last[..3].iter().sum::<u64>() / 3, "{last:?}");
}
