//! The scale benchmark: a pool of 500, 2,000 and 5,000 validators (or the counts given as
//! arguments) in the in-process bank, one epoch each with and without lookup tables; prints a
//! Markdown table of transactions, entries read, the list's size and rent, and wall time.
//!
//! `cargo run --release --example scale --features bank [-- 500 2000 5000]`

use tributary_cli::scale::{run_scale, ScaleReport};
use tributary_client::LAMPORTS_PER_SOL;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tributary_client::transport::quiet_bank_logs();
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .map(|arg| arg.parse().expect("validator counts are whole numbers"))
        .collect();
    let counts = if counts.is_empty() {
        vec![500, 2_000, 5_000]
    } else {
        counts
    };
    println!(
        "| validators | lookup tables | update txs, idle | update txs, merging | epoch txs | most entries read (update / roll / rebalance) | list bytes | list rent (SOL) | vote accounts (s) | adds (s) | epoch (s) |"
    );
    println!("|---:|:---:|---:|---:|---:|:---:|---:|---:|---:|---:|---:|");
    for validators in counts {
        for lookup_tables in [false, true] {
            let report = run_scale(validators, lookup_tables, false)
                .await
                .unwrap_or_else(|err| panic!("{validators} validators: {err}"));
            print_row(&report);
        }
    }
}

fn print_row(report: &ScaleReport) {
    println!(
        "| {} | {} | {} | {} | {} | {} / {} / {} | {} | {:.2} | {:.1} | {:.1} | {:.1} |",
        report.validators,
        if report.lookup_tables { "yes" } else { "no" },
        report.idle_update_transactions,
        report.update_transactions,
        report.epoch_transactions,
        report.update_entries_read,
        report.roll_entries_read,
        report.rebalance_entries_read,
        report.list_bytes,
        report.list_rent_lamports as f64 / LAMPORTS_PER_SOL as f64,
        report.vote_account_seconds,
        report.add_seconds,
        report.epoch_seconds,
    );
}
