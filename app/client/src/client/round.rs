//! The epoch's work for anyone, in one order, for every caller: the CLI's `crank`, the keeper's
//! rounds and the simulation all call `epoch_round`.

use anchor_lang::prelude::Pubkey;
use tributary::events::{DistributeEvent, LossEvent};

use super::{Crank, PoolClient, Roll, TxOutcome};
use crate::transport::Transport;
use crate::ClientError;

/// What one round did.
pub struct Round {
    /// The epoch the round ran in.
    pub epoch: u64,
    /// What became of the epoch roll.
    pub roll: Roll,
    /// `update_validators` transactions sent: the crank's, or to count a loss mid-epoch.
    pub update_transactions: usize,
    /// The losses counted: stake accounts found short, and a shortfall at the roll.
    pub losses: Vec<LossEvent>,
    pub distributions: Vec<TxOutcome>,
    pub rebalances: Vec<TxOutcome>,
}

/// What a keeper's round did, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeeperAction {
    /// The epoch's crank: the validators updated and the pool rolled into `epoch`, with what the
    /// roll counted (`None` when the node kept no logs to read it from).
    Cranked {
        epoch: u64,
        update_transactions: usize,
        rewards: Option<u64>,
        tips: Option<u64>,
    },
    /// Stake moved towards the targets.
    Rebalanced { moves: usize },
    /// A vault's tips split.
    Distributed { vault: Pubkey, processed: u64 },
    /// The runtime is still paying the epoch's rewards; the roll waits for it to finish.
    WaitingForRewards { epoch: u64 },
    /// Losses counted: stake accounts found holding less than the pool counted, or a shortfall
    /// at the roll.
    LossCounted { validators: usize, lamports: u64 },
}

impl Round {
    /// The round as a keeper reports it: one action per thing done.
    pub fn actions(&self) -> Vec<KeeperAction> {
        let mut actions = Vec::new();
        match &self.roll {
            Roll::WaitingForRewards => {
                actions.push(KeeperAction::WaitingForRewards { epoch: self.epoch })
            }
            Roll::AlreadyRolled => {}
            roll => actions.push(KeeperAction::Cranked {
                epoch: self.epoch,
                update_transactions: self.update_transactions,
                rewards: roll.event().map(|event| event.rewards),
                tips: roll.event().map(|event| event.tips),
            }),
        }
        if !self.losses.is_empty() {
            actions.push(KeeperAction::LossCounted {
                validators: self.losses.len(),
                lamports: self.losses.iter().map(|loss| loss.loss).sum(),
            });
        }
        actions.extend(
            self.distributions
                .iter()
                .flat_map(|outcome| outcome.events::<DistributeEvent>())
                .map(|event| KeeperAction::Distributed {
                    vault: event.vault,
                    processed: event.processed,
                }),
        );
        if !self.rebalances.is_empty() {
            actions.push(KeeperAction::Rebalanced {
                moves: self.rebalances.len(),
            });
        }
        actions
    }
}

impl<T: Transport> PoolClient<T> {
    /// One round of the epoch's work, in the one order every caller uses, sending nothing the
    /// pool's state says would fail:
    /// 1. once the epoch has turned, the crank (every validator updated, the pool rolled, the
    ///    treasury's shares minted), unless the runtime is still paying the epoch's rewards,
    ///    when the round stops there and says so; within the epoch, a stake account found short
    ///    of what the pool counted is updated, so its loss counts at once;
    /// 2. tips: every vault holding more than `threshold` lamports the program would act on is
    ///    distributed, before rebalancing, since distributing changes the reserve it spends;
    /// 3. stake: the validators the Stake program deactivated removed, stale scores refreshed,
    ///    stake moved towards the targets (for tickets first) once the epoch has rolled; within
    ///    the epoch, only to unstake for tickets the reserve cannot pay (each move costs the
    ///    stakers an epoch of rewards: the targets are followed once an epoch).
    pub async fn epoch_round(&mut self, threshold: u64) -> Result<Round, ClientError> {
        let epoch = self.clock().await?.epoch;
        let crank = if self.pool_state().await?.last_update_epoch < epoch {
            self.crank().await?
        } else {
            Crank::default()
        };
        let mut round = Round {
            epoch,
            roll: crank.roll,
            update_transactions: crank.update_transactions,
            losses: crank.losses,
            distributions: Vec::new(),
            rebalances: Vec::new(),
        };
        let rolled = round.roll.rolled();
        match round.roll {
            Roll::WaitingForRewards => return Ok(round),
            Roll::AlreadyRolled => {
                let outcomes = self.count_losses_seen().await?;
                round.update_transactions = outcomes.len();
                round.losses = outcomes
                    .iter()
                    .flat_map(|outcome| outcome.events::<LossEvent>())
                    .collect();
            }
            Roll::Rolled(_) | Roll::Unreported => {}
        }
        round.distributions = self.distribute_above(threshold).await?;
        round.rebalances = self.rebalance(!rolled).await?;
        Ok(round)
    }

    /// One round, as a keeper reports it (`epoch_round`).
    pub async fn keep(&mut self, threshold: u64) -> Result<Vec<KeeperAction>, ClientError> {
        Ok(self.epoch_round(threshold).await?.actions())
    }

    /// Updates the validators when a stake account holds less than its entry counted, so that
    /// the pool counts the loss now: what anyone who sees it may do. Returns the transactions.
    async fn count_losses_seen(&mut self) -> Result<Vec<TxOutcome>, ClientError> {
        for entry in self.validator_list().await? {
            if entry.loss_uncounted(self.balance(&entry.validator_stake).await?) {
                return self.send_updates().await;
            }
        }
        Ok(Vec::new())
    }
}
