use anchor_lang::prelude::*;

use crate::events::{record, SetOperatorEvent};
use crate::instructions::AdminAction;

/// Arguments of `set_operator`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct SetOperatorArgs {
    /// The new operator.
    pub operator: Pubkey,
}

pub fn handle_set_operator(ctx: Context<AdminAction>, operator: Pubkey) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let previous_operator = pool.operator;
    pool.operator = operator;
    record(&SetOperatorEvent {
        pool: pool.key(),
        previous_operator,
        operator,
    });
    Ok(())
}
