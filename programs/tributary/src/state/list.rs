//! The validator list's account data read and changed in place, one entry at a time, through
//! `List`: every change keeps the header's running totals exact.

use std::cell::{Cell, Ref, RefMut};
use std::ops::{Deref, DerefMut};

use anchor_lang::prelude::*;
use bytemuck::Zeroable;

use crate::constants::MAX_DRAINED_PER_ROLL;
use crate::errors::TributaryError;
use crate::state::validator_list::{ValidatorEntry, ValidatorList};

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
    use crate::safe_math::{OrOverflow, SafeMath};
    use crate::state::{ListTotals, PodStanding, TransientState, ValidatorStatus};
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
        /// `score_validator`, a score up to the cap, its parts and standing.
        Score {
            index: usize,
            score: u64,
            standing: u8,
        },
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
            (index.clone(), 0..=MAX_SCORE, 0..8u8).prop_map(|(index, score, standing)| {
                Change::Score {
                    index,
                    score,
                    standing,
                }
            }),
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
            Change::Score {
                index,
                score,
                standing,
            } => at(index).is_some_and(|index| {
                list.update(index, |entry| {
                    entry.score = score;
                    entry.mev_score = score / 2;
                    entry.scored_weight = score / 3;
                    entry.standing = PodStanding { value: standing };
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
                        .or_overflow()?;
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
