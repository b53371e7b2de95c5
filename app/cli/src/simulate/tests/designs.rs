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
    assert_eq!(written.len(), 5);
    assert_eq!(written[1]["design"], "jito-like");
    assert_eq!(written[2]["design"], "modular");
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
async fn the_designs_see_the_same_draws_and_sharing_pays_stakers() {
    let config = SimulationConfig::default();
    let designs = complete_designs(&config, &Design::ALL).await;
    let summaries: Vec<DesignSummary> = designs
        .iter()
        .map(|run| DesignSummary::of(&config, run))
        .collect();
    let [integrated, jito_like, modular, oracle, blind] = &summaries[..] else {
        panic!("five designs");
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
                + summary.jito.fee
                + summary.validators_commission()
                + summary.tips_to_protocol
                + summary.tips_to_stakers
                + summary.waiting(),
            summary.mev.captured,
            "{:?}",
            summary.design
        );
        // The Jito path's lamports reconcile: tipped = to the validators + Jito's fee + what
        // reached the stake accounts + what is not claimed yet, after every epoch.
        let mut claimed = 0;
        let mut paid = 0;
        for report in &run.reports {
            paid += report.jito.tips - report.jito.fee - report.jito.to_validators;
            claimed += report.jito.claimed;
            assert_eq!(
                paid,
                claimed + report.jito.unclaimed,
                "{:?}",
                summary.design
            );
        }
        assert!(summary.jito.tips > 0 && summary.jito.claimed > 0);
    }
    // No vault in the modular pool: its stakers get MEV only from Jito's claims.
    assert_eq!(modular.tips_to_vaults, 0);
    assert!(modular.jito.claimed > 0 && modular.tips_to_stakers > 0);
    assert!(modular.tips_kept_by_validators > 0);
    // Stakers earn more wherever the pool sees MEV than in the modular pool; the oracle, which
    // knows each validator's return, at least as much as the integrated design.
    for design in [integrated, jito_like, oracle, blind] {
        assert!(
            design.staker_apy > modular.staker_apy,
            "{:?}",
            design.design
        );
    }
    assert!(oracle.staker_apy >= integrated.staker_apy);
    // The validator that keeps its MEV gets no stake from the designs that see MEV: it holds
    // less, on average over the run, than the Jito validators that share, and than it held with
    // equal weights, and earns less than in the modular pool.
    for design in [integrated, jito_like, oracle] {
        let keeper = average_stake_of(design, "keeps its MEV");
        assert!(keeper < average_stake_of(design, "Jito, 0% commission"));
        assert!(keeper < average_stake_of(modular, "keeps its MEV"));
    }
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
    // The designs that weigh everyone alike: no validator ends with a tenth more than another
    // (the Steward stakes none of them: no one here is on Jito's path).
    assert!(
        stakes[1].iter().all(|stake| *stake < 10 * LAMPORTS_PER_SOL),
        "{:?}",
        stakes[1]
    );
    for other in [stakes[2], stakes[4]] {
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

#[test]
fn the_same_seeds_give_the_same_study_and_no_design_beats_the_oracle() {
    let config = SimulationConfig {
        epochs: 8,
        stakers: 2,
        ..SimulationConfig::default()
    };
    let study = || run_seeds(&config, &Design::ALL, 1..=3, 2, false).unwrap();
    let (first, again) = (study(), study());
    assert_eq!(
        serde_json::to_value(&first).unwrap(),
        serde_json::to_value(&again).unwrap()
    );
    assert_eq!(first.runs, 3 * Design::ALL.len());
    let oracle = &first.designs[3];
    assert_eq!(oracle.design, Design::Oracle);
    for design in &first.designs {
        assert!(
            !oracle.apy.below(&design.apy),
            "{:?} beats the oracle beyond its interval",
            design.design
        );
    }
    // The edges are paired by seed: the oracle's over jito-like, for one.
    let edge = first
        .edges
        .iter()
        .find(|edge| edge.of == Design::Oracle)
        .unwrap();
    let paired = (oracle.apy.mean - first.designs[1].apy.mean) * 100.0;
    assert!((edge.points.mean - paired).abs() < 1e-9);
}

#[test]
fn the_counterfactual_flips_one_validator_at_a_time() {
    let config = SimulationConfig {
        epochs: 4,
        stakers: 1,
        ..SimulationConfig::default()
    };
    let designs = [Design::Integrated, Design::Modular];
    let study = run_seeds(&config, &designs, 1..=1, 2, true).unwrap();
    // One base run and one per validator, of each design.
    assert_eq!(study.runs, (1 + config.validators.len()) * designs.len());
    assert_eq!(
        study.sharing_pays.len(),
        config.validators.len() * designs.len()
    );
    // In the modular pool there are no vaults: the validator on the vault's path keeps its tips
    // either way, so its income is the same whichever it chooses.
    let vault = study
        .sharing_pays
        .iter()
        .find(|row| row.validator == "vault, 0% commission" && row.design == Design::Modular)
        .unwrap();
    assert_eq!(vault.sharing, vault.keeping);
}

#[test]
fn an_interval_covers_its_mean_by_students_t() {
    let estimate = Estimate::of(&[1.0, 2.0, 3.0]);
    assert_eq!(estimate.mean, 2.0);
    // s = 1, n = 3: t(2) = 4.303, over √3.
    assert!((estimate.half_width - 4.303 / 3f64.sqrt()).abs() < 1e-9);
    assert!(estimate.below(&Estimate {
        mean: 10.0,
        half_width: 1.0
    }));
    assert!(Estimate::of(&[5.0]).half_width.is_nan());
}
