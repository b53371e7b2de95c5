use std::cell::{Cell, Ref, RefMut};
use std::ops::{Deref, DerefMut};

use anchor_lang::prelude::*;
use bytemuck::Zeroable;

use crate::constants::MAX_DRAINED_PER_ROLL;
use crate::errors::TributaryError;
use crate::safe_math::SafeMath;
use crate::state::StrategyMode;

/// Header of the pool's validator list. Entries follow it in the same account, which is grown
/// by `realloc_validator_list` as validators are added.
#[account(zero_copy)]
#[repr(C)]
#[derive(Debug)]
pub struct ValidatorList {
    /// The pool.
    pub pool: Pubkey,
    /// Entries in use; `ValidatorEntry`s follow the header, 200 bytes each.
    pub validator_count: u32,
    /// How many of `drained` are in use.
    pub drained_count: u32,
    /// What the entries add up to, kept by every change to an entry, so that only the crank's
    /// batched update reads more than a constant number of entries.
    pub totals: ListTotals,
    /// Indices of removed validators' entries the crank found with every lamport back in the
    /// reserve; `update_pool` drops them from the list. More wait for a later epoch.
    pub drained: [u32; MAX_DRAINED_PER_ROLL],
    /// Room for later header fields without moving the entries.
    pub reserved: [u8; 48],
}

const _: () = assert!(core::mem::size_of::<ValidatorList>() == 224);

/// The sums over a list's entries that `rebalance` and `update_pool` need, as of the last change
/// to any entry: each equals what a walk over every entry would find (`ListTotals::of`).
#[zero_copy]
#[repr(C)]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ListTotals {
    /// The operator's weights of the active entries (`Manual` mode).
    pub manual_weight: u64,
    /// The scores of the active entries (`Scored` mode).
    pub score: u64,
    /// Every entry's lamports on their way back to the reserve.
    pub unstaking_lamports: u64,
    /// The epoch the `updated_*` sums are for: the latest any entry was updated in.
    pub updated_epoch: u64,
    /// Entries updated in `updated_epoch`.
    pub updated_entries: u64,
    /// Their lamports.
    pub updated_lamports: u64,
    /// What they still hold of their floors.
    pub updated_floors: u64,
    /// Entries of removed validators still in the list: until they are dropped, a validator
    /// that left is not added again, so no validator is ever listed twice.
    pub removing_entries: u64,
    /// Stake on its way in (activating transients): what unstaking for tickets takes first.
    pub activating_lamports: u64,
}
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

/// One validator of the pool.
#[zero_copy]
#[repr(C)]
#[derive(Debug, PartialEq, Eq)]
pub struct ValidatorEntry {
    /// The validator's vote account.
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
    /// The epoch of its last update by the crank.
    pub last_update_epoch: u64,
    /// Epoch in which the transient stake was delegated or deactivated.
    pub transient_epoch: u64,
    /// Active, or removing.
    pub status: PodValidatorStatus,
    /// What its transient stake account holds.
    pub transient_state: PodTransientState,
    /// The bump of `validator_stake`.
    pub validator_stake_bump: u8,
    /// The bump of `transient_stake`.
    pub transient_stake_bump: u8,
    /// The operator's weight for this validator in `Manual` mode.
    pub weight: u32,
    /// What it returned to stakers per staked SOL, in parts per million per epoch, as
    /// `score_validator` last found it (`Scored` mode).
    pub score: u64,
    /// The epoch of `score`.
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

