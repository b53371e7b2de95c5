use std::cell::{Ref, RefMut};

use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::state::StrategyMode;

/// Header of the pool's validator list. Entries follow it in the same account, which is grown
/// by `realloc_validator_list` as validators are added.
#[account(zero_copy)]
#[repr(C)]
#[derive(Debug)]
pub struct ValidatorList {
    pub pool: Pubkey,
    pub validator_count: u32,
    pub _padding: [u8; 4],
    /// Room for later header fields without moving the entries.
    pub reserved: [u8; 64],
}

const _: () = assert!(core::mem::size_of::<ValidatorList>() == 104);

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

/// `ValidatorStatus` as the zero-copy list stores it, in one byte.
#[zero_copy]
#[derive(Debug, PartialEq, Eq)]
pub struct PodValidatorStatus {
    pub value: u8,
}

/// `TransientState` as the zero-copy list stores it, in one byte.
#[zero_copy]
#[derive(Debug, PartialEq, Eq)]
pub struct PodTransientState {
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

/// One validator of the pool.
#[zero_copy]
#[repr(C)]
#[derive(Debug, PartialEq, Eq)]
pub struct ValidatorEntry {
    pub vote: Pubkey,
    /// The validator's stake PDA, stored so no PDA is derived when cranking.
    pub validator_stake: Pubkey,
    /// The validator's transient stake PDA.
    pub transient_stake: Pubkey,
    /// Value of the validator's stake account at the last update: its delegation plus its
    /// rent-exempt reserve.
    pub active_lamports: u64,
    /// Lamports in the transient stake account at the last update.
    pub transient_lamports: u64,
    pub last_update_epoch: u64,
    /// Epoch in which the transient stake was delegated or deactivated.
    pub transient_epoch: u64,
    pub status: PodValidatorStatus,
    pub transient_state: PodTransientState,
    pub validator_stake_bump: u8,
    pub transient_stake_bump: u8,
    /// The operator's weight for this validator in `Manual` mode.
    pub weight: u32,
    /// What it returned to stakers per staked SOL, in parts per million per epoch, as
    /// `score_validator` last found it (`Scored` mode).
    pub score: u64,
    pub score_epoch: u64,
    /// What its stake account must keep (rent and minimum delegation when it was added), paid
    /// by the operator and counted in `Pool::floor_lamports`, not in the stakers' lamports.
    pub floor_lamports: u64,
    /// Room for later fields.
    pub reserved: [u8; 40],
}

const _: () = assert!(core::mem::size_of::<ValidatorEntry>() == 200);

impl ValidatorEntry {
    pub fn status(&self) -> ValidatorStatus {
        self.status.into()
    }

    pub fn set_status(&mut self, status: ValidatorStatus) {
        self.status = status.into();
    }

    pub fn transient_state(&self) -> TransientState {
        self.transient_state.into()
    }

    pub fn set_transient_state(&mut self, state: TransientState) {
        self.transient_state = state.into();
    }

    pub fn is_active(&self) -> bool {
        self.status() == ValidatorStatus::Active
    }

    /// Lamports of this validator that the pool counts.
    pub fn total_lamports(&self) -> Result<u64> {
        self.active_lamports
            .checked_add(self.transient_lamports)
            .ok_or_else(|| error!(TributaryError::MathOverflow))
    }

    /// Its lamports above its floor: what counts against its stake target.
    pub fn stake_above_floor(&self) -> Result<u64> {
        Ok(self.total_lamports()?.saturating_sub(self.floor_lamports))
    }

    /// Lamports on their way back to the reserve: a deactivating transient, and all of a
    /// removed validator's stake.
    pub fn unstaking_lamports(&self) -> u64 {
        let transient = match self.transient_state() {
            TransientState::Deactivating => self.transient_lamports,
            _ => 0,
        };
        let removing = match self.status() {
            ValidatorStatus::Removing => self.active_lamports,
            ValidatorStatus::Active => 0,
        };
        transient.saturating_add(removing)
    }

    pub fn has_transient(&self) -> bool {
        self.transient_state() != TransientState::None
    }

    /// What this validator weighs in the strategy's `mode`: the operator's weight or its score;
    /// nothing once it is being removed.
    pub fn strategy_weight(&self, mode: StrategyMode) -> u64 {
        match (self.status(), mode) {
            (ValidatorStatus::Removing, _) => 0,
            (ValidatorStatus::Active, StrategyMode::Scored) => self.score,
            (ValidatorStatus::Active, StrategyMode::Manual) => u64::from(self.weight),
        }
    }

    /// It is in the pool and not leaving.
    pub fn require_active(&self) -> Result<()> {
        require!(self.is_active(), TributaryError::ValidatorRemoving);
        Ok(())
    }

