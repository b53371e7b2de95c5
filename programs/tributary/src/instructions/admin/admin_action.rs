use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::state::Pool;

/// Accounts of every instruction that only the admin may call and that touches only the pool.
#[derive(Accounts)]
pub struct AdminAction<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ TributaryError::NotAdmin)]
    pub pool: Box<Account<'info, Pool>>,
}
