//! The value-flow simulation: a pool in an in-process bank with validators, stakers depositing
//! and withdrawing, staking rewards, searchers tipping, the epoch crank and rebalancing, over
//! several epochs, and the pool's ledger after each epoch. `run.rs` drives it, `table.rs` prints
//! it, `report.rs` writes its figures and chart.

mod config;
mod report;
mod run;
mod stakers;
mod table;

pub use config::{
    InvalidScenario, SimulationConfig, ValidatorSpec, MAX_DEPOSIT_LAMPORTS, MAX_EPOCHS, MAX_PPM,
    MAX_STAKERS, MAX_VALIDATORS,
};
pub use report::{chart, write_outputs};
pub use run::{run, Run, Stop};
pub use table::{epoch_text, header_text, summary_text};

use crate::ClientError;

/// A call that failed in a run: the epoch, who made it, and the error.
#[derive(Debug, thiserror::Error)]
#[error("in epoch {epoch}, {actor}: {source}")]
pub struct SimulationError {
    pub epoch: u64,
    pub actor: String,
    #[source]
    pub source: ClientError,
}

impl SimulationError {
    fn new(epoch: u64, actor: impl Into<String>, source: ClientError) -> Self {
        Self {
            epoch,
            actor: actor.into(),
            source,
        }
    }
}

/// The pool's ledger at the end of one epoch.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct EpochReport {
    pub epoch: u64,
    /// Staking rewards the epoch roll found, before the epoch fee.
    pub rewards: u64,
    /// Tips distributed last epoch (the stakers' and the protocol's parts), counted into the
    /// pool's lamports at this epoch's roll.
    pub tips_counted: u64,
    /// MEV tips distributed this epoch, and where they went.
    pub tips: u64,
    pub tips_to_validators: u64,
    pub tips_to_protocol: u64,
    pub tips_to_stakers: u64,
    pub deposits: u32,
    pub withdrawals: u32,
    pub lamports_deposited: u64,
    /// Paid out at once by `withdraw_sol`.
    pub lamports_withdrawn: u64,
    /// Unstake tickets ordered, and the lamports they were given (out of `total_lamports`).
    pub tickets: u32,
    pub lamports_ticketed: u64,
    /// Tickets claimed, and the lamports paid to their owners.
    pub claims: u32,
    pub lamports_claimed: u64,
    /// Owed to tickets not yet claimed at the end of the epoch.
    pub ticket_lamports: u64,
    pub total_lamports: u64,
    /// `Pool::share_supply`: minted, owed to the treasury and locked shares.
    pub share_supply: u64,
    pub share_price: f64,
    /// The epoch's growth of the share price compounded over a year of mainnet epochs.
    pub annualised_yield: f64,
    /// Liquid lamports in the reserve, above its rent-exempt minimum.
    pub reserve_lamports: u64,
    /// Lamports delegated to validators, active or on their way.
    pub staked_lamports: u64,
    /// Each validator's lamports, in the order they were added.
    pub validator_stakes: Vec<u64>,
    /// What the validators' stake accounts keep, paid by the operator: no staker's.
    pub floor_lamports: u64,
    pub treasury_shares: u64,
    pub treasury_value: u64,
}

/// Lamports in SOL, for figures and charts (`cli::sol` prints them exactly).
pub fn in_sol(lamports: u64) -> f64 {
    lamports as f64 / crate::LAMPORTS_PER_SOL as f64
}

/// Epochs in a year on mainnet: 432,000 slots of about 400 ms make an epoch of about two days.
pub const EPOCHS_PER_YEAR: f64 = 365.25 * 86_400.0 / (432_000.0 * 0.4);

/// The growth from `previous_price` to `price` in one epoch, compounded over a year.
pub fn annualised_yield(previous_price: f64, price: f64) -> f64 {
    if previous_price <= 0.0 {
        return 0.0;
    }
    (price / previous_price).powf(EPOCHS_PER_YEAR) - 1.0
}

#[cfg(test)]
mod tests;
