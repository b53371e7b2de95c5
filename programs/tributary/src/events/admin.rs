//! The admin's events: the pool's creation, fees, roles, pause, metadata.

use anchor_lang::prelude::*;

use crate::state::Fees;

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
