//! One event per state change. Each carries its inputs and outputs, including the rate's
//! inputs (`total_lamports`, `share_supply`) after the change, so an indexer can recompute.

use anchor_lang::prelude::*;
use anchor_lang::Event;

use crate::state::{Fees, Strategy};

/// Logs `event` as `Program data: <base64>`, the form Anchor's event parsers read. Natively
/// (tests, the embedded bank) Anchor's `emit!` and `msg!` do not reach the transaction's logs, so
/// the same bytes go through the runtime's log stub, as `Program log: Program data: <base64>`.
pub fn record<E: Event>(event: &E) {
    #[cfg(target_os = "solana")]
    emit!(*event);
    #[cfg(not(target_os = "solana"))]
    {
        use base64::Engine;
        solana_sysvar::program_stubs::sol_log(&format!(
            "Program data: {}",
            base64::engine::general_purpose::STANDARD.encode(event.data())
        ));
    }
}

#[event]
pub struct InitializePoolEvent {
    pub pool: Pubkey,
    pub admin: Pubkey,
    pub operator: Pubkey,
    pub mint: Pubkey,
    pub treasury: Pubkey,
    pub fees: Fees,
    /// Lamports the admin locked as shares nobody can redeem.
    pub locked_lamports: u64,
    pub epoch: u64,
}

#[event]
pub struct DepositSolEvent {
    pub pool: Pubkey,
    pub depositor: Pubkey,
    pub lamports: u64,
    pub user_shares: u64,
    /// The deposit fee, and the treasury's shares for it.
    pub fee_lamports: u64,
    pub fee_shares: u64,
    pub total_lamports: u64,
    pub share_supply: u64,
}

#[event]
pub struct WithdrawSolEvent {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub shares: u64,
    /// The withdrawal fee, and the treasury's shares for it.
    pub fee_lamports: u64,
    pub fee_shares: u64,
    pub lamports: u64,
    pub total_lamports: u64,
    pub share_supply: u64,
}

#[event]
pub struct UpdatePoolEvent {
    pub pool: Pubkey,
    pub epoch: u64,
    pub previous_update_epoch: u64,
    /// What the stakers and the tickets own: the reserve above its rent and every validator's
    /// lamports, less the floors the validators' stake accounts keep.
    pub assets: u64,
    /// Growth beyond the tips since the last roll: staking rewards, lamports swept from stake
    /// accounts, donations.
    pub rewards: u64,
    /// Tips distributed since the last roll, counted now: the stakers' and the protocol's.
    pub tips: u64,
    /// What the pool held short of what it owed (see `LossEvent`).
    pub loss: u64,
    pub epoch_fee_lamports: u64,
    pub mev_fee_lamports: u64,
    /// The treasury's new shares, worth both fees; owed until `mint_treasury_shares`.
    pub fee_shares: u64,
    pub fees: Fees,
    pub fees_rolled: bool,
    pub total_lamports: u64,
    pub ticket_lamports: u64,
    pub share_supply: u64,
    pub share_price: f64,
    /// Validator list entries the roll read: only those it dropped, however long the list.
    pub entries_read: u32,
}

/// A loss counted at an epoch roll, shared pro rata by the stakers and the open tickets.
#[event]
pub struct LossEvent {
    pub pool: Pubkey,
    pub epoch: u64,
    pub loss: u64,
    pub stakers_loss: u64,
    pub tickets_loss: u64,
    /// What the open tickets are owed now, over their units.
    pub ticket_lamports: u64,
    pub ticket_units: u64,
    pub total_lamports: u64,
    pub share_supply: u64,
}

#[event]
pub struct MintTreasurySharesEvent {
    pub pool: Pubkey,
    pub treasury: Pubkey,
    pub shares: u64,
}

#[event]
pub struct SetFeesEvent {
    pub pool: Pubkey,
    pub requested: Fees,
    pub fees: Fees,
    pub pending_fees: Fees,
    pub pending_fees_epoch: u64,
}

#[event]
pub struct ProposeAdminEvent {
    pub pool: Pubkey,
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

#[event]
pub struct AcceptAdminEvent {
    pub pool: Pubkey,
    pub previous_admin: Pubkey,
    pub admin: Pubkey,
}

#[event]
pub struct SetOperatorEvent {
    pub pool: Pubkey,
    pub previous_operator: Pubkey,
    pub operator: Pubkey,
}

#[event]
pub struct SetTreasuryEvent {
    pub pool: Pubkey,
    pub previous_treasury: Pubkey,
    pub treasury: Pubkey,
}

#[event]
pub struct SetPausedEvent {
    pub pool: Pubkey,
    pub paused: bool,
}

#[event]
pub struct AddValidatorEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    pub validator_stake: Pubkey,
    /// Lamports in the new stake account.
    pub lamports: u64,
    /// What the operator paid for it: its rent and minimum delegation, the floor it keeps.
    pub floor_lamports: u64,
    pub validator_index: u32,
}

#[event]
pub struct ValidatorStakeEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    /// True for reserve → validator, false for validator → reserve.
    pub increase: bool,
    pub lamports: u64,
    pub transient_lamports: u64,
    pub epoch: u64,
}

#[event]
pub struct RemoveValidatorEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    pub active_lamports: u64,
    /// Removed by anyone because the Stake program had deactivated its stake, not by the
    /// operator.
    pub delinquent: bool,
    pub epoch: u64,
}

