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

/// A pool was created.
#[event]
pub struct InitializePoolEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The pool's admin.
    pub admin: Pubkey,
    /// The pool's operator.
    pub operator: Pubkey,
    /// The pool's token.
    pub mint: Pubkey,
    /// The token account the protocol's fee shares are minted to.
    pub treasury: Pubkey,
    /// The fees the pool starts with.
    pub fees: Fees,
    /// Lamports the admin locked as shares nobody can redeem.
    pub locked_lamports: u64,
    /// The epoch the pool was created in.
    pub epoch: u64,
}

/// SOL was deposited for shares.
#[event]
pub struct DepositSolEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Who deposited.
    pub depositor: Pubkey,
    /// Lamports deposited.
    pub lamports: u64,
    /// Shares minted to the depositor.
    pub user_shares: u64,
    /// The deposit fee, and the treasury's shares for it.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
}

/// Shares were redeemed for SOL from the reserve.
#[event]
pub struct WithdrawSolEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Whose shares were burned.
    pub owner: Pubkey,
    /// Shares burned, the fee's included.
    pub shares: u64,
    /// The withdrawal fee, and the treasury's shares for it.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// Lamports paid to the owner.
    pub lamports: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
}

/// The pool rolled into a new epoch: rewards and tips counted, fees charged.
#[event]
pub struct UpdatePoolEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The epoch rolled into.
    pub epoch: u64,
    /// The epoch of the previous roll.
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
    /// The stakers' income to be released into the share price, slot by slot, over the next
    /// epoch: this roll's growth after its fees, and what was not yet released before.
    pub locked_lamports: u64,
    /// The epoch fee on the rewards, in lamports.
    pub epoch_fee_lamports: u64,
    /// The protocol's share of the tips, in lamports.
    pub mev_fee_lamports: u64,
    /// The treasury's new shares, worth both fees; owed until `mint_treasury_shares`.
    pub fee_shares: u64,
    /// The fees in force from this epoch.
    pub fees: Fees,
    /// True when pending fees came into force at this roll.
    pub fees_rolled: bool,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// What the open tickets are owed after the change.
    pub ticket_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
    /// Lamports per share after the roll, for display (the program computes with integers).
    pub share_price: f64,
    /// Validator list entries the roll read: only those it dropped, however long the list.
    pub entries_read: u32,
}

