use anchor_lang::prelude::*;

use crate::events::{record, SetFeesEvent};
use crate::instructions::AdminAction;
use crate::state::Fees;

/// Asks for a new fee schedule: each decrease applies at once, each increase after
/// `FEE_INCREASE_DELAY_EPOCHS` epoch boundaries. Every fee must be under its hard cap.
pub fn handle_set_fees(ctx: Context<AdminAction>, fees: Fees) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    pool.schedule_fees(fees, Clock::get()?.epoch)?;
    record(&SetFeesEvent {
        pool: pool.key(),
        requested: fees,
        fees: pool.fees,
        pending_fees: pool.pending_fees.fees,
        pending_fees_epoch: pool.pending_fees.epoch,
    });
    Ok(())
}
