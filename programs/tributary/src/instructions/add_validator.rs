use anchor_lang::prelude::*;

use crate::constants::{
    MAX_VALIDATORS, MEV_VAULT_SEED, TRANSIENT_STAKE_SEED, VALIDATOR_STAKE_SEED, VOTE_PROGRAM_ID,
};
use crate::cpi::{create_account, create_mev_vault};
use crate::errors::TributaryError;
use crate::events::{record, AddValidatorEvent};
use crate::instructions::manage_validator::ManageValidator;
use crate::stake::{STAKE_ACCOUNT_SPACE, STAKE_PROGRAM_ID};
use crate::state::{
    split_list, transient_state, validator_status, MevVault, ValidatorEntry, ValidatorList,
};

/// Vote state versions 1.14.11, 3 and 4: an initialised vote account of today's runtime.
fn is_vote_account(vote: &AccountInfo) -> Result<bool> {
    if vote.owner != &VOTE_PROGRAM_ID {
        return Ok(false);
    }
    let data = vote.try_borrow_data()?;
    let version = data
        .get(..4)
        .map(|tag| u32::from_le_bytes([tag[0], tag[1], tag[2], tag[3]]));
    Ok(matches!(version, Some(1..=3)))
}

/// Adds a validator (operator): creates its stake account with the Stake program's minimum
/// delegation, delegates it, and appends its entry to the list. The operator pays that floor
/// (rent and minimum delegation): it is no staker's, so all their lamports stay unstakeable.
pub fn handle_add_validator(ctx: Context<ManageValidator>) -> Result<()> {
    let accounts = &ctx.accounts;
    let clock = Clock::get()?;
    accounts.require_operator(clock.epoch)?;
    require!(
        is_vote_account(&accounts.vote)?,
        TributaryError::NotVoteAccount
    );
    // A pool stake account already at the address means the validator is in the pool (or still
    // on its way out); lamports sent there by anyone else are simply used.
    require_keys_neq!(
        *accounts.validator_stake.owner,
        STAKE_PROGRAM_ID,
        TributaryError::DuplicateValidator
    );
    let pool_key = accounts.pool.key();
    let vote_key = accounts.vote.key();
    let (validator_stake, validator_stake_bump) = Pubkey::find_program_address(
        &[VALIDATOR_STAKE_SEED, pool_key.as_ref(), vote_key.as_ref()],
        &crate::ID,
    );
    let (transient_stake, transient_stake_bump) = Pubkey::find_program_address(
        &[TRANSIENT_STAKE_SEED, pool_key.as_ref(), vote_key.as_ref()],
        &crate::ID,
    );
    require_keys_eq!(
        validator_stake,
        accounts.validator_stake.key(),
        TributaryError::ValidatorAccountsMismatch
    );
    require_keys_eq!(
        transient_stake,
        accounts.transient_stake.key(),
        TributaryError::ValidatorAccountsMismatch
    );
    let list_info = accounts.validator_list.to_account_info();
    let count = {
        let mut data = list_info.try_borrow_mut_data()?;
        let (header, _) = split_list(&mut data)?;
        header.validator_count
    };
    require_gt!(
        MAX_VALIDATORS,
        count,
        TributaryError::ValidatorListAtMaximum
    );
    require_gt!(
        ValidatorList::capacity(list_info.data_len()),
        count as usize,
        TributaryError::ValidatorListFull
    );

    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake_calls(&seeds);
    let minimum = stake.minimum_delegation()?;
    let floor = Rent::get()?
        .minimum_balance(STAKE_ACCOUNT_SPACE)
        .checked_add(minimum)
        .ok_or(TributaryError::MathOverflow)?;
    create_account(
        &accounts.system_program.to_account_info(),
        &accounts.caller.to_account_info(),
        &accounts.validator_stake,
        STAKE_ACCOUNT_SPACE,
        floor,
        &STAKE_PROGRAM_ID,
        &[&[
            VALIDATOR_STAKE_SEED,
            pool_key.as_ref(),
            vote_key.as_ref(),
            &[validator_stake_bump],
        ]],
    )?;
    stake.initialize(&accounts.validator_stake, &accounts.rent)?;
    stake.delegate(
        &accounts.validator_stake,
        &accounts.vote,
        &accounts.stake_config,
    )?;

    open_mev_vault(accounts, pool_key, vote_key)?;

    let entry = ValidatorEntry {
        vote: vote_key,
        validator_stake,
        transient_stake,
        active_lamports: accounts.validator_stake.lamports(),
        transient_lamports: 0,
        last_update_epoch: clock.epoch,
        transient_epoch: 0,
        status: validator_status::ACTIVE,
        transient_state: transient_state::NONE,
        validator_stake_bump,
        transient_stake_bump,
        weight: 0,
        score: 0,
        score_epoch: 0,
        floor_lamports: floor,
        reserved: [0; 40],
    };
    {
        let mut data = list_info.try_borrow_mut_data()?;
        let start = ValidatorList::space_for(count as usize);
        data[start..start + ValidatorList::ENTRY_SPACE].copy_from_slice(bytemuck::bytes_of(&entry));
        let (header, _) = split_list(&mut data)?;
        header.validator_count = count + 1;
    }
    let pool = &mut ctx.accounts.pool;
    pool.floor_lamports = pool
        .floor_lamports
        .checked_add(floor)
        .ok_or(TributaryError::MathOverflow)?;
    record(&AddValidatorEvent {
        pool: pool_key,
        vote: vote_key,
        validator_stake,
        lamports: entry.active_lamports,
        floor_lamports: floor,
        validator_index: count,
    });
    Ok(())
}

/// Creates the validator's MEV vault, paid by the operator, or, for a validator added again,
/// lets its old vault pay commission again.
fn open_mev_vault(accounts: &ManageValidator, pool: Pubkey, vote: Pubkey) -> Result<()> {
    let (address, bump) =
        Pubkey::find_program_address(&[MEV_VAULT_SEED, pool.as_ref(), vote.as_ref()], &crate::ID);
    let vault = accounts.mev_vault.to_account_info();
    require_keys_eq!(
        address,
        vault.key(),
        TributaryError::ValidatorAccountsMismatch
    );
    if vault.owner == &crate::ID {
        let mut state = MevVault::try_deserialize(&mut &vault.try_borrow_data()?[..])?;
        state.pays_commission = true;
        return state.try_serialize(&mut &mut vault.try_borrow_mut_data()?[..]);
    }
    create_mev_vault(
        &accounts.system_program.to_account_info(),
        &accounts.caller.to_account_info(),
        &vault,
        &[MEV_VAULT_SEED, pool.as_ref(), vote.as_ref(), &[bump]],
        pool,
        vote,
    )
}
