//! What `simulate` writes to its output folder: the figures as JSON and four charts as SVG,
//! drawn with plotters (its SVG backend needs no fonts or system libraries): the share price per
//! design, where the MEV went per design, the stake per validator in the first design, and the
//! stake of the validators that share their MEV against those that keep it, per design; with
//! `--seeds`, the study as JSON and that chart averaged over the seeds, and with
//! `--does-sharing-pay` each validator's income by its choice.

use std::path::Path;

use plotters::coord::ranged1d::AsRangedCoord;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::compare::{DesignResult, DesignSummary};
use super::report_sharing::{sharing_stake_chart, StakeByChoice};
use super::{in_sol, SimulationConfig};

/// The charts' files, in the order they are drawn.
pub const CHART_FILES: [&str; 4] = [
    "share-price.svg",
    "mev.svg",
    "stake.svg",
    "sharing-stake.svg",
];

const SIZE: (u32, u32) = (960, 540);
pub(super) const COLOURS: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// Writes `simulation.json` (the scenario, and each design's summary and epochs) and the
/// charts into `out`, creating it.
pub fn write_outputs(
    out: &Path,
    config: &SimulationConfig,
    results: &[DesignResult],
) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let json = serde_json::json!({ "config": config, "designs": results });
    std::fs::write(
        out.join("simulation.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    let caption = caption(config);
    let by_choice: Vec<StakeByChoice> = results
        .iter()
        .map(|result| StakeByChoice::of(config, result))
        .collect();
    let charts = [
        share_price_chart(results, &caption),
        mev_chart(results, &caption),
        stake_chart(config, results.first(), &caption),
        sharing_stake_chart(&by_choice, &caption),
    ];
    for (file, chart) in CHART_FILES.iter().zip(charts) {
        std::fs::write(out.join(file), chart.map_err(std::io::Error::other)?)?;
    }
    Ok(())
}

/// The scenario in a line, under each chart's title.
fn caption(config: &SimulationConfig) -> String {
    format!(
        "{} validators, {} stakers, {} epochs, seed {}",
        config.validators.len(),
        config.stakers,
        config.epochs,
        config.seed
    )
}

pub(super) type Drawn = Result<String, String>;

/// A chart of `x` against `y`.
pub(super) type Chart<'a, DB, X, Y> = ChartContext<
    'a,
    DB,
    Cartesian2d<<X as AsRangedCoord>::CoordDescType, <Y as AsRangedCoord>::CoordDescType>,
>;

/// A chart on `root` with its title (and the scenario's caption) and room for the axes' labels.
pub(super) fn titled<'a, DB: DrawingBackend, X: AsRangedCoord, Y: AsRangedCoord>(
    root: &'a DrawingArea<DB, Shift>,
    title: String,
    x: X,
    y: Y,
) -> Result<Chart<'a, DB, X, Y>, String> {
    ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(x, y)
        .map_err(|err| err.to_string())
}

/// The chart's legend, boxed, at `position`.
pub(super) fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(|err| err.to_string())
}

/// Draws on an SVG of `SIZE` with `draw`, returning the SVG's text.
pub(super) fn svg(
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
) -> Drawn {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|err| err.to_string())?;
        draw(&root)?;
        root.present().map_err(|err| err.to_string())?;
    }
    Ok(text)
}

/// The range of `values` with a little room, never empty, from zero when `from_zero`.
pub(super) fn range(values: impl Iterator<Item = f64>, from_zero: bool) -> std::ops::Range<f64> {
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(low, high), value| {
        (low.min(value), high.max(value))
    });
    let (low, high) = if low > high { (0.0, 1.0) } else { (low, high) };
    let low = if from_zero { low.min(0.0) } else { low };
    let room = ((high - low) * 0.05).max(1e-9);
    (if from_zero { low } else { low - room })..high + room
}

/// The epochs the runs cover (every design runs the same ones), never an empty range.
fn epochs_of(designs: &[DesignResult]) -> std::ops::Range<u64> {
    let reports = designs.first().map_or(&[][..], |run| &run.epochs[..]);
    let first = reports.first().map_or(0, |report| report.epoch);
    let last = reports.last().map_or(0, |report| report.epoch);
    first..last.max(first + 1)
}

/// The share price of each design, epoch by epoch.
fn share_price_chart(designs: &[DesignResult], caption: &str) -> Drawn {
    svg(|root| {
        let prices = designs
            .iter()
            .flat_map(|run| run.epochs.iter().map(|report| report.share_price));
        let mut chart = titled(
            root,
            format!("Share price by design (SOL per token) — {caption}"),
            epochs_of(designs),
            range(prices, false),
        )?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("epoch")
            .y_desc("SOL per token")
            .y_label_formatter(&|price| format!("{price:.5}"))
            .draw()
            .map_err(|err| err.to_string())?;
        for (index, run) in designs.iter().enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            let points = run
                .epochs
                .iter()
                .map(|report| (report.epoch, report.share_price));
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))
                .map_err(|err| err.to_string())?
                .label(format!(
                    "{}: {:.2}% a year ({})",
                    run.design.name(),
                    run.summary.staker_apy * 100.0,
                    run.design.description()
                ))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2))
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}