    /// Lamports on their way in: an activating transient.
    pub fn activating_lamports(&self) -> u64 {
        match self.transient_state() {
            TransientState::Activating => self.transient_lamports,
            _ => 0,
        }
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

    /// It is the validator voting with `vote`.
    pub fn require_vote(&self, vote: &Pubkey) -> Result<()> {
        require_keys_eq!(self.vote, *vote, TributaryError::UnknownValidator);
        Ok(())
    }

    /// In the pool and not leaving, with its stake in `validator_stake`: the gate of every
    /// instruction that moves its stake.
    pub fn require_staked(&self, validator_stake: &Pubkey) -> Result<()> {
        self.require_active()?;
        require_keys_eq!(
            self.validator_stake,
            *validator_stake,
            TributaryError::ValidatorAccountsMismatch
        );
        Ok(())
    }

    /// `require_staked`, for the validator voting with `vote` whose transient stake account is
    /// `transient_stake`: the accounts of an instruction that moves its stake.
    pub fn require_stake_accounts(
        &self,
        vote: &Pubkey,
        validator_stake: &Pubkey,
        transient_stake: &Pubkey,
    ) -> Result<()> {
        self.require_vote(vote)?;
        self.require_staked(validator_stake)?;
        require_keys_eq!(
            self.transient_stake,
            *transient_stake,
            TributaryError::ValidatorAccountsMismatch
        );
        Ok(())
    }

    /// A removed validator's entry with every lamport back in the reserve: it can leave the list.
    pub fn is_drained(&self) -> bool {
        self.status() == ValidatorStatus::Removing
            && self.active_lamports == 0
            && !self.has_transient()
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

impl ListTotals {
    /// The totals of `entries`, counting as updated those updated in `updated_epoch`: what
    /// the header must hold. For checks and tests; no instruction walks the list for it.
    pub fn of(entries: &[ValidatorEntry], updated_epoch: u64) -> Result<Self> {
        let mut totals = ListTotals {
            updated_epoch,
            ..ListTotals::default()
        };
        for entry in entries {
            totals.add(entry)?;
        }
        Ok(totals)
    }

    /// The total weight of the strategy's `mode`.
    pub fn weight(&self, mode: StrategyMode) -> u64 {
        match mode {
            StrategyMode::Manual => self.manual_weight,
            StrategyMode::Scored => self.score,
        }
    }

    /// Counts `entry` in. An entry updated in a later epoch than the totals count starts that
    /// epoch's sums: no other entry has been updated in it yet.
    fn add(&mut self, entry: &ValidatorEntry) -> Result<()> {
        if entry.last_update_epoch > self.updated_epoch {
            self.updated_epoch = entry.last_update_epoch;
            self.updated_entries = 0;
            self.updated_lamports = 0;
            self.updated_floors = 0;
        }
        self.apply(entry, SafeMath::safe_add)
    }

    /// Counts `entry` out, as it was counted in.
    fn remove(&mut self, entry: &ValidatorEntry) -> Result<()> {
        self.apply(entry, SafeMath::safe_sub)
    }

    fn apply(&mut self, entry: &ValidatorEntry, op: fn(u64, u64) -> Result<u64>) -> Result<()> {
        self.manual_weight = op(
            self.manual_weight,
            entry.strategy_weight(StrategyMode::Manual),
        )?;
        self.score = op(self.score, entry.strategy_weight(StrategyMode::Scored))?;
        self.unstaking_lamports = op(self.unstaking_lamports, entry.unstaking_lamports())?;
        self.removing_entries = op(self.removing_entries, u64::from(!entry.is_active()))?;
        self.activating_lamports = op(self.activating_lamports, entry.activating_lamports())?;
        if entry.last_update_epoch == self.updated_epoch {
            let lamports = entry.total_lamports()?;
            self.updated_entries = op(self.updated_entries, 1)?;
            self.updated_lamports = op(self.updated_lamports, lamports)?;
            self.updated_floors = op(self.updated_floors, lamports.min(entry.floor_lamports))?;
        }
        Ok(())
    }
}

/// A validator list's account data, read through its header and one entry at a time. Every
/// change to an entry goes through `update` or `push`, which keep the header's totals exact;
/// every entry handed out is counted, so an instruction can say how many it read.
pub struct List<D> {
    data: D,
    entries_read: Cell<u32>,
}

/// A list borrowed for reading.
pub type ListRef<'a> = List<Ref<'a, [u8]>>;
/// A list borrowed for changing.
pub type ListMut<'a> = List<RefMut<'a, [u8]>>;

impl<D: Deref<Target = [u8]>> List<D> {
    /// The list in `data`, which must hold a readable header and its entries.
    pub fn new(data: D) -> Result<Self> {
        require!(
            ValidatorList::split(&data).is_some(),
            TributaryError::CorruptValidatorList
        );
        Ok(Self {
            data,
            entries_read: Cell::new(0),
        })
    }

    fn parts(&self) -> Result<(&ValidatorList, &[ValidatorEntry])> {
        ValidatorList::split(&self.data).ok_or_else(|| error!(TributaryError::CorruptValidatorList))
    }

    pub fn header(&self) -> Result<&ValidatorList> {
        Ok(self.parts()?.0)
    }

    /// The entry at `index`.
    pub fn get(&self, index: u32) -> Result<&ValidatorEntry> {
        self.count_read(1);
        self.parts()?
            .1
            .get(index as usize)
            .ok_or_else(|| error!(TributaryError::UnknownValidator))
    }

    /// The entries handed out so far.
    pub fn entries_read(&self) -> u32 {
        self.entries_read.get()
    }

    fn count_read(&self, entries: u32) {
        self.entries_read
            .set(self.entries_read.get().saturating_add(entries));
    }
}

impl<D: DerefMut<Target = [u8]>> List<D> {
    fn parts_mut(&mut self) -> Result<(&mut ValidatorList, &mut [ValidatorEntry])> {
        ValidatorList::split_mut(&mut self.data)
            .ok_or_else(|| error!(TributaryError::CorruptValidatorList))
    }

    /// Runs `change` on the entry at `index` and keeps the totals: the entry is counted out
    /// before and back in after. An entry it leaves drained is listed for `update_pool`. When
    /// `change` fails, the entry and the totals are as they were.
    pub fn update<T>(
        &mut self,
        index: u32,
        change: impl FnOnce(&mut ValidatorEntry) -> Result<T>,
    ) -> Result<T> {
        self.count_read(1);
        let (header, entries) = self.parts_mut()?;
        let entry = entries
            .get_mut(index as usize)
            .ok_or_else(|| error!(TributaryError::UnknownValidator))?;
        let (entry_before, totals_before) = (*entry, header.totals);
        let result = header
            .totals
            .remove(entry)
            .and_then(|()| change(entry))
            .and_then(|result| header.totals.add(entry).map(|()| result));
        if result.is_err() {
            (*entry, header.totals) = (entry_before, totals_before);
        }
        let result = result?;
        if entry.is_drained() {
            header.list_drained(index);
        }
        Ok(result)
    }

    /// Appends `entry`; the account must have room for it.
    pub fn push(&mut self, entry: ValidatorEntry) -> Result<()> {
        let capacity = ValidatorList::capacity(self.data.len());
        let (header, _) = self.parts_mut()?;
        let index = header.validator_count;
        require_gt!(capacity, index as usize, TributaryError::ValidatorListFull);
        header.validator_count = index + 1;
        header.totals.add(&entry)?;
        self.count_read(1);
        let (_, entries) = self.parts_mut()?;
        entries[index as usize] = entry;
        Ok(())
    }

    /// Drops the entries the crank listed as drained that still are, the highest index first,
    /// each replaced by the list's last entry; clears the listing. Returns the entries dropped.
    pub fn drop_drained(&mut self) -> Result<Vec<ValidatorEntry>> {
        let (header, _) = self.parts_mut()?;
        let mut listed = header.drained;
        let listed = &mut listed[..header.drained_count as usize];
        header.drained_count = 0;
        listed.sort_unstable_by(|a, b| b.cmp(a));
        let mut dropped = Vec::with_capacity(listed.len());
        for &index in listed.iter() {
            self.count_read(1);
            let (header, entries) = self.parts_mut()?;
            let Some(entry) = entries
                .get(index as usize)
                .filter(|entry| entry.is_drained())
            else {
                continue;
            };
            let entry = *entry;
            header.totals.remove(&entry)?;
            let last = entries.len() - 1;
            let moved = u32::from(index as usize != last);
            entries.swap(index as usize, last);
            entries[last] = ValidatorEntry::zeroed();
            header.validator_count = last as u32;
            self.count_read(moved);
            dropped.push(entry);
        }
        Ok(dropped)
    }
}

impl ValidatorList {
    /// Lists the entry at `index` as drained, once; past `MAX_DRAINED_PER_ROLL` it waits.
    fn list_drained(&mut self, index: u32) {
        let count = self.drained_count as usize;
        if count < MAX_DRAINED_PER_ROLL && !self.drained[..count].contains(&index) {
            self.drained[count] = index;
            self.drained_count += 1;
        }
    }
}

/// The validator list account, read or changed through `List`.
pub trait ListAccount {
    fn list(&self) -> Result<ListRef<'_>>;
    fn list_mut(&self) -> Result<ListMut<'_>>;
}

impl ListAccount for AccountLoader<'_, ValidatorList> {
    fn list(&self) -> Result<ListRef<'_>> {
        List::new(Ref::map(self.as_ref().try_borrow_data()?, |data| &**data))
    }

    fn list_mut(&self) -> Result<ListMut<'_>> {
        List::new(RefMut::map(self.as_ref().try_borrow_mut_data()?, |data| {
            &mut **data
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::MAX_SCORE;
    use proptest::prelude::*;

    const SOL: u64 = 1_000_000_000;
    const CAPACITY: usize = 40;

    /// What happens to a list entry, as the instructions do it.
    #[derive(Debug, Clone)]
    enum Change {
        /// `add_validator`.
        Add { weight: u32, lamports: u64 },
        /// `set_weight`.
        Weight { index: usize, weight: u32 },
        /// `score_validator`, a score up to the cap.
        Score { index: usize, score: u64 },
        /// `remove_validator`: delinquent (its stake on the way in turned back) or not.
        Remove { index: usize },
        /// `rebalance` or the operator's moves: stake in or out through the transient.
        Move {
            index: usize,
            increase: bool,
            lamports: u64,
        },
        /// `deposit_stake` or `withdraw_stake`.
        Stake { index: usize, lamports: i64 },
        /// `update_validators`: merges, returns, drains a removed validator.
        Crank {
            index: usize,
            settle: bool,
            reward: u64,
        },
        /// An epoch boundary.
        NextEpoch,
        /// `update_pool`'s compaction.
        Roll,
    }

    fn change() -> impl Strategy<Value = Change> {
        let index = 0..CAPACITY;
        prop_oneof![
            (any::<u32>(), 1..100 * SOL)
                .prop_map(|(weight, lamports)| Change::Add { weight, lamports }),
            (index.clone(), any::<u32>())
                .prop_map(|(index, weight)| Change::Weight { index, weight }),
            (index.clone(), 0..=MAX_SCORE)
                .prop_map(|(index, score)| Change::Score { index, score }),
            index.clone().prop_map(|index| Change::Remove { index }),
            (index.clone(), any::<bool>(), 1..10 * SOL).prop_map(|(index, increase, lamports)| {
                Change::Move {
                    index,
                    increase,
                    lamports,
                }
            }),
            (index.clone(), -5 * SOL as i64..5 * SOL as i64)
                .prop_map(|(index, lamports)| Change::Stake { index, lamports }),
            (index, any::<bool>(), 0..SOL).prop_map(|(index, settle, reward)| Change::Crank {
                index,
                settle,
                reward
            }),
            Just(Change::NextEpoch),
            Just(Change::Roll),
        ]
    }

    fn new_entry(tag: u64, weight: u32, lamports: u64, epoch: u64) -> ValidatorEntry {
        let key = |salt: u64| Pubkey::new_from_array(bytemuck::cast([tag, salt, 0u64, 0u64]));
        ValidatorEntry {
            vote: key(0),
            validator_stake: key(1),
            transient_stake: key(2),
            active_lamports: lamports,
            last_update_epoch: epoch,
            weight,
            floor_lamports: SOL / 100,
            ..ValidatorEntry::zeroed()
        }
    }

    /// Applies `change` as the program would, through `List`; `false` when the program would
    /// refuse it (and then nothing changed).
    fn apply(list: &mut List<&mut [u8]>, change: &Change, epoch: &mut u64, tag: u64) -> bool {
        let len = list.header().unwrap().validator_count as usize;
        let at = |index: usize| (index < len).then_some(index as u32);
        match *change {
            Change::Add { weight, lamports } => {
                list.push(new_entry(tag, weight, lamports, *epoch)).is_ok()
            }
            Change::Weight { index, weight } => at(index).is_some_and(|index| {
                list.update(index, |entry| {
                    entry.weight = weight;
                    Ok(())
                })
                .is_ok()
            }),
            Change::Score { index, score } => at(index).is_some_and(|index| {
                list.update(index, |entry| {
                    entry.score = score;
                    Ok(())
                })
                .is_ok()
            }),
            Change::Remove { index } => at(index).is_some_and(|index| {
                list.update(index, |entry| {
                    entry.require_active()?;
                    if entry.transient_state() == TransientState::Activating {
                        entry.set_transient_state(TransientState::Deactivating);
                    }
                    entry.set_status(ValidatorStatus::Removing);
                    Ok(())
                })
                .is_ok()
            }),
            Change::Move {
                index,
                increase,
                lamports,
            } => at(index).is_some_and(|index| {
                list.update(index, |entry| {
                    entry.require_idle()?;
                    if increase {
                        entry.set_transient_state(TransientState::Activating);
                    } else {
                        entry.active_lamports = entry.active_lamports.safe_sub(lamports)?;
                        entry.set_transient_state(TransientState::Deactivating);
                    }
                    entry.transient_lamports = lamports;
                    Ok(())
                })
                .is_ok()
            }),
            Change::Stake { index, lamports } => at(index).is_some_and(|index| {
                list.update(index, |entry| {
                    entry.require_active()?;
                    entry.active_lamports = entry
                        .active_lamports
                        .checked_add_signed(lamports)
                        .ok_or(TributaryError::MathOverflow)?;
                    Ok(())
                })
                .is_ok()
            }),
            Change::Crank {
                index,
                settle,
                reward,
            } => at(index).is_some_and(|index| {
                list.update(index, |entry| {
                    if settle {
                        if entry.transient_state() == TransientState::Activating {
                            entry.active_lamports += entry.transient_lamports;
                        }
                        entry.set_transient_state(TransientState::None);
                        entry.transient_lamports = 0;
                    }
                    if entry.is_active() {
                        entry.active_lamports += reward;
                    } else if settle {
                        entry.active_lamports = 0;
                    }
                    entry.last_update_epoch = *epoch;
                    Ok(())
                })
                .is_ok()
            }),
            Change::NextEpoch => {
                *epoch += 1;
                true
            }
            Change::Roll => {
                let before: Vec<ValidatorEntry> = list.parts().unwrap().1.to_vec();
                let read_before = list.entries_read();
                let dropped = list.drop_drained().unwrap();
                let after = list.parts().unwrap().1.to_vec();
                assert!(dropped.iter().all(ValidatorEntry::is_drained));
                assert_eq!(after.len() + dropped.len(), before.len());
                // The list keeps every entry it did not drop, once.
                let mut kept: Vec<Pubkey> = after.iter().map(|entry| entry.vote).collect();
                let mut expected: Vec<Pubkey> = before
                    .iter()
                    .filter(|entry| !dropped.contains(entry))
                    .map(|entry| entry.vote)
                    .collect();
                kept.sort();
                expected.sort();
                assert_eq!(kept, expected);
                let read = (list.entries_read() - read_before) as usize;
                assert!(read <= 2 * MAX_DRAINED_PER_ROLL);
                true
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the instructions do to the entries, in any order, the header's totals are
        /// what a walk over every entry finds.
        #[test]
        fn the_totals_never_drift(changes in proptest::collection::vec(change(), 1..200)) {
            let mut words = vec![0u64; ValidatorList::space_for(CAPACITY).div_ceil(8)];
            let data: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
            let mut list = List::new(data).unwrap();
            let mut epoch = 3;
            for (tag, change) in changes.iter().enumerate() {
                let before = *list.header().unwrap();
                let entries_before = list.parts().unwrap().1.to_vec();
                let applied = apply(&mut list, change, &mut epoch, tag as u64);
                let (header, entries) = list.parts().unwrap();
                if !applied {
                    prop_assert_eq!(header.totals, before.totals);
                    prop_assert_eq!(entries, &entries_before[..]);
                }
                let walked = ListTotals::of(entries, header.totals.updated_epoch).unwrap();
                prop_assert_eq!(header.totals, walked, "after {:?}", change);
                prop_assert!(entries.iter().all(|entry| entry.last_update_epoch <= header.totals.updated_epoch));
                let listed = &header.drained[..header.drained_count as usize];
                prop_assert!(listed.iter().all(|&index| (index as usize) < entries.len()));
            }
        }
    }

    #[test]
    fn a_new_epochs_first_update_starts_its_sums() {
        let mut words = vec![0u64; ValidatorList::space_for(4).div_ceil(8)];
        let data: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
        let mut list = List::new(data).unwrap();
        list.push(new_entry(1, 5, 10 * SOL, 7)).unwrap();
        list.push(new_entry(2, 3, 20 * SOL, 7)).unwrap();
        let totals = list.header().unwrap().totals;
        assert_eq!((totals.manual_weight, totals.updated_entries), (8, 2));
        assert_eq!(
            (totals.updated_epoch, totals.updated_lamports),
            (7, 30 * SOL)
        );
        list.update(1, |entry| {
            entry.last_update_epoch = 8;
            Ok(())
        })
        .unwrap();
        let totals = list.header().unwrap().totals;
        assert_eq!((totals.updated_epoch, totals.updated_entries), (8, 1));
        assert_eq!(totals.updated_lamports, 20 * SOL);
        assert_eq!(list.entries_read(), 3);
        // A removed, drained entry is listed and leaves at the roll; the last takes its place.
        list.update(0, |entry| {
            entry.set_status(ValidatorStatus::Removing);
            entry.active_lamports = 0;
            Ok(())
        })
        .unwrap();
        assert_eq!(list.header().unwrap().drained[..1], [0]);
        let dropped = list.drop_drained().unwrap();
        assert_eq!(dropped.len(), 1);
        assert_eq!(list.header().unwrap().validator_count, 1);
        assert_eq!(list.get(0).unwrap().weight, 3);
        assert_eq!(list.header().unwrap().totals.manual_weight, 3);
        assert_eq!(list.header().unwrap().drained_count, 0);
    }
}

/// Anchor's IDL holds only the types its instructions, accounts and events reach, and the entries
/// sit behind the zero-copy header: the IDL generator (`idl/`) runs this to add the entry's types.
#[cfg(all(test, feature = "idl-build"))]
#[test]
fn print_validator_entry_idl_types() {
    use anchor_lang::idl::{serde_json, IdlBuild};
    let mut types = std::collections::BTreeMap::new();
    ValidatorEntry::insert_types(&mut types);
    let entry = ValidatorEntry::create_type().expect("a zero-copy type has an IDL type");
    types.insert(entry.name.clone(), entry);
    let types: Vec<_> = types.into_values().collect();
    println!("--- validator entry types ---");
    println!(
        "{}",
        serde_json::to_string(&types).expect("IDL types serialize")
    );
    println!("--- end validator entry types ---");
}
