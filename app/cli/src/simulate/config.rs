//! A scenario: what `tributary simulate` runs, and the limits it is checked against before
//! anything runs.

use tributary::constants::{
    BPS_DENOMINATOR, MAX_CONCENTRATION_BPS, MAX_DEPOSIT_FEE_BPS, MAX_EPOCH_FEE_BPS,
    MAX_MEV_COMMISSION_CAP_BPS, MAX_MEV_FEE_BPS, MAX_TICKET_FEE_BPS, MAX_WITHDRAWAL_FEE_BPS,
    MEV_LEDGER_EPOCHS,
};
use tributary::state::{DelegationRule, Fees, StrategyMode};

use tributary_client::LAMPORTS_PER_SOL;

/// An epoch's MEV is at most this multiple of its mean: the draws of an epoch whose slots add up
/// to more are scaled down to it (rare with hundreds of slots). It bounds how fast MEV can grow
/// the pool, for the scenario's overflow check.
pub const MAX_EPOCH_MEV_MULTIPLE: u64 = 3;

/// Each epoch is a bank warp and a crank: a thousand epochs is past any trend worth seeing.
pub const MAX_EPOCHS: u64 = 1_000;
/// Each staker acts every epoch (several to a transaction): ten thousand stakers for a thousand
/// epochs are about three million transactions, close to an hour here.
pub const MAX_STAKERS: usize = 10_000;
/// Each validator is a vote account, a crank entry and a rebalance every epoch.
pub const MAX_VALIDATORS: usize = 100;
/// Staking rewards each epoch, in millionths of the active stake: 400 is about 7.6% a year
/// over mainnet's some 182 epochs (two days each), near what a staker earns on mainnet.
pub const DEFAULT_REWARDS_PPM: u64 = 400;
/// A tenth of the stake every epoch, for rewards or for tips: far above any real cluster.
/// Compounded over many epochs it could still outgrow a balance: `MAX_PROJECTED_LAMPORTS`.
pub const MAX_PPM: u64 = 100_000;
/// The most a run may make of its stakers' funds and tips with its rewards and tips compounded
/// every epoch: a sixteenth of what a u64 of lamports holds, so that no balance, sum or product
/// of the program's u64 accounting can overflow.
pub const MAX_PROJECTED_LAMPORTS: u64 = u64::MAX / 16;
/// Leader slots modelled per epoch: each is one draw of MEV; the leader schedule follows stake.
pub const MAX_SLOTS_PER_EPOCH: u64 = 10_000;
/// The most stake a validator holds from outside the pool: ten million SOL, beyond any
/// validator on mainnet.
pub const MAX_OUTSIDE_STAKE_SOL: u64 = 10_000_000;
/// The most builders a scenario names.
pub const MAX_BUILDERS: usize = 10;
/// The most a one-off lucky tip may be.
pub const MAX_LUCKY_TIP_LAMPORTS: u64 = 10_000 * LAMPORTS_PER_SOL;
/// The most a staker deposits in one epoch; each staker is funded for one such deposit an
/// epoch.
pub const MAX_DEPOSIT_LAMPORTS: u64 = 50 * LAMPORTS_PER_SOL;

