use anchor_lang::prelude::*;

use crate::constants::MAX_DRAINED_PER_ROLL;
use crate::errors::TributaryError;
use crate::safe_math::{OrOverflow, SafeMath};
use crate::state::{
    PodStanding, PodTransientState, PodValidatorStatus, Standing, StrategyMode, TransientState,
    ValidatorStatus,
};

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
    pub reserved: [u8; 8],
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
    /// What the active entries weigh in `Scored` mode: their scores above the delegation rule's
    /// floor, zero below the sharing bar (`ValidatorEntry::scored_weight`).
    pub scored_weight: u64,
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
    /// Active entries with a record the delegation rule judges (`Standing::is_rated`): the
    /// pool's averages are over them.
    pub rated_entries: u64,
    /// Their scores, summed.
    pub rated_score: u64,
    /// Their MEV scores (the MEV part of the score), summed.
    pub rated_mev_score: u64,
    /// What the active entries' scored weights would give beyond the cap, summed
    /// (`ValidatorEntry::overflow`): `Scored` mode spreads it over the spare weights.
    pub overflow: u64,
    /// The active entries' spare weights (`ValidatorEntry::spare_weight`), summed.
    pub spare_weight: u64,
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
    /// Lamports above the delegation of its stake account that are the pool's own (the rent and
    /// extra lamports of stake accounts deposited into it), counted in `active_lamports` and
    /// swept into the reserve by the next update. Any other lamports above the delegation are
    /// the validator's MEV to the stakers (`collect_stake_tips`).
    pub pool_excess: u64,
    /// The MEV part of `score`: what its tips, through both paths, returned per staked SOL.
    pub mev_score: u64,
    /// What it weighs in `Scored` mode, as `score_validator` last found it: its score above the
    /// delegation rule's floor, zero below the sharing bar.
    pub scored_weight: u64,
    /// What its scored weight would give it beyond the cap, as `score_validator` last found it.
    pub overflow: u64,
    /// Why it has that weight.
    pub standing: PodStanding,
    /// Room for later fields.
    pub reserved: [u8; 7],
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
            .or_overflow()
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

    /// What its stake account, holding `lamports` over a delegation of `delegated` and a rent
    /// reserve of `rent_exempt_reserve`, holds that is its MEV to the stakers: what is above all
    /// three and the pool's own (`pool_excess`), which `collect_stake_tips` collects.
    pub fn stake_account_tips(
        &self,
        lamports: u64,
        delegated: u64,
        rent_exempt_reserve: u64,
    ) -> u64 {
        lamports
            .saturating_sub(delegated)
            .saturating_sub(rent_exempt_reserve)
            .saturating_sub(self.pool_excess)
    }

    /// Whether its stake account, holding `stake_account_lamports`, holds less than the entry
    /// counted: a loss the pool has not counted yet (`update_validators` counts it).
    pub fn loss_uncounted(&self, stake_account_lamports: u64) -> bool {
        stake_account_lamports < self.active_lamports
    }

    pub fn standing(&self) -> Standing {
        self.standing.into()
    }

    /// Its claim on what the capped validators' weights would give beyond the cap, in `Scored`
    /// mode: its score, when it clears the sharing bar and is under the cap itself.
    pub fn spare_weight(&self) -> u64 {
        let clears_bar = matches!(
            self.standing(),
            Standing::Eligible | Standing::Grace | Standing::BelowFloor
        );
        if self.is_active() && clears_bar && self.overflow == 0 {
            self.score
        } else {
            0
        }
    }

    /// Its standing counts in the pool's averages: active and rated.
    pub fn is_rated(&self) -> bool {
        self.is_active() && self.standing().is_rated()
    }

    pub fn has_transient(&self) -> bool {
        self.transient_state() != TransientState::None
    }

    /// What this validator weighs in the strategy's `mode`: the operator's weight or its scored
    /// weight; nothing once it is being removed.
    pub fn strategy_weight(&self, mode: StrategyMode) -> u64 {
        match (self.status(), mode) {
            (ValidatorStatus::Removing, _) => 0,
            (ValidatorStatus::Active, StrategyMode::Scored) => self.scored_weight,
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

    /// The rated entries' mean score and mean MEV score, rounded down; zeros when none is rated.
    pub fn means(&self) -> crate::math::ScoreMeans {
        let mean = |sum: u64| sum.checked_div(self.rated_entries).unwrap_or(0);
        crate::math::ScoreMeans {
            score: mean(self.rated_score),
            mev_score: mean(self.rated_mev_score),
        }
    }

    /// The total weight of the strategy's `mode`.
    pub fn weight(&self, mode: StrategyMode) -> u64 {
        match mode {
            StrategyMode::Manual => self.manual_weight,
            StrategyMode::Scored => self.scored_weight,
        }
    }

    /// Counts `entry` in. An entry updated in a later epoch than the totals count starts that
    /// epoch's sums: no other entry has been updated in it yet.
    pub(crate) fn add(&mut self, entry: &ValidatorEntry) -> Result<()> {
        if entry.last_update_epoch > self.updated_epoch {
            self.updated_epoch = entry.last_update_epoch;
            self.updated_entries = 0;
            self.updated_lamports = 0;
            self.updated_floors = 0;
        }
        self.apply(entry, SafeMath::safe_add)
    }

    /// Counts `entry` out, as it was counted in.
    pub(crate) fn remove(&mut self, entry: &ValidatorEntry) -> Result<()> {
        self.apply(entry, SafeMath::safe_sub)
    }

    fn apply(&mut self, entry: &ValidatorEntry, op: fn(u64, u64) -> Result<u64>) -> Result<()> {
        self.manual_weight = op(
            self.manual_weight,
            entry.strategy_weight(StrategyMode::Manual),
        )?;
        self.scored_weight = op(
            self.scored_weight,
            entry.strategy_weight(StrategyMode::Scored),
        )?;
        self.spare_weight = op(self.spare_weight, entry.spare_weight())?;
        if entry.is_active() {
            self.overflow = op(self.overflow, entry.overflow)?;
        }
        if entry.is_rated() {
            self.rated_entries = op(self.rated_entries, 1)?;
            self.rated_score = op(self.rated_score, entry.score)?;
            self.rated_mev_score = op(self.rated_mev_score, entry.mev_score)?;
        }
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
