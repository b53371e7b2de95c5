//! "When will my validator get stake?": a validator's score, its parts, its rank, its target,
//! and what holds it where it is, read from the chain with the program's own rules.

use anchor_lang::prelude::Pubkey;
use tributary::math::{
    expected_mev, score_parts, sharing_bar, trusted_stake_epochs, validator_cap, weight_floor,
    within_deadband, ScoreMeans, ScoreParts,
};
use tributary::state::{Standing, StrategyMode, ValidatorEntry};
use tributary::vote::read_vote_summary;

use super::PoolClient;
use crate::transport::Transport;
use crate::ClientError;

/// What holds a validator's stake where it is today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// It is being removed from the pool.
    Leaving,
    /// No one has scored it yet (the crank scores every validator once an epoch).
    Unscored,
    /// It earned no vote credits in this epoch or the last.
    NotVoting,
    /// Its declared MEV commission is above the pool's cap.
    CommissionOverCap,
    /// Its MEV to the stakers per staked SOL is below the sharing bar.
    BelowSharingBar,
    /// Its score is not above the floor weights are measured from.
    BelowFloor,
    /// The operator's weights decide (`Manual` mode), and its weight is what it is.
    ManualWeight,
    /// Stake is on its way in or out: the next move waits for the crank to settle it.
    BusyTransient,
    /// The pool is paused: no stake moves but for tickets.
    Paused,
    /// The per-validator cap: its weight would give it more.
    Cap,
    /// It holds more than its target by less than the strategy's deadband.
    Deadband,
    /// Rebalancing has used this epoch's movement cap.
    MovementBudget,
    /// The reserve has nothing to spare above what it keeps for tickets and its buffer.
    Reserve,
    /// The gap is smaller than the Stake program's minimum delegation.
    MinimumDelegation,
    /// Nothing: the next rebalance moves it.
    Moving,
    /// It holds its target.
    AtTarget,
}

impl Binding {
    pub fn name(self) -> &'static str {
        match self {
            Binding::Leaving => "leaving",
            Binding::Unscored => "unscored",
            Binding::NotVoting => "not-voting",
            Binding::CommissionOverCap => "commission-over-cap",
            Binding::BelowSharingBar => "below-sharing-bar",
            Binding::BelowFloor => "below-floor",
            Binding::ManualWeight => "manual-weight",
            Binding::BusyTransient => "busy-transient",
            Binding::Paused => "paused",
            Binding::Cap => "cap",
            Binding::Deadband => "deadband",
            Binding::MovementBudget => "movement-budget",
            Binding::Reserve => "reserve",
            Binding::MinimumDelegation => "minimum-delegation",
            Binding::Moving => "moving",
            Binding::AtTarget => "at-target",
        }
    }
}

/// One validator's delegation, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatorReport {
    pub vote: Pubkey,
    /// Its position in the list.
    pub index: u32,
    /// The epoch now, and the epoch its score is of.
    pub epoch: u64,
    pub score_epoch: u64,
    /// Its inflation commission (from its vote account), its vault's declared MEV commission,
    /// and the commission it declared to Jito for this epoch or the last (if scored with it).
    pub commission_bps: u16,
    pub vault_commission_bps: u16,
    pub jito_commission_bps: Option<u16>,
    /// The parts of its score, as the rules give them now (ppm of its stake per epoch).
    pub parts: ScoreParts,
    /// Its score, MEV score, scored weight and standing as `score_validator` last recorded them.
    pub score: u64,
    pub mev_score: u64,
    pub scored_weight: u64,
    pub standing: Standing,
    /// Its tips to the stakers over the window, by path, and the stake-epochs they are over.
    pub vault_to_stakers: u64,
    pub stake_account_to_stakers: u64,
    pub stake_epochs: u128,
    /// Its rank by weight among the active validators (1 is the first), of how many.
    pub rank: usize,
    pub ranked: usize,
    /// The rated validators' means, the MEV score the sharing bar asks, and the score above
    /// which it weighs anything.
    pub means: ScoreMeans,
    pub sharing_bar: u64,
    pub floor_score: u64,
    /// Its target and its current stake above its floor, in lamports.
    pub target: u64,
    pub current: u64,
    /// What holds it where it is today.
    pub binding: Binding,
}

impl ValidatorReport {
    /// The target less the current stake: what it would gain (negative: lose).
    pub fn gap(&self) -> i128 {
        i128::from(self.target) - i128::from(self.current)
    }

