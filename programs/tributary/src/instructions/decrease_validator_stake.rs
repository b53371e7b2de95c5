use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, ValidatorStakeEvent};
use crate::instructions::manage_validator::ManageValidator;
use crate::instructions::ValidatorStakeArgs;
use crate::stake::{delegated_stake, STAKE_ACCOUNT_SPACE};
use crate::state::transient_state;

/// Moves stake from a validator back towards the reserve (operator): `lamports` are split off
/// its stake into its transient account and deactivated; the crank returns them to the reserve
/// once inactive.
pub fn handle_decrease_validator_stake(
    ctx: Context<ManageValidator>,
    args: ValidatorStakeArgs,
) -> Result<()> {
    let accounts = &ctx.accounts;
    let epoch = Clock::get()?.epoch;
    accounts.require_open(epoch)?;
    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake_calls(&seeds);
    let minimum = stake.minimum_delegation()?;
    let rent = Rent::get()?.minimum_balance(STAKE_ACCOUNT_SPACE);

    let transient_lamports = accounts.with_entry(args.validator_index, |entry| {
        entry.require_idle()?;
        let (_, validator_stake) = delegated_stake(&accounts.validator_stake)?;
        let remaining = validator_stake
            .delegation
            .stake
            .checked_sub(args.lamports)
            .ok_or(TributaryError::BelowMinimumDelegation)?;
        require_gte!(remaining, minimum, TributaryError::BelowMinimumDelegation);
        require_gte!(
            args.lamports,
            minimum,
            TributaryError::BelowMinimumDelegation
        );

        // The split-off account must already hold its rent: it comes from the reserve, even from
        // what tickets are owed, since it returns there with the stake that pays them.
        accounts.create_transient(entry, rent, 0)?;
        stake.split(
            &accounts.validator_stake,
            &accounts.transient_stake,
            args.lamports,
        )?;
        stake.deactivate(&accounts.transient_stake)?;
        entry.active_lamports = entry
            .active_lamports
            .checked_sub(args.lamports)
            .ok_or(TributaryError::MathOverflow)?;
        entry.transient_lamports = accounts.transient_stake.lamports();
        entry.transient_state = transient_state::DEACTIVATING;
        entry.transient_epoch = epoch;
        Ok(entry.transient_lamports)
    })?;
    record(&ValidatorStakeEvent {
        pool: pool_key,
        vote: accounts.vote.key(),
        increase: false,
        lamports: args.lamports,
        transient_lamports,
        epoch,
    });
    Ok(())
}