#[event]
pub struct ValidatorRemovedEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    pub epoch: u64,
}

#[event]
pub struct UpdateValidatorsEvent {
    pub pool: Pubkey,
    pub epoch: u64,
    pub start_index: u32,
    pub count: u32,
    /// Lamports moved into the reserve: swept excess and inactive stake.
    pub lamports_to_reserve: u64,
    pub merged: u32,
    /// Validator list entries the batch read: its own.
    pub entries_read: u32,
}

/// A stake account at a list entry's address that the pool does not control (authorities or
/// vote account not the pool's): left uncounted, as a loss.
#[event]
pub struct StakeAccountRejectedEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    pub stake_account: Pubkey,
    pub lamports: u64,
}

#[event]
pub struct ReallocValidatorListEvent {
    pub pool: Pubkey,
    pub capacity: u32,
}

#[event]
pub struct DepositStakeEvent {
    pub pool: Pubkey,
    pub depositor: Pubkey,
    pub stake_account: Pubkey,
    pub vote: Pubkey,
    pub lamports: u64,
    /// Of `lamports`, what was above the delegation and its rent-exempt reserve: priced as
    /// SOL, as the rest, and swept into the reserve by the next crank.
    pub liquid_lamports: u64,
    pub user_shares: u64,
    pub fee_lamports: u64,
    pub fee_shares: u64,
    pub total_lamports: u64,
    pub share_supply: u64,
}

#[event]
pub struct WithdrawStakeEvent {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub vote: Pubkey,
    pub stake_account: Pubkey,
    pub shares: u64,
    pub fee_lamports: u64,
    pub fee_shares: u64,
    pub lamports: u64,
    pub total_lamports: u64,
    pub share_supply: u64,
}

#[event]
pub struct SetTipRateCapEvent {
    pub pool: Pubkey,
    pub previous: u16,
    pub tip_rate_cap_bps: u16,
}

#[event]
pub struct CreateMevVaultEvent {
    pub pool: Pubkey,
    pub vault: Pubkey,
    /// The validator's vote account; the default key for a pool tip account.
    pub vote: Pubkey,
}

#[event]
pub struct SetMevCommissionEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    pub payout: Pubkey,
    pub commission_bps: u16,
    /// The commission in force now and the epoch from which `commission_bps` applies.
    pub in_force_bps: u16,
    pub effective_epoch: u64,
}

#[event]
pub struct DistributeEvent {
    pub pool: Pubkey,
    pub vault: Pubkey,
    pub vote: Pubkey,
    pub epoch: u64,
    /// Tips in the vault before the distribution.
    pub tips: u64,
    pub processed: u64,
    /// Held back by the rate cap, for later distributions.
    pub held_back: u64,
    pub commission_bps: u16,
    pub to_validator: u64,
    pub to_protocol: u64,
    pub to_stakers: u64,
    /// Tips waiting in the reserve for the next epoch roll, this one's included.
    pub pending_tips_to_stakers: u64,
    pub pending_tips_to_protocol: u64,
}

#[event]
pub struct OrderUnstakeEvent {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub ticket: Pubkey,
    pub shares: u64,
    pub fee_lamports: u64,
    pub fee_shares: u64,
    pub lamports: u64,
    pub units: u64,
    pub epoch: u64,
    pub total_lamports: u64,
    pub share_supply: u64,
    pub ticket_lamports: u64,
    pub ticket_units: u64,
}

#[event]
pub struct ClaimTicketEvent {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub ticket: Pubkey,
    /// Paid: what the ticket was owed when ordered, less its share of any loss since.
    pub lamports: u64,
    pub ordered_lamports: u64,
    pub ticket_lamports: u64,
    pub ticket_units: u64,
}

#[event]
pub struct TransferTicketEvent {
    pub pool: Pubkey,
    pub ticket: Pubkey,
    pub previous_owner: Pubkey,
    pub owner: Pubkey,
}

#[event]
pub struct SetStrategyEvent {
    pub pool: Pubkey,
    pub previous: Strategy,
    pub strategy: Strategy,
}

/// The token's metadata after `set_metadata`.
#[event]
pub struct SetMetadataEvent {
    pub pool: Pubkey,
    pub name: String,
    pub symbol: String,
    pub uri: String,
}

#[event]
pub struct SetLookupTableEvent {
    pub pool: Pubkey,
    pub previous: Pubkey,
    pub lookup_table: Pubkey,
}

#[event]
pub struct SetWeightEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    pub previous: u32,
    pub weight: u32,
}

#[event]
pub struct ScoreValidatorEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    pub epoch: u64,
    pub commission_bps: u16,
    pub voting: bool,
    pub mev_commission_bps: u16,
    pub mev_to_stakers: u64,
    pub staked: u64,
    pub score: u64,
}

#[event]
pub struct RebalanceEvent {
    pub pool: Pubkey,
    pub vote: Pubkey,
    pub epoch: u64,
    pub target: u64,
    /// The validator's lamports before the move.
    pub current: u64,
    pub increase: bool,
    pub lamports: u64,
    pub transient_lamports: u64,
    pub moved_this_epoch: u64,
    /// Validator list entries the instruction read to plan the move: one, however long the list.
    pub entries_read: u32,
}
