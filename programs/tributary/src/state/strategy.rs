use anchor_lang::prelude::*;

use crate::constants::BPS_DENOMINATOR;
use crate::errors::TributaryError;

/// How the pool spreads its stake.
pub mod strategy_mode {
    /// Stake follows the operator's weights.
    pub const MANUAL: u8 = 0;
    /// Stake follows each validator's score: what it returns to stakers.
    pub const SCORED: u8 = 1;
}

/// The operator's delegation settings.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Strategy {
    /// `strategy_mode::*`.
    pub mode: u8,
    /// The most one validator may hold, as a share of the pool in basis points.
    pub validator_cap_bps: u16,
    /// What the reserve keeps liquid for instant withdrawals, as a share of the pool.
    pub reserve_buffer_bps: u16,
    /// The most stake `rebalance` may move in one epoch, as a share of the pool.
    pub max_move_bps: u16,
}

impl Strategy {
    pub fn validate(&self) -> Result<()> {
        let shares = [
            self.validator_cap_bps,
            self.reserve_buffer_bps,
            self.max_move_bps,
        ];
        require!(
            self.mode <= strategy_mode::SCORED
                && shares.iter().all(|bps| u64::from(*bps) <= BPS_DENOMINATOR),
            TributaryError::InvalidStrategy
        );
        Ok(())
    }
}
