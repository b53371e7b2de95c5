use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, CollectStakeTipsEvent};
use crate::instructions::mev::release_into_reserve;
use crate::instructions::stake_program_accounts::*;
use crate::safe_math::SafeMath;
use crate::stake::delegated_stake;
use crate::state::{ListAccount, MevVault, Pool, TipPath, ValidatorList};

/// Arguments of `collect_stake_tips`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct CollectStakeTipsArgs {
    /// The validator's position in the validator list.
    pub validator_index: u32,
}

/// Collects what reached a validator's stake account above its delegation, its rent and the
/// pool's own lamports (anyone, any time): Jito's tip-distribution claims, or anything the
/// validator sent there. It is that validator's MEV to the stakers: withdrawn into its vault,
/// split between the protocol's MEV fee and the stakers (no commission: Jito's pays it before),
/// recorded in its ledger beside its vault's tips, and released into the reserve under the tip
/// rate cap like them, counted at the next roll. A removed validator's stake account is not
/// collected: what reaches it joins the reserve with the rest of its stake, as rewards.
#[derive(Accounts)]
pub struct CollectStakeTips<'info> {
    #[account(
        mut,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
        has_one = reserve @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// The validator's vault: holds the split until the rate cap lets it into the reserve.
    #[account(mut, has_one = pool @ TributaryError::WrongPoolAccount)]
    pub mev_vault: Box<Account<'info, MevVault>>,
    /// CHECK: the validator's stake PDA, checked against its list entry.
    #[account(mut)]
    pub validator_stake: UncheckedAccount<'info>,
    /// CHECK: the pool's reserve, checked by `has_one`.
    #[account(mut)]
    pub reserve: UncheckedAccount<'info>,
    /// CHECK: the pool's authority PDA, checked by `has_one`; the stake account's withdrawer.
    pub authority: UncheckedAccount<'info>,
    pub stake: StakeProgramAccounts<'info>,
}

pub fn handle_collect_stake_tips(
    ctx: Context<CollectStakeTips>,
    validator_index: u32,
) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let accounts = ctx.accounts;
    let entry = {
        let list = accounts.validator_list.list()?;
        let entry = list.get(validator_index)?;
        entry.require_vote(&accounts.mev_vault.vote)?;
        entry.require_staked(&accounts.validator_stake.key())?;
        *entry
    };
    let stake = entry.total_lamports()?;
    let (meta, validator_stake) = delegated_stake(&accounts.validator_stake)?;
    let tips = entry.stake_account_tips(
        accounts.validator_stake.lamports(),
        validator_stake.delegation.stake,
        meta.rent_exempt_reserve,
    );
    require_gt!(tips, 0, TributaryError::NoTips);

    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let vault_info = accounts.mev_vault.to_account_info();
    accounts.stake.calls(&accounts.authority, &seeds).withdraw(
        &accounts.validator_stake,
        &vault_info,
        tips,
    )?;

    let pool = &mut accounts.pool;
    let vault = &mut accounts.mev_vault;
    let split = vault.hold_stake_account_tips(tips, pool.fees.mev_bps)?;
    vault.record(epoch, stake, &split, TipPath::StakeAccount)?;
    pool.mev_totals.add(&split, TipPath::StakeAccount)?;
    let (released_to_stakers, released_to_protocol) =
        release_into_reserve(pool, vault, &vault_info, &accounts.reserve)?;
    record(&CollectStakeTipsEvent {
        pool: pool_key,
        vote: vault.vote,
        epoch,
        collected: tips,
        to_protocol: split.to_protocol,
        to_stakers: split.to_stakers,
        released_to_stakers,
        released_to_protocol,
        held_back: vault.held_to_stakers.safe_add(vault.held_to_protocol)?,
        pending_tips_to_stakers: pool.tips.pending_to_stakers,
        pending_tips_to_protocol: pool.tips.pending_to_protocol,
    });
    Ok(())
}
