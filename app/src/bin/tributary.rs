//! The `tributary` command line.

use clap::{Parser, Subcommand};
use tributary_client::report;
use tributary_client::simulate::{self, EpochReport, SimulationConfig};
use tributary_client::LAMPORTS_PER_SOL;

#[derive(Parser)]
#[command(
    name = "tributary",
    version,
    about = "Tributary: liquid staking with MEV tips built in"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs a pool in an in-process bank (nothing to install) and prints its ledger each epoch.
    Simulate {
        /// A scenario file (TOML; see scenarios/); the built-in default otherwise.
        #[arg(long)]
        scenario: Option<std::path::PathBuf>,
        /// Epochs to run, instead of the scenario's.
        #[arg(long)]
        epochs: Option<u64>,
        /// Stakers depositing and withdrawing, instead of the scenario's.
        #[arg(long)]
        stakers: Option<usize>,
        /// The seed, instead of the scenario's: the same seed gives the same run.
        #[arg(long)]
        seed: Option<u64>,
        /// Folder for simulation.json and simulation.svg.
        #[arg(long, default_value = "simulation")]
        out: std::path::PathBuf,
    },
}

fn sol(lamports: u64) -> String {
    format!("{:.4}", lamports as f64 / LAMPORTS_PER_SOL as f64)
}

const COLUMNS: [&str; 13] = [
    "epoch",
    "rewards",
    "tips",
    "to vals",
    "dep",
    "SOL in",
    "wd",
    "SOL out",
    "pool SOL",
    "staked SOL",
    "reserve SOL",
    "SOL/share",
    "fees SOL",
];

fn print_row(cells: &[String]) {
    let widths = [5, 9, 8, 8, 4, 10, 3, 10, 12, 12, 12, 12, 9];
    let row: Vec<String> = cells
        .iter()
        .zip(widths)
        .map(|(cell, width)| format!("{cell:>width$}"))
        .collect();
    println!("{}", row.join(" "));
}

fn print_epoch(report: &EpochReport) {
    print_epoch_row(report);
    let stakes: Vec<String> = report
        .validator_stakes
        .iter()
        .map(|lamports| sol(*lamports))
        .collect();
    println!("      stake per validator (SOL): {}", stakes.join("  "));
}

fn print_epoch_row(report: &EpochReport) {
    print_row(&[
        report.epoch.to_string(),
        sol(report.rewards),
        sol(report.tips),
        sol(report.tips_to_validators),
        report.deposits.to_string(),
        sol(report.lamports_deposited),
        report.withdrawals.to_string(),
        sol(report.lamports_withdrawn),
        sol(report.total_lamports),
        sol(report.staked_lamports),
        sol(report.reserve_lamports),
        format!("{:.9}", report.share_price),
        sol(report.treasury_value),
    ]);
}

/// The scenario in `path`, or the built-in default.
fn load_scenario(path: Option<&std::path::Path>) -> Result<SimulationConfig, String> {
    let Some(path) = path else {
        return Ok(SimulationConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    SimulationConfig::from_toml(&text).map_err(|err| format!("{}: {err}", path.display()))
}

/// Where the value went, over the whole run.
fn print_summary(reports: &[EpochReport]) {
    let total = |value: fn(&EpochReport) -> u64| reports.iter().map(value).sum::<u64>();
    let last = reports.last();
    println!(
        "MEV tips: {} SOL, of which {} SOL to validators, {} SOL to the protocol and {} SOL to stakers.",
        sol(total(|r| r.tips)),
        sol(total(|r| r.tips_to_validators)),
        sol(total(|r| r.tips_to_protocol)),
        sol(total(|r| r.tips_to_stakers)),
    );
    println!(
        "In: {} SOL deposited and {} SOL of staking rewards; out: {} SOL; held: {} SOL, \
         of which the treasury's fee shares are worth {} SOL.",
        sol(total(|r| r.lamports_deposited)),
        sol(total(|r| r.rewards)),
        sol(total(|r| r.lamports_withdrawn)),
        sol(last.map_or(0, |r| r.total_lamports)),
        sol(last.map_or(0, |r| r.treasury_value)),
    );
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    // The in-process bank logs every instruction at debug level unless told otherwise.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    let result = match cli.command {
        Command::Simulate {
            scenario,
            epochs,
            stakers,
            seed,
            out,
        } => {
            let mut config = match load_scenario(scenario.as_deref()) {
                Ok(config) => config,
                Err(err) => {
                    eprintln!("error: {err}");
                    std::process::exit(2);
                }
            };
            config.epochs = epochs.unwrap_or(config.epochs);
            config.stakers = stakers.unwrap_or(config.stakers);
            config.seed = seed.unwrap_or(config.seed);
            println!(
                "Tributary simulation: {} stakers, {} validators, {} epochs (seed {}), in an in-process bank",
                config.stakers,
                config.validators.len(),
                config.epochs,
                config.seed
            );
            print_row(&COLUMNS.map(String::from));
            match simulate::run(&config, print_epoch).await {
                Ok(reports) => {
                    print_summary(&reports);
                    report::write_outputs(&out, &config, &reports)
                        .map(|()| {
                            println!(
                                "Wrote {0}/simulation.json and {0}/simulation.svg.",
                                out.display()
                            )
                        })
                        .map_err(|err| format!("cannot write to {}: {err}", out.display()))
                }
                Err(err) => Err(err.to_string()),
            }
        }
    };
    if let Err(err) = result {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}
