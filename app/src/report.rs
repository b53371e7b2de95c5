//! What `simulate` writes to its output folder: the figures as JSON and a chart as SVG (no
//! browser or plotting library needed to produce it).

use std::fmt::Write as _;
use std::path::Path;

use crate::simulate::{EpochReport, SimulationConfig};
use crate::LAMPORTS_PER_SOL;

/// Writes `simulation.json` and `simulation.svg` into `out`, creating it.
pub fn write_outputs(
    out: &Path,
    config: &SimulationConfig,
    reports: &[EpochReport],
) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let json = serde_json::json!({ "config": config, "epochs": reports });
    std::fs::write(
        out.join("simulation.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    std::fs::write(out.join("simulation.svg"), chart(reports))
}

const WIDTH: f64 = 900.0;
const PANEL_HEIGHT: f64 = 220.0;
const MARGIN: f64 = 60.0;
/// Room on the left for the axis figures.
const LEFT: f64 = 90.0;
const COLOURS: [&str; 6] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
];

/// One line of a panel: a label and a value per epoch.
struct Series {
    label: String,
    values: Vec<f64>,
}

fn sol(lamports: u64) -> f64 {
    lamports as f64 / LAMPORTS_PER_SOL as f64
}

/// Running sums of `value` over the epochs.
fn cumulative(reports: &[EpochReport], value: impl Fn(&EpochReport) -> u64) -> Vec<f64> {
    reports
        .iter()
        .scan(0u64, |sum, report| {
            *sum += value(report);
            Some(sol(*sum))
        })
        .collect()
}

/// Three panels: the share price, the cumulative value flows, and the stake per validator.
pub fn chart(reports: &[EpochReport]) -> String {
    let price = vec![Series {
        label: "SOL per share".into(),
        values: reports.iter().map(|report| report.share_price).collect(),
    }];
    let flows = vec![
        Series {
            label: "staking rewards".into(),
            values: cumulative(reports, |report| report.rewards),
        },
        Series {
            label: "tips to stakers".into(),
            values: cumulative(reports, |report| report.tips_to_stakers),
        },
        Series {
            label: "tips to validators".into(),
            values: cumulative(reports, |report| report.tips_to_validators),
        },
        Series {
            label: "tips to the protocol".into(),
            values: cumulative(reports, |report| report.tips_to_protocol),
        },
    ];
    let validators = reports
        .first()
        .map_or(0, |report| report.validator_stakes.len());
    let stakes = (0..validators)
        .map(|index| Series {
            label: format!("validator {index}"),
            values: reports
                .iter()
                .map(|report| sol(report.validator_stakes[index]))
                .collect(),
        })
        .collect::<Vec<_>>();

    let height = 3.0 * (PANEL_HEIGHT + MARGIN) + MARGIN;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    let panels = [
        ("Share price (SOL per share)", &price),
        ("Where the value went (cumulative SOL)", &flows),
        ("Stake per validator (SOL)", &stakes),
    ];
    for (index, (title, series)) in panels.into_iter().enumerate() {
        let top = MARGIN + index as f64 * (PANEL_HEIGHT + MARGIN);
        panel(&mut svg, title, series, top, reports);
    }
    svg.push_str("</svg>\n");
    svg
}

fn panel(svg: &mut String, title: &str, series: &[Series], top: f64, reports: &[EpochReport]) {
    let left = LEFT;
    let right = WIDTH - 200.0;
    let bottom = top + PANEL_HEIGHT;
    let values = series.iter().flat_map(|line| line.values.iter().copied());
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(low, high), value| {
        (low.min(value), high.max(value))
    });
    let (low, high) = if low > high {
        (0.0, 1.0)
    } else if (high - low).abs() < f64::EPSILON {
        (low - 1.0, high + 1.0)
    } else {
        (low, high)
    };
    let steps = reports.len().saturating_sub(1).max(1) as f64;
    let x = |index: usize| left + (right - left) * index as f64 / steps;
    let y = |value: f64| bottom - (bottom - top) * (value - low) / (high - low);

    let _ = writeln!(
        svg,
        "<text x=\"{left}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\">{title}</text>",
        top - 12.0
    );
    let _ = writeln!(
        svg,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/>",
        right - left,
        bottom - top
    );
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{high:.4}</text>\
         <text x=\"{}\" y=\"{bottom}\" text-anchor=\"end\">{low:.4}</text>",
        left - 4.0,
        top + 10.0,
        left - 4.0
    );
    for (index, report) in reports.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x(index),
            bottom + 16.0,
            report.epoch
        );
    }
    for (index, line) in series.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let points = line
            .values
            .iter()
            .enumerate()
            .map(|(epoch, value)| format!("{:.1},{:.1}", x(epoch), y(*value)))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            svg,
            "<polyline points=\"{points}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>"
        );
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" fill=\"{colour}\">{}</text>",
            right + 10.0,
            top + 16.0 + 16.0 * index as f64,
            line.label
        );
    }
}
