use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, SetWeightEvent};
use crate::state::{entry_at, ListEntries, Pool, ValidatorList};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct SetWeightArgs {
    pub validator_index: u32,
    /// The validator's vote account, which must be the entry at `validator_index`.
    pub vote: Pubkey,
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
    let mut entries = ctx.accounts.validator_list.entries_mut()?;
    let entry = entry_at(&mut entries, args.validator_index, &args.vote)?;
    let previous = entry.weight;
    entry.weight = args.weight;
    record(&SetWeightEvent {
        pool: ctx.accounts.pool.key(),
        vote: args.vote,
        previous,
        weight: args.weight,
    });
    Ok(())
}
