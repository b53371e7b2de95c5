use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, RemoveValidatorEvent};
use crate::instructions::manage_validator::ManageValidator;
use crate::state::{validator_status, MevVault};

/// Starts removing a validator (operator): deactivates all its stake. The entry stays, and its
/// lamports stay in the ledger, until the crank has returned every lamport to the reserve.
pub fn handle_remove_validator(ctx: Context<ManageValidator>, validator_index: u32) -> Result<()> {
    let accounts = &ctx.accounts;
    let epoch = Clock::get()?.epoch;
    accounts.require_operator(epoch)?;
    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake_calls(&seeds);
    let active_lamports = accounts.with_entry(validator_index, |entry| {
        entry.require_idle()?;
        stake.deactivate(&accounts.validator_stake)?;
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
        epoch,
    });
    Ok(())
}
