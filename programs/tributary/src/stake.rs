//! The Stake program: reading stake accounts and stake history, and the calls the pool makes.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program::{invoke, invoke_signed};
use solana_stake_interface::instruction as stake_instruction;
use solana_stake_interface::stake_history::{StakeHistoryEntry, StakeHistoryGetEntry};
use solana_stake_interface::state::StakeActivationStatus;
use solana_stake_interface::state::{
    Authorized, Delegation, Lockup, Meta, Stake, StakeAuthorize, StakeStateV2,
};

use crate::errors::TributaryError;

pub use solana_stake_interface::program::ID as STAKE_PROGRAM_ID;
pub use solana_stake_interface::state::StakeStateV2 as StakeState;

/// Bytes of a stake account.
pub const STAKE_ACCOUNT_SPACE: usize = StakeStateV2::size_of();

/// The stake config account that `DelegateStake` still lists.
#[allow(deprecated)]
pub const STAKE_CONFIG_ID: Pubkey = solana_stake_interface::config::ID;

/// The runtime's warmup/cooldown rate change is active from genesis on test banks and long
/// since on every cluster, so recent epochs are computed at the new rate.
const NEW_RATE_ACTIVATION_EPOCH: Option<u64> = Some(0);

/// A delegated stake account's metadata and stake.
pub fn delegated_stake(info: &AccountInfo) -> Result<(Meta, Stake)> {
    match stake_state(info)? {
        StakeStateV2::Stake(meta, stake, _) => Ok((meta, stake)),
        _ => err!(TributaryError::StakeNotActive),
    }
}

/// A split of `lamports` off a delegation of `delegated` leaves both stake accounts at least
/// `minimum` delegated, as the Stake program requires.
pub fn require_splittable(delegated: u64, lamports: u64, minimum: u64) -> Result<()> {
    let remaining = delegated
        .checked_sub(lamports)
        .ok_or(TributaryError::BelowMinimumDelegation)?;
    require_gte!(remaining, minimum, TributaryError::BelowMinimumDelegation);
    require_gte!(lamports, minimum, TributaryError::BelowMinimumDelegation);
    Ok(())
}

/// A delegated stake account the pool controls: both its authorities are the pool's `authority`
/// and it is delegated to `vote`. `None` for anything else, including an emptied account.
pub fn pool_stake(info: &AccountInfo, authority: &Pubkey, vote: &Pubkey) -> Option<(Meta, Stake)> {
    let (meta, stake) = delegated_stake(info).ok()?;
    let controlled = meta.authorized.staker == *authority
        && meta.authorized.withdrawer == *authority
        && stake.delegation.voter_pubkey == *vote;
    controlled.then_some((meta, stake))
}

pub fn stake_state(info: &AccountInfo) -> Result<StakeStateV2> {
    require_keys_eq!(
        *info.owner,
        STAKE_PROGRAM_ID,
        TributaryError::NotStakeAccount
    );
    let data = info.try_borrow_data()?;
    StakeStateV2::deserialize(&mut &data[..]).map_err(|_| error!(TributaryError::NotStakeAccount))
}

/// The stake history sysvar read in place: entries are newest first, one per epoch, so the
/// entry of an epoch is found by its distance from the newest.
pub struct StakeHistoryView<'a>(pub &'a [u8]);

impl StakeHistoryView<'_> {
    fn word(&self, offset: usize) -> Option<u64> {
        let bytes = self.0.get(offset..offset + 8)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    }
}

impl StakeHistoryGetEntry for StakeHistoryView<'_> {
    fn get_entry(&self, epoch: u64) -> Option<StakeHistoryEntry> {
        const ENTRY: usize = 32;
        let len = self.word(0)? as usize;
        let newest = self.word(8)?;
        let index = newest.checked_sub(epoch)? as usize;
        if index >= len {
            return None;
        }
        let offset = 8 + index * ENTRY;
        if self.word(offset)? != epoch {
            return None;
        }
        Some(StakeHistoryEntry {
            effective: self.word(offset + 8)?,
            activating: self.word(offset + 16)?,
            deactivating: self.word(offset + 24)?,
        })
    }
}

fn activation(
    delegation: &Delegation,
    epoch: u64,
    stake_history: &AccountInfo,
) -> Result<StakeActivationStatus> {
    let data = stake_history.try_borrow_data()?;
    Ok(delegation.stake_activating_and_deactivating(
        epoch,
        &StakeHistoryView(&data),
        NEW_RATE_ACTIVATION_EPOCH,
    ))
}

/// All of the delegation is effective: nothing activating or deactivating.
pub fn is_fully_active(
    delegation: &Delegation,
    epoch: u64,
    stake_history: &AccountInfo,
) -> Result<bool> {
    let status = activation(delegation, epoch, stake_history)?;
    Ok(status.effective == delegation.stake && status.activating == 0 && status.deactivating == 0)
}

/// The delegation has fully cooled down and its lamports can be withdrawn.
pub fn is_fully_inactive(
    delegation: &Delegation,
    epoch: u64,
    stake_history: &AccountInfo,
) -> Result<bool> {
    let status = activation(delegation, epoch, stake_history)?;
    Ok(delegation.deactivation_epoch != u64::MAX
        && status.effective == 0
        && status.activating == 0
        && status.deactivating == 0)
}

