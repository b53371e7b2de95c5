//! Scores: what a validator returned to the stakers per staked SOL, from its MEV ledger's
//! window, and the delegation rule that turns scores into weights.

use super::mul_div_floor;
use crate::constants::{BPS_DENOMINATOR, MAX_SCORE, MEV_LEDGER_EPOCHS, NOMINAL_STAKING_PPM};
use crate::state::{DelegationRule, Standing};

/// What a validator's score is made of, in parts per million of its stake per epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScoreParts {
    /// The nominal staking yield after its inflation commission.
    pub staking: u64,
    /// Its vault's tips to the stakers.
    pub vault_mev: u64,
    /// Lamports that reached its stake account above the delegation (Jito's claims, or anything
    /// it sent there), the stakers' part.
    pub stake_account_mev: u64,
    /// What its declared Jito commission leads the stakers to expect, for the stake-epochs the
    /// window has no record of: the declaration counts until realized tips replace it.
    pub declared_mev: u64,
}

impl ScoreParts {
    /// The MEV parts together.
    pub fn mev(&self) -> u64 {
        self.vault_mev
            .saturating_add(self.stake_account_mev)
            .saturating_add(self.declared_mev)
    }

    /// The score: staking and MEV, at most `MAX_SCORE`.
    pub fn total(&self) -> u64 {
        self.staking.saturating_add(self.mev()).min(MAX_SCORE)
    }
}

/// What a validator's MEV ledger holds over the score's window, each epoch weighed by its
/// recency (`recency_weight`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowRecord {
    /// Its vault's tips split to the stakers, weighed.
    pub vault_weighed: u128,
    /// The stakers' part of what its stake account received above the delegation, weighed.
    pub stake_account_weighed: u128,
    /// Its stake summed over the epochs on record, in weighed lamport-epochs.
    pub stake_epochs: u128,
    /// Epochs on record in the window.
    pub epochs: u64,
    /// The two paths' lamports to the stakers over the window, as they came.
    pub vault_to_stakers: u64,
    pub stake_account_to_stakers: u64,
}

/// What the record of `record_epoch` weighs in the window ending at `epoch`: the window's
/// length for the current epoch, one less for each epoch of age, nothing once out of it. Recent
/// epochs count most, so a validator that stops sharing falls below the sharing bar within a
/// few epochs, and one that starts rises as fast.
pub fn recency_weight(record_epoch: u64, epoch: u64) -> Option<u64> {
    let age = epoch.checked_sub(record_epoch)?;
    (MEV_LEDGER_EPOCHS as u64)
        .checked_sub(age)
        .filter(|weight| *weight > 0)
}

/// The weights of a full window added up: `recency_weight` over its `MEV_LEDGER_EPOCHS` epochs.
pub const WINDOW_WEIGHT: u64 = (MEV_LEDGER_EPOCHS as u64) * (MEV_LEDGER_EPOCHS as u64 + 1) / 2;

/// The parts of a validator's score: the nominal staking yield after its `commission_bps`, and
/// the MEV it returned to the stakers per lamport-epoch of its stake, counting at least
/// `trusted_stake_epochs`. The floor is what keeps a small validator's lucky bundle from
/// outranking a large one that shares as much: MEV is lumpy, and a few lamports of stake prove
/// little. The stake-epochs short of the floor count at `expected_mev` (what a declared
/// commission promises, `expected_mev`), so a validator with little record is judged by its
/// declaration, and by its tips once they are on record. Each part rounds down.
pub fn score_parts(
    commission_bps: u16,
    record: &WindowRecord,
    trusted_stake_epochs: u128,
    expected_mev: u64,
) -> Option<ScoreParts> {
    let kept_bps = BPS_DENOMINATOR.checked_sub(commission_bps as u64)?;
    let staking = mul_div_floor(NOMINAL_STAKING_PPM, kept_bps, BPS_DENOMINATOR)?;
    let denominator = record.stake_epochs.max(trusted_stake_epochs);
    let per_stake = |numerator: u128| -> Option<u64> {
        match denominator {
            0 => Some(0),
            denominator => u64::try_from(numerator / denominator).ok(),
        }
    };
    let unrecorded = trusted_stake_epochs.saturating_sub(record.stake_epochs);
    Some(ScoreParts {
        staking,
        vault_mev: per_stake(record.vault_weighed.checked_mul(1_000_000)?)?,
        stake_account_mev: per_stake(record.stake_account_weighed.checked_mul(1_000_000)?)?,
        declared_mev: per_stake((expected_mev as u128).checked_mul(unrecorded)?)?,
    })
}

