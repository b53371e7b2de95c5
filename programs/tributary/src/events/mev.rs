//! Tip accounts' events: their creation, commissions and distributions.

use anchor_lang::prelude::*;

/// A tip account was created.
#[event]
pub struct CreateMevVaultEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The tip account.
    pub vault: Pubkey,
    /// The validator's vote account; the default key for a pool tip account.
    pub vote: Pubkey,
}

/// A validator set its commission on tips.
#[event]
pub struct SetMevCommissionEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// Where its commission is paid.
    pub payout: Pubkey,
    /// The commission asked for, in basis points.
    pub commission_bps: u16,
    /// The commission in force now and the epoch from which `commission_bps` applies.
    pub in_force_bps: u16,
    /// The epoch from which `commission_bps` applies.
    pub effective_epoch: u64,
    /// Tips in the vault split at the commission in force before a raise, so the raise never
    /// reaches them.
    pub settled_tips: u64,
}

/// A tip account's tips were split between the validator, the protocol and the stakers.
#[event]
pub struct DistributeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The tip account.
    pub vault: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The epoch of the distribution.
    pub epoch: u64,
    /// Tips in the vault before the distribution, those held back earlier included.
    pub tips: u64,
    /// Tips that arrived since the last distribution, split now at the commission in force.
    pub processed: u64,
    /// Split already and held back in the vault by the rate cap, after this distribution.
    pub held_back: u64,
    /// The validator's commission applied to the tips split now, in basis points.
    pub commission_bps: u16,
    /// The validator's commission on the tips split now.
    pub to_validator: u64,
    /// The protocol's share of the tips split now.
    pub to_protocol: u64,
    /// The stakers' share of the tips split now.
    pub to_stakers: u64,
    /// Paid to the validator's payout account: its commission on the tips split now, and what
    /// a raise settled before.
    pub paid_to_validator: u64,
    /// What of the stakers' tips (held back before or split now) reached the reserve, counted
    /// at the next roll.
    pub released_to_stakers: u64,
    /// What of the protocol's tips reached the reserve, paid as fee shares at the next roll.
    pub released_to_protocol: u64,
    /// Tips waiting in the reserve for the next epoch roll, this one's included.
    pub pending_tips_to_stakers: u64,
    /// The protocol's tips waiting in the reserve for the next epoch roll, this one's included.
    pub pending_tips_to_protocol: u64,
}

/// Lamports that reached a validator's stake account above its delegation were collected as its
/// MEV to the stakers.
#[event]
pub struct CollectStakeTipsEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The epoch of the collection, whose record they count in.
    pub epoch: u64,
    /// Lamports collected from the stake account.
    pub collected: u64,
    /// The protocol's MEV fee on them.
    pub to_protocol: u64,
    /// The stakers' part of them.
    pub to_stakers: u64,
    /// What of the stakers' tips held in the vault (these and earlier) reached the reserve,
    /// counted at the next roll.
    pub released_to_stakers: u64,
    /// What of the protocol's tips held in the vault reached the reserve.
    pub released_to_protocol: u64,
    /// Tips of the stakers and the protocol still held in the vault by the rate cap.
    pub held_back: u64,
    /// Tips waiting in the reserve for the next epoch roll, these included.
    pub pending_tips_to_stakers: u64,
    /// The protocol's tips waiting in the reserve for the next epoch roll.
    pub pending_tips_to_protocol: u64,
}
