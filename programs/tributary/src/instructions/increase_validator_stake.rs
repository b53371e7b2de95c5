use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, ValidatorStakeEvent};
use crate::instructions::manage_validator::ManageValidator;
use crate::stake::STAKE_ACCOUNT_SPACE;
use crate::state::transient_state;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct ValidatorStakeArgs {
    /// Position of the validator in the list.
    pub validator_index: u32,
    /// Lamports of stake to move.
    pub lamports: u64,
}

/// Moves stake from the reserve to a validator (operator): the lamports go to its transient
/// account and are delegated; the crank merges them into the validator's stake once active.
pub fn handle_increase_validator_stake(
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
        require_gte!(
            args.lamports,
            minimum,
            TributaryError::BelowMinimumDelegation
        );
        let lamports = rent
            .checked_add(args.lamports)
            .ok_or(TributaryError::MathOverflow)?;
        // What tickets are owed stays in the reserve.
        accounts.create_transient(entry, lamports, accounts.pool.ticket_lamports)?;
        stake.initialize(&accounts.transient_stake, &accounts.rent)?;
        stake.delegate(
            &accounts.transient_stake,
            &accounts.vote,
            &accounts.stake_config,
        )?;
        entry.transient_lamports = accounts.transient_stake.lamports();
        entry.transient_state = transient_state::ACTIVATING;
        entry.transient_epoch = epoch;
        Ok(entry.transient_lamports)
    })?;
    record(&ValidatorStakeEvent {
        pool: pool_key,
        vote: accounts.vote.key(),
        increase: true,
        lamports: args.lamports,
        transient_lamports,
        epoch,
    });
    Ok(())
}