/// The MEV score the stakers can expect from a validator that declared `commission_bps` to
/// Jito: the rated validators' mean MEV score less that commission. Nothing without a
/// declaration.
pub fn expected_mev(mean_mev_score: u64, commission_bps: Option<u16>) -> u64 {
    commission_bps
        .and_then(|bps| BPS_DENOMINATOR.checked_sub(bps as u64))
        .and_then(|kept| mul_div_floor(mean_mev_score, kept, BPS_DENOMINATOR))
        .unwrap_or(0)
}

/// The (weighed) stake-epochs a score trusts at least: the pool's lamports per validator over
/// the whole MEV window, as if the validator had held an average share all along. Below that,
/// its MEV is spread over stake it did not have.
pub fn trusted_stake_epochs(total_lamports: u64, validators: usize) -> u128 {
    let average = u128::from(total_lamports) / validators.max(1) as u128;
    average * WINDOW_WEIGHT as u128
}

/// The rated validators' mean score and mean MEV score (`ListTotals::means`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScoreMeans {
    pub score: u64,
    pub mev_score: u64,
}

/// The least MEV score that clears `rule`'s sharing bar against `means`: its share of the mean
/// MEV score, rounded up.
pub fn sharing_bar(means: ScoreMeans, rule: &DelegationRule) -> u64 {
    let bar =
        (means.mev_score as u128 * rule.sharing_bar_bps as u128).div_ceil(BPS_DENOMINATOR as u128);
    u64::try_from(bar).unwrap_or(u64::MAX)
}

/// The score above which a validator weighs anything under `rule`: its share of the mean
/// score, rounded down.
pub fn weight_floor(means: ScoreMeans, rule: &DelegationRule) -> u64 {
    mul_div_floor(means.score, rule.concentration_bps as u64, BPS_DENOMINATOR).unwrap_or(u64::MAX)
}