/// A loss counted when a validator's stake account is found short, or at an epoch roll: met by
/// the validator's floor, then the income not yet released, then shared pro rata by the stakers
/// and the open tickets.
#[event]
pub struct LossEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The epoch the loss was counted in.
    pub epoch: u64,
    /// The validator whose stake account was found short, by `update_validators`; the default
    /// key for a loss counted at the roll.
    pub vote: Pubkey,
    /// The loss, in lamports.
    pub loss: u64,
    /// The part the validator's floor met: the operator's collateral, no staker's.
    pub floor_loss: u64,
    /// The part met by the stakers' income not yet released.
    pub locked_loss: u64,
    /// The stakers' part of the rest: the share price fell by it.
    pub stakers_loss: u64,
    /// The open tickets' part of the rest.
    pub tickets_loss: u64,
    /// What the open tickets are owed now, over their units.
    pub ticket_lamports: u64,
    /// The open tickets' units after the change: a ticket is owed `ticket_lamports * units /
    /// ticket_units`.
    pub ticket_units: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share supply`.
    pub total_lamports: u64,
    /// The stakers' income still to be released after the change.
    pub locked_lamports: u64,
}

/// The fee shares owed to the treasury were minted.
#[event]
pub struct MintTreasurySharesEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The treasury's token account.
    pub treasury: Pubkey,
    /// Shares minted.
    pub shares: u64,
}

/// The admin changed the fees.
#[event]
pub struct SetFeesEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The fees the admin asked for.
    pub requested: Fees,
    /// The fees in force now (a fee cut takes effect at once).
    pub fees: Fees,
    /// The fees that come into force at `pending_fees_epoch` (a rise waits
    /// `FEE_INCREASE_DELAY_EPOCHS` epochs).
    pub pending_fees: Fees,
    /// The epoch `pending_fees` come into force.
    pub pending_fees_epoch: u64,
}

/// The admin proposed a successor.
#[event]
pub struct ProposeAdminEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The admin now.
    pub admin: Pubkey,
    /// The proposed admin, who must accept.
    pub pending_admin: Pubkey,
}

/// The proposed admin took over.
#[event]
pub struct AcceptAdminEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The admin before.
    pub previous_admin: Pubkey,
    /// The admin now.
    pub admin: Pubkey,
}

/// The admin named a new operator.
#[event]
pub struct SetOperatorEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The operator before.
    pub previous_operator: Pubkey,
    /// The operator now.
    pub operator: Pubkey,
}

/// The admin named a new treasury token account.
#[event]
pub struct SetTreasuryEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The treasury before.
    pub previous_treasury: Pubkey,
    /// The treasury now.
    pub treasury: Pubkey,
}

/// The admin paused or unpaused deposits and withdrawals.
#[event]
pub struct SetPausedEvent {
    /// The pool.
    pub pool: Pubkey,
    /// True when paused.
    pub paused: bool,
}

/// The operator added a validator.
#[event]
pub struct AddValidatorEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// Its new stake account.
    pub validator_stake: Pubkey,
    /// Lamports in the new stake account.
    pub lamports: u64,
    /// What the operator paid for it: its rent and minimum delegation, the floor it keeps.
    pub floor_lamports: u64,
    /// Its position in the validator list.
    pub validator_index: u32,
}

/// Stake moved between the reserve and a validator.
#[event]
pub struct ValidatorStakeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// True for reserve → validator, false for validator → reserve.
    pub increase: bool,
    /// Lamports moved.
    pub lamports: u64,
    /// Lamports in the validator's transient stake account after the move.
    pub transient_lamports: u64,
    /// The epoch of the move.
    pub epoch: u64,
}

/// A validator was removed: its stake is deactivating on its way to the reserve.
#[event]
pub struct RemoveValidatorEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// Its stake account's lamports, now deactivating.
    pub active_lamports: u64,
    /// Removed by anyone because the Stake program had deactivated its stake, not by the
    /// operator.
    pub delinquent: bool,
    /// The epoch of the removal.
    pub epoch: u64,
}

/// A removed validator's every lamport was back in the reserve, and its entry left the list.
#[event]
pub struct ValidatorRemovedEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The epoch its entry left the list.
    pub epoch: u64,
}

/// The crank updated a batch of validators for this epoch.
#[event]
pub struct UpdateValidatorsEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The epoch updated for.
    pub epoch: u64,
    /// The batch's first position in the list.
    pub start_index: u32,
    /// Validators in the batch.
    pub count: u32,
    /// Lamports moved into the reserve: swept excess and inactive stake.
    pub lamports_to_reserve: u64,
    /// Transient stake accounts merged into their validator's stake or withdrawn to the reserve.
    pub merged: u32,
    /// Validator list entries the batch read: its own.
    pub entries_read: u32,
}

/// A stake account at a list entry's address that the pool does not control (authorities or
/// vote account not the pool's): left uncounted, as a loss.
#[event]
pub struct StakeAccountRejectedEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The stake account.
    pub stake_account: Pubkey,
    /// Its lamports, left uncounted.
    pub lamports: u64,
}

/// The validator list grew.
#[event]
pub struct ReallocValidatorListEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Validators the list holds now.
    pub capacity: u32,
}

/// A stake account was deposited for shares.
#[event]
pub struct DepositStakeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Who deposited.
    pub depositor: Pubkey,
    /// The deposited stake account, merged into the validator's.
    pub stake_account: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The stake account's lamports.
    pub lamports: u64,
    /// Of `lamports`, what was above the delegation and its rent-exempt reserve: priced as
    /// SOL, as the rest, and swept into the reserve by the next crank.
    pub liquid_lamports: u64,
    /// Shares minted to the depositor.
    pub user_shares: u64,
    /// The fee, in lamports.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
}

/// Shares were redeemed for a stake account split from a validator's.
#[event]
pub struct WithdrawStakeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Whose shares were burned.
    pub owner: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The new stake account, now the owner's.
    pub stake_account: Pubkey,
    /// Shares burned, the fee's included.
    pub shares: u64,
    /// The fee, in lamports.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// Lamports in the new stake account.
    pub lamports: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
}

/// The admin changed the cap on the tips distributed per epoch.
#[event]
pub struct SetTipRateCapEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The cap before, in basis points of the pool's lamports.
    pub previous: u16,
    /// The cap now, in basis points of the pool's lamports.
    pub tip_rate_cap_bps: u16,
}

/// A tip account was created.
#[event]
pub struct CreateMevVaultEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The tip account.
    pub vault: Pubkey,
    /// The validator's vote account; the default key for a pool tip account.
    pub vote: Pubkey,
}

/// A validator set its commission on tips.
#[event]
pub struct SetMevCommissionEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// Where its commission is paid.
    pub payout: Pubkey,
    /// The commission asked for, in basis points.
    pub commission_bps: u16,
    /// The commission in force now and the epoch from which `commission_bps` applies.
    pub in_force_bps: u16,
    /// The epoch from which `commission_bps` applies.
    pub effective_epoch: u64,
    /// Tips in the vault split at the commission in force before a raise, so the raise never
    /// reaches them.
    pub settled_tips: u64,
}

/// A tip account's tips were split between the validator, the protocol and the stakers.
#[event]
pub struct DistributeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The tip account.
    pub vault: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The epoch of the distribution.
    pub epoch: u64,
    /// Tips in the vault before the distribution, those held back earlier included.
    pub tips: u64,
    /// Tips that arrived since the last distribution, split now at the commission in force.
    pub processed: u64,
    /// Split already and held back in the vault by the rate cap, after this distribution.
    pub held_back: u64,
    /// The validator's commission applied to the tips split now, in basis points.
    pub commission_bps: u16,
    /// The validator's commission on the tips split now.
    pub to_validator: u64,
    /// The protocol's share of the tips split now.
    pub to_protocol: u64,
    /// The stakers' share of the tips split now.
    pub to_stakers: u64,
    /// Paid to the validator's payout account: its commission on the tips split now, and what
    /// a raise settled before.
    pub paid_to_validator: u64,
    /// What of the stakers' tips (held back before or split now) reached the reserve, counted
    /// at the next roll.
    pub released_to_stakers: u64,
    /// What of the protocol's tips reached the reserve, paid as fee shares at the next roll.
    pub released_to_protocol: u64,
    /// Tips waiting in the reserve for the next epoch roll, this one's included.
    pub pending_tips_to_stakers: u64,
    /// The protocol's tips waiting in the reserve for the next epoch roll, this one's included.
    pub pending_tips_to_protocol: u64,
}

/// Shares were exchanged for an unstake ticket, claimable once the pool has the SOL unstaked.
#[event]
pub struct OrderUnstakeEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Whose shares were burned; the ticket's owner.
    pub owner: Pubkey,
    /// The new ticket.
    pub ticket: Pubkey,
    /// Shares burned, the fee's included.
    pub shares: u64,
    /// The fee, in lamports.
    pub fee_lamports: u64,
    /// The treasury's shares for the fee.
    pub fee_shares: u64,
    /// What the ticket is owed, unless a loss comes first.
    pub lamports: u64,
    /// The ticket's units.
    pub units: u64,
    /// The epoch ordered.
    pub epoch: u64,
    /// The lamports the stakers' shares are worth after the change: the rate is `total_lamports /
    /// share_supply`.
    pub total_lamports: u64,
    /// Shares in existence after the change.
    pub share_supply: u64,
    /// What the open tickets are owed after the change.
    pub ticket_lamports: u64,
    /// The open tickets' units after the change: a ticket is owed `ticket_lamports * units /
    /// ticket_units`.
    pub ticket_units: u64,
}

