//! `simulate`: a pool in an in-process bank, as the main job.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::args::SimulateArgs;
use crate::cli::error::{describe_client_error, CliError};
use crate::cli::output::Output;
use crate::cli::output::OutputFormat;
use crate::cli::program_logs::ProgramLogs;
use crate::simulate::{
    comparison_text, epoch_text, header_text, run_designs, run_seeds, study_text, summary_text,
    write_outputs, write_study, Design, DesignResult, DesignRun, DesignSummary, EpochReport, Run,
    SeedStudy, SimulationConfig, Stop, CHART_FILES,
};

/// The scenario in `path`, or the built-in default, with the command line's overrides,
/// checked against the limits the simulation supports.
pub fn load_scenario(args: &SimulateArgs) -> Result<SimulationConfig, CliError> {
    let mut config = match &args.scenario {
        None => SimulationConfig::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|err| {
                CliError::Invalid(format!("cannot read {}: {err}", path.display()))
            })?;
            SimulationConfig::from_toml(&text).map_err(|err| {
                // One line: where, and what toml says, without its drawing of the line.
                let line = err.span().map_or(1, |span| {
                    text.get(..span.start)
                        .unwrap_or(&text)
                        .matches('\n')
                        .count()
                        + 1
                });
                CliError::Invalid(format!(
                    "{}, line {line}: {}",
                    path.display(),
                    err.message()
                ))
            })?
        }
    };
    config.epochs = args.epochs.unwrap_or(config.epochs);
    config.stakers = args.stakers.unwrap_or(config.stakers);
    config.seed = args.seed.unwrap_or(config.seed);
    config
        .check()
        .map_err(|err| CliError::Invalid(format!("invalid scenario: {err}")))?;
    Ok(config)
}

/// Creates `out` and checks that files can be written there, before anything runs.
fn prepare_out(out: &Path) -> Result<(), CliError> {
    let refused = |err: std::io::Error| {
        CliError::Invalid(format!("cannot write to {}: {err}", out.display()))
    };
    std::fs::create_dir_all(out).map_err(refused)?;
    let probe = out.join(".tributary-write-check");
    std::fs::write(&probe, b"").map_err(refused)?;
    std::fs::remove_file(&probe).map_err(refused)
}

/// `tributary simulate`: runs the scenario, printing each epoch as it ends (as text) with a
/// progress bar on a terminal, and writes the JSON and the chart of the epochs that ran, also
/// when the run stops early (an error, Ctrl-C, a closed output).
/// Runs the simulation; `verbose` prints the program's own logs to standard error.
pub async fn simulate(
    args: &SimulateArgs,
    format: OutputFormat,
    verbose: bool,
) -> Result<Output, CliError> {
    let config = load_scenario(args)?;
    let designs = designs_of(args);
    prepare_out(&args.out)?;
    if let Some(seeds) = &args.seeds {
        return study(args, &config, &designs, seeds.clone());
    }
    let (logs, stdout) = ProgramLogs::divert(verbose)
        .map_err(|err| CliError::Invalid(format!("cannot set up standard output: {err}")))?;
    let display = format == OutputFormat::Display;
    let mut console = Console::new(stdout, &config, display);
    let run = if console.title(&config, &designs).is_break() {
        Run {
            designs: Vec::new(),
            stop: Some(Stop::Stopped),
            transactions: 0,
        }
    } else {
        let on_epoch = |reports: &[&EpochReport]| console.epoch(reports);
        run_designs(&config, &designs, on_epoch, ctrl_c()).await
    };
    console.progress.finish_and_clear();
    drop(logs);
    finish(args, &config, run.designs, run.stop)
}

/// `simulate --seeds`: every design over every seed, on every core; the statistics printed and
/// written to `seeds.json`, with the chart of the sharers' and the keepers' stake.
fn study(
    args: &SimulateArgs,
    config: &SimulationConfig,
    designs: &[Design],
    seeds: std::ops::RangeInclusive<u64>,
) -> Result<Output, CliError> {
    let threads = std::thread::available_parallelism().map_or(1, |cores| cores.get());
    let started = std::time::Instant::now();
    let study =
        run_seeds(config, designs, seeds, threads, args.does_sharing_pay).map_err(|stop| {
            match *stop {
                Stop::Failed(error) => CliError::RunStopped(format!(
                    "a run stopped in epoch {}, {}: {}",
                    error.epoch,
                    error.actor,
                    describe_client_error(&error.source)
                )),
                Stop::Invalid(error) => CliError::Invalid(format!("invalid scenario: {error}")),
                Stop::Interrupted | Stop::Stopped => {
                    CliError::Interrupted("the seeds' runs".into())
                }
            }
        })?;
    let seconds = started.elapsed().as_secs_f64();
    let written = write_study(&args.out, &study).map_err(|err| {
        CliError::Invalid(format!("cannot write to {}: {err}", args.out.display()))
    })?;
    Ok(Output::of(&StudyEnded {
        text: study_text(&study, config),
        study,
        seconds,
        threads,
        files: written,
    }))
}

/// `simulate --seeds`' answer.
#[derive(Serialize)]
pub struct StudyEnded {
    #[serde(skip)]
    pub text: String,
    pub study: SeedStudy,
    pub seconds: f64,
    pub threads: usize,
    pub files: Vec<PathBuf>,
}

impl fmt::Display for StudyEnded {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.text)?;
        let files: Vec<String> = self.files.iter().map(|p| p.display().to_string()).collect();
        write!(
            f,
            "{:.1} s on {} thread(s). Wrote {}.",
            self.seconds,
            self.threads,
            files.join(", ")
        )
    }
}

