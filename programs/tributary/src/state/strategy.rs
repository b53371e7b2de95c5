use anchor_lang::prelude::*;

use crate::constants::{
    BPS_DENOMINATOR, DEFAULT_CONCENTRATION_BPS, DEFAULT_DEADBAND_BPS, DEFAULT_GRACE_EPOCHS,
    DEFAULT_SHARING_BAR_BPS, MAX_CONCENTRATION_BPS, MEV_LEDGER_EPOCHS,
};
use crate::errors::TributaryError;

/// How the pool spreads its stake.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub enum StrategyMode {
    /// Stake follows the operator's weights.
    #[default]
    Manual,
    /// Stake follows each validator's score: what it returns to stakers.
    Scored,
}

impl StrategyMode {
    pub const ALL: [StrategyMode; 2] = [StrategyMode::Manual, StrategyMode::Scored];

    pub fn name(self) -> &'static str {
        match self {
            StrategyMode::Manual => "manual",
            StrategyMode::Scored => "scored",
        }
    }
}

impl core::str::FromStr for StrategyMode {
    type Err = String;

    fn from_str(text: &str) -> core::result::Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| format!("{text:?} is not a strategy mode (manual or scored)"))
    }
}

/// The operator's delegation settings.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Strategy {
    /// What stake follows: the operator's weights or the validators' scores.
    pub mode: StrategyMode,
    /// The most one validator may hold, as a share of the pool in basis points.
    pub validator_cap_bps: u16,
    /// What the reserve keeps liquid for instant withdrawals, as a share of the pool.
    pub reserve_buffer_bps: u16,
    /// The most stake `rebalance` may move in one epoch, as a share of the pool.
    pub max_move_bps: u16,
    /// How `Scored` mode turns scores into weights (`math::scored_weight`), and the deadband
    /// of every move.
    pub rule: DelegationRule,
}

/// How `Scored` mode turns scores into weights, and which moves wait. All zero: weights are the
/// scores, and every move the bounds allow is made.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct DelegationRule {
    /// The sharing bar: a validator whose MEV to the stakers per staked SOL is below this share
    /// of the rated validators' mean weighs nothing, in basis points.
    pub sharing_bar_bps: u16,
    /// Weights are scores less this share of the rated validators' mean score, in basis points:
    /// 0 spreads stake in proportion to scores; near 10,000 gives it to the best alone. At most
    /// 9,999: at 10,000, validators that score alike would all weigh nothing.
    pub concentration_bps: u16,
    /// Unstakes smaller than this share of the validator's target wait, in basis points: each
    /// costs the moved stake an epoch of rewards. Staking the reserve's free lamports, which
    /// earn nothing there, never waits.
    pub deadband_bps: u16,
    /// Epochs on record before the sharing bar applies to a validator.
    pub grace_epochs: u16,
}

impl DelegationRule {
    /// The rule `tributary` and the simulation start a scored pool with (README, "Delegation").
    pub const RECOMMENDED: DelegationRule = DelegationRule {
        sharing_bar_bps: DEFAULT_SHARING_BAR_BPS,
        concentration_bps: DEFAULT_CONCENTRATION_BPS,
        deadband_bps: DEFAULT_DEADBAND_BPS,
        grace_epochs: DEFAULT_GRACE_EPOCHS,
    };
}

impl Strategy {
    pub fn validate(&self) -> Result<()> {
        require_gte!(
            MEV_LEDGER_EPOCHS as u16,
            self.rule.grace_epochs,
            TributaryError::InvalidStrategy
        );
        let shares = [
            self.validator_cap_bps,
            self.reserve_buffer_bps,
            self.max_move_bps,
            self.rule.sharing_bar_bps,
            self.rule.concentration_bps,
            self.rule.deadband_bps,
        ];
        require!(
            shares.iter().all(|bps| u64::from(*bps) <= BPS_DENOMINATOR),
            TributaryError::InvalidStrategy
        );
        require_gte!(
            MAX_CONCENTRATION_BPS,
            self.rule.concentration_bps,
            TributaryError::InvalidStrategy
        );
        Ok(())
    }
}

/// Stake `rebalance` moved in one epoch, in or out.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Movement {
    /// The epoch of `lamports`.
    pub epoch: u64,
    /// Stake moved in that epoch.
    pub lamports: u64,
    /// Stake was taken out for tickets in that epoch.
    pub unstaked_for_tickets: bool,
}

impl Movement {
    /// Stake moved in `epoch`.
    pub fn in_epoch(&self, epoch: u64) -> u64 {
        if self.epoch == epoch {
            self.lamports
        } else {
            0
        }
    }

    /// Whether a move that adds stake (`increase`) or moves it between validators would go
    /// against one made in `epoch`: stake taken out for tickets is not staked again in the same
    /// epoch, so no one can make the pool unstake and restake lamports, each move costing the
    /// stakers an epoch of rewards. (The other way round, stake added this epoch is what tickets
    /// turn back first, before it earns.)
    pub fn moved_against(&self, epoch: u64, increase: bool) -> bool {
        self.epoch == epoch && increase && self.unstaked_for_tickets
    }

    /// Records `lamports` moved in `epoch`, added (`increase`) or taken out, `for_tickets` or not.
    pub fn record(
        &mut self,
        epoch: u64,
        lamports: u64,
        increase: bool,
        for_tickets: bool,
    ) -> Result<()> {
        if self.epoch != epoch {
            *self = Movement {
                epoch,
                ..Movement::default()
            };
        }
        self.lamports = crate::safe_math::SafeMath::safe_add(self.lamports, lamports)?;
        self.unstaked_for_tickets |= for_tickets && !increase;
        Ok(())
    }
}
