//! The simulation's table, as `tributary simulate` prints it: a row per epoch and a summary.

use super::{sol4, yearly_growth, EpochReport};

const COLUMNS: [(&str, usize); 15] = [
    ("epoch", 5),
    ("rewards", 9),
    ("tips", 8),
    ("to vals", 8),
    ("dep", 4),
    ("SOL in", 10),
    ("wd", 3),
    ("tkt", 3),
    ("SOL out", 10),
    ("pool SOL", 12),
    ("staked SOL", 12),
    ("reserve SOL", 12),
    ("SOL/share", 12),
    ("APY", 7),
    ("fees SOL", 9),
];

fn row(cells: &[String]) -> String {
    let row: Vec<String> = cells
        .iter()
        .zip(COLUMNS)
        .map(|(cell, (_, width))| format!("{cell:>width$}"))
        .collect();
    row.join(" ")
}

/// One epoch of the simulation: its row and the stake per validator.
pub fn epoch_text(report: &EpochReport) -> String {
    let row = row(&[
        report.epoch.to_string(),
        sol4(report.rewards),
        sol4(report.tips),
        sol4(report.tips_to_validators),
        report.deposits.to_string(),
        sol4(report.lamports_deposited),
        report.withdrawals.to_string(),
        report.tickets.to_string(),
        sol4(report.lamports_withdrawn + report.lamports_ticketed),
        sol4(report.total_lamports),
        sol4(report.staked_lamports),
        sol4(report.reserve_lamports),
        format!("{:.9}", report.share_price),
        format!("{:.2}%", report.annualised_yield * 100.0),
        sol4(report.treasury_value),
    ]);
    let stakes: Vec<String> = report.validator_stakes.iter().map(|l| sol4(*l)).collect();
    format!(
        "{row}\n      stake per validator (SOL): {}",
        stakes.join("  ")
    )
}

/// Where the value went, over the whole run.
pub fn summary_text(reports: &[EpochReport]) -> String {
    let total = |value: fn(&EpochReport) -> u64| reports.iter().map(value).sum::<u64>();
    let last = reports.last();
    // The first deposit was at one lamport per share.
    let growth = last.map_or(0.0, |r| r.share_price - 1.0);
    format!(
        "MEV tips: {} SOL, of which {} SOL to validators, {} SOL to the protocol and {} SOL to stakers.\n\
         In: {} SOL deposited and {} SOL of staking rewards; out: {} SOL withdrawn at once and \
         {} SOL into unstake tickets ({} SOL of it claimed); held: {} SOL, \
         of which the treasury's fee shares are worth {} SOL.\n\
         A pool token grew {:.4}% in {} epochs ({:.2}% a year at mainnet's epoch length).",
        sol4(total(|r| r.tips)),
        sol4(total(|r| r.tips_to_validators)),
        sol4(total(|r| r.tips_to_protocol)),
        sol4(total(|r| r.tips_to_stakers)),
        sol4(total(|r| r.lamports_deposited)),
        sol4(total(|r| r.rewards)),
        sol4(total(|r| r.lamports_withdrawn)),
        sol4(total(|r| r.lamports_ticketed)),
        sol4(total(|r| r.lamports_claimed)),
        sol4(last.map_or(0, |r| r.total_lamports)),
        sol4(last.map_or(0, |r| r.treasury_value)),
        growth * 100.0,
        reports.len(),
        yearly_growth(1.0 + growth, reports.len()) * 100.0,
    )
}

/// The table's header row.
pub fn header_text() -> String {
    row(&COLUMNS.map(|(name, _)| name.to_string()))
}

/// The study as text: the designs' APYs, the edges, the oracle's edge captured, the keepers'
/// stake, and whether sharing pays each validator in each design.
pub fn study_text(study: &super::SeedStudy, config: &super::SimulationConfig) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let (first, last) = (study.seeds.first(), study.seeds.last());
    let _ = writeln!(
        text,
        "{} seeds ({}–{}), {} epochs each, {} runs of a design:",
        study.seeds.len(),
        first.unwrap_or(&0),
        last.unwrap_or(&0),
        config.epochs,
        study.runs
    );
    let _ = writeln!(
        text,
        "{:<16} {:>10} {:>14} {:>22}",
        "design", "APY", "95% interval", "keepers' stake/sharers'"
    );
    for design in &study.designs {
        let ratio = design
            .keepers_over_sharers
            .map_or("-".to_string(), |ratio| format!("{:.3}", ratio));
        let _ = writeln!(
            text,
            "{:<16} {:>9.2}% {:>13} {:>22}",
            design.design.name(),
            design.apy.mean * 100.0,
            format!("±{:.2}", design.apy.half_width * 100.0),
            ratio
        );
    }
    for edge in &study.edges {
        let _ = writeln!(
            text,
            "{} − {}: {:+.2} points a year, 95% interval ±{:.2}",
            edge.of.name(),
            edge.over.name(),
            edge.points.mean,
            edge.points.half_width
        );
    }
    if let Some(captured) = study.oracle_edge_captured {
        let _ = writeln!(
            text,
            "The integrated design captures {:.0}% of the oracle's edge over jito-like.",
            captured * 100.0
        );
    }
    if !study.sharing_pays.is_empty() {
        let _ = writeln!(
            text,
            "Does sharing pay? Each validator's income (SOL, mean over the seeds), sharing / keeping:"
        );
        let _ = write!(text, "{:<24}", "validator");
        for design in &study.designs {
            let _ = write!(text, " {:>24}", design.design.name());
        }
        let _ = writeln!(text);
        for validator in study.sharing_pays.chunks(study.designs.len().max(1)) {
            let _ = write!(
                text,
                "{:<24}",
                validator[0].validator.chars().take(24).collect::<String>()
            );
            for row in validator {
                let cell = format!(
                    "{:.4} / {:.4} {}",
                    row.sharing / 1e9,
                    row.keeping / 1e9,
                    if row.pays() { "yes" } else { "no" }
                );
                let _ = write!(text, " {cell:>24}");
            }
            let _ = writeln!(text);
        }
    }
    text
}
