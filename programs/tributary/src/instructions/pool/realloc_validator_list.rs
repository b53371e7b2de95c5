use anchor_lang::prelude::*;

use crate::constants::{MAX_REALLOC_BYTES, MAX_VALIDATORS};
use crate::cpi::top_up;
use crate::errors::TributaryError;
use crate::events::{record, ReallocValidatorListEvent};
use crate::state::{Pool, ValidatorList};

/// Grows the validator list by up to 10 KiB, the most the runtime allows per instruction, until
/// it holds `MAX_VALIDATORS` entries. Anyone may pay for it.
#[derive(Accounts)]
pub struct ReallocValidatorList<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(has_one = validator_list @ TributaryError::WrongPoolAccount)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
    pub system_program: Program<'info, System>,
}

pub fn handle_realloc_validator_list(ctx: Context<ReallocValidatorList>) -> Result<()> {
    let list = ctx.accounts.validator_list.to_account_info();
    let largest = ValidatorList::space_for(MAX_VALIDATORS as usize);
    let current = list.data_len();
    require_gt!(largest, current, TributaryError::ValidatorListAtMaximum);
    let new_len = (current + MAX_REALLOC_BYTES).min(largest);

    top_up(
        &ctx.accounts.system_program.to_account_info(),
        &ctx.accounts.payer.to_account_info(),
        &list,
        Rent::get()?.minimum_balance(new_len),
    )?;
    list.resize(new_len)?;
    record(&ReallocValidatorListEvent {
        pool: ctx.accounts.pool.key(),
        capacity: ValidatorList::capacity(new_len) as u32,
    });
    Ok(())
}
