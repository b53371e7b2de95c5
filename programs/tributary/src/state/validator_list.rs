use anchor_lang::prelude::*;

use crate::errors::TributaryError;

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
pub mod validator_status {
    /// Delegated and taking stake.
    pub const ACTIVE: u8 = 0;
    /// All its stake is deactivating; the entry goes once every lamport is back in the reserve.
    pub const REMOVING: u8 = 1;
}

/// What the validator's transient stake account holds.
pub mod transient_state {
    pub const NONE: u8 = 0;
    /// Stake from the reserve, activating; merged into the validator's stake once active.
    pub const ACTIVATING: u8 = 1;
    /// Stake split off the validator's stake, deactivating; back to the reserve once inactive.
    pub const DEACTIVATING: u8 = 2;
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
    /// `validator_status::*`.
    pub status: u8,
    /// `transient_state::*`.
    pub transient_state: u8,
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
        let transient = match self.transient_state {
            transient_state::DEACTIVATING => self.transient_lamports,
            _ => 0,
        };
        let removing = match self.status {
            validator_status::REMOVING => self.active_lamports,
            _ => 0,
        };
        transient.saturating_add(removing)
    }

    pub fn has_transient(&self) -> bool {
        self.transient_state != transient_state::NONE
    }

    /// What this validator weighs in the strategy's `mode`: the operator's weight or its score;
    /// nothing once it is being removed.
    pub fn strategy_weight(&self, mode: u8) -> u64 {
        match self.status {
            validator_status::ACTIVE if mode == crate::state::strategy_mode::SCORED => self.score,
            validator_status::ACTIVE => u64::from(self.weight),
            _ => 0,
        }
    }

    /// An operator may move this validator's stake: it is not being removed and has no stake
    /// on its way in or out.
    pub fn require_idle(&self) -> Result<()> {
        require_eq!(
            self.status,
            validator_status::ACTIVE,
            TributaryError::ValidatorRemoving
        );
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
}

/// The header and the entries in use, borrowed from the list account's data.
pub fn split_list(data: &mut [u8]) -> Result<(&mut ValidatorList, &mut [ValidatorEntry])> {
    let (header, entries) = data[8..].split_at_mut(core::mem::size_of::<ValidatorList>());
    let header: &mut ValidatorList = bytemuck::try_from_bytes_mut(header)
        .map_err(|_| error!(TributaryError::ValidatorAccountsMismatch))?;
    let used = header.validator_count as usize * ValidatorList::ENTRY_SPACE;
    let entries = entries
        .get_mut(..used)
        .ok_or_else(|| error!(TributaryError::ValidatorAccountsMismatch))?;
    let entries = bytemuck::try_cast_slice_mut(entries)
        .map_err(|_| error!(TributaryError::ValidatorAccountsMismatch))?;
    Ok((header, entries))
}
