//! The charts of the choice to share MEV: the average stake of the validators that share it
//! against those that keep it, per design (one run, or averaged over seeds), and each
//! validator's income by its choice; and the seeds' study written with them.

use std::path::Path;

use plotters::prelude::*;

use super::compare::DesignResult;
use super::report::{legend, range, svg, titled, Drawn, COLOURS};
use super::SimulationConfig;

/// The average stake of the validators that share their MEV and of those that keep it, epoch by
/// epoch, in one design.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StakeByChoice {
    pub design: super::Design,
    pub sharers: Vec<f64>,
    pub keepers: Vec<f64>,
}

impl StakeByChoice {
    /// From one run of a design.
    pub fn of(config: &SimulationConfig, result: &DesignResult) -> Self {
        let average = |keepers: bool, stakes: &[u64]| {
            let chosen: Vec<u64> = (stakes.iter().zip(&config.validators))
                .filter(|(_, spec)| spec.mev_path.shares() != keepers)
                .map(|(stake, _)| *stake)
                .collect();
            chosen.iter().sum::<u64>() as f64 / chosen.len().max(1) as f64
        };
        Self {
            design: result.design,
            sharers: (result.epochs.iter())
                .map(|report| average(false, &report.validator_stakes))
                .collect(),
            keepers: (result.epochs.iter())
                .map(|report| average(true, &report.validator_stakes))
                .collect(),
        }
    }
}

/// The sharers' and the keepers' average stake per design: a solid line for those that share, a
/// dashed one of the same colour for those that keep.
pub fn sharing_stake_chart(designs: &[StakeByChoice], caption: &str) -> Drawn {
    svg(|root| {
        let epochs = designs.iter().map(|d| d.sharers.len()).max().unwrap_or(0) as u64;
        let values = designs
            .iter()
            .flat_map(|d| d.sharers.iter().chain(&d.keepers).map(|l| l / 1e9));
        let mut chart = titled(
            root,
            format!("Average stake, sharing MEV (solid) vs keeping it (dashed), SOL — {caption}"),
            0..epochs.max(1),
            range(values, true),
        )?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("epoch of the run")
            .y_desc("SOL per validator")
            .draw()
            .map_err(|err| err.to_string())?;
        for (index, design) in designs.iter().enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            let style = colour.stroke_width(2);
            let line = |stakes: &[f64]| -> Vec<(u64, f64)> {
                (stakes.iter().enumerate())
                    .map(|(epoch, lamports)| (epoch as u64, lamports / 1e9))
                    .collect()
            };
            chart
                .draw_series(LineSeries::new(line(&design.sharers), style))
                .map_err(|err| err.to_string())?
                .label(design.design.name())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
            chart
                .draw_series(DashedLineSeries::new(line(&design.keepers), 6, 4, style))
                .map_err(|err| err.to_string())?;
        }
        // The pool starts empty: its first epochs leave the upper left clear.
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Writes `seeds.json` (the study) and the charts of the seeds: the sharers' and keepers'
/// stake averaged over them and, when the study asked, each validator's income by its choice.
/// Returns the files written.
pub fn write_study(
    out: &Path,
    study: &super::SeedStudy,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(out)?;
    let json = out.join("seeds.json");
    std::fs::write(&json, serde_json::to_string_pretty(study)?)?;
    let caption = format!("{} seeds", study.seeds.len());
    let by_choice: Vec<StakeByChoice> = (study.designs.iter())
        .map(|design| StakeByChoice {
            design: design.design,
            sharers: design.sharers_stake.clone(),
            keepers: design.keepers_stake.clone(),
        })
        .collect();
    let stake = out.join("seeds-sharing-stake.svg");
    let chart = sharing_stake_chart(&by_choice, &caption).map_err(std::io::Error::other)?;
    std::fs::write(&stake, chart)?;
    let mut files = vec![json, stake];
    if !study.sharing_pays.is_empty() {
        let income = out.join("sharing-income.svg");
        let chart = sharing_income_chart(study, &caption).map_err(std::io::Error::other)?;
        std::fs::write(&income, chart)?;
        files.push(income);
    }
    Ok(files)
}

/// Each validator's income sharing its MEV and keeping it, per design: a group of bars per
/// validator, a pair per design in the design's colour (sharing solid, keeping pale).
fn sharing_income_chart(study: &super::SeedStudy, caption: &str) -> Drawn {
    let rows = &study.sharing_pays;
    let designs = study.designs.len().max(1);
    let validators = rows.len() / designs;
    svg(|root| {
        let highest = (rows.iter())
            .map(|row| row.sharing.max(row.keeping) / 1e9)
            .fold(0.0, f64::max);
        let mut chart = titled(
            root,
            format!("Each validator's income sharing its MEV (solid) vs keeping it (pale), SOL — {caption}"),
            0.0..validators.max(1) as f64,
            0.0..highest * 1.5 + 1e-9,
        )?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .disable_x_mesh()
            .x_labels(validators * 2 + 1)
            .x_label_formatter(&|x| {
                let index = x.floor() as usize;
                let centre = (x - x.floor() - 0.5).abs() < 1e-6;
                match rows.get(index * designs) {
                    Some(row) if centre => row.validator.clone(),
                    _ => String::new(),
                }
            })
            .y_desc("SOL over the run")
            .draw()
            .map_err(|err| err.to_string())?;
        let width = 0.9 / (2 * designs) as f64;
        for (index, row) in rows.iter().enumerate() {
            let (validator, design) = (index / designs, index % designs);
            let colour = COLOURS[design % COLOURS.len()];
            let left = validator as f64 + 0.05 + (2 * design) as f64 * width;
            let bars = [
                (left, row.sharing, colour.filled()),
                (left + width, row.keeping, colour.mix(0.35).filled()),
            ]
            .map(|(x, value, style)| {
                Rectangle::new([(x, 0.0), (x + width * 0.9, value / 1e9)], style)
            });
            let drawn = chart.draw_series(bars).map_err(|err| err.to_string())?;
            if validator == 0 {
                drawn.label(row.design.name()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
            }
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}
