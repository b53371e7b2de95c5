use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::cpi::{burn_shares, require_burnable};
use crate::errors::TributaryError;
use crate::events::{record, WithdrawStakeEvent};
use crate::instructions::stake_program_accounts::*;
use crate::safe_math::SafeMath;
use crate::stake::{delegated_stake, require_splittable, StakeState};
use crate::state::{ListAccount, Pool, ValidatorList};

/// Arguments of `withdraw_stake`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct WithdrawStakeArgs {
    /// Position in the list of the validator to take the stake from.
    pub validator_index: u32,
    /// Shares to redeem.
    pub shares: u64,
    /// Slippage bound: the withdrawal fails if the stake split off would be smaller.
    pub min_lamports_out: u64,
}

/// Withdraws as stake (staker): burns the shares and splits their value, less the withdrawal
/// fee, off the validator's stake into `destination_stake`, a new stake account the staker
/// created (allocated to the Stake program, rent paid) in the same transaction, whose
/// authorities are then handed to the staker.
#[derive(Accounts)]
pub struct WithdrawStake<'info> {
    /// Owns the shares, signs, and becomes the new stake account's authority.
    pub owner: Signer<'info>,
    #[account(
        mut,
        has_one = mint @ TributaryError::WrongPoolAccount,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// CHECK: the validator's stake account, checked against its list entry.
    #[account(mut)]
    pub validator_stake: UncheckedAccount<'info>,
    /// A new stake account the owner created (allocated to the Stake program, rent paid) in the
    /// same transaction: receives the split, then its authorities are the owner's.
    /// CHECK: must be an uninitialised stake account, checked by `validate`.
    #[account(mut)]
    pub destination_stake: UncheckedAccount<'info>,
    /// CHECK: the pool's authority PDA, checked by `has_one`.
    pub authority: UncheckedAccount<'info>,
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The owner's token account of the pool's token: the shares are burned from it.
    #[account(
        mut,
        constraint = owner_token.mint == pool.mint @ TributaryError::WrongMint,
        constraint = owner_token.owner == owner.key() @ TributaryError::WrongTokenOwner,
    )]
    pub owner_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub stake: StakeProgramAccounts<'info>,
    pub token_program: Program<'info, Token2022>,
}

impl WithdrawStake<'_> {
    fn validate(&self, args: &WithdrawStakeArgs) -> Result<()> {
        require_burnable(self.owner_token.amount, args.shares)?;
        require!(
            matches!(
                crate::stake::stake_state(&self.destination_stake)?,
                StakeState::Uninitialized
            ),
            TributaryError::NotStakeAccount
        );
        let list = self.validator_list.list()?;
        let entry = list.get(args.validator_index)?;
        entry.require_staked(&self.validator_stake.key())?;
        // Stake split off an account that lost lamports the pool has not counted yet would
        // leave the loss to those who stay.
        require!(
            !entry.loss_uncounted(self.validator_stake.lamports()),
            TributaryError::LossNotCounted
        );
        Ok(())
    }
}

pub fn handle_withdraw_stake(ctx: Context<WithdrawStake>, args: WithdrawStakeArgs) -> Result<()> {
    ctx.accounts.validate(&args)?;
    let accounts = ctx.accounts;
    accounts.pool.refresh(&Clock::get()?)?;
    let (quote, supply_after) = accounts.pool.price_withdrawal(
        args.shares,
        accounts.mint.supply,
        args.min_lamports_out,
        accounts.pool.fees.withdrawal_bps,
    )?;

    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake.calls(&accounts.authority, &seeds);
    let (_, validator_stake) = delegated_stake(&accounts.validator_stake)?;
    require_splittable(
        validator_stake.delegation.stake,
        quote.lamports,
        stake.minimum_delegation()?,
    )?;

    burn_shares(
        &accounts.token_program.to_account_info(),
        &accounts.mint.to_account_info(),
        &accounts.owner_token.to_account_info(),
        &accounts.owner.to_account_info(),
        args.shares,
    )?;
    stake.split(
        &accounts.validator_stake,
        &accounts.destination_stake,
        quote.lamports,
    )?;
    stake.authorize_both(&accounts.destination_stake, &accounts.owner.key())?;

    let vote = accounts
        .validator_list
        .list_mut()?
        .update(args.validator_index, |entry| {
            entry.active_lamports = entry.active_lamports.safe_sub(quote.lamports)?;
            Ok(entry.vote)
        })?;
    let pool = &mut accounts.pool;
    pool.debit(quote.lamports)?;
    pool.owe_treasury(quote.fee_shares)?;
    record(&WithdrawStakeEvent {
        pool: pool_key,
        owner: accounts.owner.key(),
        vote,
        stake_account: accounts.destination_stake.key(),
        shares: args.shares,
        fee_lamports: quote.fee_lamports,
        fee_shares: quote.fee_shares,
        lamports: quote.lamports,
        total_lamports: pool.total_lamports,
        share_supply: supply_after,
    });
    Ok(())
}