/// A scenario: what `tributary simulate` runs. Read from a TOML file (see `scenarios/`), every
/// field optional, the rest from the built-in default.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulationConfig {
    pub epochs: u64,
    pub stakers: usize,
    /// The pool's validators and how each behaves.
    pub validators: Vec<ValidatorSpec>,
    /// The block builders the validators take their blocks from.
    pub builders: Vec<BuilderSpec>,
    /// `scored` (stake follows what validators return to stakers) or `manual` (their weights),
    /// for the integrated design; the other designs delegate equally.
    pub strategy: StrategyMode,
    /// The delegation rule of the integrated design's strategy (`DelegationRule`, all four
    /// fields): the recommended one unless the scenario names another.
    pub rule: DelegationRule,
    /// Staking rewards each epoch, in millionths of the stake: 400 is about 7% a year.
    pub rewards_ppm: u64,
    /// MEV available each epoch, in millionths of the stake whose leader slots find it.
    pub mev_ppm: u64,
    /// Leader slots per epoch: each slot's MEV is drawn from a heavy-tailed distribution, and
    /// its leader by stake, the pool's and the rest of its stake.
    pub slots_per_epoch: u64,
    /// Each validator's stake from outside the pool, in SOL: it leads slots, but its tips are
    /// not the pool's. The pool sees the share of a validator's MEV its own stake brings.
    pub outside_stake_sol: u64,
    /// The share of what searchers extract that they pay as tips, in basis points.
    pub searcher_tip_share_bps: u16,
    /// Share of the pool kept liquid in the reserve, in basis points.
    pub reserve_buffer_bps: u16,
    /// The same seed gives the same run.
    pub seed: u64,
    pub fees: Fees,
}

/// One validator of a scenario.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidatorSpec {
    /// How the report names it: its behaviour ("shares its MEV", "naive builder").
    #[serde(default)]
    pub name: String,
    /// Its inflation commission, in percent.
    pub commission: u8,
    /// The MEV commission it declares on its path, in basis points: to the pool for its vault
    /// (above the pool's cap, it keeps its MEV), or to Jito in its tip-distribution account.
    pub mev_commission_bps: u16,
    /// The builder (by name) it takes its blocks from.
    #[serde(default = "efficient")]
    pub builder: String,
    /// Where its tips go: the pool's vault, Jito, or nowhere (it keeps them).
    #[serde(default)]
    pub mev_path: MevPath,
    /// The run epoch from which it stops voting, if it does.
    #[serde(default)]
    pub stops_voting_at: Option<u64>,
    /// Its weight in `manual` mode.
    #[serde(default = "one")]
    pub weight: u32,
    /// A one-off bundle's tip, on top of its slots' MEV: luck that a score must not trust.
    #[serde(default)]
    pub lucky_tip: Option<LuckyTip>,
}

/// The way a validator's tips take, as on Solana today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MevPath {
    /// Searchers tip its vault in the pool (Tributary's path); where a design has no vaults, it
    /// keeps them.
    #[default]
    Vault,
    /// Searchers tip Jito; after the epoch Jito's tip-distribution program keeps its fee
    /// (`JITO_FEE_BPS`), pays the validator its declared commission and, in the next epoch,
    /// every stake account delegated to it its share, as lamports above the delegation.
    Jito,
    /// It keeps every tip.
    None,
}

impl MevPath {
    /// Whether the validator gives its tips away at all.
    pub fn shares(self) -> bool {
        self != MevPath::None
    }
}

/// Jito's protocol fee on the tips its tip-distribution program pays out: 3% (jito-programs'
/// tip distribution, the fee its config takes before the merkle root's claims).
pub const JITO_FEE_BPS: u16 = 300;

/// A tip paid into a validator's tip destination once.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LuckyTip {
    /// The run epoch (counted from 0) it lands in.
    pub epoch: u64,
    pub lamports: u64,
}

/// A block builder: how much of a slot's MEV its blocks capture and its fee on the tips it
/// forwards.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuilderSpec {
    pub name: String,
    /// The share of a slot's available MEV its blocks capture, in basis points.
    pub efficiency_bps: u16,
    /// What it keeps of the tips it forwards, in basis points.
    pub fee_bps: u16,
}

fn one() -> u32 {
    1
}

fn efficient() -> String {
    "efficient".into()
}

impl ValidatorSpec {
    /// Its name in reports: the scenario's, else its place.
    pub fn label(&self, index: usize) -> String {
        if self.name.is_empty() {
            format!("validator {index}")
        } else {
            self.name.clone()
        }
    }
}

impl SimulationConfig {
    /// The builder of the validator `spec`, if the scenario names it.
    fn builder_of(&self, spec: &ValidatorSpec) -> Option<&BuilderSpec> {
        self.builders
            .iter()
            .find(|builder| builder.name == spec.builder)
    }