/// The designs asked for, each once, in the order given; all of them when none is.
fn designs_of(args: &SimulateArgs) -> Vec<Design> {
    if args.design.is_empty() {
        return Design::ALL.to_vec();
    }
    let mut designs = Vec::new();
    for design in &args.design {
        if !designs.contains(design) {
            designs.push(*design);
        }
    }
    designs
}

/// Completes on Ctrl-C; never where signals cannot be caught.
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Where a run's lines go: the real standard output, under a progress bar drawn on stderr
/// when it is a terminal.
struct Console {
    out: Box<dyn Write>,
    progress: indicatif::ProgressBar,
    /// Whether the table is printed (not for `--output json`).
    display: bool,
}

impl Console {
    fn new(out: Box<dyn Write>, config: &SimulationConfig, display: bool) -> Self {
        let progress = indicatif::ProgressBar::new(config.epochs);
        progress.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} epoch {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Self {
            out,
            progress,
            display,
        }
    }

    /// Prints `line`; breaks once the reader has closed standard output.
    fn line(&mut self, line: &str) -> ControlFlow<()> {
        let out = &mut self.out;
        match self.progress.suspend(|| writeln!(out, "{line}")) {
            Err(err) if err.kind() == ErrorKind::BrokenPipe => ControlFlow::Break(()),
            // Any other failure to print is not worth losing the run for.
            _ => ControlFlow::Continue(()),
        }
    }

    /// The run's title and the table's header.
    fn title(&mut self, config: &SimulationConfig, designs: &[Design]) -> ControlFlow<()> {
        if !self.display {
            return ControlFlow::Continue(());
        }
        let names: Vec<&str> = designs.iter().map(|design| design.name()).collect();
        self.line(&format!(
            "Tributary simulation: {} stakers, {} validators, {} epochs (seed {}), designs {}, \
             each in an in-process bank; the epochs of the {} design:",
            config.stakers,
            config.validators.len(),
            config.epochs,
            config.seed,
            names.join(", "),
            names.first().unwrap_or(&"first"),
        ))?;
        self.line(&header_text())
    }

    /// The first design's row for an epoch that ended in every design, and the progress bar
    /// moved on with each design's share price.
    fn epoch(&mut self, reports: &[&EpochReport]) -> ControlFlow<()> {
        let prices: Vec<String> = reports
            .iter()
            .map(|report| format!("{:.6}", report.share_price))
            .collect();
        self.progress
            .set_message(format!("SOL per token: {}", prices.join(" / ")));
        self.progress.inc(1);
        match reports.first() {
            Some(report) if self.display => self.line(&epoch_text(report)),
            _ => ControlFlow::Continue(()),
        }
    }
}

/// Writes what ran and turns the way the run ended into the command's answer.
fn finish(
    args: &SimulateArgs,
    config: &SimulationConfig,
    designs: Vec<DesignRun>,
    stop: Option<Stop>,
) -> Result<Output, CliError> {
    let results: Vec<DesignResult> = designs
        .into_iter()
        .map(|run| DesignResult::of(config, run))
        .collect();
    let epochs = results.first().map_or(0, |result| result.epochs.len());
    if epochs > 0 {
        write_outputs(&args.out, config, &results).map_err(|err| {
            CliError::Invalid(format!("cannot write to {}: {err}", args.out.display()))
        })?;
    }
    let written = Written::new(&args.out, epochs);
    match stop {
        None | Some(Stop::Stopped) => Ok(Output::of(&SimulationEnded {
            seed: config.seed,
            designs: results,
            json: written.json,
            charts: written.charts,
        })),
        Some(Stop::Invalid(error)) => Err(CliError::Invalid(format!("invalid scenario: {error}"))),
        Some(Stop::Interrupted) => Err(CliError::Interrupted(written.to_string())),
        Some(Stop::Failed(error)) => Err(CliError::RunStopped(format!(
            "the run stopped in epoch {}, {}: {}; {written}",
            error.epoch,
            error.actor,
            describe_client_error(&error.source)
        ))),
    }
}

/// Where the epochs that ran were written.
struct Written {
    epochs: usize,
    json: PathBuf,
    charts: Vec<PathBuf>,
}

impl Written {
    fn new(out: &Path, epochs: usize) -> Self {
        Self {
            epochs,
            json: out.join("simulation.json"),
            charts: CHART_FILES.iter().map(|file| out.join(file)).collect(),
        }
    }

    /// The files, named in a sentence.
    fn files(json: &Path, charts: &[PathBuf]) -> String {
        let charts: Vec<String> = charts.iter().map(|c| c.display().to_string()).collect();
        format!("{} and the charts {}", json.display(), charts.join(", "))
    }
}

impl fmt::Display for Written {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.epochs {
            0 => write!(f, "no epoch had ended, so nothing was written"),
            epochs => write!(
                f,
                "the {epochs} epochs that ran are in {}",
                Self::files(&self.json, &self.charts)
            ),
        }
    }
}

/// A run's figures, and where they were written.
#[derive(Serialize)]
pub struct SimulationEnded {
    pub seed: u64,
    pub designs: Vec<DesignResult>,
    pub json: PathBuf,
    pub charts: Vec<PathBuf>,
}

impl fmt::Display for SimulationEnded {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if let Some(first) = self.designs.first() {
            writeln!(f, "The {} design:", first.design.name())?;
            writeln!(f, "{}", summary_text(&first.epochs))?;
        }
        let summaries: Vec<DesignSummary> =
            self.designs.iter().map(|d| d.summary.clone()).collect();
        writeln!(f, "{}", comparison_text(&summaries).trim_end())?;
        write!(f, "Wrote {}.", Written::files(&self.json, &self.charts))
    }
}
