//! The `tributary` command line.

use clap::{Parser, Subcommand};
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
        /// Epochs to run.
        #[arg(long, default_value_t = SimulationConfig::default().epochs)]
        epochs: u64,
        /// Stakers depositing and withdrawing.
        #[arg(long, default_value_t = SimulationConfig::default().stakers)]
        stakers: usize,
        /// The same seed gives the same run.
        #[arg(long, default_value_t = SimulationConfig::default().seed)]
        seed: u64,
    },
}

fn sol(lamports: u64) -> String {
    format!("{:.4}", lamports as f64 / LAMPORTS_PER_SOL as f64)
}

fn print_epoch(report: &EpochReport) {
    println!(
        "{:>5} {:>4} {:>12} {:>4} {:>12} {:>14} {:>14} {:>12} {:>14} {:>10}",
        report.epoch,
        report.deposits,
        sol(report.lamports_deposited),
        report.withdrawals,
        sol(report.lamports_withdrawn),
        sol(report.total_lamports),
        sol(report.reserve_lamports),
        format!("{:.9}", report.share_price),
        sol(report.share_supply),
        sol(report.treasury_value),
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
            epochs,
            stakers,
            seed,
        } => {
            let config = SimulationConfig {
                epochs,
                stakers,
                seed,
                ..SimulationConfig::default()
            };
            println!(
                "Tributary simulation: {} stakers over {} epochs (seed {}), in an in-process bank",
                config.stakers, config.epochs, config.seed
            );
            println!(
                "{:>5} {:>4} {:>12} {:>4} {:>12} {:>14} {:>14} {:>12} {:>14} {:>10}",
                "epoch",
                "dep",
                "SOL in",
                "wd",
                "SOL out",
                "pool SOL",
                "reserve SOL",
                "SOL/share",
                "shares",
                "fees SOL"
            );
            simulate::run(&config, print_epoch).await.map(|reports| {
                let last = reports.last();
                let deposited: u64 = reports.iter().map(|r| r.lamports_deposited).sum();
                let withdrawn: u64 = reports.iter().map(|r| r.lamports_withdrawn).sum();
                println!(
                    "In: {} SOL, out: {} SOL, held: {} SOL, of which the treasury's fee shares are worth {} SOL.",
                    sol(deposited),
                    sol(withdrawn),
                    sol(last.map_or(0, |r| r.total_lamports)),
                    sol(last.map_or(0, |r| r.treasury_value)),
                );
            })
        }
    };
    if let Err(err) = result {
        eprintln!("error: {err}");
        std::process::exit(1);
    }
}
