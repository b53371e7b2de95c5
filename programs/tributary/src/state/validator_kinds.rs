//! What a validator's list entry is doing, as the zero-copy list stores it, one byte each: its
//! status, its transient stake account's state, its standing under the delegation rule.

use anchor_lang::prelude::*;

/// What a validator's entry is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidatorStatus {
    /// Delegated and taking stake.
    Active,
    /// All its stake is deactivating; the entry goes once every lamport is back in the reserve.
    Removing,
}

/// What the validator's transient stake account holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransientState {
    None,
    /// Stake from the reserve, activating; merged into the validator's stake once active.
    Activating,
    /// Stake on its way back to the reserve, deactivating; withdrawn once inactive.
    Deactivating,
}

/// Where a validator stands under the delegation rule, as `score_validator` last found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Never scored.
    Unscored,
    /// Its score is above the rule's floor: it weighs its score's excess.
    Eligible,
    /// Too new to have a record: not held to the sharing bar yet.
    Grace,
    /// Its MEV to the stakers per staked SOL is below the sharing bar: weight zero.
    BelowSharingBar,
    /// Its score is not above the floor the rule measures weights from: weight zero.
    BelowFloor,
    /// It earned no vote credits in this epoch or the last: score zero.
    NotVoting,
    /// Its declared MEV commission is above the pool's cap: score zero.
    CommissionOverCap,
}

impl Standing {
    pub const ALL: [Standing; 7] = [
        Standing::Unscored,
        Standing::Eligible,
        Standing::Grace,
        Standing::BelowSharingBar,
        Standing::BelowFloor,
        Standing::NotVoting,
        Standing::CommissionOverCap,
    ];

    /// Its record is judged, and counts in the pool's averages: it votes, its commission is
    /// within the cap, and it is past its grace.
    pub fn is_rated(self) -> bool {
        matches!(
            self,
            Standing::Eligible | Standing::BelowSharingBar | Standing::BelowFloor
        )
    }
}

/// `Standing` as the zero-copy list stores it, in one byte.
#[zero_copy]
#[derive(Debug, PartialEq, Eq)]
pub struct PodStanding {
    /// `Standing` as its position in `Standing::ALL`.
    pub value: u8,
}

impl From<Standing> for PodStanding {
    fn from(standing: Standing) -> Self {
        Self {
            value: standing as u8,
        }
    }
}

impl From<PodStanding> for Standing {
    /// An unknown byte reads as `Unscored`: weight it has none of.
    fn from(pod: PodStanding) -> Self {
        Standing::ALL
            .get(pod.value as usize)
            .copied()
            .unwrap_or(Standing::Unscored)
    }
}

/// `ValidatorStatus` as the zero-copy list stores it, in one byte.
#[zero_copy]
#[derive(Debug, PartialEq, Eq)]
pub struct PodValidatorStatus {
    /// 0: active, 1: removing.
    pub value: u8,
}

/// `TransientState` as the zero-copy list stores it, in one byte.
#[zero_copy]
#[derive(Debug, PartialEq, Eq)]
pub struct PodTransientState {
    /// 0: none, 1: activating, 2: deactivating.
    pub value: u8,
}

impl From<ValidatorStatus> for PodValidatorStatus {
    fn from(status: ValidatorStatus) -> Self {
        Self {
            value: status as u8,
        }
    }
}

impl From<PodValidatorStatus> for ValidatorStatus {
    /// Any byte but `Active`'s reads as `Removing`: an entry the pool cannot read takes no stake.
    fn from(pod: PodValidatorStatus) -> Self {
        match pod.value {
            0 => ValidatorStatus::Active,
            _ => ValidatorStatus::Removing,
        }
    }
}

impl From<TransientState> for PodTransientState {
    fn from(state: TransientState) -> Self {
        Self { value: state as u8 }
    }
}

impl From<PodTransientState> for TransientState {
    /// An unknown byte reads as `Deactivating`: the crank withdraws what is inactive.
    fn from(pod: PodTransientState) -> Self {
        match pod.value {
            0 => TransientState::None,
            1 => TransientState::Activating,
            _ => TransientState::Deactivating,
        }
    }
}
