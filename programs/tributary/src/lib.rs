//! Tributary: a liquid-staking pool for Solana with MEV tips split on-chain.

// Anchor's macros expand to cfgs and patterns newer compilers warn about.
#![allow(unexpected_cfgs, clippy::result_large_err)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod cpi;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod math;
pub mod stake;
pub mod state;
pub mod vote;

use instructions::*;
use state::{Fees, Strategy};

declare_id!("TriyRMx7rPygAiEsXPhNMzPNLUFXwPCmvP5rbudp1ir");

#[program]
pub mod tributary {
    use super::*;

    pub fn initialize_pool<'info>(
        ctx: Context<'info, InitializePool<'info>>,
        args: InitializePoolArgs,
    ) -> Result<()> {
        handle_initialize_pool(ctx, args)
    }

    pub fn deposit_sol(ctx: Context<DepositSol>, args: DepositSolArgs) -> Result<()> {
        handle_deposit_sol(ctx, args)
    }

    pub fn withdraw_sol(ctx: Context<WithdrawSol>, args: WithdrawSolArgs) -> Result<()> {
        handle_withdraw_sol(ctx, args)
    }

    pub fn deposit_stake(ctx: Context<DepositStake>, args: DepositStakeArgs) -> Result<()> {
        handle_deposit_stake(ctx, args)
    }

    pub fn withdraw_stake(ctx: Context<WithdrawStake>, args: WithdrawStakeArgs) -> Result<()> {
        handle_withdraw_stake(ctx, args)
    }

    pub fn order_unstake(ctx: Context<OrderUnstake>, shares: u64) -> Result<()> {
        handle_order_unstake(ctx, shares)
    }

    pub fn claim_ticket(ctx: Context<ClaimTicket>) -> Result<()> {
        handle_claim_ticket(ctx)
    }

    pub fn transfer_ticket(ctx: Context<TransferTicket>, new_owner: Pubkey) -> Result<()> {
        handle_transfer_ticket(ctx, new_owner)
    }

    pub fn update_pool(ctx: Context<UpdatePool>) -> Result<()> {
        handle_update_pool(ctx)
    }

    pub fn mint_treasury_shares(ctx: Context<MintTreasuryShares>) -> Result<()> {
        handle_mint_treasury_shares(ctx)
    }

    pub fn set_fees(ctx: Context<AdminAction>, fees: Fees) -> Result<()> {
        handle_set_fees(ctx, fees)
    }

    pub fn propose_admin(ctx: Context<AdminAction>, new_admin: Pubkey) -> Result<()> {
        handle_propose_admin(ctx, new_admin)
    }

    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        handle_accept_admin(ctx)
    }

    pub fn set_operator(ctx: Context<AdminAction>, operator: Pubkey) -> Result<()> {
        handle_set_operator(ctx, operator)
    }

    pub fn set_treasury(ctx: Context<SetTreasury>) -> Result<()> {
        handle_set_treasury(ctx)
    }

    pub fn pause(ctx: Context<AdminAction>) -> Result<()> {
        handle_pause(ctx)
    }

    pub fn unpause(ctx: Context<AdminAction>) -> Result<()> {
        handle_unpause(ctx)
    }

    pub fn realloc_validator_list(ctx: Context<ReallocValidatorList>) -> Result<()> {
        handle_realloc_validator_list(ctx)
    }

    pub fn add_validator(ctx: Context<ManageValidator>) -> Result<()> {
        handle_add_validator(ctx)
    }

    pub fn increase_validator_stake(
        ctx: Context<ManageValidator>,
        args: ValidatorStakeArgs,
    ) -> Result<()> {
        handle_increase_validator_stake(ctx, args)
    }

    pub fn decrease_validator_stake(
        ctx: Context<ManageValidator>,
        args: ValidatorStakeArgs,
    ) -> Result<()> {
        handle_decrease_validator_stake(ctx, args)
    }

    pub fn remove_validator(ctx: Context<ManageValidator>, validator_index: u32) -> Result<()> {
        handle_remove_validator(ctx, validator_index)
    }

    pub fn create_pool_tip_accounts<'info>(
        ctx: Context<'info, CreatePoolTipAccounts<'info>>,
    ) -> Result<()> {
        handle_create_pool_tip_accounts(ctx)
    }

    pub fn set_mev_commission(
        ctx: Context<SetMevCommission>,
        args: SetMevCommissionArgs,
    ) -> Result<()> {
        handle_set_mev_commission(ctx, args)
    }

    pub fn distribute(ctx: Context<Distribute>, validator_index: u32) -> Result<()> {
        handle_distribute(ctx, validator_index)
    }

    pub fn set_tip_rate_cap(ctx: Context<AdminAction>, tip_rate_cap_bps: u16) -> Result<()> {
        handle_set_tip_rate_cap(ctx, tip_rate_cap_bps)
    }

    pub fn set_strategy(ctx: Context<OperatorAction>, strategy: Strategy) -> Result<()> {
        handle_set_strategy(ctx, strategy)
    }

    pub fn set_weight(ctx: Context<SetWeight>, args: SetWeightArgs) -> Result<()> {
        handle_set_weight(ctx, args)
    }

    pub fn score_validator(ctx: Context<ScoreValidator>, validator_index: u32) -> Result<()> {
        handle_score_validator(ctx, validator_index)
    }

    pub fn rebalance(ctx: Context<ManageValidator>, validator_index: u32) -> Result<()> {
        handle_rebalance(ctx, validator_index)
    }

    pub fn update_validators<'info>(
        ctx: Context<'info, UpdateValidators<'info>>,
        args: UpdateValidatorsArgs,
    ) -> Result<()> {
        handle_update_validators(ctx, args)
    }
}
