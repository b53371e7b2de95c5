use anchor_lang::prelude::*;

use crate::constants::MAX_UPDATE_BATCH;
use crate::errors::TributaryError;
use crate::events::{record, UpdateValidatorsEvent};
use crate::instructions::stake_program_accounts::*;
use crate::stake::{delegated_stake, is_fully_active, is_fully_inactive, StakeCalls};
use crate::state::{
    split_list, transient_state, validator_status, Pool, ValidatorEntry, ValidatorList,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct UpdateValidatorsArgs {
    /// First list entry of the batch.
    pub start_index: u32,
    /// Entries in the batch, at most `MAX_UPDATE_BATCH`.
    pub count: u32,
}

/// The first step of the epoch crank (anyone), for a batch of list entries. Remaining accounts,
/// per entry in order: its validator stake account, then its transient stake account only when
/// the entry has one. A validator with nothing to do costs one account and no CPI.
#[derive(Accounts)]
pub struct UpdateValidators<'info> {
    #[account(
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
}

pub fn handle_update_validators<'info>(
    ctx: Context<'info, UpdateValidators<'info>>,
    args: UpdateValidatorsArgs,
) -> Result<()> {
    require_gte!(
        MAX_UPDATE_BATCH,
        args.count,
        TributaryError::ValidatorAccountsMismatch
    );
    let epoch = Clock::get()?.epoch;
    let accounts = &ctx.accounts;
    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake.calls(&accounts.authority, &seeds);

    let list_info = accounts.validator_list.to_account_info();
    let mut data = list_info.try_borrow_mut_data()?;
    let (_, entries) = split_list(&mut data)?;
    let start = args.start_index as usize;
    let batch = entries
        .get_mut(start..start + args.count as usize)
        .ok_or(TributaryError::ValidatorAccountsMismatch)?;
    let mut remaining = ctx.remaining_accounts.iter();
    let mut total = Moved::default();
    let mut merged = 0u32;
    for entry in batch.iter_mut() {
        let validator_stake = remaining
            .next()
            .filter(|info| info.key == &entry.validator_stake)
            .ok_or(TributaryError::ValidatorAccountsMismatch)?;
        let transient = if entry.has_transient() {
            Some(
                remaining
                    .next()
                    .filter(|info| info.key == &entry.transient_stake)
                    .ok_or(TributaryError::ValidatorAccountsMismatch)?,
            )
        } else {
            None
        };
        let moved = update_entry(
            entry,
            validator_stake,
            transient,
            &stake,
            &accounts.reserve,
            epoch,
        )?;
        total.to_reserve = total
            .to_reserve
            .checked_add(moved.to_reserve)
            .ok_or(TributaryError::MathOverflow)?;
        merged += u32::from(moved.merged);
    }
    require!(
        remaining.next().is_none(),
        TributaryError::ValidatorAccountsMismatch
    );

    record(&UpdateValidatorsEvent {
        pool: pool_key,
        epoch,
        start_index: args.start_index,
        count: args.count,
        lamports_to_reserve: total.to_reserve,
        merged,
    });
    Ok(())
}

/// Brings one entry up to date: merges active transient stake, returns inactive stake to the
/// reserve, sweeps lamports above the delegation, records the balances.
fn update_entry<'info>(
    entry: &mut ValidatorEntry,
    validator_stake: &AccountInfo<'info>,
    transient: Option<&AccountInfo<'info>>,
    stake: &StakeCalls<'_, 'info>,
    reserve: &AccountInfo<'info>,
    epoch: u64,
) -> Result<Moved> {
    let mut moved = Moved::default();
    if let Some(transient) = transient {
        let (_, transient_stake) = delegated_stake(transient)?;
        let delegation = &transient_stake.delegation;
        match entry.transient_state {
            transient_state::ACTIVATING
                if is_fully_active(delegation, epoch, stake.stake_history)? =>
            {
                stake.merge(validator_stake, transient)?;
                entry.transient_state = transient_state::NONE;
                moved.merged = true;
            }
            transient_state::DEACTIVATING
                if is_fully_inactive(delegation, epoch, stake.stake_history)? =>
            {
                let lamports = transient.lamports();
                stake.withdraw(transient, reserve, lamports)?;
                entry.transient_state = transient_state::NONE;
                moved.to_reserve = lamports;
            }
            _ => {}
        }
        entry.transient_lamports = if entry.has_transient() {
            transient.lamports()
        } else {
            0
        };
    }

    // A removed validator's stake account has been emptied and closed.
    if validator_stake.lamports() > 0 {
        let (meta, validator) = delegated_stake(validator_stake)?;
        let delegation = &validator.delegation;
        if entry.status == validator_status::REMOVING {
            if is_fully_inactive(delegation, epoch, stake.stake_history)? {
                let lamports = validator_stake.lamports();
                stake.withdraw(validator_stake, reserve, lamports)?;
                moved.to_reserve += lamports;
            }
        } else {
            // Lamports above the delegation and its rent reserve (tips paid to the stake account,
            // the rent of a merged transient) belong in the reserve.
            let value = delegation
                .stake
                .checked_add(meta.rent_exempt_reserve)
                .ok_or(TributaryError::MathOverflow)?;
            let excess = validator_stake.lamports().saturating_sub(value);
            if excess > 0 {
                stake.withdraw(validator_stake, reserve, excess)?;
                moved.to_reserve += excess;
            }
        }
    }
    entry.active_lamports = validator_stake.lamports();
    entry.last_update_epoch = epoch;
    Ok(moved)
}
