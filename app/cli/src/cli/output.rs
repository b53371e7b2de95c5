//! What a command prints: one typed value per answer, rendered as text by `Display` and as
//! JSON by `Serialize`, so the two never say different things.

use std::fmt;

use serde::Serialize;
use serde_json::Value;
use solana_sdk::signature::Signature;
use tributary::constants::MINT_DECIMALS;

use clap::ValueEnum;
use tributary_client::{TxOutcome, LAMPORTS_PER_SOL};

/// A command's answer, rendered both ways.
#[derive(Debug)]
pub struct Output {
    pub text: String,
    pub json: Value,
}

impl Output {
    pub fn of<V: fmt::Display + Serialize>(view: &V) -> Self {
        Self {
            text: view.to_string(),
            json: serde_json::to_value(view).unwrap_or(Value::Null),
        }
    }

    /// Writes the answer as `format` asks, on a line of its own (`json`: pretty, over lines).
    pub fn write_to(
        &self,
        out: &mut impl std::io::Write,
        format: OutputFormat,
    ) -> std::io::Result<()> {
        match format {
            OutputFormat::Display => writeln!(out, "{}", self.text),
            OutputFormat::Json => writeln!(out, "{:#}", self.json),
            OutputFormat::JsonCompact => writeln!(out, "{}", self.json),
        }
    }
}

/// A view of what a landed transaction did, with its signature; a dry run's, without.
#[derive(Serialize)]
pub struct Signed<V> {
    #[serde(flatten)]
    pub view: V,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::cli::output::signature_text"
    )]
    pub signature: Option<Signature>,
}

impl<V: fmt::Display + Serialize> Signed<V> {
    /// The output of `view`, done by the transaction that `landed` (or was only simulated).
    pub fn output(view: V, landed: &TxOutcome) -> Output {
        Output::of(&Signed {
            view,
            signature: landed.sent.then_some(landed.signature),
        })
    }
}

impl<V: fmt::Display> fmt::Display for Signed<V> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.signature {
            Some(signature) => write!(f, "{}. Signature: {signature}", self.view),
            None => write!(f, "{} (simulated; not sent)", self.view),
        }
    }
}

fn signature_text<S: serde::Serializer>(
    signature: &Option<Signature>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match signature {
        Some(signature) => serializer.collect_str(signature),
        None => serializer.serialize_none(),
    }
}

/// Serializes anything printable by its `Display`: addresses and signatures in base58.
pub fn as_text<T: fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// Lamports as SOL, exactly, without trailing zeros.
pub fn sol(lamports: u64) -> String {
    let text = format!(
        "{}.{:09}",
        lamports / LAMPORTS_PER_SOL,
        lamports % LAMPORTS_PER_SOL
    );
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

// Pool tokens print like SOL because the mint has SOL's decimals.
const _: () = assert!(MINT_DECIMALS == 9);

/// Shares as pool tokens.
pub fn tokens(shares: u64) -> String {
    sol(shares)
}

/// How a command's answer is printed: text, or JSON for scripts.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Display,
    Json,
    /// JSON on one line.
    JsonCompact,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lamports_print_as_sol_without_trailing_zeros() {
        assert_eq!(sol(0), "0");
        assert_eq!(sol(1), "0.000000001");
        assert_eq!(sol(2_500_000_000), "2.5");
        assert_eq!(sol(7 * LAMPORTS_PER_SOL), "7");
    }
}
