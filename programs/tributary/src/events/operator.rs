//! The operator's events: validators and their stake, the strategy.

use anchor_lang::prelude::*;

use crate::state::Strategy;

/// The operator added a validator.
#[event]
pub struct AddValidatorEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// Its new stake account.
    pub validator_stake: Pubkey,
    /// Lamports in the new stake account.
    pub lamports: u64,
    /// What the operator paid for it: its rent and minimum delegation, the floor it keeps.
    pub floor_lamports: u64,
    /// Its position in the validator list.
    pub validator_index: u32,
}

/// Stake moved between the reserve and a validator.
#[event]
pub struct ValidatorStakeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// True for reserve → validator, false for validator → reserve.
    pub increase: bool,
    /// Lamports moved.
    pub lamports: u64,
    /// Lamports in the validator's transient stake account after the move.
    pub transient_lamports: u64,
    /// The epoch of the move.
    pub epoch: u64,
}

/// A validator was removed: its stake is deactivating on its way to the reserve.
#[event]
pub struct RemoveValidatorEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// Its stake account's lamports, now deactivating.
    pub active_lamports: u64,
    /// Removed by anyone because the Stake program had deactivated its stake, not by the
    /// operator.
    pub delinquent: bool,
    /// The epoch of the removal.
    pub epoch: u64,
}

/// The operator changed how stake is spread over validators.
#[event]
pub struct SetStrategyEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The strategy before.
    pub previous: Strategy,
    /// The strategy now.
    pub strategy: Strategy,
}

/// The operator named the pool's address lookup table.
#[event]
pub struct SetLookupTableEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The table before (the default key for none).
    pub previous: Pubkey,
    /// The table now.
    pub lookup_table: Pubkey,
}

/// The operator set a validator's weight.
#[event]
pub struct SetWeightEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The weight before.
    pub previous: u32,
    /// The weight now.
    pub weight: u32,
}
