//! The command line's errors: sentences, and program refusals by name from the committed IDL.

use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use serde_json::Value;

use tributary_client::ClientError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read keypair {path}: {reason}")]
    Keypair { path: PathBuf, reason: String },
    #[error(
        "no pool given: pass --pool or set TRIBUTARY_POOL (`tributary init` prints the address)"
    )]
    NoPool,
    #[error("no Tributary pool at {pool} on this cluster (program {program}; --program-id names another)")]
    UnknownPool { pool: Pubkey, program: Pubkey },
    #[error("insufficient balance: {what} is {have} but {need} is needed")]
    InsufficientBalance {
        what: String,
        have: String,
        need: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{}", describe_client_error(.0))]
    Client(#[from] ClientError),
    /// A simulation stopped by an error, with where and what it wrote.
    #[error("{0}")]
    RunStopped(String),
    /// Ctrl-C, with what was written.
    #[error("interrupted: {0}")]
    Interrupted(String),
}

impl CliError {
    /// The process's exit code: 2 for input refused before anything ran (as for a bad
    /// argument), 130 for Ctrl-C (as a shell reports SIGINT), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Invalid(_) => 2,
            CliError::Interrupted(_) => 130,
            _ => 1,
        }
    }
}

/// A failed call explained: a program error by its name and message, with what to do when
/// there is something to do.
pub fn describe_client_error(error: &ClientError) -> String {
    use solana_sdk::transaction::TransactionError;
    if let ClientError::DryRunStops { simulated, error } = error {
        return format!(
            "transaction {} could not be simulated after the {simulated} before it, which a dry \
             run does not land: {}",
            simulated + 1,
            describe_client_error(error)
        );
    }
    if let ClientError::Transaction {
        error:
            TransactionError::AccountNotFound
            | TransactionError::InsufficientFundsForFee
            | TransactionError::InsufficientFundsForRent { .. },
        ..
    } = error
    {
        return format!(
            "insufficient balance: the keypair cannot pay the transaction's fee or rent ({error}); \
             fund it (e.g. `solana airdrop 1` on localhost or devnet)"
        );
    }
    let Some(code) = error.custom_code() else {
        return error.to_string();
    };
    if let ClientError::Transaction { logs, .. } = error {
        if let Some(sentence) = system_error(logs) {
            return sentence;
        }
    }
    match program_error(code) {
        Some((name, message)) => {
            let hint = match name.as_str() {
                "StaleEpoch" | "ValidatorsNotUpdated" => {
                    " (run `tributary crank` to bring the pool to this epoch)"
                }
                "TransientStakeInProgress" => {
                    " (the validator's stake is moving: try after the next epoch's crank)"
                }
                "ReserveInsufficient" => {
                    " (try `tributary withdraw-stake`, or `tributary unstake` for a ticket)"
                }
                "SlippageExceeded" => " (the rate moved: try again, or raise --slippage-bps)",
                _ => "",
            };
            format!("the program refused: {name} ({code}): {message}{hint}")
        }
        None => format!("the transaction failed with error code {code}: {error}"),
    }
}

/// The System program's refusal in `logs` as a sentence, when it is the program that failed
/// first (directly, or called by Tributary to create or pay an account).
fn system_error(logs: &[String]) -> Option<String> {
    let failed = logs.iter().find_map(|line| {
        let rest = line.strip_prefix("Program ")?;
        let (program, code) = rest.split_once(" failed: custom program error: 0x")?;
        Some((program, u32::from_str_radix(code.trim(), 16).ok()?))
    })?;
    let (program, code) = failed;
    if program != anchor_lang::system_program::ID.to_string() {
        return None;
    }
    let what = match code {
        0 => "account already in use: an account already exists at the address to create".into(),
        1 => "insufficient funds: the paying account holds less than the transfer or the rent \
              needs; fund it (e.g. `solana airdrop 1` on localhost or devnet)"
            .into(),
        2 => "the account cannot be assigned to that program".into(),
        3 => "the account cannot hold data of that length".into(),
        4 => "a seed of the address is too long".into(),
        5 => "the address does not match its base and seed".into(),
        code => format!("the System program refused with error {code}"),
    };
    Some(format!("the System program refused: {what}"))
}

/// The name and message of a Tributary error code, from the committed IDL.
pub fn program_error(code: u32) -> Option<(String, String)> {
    let idl: Value = serde_json::from_str(include_str!("../../../../idl/tributary.json")).ok()?;
    let error = idl["errors"]
        .as_array()?
        .iter()
        .find(|error| error["code"].as_u64() == Some(u64::from(code)))?;
    Some((
        error["name"].as_str()?.to_string(),
        error["msg"].as_str().unwrap_or_default().to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary::errors::TributaryError as TributaryErrorCode;

    #[test]
    fn program_errors_are_named_from_the_committed_idl() {
        let name = |error: TributaryErrorCode| program_error(error.into()).map(|found| found.0);
        assert_eq!(
            name(TributaryErrorCode::ZeroAmount).as_deref(),
            Some("ZeroAmount")
        );
        assert_eq!(
            name(TributaryErrorCode::TicketNotDue).as_deref(),
            Some("TicketNotDue")
        );
        assert_eq!(program_error(100), None);
    }

    #[test]
    fn a_system_program_refusal_is_named_from_the_logs() {
        let logs = |program: &str, code: &str| {
            vec![
                "Program TriyRMx7rPygAiEsXPhNMzPNLUFXwPCmvP5rbudp1ir invoke [1]".to_string(),
                format!("Program {program} failed: custom program error: {code}"),
                "Program TriyRMx7rPygAiEsXPhNMzPNLUFXwPCmvP5rbudp1ir failed: custom program error: 0x1"
                    .to_string(),
            ]
        };
        let system = "11111111111111111111111111111111";
        let in_use = system_error(&logs(system, "0x0")).unwrap();
        assert!(in_use.contains("account already in use"), "{in_use}");
        let funds = system_error(&logs(system, "0x1")).unwrap();
        assert!(funds.contains("insufficient funds"), "{funds}");
        // Another program's refusal is the IDL's or the program's to name.
        let token = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
        assert_eq!(system_error(&logs(token, "0x1")), None);
    }
}