    /// Each validator's builder, in the validators' order; refuses a name the scenario's
    /// builders do not have.
    pub fn validator_builders(&self) -> Result<Vec<BuilderSpec>, InvalidScenario> {
        let names: Vec<&str> = self.builders.iter().map(|b| b.name.as_str()).collect();
        let names = names.join(", ");
        self.validators
            .iter()
            .enumerate()
            .map(|(index, validator)| {
                self.builder_of(validator)
                    .cloned()
                    .ok_or_else(|| InvalidScenario {
                        field: format!("validators[{index}].builder"),
                        value: format!("{:?}", validator.builder),
                        allowed: format!("one of the scenario's builders: {names}"),
                    })
            })
            .collect()
    }
}

/// A scenario value outside what the simulation supports, as one sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} is {value}, but it must be {allowed}")]
pub struct InvalidScenario {
    pub field: String,
    pub value: String,
    pub allowed: String,
}

/// Refuses `value` of `field` outside `low..=high`, in `unit`.
fn within(field: &str, value: u64, low: u64, high: u64, unit: &str) -> Result<(), InvalidScenario> {
    if (low..=high).contains(&value) {
        return Ok(());
    }
    Err(InvalidScenario {
        field: field.into(),
        value: value.to_string(),
        allowed: format!("from {low} to {high} {unit}"),
    })
}

impl SimulationConfig {
    /// A scenario from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// Checks every value against what the simulation and the program accept, so that a run
    /// never stops on its input.
    pub fn check(&self) -> Result<(), InvalidScenario> {
        within("epochs", self.epochs, 1, MAX_EPOCHS, "epochs")?;
        within(
            "stakers",
            self.stakers as u64,
            1,
            MAX_STAKERS as u64,
            "stakers",
        )?;
        let validators = self.validators.len() as u64;
        within(
            "the number of validators",
            validators,
            1,
            MAX_VALIDATORS as u64,
            "validators",
        )?;
        within("rewards_ppm", self.rewards_ppm, 0, MAX_PPM, "millionths")?;
        within("mev_ppm", self.mev_ppm, 0, MAX_PPM, "millionths")?;
        within(
            "slots_per_epoch",
            self.slots_per_epoch,
            1,
            MAX_SLOTS_PER_EPOCH,
            "slots",
        )?;
        within(
            "outside_stake_sol",
            self.outside_stake_sol,
            0,
            MAX_OUTSIDE_STAKE_SOL,
            "SOL",
        )?;
        within(
            "searcher_tip_share_bps",
            self.searcher_tip_share_bps.into(),
            0,
            BPS_DENOMINATOR,
            "basis points",
        )?;
        within(
            "the number of builders",
            self.builders.len() as u64,
            1,
            MAX_BUILDERS as u64,
            "builders",
        )?;
        for (index, builder) in self.builders.iter().enumerate() {
            let field = |name: &str| format!("builders[{index}].{name}");
            let efficiency = builder.efficiency_bps.into();
            within(
                &field("efficiency_bps"),
                efficiency,
                0,
                BPS_DENOMINATOR,
                "basis points",
            )?;
            let fee = builder.fee_bps.into();
            within(&field("fee_bps"), fee, 0, BPS_DENOMINATOR, "basis points")?;
        }
        let bps = BPS_DENOMINATOR;
        within(
            "reserve_buffer_bps",
            self.reserve_buffer_bps.into(),
            0,
            bps,
            "basis points",
        )?;
        self.check_fees()?;
        self.check_rule()?;
        for (index, validator) in self.validators.iter().enumerate() {
            let field = |name: &str| format!("validators[{index}].{name}");
            let commission = validator.commission.into();
            within(&field("commission"), commission, 0, 100, "percent")?;
            let mev = validator.mev_commission_bps.into();
            within(&field("mev_commission_bps"), mev, 0, bps, "basis points")?;
            if let Some(lucky) = validator.lucky_tip {
                let lamports = lucky.lamports;
                within(
                    &field("lucky_tip.lamports"),
                    lamports,
                    0,
                    MAX_LUCKY_TIP_LAMPORTS,
                    "lamports",
                )?;
            }
        }
        self.validator_builders()?;
        self.check_growth()
    }

