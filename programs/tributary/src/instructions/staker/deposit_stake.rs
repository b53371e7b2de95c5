use anchor_lang::prelude::*;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::{Mint, TokenAccount};

use crate::cpi::mint_shares;
use crate::errors::TributaryError;
use crate::events::{record, DepositStakeEvent};
use crate::instructions::stake_program_accounts::*;
use crate::safe_math::SafeMath;
use crate::stake::{delegated_stake, is_fully_active};
use crate::state::{ListAccount, Pool, ValidatorList};

/// Arguments of `deposit_stake`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct DepositStakeArgs {
    /// Position in the list of the validator the stake is delegated to.
    pub validator_index: u32,
    /// Slippage bound: the deposit fails if it would mint fewer shares to the depositor.
    pub min_shares_out: u64,
}

/// Deposits an active stake account delegated to a pool validator (staker). The staker first
/// hands both its authorities to the pool's authority, in the same transaction; the account is
/// merged into the validator's stake and shares are minted for all its lamports, less the
/// deposit fee. Lamports above the delegation and its rent-exempt reserve are priced as SOL, as
/// the rest: the pool has one price and one deposit fee, and the crank sweeps them into the
/// reserve. The pool's own stake accounts are refused.
#[derive(Accounts)]
pub struct DepositStake<'info> {
    /// Signs; had handed the stake account's authorities to the pool's authority.
    pub depositor: Signer<'info>,
    #[account(
        mut,
        has_one = mint @ TributaryError::WrongPoolAccount,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    /// The staker's active stake account, delegated to the validator at `validator_index`; merged
    /// here.
    /// CHECK: the staker's stake account, read and checked by `validate`.
    #[account(mut)]
    pub stake_account: UncheckedAccount<'info>,
    /// CHECK: the validator's stake account, checked against its list entry.
    #[account(mut)]
    pub validator_stake: UncheckedAccount<'info>,
    /// CHECK: the pool's authority PDA, checked by `has_one`.
    pub authority: UncheckedAccount<'info>,
    #[account(mut)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The depositor's token account of the pool's token: receives the shares.
    #[account(
        mut,
        constraint = depositor_token.mint == pool.mint @ TributaryError::WrongMint,
        constraint = depositor_token.owner == depositor.key() @ TributaryError::WrongTokenOwner,
    )]
    pub depositor_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub stake: StakeProgramAccounts<'info>,
    pub token_program: Program<'info, Token2022>,
}

impl DepositStake<'_> {
    /// Checks the stake account and returns its value in lamports, its delegation, and what of
    /// it is above its delegation and rent-exempt reserve.
    fn validate(&self, args: &DepositStakeArgs, clock: &Clock) -> Result<(u64, u64, u64)> {
        require!(!self.pool.paused, TributaryError::Paused);
        let (meta, stake) = delegated_stake(&self.stake_account)?;
        let authority = self.authority.key();
        require!(
            meta.authorized.staker == authority && meta.authorized.withdrawer == authority,
            TributaryError::WrongStakeAuthority
        );
        require!(
            !meta.lockup.is_in_force(clock, None),
            TributaryError::StakeLocked
        );
        {
            let list = self.validator_list.list()?;
            let entry = list.get(args.validator_index)?;
            entry.require_vote(&stake.delegation.voter_pubkey)?;
            entry.require_staked(&self.validator_stake.key())?;
            // Its own stake accounts are the pool's already: depositing one would mint shares
            // for lamports the pool counts.
            let deposited = self.stake_account.key();
            require!(
                deposited != entry.validator_stake && deposited != entry.transient_stake,
                TributaryError::PoolStakeAccount
            );
        }
        require!(
            is_fully_active(&stake.delegation, clock.epoch, &self.stake.stake_history)?,
            TributaryError::StakeNotActive
        );
        let lamports = self.stake_account.lamports();
        let staked = stake
            .delegation
            .stake
            .saturating_add(meta.rent_exempt_reserve);
        Ok((
            lamports,
            stake.delegation.stake,
            lamports.saturating_sub(staked),
        ))
    }
}

pub fn handle_deposit_stake(ctx: Context<DepositStake>, args: DepositStakeArgs) -> Result<()> {
    let clock = Clock::get()?;
    let (lamports, delegated, liquid_lamports) = ctx.accounts.validate(&args, &clock)?;
    let accounts = ctx.accounts;
    accounts.pool.refresh(&clock)?;
    let (quote, supply_after) =
        accounts
            .pool
            .price_deposit(lamports, accounts.mint.supply, args.min_shares_out)?;

    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    let stake = accounts.stake.calls(&accounts.authority, &seeds);
    stake.merge(&accounts.validator_stake, &accounts.stake_account)?;
    mint_shares(
        &accounts.token_program.to_account_info(),
        &accounts.mint.to_account_info(),
        &accounts.depositor_token.to_account_info(),
        &accounts.authority,
        &seeds,
        quote.user_shares,
    )?;
    let vote = accounts
        .validator_list
        .list_mut()?
        .update(args.validator_index, |entry| {
            entry.active_lamports = entry.active_lamports.safe_add(lamports)?;
            // What it brings above its delegation is the depositor's, priced as SOL: the pool's
            // own, swept by the next update, never the validator's tips.
            entry.pool_excess = entry.pool_excess.safe_add(lamports.safe_sub(delegated)?)?;
            Ok(entry.vote)
        })?;

    let pool = &mut accounts.pool;
    pool.credit(lamports)?;
    pool.owe_treasury(quote.fee_shares)?;
    record(&DepositStakeEvent {
        pool: pool_key,
        depositor: accounts.depositor.key(),
        stake_account: accounts.stake_account.key(),
        vote,
        lamports,
        liquid_lamports,
        user_shares: quote.user_shares,
        fee_lamports: quote.fee_lamports,
        fee_shares: quote.fee_shares,
        total_lamports: pool.total_lamports,
        share_supply: supply_after,
    });
    Ok(())
}
