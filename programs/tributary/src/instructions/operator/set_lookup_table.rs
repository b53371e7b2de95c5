use anchor_lang::prelude::*;

use crate::constants::ADDRESS_LOOKUP_TABLE_PROGRAM_ID;
use crate::errors::TributaryError;
use crate::events::{record, SetLookupTableEvent};
use crate::state::Pool;

#[derive(Accounts)]
pub struct SetLookupTable<'info> {
    pub operator: Signer<'info>,
    #[account(mut, has_one = operator @ TributaryError::NotOperator)]
    pub pool: Box<Account<'info, Pool>>,
    /// The operator's address lookup table listing the pool's tables (owned by the lookup-table
    /// program).
    /// CHECK: an address lookup table, checked by owner; its addresses name the pool's tables.
    #[account(owner = ADDRESS_LOOKUP_TABLE_PROGRAM_ID @ TributaryError::NotLookupTable)]
    pub lookup_table: UncheckedAccount<'info>,
}

/// Names the address lookup table that lists the pool's lookup tables (operator), for clients
/// to find them: the program itself never reads it.
pub fn handle_set_lookup_table(ctx: Context<SetLookupTable>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let lookup_table = ctx.accounts.lookup_table.key();
    let previous = core::mem::replace(&mut pool.lookup_table, lookup_table);
    record(&SetLookupTableEvent {
        pool: pool.key(),
        previous,
        lookup_table,
    });
    Ok(())
}
