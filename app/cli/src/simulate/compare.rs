//! The designs side by side: each design's run summed up (where its MEV and staking rewards went,
//! what each validator earned, the stakers' yield), and the comparison as a table and a sentence.

use std::fmt::Write as _;

use super::config::SimulationConfig;
use super::design::Design;
use super::economy::{JitoFlows, MevSplit};
use super::run::DesignRun;
use super::{in_sol, sol4, yearly_growth, EpochReport, ValidatorEarnings};

/// One validator over a design's run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ValidatorSummary {
    pub name: String,
    pub earned: ValidatorEarnings,
    /// Its lamports at the end.
    pub stake: u64,
    /// Its lamports averaged over the epochs: what it held, through the tickets' and
    /// deposits' swings.
    pub average_stake: u64,
}

/// One design's run: its summary and its epochs, as the JSON and the command line give them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DesignResult {
    pub design: Design,
    pub summary: DesignSummary,
    pub epochs: Vec<EpochReport>,
}

impl DesignResult {
    pub fn of(config: &SimulationConfig, run: DesignRun) -> Self {
        Self {
            design: run.design,
            summary: DesignSummary::of(config, &run),
            epochs: run.reports,
        }
    }
}

/// One design over its run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DesignSummary {
    pub design: Design,
    pub epochs: usize,
    /// The share price's growth over the run, compounded over a year of mainnet epochs.
    pub staker_apy: f64,
    pub share_price: f64,
    /// The MEV of the run: found, captured, to searchers and builders, tipped.
    pub mev: MevSplit,
    pub tips_to_vaults: u64,
    pub tips_kept_by_validators: u64,
    /// Distributed from the vaults: the validators' MEV commission, the protocol's, the
    /// stakers'.
    pub tips_to_validators: u64,
    pub tips_to_protocol: u64,
    pub tips_to_stakers: u64,
    /// Still in the vaults at the end.
    pub tips_waiting: u64,
    /// Jito's claims in the pool's stake accounts at the end, not collected yet.
    pub stake_tips_waiting: u64,
    /// The Jito path over the run: tips, Jito's fee, the validators' commission, what claims
    /// paid the pool's stake accounts; `unclaimed`, what Jito owes them at the end.
    pub jito: JitoFlows,
    /// Staking rewards: what the runtime paid, the validators' inflation commission, what the
    /// epoch rolls counted, the protocol's epoch fee on it.
    pub rewards_paid: u64,
    pub rewards_commission: u64,
    pub rewards_counted: u64,
    pub epoch_fee: u64,
    /// What the treasury's fee shares are worth at the end (every fee the protocol took).
    pub protocol_value: u64,
    pub validators: Vec<ValidatorSummary>,
}

impl DesignSummary {
    pub fn of(config: &SimulationConfig, run: &DesignRun) -> Self {
        let reports = &run.reports;
        let total = |value: fn(&EpochReport) -> u64| reports.iter().map(value).sum::<u64>();
        let mut mev = MevSplit::default();
        for report in reports {
            mev.add(&report.mev);
        }
        let last = reports.last();
        let share_price = last.map_or(1.0, |report| report.share_price);
        let validators = config
            .validators
            .iter()
            .enumerate()
            .map(|(index, spec)| {
                let mut earned = ValidatorEarnings::default();
                for report in reports {
                    if let Some(epoch) = report.validator_earnings.get(index) {
                        earned.add(epoch);
                    }
                }
                let stake_in =
                    |report: &EpochReport| report.validator_stakes.get(index).copied().unwrap_or(0);
                let held: u128 = reports.iter().map(|r| u128::from(stake_in(r))).sum();
                ValidatorSummary {
                    name: spec.label(index),
                    earned,
                    stake: last.map_or(0, stake_in),
                    average_stake: (held / reports.len().max(1) as u128) as u64,
                }
            })
            .collect();
        Self {
            design: run.design,
            epochs: reports.len(),
            staker_apy: yearly_growth(share_price, reports.len()),
            share_price,
            mev,
            tips_to_vaults: total(|r| r.tips_to_vaults),
            tips_kept_by_validators: total(|r| r.tips_kept_by_validators),
            tips_to_validators: total(|r| r.tips_to_validators),
            tips_to_protocol: total(|r| r.tips_to_protocol),
            tips_to_stakers: total(|r| r.tips_to_stakers),
            tips_waiting: last.map_or(0, |report| report.tips_waiting),
            stake_tips_waiting: last.map_or(0, |report| report.stake_tips_waiting),
            jito: JitoFlows {
                tips: total(|r| r.jito.tips),
                fee: total(|r| r.jito.fee),
                to_validators: total(|r| r.jito.to_validators),
                claimed: total(|r| r.jito.claimed),
                unclaimed: last.map_or(0, |report| report.jito.unclaimed),
            },
            rewards_paid: total(|r| r.rewards_paid),
            rewards_commission: total(|r| r.rewards_commission),
            rewards_counted: total(|r| r.rewards),
            epoch_fee: total(|r| r.epoch_fee),
            protocol_value: last.map_or(0, |report| report.treasury_value),
            validators,
        }
    }
}

