use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, SetStrategyEvent};
use crate::state::{Pool, Strategy};

/// Accounts of the operator's instructions that touch only the pool.
#[derive(Accounts)]
pub struct OperatorAction<'info> {
    pub operator: Signer<'info>,
    #[account(mut, has_one = operator @ TributaryError::NotOperator)]
    pub pool: Box<Account<'info, Pool>>,
}

/// Sets the delegation strategy (operator): the mode, the cap per validator, the reserve
/// buffer and how much stake may move per epoch.
pub fn handle_set_strategy(ctx: Context<OperatorAction>, strategy: Strategy) -> Result<()> {
    strategy.validate()?;
    let pool = &mut ctx.accounts.pool;
    let previous = pool.strategy;
    pool.strategy = strategy;
    record(&SetStrategyEvent {
        pool: pool.key(),
        previous,
        strategy,
    });
    Ok(())
}
