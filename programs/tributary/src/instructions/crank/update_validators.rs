use anchor_lang::prelude::*;

use crate::constants::MAX_UPDATE_BATCH;
use crate::errors::TributaryError;
use crate::events::{record, LossEvent, StakeAccountRejectedEvent, UpdateValidatorsEvent};
use crate::instructions::stake_program_accounts::*;
use crate::safe_math::{OrOverflow, SafeMath};
use crate::stake::{is_fully_active, is_fully_inactive, pool_stake, StakeCalls};
use crate::state::{
    ListAccount, ListMut, Pool, TransientState, ValidatorEntry, ValidatorList, ValidatorStatus,
};
use solana_stake_interface::state::{Delegation, Meta, Stake};

/// Arguments of `update_validators`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct UpdateValidatorsArgs {
    /// First list entry of the batch.
    pub start_index: u32,
    /// Entries in the batch, at most `MAX_UPDATE_BATCH`.
    pub count: u32,
}

/// The first step of the epoch crank (anyone), for a batch of list entries, and how anyone
/// makes the pool see a loss at once: a stake account found holding less than its entry
/// recorded is a loss, met by the validator's floor (the operator's collateral), then by the
/// income not yet released, then shared pro rata by the stakers and the open tickets, so the
/// share price falls before anyone can leave at the old one. Remaining accounts, per entry in
/// order: its validator stake account, then its transient stake account only when the entry
/// has one. A validator with nothing to do costs one account and no CPI.
#[derive(Accounts)]
pub struct UpdateValidators<'info> {
    #[account(
        mut,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
        has_one = reserve @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// CHECK: the pool's reserve, checked by `has_one`.
    #[account(mut)]
    pub reserve: UncheckedAccount<'info>,
    /// CHECK: the pool's authority PDA, checked by `has_one`.
    pub authority: UncheckedAccount<'info>,
    pub stake: StakeProgramAccounts<'info>,
}

/// What one entry's update moved.
#[derive(Default)]
struct Moved {
    to_reserve: u64,
    merged: bool,
    /// The rent of the transient account merged: lamports above the delegation that are the
    /// pool's own.
    merged_rent: u64,
    /// What its accounts hold short of what the entry recorded: its floor's part, and the rest.
    floor_loss: u64,
    loss: u64,
}

/// A shortfall found in one entry's accounts.
struct Shortfall {
    vote: Pubkey,
    floor_loss: u64,
    loss: u64,
}

/// What every entry's update needs.
struct Updater<'a, 'info> {
    stake: StakeCalls<'a, 'info>,
    reserve: &'a AccountInfo<'info>,
    pool: Pubkey,
    epoch: u64,
}

pub fn handle_update_validators<'info>(
    ctx: Context<'info, UpdateValidators<'info>>,
    args: UpdateValidatorsArgs,
) -> Result<()> {
    require_gte!(
        MAX_UPDATE_BATCH,
        args.count,
        TributaryError::UpdateBatchTooLarge
    );
    let clock = Clock::get()?;
    let epoch = clock.epoch;
    let accounts = &ctx.accounts;
    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let updater = Updater {
        stake: accounts.stake.calls(&accounts.authority, &seeds),
        reserve: &accounts.reserve,
        pool: pool_key,
        epoch,
    };

    let mut list = accounts.validator_list.list_mut()?;
    let end = args.start_index.saturating_add(args.count);
    require_gte!(
        list.header()?.validator_count,
        end,
        TributaryError::ValidatorAccountsMismatch
    );
    let (to_reserve, merged, shortfalls) =
        updater.update_batch(&mut list, args.start_index..end, ctx.remaining_accounts)?;
    let entries_read = list.entries_read();
    drop(list);
    if !shortfalls.is_empty() {
        let pool = &mut ctx.accounts.pool;
        pool.release_income(clock.slot)?;
        for shortfall in shortfalls {
            bear_shortfall(pool, pool_key, epoch, &shortfall)?;
        }
    }
    record(&UpdateValidatorsEvent {
        pool: pool_key,
        epoch,
        start_index: args.start_index,
        count: args.count,
        lamports_to_reserve: to_reserve,
        merged,
        entries_read,
    });
    Ok(())
}