    /// What the run could hold at its end, at most: every staker depositing the most each
    /// epoch and every lucky tip, all growing by the rewards and the most MEV every epoch.
    pub(super) fn projected_lamports(&self, epochs: u64) -> f64 {
        let mev_ppm = self.mev_ppm * MAX_EPOCH_MEV_MULTIPLE;
        let growth = 1.0 + (self.rewards_ppm + mev_ppm) as f64 / 1e6;
        let deposits = self.stakers as f64 * (epochs * MAX_DEPOSIT_LAMPORTS) as f64;
        let lucky: u64 = self
            .validators
            .iter()
            .filter_map(|v| v.lucky_tip)
            .map(|t| t.lamports)
            .sum();
        (deposits + lucky as f64) * growth.powf(epochs as f64)
    }

    /// Refuses a run whose rewards and tips, compounded, could overflow the program's
    /// accounting, naming the most epochs it could run.
    fn check_growth(&self) -> Result<(), InvalidScenario> {
        if self.projected_lamports(self.epochs) <= MAX_PROJECTED_LAMPORTS as f64 {
            return Ok(());
        }
        let most = (1..self.epochs)
            .take_while(|epochs| self.projected_lamports(*epochs) <= MAX_PROJECTED_LAMPORTS as f64)
            .last()
            .unwrap_or(0);
        Err(InvalidScenario {
            field: "epochs".into(),
            value: self.epochs.to_string(),
            allowed: format!(
                "at most {most} with these stakers, rewards_ppm and mev_ppm: compounded longer, \
                 the pool's lamports could outgrow the program's u64 accounting"
            ),
        })
    }

    /// The rule's shares and grace, as the program's `set_strategy` accepts them.
    fn check_rule(&self) -> Result<(), InvalidScenario> {
        let rule = &self.rule;
        let shares = [
            (
                "rule.sharing_bar_bps",
                rule.sharing_bar_bps,
                BPS_DENOMINATOR,
            ),
            (
                "rule.concentration_bps",
                rule.concentration_bps,
                MAX_CONCENTRATION_BPS.into(),
            ),
            ("rule.deadband_bps", rule.deadband_bps, BPS_DENOMINATOR),
        ];
        for (field, value, most) in shares {
            within(field, value.into(), 0, most, "basis points")?;
        }
        let grace = rule.grace_epochs.into();
        within(
            "rule.grace_epochs",
            grace,
            0,
            MEV_LEDGER_EPOCHS as u64,
            "epochs",
        )
    }

    /// Each fee against the program's own cap.
    fn check_fees(&self) -> Result<(), InvalidScenario> {
        let fees = &self.fees;
        let caps = [
            ("fees.deposit_bps", fees.deposit_bps, MAX_DEPOSIT_FEE_BPS),
            (
                "fees.withdrawal_bps",
                fees.withdrawal_bps,
                MAX_WITHDRAWAL_FEE_BPS,
            ),
            ("fees.ticket_bps", fees.ticket_bps, MAX_TICKET_FEE_BPS),
            ("fees.epoch_bps", fees.epoch_bps, MAX_EPOCH_FEE_BPS),
            ("fees.mev_bps", fees.mev_bps, MAX_MEV_FEE_BPS),
            (
                "fees.mev_commission_cap_bps",
                fees.mev_commission_cap_bps,
                MAX_MEV_COMMISSION_CAP_BPS,
            ),
        ];
        for (field, value, cap) in caps {
            within(field, value.into(), 0, cap.into(), "basis points")?;
        }
        Ok(())
    }
}
