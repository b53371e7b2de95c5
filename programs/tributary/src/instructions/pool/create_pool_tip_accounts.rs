use anchor_lang::prelude::*;

use crate::constants::{POOL_TIP_ACCOUNTS, POOL_TIP_SEED};
use crate::cpi::create_mev_vault;
use crate::errors::TributaryError;
use crate::state::Pool;

/// Creates the pool's `POOL_TIP_ACCOUNTS` tip accounts (anyone, who pays their rent): tips not
/// tied to a validator, spread over several accounts so bundles do not all write-lock one.
/// Remaining accounts: the tip account PDAs, in index order.
#[derive(Accounts)]
pub struct CreatePoolTipAccounts<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub pool: Box<Account<'info, Pool>>,
    pub system_program: Program<'info, System>,
}

pub fn handle_create_pool_tip_accounts<'info>(
    ctx: Context<'info, CreatePoolTipAccounts<'info>>,
) -> Result<()> {
    require_eq!(
        ctx.remaining_accounts.len(),
        POOL_TIP_ACCOUNTS as usize,
        TributaryError::ValidatorAccountsMismatch
    );
    let pool = ctx.accounts.pool.key();
    for (index, tip_account) in ctx.remaining_accounts.iter().enumerate() {
        let index = [index as u8];
        let (address, bump) =
            Pubkey::find_program_address(&[POOL_TIP_SEED, pool.as_ref(), &index], &crate::ID);
        require_keys_eq!(address, tip_account.key(), TributaryError::WrongPoolAccount);
        create_mev_vault(
            &ctx.accounts.system_program.to_account_info(),
            &ctx.accounts.payer.to_account_info(),
            tip_account,
            &[POOL_TIP_SEED, pool.as_ref(), &index, &[bump]],
            pool,
            Pubkey::default(),
        )?;
    }
    Ok(())
}
