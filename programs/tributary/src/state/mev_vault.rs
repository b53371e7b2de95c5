use anchor_lang::prelude::*;

use crate::constants::MEV_LEDGER_EPOCHS;
use crate::safe_math::OrOverflow;

/// What one epoch's distributions of a vault did, in lamports.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct MevRecord {
    /// The epoch a ledger slot records (0 in the totals).
    pub epoch: u64,
    /// The validator's lamports in the pool at the epoch's first distribution, so MEV can be
    /// weighed per staked SOL of the epoch it was earned in (0 for a pool tip account).
    pub stake: u64,
    /// Tips that left the vault (what the rate cap holds back counts when it is released).
    pub tipped: u64,
    /// Lamports paid to the validator.
    pub to_validator: u64,
    /// Lamports to the protocol.
    pub to_protocol: u64,
    /// Lamports to the stakers.
    pub to_stakers: u64,
}

impl MevRecord {
    /// Adds a distribution's figures.
    pub fn add(&mut self, split: &crate::math::TipSplit) -> Result<()> {
        let add = |total: u64, part: u64| total.checked_add(part).or_overflow();
        self.tipped = add(self.tipped, split.processed)?;
        self.to_validator = add(self.to_validator, split.to_validator)?;
        self.to_protocol = add(self.to_protocol, split.to_protocol)?;
        self.to_stakers = add(self.to_stakers, split.to_stakers)?;
        Ok(())
    }
}

/// A tip account: one per validator of the pool (searchers tip it for that validator's
/// blocks) and `POOL_TIP_ACCOUNTS` of the pool's own. Its lamports above its rent-exempt
/// minimum are undistributed tips.
#[account]
#[derive(InitSpace, Debug)]
pub struct MevVault {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account; the default key for a pool tip account.
    pub vote: Pubkey,
    /// Receives the validator's MEV commission; the default key until it declares one.
    pub payout: Pubkey,
    /// The commission the validator declared, in basis points.
    pub commission_bps: u16,
    /// The declared commission in force before `commission_epoch`: a raise waits an epoch.
    pub previous_commission_bps: u16,
    /// The epoch from which `commission_bps` applies.
    pub commission_epoch: u64,
    /// False for a pool tip account and once the validator is removed: no commission is paid
    /// and every tip goes to the stakers and the protocol.
    pub pays_commission: bool,
    /// The bump of the vault's address.
    pub bump: u8,
    /// The last `MEV_LEDGER_EPOCHS` epochs, each at `epoch % MEV_LEDGER_EPOCHS`.
    pub ledger: [MevRecord; MEV_LEDGER_EPOCHS],
    /// Everything this vault ever distributed.
    pub totals: MevRecord,
    /// Tips already split and owed to the stakers, held in the vault by the tip rate cap.
    pub held_to_stakers: u64,
    /// The protocol's part of the tips held, released with the stakers'.
    pub held_to_protocol: u64,
    /// The validator's commission on tips split when it declared a raise, paid at the next
    /// distribution.
    pub owed_to_validator: u64,
    /// Room for later fields.
    pub reserved: [u8; 40],
}

impl MevVault {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// Undistributed tips in a vault holding `lamports`: what is above its rent-exempt minimum,
    /// the tips held back by the rate cap included.
    pub fn tips_in(lamports: u64, rent: &Rent) -> u64 {
        lamports.saturating_sub(rent.minimum_balance(Self::SPACE))
    }

    /// Tips split already: held back by the rate cap, or the validator's owed commission.
    pub fn held(&self) -> u64 {
        self.held_to_stakers
            .saturating_add(self.held_to_protocol)
            .saturating_add(self.owed_to_validator)
    }

    /// The commission a split pays the validator now: what it declared for `epoch`, at most
    /// `cap_bps`; nothing for a pool tip account, a removed validator, or one that has declared
    /// no payout account.
    pub fn commission_bps(&self, epoch: u64, cap_bps: u16) -> u16 {
        if !self.pays_commission || self.payout == Pubkey::default() {
            return 0;
        }
        self.declared_commission(epoch).min(cap_bps)
    }

    /// Splits the tips that arrived in a vault holding `lamports` at `commission_bps` and the
    /// protocol's `fee_bps`, for good: the parts wait in the vault as held (the validator's as
    /// owed). Returns the split.
    pub fn split_arrivals(
        &mut self,
        lamports: u64,
        rent: &Rent,
        commission_bps: u16,
        fee_bps: u16,
    ) -> Result<crate::math::TipSplit> {
        let arrived = self.arrived(lamports, rent);
        let split = crate::math::split_tips(arrived, commission_bps, fee_bps).or_overflow()?;
        let add = |held: u64, part: u64| held.checked_add(part).or_overflow();
        self.held_to_stakers = add(self.held_to_stakers, split.to_stakers)?;
        self.held_to_protocol = add(self.held_to_protocol, split.to_protocol)?;
        self.owed_to_validator = add(self.owed_to_validator, split.to_validator)?;
        Ok(split)
    }

    /// Tips that arrived since the last distribution in a vault holding `lamports`: not split yet.
    pub fn arrived(&self, lamports: u64, rent: &Rent) -> u64 {
        Self::tips_in(lamports, rent).saturating_sub(self.held())
    }

    /// The declared commission in force in `epoch`.
    pub fn declared_commission(&self, epoch: u64) -> u16 {
        if epoch >= self.commission_epoch {
            self.commission_bps
        } else {
            self.previous_commission_bps
        }
    }

    /// Declares a new commission: a cut applies at once, a raise from the next epoch.
    pub fn declare_commission(&mut self, bps: u16, epoch: u64) {
        let in_force = self.declared_commission(epoch);
        if bps <= in_force {
            self.previous_commission_bps = bps;
            self.commission_epoch = epoch;
        } else {
            self.previous_commission_bps = in_force;
            self.commission_epoch = epoch + 1;
        }
        self.commission_bps = bps;
    }

    /// Adds a distribution to the ledger, starting the epoch's record afresh, with the
    /// validator's `stake`, when its slot still holds an older epoch.
    pub fn record(&mut self, epoch: u64, stake: u64, split: &crate::math::TipSplit) -> Result<()> {
        let slot = &mut self.ledger[(epoch % MEV_LEDGER_EPOCHS as u64) as usize];
        if slot.epoch != epoch || slot.tipped == 0 {
            *slot = MevRecord {
                epoch,
                stake,
                ..MevRecord::default()
            };
        }
        slot.add(split)?;
        self.totals.add(split)
    }
}
