use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, ValidatorStakeEvent};
use crate::instructions::stake_program_accounts::*;
use crate::instructions::ValidatorStakeArgs;
use crate::stake::{delegated_stake, StakeCalls, STAKE_ACCOUNT_SPACE, STAKE_CONFIG_ID};
use crate::state::{split_list, transient_state, Pool, ValidatorEntry, ValidatorList};

/// Accounts of the instructions that move one validator's stake: the operator's add, increase,
/// decrease and remove, and anyone's rebalance.
#[derive(Accounts)]
pub struct ManageValidator<'info> {
    /// The pool's operator (each operator instruction checks it), or anyone for `rebalance`.
    /// Pays for the validator's MEV vault and its stake account's floor when it is added.
    #[account(mut)]
    pub caller: Signer<'info>,
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
    /// Operator moves need the operator, stop while the pool is paused, and need this epoch's
    /// rate.
    pub fn require_operator(&self, epoch: u64) -> Result<()> {
        require_keys_eq!(
            self.caller.key(),
            self.pool.operator,
            TributaryError::NotOperator
        );
        self.require_open(epoch)
    }

    /// Stake moves stop while the pool is paused, and need this epoch's rate.
    pub fn require_open(&self, epoch: u64) -> Result<()> {
        require!(!self.pool.paused, TributaryError::Paused);
        self.pool.require_fresh(epoch)
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
        self.with_entry(index, |entry| {
            entry.require_idle()?;
            require_gte!(lamports, minimum, TributaryError::BelowMinimumDelegation);
            let funded = rent
                .checked_add(lamports)
                .ok_or(TributaryError::MathOverflow)?;
            self.create_transient(entry, funded, self.pool.reserve_for_tickets(rent)?)?;
            stake.initialize(&self.transient_stake, &self.rent)?;
            stake.delegate(&self.transient_stake, &self.vote, &self.stake_config)?;
            entry.transient_lamports = self.transient_stake.lamports();
            entry.transient_state = transient_state::ACTIVATING;
            entry.transient_epoch = epoch;
            Ok(entry.transient_lamports)
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
        self.with_entry(index, |entry| {
            entry.require_idle()?;
            let (_, validator_stake) = delegated_stake(&self.validator_stake)?;
            let remaining = validator_stake
                .delegation
                .stake
                .checked_sub(lamports)
                .ok_or(TributaryError::BelowMinimumDelegation)?;
            require_gte!(remaining, minimum, TributaryError::BelowMinimumDelegation);
            require_gte!(lamports, minimum, TributaryError::BelowMinimumDelegation);
            // The split-off account must already hold its rent: it comes from the reserve, even
            // from what tickets are owed, since it returns there with the stake that pays them.
            self.create_transient(entry, rent, 0)?;
            stake.split(&self.validator_stake, &self.transient_stake, lamports)?;
            stake.deactivate(&self.transient_stake)?;
            entry.active_lamports = entry
                .active_lamports
                .checked_sub(lamports)
                .ok_or(TributaryError::MathOverflow)?;
            entry.transient_lamports = self.transient_stake.lamports();
            entry.transient_state = transient_state::DEACTIVATING;
            entry.transient_epoch = epoch;
            Ok(entry.transient_lamports)
        })
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

/// The operator's move of `args.lamports` into (`increase`) or out of a validator's stake.
pub fn move_validator_stake(
    accounts: &ManageValidator,
    args: ValidatorStakeArgs,
    increase: bool,
) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    accounts.require_operator(epoch)?;
    let transient_lamports = if increase {
        accounts.stake_in(args.validator_index, args.lamports, epoch)?
    } else {
        accounts.stake_out(args.validator_index, args.lamports, epoch)?
    };
    record(&ValidatorStakeEvent {
        pool: accounts.pool.key(),
        vote: accounts.vote.key(),
        increase,
        lamports: args.lamports,
        transient_lamports,
        epoch,
    });
    Ok(())
}
