use anchor_lang::prelude::*;

use crate::constants::{
    MAX_VALIDATORS, MEV_VAULT_SEED, TRANSIENT_STAKE_SEED, VALIDATOR_STAKE_SEED, VOTE_PROGRAM_ID,
};
use crate::cpi::{create_account, create_mev_vault};
use crate::errors::TributaryError;
use crate::events::{record, AddValidatorEvent};
use crate::instructions::stake_program_accounts::*;
use crate::safe_math::SafeMath;
use crate::stake::{STAKE_ACCOUNT_SPACE, STAKE_CONFIG_ID, STAKE_PROGRAM_ID};
use crate::state::{
    ListAccount, MevVault, Pool, Standing, TransientState, ValidatorEntry, ValidatorList,
    ValidatorStatus,
};

/// Adds a validator (operator): creates its stake account with the Stake program's minimum
/// delegation, delegates it, and appends its entry to the list. The operator pays that floor
/// (rent and minimum delegation): it is no staker's, so all their lamports stay unstakeable.
#[derive(Accounts)]
pub struct AddValidator<'info> {
    /// Pays the stake account's floor and the MEV vault's rent.
    #[account(mut)]
    pub operator: Signer<'info>,
    #[account(
        mut,
        has_one = operator @ TributaryError::NotOperator,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// CHECK: the pool's authority PDA, checked by `has_one`; stake and withdraw authority.
    pub authority: UncheckedAccount<'info>,
    /// CHECK: must be a vote account, checked in `validate`.
    pub vote: UncheckedAccount<'info>,
    /// The validator's stake account `[VALIDATOR_STAKE_SEED, pool, vote]`, created here.
    /// CHECK: derived in the handler.
    #[account(mut)]
    pub validator_stake: UncheckedAccount<'info>,
    /// The validator's tip account `[MEV_VAULT_SEED, pool, vote]`: created here, or taken back
    /// into use for a validator added again.
    /// CHECK: derived in the handler.
    #[account(mut)]
    pub mev_vault: UncheckedAccount<'info>,
    /// CHECK: the rent sysvar, checked by address.
    #[account(address = solana_sysvar::rent::ID)]
    pub rent: UncheckedAccount<'info>,
    /// CHECK: the stake config account `DelegateStake` lists, checked by address.
    #[account(address = STAKE_CONFIG_ID)]
    pub stake_config: UncheckedAccount<'info>,
    pub stake: StakeProgramAccounts<'info>,
    pub system_program: Program<'info, System>,
}

impl AddValidator<'_> {
    /// An open pool with room in its list, and a vote account not in the pool yet. Returns the
    /// list's count.
    fn validate(&self, epoch: u64) -> Result<u32> {
        require!(!self.pool.paused, TributaryError::Paused);
        self.pool.require_fresh(epoch)?;
        require!(is_vote_account(&self.vote)?, TributaryError::NotVoteAccount);
        let header = self.validator_list.load()?;
        // The tip account is made with the validator's first entry and never closed: it says
        // whether the validator is in the pool, or was. One that left is added again only once
        // no removed entry waits in the list, so its old entry is gone.
        let vault = self.mev_vault.to_account_info();
        if vault.owner == &crate::ID {
            let state = MevVault::try_deserialize(&mut &vault.try_borrow_data()?[..])?;
            require!(!state.pays_commission, TributaryError::DuplicateValidator);
            require_eq!(
                header.totals.removing_entries,
                0,
                TributaryError::ValidatorStillLeaving
            );
        }
        let list = self.validator_list.as_ref();
        let count = header.validator_count;
        require_gt!(
            MAX_VALIDATORS,
            count,
            TributaryError::ValidatorListAtMaximum
        );
        require_gt!(
            ValidatorList::capacity(list.data_len()),
            count as usize,
            TributaryError::ValidatorListFull
        );
        Ok(count)
    }
}

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

