use anchor_lang::prelude::*;

use crate::constants::MAX_TIP_RATE_CAP_BPS;
use crate::errors::TributaryError;
use crate::events::{record, SetTipRateCapEvent};
use crate::instructions::AdminAction;

/// Arguments of `set_tip_rate_cap`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct SetTipRateCapArgs {
    /// The cap on what tips may raise the share price per epoch, in basis points of the stakers' lamports.
    pub tip_rate_cap_bps: u16,
}

/// Sets how far tips may raise the share price in one epoch (admin), under a hard cap.
pub fn handle_set_tip_rate_cap(ctx: Context<AdminAction>, tip_rate_cap_bps: u16) -> Result<()> {
    require_gte!(
        MAX_TIP_RATE_CAP_BPS,
        tip_rate_cap_bps,
        TributaryError::TipRateCapAboveLimit
    );
    let pool = &mut ctx.accounts.pool;
    let previous = pool.tips.rate_cap_bps;
    pool.tips.rate_cap_bps = tip_rate_cap_bps;
    record(&SetTipRateCapEvent {
        pool: pool.key(),
        previous,
        tip_rate_cap_bps,
    });
    Ok(())
}
