use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, RemoveValidatorEvent};
use crate::instructions::stake_program_accounts::*;
use crate::stake::pool_stake;
use crate::state::{ListAccount, MevVault, Pool, TransientState, ValidatorList, ValidatorStatus};

/// Arguments of `remove_validator`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct RemoveValidatorArgs {
    /// The validator's position in the validator list.
    pub validator_index: u32,
}

/// Starts removing a validator: deactivates all its stake. The entry stays, and its lamports
/// stay in the ledger, until the crank has returned every lamport to the reserve.
///
/// The operator removes any validator with no stake on its way in or out. Anyone removes one
/// whose stake the Stake program has deactivated (`DeactivateDelinquent`, open to anyone once a
/// validator stops voting): its stake on its way in is turned back too, so no stake of the pool
/// waits on a validator that will not merge it.
#[derive(Accounts)]
pub struct RemoveValidator<'info> {
    /// The operator, or anyone for a validator the Stake program deactivated.
    pub caller: Signer<'info>,
    #[account(
        mut,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// CHECK: the pool's authority PDA, checked by `has_one`; stake authority.
    pub authority: UncheckedAccount<'info>,
    /// CHECK: the validator's vote account, checked against its list entry.
    pub vote: UncheckedAccount<'info>,
    /// CHECK: the validator's stake PDA, checked against the address stored in its entry.
    #[account(mut)]
    pub validator_stake: UncheckedAccount<'info>,
    /// CHECK: the validator's transient stake PDA, checked against its entry.
    #[account(mut)]
    pub transient_stake: UncheckedAccount<'info>,
    /// Its commission stops; tips still reach the stakers.
    #[account(
        mut,
        has_one = pool @ TributaryError::WrongPoolAccount,
        constraint = mev_vault.vote == vote.key() @ TributaryError::ValidatorAccountsMismatch,
    )]
    pub mev_vault: Box<Account<'info, MevVault>>,
    pub stake: StakeProgramAccounts<'info>,
}

impl RemoveValidator<'_> {
    /// Whether the Stake program deactivated the validator's stake; otherwise the caller must be
    /// the operator, of an open pool.
    fn validate(&self, epoch: u64) -> Result<bool> {
        let delinquent = pool_stake(
            &self.validator_stake,
            &self.pool.authority,
            &self.vote.key(),
        )
        .is_some_and(|(_, stake)| stake.delegation.deactivation_epoch != u64::MAX);
        if !delinquent {
            require_keys_eq!(
                self.caller.key(),
                self.pool.operator,
                TributaryError::NotOperator
            );
            require!(!self.pool.paused, TributaryError::Paused);
            self.pool.require_fresh(epoch)?;
        }
        Ok(delinquent)
    }
}

pub fn handle_remove_validator(ctx: Context<RemoveValidator>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let delinquent = ctx.accounts.validate(epoch)?;
    let accounts = &ctx.accounts;
    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake.calls(&accounts.authority, &seeds);
    let active_lamports = accounts
        .validator_list
        .list_mut()?
        .update(validator_index, |entry| {
            entry.require_stake_accounts(
                &accounts.vote.key(),
                &accounts.validator_stake.key(),
                &accounts.transient_stake.key(),
            )?;
            if delinquent {
                if entry.transient_state() == TransientState::Activating {
                    stake.deactivate(&accounts.transient_stake)?;
                    entry.set_transient_state(TransientState::Deactivating);
                }
            } else {
                entry.require_idle()?;
                stake.deactivate(&accounts.validator_stake)?;
            }
            entry.set_status(ValidatorStatus::Removing);
            Ok(entry.active_lamports)
        })?;
    ctx.accounts.mev_vault.pays_commission = false;

    record(&RemoveValidatorEvent {
        pool: pool_key,
        vote: ctx.accounts.vote.key(),
        active_lamports,
        delinquent,
        epoch,
    });
    Ok(())
}
