//! Moving one validator's stake between the reserve and the validator, through its transient
//! stake account: the accounts it takes and the two directions, for the operator's increase and
//! decrease and anyone's rebalance.

use anchor_lang::prelude::*;

use crate::constants::TRANSIENT_STAKE_SEED;
use crate::cpi::create_stake_account_from_reserve;
use crate::errors::TributaryError;
use crate::instructions::stake_program_accounts::*;
use crate::safe_math::SafeMath;
use crate::stake::{
    delegated_stake, require_splittable, StakeCalls, STAKE_ACCOUNT_SPACE, STAKE_CONFIG_ID,
};
use crate::state::{ListAccount, Pool, TransientState, ValidatorEntry, ValidatorList};

/// The accounts that move one validator's stake.
#[derive(Accounts)]
pub struct ValidatorStakeAccounts<'info> {
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
    /// CHECK: the pool's authority PDA, checked by `has_one`; stake and withdraw authority.
    pub authority: UncheckedAccount<'info>,
    /// CHECK: the validator's vote account, checked against its list entry.
    pub vote: UncheckedAccount<'info>,
    /// CHECK: the validator's stake PDA, checked against the address stored in its entry.
    #[account(mut)]
    pub validator_stake: UncheckedAccount<'info>,
    /// CHECK: the validator's transient stake PDA, checked against its entry.
    #[account(mut)]
    pub transient_stake: UncheckedAccount<'info>,
    /// CHECK: the rent sysvar, checked by address.
    #[account(address = solana_sysvar::rent::ID)]
    pub rent: UncheckedAccount<'info>,
    /// CHECK: the stake config account `DelegateStake` lists, checked by address.
    #[account(address = STAKE_CONFIG_ID)]
    pub stake_config: UncheckedAccount<'info>,
    pub stake: StakeProgramAccounts<'info>,
    pub system_program: Program<'info, System>,
}

impl<'info> ValidatorStakeAccounts<'info> {
    /// Stake moves stop while the pool is paused, and need this epoch's rate.
    pub fn require_open(&self, epoch: u64) -> Result<()> {
        require!(!self.pool.paused, TributaryError::Paused);
        self.pool.require_fresh(epoch)
    }

    pub fn stake_calls<'a>(&'a self, authority_seeds: &'a [&'a [u8]]) -> StakeCalls<'a, 'info> {
        self.stake.calls(&self.authority, authority_seeds)
    }

    /// Moves `lamports` from the reserve to the validator at `index`: into its transient
    /// account, delegated; the crank merges them once active. What the reserve keeps for tickets
    /// stays in it. Returns the transient account's lamports.
    pub fn stake_in(&self, index: u32, lamports: u64, epoch: u64) -> Result<u64> {
        let pool_key = self.pool.key();
        let seeds = self.pool.authority_seeds(&pool_key);
        let stake = self.stake_calls(&seeds);
        let minimum = stake.minimum_delegation()?;
        let rent = Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE);
        self.with_idle_entry(index, |entry| {
            require_gte!(lamports, minimum, TributaryError::BelowMinimumDelegation);
            let keep = self.pool.reserve_for_tickets(rent)?;
            self.create_transient(entry, rent.safe_add(lamports)?, keep)?;
            stake.initialize(&self.transient_stake, &self.rent)?;
            stake.delegate(&self.transient_stake, &self.vote, &self.stake_config)?;
            self.record_transient(entry, TransientState::Activating, epoch)
        })
    }

    /// Moves `lamports` of the validator at `index` back towards the reserve: split off its
    /// stake into its transient account and deactivated; the crank returns them once inactive.
    /// Returns the transient account's lamports.
    pub fn stake_out(&self, index: u32, lamports: u64, epoch: u64) -> Result<u64> {
        let pool_key = self.pool.key();
        let seeds = self.pool.authority_seeds(&pool_key);
        let stake = self.stake_calls(&seeds);
        let minimum = stake.minimum_delegation()?;
        let rent = Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE);
        self.with_idle_entry(index, |entry| {
            let (_, validator_stake) = delegated_stake(&self.validator_stake)?;
            require_splittable(validator_stake.delegation.stake, lamports, minimum)?;
            // The split-off account must already hold its rent: it comes from the reserve, even
            // from what tickets are owed, since it returns there with the stake that pays them.
            self.create_transient(entry, rent, 0)?;
            stake.split(&self.validator_stake, &self.transient_stake, lamports)?;
            stake.deactivate(&self.transient_stake)?;
            entry.active_lamports = entry.active_lamports.safe_sub(lamports)?;
            self.record_transient(entry, TransientState::Deactivating, epoch)
        })
    }

    /// Turns back the stake on its way in to the validator at `index`, for tickets: its
    /// activating transient is deactivated, before any of it earns (a transient delegated this
    /// epoch is inactive at once), and the crank returns it to the reserve. Returns the
    /// transient account's lamports.
    pub fn turn_back_activation(&self, index: u32, epoch: u64) -> Result<u64> {
        let pool_key = self.pool.key();
        let seeds = self.pool.authority_seeds(&pool_key);
        let stake = self.stake_calls(&seeds);
        self.with_own_entry(index, |entry| {
            require!(
                entry.transient_state() == TransientState::Activating,
                TributaryError::AtTarget
            );
            stake.deactivate(&self.transient_stake)?;
            self.record_transient(entry, TransientState::Deactivating, epoch)
        })
    }

    /// Runs `action` on the entry at `index`, which must be this instruction's validator and
    /// accounts, active and with no stake on its way in or out.
    fn with_idle_entry<T>(
        &self,
        index: u32,
        action: impl FnOnce(&mut ValidatorEntry) -> Result<T>,
    ) -> Result<T> {
        self.with_own_entry(index, |entry| {
            entry.require_idle()?;
            action(entry)
        })
    }

    /// Runs `action` on the entry at `index`, which must be this instruction's validator and
    /// accounts, and active.
    fn with_own_entry<T>(
        &self,
        index: u32,
        action: impl FnOnce(&mut ValidatorEntry) -> Result<T>,
    ) -> Result<T> {
        self.validator_list.list_mut()?.update(index, |entry| {
            entry.require_stake_accounts(
                &self.vote.key(),
                &self.validator_stake.key(),
                &self.transient_stake.key(),
            )?;
            action(entry)
        })
    }

    /// Creates the transient stake account from the reserve with `lamports` in it, leaving
    /// `keep` in the reserve.
    fn create_transient(&self, entry: &ValidatorEntry, lamports: u64, keep: u64) -> Result<()> {
        let pool = self.pool.key();
        let seeds: &[&[u8]] = &[
            TRANSIENT_STAKE_SEED,
            pool.as_ref(),
            entry.vote.as_ref(),
            &[entry.transient_stake_bump],
        ];
        create_stake_account_from_reserve(
            &self.system_program.to_account_info(),
            &self.reserve,
            &self.transient_stake,
            lamports,
            keep,
            seeds,
        )
    }

    /// Records the transient account's new state; returns its lamports.
    fn record_transient(
        &self,
        entry: &mut ValidatorEntry,
        state: TransientState,
        epoch: u64,
    ) -> Result<u64> {
        entry.transient_lamports = self.transient_stake.lamports();
        entry.set_transient_state(state);
        entry.transient_epoch = epoch;
        Ok(entry.transient_lamports)
    }
}
