//! A keeper's round, for `tributary keeper`: what the pool's state says is due, and nothing it
//! says would fail.

use anchor_lang::prelude::Pubkey;
use solana_sdk::epoch_rewards::EpochRewards;
use solana_sdk::sysvar;
use tributary::events::{DistributeEvent, LossEvent, UpdatePoolEvent};

use super::PoolClient;
use crate::transport::Transport;
use crate::ClientError;

/// What a keeper's round did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeeperAction {
    /// The epoch's crank: the validators updated and the pool rolled into `epoch`.
    Cranked {
        epoch: u64,
        update_transactions: usize,
        rewards: u64,
        tips: u64,
    },
    /// Stake moved towards the targets.
    Rebalanced { moves: usize },
    /// A vault's tips split.
    Distributed { vault: Pubkey, processed: u64 },
    /// The runtime is still paying the epoch's rewards; the roll waits for it to finish.
    WaitingForRewards { epoch: u64 },
    /// Stake accounts found holding less than the pool counted: `update_validators` made the
    /// pool count the loss at once, before anyone could leave at the old price.
    LossCounted { validators: usize, lamports: u64 },
}

impl<T: Transport> PoolClient<T> {
    /// One round: the crank and rebalancing once the epoch has turned (not while the runtime
    /// pays rewards, when the roll would be refused); within the epoch, a loss counted as soon
    /// as a stake account is found short; then every vault holding more than `threshold`
    /// lamports of tips the program would act on.
    pub async fn keep(&mut self, threshold: u64) -> Result<Vec<KeeperAction>, ClientError> {
        let mut actions = Vec::new();
        let epoch = self.clock().await?.epoch;
        if self.pool_state().await?.last_update_epoch == epoch {
            actions.extend(self.count_losses_seen().await?);
        }
        if self.pool_state().await?.last_update_epoch < epoch {
            if self.epoch_rewards_active().await? {
                actions.push(KeeperAction::WaitingForRewards { epoch });
                return Ok(actions);
            }
            let crank = self.crank().await?;
            let roll: Option<&UpdatePoolEvent> = crank.roll.as_ref();
            actions.push(KeeperAction::Cranked {
                epoch,
                update_transactions: crank.update_transactions,
                rewards: roll.map_or(0, |roll| roll.rewards),
                tips: roll.map_or(0, |roll| roll.tips),
            });
            let moves = self.rebalance_all().await?.len();
            if moves > 0 {
                actions.push(KeeperAction::Rebalanced { moves });
            }
        }
        for outcome in self.distribute_above(threshold).await? {
            actions.extend(
                outcome
                    .events::<DistributeEvent>()
                    .into_iter()
                    .map(|event| KeeperAction::Distributed {
                        vault: event.vault,
                        processed: event.processed,
                    }),
            );
        }
        Ok(actions)
    }

    /// Updates the validators when a stake account holds less than its entry counted, so that
    /// the pool counts the loss now: what anyone who sees it may do.
    async fn count_losses_seen(&mut self) -> Result<Option<KeeperAction>, ClientError> {
        let mut short = false;
        for entry in self.validator_list().await? {
            if entry.active_lamports > 0
                && self.balance(&entry.validator_stake).await? < entry.active_lamports
            {
                short = true;
                break;
            }
        }
        if !short {
            return Ok(None);
        }
        let outcomes = self.send_updates().await?;
        let losses: Vec<LossEvent> = outcomes
            .iter()
            .flat_map(|outcome| outcome.events::<LossEvent>())
            .collect();
        Ok(Some(KeeperAction::LossCounted {
            validators: losses.len(),
            lamports: losses.iter().map(|loss| loss.loss).sum(),
        }))
    }

    /// Whether the runtime is paying the epoch's rewards, in partitions, still.
    async fn epoch_rewards_active(&mut self) -> Result<bool, ClientError> {
        let rewards: EpochRewards = self.sysvar(&sysvar::epoch_rewards::ID).await?;
        Ok(rewards.active)
    }
}