/// The delegation rule of `Scored` mode: what a validator with `score`, of which `mev_score`
/// is MEV, weighs, and why. Below the sharing bar (its MEV under `rule.sharing_bar_bps` of the
/// mean MEV score) it weighs nothing, unless it is in its grace; otherwise it weighs its score
/// above `rule.concentration_bps` of the mean score, so stake goes to the best and a validator
/// that keeps its MEV falls below the floor. With no MEV anywhere the bar asks nothing.
pub fn scored_weight(
    score: u64,
    mev_score: u64,
    in_grace: bool,
    means: ScoreMeans,
    rule: &DelegationRule,
) -> (u64, Standing) {
    if !in_grace && mev_score < sharing_bar(means, rule) {
        return (0, Standing::BelowSharingBar);
    }
    match score.saturating_sub(weight_floor(means, rule)) {
        0 => (0, Standing::BelowFloor),
        weight if in_grace => (weight, Standing::Grace),
        weight => (weight, Standing::Eligible),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SOL: u64 = 1_000_000_000;

    /// A window with `vault` and `stake_account` lamports to the stakers over `stake_epochs`.
    fn window(vault: u64, stake_account: u64, stake_epochs: u128) -> WindowRecord {
        WindowRecord {
            vault_weighed: vault as u128,
            stake_account_weighed: stake_account as u128,
            stake_epochs,
            epochs: MEV_LEDGER_EPOCHS as u64,
            vault_to_stakers: vault,
            stake_account_to_stakers: stake_account,
        }
    }

    fn score(commission: u16, mev: u64, stake_epochs: u128, trusted: u128) -> u64 {
        score_parts(commission, &window(mev, 0, stake_epochs), trusted, 0)
            .unwrap()
            .total()
    }

    #[test]
    fn scores_reward_low_commission_and_shared_mev() {
        // No commission, no MEV: the nominal yield.
        assert_eq!(score(0, 0, 0, 0), NOMINAL_STAKING_PPM);
        // A 10% commission keeps a tenth of it.
        assert_eq!(score(1_000, 0, 0, 0), 360);
        // 0.016 SOL paid to stakers over 16 epochs of 1 SOL staked: 1,000 ppm an epoch.
        assert_eq!(
            score(1_000, SOL / 1_000 * 16, 16 * SOL as u128, 0),
            360 + 1_000
        );
        // The same MEV on twice the stake is worth half as much per SOL.
        assert_eq!(
            score(1_000, SOL / 1_000 * 16, 32 * SOL as u128, 0),
            360 + 500
        );
        // Above the floor, the floor changes nothing.
        assert_eq!(
            score(1_000, SOL / 1_000 * 16, 32 * SOL as u128, 16 * SOL as u128),
            360 + 500
        );
    }

    #[test]
    fn both_paths_count_alike() {
        let stake_epochs = 16 * SOL as u128;
        let vault = score_parts(0, &window(SOL / 1_000 * 16, 0, stake_epochs), 0, 0).unwrap();
        let stake = score_parts(0, &window(0, SOL / 1_000 * 16, stake_epochs), 0, 0).unwrap();
        assert_eq!((vault.vault_mev, vault.stake_account_mev), (1_000, 0));
        assert_eq!((stake.vault_mev, stake.stake_account_mev), (0, 1_000));
        assert_eq!(vault.total(), stake.total());
    }

    #[test]
    fn a_declaration_counts_until_the_record_replaces_it() {
        let trusted = 16 * SOL as u128;
        // No record: the declaration's expectation in full.
        let declared = score_parts(0, &window(0, 0, 0), trusted, 300).unwrap();
        assert_eq!((declared.declared_mev, declared.mev()), (300, 300));
        // Half the floor on record: half the declaration, half the tips.
        let half = score_parts(0, &window(0, SOL / 10_000 * 8, trusted / 2), trusted, 300).unwrap();
        assert_eq!((half.stake_account_mev, half.declared_mev), (50, 150));
        // A full record: the declaration no longer counts.
        let full = score_parts(0, &window(0, SOL / 10_000 * 16, trusted), trusted, 300).unwrap();
        assert_eq!((full.stake_account_mev, full.declared_mev), (100, 0));
        // A 10% Jito commission promises 90% of the mean; no declaration promises nothing.
        assert_eq!(expected_mev(300, Some(1_000)), 270);
        assert_eq!(expected_mev(300, Some(10_000)), 0);
        assert_eq!(expected_mev(300, None), 0);
    }

    #[test]
    fn a_small_validators_lucky_bundle_does_not_outrank_steady_sharing() {
        // A pool of 1,000 SOL over 4 validators: 250 SOL each on average.
        let trusted = trusted_stake_epochs(1_000 * SOL, 4);
        assert_eq!(trusted, 250 * 136 * SOL as u128);
        // A large validator shares 150 ppm an epoch on 400 SOL for 16 epochs (weighed: 136).
        let steady_stake = 400 * 136 * SOL as u128;
        let steady_mev = 400 * SOL / 1_000_000 * 150 * 136;
        let steady = score(500, steady_mev, steady_stake, trusted);
        // A small one of 2 SOL lands a bundle worth a third of the large one's window.
        let lucky_mev = steady_mev / 3;
        let lucky_stake = 2 * 136 * SOL as u128;
        let lucky = score(500, lucky_mev, lucky_stake, trusted);
        assert!(lucky < steady, "{lucky} {steady}");
        // Judged on its own few lamports, it would have outranked the large one many times over.
        let naive = score(500, lucky_mev, lucky_stake, 0);
        assert!(naive > 10 * steady, "{naive} {steady}");
    }

    const RULE: DelegationRule = DelegationRule {
        sharing_bar_bps: 5_000,
        concentration_bps: 9_000,
        deadband_bps: 1_000,
        grace_epochs: 3,
    };

    #[test]
    fn keeping_mev_weighs_nothing_and_sharing_weighs_the_excess() {
        let means = ScoreMeans {
            score: 450,
            mev_score: 100,
        };
        // A validator that keeps its MEV is below the bar: nothing, whatever its staking yield.
        assert_eq!(
            scored_weight(400, 0, false, means, &RULE),
            (0, Standing::BelowSharingBar)
        );
        // At half the mean MEV it clears the bar; it weighs its score above 90% of the mean.
        assert_eq!(
            scored_weight(450, 50, false, means, &RULE),
            (45, Standing::Eligible)
        );
        assert_eq!(
            scored_weight(500, 100, false, means, &RULE),
            (95, Standing::Eligible)
        );
        // In its grace the bar waits.
        assert_eq!(
            scored_weight(420, 0, true, means, &RULE),
            (15, Standing::Grace)
        );
        // Under the floor: nothing.
        assert_eq!(
            scored_weight(405, 60, false, means, &RULE),
            (0, Standing::BelowFloor)
        );
        // With no MEV anywhere the bar asks nothing; all zero, weights are the scores.
        let none = ScoreMeans {
            score: 400,
            mev_score: 0,
        };
        assert_eq!(
            scored_weight(400, 0, false, none, &RULE),
            (40, Standing::Eligible)
        );
        assert_eq!(
            scored_weight(400, 0, false, means, &DelegationRule::default()),
            (400, Standing::Eligible)
        );
        // At the sharpest concentration a pool allows, validators that score alike still weigh
        // something (the floor rounds down); at the whole mean they would weigh nothing.
        let alike = ScoreMeans {
            score: 450,
            mev_score: 100,
        };
        for (concentration_bps, weighs) in [
            (9_999, (1, Standing::Eligible)),
            (10_000, (0, Standing::BelowFloor)),
        ] {
            let rule = DelegationRule {
                concentration_bps,
                ..RULE
            };
            assert_eq!(scored_weight(450, 100, false, alike, &rule), weighs);
        }
    }

    #[test]
    fn recent_epochs_weigh_most() {
        assert_eq!(recency_weight(10, 10), Some(16));
        assert_eq!(recency_weight(9, 10), Some(15));
        assert_eq!(recency_weight(20 - 15, 20), Some(1));
        assert_eq!(recency_weight(20 - 16, 20), None);
        assert_eq!(recency_weight(11, 10), None);
        assert_eq!(
            (0..16)
                .filter_map(|age| recency_weight(100 - age, 100))
                .sum::<u64>(),
            WINDOW_WEIGHT
        );
    }

    proptest! {
        /// Sharing more never weighs less; a validator that keeps its MEV never outweighs one
        /// that shares it with the same staking yield; the declaration's part shrinks as the
        /// record grows and is gone once the record reaches the floor.
        #[test]
        fn sharing_pays_in_the_rule(
            staking in 0u64..=NOMINAL_STAKING_PPM,
            mev in 0u64..10_000,
            more in 0u64..10_000,
            mean_score in 0u64..20_000,
            mean_mev in 0u64..10_000,
            bar in 0u16..=10_000,
            concentration in 0u16..10_000,
            grace in proptest::bool::ANY,
            recorded in 0u128..32 * SOL as u128,
            trusted in 0u128..32 * SOL as u128,
            expected in 0u64..10_000,
        ) {
            let rule = DelegationRule { sharing_bar_bps: bar, concentration_bps: concentration, ..RULE };
            let means = ScoreMeans { score: mean_score, mev_score: mean_mev };
            let (low, _) = scored_weight(staking + mev, mev, grace, means, &rule);
            let (high, _) = scored_weight(staking + mev + more, mev + more, grace, means, &rule);
            prop_assert!(high >= low);
            let (keeper, _) = scored_weight(staking, 0, grace, means, &rule);
            prop_assert!(keeper <= low);
            let parts = score_parts(0, &window(0, 0, recorded), trusted, expected).unwrap();
            prop_assert!(parts.declared_mev <= expected);
            if recorded >= trusted {
                prop_assert_eq!(parts.declared_mev, 0);
            }
        }
    }
}
