//! The scenario's limits.

use crate::simulate::config::*;
use tributary::constants::MAX_EPOCH_FEE_BPS;

#[test]
fn a_scenario_is_checked_for_unknown_fields() {
    assert!(SimulationConfig::from_toml("epochs = 3").is_ok());
    assert!(SimulationConfig::from_toml("epochz = 3").is_err());
    assert!(SimulationConfig::from_toml("strategy = \"random\"").is_err());
}

#[test]
fn a_scenario_names_the_integrated_designs_rule_or_takes_the_recommended_one() {
    use tributary::state::DelegationRule;
    let default = SimulationConfig::from_toml("epochs = 3").unwrap();
    assert_eq!(default.rule, DelegationRule::RECOMMENDED);
    let rule = "[rule]\nsharing_bar_bps = 5000\nconcentration_bps = 9000\ndeadband_bps = 0\n\
                grace_epochs = 3";
    let named = SimulationConfig::from_toml(rule).unwrap();
    assert_eq!(
        named.rule,
        DelegationRule {
            sharing_bar_bps: 5_000,
            concentration_bps: 9_000,
            deadband_bps: 0,
            grace_epochs: 3,
        }
    );
    assert_eq!(named.check(), Ok(()));
    // Every field named, none unknown.
    assert!(SimulationConfig::from_toml("[rule]\nconcentration_bps = 9000").is_err());
    let typo = format!("{rule}\nconcentration = 1");
    assert!(SimulationConfig::from_toml(&typo).is_err());
    // What the program's set_strategy would refuse, refused before anything runs.
    let mut config = named.clone();
    config.rule.grace_epochs = 17;
    assert_eq!(
        config.check().unwrap_err().to_string(),
        "rule.grace_epochs is 17, but it must be from 0 to 16 epochs"
    );
    config.rule = DelegationRule {
        concentration_bps: 10_000,
        ..named.rule
    };
    assert_eq!(
        config.check().unwrap_err().to_string(),
        "rule.concentration_bps is 10000, but it must be from 0 to 9999 basis points"
    );
}

#[test]
fn growth_that_could_overflow_is_refused_with_the_epochs_that_fit() {
    let compounding = SimulationConfig {
        epochs: MAX_EPOCHS,
        stakers: MAX_STAKERS,
        rewards_ppm: MAX_PPM,
        ..SimulationConfig::default()
    };
    let refused = compounding.check().unwrap_err();
    assert_eq!(refused.field, "epochs");
    let most: u64 = refused.allowed.split(' ').nth(2).unwrap().parse().unwrap();
    assert!(most > 10 && most < 100, "{refused}");
    let fits = SimulationConfig {
        epochs: most,
        ..compounding.clone()
    };
    assert_eq!(fits.check(), Ok(()));
    assert!(fits.projected_lamports(most + 1) > MAX_PROJECTED_LAMPORTS as f64);
    // The default scenario runs the most epochs with a thousand stakers.
    let long = SimulationConfig {
        epochs: MAX_EPOCHS,
        stakers: 1_000,
        ..SimulationConfig::default()
    };
    assert_eq!(long.check(), Ok(()));
}

#[test]
fn values_out_of_range_are_named_with_their_range() {
    assert_eq!(SimulationConfig::default().check(), Ok(()));
    let refused = |config: SimulationConfig| config.check().unwrap_err().to_string();
    let base = SimulationConfig::default;
    assert_eq!(
        refused(SimulationConfig {
            epochs: 0,
            ..base()
        }),
        "epochs is 0, but it must be from 1 to 1000 epochs"
    );
    assert_eq!(
        refused(SimulationConfig {
            stakers: 10_001,
            ..base()
        }),
        "stakers is 10001, but it must be from 1 to 10000 stakers"
    );
    let mut config = base();
    config.validators[2].commission = 150;
    assert_eq!(
        refused(config),
        "validators[2].commission is 150, but it must be from 0 to 100 percent"
    );
    let mut config = base();
    config.validators[0].mev_commission_bps = 10_001;
    assert!(refused(config).starts_with("validators[0].mev_commission_bps is 10001"));
    let mut config = base();
    config.validators[1].builder = "fast".into();
    assert_eq!(
        refused(config),
        "validators[1].builder is \"fast\", but it must be one of the scenario's builders: \
         efficient, naive"
    );
    let mut config = base();
    config.builders[0].efficiency_bps = 10_001;
    assert!(refused(config).starts_with("builders[0].efficiency_bps is 10001"));
    let mut config = base();
    config.fees.epoch_bps = MAX_EPOCH_FEE_BPS + 1;
    assert_eq!(
        refused(config),
        "fees.epoch_bps is 1001, but it must be from 0 to 1000 basis points"
    );
    let validators = Vec::new();
    assert!(refused(SimulationConfig {
        validators,
        ..base()
    })
    .starts_with("the number of validators is 0"));
    assert!(refused(SimulationConfig {
        rewards_ppm: MAX_PPM + 1,
        ..base()
    })
    .starts_with("rewards_ppm is 100001"));
    assert!(refused(SimulationConfig {
        mev_ppm: MAX_PPM + 1,
        ..base()
    })
    .starts_with("mev_ppm is 100001"));
    // No MEV at all is a scenario like any other.
    assert_eq!(
        SimulationConfig {
            mev_ppm: 0,
            ..base()
        }
        .check(),
        Ok(())
    );
}