    /// What would raise its stake, in a sentence.
    pub fn advice(&self) -> String {
        let more_mev = self.sharing_bar.saturating_sub(self.mev_score);
        match self.binding {
            Binding::Leaving => "nothing: it is being removed from the pool".into(),
            Binding::Unscored => "nothing yet: the crank scores it in its next epoch (tributary crank)".into(),
            Binding::NotVoting => "vote: a validator with no vote credits in this epoch or the last scores zero".into(),
            Binding::CommissionOverCap => "declare a vault MEV commission within the pool's cap (tributary set-mev-commission)".into(),
            Binding::BelowSharingBar => format!(
                "share MEV with the stakers: {more_mev} ppm of its stake an epoch more reaches the bar of {} ppm (tips to its vault, or Jito tips to its stake account at a lower commission)",
                self.sharing_bar
            ),
            Binding::BelowFloor => format!(
                "raise its score above {} ppm, {} more: share more MEV or lower its inflation commission",
                self.floor_score,
                self.floor_score.saturating_sub(self.score) + 1
            ),
            Binding::ManualWeight => "the operator's weight decides (manual mode)".into(),
            Binding::Cap => "nothing it can do: it holds the most one validator may".into(),
            Binding::AtTarget | Binding::Deadband => {
                "a higher score: its target is its weight's share, the score above the floor".into()
            }
            Binding::BusyTransient
            | Binding::Paused
            | Binding::MovementBudget
            | Binding::Reserve
            | Binding::MinimumDelegation
            | Binding::Moving => "nothing: the pool moves it towards its target as the bounds allow".into(),
        }
    }
}

impl<T: Transport> PoolClient<T> {
    /// The delegation of the validator voting with `vote`, explained: what `tributary show
    /// --validator` prints.
    pub async fn validator_report(
        &mut self,
        vote: &Pubkey,
    ) -> Result<ValidatorReport, ClientError> {
        let index = self.validator_index(vote).await?;
        let pool = self.pool_state().await?;
        let (header, entries) = self.validator_list_with_header().await?;
        let entry = entries[index as usize];
        let epoch = self.clock().await?.epoch;
        let vault = self.mev_vault(&self.addresses()?.mev_vault(vote)).await?;
        let vote_data = self.require_account_data(vote).await?;
        let commission_bps =
            read_vote_summary(&vote_data).map_or(0, |summary| summary.commission_bps);
        let window = vault.window(epoch);
        let means = header.totals.means();
        let trusted = trusted_stake_epochs(pool.total_lamports, entries.len());
        let jito_commission_bps = vault.jito_commission(epoch);
        let expected = expected_mev(means.mev_score, jito_commission_bps);
        let parts = score_parts(commission_bps, &window, trusted, expected).unwrap_or_default();
        let rule = pool.strategy.rule;
        let plan = pool
            .rebalance_plan(&header.totals, &entry)
            .map_err(ClientError::rule)?;
        let mut ranked: Vec<&ValidatorEntry> =
            entries.iter().filter(|entry| entry.is_active()).collect();
        let mode = pool.strategy.mode;
        ranked.sort_by_key(|entry| std::cmp::Reverse((entry.strategy_weight(mode), entry.score)));
        let rank = ranked
            .iter()
            .position(|ranked| ranked.vote == *vote)
            .map_or(0, |position| position + 1);
        let bounds = self.move_bounds(&pool, &header.totals, &entry).await?;
        let cap = validator_cap(pool.total_lamports, pool.strategy.validator_cap_bps).unwrap_or(0);
        let binding = match (entry.is_active(), mode, entry.standing()) {
            (false, _, _) => Binding::Leaving,
            (_, StrategyMode::Scored, Standing::Unscored) => Binding::Unscored,
            (_, StrategyMode::Scored, Standing::NotVoting) => Binding::NotVoting,
            (_, StrategyMode::Scored, Standing::CommissionOverCap) => Binding::CommissionOverCap,
            (_, StrategyMode::Scored, Standing::BelowSharingBar) => Binding::BelowSharingBar,
            (_, StrategyMode::Scored, Standing::BelowFloor) => Binding::BelowFloor,
            _ if entry.has_transient() => Binding::BusyTransient,
            _ if plan.target == plan.current => Binding::AtTarget,
            _ if pool.paused => Binding::Paused,
            _ if plan.target == cap && plan.current >= plan.target => Binding::Cap,
            _ if within_deadband(plan.target, plan.current, rule.deadband_bps) => Binding::Deadband,
            _ if bounds.budget == 0 => Binding::MovementBudget,
            _ if plan.target > plan.current && bounds.free_reserve < bounds.minimum_delegation => {
                Binding::Reserve
            }
            _ if plan.target.abs_diff(plan.current) < bounds.minimum_delegation => {
                Binding::MinimumDelegation
            }
            (_, StrategyMode::Manual, _) if plan.target == 0 => Binding::ManualWeight,
            _ => Binding::Moving,
        };
        Ok(ValidatorReport {
            vote: *vote,
            index,
            epoch,
            score_epoch: entry.score_epoch,
            commission_bps,
            vault_commission_bps: vault.declared_commission(epoch),
            jito_commission_bps,
            parts,
            score: entry.score,
            mev_score: entry.mev_score,
            scored_weight: entry.scored_weight,
            standing: entry.standing(),
            vault_to_stakers: window.vault_to_stakers,
            stake_account_to_stakers: window.stake_account_to_stakers,
            stake_epochs: window.stake_epochs,
            rank,
            ranked: ranked.len(),
            means,
            sharing_bar: sharing_bar(means, &rule),
            floor_score: weight_floor(means, &rule),
            target: plan.target,
            current: plan.current,
            binding,
        })
    }
}
