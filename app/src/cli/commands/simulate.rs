//! `simulate`: a pool in an in-process bank, as the main job.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::cli::args::SimulateArgs;
use crate::cli::output::Output;
use crate::cli::{CliError, OutputFormat};
use crate::simulate::{
    epoch_text, header_text, run, summary_text, write_outputs, EpochReport, SimulationConfig,
};

/// The scenario in `path`, or the built-in default, with the command line's overrides.
pub fn load_scenario(args: &SimulateArgs) -> Result<SimulationConfig, CliError> {
    let mut config = match &args.scenario {
        None => SimulationConfig::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|err| {
                CliError::Invalid(format!("cannot read {}: {err}", path.display()))
            })?;
            SimulationConfig::from_toml(&text)
                .map_err(|err| CliError::Invalid(format!("{}: {err}", path.display())))?
        }
    };
    config.epochs = args.epochs.unwrap_or(config.epochs);
    config.stakers = args.stakers.unwrap_or(config.stakers);
    config.seed = args.seed.unwrap_or(config.seed);
    Ok(config)
}

/// `tributary simulate`: runs the scenario, printing each epoch as it ends (as text) with a
/// progress bar on a terminal, writes the JSON and the chart, and returns the summary.
pub async fn simulate(args: &SimulateArgs, format: OutputFormat) -> Result<Output, CliError> {
    let config = load_scenario(args)?;
    let display = format == OutputFormat::Display;
    if display {
        println!(
            "Tributary simulation: {} stakers, {} validators, {} epochs (seed {}), in an in-process bank",
            config.stakers,
            config.validators.len(),
            config.epochs,
            config.seed
        );
        println!("{}", header_text());
    }
    // Drawn on stderr, and only when it is a terminal.
    let progress = indicatif::ProgressBar::new(config.epochs);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} epoch {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let reports = run(&config, |report| {
        if display {
            progress.suspend(|| println!("{}", epoch_text(report)));
        }
        progress.set_message(format!("{:.9} SOL per token", report.share_price));
        progress.inc(1);
    })
    .await?;
    progress.finish_and_clear();
    write_outputs(&args.out, &config, &reports).map_err(|err| {
        CliError::Invalid(format!("cannot write to {}: {err}", args.out.display()))
    })?;
    let view = Simulated {
        seed: config.seed,
        epochs: reports,
        json: args.out.join("simulation.json"),
        chart: args.out.join("simulation.svg"),
    };
    Ok(Output::of(&view))
}

/// A run's figures, and where they were written.
#[derive(Serialize)]
pub struct Simulated {
    pub seed: u64,
    pub epochs: Vec<EpochReport>,
    pub json: PathBuf,
    pub chart: PathBuf,
}

impl fmt::Display for Simulated {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(f, "{}", summary_text(&self.epochs))?;
        write!(
            f,
            "Wrote {} and {}.",
            self.json.display(),
            self.chart.display()
        )
    }
}