/// Where each design's MEV went, stacked: searchers, builders, validators (kept outside the
/// pool, and their commission from the vaults and through Jito), Jito's fee, the protocol, the
/// stakers, on its way to them; a part that is nothing in every design is left out, legend
/// and all.
fn mev_chart(results: &[DesignResult], caption: &str) -> Drawn {
    type Part = (&'static str, fn(&DesignSummary) -> u64);
    let summaries: Vec<&DesignSummary> = results.iter().map(|result| &result.summary).collect();
    let all_parts: [Part; 8] = [
        ("searchers' profit", |s| s.mev.to_searchers),
        ("builders' fees", |s| s.mev.to_builder),
        ("kept by validators", |s| s.tips_kept_by_validators),
        (
            "validators' commission",
            DesignSummary::validators_commission,
        ),
        ("Jito's fee", |s| s.jito.fee),
        ("protocol", |s| s.tips_to_protocol),
        ("stakers", |s| s.tips_to_stakers),
        ("on its way to the stakers", DesignSummary::waiting),
    ];
    let parts: Vec<Part> = all_parts
        .into_iter()
        .filter(|(_, value)| summaries.iter().any(|summary| value(summary) > 0))
        .collect();
    svg(|root| {
        let highest = summaries
            .iter()
            .map(|summary| in_sol(summary.mev.captured))
            .fold(0.0, f64::max);
        // A segmented range of 0..n has a segment for n too: one past the last design.
        let last = summaries.len().saturating_sub(1) as u32;
        let mut chart = titled(
            root,
            format!("Where the captured MEV went (SOL) — {caption}"),
            (0..last).into_segmented(),
            0.0..highest * 1.1 + 1e-9,
        )?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .disable_x_mesh()
            .x_desc("design")
            .y_desc("SOL")
            .x_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(index) => summaries
                    .get(*index as usize)
                    .map_or(String::new(), |summary| summary.design.name().to_string()),
                _ => String::new(),
            })
            .draw()
            .map_err(|err| err.to_string())?;
        for (part, (label, value)) in parts.iter().enumerate() {
            let colour = COLOURS[part % COLOURS.len()];
            let bars = summaries.iter().enumerate().map(|(index, summary)| {
                let below: u64 = parts[..part].iter().map(|(_, v)| v(summary)).sum();
                let index = index as u32;
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(index), in_sol(below)),
                        (
                            SegmentValue::Exact(index + 1),
                            in_sol(below + value(summary)),
                        ),
                    ],
                    colour.filled(),
                );
                bar.set_margin(0, 0, 30, 30);
                bar
            });
            chart
                .draw_series(bars)
                .map_err(|err| err.to_string())?
                .label(*label)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// Each validator's stake, epoch by epoch, in `run` (the first design's).
fn stake_chart(config: &SimulationConfig, run: Option<&DesignResult>, caption: &str) -> Drawn {
    let runs = run.map(std::slice::from_ref).unwrap_or_default();
    let design = run.map_or("", |run| run.design.name());
    svg(|root| {
        let stakes = runs.iter().flat_map(|run| {
            run.epochs
                .iter()
                .flat_map(|report| report.validator_stakes.iter().map(|s| in_sol(*s)))
        });
        let mut chart = titled(
            root,
            format!("Stake per validator, {design} design (SOL) — {caption}"),
            epochs_of(runs),
            range(stakes, true),
        )?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .x_desc("epoch")
            .y_desc("SOL")
            .draw()
            .map_err(|err| err.to_string())?;
        for (index, spec) in config.validators.iter().enumerate() {
            let colour = COLOURS[index % COLOURS.len()];
            // Past ten validators the colours come round again, dashed.
            let dashed = index >= COLOURS.len();
            let points: Vec<(u64, f64)> = runs
                .iter()
                .flat_map(|run| run.epochs.iter())
                .map(|report| {
                    let stake = report.validator_stakes.get(index).copied().unwrap_or(0);
                    (report.epoch, in_sol(stake))
                })
                .collect();
            let style = colour.stroke_width(2);
            let drawn = if dashed {
                chart.draw_series(DashedLineSeries::new(points, 6, 4, style))
            } else {
                chart.draw_series(LineSeries::new(points, style))
            };
            drawn
                .map_err(|err| err.to_string())?
                .label(spec.label(index))
                .legend(move |(x, y)| {
                    // As the line is drawn: dashed, or one dash as long as the sample.
                    let (dash, gap) = if dashed { (6, 4) } else { (20, 0) };
                    DashedPathElement::new([(x, y), (x + 20, y)], dash, gap, style)
                });
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)
    })
}
