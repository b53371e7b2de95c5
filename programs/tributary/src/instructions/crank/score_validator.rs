use anchor_lang::prelude::*;

use crate::constants::MEV_LEDGER_EPOCHS;
use crate::errors::TributaryError;
use crate::events::{record, ScoreValidatorEvent};
use crate::math::{trusted_stake_epochs, validator_score};
use crate::safe_math::OrOverflow;
use crate::state::{ListAccount, MevVault, Pool, ValidatorList};
use crate::vote::read_vote_summary;

/// Arguments of `score_validator`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct ScoreValidatorArgs {
    /// The validator's position in the validator list.
    pub validator_index: u32,
}

/// Scores a validator (anyone) from what the pool can see: its commission, read from its vote
/// account, and the MEV its vault paid the stakers over the ledger's epochs per SOL it had
/// staked in each of them, counting at least the pool's average stake per validator. A
/// validator that has not earned vote credits in this or the last epoch, or whose declared MEV
/// commission is above the pool's cap, scores zero.
#[derive(Accounts)]
pub struct ScoreValidator<'info> {
    #[account(has_one = validator_list @ TributaryError::WrongPoolAccount)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// CHECK: must be the vote account of the entry, checked in the handler, and is read there.
    pub vote: UncheckedAccount<'info>,
    #[account(
        has_one = pool @ TributaryError::WrongPoolAccount,
        constraint = mev_vault.vote == vote.key() @ TributaryError::UnknownValidator,
    )]
    pub mev_vault: Box<Account<'info, MevVault>>,
}

pub fn handle_score_validator(ctx: Context<ScoreValidator>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let accounts = &ctx.accounts;
    let summary = read_vote_summary(&accounts.vote.try_borrow_data()?)
        .filter(|_| accounts.vote.owner == &crate::constants::VOTE_PROGRAM_ID)
        .ok_or(TributaryError::NotVoteAccount)?;
    let voting = summary
        .last_credited_epoch
        .is_some_and(|credited| credited + 1 >= epoch);
    let vault = &accounts.mev_vault;
    let fair_mev = vault.declared_commission(epoch) <= accounts.pool.fees.mev_commission_cap_bps;
    let window_start = epoch.saturating_sub(MEV_LEDGER_EPOCHS as u64 - 1);
    let window = vault
        .ledger
        .iter()
        .filter(|record| record.epoch >= window_start && record.epoch <= epoch && record.stake > 0);
    let mut mev_to_stakers = 0u64;
    let mut stake_epochs = 0u128;
    for record in window {
        mev_to_stakers = mev_to_stakers
            .checked_add(record.to_stakers)
            .or_overflow()?;
        stake_epochs += record.stake as u128;
    }

    let mut list = accounts.validator_list.list_mut()?;
    let trusted = trusted_stake_epochs(
        accounts.pool.total_lamports,
        list.header()?.validator_count as usize,
    );
    let score = if voting && fair_mev {
        validator_score(
            summary.commission_bps,
            mev_to_stakers,
            stake_epochs,
            trusted,
        )
        .or_overflow()?
    } else {
        0
    };
    let entry = list.update(validator_index, |entry| {
        entry.require_vote(&accounts.vote.key())?;
        entry.score = score;
        entry.score_epoch = epoch;
        Ok(*entry)
    })?;
    record(&ScoreValidatorEvent {
        pool: accounts.pool.key(),
        vote: entry.vote,
        epoch,
        commission_bps: summary.commission_bps,
        voting,
        mev_commission_bps: vault.declared_commission(epoch),
        mev_to_stakers,
        staked: entry.active_lamports,
        score: entry.score,
    });
    Ok(())
}
