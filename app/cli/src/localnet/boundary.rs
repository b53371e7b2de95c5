//! The epoch boundary as a cluster makes it: the validators it knows vote, and every active
//! delegation it knows earns the epoch's staking rewards, less its validator's commission, which
//! the vote account gets. (The test bank's own inflation, paid on its short warm-up epochs,
//! doubles every epoch and means nothing: these rewards replace it.)

use std::collections::BTreeMap;

use anchor_lang::prelude::Pubkey;
use serde_json::Value;
use solana_stake_interface::stake_history::StakeHistory;
use solana_stake_interface::state::StakeStateV2;

use super::json::internal;
use super::Localnet;

/// Vote credits each known validator earns an epoch: any number above zero makes it a
/// validator that voted.
const CREDITS_PER_EPOCH: u64 = 100;

impl Localnet {
    /// Moves the bank `epochs` boundaries ahead, paying rewards at each; returns the epoch.
    pub(super) async fn advance_epochs(&self, epochs: u64) -> Result<u64, Value> {
        let mut epoch = self.clock().await?.epoch;
        for _ in 0..epochs {
            epoch = self.advance_epoch().await?;
        }
        self.save().await.map_err(internal)?;
        Ok(epoch)
    }

    async fn advance_epoch(&self) -> Result<u64, Value> {
        let known: Vec<Pubkey> = self.known_accounts()?;
        let epoch = self.clock().await?.epoch;
        let history: StakeHistory = match self
            .account(&solana_stake_interface::sysvar::stake_history::ID)
            .await?
        {
            Some(account) => bincode::deserialize(&account.data).map_err(internal)?,
            None => StakeHistory::default(),
        };
        let mut votes = Vec::new();
        let mut rewards = Vec::new();
        let mut commissions: BTreeMap<Pubkey, u64> = BTreeMap::new();
        for address in known {
            let Some(account) = self.account(&address).await? else {
                continue;
            };
            if account.owner == solana_vote_interface::program::ID {
                votes.push(address);
                continue;
            }
            if account.owner != solana_stake_interface::program::ID {
                continue;
            }
            let Ok(StakeStateV2::Stake(_, stake, _)) = bincode::deserialize(&account.data) else {
                continue;
            };
            let delegation = stake.delegation;
            let active = delegation.stake(epoch, &history, Some(0));
            let reward = u128::from(active) * u128::from(self.serving.rewards_ppm) / 1_000_000;
            // A cluster pays no validator whose vote account is gone.
            let Some(commission_bps) = self.commission_bps(&delegation.voter_pubkey).await? else {
                continue;
            };
            let commission = reward * u128::from(commission_bps) / 10_000;
            let to_validator = u64::try_from(commission).map_err(internal)?;
            let to_stake = u64::try_from(reward - commission).map_err(internal)?;
            rewards.push((address, to_stake));
            *commissions.entry(delegation.voter_pubkey).or_default() += to_validator;
        }
        let mut control = self.control().await?;
        for vote in &votes {
            control
                .context()
                .increment_vote_account_credits(vote, CREDITS_PER_EPOCH);
        }
        let epoch = (control.warp_epoch_with_rewards(&rewards).await).map_err(internal)?;
        for (vote, commission) in commissions {
            control.airdrop(&vote, commission).await.map_err(internal)?;
        }
        Ok(epoch)
    }

    /// A validator's inflation commission, in basis points; `None` when its vote account is
    /// gone or unreadable.
    async fn commission_bps(&self, vote: &Pubkey) -> Result<Option<u16>, Value> {
        Ok(self
            .account(vote)
            .await?
            .and_then(|account| tributary::vote::read_vote_summary(&account.data))
            .map(|summary| summary.commission_bps.min(10_000)))
    }
}
