use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::instructions::stake_program_accounts::*;
use crate::stake::{StakeCalls, STAKE_CONFIG_ID};
use crate::state::{split_list, Pool, ValidatorEntry, ValidatorList};

/// Accounts of the operator's instructions on one validator: add, increase, decrease, remove.
#[derive(Accounts)]
pub struct ManageValidator<'info> {
    /// Pays for the validator's MEV vault when it is added.
    #[account(mut)]
    pub operator: Signer<'info>,
    #[account(
        has_one = operator @ TributaryError::NotOperator,
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
    /// CHECK: checked by `add_validator` (owned by the vote program) and afterwards against the
    /// list entry.
    pub vote: UncheckedAccount<'info>,
    /// CHECK: the validator's stake PDA: derived by `add_validator`, afterwards checked against
    /// the address stored in the entry.
    #[account(mut)]
    pub validator_stake: UncheckedAccount<'info>,
    /// CHECK: the validator's transient stake PDA, checked like `validator_stake`.
    #[account(mut)]
    pub transient_stake: UncheckedAccount<'info>,
    /// CHECK: the validator's MEV vault PDA `[MEV_VAULT_SEED, pool, vote]`: created (or taken
    /// back into use) by `add_validator`, which derives it, and closed to commission by
    /// `remove_validator`, which checks it against the vote account.
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

impl<'info> ManageValidator<'info> {
    /// Operator moves stop while the pool is paused, and need this epoch's rate.
    pub fn require_open(&self, epoch: u64) -> Result<()> {
        require!(!self.pool.paused, TributaryError::Paused);
        self.pool.require_fresh(epoch)
    }

    pub fn stake_calls<'a>(&'a self, authority_seeds: &'a [&'a [u8]]) -> StakeCalls<'a, 'info> {
        self.stake.calls(&self.authority, authority_seeds)
    }

    /// The entry at `index`, which must be this instruction's validator and accounts.
    pub fn with_entry<T>(
        &self,
        index: u32,
        action: impl FnOnce(&mut ValidatorEntry) -> Result<T>,
    ) -> Result<T> {
        let list = self.validator_list.as_ref();
        let mut data = list.try_borrow_mut_data()?;
        let (_, entries) = split_list(&mut data)?;
        let entry = entries
            .get_mut(index as usize)
            .ok_or(TributaryError::UnknownValidator)?;
        require_keys_eq!(
            entry.vote,
            self.vote.key(),
            TributaryError::UnknownValidator
        );
        require_keys_eq!(
            entry.validator_stake,
            self.validator_stake.key(),
            TributaryError::ValidatorAccountsMismatch
        );
        require_keys_eq!(
            entry.transient_stake,
            self.transient_stake.key(),
            TributaryError::ValidatorAccountsMismatch
        );
        action(entry)
    }

    /// Creates the transient stake account from the reserve with `lamports` in it, leaving
    /// `keep` in the reserve.
    pub fn create_transient(&self, entry: &ValidatorEntry, lamports: u64, keep: u64) -> Result<()> {
        let pool = self.pool.key();
        let seeds: &[&[u8]] = &[
            crate::constants::TRANSIENT_STAKE_SEED,
            pool.as_ref(),
            entry.vote.as_ref(),
            &[entry.transient_stake_bump],
        ];
        create_stake_account(self, &self.transient_stake, lamports, keep, seeds)
    }
}

/// Funds `stake` from the reserve up to `lamports` (less what it already holds), leaving `keep`
/// in the reserve, and makes it an uninitialised stake account.
pub fn create_stake_account<'info>(
    accounts: &ManageValidator<'info>,
    stake: &AccountInfo<'info>,
    lamports: u64,
    keep: u64,
    seeds: &[&[u8]],
) -> Result<()> {
    crate::cpi::create_stake_account_from_reserve(
        &accounts.system_program.to_account_info(),
        &accounts.reserve,
        stake,
        lamports,
        keep,
        seeds,
    )
}
