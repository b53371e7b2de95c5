use anchor_lang::prelude::*;

use crate::constants::MEV_LEDGER_EPOCHS;
use crate::safe_math::OrOverflow;

/// What one epoch brought a validator's stakers through its tip paths, in lamports: its vault's
/// tips as they were split, and what reached its stake account above the delegation.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct MevRecord {
    /// The epoch a ledger slot records (0 in the totals).
    pub epoch: u64,
    /// The validator's lamports in the pool when the epoch's record opened (its first score or
    /// tips), so MEV is weighed per staked SOL of the epoch it was earned in; an epoch with a
    /// record and no tips counts its stake too (0 for a pool tip account).
    pub stake: u64,
    /// Tips that arrived in the vault and were split (what the rate cap holds back included).
    pub tipped: u64,
    /// The validator's commission on them.
    pub to_validator: u64,
    /// The protocol's part of them.
    pub to_protocol: u64,
    /// The stakers' part of them.
    pub to_stakers: u64,
    /// Lamports collected from the validator's stake account above its delegation.
    pub stake_account_tips: u64,
    /// The stakers' part of them; the protocol's MEV fee is the rest.
    pub stake_account_to_stakers: u64,
}

impl MevRecord {
    /// Adds a split of the vault's tips (`path` vault) or of lamports collected from the stake
    /// account (`path` stake account; its commission is nothing: Jito's pays it already).
    pub fn add(&mut self, split: &crate::math::TipSplit, path: TipPath) -> Result<()> {
        let add = |total: u64, part: u64| total.checked_add(part).or_overflow();
        match path {
            TipPath::Vault => {
                self.tipped = add(self.tipped, split.processed)?;
                self.to_validator = add(self.to_validator, split.to_validator)?;
                self.to_protocol = add(self.to_protocol, split.to_protocol)?;
                self.to_stakers = add(self.to_stakers, split.to_stakers)?;
            }
            TipPath::StakeAccount => {
                self.stake_account_tips = add(self.stake_account_tips, split.processed)?;
                self.stake_account_to_stakers =
                    add(self.stake_account_to_stakers, split.to_stakers)?;
            }
        }
        Ok(())
    }
}

/// The way tips reach a validator's stakers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TipPath {
    /// Searchers tip its vault.
    Vault,
    /// Lamports arrive in its stake account above the delegation: Jito's tip-distribution
    /// claims, or anything the validator sends there.
    StakeAccount,
}

/// The MEV commission a validator declared to Jito in its tip-distribution account of `epoch`.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct JitoDeclaration {
    /// The epoch of the tip-distribution account.
    pub epoch: u64,
    /// Its commission, in basis points.
    pub commission_bps: u16,
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
    /// Every epoch's record added up.
    pub totals: MevRecord,
    /// Tips already split and owed to the stakers, held in the vault by the tip rate cap.
    pub held_to_stakers: u64,
    /// The protocol's part of the tips held, released with the stakers'.
    pub held_to_protocol: u64,
    /// The validator's commission on tips split when it declared a raise, paid at the next
    /// distribution.
    pub owed_to_validator: u64,
    /// The MEV commission the validator declared to Jito, as `score_validator` last read it.
    pub jito: Option<JitoDeclaration>,
    /// Room for later fields.
    pub reserved: [u8; 29],
}

impl MevVault {
    pub const SPACE: usize = 8 + Self::INIT_SPACE;

    /// A new tip account of `pool` for the validator voting with `vote` (the default key for a
    /// pool tip account, which pays no commission), at an address of bump `bump`.
    pub fn new(pool: Pubkey, vote: Pubkey, bump: u8) -> Self {
        Self {
            pool,
            vote,
            payout: Pubkey::default(),
            commission_bps: 0,
            previous_commission_bps: 0,
            commission_epoch: 0,
            pays_commission: vote != Pubkey::default(),
            bump,
            ledger: [MevRecord::default(); MEV_LEDGER_EPOCHS],
            totals: MevRecord::default(),
            held_to_stakers: 0,
            held_to_protocol: 0,
            owed_to_validator: 0,
            jito: None,
            reserved: [0; 29],
        }
    }

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

