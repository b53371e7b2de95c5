//! What `simulate` writes to its output folder: the figures as JSON and a chart as SVG (no
//! browser or plotting library needed to produce it).

use std::fmt::Write as _;
use std::path::Path;

use super::{in_sol, EpochReport, SimulationConfig};

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

/// The narrowest chart; more legend columns widen it.
const MIN_WIDTH: f64 = 900.0;
const PANEL_HEIGHT: f64 = 220.0;
const MARGIN: f64 = 60.0;
/// Room on the left for the axis figures.
const LEFT: f64 = 90.0;
/// Where the panels end and their legends begin.
const RIGHT: f64 = 700.0;
const LEGEND_ROW: f64 = 16.0;
/// Legend rows beside a panel; longer legends continue in further columns.
const LEGEND_ROWS: usize = (PANEL_HEIGHT / LEGEND_ROW) as usize - 1;
const LEGEND_COLUMN: f64 = 100.0;
/// At most this many epoch figures under a panel, so that they stay legible.
const EPOCH_LABELS: usize = 12;
const COLOURS: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];
/// Each further round of the colours is drawn with the next dash pattern.
const DASHES: [&str; 4] = ["none", "6 3", "2 2", "8 3 2 3"];

/// One line of a panel: a label and a value per epoch.
struct Series {
    label: String,
    values: Vec<f64>,
}

/// One figure of an epoch's report.
type Figure = fn(&EpochReport) -> u64;

/// Running sums of `value` over the epochs.
fn cumulative(reports: &[EpochReport], value: impl Fn(&EpochReport) -> u64) -> Vec<f64> {
    reports
        .iter()
        .scan(0u64, |sum, report| {
            *sum += value(report);
            Some(in_sol(*sum))
        })
        .collect()
}

/// Three panels: the share price, the cumulative value flows, and the stake per validator.
pub fn chart(reports: &[EpochReport]) -> String {
    let price = vec![Series {
        label: "SOL per share".into(),
        values: reports.iter().map(|report| report.share_price).collect(),
    }];
    let flows: [(&str, Figure); 4] = [
        ("staking rewards", |report| report.rewards),
        ("tips to stakers", |report| report.tips_to_stakers),
        ("tips to validators", |report| report.tips_to_validators),
        ("tips to the protocol", |report| report.tips_to_protocol),
    ];
    let flows = flows
        .into_iter()
        .map(|(label, value)| Series {
            label: label.into(),
            values: cumulative(reports, value),
        })
        .collect::<Vec<_>>();
    let validators = reports
        .first()
        .map_or(0, |report| report.validator_stakes.len());
    let stakes = (0..validators)
        .map(|index| Series {
            label: format!("validator {index}"),
            values: reports
                .iter()
                .map(|report| in_sol(report.validator_stakes[index]))
                .collect(),
        })
        .collect::<Vec<_>>();

    let height = 3.0 * (PANEL_HEIGHT + MARGIN) + MARGIN;
    let columns = validators.div_ceil(LEGEND_ROWS).max(1);
    let width = MIN_WIDTH.max(RIGHT + 10.0 + columns as f64 * LEGEND_COLUMN);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
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

/// Where a panel's figures go: its box, and the scale of its values.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    low: f64,
    high: f64,
    epochs: usize,
}

impl Frame {
    fn x(&self, index: usize) -> f64 {
        let steps = self.epochs.saturating_sub(1).max(1) as f64;
        self.left + (self.right - self.left) * index as f64 / steps
    }

    fn y(&self, value: f64) -> f64 {
        self.bottom - (self.bottom - self.top) * (value - self.low) / (self.high - self.low)
    }
}

fn panel(svg: &mut String, title: &str, series: &[Series], top: f64, reports: &[EpochReport]) {
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
    let frame = Frame {
        left: LEFT,
        right: RIGHT,
        top,
        bottom: top + PANEL_HEIGHT,
        low,
        high,
        epochs: reports.len(),
    };
    axes(svg, title, &frame, reports);
    for (index, line) in series.iter().enumerate() {
        polyline(svg, line, index, &frame);
    }
}

/// The panel's title, box, value range and epochs.
fn axes(svg: &mut String, title: &str, frame: &Frame, reports: &[EpochReport]) {
    let Frame {
        left,
        right,
        top,
        bottom,
        low,
        high,
        ..
    } = *frame;
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
    let step = reports.len().div_ceil(EPOCH_LABELS).max(1);
    for (index, report) in reports.iter().enumerate().step_by(step) {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            frame.x(index),
            bottom + 16.0,
            report.epoch
        );
    }
}

/// One series as a line, with its label in the legend at place `index`.
fn polyline(svg: &mut String, line: &Series, index: usize, frame: &Frame) {
    let colour = COLOURS[index % COLOURS.len()];
    let dash = DASHES[index / COLOURS.len() % DASHES.len()];
    let points = line
        .values
        .iter()
        .enumerate()
        .map(|(epoch, value)| format!("{:.1},{:.1}", frame.x(epoch), frame.y(*value)))
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(
        svg,
        "<polyline points=\"{points}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" \
         stroke-dasharray=\"{dash}\"/>"
    );
    let (column, row) = (index / LEGEND_ROWS, index % LEGEND_ROWS);
    let x = frame.right + 10.0 + LEGEND_COLUMN * column as f64;
    let y = frame.top + LEGEND_ROW * (row + 1) as f64;
    let _ = writeln!(
        svg,
        "<line x1=\"{x}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\" \
         stroke-dasharray=\"{dash}\"/><text x=\"{}\" y=\"{y}\" fill=\"{colour}\">{}</text>",
        y - 4.0,
        x + 14.0,
        y - 4.0,
        x + 18.0,
        line.label
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_run_of_many_validators_keeps_its_labels_legible() {
        let reports: Vec<EpochReport> = (0..100)
            .map(|epoch| EpochReport {
                epoch,
                share_price: 1.0,
                validator_stakes: vec![epoch; 30],
                ..EpochReport::default()
            })
            .collect();
        let svg = chart(&reports);
        // Every validator named once, in three legend columns that widen the chart.
        for index in 0..30 {
            assert_eq!(svg.matches(&format!(">validator {index}<")).count(), 1);
        }
        assert!(svg.contains(&format!("width=\"{}\"", RIGHT + 10.0 + 3.0 * LEGEND_COLUMN)));
        // At most twelve epoch figures under each of the three panels: 0, 9, …, 99.
        let epoch_labels = svg.matches("text-anchor=\"middle\"").count();
        assert_eq!(epoch_labels, 3 * 12);
        assert!(svg.contains(">99</text>"));
    }
}
