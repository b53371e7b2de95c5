//! `keeper`: the crank as a service.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::cli::error::CliError;
use crate::cli::output::{sol, Output};
use tributary_client::client::KeeperAction;
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

/// The longest wait between retries after an error.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Runs a round every `interval` seconds until Ctrl-C, printing one line per action; after an
/// error, says so and retries after a wait that doubles up to a minute.
pub async fn keeper<T: Transport>(
    client: &mut PoolClient<T>,
    threshold: u64,
    interval: u64,
) -> Result<Output, CliError> {
    let interval = Duration::from_secs(interval);
    let mut stopped = KeeperStopped::default();
    let mut backoff = Duration::from_secs(1);
    // Listening from the start (the task runs at the round's first wait), so a Ctrl-C during a
    // round ends the keeper after it rather than killing it midway.
    let mut interrupted = tokio::spawn(tokio::signal::ctrl_c());
    println!(
        "keeper: a round every {}s, distributing vaults above {} SOL; Ctrl-C stops",
        interval.as_secs(),
        sol(threshold)
    );
    loop {
        let wait = match client.keep(threshold).await {
            Ok(actions) => {
                for action in &actions {
                    println!("{}", describe(action));
                }
                stopped.actions += actions.len();
                backoff = Duration::from_secs(1);
                interval
            }
            Err(err) => {
                stopped.errors += 1;
                println!(
                    "error: {}; retrying in {}s",
                    crate::cli::error::describe_client_error(&err),
                    backoff.as_secs()
                );
                let wait = backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                wait
            }
        };
        stopped.rounds += 1;
        tokio::select! {
            _ = &mut interrupted => break,
            _ = tokio::time::sleep(wait) => {}
        }
    }
    Ok(Output::of(&stopped))
}

/// One line for `action`.
fn describe(action: &KeeperAction) -> String {
    match action {
        KeeperAction::Cranked {
            epoch,
            update_transactions,
            rewards,
            tips,
        } => match (rewards, tips) {
            (Some(rewards), Some(tips)) => format!(
                "epoch {epoch}: cranked ({update_transactions} update transaction(s)), rewards {} SOL, tips {} SOL",
                sol(*rewards),
                sol(*tips)
            ),
            _ => format!(
                "epoch {epoch}: cranked ({update_transactions} update transaction(s)); the node kept no logs of what the roll counted"
            ),
        },
        KeeperAction::Rebalanced { moves } => format!("rebalanced: {moves} stake move(s)"),
        KeeperAction::Distributed { vault, processed } => {
            format!("distributed {} SOL of tips from {vault}", sol(*processed))
        }
        KeeperAction::WaitingForRewards { epoch } => {
            format!("epoch {epoch}: the runtime is paying rewards; the crank waits")
        }
        KeeperAction::LossCounted {
            validators,
            lamports,
        } => format!(
            "a loss of {} SOL counted in {validators} stake account(s) found short",
            sol(*lamports)
        ),
    }
}

/// What the keeper did before it was stopped.
#[derive(Serialize, Default)]
pub struct KeeperStopped {
    pub rounds: u64,
    pub actions: usize,
    pub errors: u64,
}

impl fmt::Display for KeeperStopped {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "keeper stopped after {} round(s): {} action(s), {} error(s)",
            self.rounds, self.actions, self.errors
        )
    }
}
