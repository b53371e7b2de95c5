use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, RemoveValidatorEvent};
use crate::instructions::manage_validator::ManageValidator;
use crate::stake::pool_stake;
use crate::state::{transient_state, validator_status, MevVault};

/// Starts removing a validator: deactivates all its stake. The entry stays, and its lamports
/// stay in the ledger, until the crank has returned every lamport to the reserve.
///
/// The operator removes any validator with no stake on its way in or out. Anyone removes one
/// whose stake the Stake program has deactivated (`DeactivateDelinquent`, open to anyone once a
/// validator stops voting): its stake on its way in is turned back too, so no stake of the pool
/// waits on a validator that will not merge it.
pub fn handle_remove_validator(ctx: Context<ManageValidator>, validator_index: u32) -> Result<()> {
    let accounts = &ctx.accounts;
    let epoch = Clock::get()?.epoch;
    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake_calls(&seeds);
    let delinquent = pool_stake(
        &accounts.validator_stake,
        &accounts.pool.authority,
        &accounts.vote.key(),
    )
    .is_some_and(|(_, stake)| stake.delegation.deactivation_epoch != u64::MAX);
    if !delinquent {
        accounts.require_operator(epoch)?;
    }
    let active_lamports = accounts.with_entry(validator_index, |entry| {
        require_eq!(
            entry.status,
            validator_status::ACTIVE,
            TributaryError::ValidatorRemoving
        );
        if delinquent {
            if entry.transient_state == transient_state::ACTIVATING {
                stake.deactivate(&accounts.transient_stake)?;
                entry.transient_state = transient_state::DEACTIVATING;
            }
        } else {
            entry.require_idle()?;
            stake.deactivate(&accounts.validator_stake)?;
        }
        entry.status = validator_status::REMOVING;
        Ok(entry.active_lamports)
    })?;
    // Tips still reach the stakers; the validator's commission stops.
    let vault = accounts.mev_vault.to_account_info();
    let mut state = MevVault::try_deserialize(&mut &vault.try_borrow_data()?[..])?;
    require_keys_eq!(
        state.vote,
        accounts.vote.key(),
        TributaryError::ValidatorAccountsMismatch
    );
    require_keys_eq!(
        state.pool,
        pool_key,
        TributaryError::ValidatorAccountsMismatch
    );
    state.pays_commission = false;
    state.try_serialize(&mut &mut vault.try_borrow_mut_data()?[..])?;

    record(&RemoveValidatorEvent {
        pool: pool_key,
        vote: accounts.vote.key(),
        active_lamports,
        delinquent,
        epoch,
    });
    Ok(())
}
