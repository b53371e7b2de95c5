//! Events read back from a transaction's logs.

use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use tributary::events::{CollectStakeTipsEvent, DistributeEvent};

use crate::TxOutcome;

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

/// Where the tips of some distributions and stake-account collections went, added up from their
/// `DistributeEvent`s and `CollectStakeTipsEvent`s: what left the tip accounts (what the rate
/// cap holds back stays, split but not counted here).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DistributionTotals {
    /// Tips that left the tip accounts.
    pub tips: u64,
    pub to_validators: u64,
    pub to_protocol: u64,
    pub to_stakers: u64,
}

impl DistributionTotals {
    pub fn of(outcomes: &[TxOutcome]) -> Self {
        let mut totals = Self::default();
        for event in outcomes
            .iter()
            .flat_map(|outcome| outcome.events::<DistributeEvent>())
        {
            totals.tips +=
                event.paid_to_validator + event.released_to_protocol + event.released_to_stakers;
            totals.to_validators += event.paid_to_validator;
            totals.to_protocol += event.released_to_protocol;
            totals.to_stakers += event.released_to_stakers;
        }
        for event in outcomes
            .iter()
            .flat_map(|outcome| outcome.events::<CollectStakeTipsEvent>())
        {
            totals.tips += event.released_to_protocol + event.released_to_stakers;
            totals.to_protocol += event.released_to_protocol;
            totals.to_stakers += event.released_to_stakers;
        }
        totals
    }
}
