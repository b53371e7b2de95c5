//! `crank`: the epoch's work, for anyone.

use serde::Serialize;
use std::fmt;

use super::mev::Distributions;
use crate::cli::error::CliError;
use crate::cli::output::{sol, Output};
use tributary_client::client::Roll;
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

/// One round of the epoch's work (`PoolClient::epoch_round`, as the keeper and the simulation
/// run it): the roll when the epoch has turned (or a loss a stake account shows), the tips,
/// then the stake.
pub async fn crank<T: Transport>(client: &mut PoolClient<T>) -> Result<Output, CliError> {
    let round = client.epoch_round(0).await?;
    // The roll's event names the epoch it rolled to (a dry run leaves the pool as it was).
    let epoch = match round.roll.event() {
        Some(roll) => roll.epoch,
        None => client.pool_state().await?.last_update_epoch,
    };
    let view = Cranked {
        epoch,
        roll: match &round.roll {
            Roll::Rolled(roll) => RollView::Rolled {
                rewards: roll.rewards,
                tips: roll.tips,
                loss: roll.loss,
            },
            Roll::AlreadyRolled => RollView::AlreadyRolled,
            Roll::Unreported => RollView::Unreported,
            Roll::WaitingForRewards => RollView::WaitingForRewards,
        },
        losses: round.losses.iter().map(|loss| loss.loss).sum(),
        update_transactions: round.update_transactions,
        distributions: Distributions::of(&round.distributions),
        rebalances: round.rebalances.len(),
    };
    Ok(Output::of(&view))
}

/// Brings a pool whose epoch has turned to this epoch (the crank's update and roll), saying so
/// on standard error, so that a staker's command is not refused as stale. While the runtime is
/// still paying the epoch's rewards the roll waits, and the command says so when refused.
pub async fn bring_to_epoch<T: Transport>(client: &mut PoolClient<T>) -> Result<(), CliError> {
    let pool_epoch = client.pool_state().await?.last_update_epoch;
    let epoch = client.clock().await?.epoch;
    if pool_epoch < epoch {
        let crank = client.crank().await?;
        if crank.roll.rolled() {
            eprintln!(
                "note: the pool was at epoch {pool_epoch}; brought it to epoch {epoch} first \
                 ({} transaction(s); --no-update not to)",
                crank.update_transactions + 1
            );
        }
    }
    Ok(())
}

/// What became of the epoch roll.
#[derive(Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum RollView {
    /// Rolled now, with what it counted.
    Rolled {
        rewards: u64,
        tips: u64,
        loss: u64,
    },
    AlreadyRolled,
    /// Rolled now; the node kept no logs to read what it counted from.
    Unreported,
    /// The runtime is still paying the epoch's rewards: run `crank` again shortly.
    WaitingForRewards,
}

/// What `crank` did.
#[derive(Serialize)]
pub struct Cranked {
    pub epoch: u64,
    pub roll: RollView,
    /// Losses counted in stake accounts found short, in lamports.
    pub losses: u64,
    pub update_transactions: usize,
    pub distributions: Distributions,
    pub rebalances: usize,
}

impl fmt::Display for Cranked {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Pool at epoch {} (", self.epoch)?;
        match &self.roll {
            RollView::Rolled { loss, .. } if *loss > 0 => write!(
                f,
                "rolled: a loss of {} SOL, shared by the stakers and the open tickets",
                sol(*loss)
            )?,
            RollView::Rolled { rewards, tips, .. } => write!(
                f,
                "rolled: {} SOL of rewards and {} SOL of tips counted",
                sol(*rewards),
                sol(*tips)
            )?,
            RollView::AlreadyRolled => write!(f, "already rolled this epoch")?,
            RollView::Unreported => write!(f, "rolled; the node kept no logs of what it counted")?,
            RollView::WaitingForRewards => write!(
                f,
                "not rolled: the runtime is still paying the epoch's rewards; run crank again shortly"
            )?,
        }
        if self.losses > 0 {
            write!(
                f,
                "; a loss of {} SOL counted in stake accounts found short",
                sol(self.losses)
            )?;
        }
        write!(
            f,
            "): validators updated in {} transaction(s), {} {} rebalance(s).",
            self.update_transactions, self.distributions, self.rebalances
        )
    }
}
