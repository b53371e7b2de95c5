//! Events read back from a transaction's logs.

use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;

/// Every event of type `E` in `logs`, in order. Reads both `Program data: ` (on-chain) and
/// `Program log: Program data: ` (the program run natively).
pub fn decode_events<E: AnchorDeserialize + Discriminator>(logs: &[String]) -> Vec<E> {
    logs.iter()
        .filter_map(|line| {
            let line = line.strip_prefix("Program log: ").unwrap_or(line);
            let encoded = line.strip_prefix("Program data: ")?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok()?;
            let body = bytes.strip_prefix(E::DISCRIMINATOR)?;
            E::try_from_slice(body).ok()
        })
        .collect()
}
