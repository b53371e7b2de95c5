use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, AcceptAdminEvent};
use crate::state::Pool;

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    /// The proposed admin, who takes over.
    pub pending_admin: Signer<'info>,
    #[account(mut, has_one = pending_admin @ TributaryError::NotPendingAdmin)]
    pub pool: Box<Account<'info, Pool>>,
}

/// Second step of the hand-over, signed by the proposed admin.
pub fn handle_accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let previous_admin = pool.admin;
    pool.admin = pool.pending_admin;
    pool.pending_admin = Pubkey::default();
    record(&AcceptAdminEvent {
        pool: pool.key(),
        previous_admin,
        admin: pool.admin,
    });
    Ok(())
}
