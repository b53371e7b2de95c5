//! The simulation's benchmark: runs `scenarios/large.toml` (or the scenario given) through every
//! design and prints the wall time, the transactions landed and transactions per second.
//!
//! cargo run --example simulate_large [-- SCENARIO]

use std::ops::ControlFlow;
use std::time::Instant;

use tributary_cli::simulate::{run_designs, Design, SimulationConfig};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tributary_client::transport::quiet_bank_logs();
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/large.toml").into()
    });
    let config = SimulationConfig::from_toml(&std::fs::read_to_string(&path)?)?;
    config.check()?;
    let started = Instant::now();
    let run = run_designs(
        &config,
        &Design::ALL,
        |_| ControlFlow::Continue(()),
        std::future::pending(),
    )
    .await;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(stop) = run.stop {
        return Err(format!("the run stopped: {stop:?}").into());
    }
    println!(
        "{path}: {} stakers, {} validators, {} epochs, {} designs in {seconds:.1} s: {} transactions, {:.0} per second",
        config.stakers,
        config.validators.len(),
        run.designs.first().map_or(0, |design| design.reports.len()),
        run.designs.len(),
        run.transactions,
        run.transactions as f64 / seconds
    );
    Ok(())
}