pub fn handle_add_validator(ctx: Context<AddValidator>) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let count = ctx.accounts.validate(epoch)?;
    let accounts = &ctx.accounts;
    let pool_key = accounts.pool.key();
    let vote_key = accounts.vote.key();
    let (validator_stake, validator_stake_bump) = Pubkey::find_program_address(
        &[VALIDATOR_STAKE_SEED, pool_key.as_ref(), vote_key.as_ref()],
        &crate::ID,
    );
    require_keys_eq!(
        validator_stake,
        accounts.validator_stake.key(),
        TributaryError::ValidatorAccountsMismatch
    );
    let (transient_stake, transient_stake_bump) = Pubkey::find_program_address(
        &[TRANSIENT_STAKE_SEED, pool_key.as_ref(), vote_key.as_ref()],
        &crate::ID,
    );
    let floor = create_validator_stake(accounts, validator_stake_bump)?;
    open_mev_vault(accounts, pool_key, vote_key)?;

    let entry = ValidatorEntry {
        vote: vote_key,
        validator_stake,
        transient_stake,
        active_lamports: accounts.validator_stake.lamports(),
        transient_lamports: 0,
        last_update_epoch: epoch,
        transient_epoch: 0,
        status: ValidatorStatus::Active.into(),
        transient_state: TransientState::None.into(),
        validator_stake_bump,
        transient_stake_bump,
        weight: 0,
        score: 0,
        score_epoch: 0,
        floor_lamports: floor,
        pool_excess: 0,
        mev_score: 0,
        scored_weight: 0,
        overflow: 0,
        standing: Standing::Unscored.into(),
        reserved: [0; 7],
    };
    accounts.validator_list.list_mut()?.push(entry)?;
    let pool = &mut ctx.accounts.pool;
    pool.floor_lamports = pool.floor_lamports.safe_add(floor)?;
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

/// Creates the validator's stake account at its PDA with the floor the Stake program requires,
/// paid by the operator, and delegates it. Returns the floor.
fn create_validator_stake(accounts: &AddValidator, bump: u8) -> Result<u64> {
    let pool_key = accounts.pool.key();
    let vote_key = accounts.vote.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake.calls(&accounts.authority, &seeds);
    let floor = Rent::get()?
        .minimum_balance(STAKE_ACCOUNT_SPACE)
        .safe_add(stake.minimum_delegation()?)?;
    create_account(
        &accounts.system_program.to_account_info(),
        &accounts.operator.to_account_info(),
        &accounts.validator_stake,
        STAKE_ACCOUNT_SPACE,
        floor,
        &STAKE_PROGRAM_ID,
        &[&[
            VALIDATOR_STAKE_SEED,
            pool_key.as_ref(),
            vote_key.as_ref(),
            &[bump],
        ]],
    )?;
    stake.initialize(&accounts.validator_stake, &accounts.rent)?;
    stake.delegate(
        &accounts.validator_stake,
        &accounts.vote,
        &accounts.stake_config,
    )?;
    Ok(floor)
}

/// Creates the validator's MEV vault, paid by the operator, or, for a validator added again,
/// lets its old vault pay commission again on the tips that arrive from now on.
fn open_mev_vault(accounts: &AddValidator, pool: Pubkey, vote: Pubkey) -> Result<()> {
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
        // Tips sent while it was out of the pool are split as they arrived: no commission.
        state.split_arrivals(
            vault.lamports(),
            &Rent::get()?,
            0,
            accounts.pool.fees.mev_bps,
        )?;
        state.pays_commission = true;
        return state.try_serialize(&mut &mut vault.try_borrow_mut_data()?[..]);
    }
    create_mev_vault(
        &accounts.system_program.to_account_info(),
        &accounts.operator.to_account_info(),
        &vault,
        &[MEV_VAULT_SEED, pool.as_ref(), vote.as_ref(), &[bump]],
        pool,
        vote,
    )
}
