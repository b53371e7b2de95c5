use anchor_lang::prelude::*;

use crate::events::{record, ProposeAdminEvent};
use crate::instructions::AdminAction;

/// Arguments of `propose_admin`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct ProposeAdminArgs {
    /// The proposed admin, who must accept.
    pub new_admin: Pubkey,
}

/// First step of the hand-over: names the next admin, who must accept.
pub fn handle_propose_admin(ctx: Context<AdminAction>, new_admin: Pubkey) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    pool.pending_admin = new_admin;
    record(&ProposeAdminEvent {
        pool: pool.key(),
        admin: pool.admin,
        pending_admin: new_admin,
    });
    Ok(())
}