    /// An operator may move this validator's stake: it is not being removed and has no stake
    /// on its way in or out.
    pub fn require_idle(&self) -> Result<()> {
        self.require_active()?;
        require!(
            !self.has_transient(),
            TributaryError::TransientStakeInProgress
        );
        Ok(())
    }
}

impl ValidatorList {
    /// Account size of an empty list: discriminator plus header.
    pub const EMPTY_SPACE: usize = 8 + core::mem::size_of::<ValidatorList>();
    pub const ENTRY_SPACE: usize = core::mem::size_of::<ValidatorEntry>();

    /// How many entries an account of `data_len` bytes holds.
    pub fn capacity(data_len: usize) -> usize {
        data_len.saturating_sub(Self::EMPTY_SPACE) / Self::ENTRY_SPACE
    }

    /// Account size for `validators` entries.
    pub fn space_for(validators: usize) -> usize {
        Self::EMPTY_SPACE + validators * Self::ENTRY_SPACE
    }

    /// The header and the entries in use of a list account's data, read in place.
    pub fn split(data: &[u8]) -> Option<(&ValidatorList, &[ValidatorEntry])> {
        let (header, entries) = data
            .get(8..)?
            .split_at_checked(core::mem::size_of::<ValidatorList>())?;
        let header: &ValidatorList = bytemuck::try_from_bytes(header).ok()?;
        let used = header.validator_count as usize * Self::ENTRY_SPACE;
        Some((header, bytemuck::try_cast_slice(entries.get(..used)?).ok()?))
    }

    /// The header and the entries in use, mutably.
    pub fn split_mut(data: &mut [u8]) -> Option<(&mut ValidatorList, &mut [ValidatorEntry])> {
        let (header, entries) = data
            .get_mut(8..)?
            .split_at_mut_checked(core::mem::size_of::<ValidatorList>())?;
        let header: &mut ValidatorList = bytemuck::try_from_bytes_mut(header).ok()?;
        let used = header.validator_count as usize * Self::ENTRY_SPACE;
        let entries = bytemuck::try_cast_slice_mut(entries.get_mut(..used)?).ok()?;
        Some((header, entries))
    }
}

/// The validator list account's entries in use, borrowed from its data.
pub trait ListEntries {
    fn entries(&self) -> Result<Ref<'_, [ValidatorEntry]>>;
    fn entries_mut(&self) -> Result<RefMut<'_, [ValidatorEntry]>>;
}

impl ListEntries for AccountLoader<'_, ValidatorList> {
    fn entries(&self) -> Result<Ref<'_, [ValidatorEntry]>> {
        let data = self.as_ref().try_borrow_data()?;
        Ref::filter_map(data, |data| {
            ValidatorList::split(data).map(|(_, entries)| entries)
        })
        .map_err(|_| error!(TributaryError::CorruptValidatorList))
    }

    fn entries_mut(&self) -> Result<RefMut<'_, [ValidatorEntry]>> {
        let data = self.as_ref().try_borrow_mut_data()?;
        RefMut::filter_map(data, |data| {
            ValidatorList::split_mut(data).map(|(_, entries)| entries)
        })
        .map_err(|_| error!(TributaryError::CorruptValidatorList))
    }
}

/// The entry at `index`, which must be the validator voting with `vote`.
pub fn entry_at<'a>(
    entries: &'a mut [ValidatorEntry],
    index: u32,
    vote: &Pubkey,
) -> Result<&'a mut ValidatorEntry> {
    entries
        .get_mut(index as usize)
        .filter(|entry| entry.vote == *vote)
        .ok_or_else(|| error!(TributaryError::UnknownValidator))
}

/// The entry at `index`, in the pool and not leaving, whose stake account is `validator_stake`:
/// the gate of every instruction that moves its stake.
pub fn staked_entry<'a>(
    entries: &'a mut [ValidatorEntry],
    index: u32,
    validator_stake: &Pubkey,
) -> Result<&'a mut ValidatorEntry> {
    let entry = entries
        .get_mut(index as usize)
        .ok_or_else(|| error!(TributaryError::UnknownValidator))?;
    entry.require_active()?;
    require_keys_eq!(
        entry.validator_stake,
        *validator_stake,
        TributaryError::ValidatorAccountsMismatch
    );
    Ok(entry)
}

/// `staked_entry`, which must also be the validator voting with `vote`.
pub fn active_entry<'a>(
    entries: &'a mut [ValidatorEntry],
    index: u32,
    vote: &Pubkey,
    validator_stake: &Pubkey,
) -> Result<&'a mut ValidatorEntry> {
    entry_at(entries, index, vote)?;
    staked_entry(entries, index, validator_stake)
}
