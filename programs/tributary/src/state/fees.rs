use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::TributaryError;

/// The pool's fees, each in basis points.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Fees {
    /// On SOL and stake deposits, taken as shares for the treasury.
    pub deposit_bps: u16,
    /// On instant withdrawals, taken as shares for the treasury.
    pub withdrawal_bps: u16,
    /// On delayed-unstake tickets.
    pub ticket_bps: u16,
    /// On staking rewards, taken at each epoch roll.
    pub epoch_bps: u16,
    /// On MEV tips, taken at each distribution.
    pub mev_bps: u16,
    /// The most MEV commission a validator of the pool may keep; a fee-like parameter, so a
    /// raise waits like a fee increase.
    pub mev_commission_cap_bps: u16,
}

impl Fees {
    /// Refuses any fee above its hard cap.
    pub fn validate(&self) -> Result<()> {
        let within_caps = self.deposit_bps <= MAX_DEPOSIT_FEE_BPS
            && self.withdrawal_bps <= MAX_WITHDRAWAL_FEE_BPS
            && self.ticket_bps <= MAX_TICKET_FEE_BPS
            && self.epoch_bps <= MAX_EPOCH_FEE_BPS
            && self.mev_bps <= MAX_MEV_FEE_BPS
            && self.mev_commission_cap_bps <= MAX_MEV_COMMISSION_CAP_BPS;
        require!(within_caps, TributaryError::FeeAboveCap);
        Ok(())
    }

    /// Each fee is the lower of the two: what applies at once when `self` is current and
    /// `target` is asked for (a decrease is immediate, an increase waits).
    pub fn min_each(&self, target: &Fees) -> Fees {
        Fees {
            deposit_bps: self.deposit_bps.min(target.deposit_bps),
            withdrawal_bps: self.withdrawal_bps.min(target.withdrawal_bps),
            ticket_bps: self.ticket_bps.min(target.ticket_bps),
            epoch_bps: self.epoch_bps.min(target.epoch_bps),
            mev_bps: self.mev_bps.min(target.mev_bps),
            mev_commission_cap_bps: self
                .mev_commission_cap_bps
                .min(target.mev_commission_cap_bps),
        }
    }
}

/// Fees asked for and the first epoch they apply in; equal to the fees in force when nothing
/// is pending.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct PendingFees {
    /// The fees asked for.
    pub fees: Fees,
    /// The epoch they come into force.
    pub epoch: u64,
}
