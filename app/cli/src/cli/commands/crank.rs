//! `crank`: the epoch's work, for anyone.

use serde::Serialize;
use std::fmt;

use super::mev::Distributions;
use crate::cli::output::{sol, Output};
use crate::cli::CliError;
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

/// Rolls the pool into the epoch (when it has not yet), distributes the tips, removes the
/// validators the Stake program deactivated, scores the validators and rebalances.
pub async fn crank<T: Transport>(client: &mut PoolClient<T>) -> Result<Output, CliError> {
    let crank = client.crank().await?;
    let distributions = client.distribute_all().await?;
    let rebalances = client.rebalance_all().await?;
    let pool = client.pool_state().await?;
    let view = Cranked {
        epoch: pool.last_update_epoch,
        roll: crank.roll.map(|roll| RollView {
            rewards: roll.rewards,
            tips: roll.tips,
            loss: roll.loss,
        }),
        update_transactions: crank.update_transactions,
        distributions: Distributions::of(&distributions),
        rebalances: rebalances.len(),
    };
    Ok(Output::of(&view))
}

/// What the epoch roll counted.
#[derive(Serialize)]
pub struct RollView {
    pub rewards: u64,
    pub tips: u64,
    pub loss: u64,
}

/// What `crank` did.
#[derive(Serialize)]
pub struct Cranked {
    pub epoch: u64,
    /// `None` when the pool had rolled this epoch already.
    pub roll: Option<RollView>,
    pub update_transactions: usize,
    pub distributions: Distributions,
    pub rebalances: usize,
}

impl fmt::Display for Cranked {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Pool at epoch {} (", self.epoch)?;
        match &self.roll {
            Some(roll) if roll.loss > 0 => write!(
                f,
                "rolled: a loss of {} SOL, shared by the stakers and the open tickets",
                sol(roll.loss)
            )?,
            Some(roll) => write!(
                f,
                "rolled: {} SOL of rewards and {} SOL of tips counted",
                sol(roll.rewards),
                sol(roll.tips)
            )?,
            None => write!(f, "already rolled this epoch")?,
        }
        write!(
            f,
            "): validators updated in {} transaction(s), {} {} rebalance(s).",
            self.update_transactions, self.distributions, self.rebalances
        )
    }
}
