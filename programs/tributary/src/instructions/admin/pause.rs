use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, SetPausedEvent};
use crate::instructions::AdminAction;

/// Stops deposits (and, later, operator moves); withdrawals keep working.
pub fn handle_pause(ctx: Context<AdminAction>) -> Result<()> {
    set_paused(ctx, true)
}

pub fn handle_unpause(ctx: Context<AdminAction>) -> Result<()> {
    set_paused(ctx, false)
}

fn set_paused(ctx: Context<AdminAction>, paused: bool) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    require!(pool.paused != paused, TributaryError::PauseUnchanged);
    pool.paused = paused;
    record(&SetPausedEvent {
        pool: pool.key(),
        paused,
    });
    Ok(())
}
