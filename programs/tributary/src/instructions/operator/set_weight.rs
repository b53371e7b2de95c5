use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, SetWeightEvent};
use crate::state::{ListAccount, Pool, ValidatorList};

/// Arguments of `set_weight`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct SetWeightArgs {
    /// The validator's position in the list.
    pub validator_index: u32,
    /// The validator's vote account, which must be the entry at `validator_index`.
    pub vote: Pubkey,
    /// Its weight in `Manual` mode.
    pub weight: u32,
}

#[derive(Accounts)]
pub struct SetWeight<'info> {
    pub operator: Signer<'info>,
    #[account(
        has_one = operator @ TributaryError::NotOperator,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub validator_list: AccountLoader<'info, ValidatorList>,
}

/// Sets a validator's weight for `Manual` mode (operator).
pub fn handle_set_weight(ctx: Context<SetWeight>, args: SetWeightArgs) -> Result<()> {
    let previous =
        ctx.accounts
            .validator_list
            .list_mut()?
            .update(args.validator_index, |entry| {
                entry.require_vote(&args.vote)?;
                Ok(core::mem::replace(&mut entry.weight, args.weight))
            })?;
    record(&SetWeightEvent {
        pool: ctx.accounts.pool.key(),
        vote: args.vote,
        previous,
        weight: args.weight,
    });
    Ok(())
}
