//! The value-flow simulation: a scenario of validators, builders, searchers and stakers run
//! through several designs of pool, each in its own in-process bank, epoch by epoch: deposits and
//! withdrawals, staking rewards, MEV found in the leaders' slots and tipped, the epoch crank and
//! rebalancing, and the ledger after each epoch. `config.rs` is the scenario, `economy.rs` the MEV
//! model, `run.rs` drives the banks, `stakers.rs` the stakers, `compare.rs` sums up and compares
//! the designs, `table.rs` prints an epoch, `report.rs` writes the figures and the charts.

mod actors;
mod compare;
mod config;
mod default_scenario;
mod delegation;
mod design;
mod economy;
mod report;
mod report_sharing;
mod run;
mod seeds;
mod stakers;
mod table;

pub use compare::{comparison_text, verdict, DesignResult, DesignSummary, ValidatorSummary};
pub use config::{
    BuilderSpec, InvalidScenario, LuckyTip, MevPath, SimulationConfig, ValidatorSpec,
    DEFAULT_REWARDS_PPM, JITO_FEE_BPS, MAX_DEPOSIT_LAMPORTS, MAX_EPOCHS, MAX_PPM, MAX_STAKERS,
    MAX_VALIDATORS,
};
pub use design::Design;
pub use economy::{JitoFlows, JitoSplit, MevSplit};
pub use report::{write_outputs, CHART_FILES};
pub use report_sharing::{write_study, StakeByChoice};
pub use run::{run_designs, DesignRun, Run, Stop};
pub use seeds::{run_seeds, DesignStatistics, Edge, Estimate, SeedStudy, SharingPays};
pub use table::{epoch_text, header_text, study_text, summary_text};

use tributary_client::ClientError;

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

/// What one validator earned in an epoch, by source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ValidatorEarnings {
    /// Its MEV commission, paid by `distribute` from its vault.
    pub mev_commission: u64,
    /// Tips it kept outside the pool (routed elsewhere, or no pool sharing them).
    pub tips_kept: u64,
    /// Its commission on the tips it took through Jito.
    pub jito_commission: u64,
    /// Its inflation commission on the pool's stake.
    pub inflation_commission: u64,
}

impl ValidatorEarnings {
    pub fn add(&mut self, other: &ValidatorEarnings) {
        self.mev_commission += other.mev_commission;
        self.tips_kept += other.tips_kept;
        self.jito_commission += other.jito_commission;
        self.inflation_commission += other.inflation_commission;
    }

    pub fn total(&self) -> u64 {
        self.mev_commission + self.tips_kept + self.jito_commission + self.inflation_commission
    }
}

/// The pool's ledger at the end of one epoch, and where the epoch's MEV and staking rewards
/// went.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct EpochReport {
    pub epoch: u64,
    /// The MEV of the pool's validators' slots: found, captured, and divided between searchers,
    /// builders and the validators' tips.
    pub mev: MevSplit,
    /// Of `mev.tips`, what went into the pool's vaults, and what validators kept outside it.
    pub tips_to_vaults: u64,
    pub tips_kept_by_validators: u64,
    /// The epoch's tips through Jito and where they went; `unclaimed` is what Jito owes the
    /// pool's stake accounts at the epoch's end.
    pub jito: JitoFlows,
    /// Tips in the vaults at the end of the epoch, not distributed yet (read from the bank).
    pub tips_waiting: u64,
    /// Jito's claims in the pool's stake accounts at the end of the epoch, not collected yet.
    pub stake_tips_waiting: u64,
    /// Lamports collected from the stake accounts into the vaults this epoch.
    pub stake_tips_collected: u64,
    /// Staking rewards the runtime paid on the pool's stake at the epoch's end, and the
    /// validators' inflation commission of them (the rest went to the stake accounts).
    pub rewards_paid: u64,
    pub rewards_commission: u64,
    /// Staking rewards the epoch roll found, before the epoch fee.
    pub rewards: u64,
    /// The protocol's epoch fee on them.
    pub epoch_fee: u64,
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
    /// The stakers' lamports in the share price now.
    pub total_lamports: u64,
    /// The stakers' income counted at the roll and not yet released into the share price.
    pub locked_lamports: u64,
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
    /// What each validator earned in the epoch, in the same order.
    pub validator_earnings: Vec<ValidatorEarnings>,
    /// What the validators' stake accounts keep, paid by the operator: no staker's.
    pub floor_lamports: u64,
    pub treasury_shares: u64,
    pub treasury_value: u64,
}

/// Lamports in SOL, for figures and charts (`cli::sol` prints them exactly).
pub fn in_sol(lamports: u64) -> f64 {
    lamports as f64 / tributary_client::LAMPORTS_PER_SOL as f64
}

/// Epochs in a year on mainnet: 432,000 slots of about 400 ms make an epoch of about two days.
pub const EPOCHS_PER_YEAR: f64 = 365.25 * 86_400.0 / (432_000.0 * 0.4);

/// The growth from a price of 1 (the pool's first shares) to `price` in `epochs`, compounded
/// over a year of mainnet epochs.
pub fn yearly_growth(price: f64, epochs: usize) -> f64 {
    if epochs == 0 || price <= 0.0 {
        return 0.0;
    }
    price.powf(EPOCHS_PER_YEAR / epochs as f64) - 1.0
}

/// Lamports as SOL to four places, for the simulation's tables.
pub fn sol4(lamports: u64) -> String {
    format!("{:.4}", in_sol(lamports))
}

/// The growth from `previous_price` to `price` in one epoch, compounded over a year.
pub fn annualised_yield(previous_price: f64, price: f64) -> f64 {
    if previous_price <= 0.0 {
        return 0.0;
    }
    (price / previous_price).powf(EPOCHS_PER_YEAR) - 1.0
}

#[cfg(test)]
mod tests;
