use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::errors::TributaryError;
use crate::events::{record, SetTreasuryEvent};
use crate::state::Pool;

#[derive(Accounts)]
pub struct SetTreasury<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ TributaryError::NotAdmin)]
    pub pool: Box<Account<'info, Pool>>,
    /// Any token account of the pool's mint; fee shares are minted to it from now on.
    #[account(constraint = treasury.mint == pool.mint @ TributaryError::WrongMint)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
}

pub fn handle_set_treasury(ctx: Context<SetTreasury>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    let previous_treasury = pool.treasury;
    pool.treasury = ctx.accounts.treasury.key();
    record(&SetTreasuryEvent {
        pool: pool.key(),
        previous_treasury,
        treasury: pool.treasury,
    });
    Ok(())
}