impl DesignSummary {
    /// The validators' commission on their tips: from the vaults and through Jito.
    pub fn validators_commission(&self) -> u64 {
        self.tips_to_validators + self.jito.to_validators
    }

    /// Tips on their way to the stakers at the end: in the vaults, in the stake accounts, and
    /// owed by Jito.
    pub fn waiting(&self) -> u64 {
        self.tips_waiting + self.stake_tips_waiting + self.jito.unclaimed
    }
}

fn percent(fraction: f64) -> String {
    format!("{:.2}%", fraction * 100.0)
}

/// Where the MEV and the rewards went in each design, what each validator earned and held at
/// the end, and the comparison in a sentence or two.
pub fn comparison_text(summaries: &[DesignSummary]) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{:<16} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "MEV (SOL)",
        "found",
        "captured",
        "searchers",
        "builders",
        "kept",
        "Jito fee",
        "val. comm",
        "protocol",
        "stakers",
        "waiting",
        "APY"
    );
    for summary in summaries {
        let _ = writeln!(
            text,
            "{:<16} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>9}",
            summary.design.name(),
            sol4(summary.mev.available),
            sol4(summary.mev.captured),
            sol4(summary.mev.to_searchers),
            sol4(summary.mev.to_builder),
            sol4(summary.tips_kept_by_validators),
            sol4(summary.jito.fee),
            sol4(summary.validators_commission()),
            sol4(summary.tips_to_protocol),
            sol4(summary.tips_to_stakers),
            sol4(summary.waiting()),
            percent(summary.staker_apy),
        );
    }
    let _ = writeln!(
        text,
        "{:<16} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "rewards (SOL)", "paid", "val. comm", "counted", "uncounted", "epoch fee", "stakers"
    );
    for summary in summaries {
        let to_stake_accounts = summary.rewards_paid - summary.rewards_commission;
        let _ = writeln!(
            text,
            "{:<16} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            summary.design.name(),
            sol4(summary.rewards_paid),
            sol4(summary.rewards_commission),
            sol4(summary.rewards_counted),
            sol4(to_stake_accounts.saturating_sub(summary.rewards_counted)),
            sol4(summary.epoch_fee),
            sol4(summary.rewards_counted.saturating_sub(summary.epoch_fee)),
        );
    }
    let _ = write!(text, "{:<24}", "earned/average/end SOL");
    for summary in summaries {
        let _ = write!(text, " {:>30}", summary.design.name());
    }
    let _ = writeln!(text);
    let validators = summaries.first().map_or(0, |s| s.validators.len());
    for index in 0..validators {
        let name = &summaries[0].validators[index].name;
        let _ = write!(text, "{:<24}", truncate(name, 24));
        for summary in summaries {
            let validator = &summary.validators[index];
            let cell = format!(
                "{} / {:.2} / {:.2}",
                sol4(validator.earned.total()),
                in_sol(validator.average_stake),
                in_sol(validator.stake)
            );
            let _ = write!(text, " {cell:>30}");
        }
        let _ = writeln!(text);
    }
    text.push_str(&verdict(summaries));
    text
}

fn truncate(name: &str, width: usize) -> String {
    name.chars().take(width).collect()
}

/// The comparison in words: how much more the stakers earned in the integrated design, and what
/// the validators that keep their MEV or use a naive builder lost there.
pub fn verdict(summaries: &[DesignSummary]) -> String {
    let Some(integrated) = summaries
        .iter()
        .find(|summary| summary.design == Design::Integrated)
    else {
        return String::new();
    };
    let others: Vec<&DesignSummary> = summaries
        .iter()
        .filter(|summary| summary.design != Design::Integrated)
        .collect();
    let mut text = format!(
        "Stakers earned {} a year in the integrated design",
        percent(integrated.staker_apy)
    );
    for other in &others {
        let points = (integrated.staker_apy - other.staker_apy) * 100.0;
        let _ = write!(
            text,
            "; {points:+.2} points against {} ({})",
            other.design.name(),
            percent(other.staker_apy)
        );
    }
    text.push_str(".\n");
    // Each validator's stake and earnings in the integrated design, against the first other.
    if let Some(other) = others.first() {
        let mut parts = Vec::new();
        for (mine, theirs) in integrated.validators.iter().zip(&other.validators) {
            parts.push(format!(
                "{} held {:.2} SOL on average and earned {} SOL ({:.2} and {} in {})",
                mine.name,
                in_sol(mine.average_stake),
                sol4(mine.earned.total()),
                in_sol(theirs.average_stake),
                sol4(theirs.earned.total()),
                other.design.name()
            ));
        }
        let _ = writeln!(text, "In the integrated design, {}.", parts.join("; "));
    }
    text
}