/// The last CPI's return data. Natively the runtime's stub holds it, not the syscall.
fn return_data() -> Option<(Pubkey, Vec<u8>)> {
    #[cfg(target_os = "solana")]
    return anchor_lang::solana_program::program::get_return_data();
    #[cfg(not(target_os = "solana"))]
    return solana_sysvar::program_stubs::sol_get_return_data();
}

/// The accounts the pool's Stake program calls need, with the authority PDA's seeds.
pub struct StakeCalls<'a, 'info> {
    pub stake_program: &'a AccountInfo<'info>,
    pub clock: &'a AccountInfo<'info>,
    pub stake_history: &'a AccountInfo<'info>,
    pub authority: &'a AccountInfo<'info>,
    pub authority_seeds: &'a [&'a [u8]],
}

impl<'info> StakeCalls<'_, 'info> {
    fn call(&self, ix: &Instruction, accounts: &[AccountInfo<'info>]) -> Result<()> {
        invoke_signed(ix, accounts, &[self.authority_seeds])?;
        Ok(())
    }

    /// The Stake program's minimum delegation, as it reports it.
    pub fn minimum_delegation(&self) -> Result<u64> {
        invoke(
            &stake_instruction::get_minimum_delegation(),
            std::slice::from_ref(self.stake_program),
        )?;
        let (program, data) = return_data().ok_or(TributaryError::MinimumDelegationUnknown)?;
        require_keys_eq!(
            program,
            STAKE_PROGRAM_ID,
            TributaryError::MinimumDelegationUnknown
        );
        let bytes: [u8; 8] = data
            .get(..8)
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(TributaryError::MinimumDelegationUnknown)?;
        Ok(u64::from_le_bytes(bytes))
    }

    /// Initialises `stake` with the pool's authority as staker and withdrawer, no lockup.
    pub fn initialize(&self, stake: &AccountInfo<'info>, rent: &AccountInfo<'info>) -> Result<()> {
        let ix = stake_instruction::initialize(
            stake.key,
            &Authorized::auto(self.authority.key),
            &Lockup::default(),
        );
        self.call(
            &ix,
            &[stake.clone(), rent.clone(), self.stake_program.clone()],
        )
    }

    pub fn delegate(
        &self,
        stake: &AccountInfo<'info>,
        vote: &AccountInfo<'info>,
        stake_config: &AccountInfo<'info>,
    ) -> Result<()> {
        let ix = stake_instruction::delegate_stake(stake.key, self.authority.key, vote.key);
        self.call(
            &ix,
            &[
                stake.clone(),
                vote.clone(),
                self.clock.clone(),
                self.stake_history.clone(),
                stake_config.clone(),
                self.authority.clone(),
                self.stake_program.clone(),
            ],
        )
    }

    /// Merges `source` into `destination`; `source` is left empty.
    pub fn merge(
        &self,
        destination: &AccountInfo<'info>,
        source: &AccountInfo<'info>,
    ) -> Result<()> {
        let ix = &stake_instruction::merge(destination.key, source.key, self.authority.key)[0];
        self.call(
            ix,
            &[
                destination.clone(),
                source.clone(),
                self.clock.clone(),
                self.stake_history.clone(),
                self.authority.clone(),
                self.stake_program.clone(),
            ],
        )
    }

    /// Splits `lamports` of `source` into `destination`, an allocated stake account.
    pub fn split(
        &self,
        source: &AccountInfo<'info>,
        destination: &AccountInfo<'info>,
        lamports: u64,
    ) -> Result<()> {
        let ixs =
            stake_instruction::split(source.key, self.authority.key, lamports, destination.key);
        let split = ixs.last().ok_or(TributaryError::NotStakeAccount)?;
        self.call(
            split,
            &[
                source.clone(),
                destination.clone(),
                self.authority.clone(),
                self.stake_program.clone(),
            ],
        )
    }

    pub fn deactivate(&self, stake: &AccountInfo<'info>) -> Result<()> {
        let ix = stake_instruction::deactivate_stake(stake.key, self.authority.key);
        self.call(
            &ix,
            &[
                stake.clone(),
                self.clock.clone(),
                self.authority.clone(),
                self.stake_program.clone(),
            ],
        )
    }

    /// Withdraws `lamports` of `stake` to `to`.
    pub fn withdraw(
        &self,
        stake: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
        lamports: u64,
    ) -> Result<()> {
        let ix = stake_instruction::withdraw(stake.key, self.authority.key, to.key, lamports, None);
        self.call(
            &ix,
            &[
                stake.clone(),
                to.clone(),
                self.clock.clone(),
                self.stake_history.clone(),
                self.authority.clone(),
                self.stake_program.clone(),
            ],
        )
    }

    /// Hands both of `stake`'s authorities to `new_authority`.
    pub fn authorize_both(&self, stake: &AccountInfo<'info>, new_authority: &Pubkey) -> Result<()> {
        for kind in [StakeAuthorize::Staker, StakeAuthorize::Withdrawer] {
            let ix = stake_instruction::authorize(
                stake.key,
                self.authority.key,
                new_authority,
                kind,
                None,
            );
            self.call(
                &ix,
                &[
                    stake.clone(),
                    self.clock.clone(),
                    self.authority.clone(),
                    self.stake_program.clone(),
                ],
            )?;
        }
        Ok(())
    }
}