/// Counts a shortfall the update found: its floor's part leaves the floors, the rest is a loss
/// the stakers and the tickets bear (`Pool::bear_loss`); says so in a `LossEvent`.
fn bear_shortfall(
    pool: &mut Pool,
    pool_key: Pubkey,
    epoch: u64,
    shortfall: &Shortfall,
) -> Result<()> {
    pool.floor_lamports = pool.floor_lamports.saturating_sub(shortfall.floor_loss);
    let share = pool.bear_loss(shortfall.loss)?;
    record(&LossEvent {
        pool: pool_key,
        epoch,
        vote: shortfall.vote,
        loss: shortfall.floor_loss.saturating_add(shortfall.loss),
        floor_loss: shortfall.floor_loss,
        locked_loss: share.from_locked,
        stakers_loss: share.stakers,
        tickets_loss: share.tickets,
        ticket_lamports: pool.ticket_lamports,
        ticket_units: pool.ticket_units,
        total_lamports: pool.total_lamports,
        locked_lamports: pool.release.lamports,
    });
    Ok(())
}

impl<'info> Updater<'_, 'info> {
    /// Updates the entries at `batch` from `accounts`: per entry its validator stake account,
    /// then its transient stake account only when the entry has one. Returns the lamports moved
    /// into the reserve, the transients merged and the shortfalls found.
    fn update_batch(
        &self,
        list: &mut ListMut,
        batch: core::ops::Range<u32>,
        accounts: &'info [AccountInfo<'info>],
    ) -> Result<(u64, u32, Vec<Shortfall>)> {
        let mut remaining = accounts.iter();
        let mut next_account = |expected: &Pubkey| {
            remaining
                .next()
                .filter(|info| info.key == expected)
                .ok_or(TributaryError::ValidatorAccountsMismatch)
        };
        let mut to_reserve = 0u64;
        let mut merged = 0u32;
        let mut shortfalls = Vec::new();
        for index in batch {
            let (moved, vote) = list.update(index, |entry| {
                let validator_stake = next_account(&entry.validator_stake)?;
                let transient = match entry.has_transient() {
                    true => Some(next_account(&entry.transient_stake)?),
                    false => None,
                };
                Ok((self.update(entry, validator_stake, transient)?, entry.vote))
            })?;
            to_reserve = to_reserve.safe_add(moved.to_reserve)?;
            merged = merged.safe_add(u32::from(moved.merged))?;
            if moved.floor_loss > 0 || moved.loss > 0 {
                shortfalls.push(Shortfall {
                    vote,
                    floor_loss: moved.floor_loss,
                    loss: moved.loss,
                });
            }
        }
        require!(
            remaining.next().is_none(),
            TributaryError::ValidatorAccountsMismatch
        );
        Ok((to_reserve, merged, shortfalls))
    }

    /// Brings one entry up to date: merges active transient stake, returns inactive stake to
    /// the reserve, sweeps the pool's own lamports above the delegation, records the balances (not
    /// the validator's tips in its stake account: `collect_stake_tips`). A stake account
    /// the pool does not control is left uncounted, with an event, and nothing is done to it.
    /// What the accounts hold short of what the entry recorded is a shortfall, taken from the
    /// entry's floor first.
    fn update(
        &self,
        entry: &mut ValidatorEntry,
        validator_stake: &AccountInfo<'info>,
        transient: Option<&AccountInfo<'info>>,
    ) -> Result<Moved> {
        let recorded = entry.total_lamports()?;
        let mut moved = self.settle(entry, validator_stake, transient)?;
        let found = entry.total_lamports()?.saturating_add(moved.to_reserve);
        let shortfall = recorded.saturating_sub(found);
        moved.floor_loss = shortfall.min(entry.floor_lamports);
        moved.loss = shortfall - moved.floor_loss;
        entry.floor_lamports = entry.floor_lamports.safe_sub(moved.floor_loss)?;
        Ok(moved)
    }

    /// `update`'s moves and the balances it records.
    fn settle(
        &self,
        entry: &mut ValidatorEntry,
        validator_stake: &AccountInfo<'info>,
        transient: Option<&AccountInfo<'info>>,
    ) -> Result<Moved> {
        let authority = self.stake.authority.key;
        // A removed validator's stake account has been emptied and closed.
        let mut validator = match validator_stake.lamports() {
            0 => None,
            _ => self.controlled(entry, validator_stake, authority),
        };
        let mut moved = Moved::default();
        if let Some(transient) = transient {
            match self.controlled(entry, transient, authority) {
                Some((transient_meta, transient_stake)) => {
                    let validator = validator
                        .as_ref()
                        .map(|(_, stake)| (validator_stake, stake));
                    moved = self.settle_transient(
                        entry,
                        transient,
                        &transient_stake.delegation,
                        validator,
                    )?;
                    if moved.merged {
                        moved.merged_rent = transient_meta.rent_exempt_reserve;
                    }
                }
                None => entry.set_transient_state(TransientState::None),
            }
            entry.transient_lamports = if entry.has_transient() {
                transient.lamports()
            } else {
                0
            };
        }
        if moved.merged {
            validator = pool_stake(validator_stake, authority, &entry.vote);
        }
        entry.active_lamports = match validator {
            Some((meta, validator)) => {
                let (swept, counted) =
                    self.sweep(entry, validator_stake, &meta, &validator, moved.merged_rent)?;
                moved.to_reserve = moved.to_reserve.safe_add(swept)?;
                counted
            }
            None => 0,
        };
        entry.pool_excess = 0;
        entry.last_update_epoch = self.epoch;
        Ok(moved)
    }

    /// The stake account at `info` if the pool controls it; otherwise an event says it is left
    /// uncounted.
    fn controlled(
        &self,
        entry: &ValidatorEntry,
        info: &AccountInfo<'info>,
        authority: &Pubkey,
    ) -> Option<(Meta, Stake)> {
        let stake = pool_stake(info, authority, &entry.vote);
        if stake.is_none() {
            record(&StakeAccountRejectedEvent {
                pool: self.pool,
                vote: entry.vote,
                stake_account: info.key(),
                lamports: info.lamports(),
            });
        }
        stake
    }

    /// Withdraws an inactive transient into the reserve, whoever deactivated it (the pool, or
    /// anyone through the Stake program's `DeactivateDelinquent`), or merges an active one
    /// into the validator's stake once that is fully active too; otherwise it waits. Nothing
    /// here can fail on a state someone else put the accounts in.
    fn settle_transient(
        &self,
        entry: &mut ValidatorEntry,
        transient: &AccountInfo<'info>,
        delegation: &Delegation,
        validator: Option<(&AccountInfo<'info>, &Stake)>,
    ) -> Result<Moved> {
        let history = self.stake.stake_history;
        let mut moved = Moved::default();
        if is_fully_inactive(delegation, self.epoch, history)? {
            let lamports = transient.lamports();
            self.stake.withdraw(transient, self.reserve, lamports)?;
            entry.set_transient_state(TransientState::None);
            moved.to_reserve = lamports;
            return Ok(moved);
        }
        let Some((validator_stake, validator)) = validator else {
            return Ok(moved);
        };
        let mergeable = entry.transient_state() == TransientState::Activating
            && is_fully_active(delegation, self.epoch, history)?
            && is_fully_active(&validator.delegation, self.epoch, history)?;
        if mergeable {
            self.stake.merge(validator_stake, transient)?;
            entry.set_transient_state(TransientState::None);
            moved.merged = true;
        }
        Ok(moved)
    }

    /// Withdraws a removed validator's inactive stake, or the pool's own lamports above an
    /// active one's delegation and rent reserve (what deposited stake accounts brought beyond
    /// their delegation, `merged_rent` of a transient merged now) into the reserve. Any other
    /// lamports above an active validator's delegation are its MEV to the stakers: left for
    /// `collect_stake_tips`, and not counted. Returns the lamports moved and what the stake
    /// account counts for now.
    fn sweep(
        &self,
        entry: &ValidatorEntry,
        validator_stake: &AccountInfo<'info>,
        meta: &Meta,
        validator: &Stake,
        merged_rent: u64,
    ) -> Result<(u64, u64)> {
        let lamports = validator_stake.lamports();
        let (swept, counted) = if entry.status() == ValidatorStatus::Removing {
            let inactive =
                is_fully_inactive(&validator.delegation, self.epoch, self.stake.stake_history)?;
            if inactive {
                (lamports, 0)
            } else {
                (0, lamports)
            }
        } else {
            let value = validator
                .delegation
                .stake
                .checked_add(meta.rent_exempt_reserve)
                .or_overflow()?;
            let own = entry.pool_excess.safe_add(merged_rent)?;
            let swept = lamports.saturating_sub(value).min(own);
            (swept, lamports.safe_sub(swept)?.min(value))
        };
        if swept > 0 {
            self.stake.withdraw(validator_stake, self.reserve, swept)?;
        }
        Ok((swept, counted))
    }
}
