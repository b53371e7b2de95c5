use anchor_lang::prelude::*;

use crate::math::fee_of;
use crate::safe_math::{OrOverflow, SafeMath};

/// Tips between two epoch rolls: how far they may raise the share price, and what waits in the
/// reserve to be counted at the next roll.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Tips {
    /// How much the stakers' part may raise the share price per epoch, in basis points of
    /// `base`: a known jump invites deposits timed to catch it. What is over waits in the vaults.
    pub rate_cap_bps: u16,
    /// The least the stakers held since the last epoch roll: what the cap is a share of.
    pub base: u64,
    /// Distributed since the last roll, waiting in the reserve: the stakers' part and the
    /// protocol's.
    pub pending_to_stakers: u64,
    /// The protocol's tips since the last roll, in the reserve.
    pub pending_to_protocol: u64,
}

impl Tips {
    /// Lamports tips may still give the stakers before the next roll.
    pub fn allowance(&self) -> Result<u64> {
        let cap = fee_of(self.base, self.rate_cap_bps).or_overflow()?;
        Ok(cap.saturating_sub(self.pending_to_stakers))
    }

    /// Counts a distribution's tips, which wait in the reserve for the next roll.
    pub fn add_pending(&mut self, to_stakers: u64, to_protocol: u64) -> Result<()> {
        self.pending_to_stakers = self.pending_to_stakers.safe_add(to_stakers)?;
        self.pending_to_protocol = self.pending_to_protocol.safe_add(to_protocol)?;
        Ok(())
    }

    /// At the roll: the pending tips are counted, and the cap's base is the pool as it is now.
    pub fn roll(&mut self, base: u64) {
        self.base = base;
        self.pending_to_stakers = 0;
        self.pending_to_protocol = 0;
    }
}
