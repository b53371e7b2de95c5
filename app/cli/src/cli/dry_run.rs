//! `--dry-run`: what a command would have sent, simulated, and what it expected to happen.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::cli::args::Address;
use crate::cli::error::describe_client_error;
use crate::cli::output::Output;
use tributary_client::client::DryRunTransaction;
use tributary_client::ClientError;

/// The transactions a dry run simulated, and the command's answer from their simulation.
#[derive(Serialize)]
pub struct DryRun {
    pub dry_run: bool,
    pub transactions: Vec<TransactionView>,
    /// The command's answer, as the simulated transactions make it; null when one could not
    /// be simulated.
    pub expected: Value,
    #[serde(skip)]
    expected_text: String,
    /// Why the dry run stopped short: a transaction the program refuses on today's state,
    /// which may need the ones before it to have landed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

#[derive(Serialize)]
pub struct TransactionView {
    pub instructions: Vec<InstructionView>,
    pub compute_units: u64,
    pub logs: Vec<String>,
}

#[derive(Serialize)]
pub struct InstructionView {
    pub program: Address,
    pub accounts: Vec<AccountView>,
    /// The instruction's data, base64.
    pub data: String,
}

#[derive(Serialize)]
pub struct AccountView {
    pub address: Address,
    pub signer: bool,
    pub writable: bool,
}

impl DryRun {
    /// The dry run of `transactions`, whose command answered `expected`, or stopped at a
    /// transaction it could not simulate.
    pub fn output(
        transactions: &[DryRunTransaction],
        expected: Result<Output, ClientError>,
    ) -> Output {
        use base64::Engine;
        let transactions = transactions
            .iter()
            .map(|transaction| TransactionView {
                instructions: (transaction.instructions.iter())
                    .map(|ix| InstructionView {
                        program: ix.program_id.into(),
                        accounts: (ix.accounts.iter())
                            .map(|meta| AccountView {
                                address: meta.pubkey.into(),
                                signer: meta.is_signer,
                                writable: meta.is_writable,
                            })
                            .collect(),
                        data: base64::engine::general_purpose::STANDARD.encode(&ix.data),
                    })
                    .collect(),
                compute_units: transaction.compute_units,
                logs: transaction.logs.clone(),
            })
            .collect();
        let (expected, expected_text, stopped) = match expected {
            Ok(output) => (output.json, output.text, None),
            Err(stop) => (
                Value::Null,
                String::new(),
                Some(describe_client_error(&stop)),
            ),
        };
        Output::of(&DryRun {
            dry_run: true,
            transactions,
            expected,
            expected_text,
            stopped,
        })
    }
}

impl fmt::Display for DryRun {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(
            f,
            "Dry run: nothing was sent. {} transaction(s) simulated:",
            self.transactions.len()
        )?;
        for (number, transaction) in self.transactions.iter().enumerate() {
            writeln!(
                f,
                "transaction {}: {} compute units",
                number + 1,
                transaction.compute_units
            )?;
            for ix in &transaction.instructions {
                writeln!(f, "  program {} (data {})", ix.program, ix.data)?;
                for account in &ix.accounts {
                    let role = match (account.signer, account.writable) {
                        (true, true) => "signer, writable",
                        (true, false) => "signer",
                        (false, true) => "writable",
                        (false, false) => "read",
                    };
                    writeln!(f, "    {} ({role})", account.address)?;
                }
            }
            for line in &transaction.logs {
                writeln!(f, "  | {line}")?;
            }
        }
        match &self.stopped {
            Some(stopped) => write!(
                f,
                "Stopped: {stopped}. Each transaction is simulated against today's state; \
                 send the command to run them in order"
            ),
            None => write!(f, "Expected result: {}", self.expected_text),
        }
    }
}