    /// The record of `epoch`, opened afresh when its slot still holds an older epoch. Its stake
    /// is the least the validator held whenever the record was opened in the epoch: a deposit
    /// timed before a score cannot dilute a competitor's MEV per staked SOL for the epoch.
    pub fn open_record(&mut self, epoch: u64, stake: u64) -> &mut MevRecord {
        let slot = &mut self.ledger[(epoch % MEV_LEDGER_EPOCHS as u64) as usize];
        if slot.epoch != epoch {
            *slot = MevRecord {
                epoch,
                ..MevRecord::default()
            };
        }
        if stake > 0 {
            slot.stake = match slot.stake {
                0 => stake,
                least => least.min(stake),
            };
        }
        slot
    }

    /// Adds a split through `path` to the ledger's record of `epoch` and to the totals.
    pub fn record(
        &mut self,
        epoch: u64,
        stake: u64,
        split: &crate::math::TipSplit,
        path: TipPath,
    ) -> Result<()> {
        self.open_record(epoch, stake).add(split, path)?;
        self.totals.add(split, path)
    }

    /// What the ledger holds over the window of epochs ending at `epoch`: the epochs on record
    /// with the validator's stake, each weighed by its recency (`math::recency_weight`).
    pub fn window(&self, epoch: u64) -> crate::math::WindowRecord {
        let mut window = crate::math::WindowRecord::default();
        for record in self.ledger.iter().filter(|record| record.stake > 0) {
            let Some(weight) = crate::math::recency_weight(record.epoch, epoch) else {
                continue;
            };
            let weigh = |lamports: u64| (lamports as u128) * weight as u128;
            window.vault_weighed += weigh(record.to_stakers);
            window.stake_account_weighed += weigh(record.stake_account_to_stakers);
            window.stake_epochs += weigh(record.stake);
            window.epochs += 1;
            window.vault_to_stakers = window.vault_to_stakers.saturating_add(record.to_stakers);
            window.stake_account_to_stakers = window
                .stake_account_to_stakers
                .saturating_add(record.stake_account_to_stakers);
        }
        window
    }

    /// The Jito commission declared for this epoch or the last, if `score_validator` read one.
    pub fn jito_commission(&self, epoch: u64) -> Option<u16> {
        self.jito
            .filter(|declared| declared.epoch.saturating_add(1) >= epoch)
            .map(|declared| declared.commission_bps)
    }

    /// Splits `lamports` collected from the validator's stake account: the protocol's MEV fee
    /// and the stakers' part, held in the vault like its own tips. No commission: the
    /// validator's was taken before they reached the stake account.
    pub fn hold_stake_account_tips(
        &mut self,
        lamports: u64,
        fee_bps: u16,
    ) -> Result<crate::math::TipSplit> {
        let split = crate::math::split_tips(lamports, 0, fee_bps).or_overflow()?;
        let add = |held: u64, part: u64| held.checked_add(part).or_overflow();
        self.held_to_stakers = add(self.held_to_stakers, split.to_stakers)?;
        self.held_to_protocol = add(self.held_to_protocol, split.to_protocol)?;
        Ok(split)
    }

    /// Takes what is held for the stakers, up to `allowance`, and the protocol's part in
    /// proportion (`math::release_held`), off the vault's held tips. Returns `(to_stakers,
    /// to_protocol)`: the lamports to move into the reserve.
    pub fn release(&mut self, allowance: u64) -> Result<(u64, u64)> {
        let (to_stakers, to_protocol) =
            crate::math::release_held(self.held_to_stakers, self.held_to_protocol, allowance);
        self.held_to_stakers = self.held_to_stakers.checked_sub(to_stakers).or_overflow()?;
        self.held_to_protocol = self
            .held_to_protocol
            .checked_sub(to_protocol)
            .or_overflow()?;
        Ok((to_stakers, to_protocol))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_keeps_the_least_stake_of_its_epoch() {
        let mut vault = MevVault::new(Pubkey::default(), Pubkey::new_unique(), 255);
        assert_eq!(vault.open_record(20, 100).stake, 100);
        // A deposit before the next opening does not raise it; a withdrawal lowers it.
        assert_eq!(vault.open_record(20, 1_000).stake, 100);
        assert_eq!(vault.open_record(20, 60).stake, 60);
        // A pool tip account's stake of 0 changes nothing; the next window's epoch starts afresh.
        assert_eq!(vault.open_record(20, 0).stake, 60);
        assert_eq!(vault.open_record(36, 500).stake, 500);
        assert_eq!(vault.window(36).epochs, 1);
    }
}
