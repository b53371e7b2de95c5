//! The crank's events: validators updated, the roll, losses, scores and rebalancing.

use anchor_lang::prelude::*;

use crate::state::Fees;

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
    /// Its commission on its vault's tips, in basis points.
    pub mev_commission_bps: u16,
    /// The MEV commission it declared to Jito for this epoch or the last, if read.
    pub jito_commission_bps: Option<u16>,
    /// Its vault's tips to the stakers over the window, in lamports.
    pub vault_to_stakers: u64,
    /// What reached its stake account above the delegation over the window, the stakers' part.
    pub stake_account_to_stakers: u64,
    /// Its stake summed over the window's epochs on record, in lamport-epochs weighed by
    /// recency (`math::recency_weight`).
    pub stake_epochs: u64,
    /// The pool's stake on it, in lamports.
    pub staked: u64,
    /// The score's parts, in parts per million of its stake per epoch: the staking yield after
    /// its commission.
    pub staking_score: u64,
    /// Its vault's tips to the stakers.
    pub vault_mev_score: u64,
    /// What reached its stake account above the delegation, the stakers' part.
    pub stake_account_mev_score: u64,
    /// What its Jito declaration promises, for the stake-epochs it has no record of.
    pub declared_mev_score: u64,
    /// Its score: the parts together.
    pub score: u64,
    /// The rated validators' mean score the rule measured it against.
    pub mean_score: u64,
    /// The rated validators' mean MEV score the sharing bar is a share of.
    pub mean_mev_score: u64,
    /// What it weighs in `Scored` mode.
    pub scored_weight: u64,
    /// Why (`Standing`, as its position in `Standing::ALL`).
    pub standing: u8,
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
    /// Why it moved: open tickets the reserve could not pay (stake out past the target), or the
    /// target, which follows `mode`.
    pub for_tickets: bool,
    /// What the target follows: the operator's weights or the scored weights.
    pub mode: crate::state::StrategyMode,
    /// The validator's standing under the delegation rule (`Standing`, as its position in
    /// `Standing::ALL`): why its scored weight is what it is.
    pub standing: u8,
    /// Validator list entries the instruction read to plan the move: one, however long the list.
    pub entries_read: u32,
}

/// The validator list grew.
#[event]
pub struct ReallocValidatorListEvent {
    /// The pool.
    pub pool: Pubkey,
    /// Validators the list holds now.
    pub capacity: u32,
}
