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

/// Where a lookup table's state keeps what is checked: after its 4-byte type tag, the
/// deactivation slot (u64); after two more fields (u64, u8), its authority as an `Option`.
const DEACTIVATION_SLOT: core::ops::Range<usize> = 4..12;
const AUTHORITY_TAG: usize = 21;
const AUTHORITY: core::ops::Range<usize> = 22..54;

impl SetLookupTable<'_> {
    /// An active lookup table whose authority is the operator: one no one else can fill with
    /// addresses, and that is not on its way to being closed.
    fn validate(&self) -> Result<()> {
        let data = self.lookup_table.try_borrow_data()?;
        let deactivation_slot = data
            .get(DEACTIVATION_SLOT)
            .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
            .map(u64::from_le_bytes);
        let authority = data
            .get(AUTHORITY)
            .filter(|_| data.get(AUTHORITY_TAG) == Some(&1))
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .map(Pubkey::new_from_array);
        require!(
            deactivation_slot == Some(u64::MAX) && authority == Some(self.pool.operator),
            TributaryError::LookupTableNotTheOperators
        );
        Ok(())
    }
}

/// Names the address lookup table that lists the pool's lookup tables (operator), for clients
/// to find them: the program itself never reads it. It must be an active table of the
/// operator's; clients still pass over whatever in it is not a usable table.
pub fn handle_set_lookup_table(ctx: Context<SetLookupTable>) -> Result<()> {
    ctx.accounts.validate()?;
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
