//! Tributary: a liquid-staking pool for Solana with MEV tips split on-chain.

// Anchor's macros expand to cfgs and patterns newer compilers warn about.
#![allow(unexpected_cfgs, clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod cpi;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod jito;
pub mod math;
pub mod safe_math;
pub mod stake;
pub mod state;
pub mod vote;

use instructions::*;
use state::{Fees, Strategy};

declare_id!("TriyRMx7rPygAiEsXPhNMzPNLUFXwPCmvP5rbudp1ir");

#[program]
pub mod tributary {
    use super::*;

    // Setting a pool up.

    /// Creates a pool (its reserve, validator list, mint and treasury account); the signer
    /// becomes its admin and locks a seed of shares nobody can redeem.
    pub fn initialize_pool<'info>(
        ctx: Context<'info, InitializePool<'info>>,
        args: InitializePoolArgs,
    ) -> Result<()> {
        handle_initialize_pool(ctx, args)
    }

    /// Creates the pool's tip accounts not tied to a validator (anyone, who pays their rent).
    pub fn create_pool_tip_accounts<'info>(
        ctx: Context<'info, CreatePoolTipAccounts<'info>>,
    ) -> Result<()> {
        handle_create_pool_tip_accounts(ctx)
    }

    /// Grows the validator list by up to 10 KiB (anyone, who pays the rent).
    pub fn realloc_validator_list(ctx: Context<ReallocValidatorList>) -> Result<()> {
        handle_realloc_validator_list(ctx)
    }

    // Stakers.

    /// Deposits SOL for shares at the current rate, less the deposit fee.
    pub fn deposit_sol(ctx: Context<DepositSol>, args: DepositSolArgs) -> Result<()> {
        handle_deposit_sol(ctx, args)
    }

    /// Burns shares for their value in SOL from the reserve, less the withdrawal fee.
    pub fn withdraw_sol(ctx: Context<WithdrawSol>, args: WithdrawSolArgs) -> Result<()> {
        handle_withdraw_sol(ctx, args)
    }

    /// Deposits an active stake account delegated to a pool validator, for shares.
    pub fn deposit_stake(ctx: Context<DepositStake>, args: DepositStakeArgs) -> Result<()> {
        handle_deposit_stake(ctx, args)
    }

    /// Burns shares for a stake account split off a validator's stake.
    pub fn withdraw_stake(ctx: Context<WithdrawStake>, args: WithdrawStakeArgs) -> Result<()> {
        handle_withdraw_stake(ctx, args)
    }

    // Tickets.

    /// Burns shares at today's rate for a ticket, claimable after the next epoch boundary.
    pub fn order_unstake(ctx: Context<OrderUnstake>, args: OrderUnstakeArgs) -> Result<()> {
        handle_order_unstake(ctx, args.shares)
    }

    /// Pays a due ticket from the reserve and closes it.
    pub fn claim_ticket(ctx: Context<ClaimTicket>) -> Result<()> {
        handle_claim_ticket(ctx)
    }

    /// Hands a ticket to a new owner.
    pub fn transfer_ticket(ctx: Context<TransferTicket>, args: TransferTicketArgs) -> Result<()> {
        handle_transfer_ticket(ctx, args.new_owner)
    }

    // The operator.

    /// Adds a validator: its stake account, funded by the operator with the Stake program's
    /// minimum, and its MEV vault.
    pub fn add_validator(ctx: Context<AddValidator>) -> Result<()> {
        handle_add_validator(ctx)
    }

    /// Moves stake from the reserve to a validator through its transient account.
    pub fn increase_validator_stake(
        ctx: Context<MoveValidatorStake>,
        args: ValidatorStakeArgs,
    ) -> Result<()> {
        handle_increase_validator_stake(ctx, args)
    }

    /// Moves stake from a validator back towards the reserve through its transient account.
    pub fn decrease_validator_stake(
        ctx: Context<MoveValidatorStake>,
        args: ValidatorStakeArgs,
    ) -> Result<()> {
        handle_decrease_validator_stake(ctx, args)
    }

    /// Starts removing a validator (the operator; anyone once the Stake program deactivated
    /// its stake).
    pub fn remove_validator(
        ctx: Context<RemoveValidator>,
        args: RemoveValidatorArgs,
    ) -> Result<()> {
        handle_remove_validator(ctx, args.validator_index)
    }

    /// Sets the delegation strategy: mode, cap per validator, reserve buffer, movement cap.
    pub fn set_strategy(ctx: Context<OperatorAction>, strategy: Strategy) -> Result<()> {
        handle_set_strategy(ctx, strategy)
    }

    /// Sets a validator's weight for `Manual` mode.
    pub fn set_weight(ctx: Context<SetWeight>, args: SetWeightArgs) -> Result<()> {
        handle_set_weight(ctx, args)
    }

    /// Names the address lookup table that lists the pool's lookup tables, for the crank.
    pub fn set_lookup_table(ctx: Context<SetLookupTable>) -> Result<()> {
        handle_set_lookup_table(ctx)
    }

    // The epoch crank, for anyone.

    /// Brings a batch of validators up to date for this epoch.
    pub fn update_validators<'info>(
        ctx: Context<'info, UpdateValidators<'info>>,
        args: UpdateValidatorsArgs,
    ) -> Result<()> {
        handle_update_validators(ctx, args)
    }

    /// Rolls the pool into the epoch: counts rewards, tips and losses, opens deposits and exits.
    pub fn update_pool(ctx: Context<UpdatePool>) -> Result<()> {
        handle_update_pool(ctx)
    }

    /// Mints the fee shares owed to the treasury.
    pub fn mint_treasury_shares(ctx: Context<MintTreasuryShares>) -> Result<()> {
        handle_mint_treasury_shares(ctx)
    }

    /// Scores a validator from its vote account and its MEV vault.
    pub fn score_validator(ctx: Context<ScoreValidator>, args: ScoreValidatorArgs) -> Result<()> {
        handle_score_validator(ctx, args.validator_index)
    }

    /// Moves a validator's stake towards its target, tickets first.
    pub fn rebalance(ctx: Context<Rebalance>, args: RebalanceArgs) -> Result<()> {
        handle_rebalance(ctx, args.validator_index)
    }

    // MEV.

    /// Splits a tip account's tips between the validator, the protocol and the stakers.
    pub fn distribute(ctx: Context<Distribute>, args: DistributeArgs) -> Result<()> {
        handle_distribute(ctx, args.validator_index)
    }

    /// Collects what reached a validator's stake account above its delegation (Jito's claims,
    /// or anything sent there) as its MEV to the stakers, split like its vault's tips.
    pub fn collect_stake_tips(
        ctx: Context<CollectStakeTips>,
        args: CollectStakeTipsArgs,
    ) -> Result<()> {
        handle_collect_stake_tips(ctx, args.validator_index)
    }

    /// A validator declares its MEV commission and payout account (its vote account's
    /// withdrawer signs).
    pub fn set_mev_commission(
        ctx: Context<SetMevCommission>,
        args: SetMevCommissionArgs,
    ) -> Result<()> {
        handle_set_mev_commission(ctx, args)
    }

    // The admin.

    /// Sets the fees: a decrease applies at once, an increase two epoch boundaries later.
    pub fn set_fees(ctx: Context<AdminAction>, fees: Fees) -> Result<()> {
        handle_set_fees(ctx, fees)
    }

    /// Proposes a new admin, who takes over by `accept_admin`.
    pub fn propose_admin(ctx: Context<AdminAction>, args: ProposeAdminArgs) -> Result<()> {
        handle_propose_admin(ctx, args.new_admin)
    }

    /// The proposed admin takes over.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        handle_accept_admin(ctx)
    }

    /// Names the operator.
    pub fn set_operator(ctx: Context<AdminAction>, args: SetOperatorArgs) -> Result<()> {
        handle_set_operator(ctx, args.operator)
    }

    /// Names the token account fee shares are minted to.
    pub fn set_treasury(ctx: Context<SetTreasury>) -> Result<()> {
        handle_set_treasury(ctx)
    }

    /// Stops deposits and operator moves; exits keep working.
    pub fn pause(ctx: Context<AdminAction>) -> Result<()> {
        handle_pause(ctx)
    }

    /// Lets deposits and operator moves in again.
    pub fn unpause(ctx: Context<AdminAction>) -> Result<()> {
        handle_unpause(ctx)
    }

    /// Changes the token's name, symbol or URI; the admin pays any extra rent.
    pub fn set_metadata(ctx: Context<SetMetadata>, args: SetMetadataArgs) -> Result<()> {
        handle_set_metadata(ctx, args)
    }

    /// Sets how far tips may raise the share price per epoch.
    pub fn set_tip_rate_cap(ctx: Context<AdminAction>, args: SetTipRateCapArgs) -> Result<()> {
        handle_set_tip_rate_cap(ctx, args.tip_rate_cap_bps)
    }
}
