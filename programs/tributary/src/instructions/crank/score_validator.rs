use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, ScoreValidatorEvent};
use crate::jito::declared_tip_distribution;
use crate::math::{
    expected_mev, overflow, score_parts, scored_weight, trusted_stake_epochs, ScoreParts,
    TargetInputs,
};
use crate::safe_math::OrOverflow;
use crate::state::{
    JitoDeclaration, ListAccount, MevVault, Pool, Standing, StrategyMode, ValidatorList,
};
use crate::vote::read_vote_summary;

/// Arguments of `score_validator`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct ScoreValidatorArgs {
    /// The validator's position in the validator list.
    pub validator_index: u32,
}

/// Scores a validator (anyone) from what the pool can see, and weighs it by the strategy's
/// delegation rule. The score is the nominal staking yield after its commission (read from its
/// vote account) plus the MEV it returned to the stakers over the ledger's window per SOL it had
/// staked in it, through its vault and through its stake account, counting at least the pool's
/// average stake per validator; stake-epochs short of that count at what its Jito declaration
/// promises. The optional remaining account is its Jito tip-distribution account of this epoch
/// or the last (checked by owner and address), whose commission it records. A validator that
/// earned no vote credits in this or the last epoch, or whose declared MEV commission is above
/// the pool's cap, scores zero. Opens the epoch's ledger record, so epochs without tips count
/// their stake too.
#[derive(Accounts)]
pub struct ScoreValidator<'info> {
    #[account(has_one = validator_list @ TributaryError::WrongPoolAccount)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// CHECK: must be the vote account of the entry, checked in the handler, and is read there.
    pub vote: UncheckedAccount<'info>,
    #[account(
        mut,
        has_one = pool @ TributaryError::WrongPoolAccount,
        constraint = mev_vault.vote == vote.key() @ TributaryError::UnknownValidator,
    )]
    pub mev_vault: Box<Account<'info, MevVault>>,
}

pub fn handle_score_validator(ctx: Context<ScoreValidator>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let accounts = ctx.accounts;
    let vote = accounts.vote.key();
    let summary = read_vote_summary(&accounts.vote.try_borrow_data()?)
        .filter(|_| accounts.vote.owner == &crate::constants::VOTE_PROGRAM_ID)
        .ok_or(TributaryError::NotVoteAccount)?;
    if let Some(info) = ctx.remaining_accounts.first() {
        let declared = declared_tip_distribution(info, &vote, epoch)
            .ok_or(TributaryError::NotTipDistributionAccount)?;
        accounts.mev_vault.jito = Some(JitoDeclaration {
            epoch: declared.epoch,
            commission_bps: declared.commission_bps,
        });
    }
    let voting = summary
        .last_credited_epoch
        .is_some_and(|credited| credited + 1 >= epoch);
    let pool = &accounts.pool;
    let vault = &mut accounts.mev_vault;
    let fair_mev = vault.declared_commission(epoch) <= pool.fees.mev_commission_cap_bps;

    let mut list = accounts.validator_list.list_mut()?;
    let header = *list.header()?;
    let stake = list.get(validator_index)?.total_lamports()?;
    vault.open_record(epoch, stake);
    let window = vault.window(epoch);
    let means = header.totals.means();
    let trusted = trusted_stake_epochs(pool.total_lamports, header.validator_count as usize);
    let expected = expected_mev(means.mev_score, vault.jito_commission(epoch));
    let parts = score_parts(summary.commission_bps, &window, trusted, expected).or_overflow()?;
    let in_grace = window.epochs < u64::from(pool.strategy.rule.grace_epochs);
    let (parts, weight, standing) = match (voting, fair_mev) {
        (false, _) => (ScoreParts::default(), 0, Standing::NotVoting),
        (_, false) => (ScoreParts::default(), 0, Standing::CommissionOverCap),
        _ => {
            let (weight, standing) = scored_weight(
                parts.total(),
                parts.mev(),
                in_grace,
                means,
                &pool.strategy.rule,
            );
            (parts, weight, standing)
        }
    };
    let entry = list.update(validator_index, |entry| {
        entry.require_vote(&vote)?;
        let others = header
            .totals
            .scored_weight
            .saturating_sub(entry.strategy_weight(StrategyMode::Scored));
        let inputs = TargetInputs {
            weight,
            total_weight: others.saturating_add(weight),
            ..pool.target_inputs(&header.totals, entry)
        };
        entry.overflow = overflow(&inputs).or_overflow()?;
        entry.score = parts.total();
        entry.mev_score = parts.mev();
        entry.scored_weight = weight;
        entry.standing = standing.into();
        entry.score_epoch = epoch;
        Ok(*entry)
    })?;
    record(&ScoreValidatorEvent {
        pool: pool.key(),
        vote,
        epoch,
        commission_bps: summary.commission_bps,
        voting,
        mev_commission_bps: vault.declared_commission(epoch),
        jito_commission_bps: vault.jito_commission(epoch),
        vault_to_stakers: window.vault_to_stakers,
        stake_account_to_stakers: window.stake_account_to_stakers,
        stake_epochs: u64::try_from(window.stake_epochs).unwrap_or(u64::MAX),
        staked: entry.active_lamports,
        staking_score: parts.staking,
        vault_mev_score: parts.vault_mev,
        stake_account_mev_score: parts.stake_account_mev,
        declared_mev_score: parts.declared_mev,
        score: entry.score,
        mean_score: means.score,
        mean_mev_score: means.mev_score,
        scored_weight: weight,
        standing: standing as u8,
    });
    Ok(())
}