/// A ticket was claimed and closed.
#[event]
pub struct ClaimTicketEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The ticket's owner, paid.
    pub owner: Pubkey,
    /// The ticket, closed.
    pub ticket: Pubkey,
    /// Paid: what the ticket was owed when ordered, less its share of any loss since.
    pub lamports: u64,
    /// What the ticket was owed when ordered.
    pub ordered_lamports: u64,
    /// What the open tickets are owed after the change.
    pub ticket_lamports: u64,
    /// The open tickets' units after the change: a ticket is owed `ticket_lamports * units /
    /// ticket_units`.
    pub ticket_units: u64,
}

/// A ticket changed hands.
#[event]
pub struct TransferTicketEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The ticket.
    pub ticket: Pubkey,
    /// Its owner before.
    pub previous_owner: Pubkey,
    /// Its owner now.
    pub owner: Pubkey,
}

/// The operator changed how stake is spread over validators.
#[event]
pub struct SetStrategyEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The strategy before.
    pub previous: Strategy,
    /// The strategy now.
    pub strategy: Strategy,
}

/// The token's metadata after `set_metadata`.
#[event]
pub struct SetMetadataEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The token's name.
    pub name: String,
    /// The token's symbol.
    pub symbol: String,
    /// The token's metadata URI.
    pub uri: String,
}

/// The operator named the pool's address lookup table.
#[event]
pub struct SetLookupTableEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The table before (the default key for none).
    pub previous: Pubkey,
    /// The table now.
    pub lookup_table: Pubkey,
}

/// The operator set a validator's weight.
#[event]
pub struct SetWeightEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The weight before.
    pub previous: u32,
    /// The weight now.
    pub weight: u32,
}

/// A validator's score was computed for the epoch.
#[event]
pub struct ScoreValidatorEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The epoch scored.
    pub epoch: u64,
    /// Its inflation commission, in basis points.
    pub commission_bps: u16,
    /// True when it earned vote credits in this epoch or the last.
    pub voting: bool,
    /// Its commission on tips, in basis points.
    pub mev_commission_bps: u16,
    /// Its tips to the stakers in the last epoch, in lamports.
    pub mev_to_stakers: u64,
    /// The pool's stake on it, in lamports.
    pub staked: u64,
    /// Its score: parts per million of its stake returned to the stakers per epoch.
    pub score: u64,
}

/// The crank moved stake towards a validator's target.
#[event]
pub struct RebalanceEvent {
    /// The pool.
    pub pool: Pubkey,
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The epoch of the move.
    pub epoch: u64,
    /// The validator's target, in lamports.
    pub target: u64,
    /// The validator's lamports before the move.
    pub current: u64,
    /// True for reserve → validator, false for validator → reserve.
    pub increase: bool,
    /// Lamports moved.
    pub lamports: u64,
    /// Lamports in its transient stake account after the move.
    pub transient_lamports: u64,
    /// Lamports moved for it this epoch, this move's included.
    pub moved_this_epoch: u64,
    /// Validator list entries the instruction read to plan the move: one, however long the list.
    pub entries_read: u32,
}
