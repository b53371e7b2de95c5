//! Delegation: validator scores, stake targets and how far `rebalance` moves.

use super::{fee_of, mul_div_floor};
use crate::constants::{BPS_DENOMINATOR, MAX_SCORE, MEV_LEDGER_EPOCHS, NOMINAL_STAKING_PPM};

/// What a staked SOL of a validator returned to stakers per epoch, in parts per million: the
/// nominal staking yield after its commission, plus the MEV its vault paid the stakers per
/// lamport-epoch of stake it held (`stake_epochs`: its stake summed over the epochs the MEV was
/// paid in), counting at least `trusted_stake_epochs`. The floor is what keeps a small
/// validator's lucky bundle from outranking a large one that shares as much: MEV is lumpy, and
/// a few lamports of stake prove little. Rounds down; at most `MAX_SCORE`.
pub fn validator_score(
    commission_bps: u16,
    mev_to_stakers: u64,
    stake_epochs: u128,
    trusted_stake_epochs: u128,
) -> Option<u64> {
    let kept_bps = BPS_DENOMINATOR.checked_sub(commission_bps as u64)?;
    let staking = mul_div_floor(NOMINAL_STAKING_PPM, kept_bps, BPS_DENOMINATOR)?;
    let mev = match stake_epochs.max(trusted_stake_epochs) {
        0 => 0,
        stake_epochs => {
            u64::try_from((mev_to_stakers as u128).checked_mul(1_000_000)? / stake_epochs).ok()?
        }
    };
    Some(staking.checked_add(mev)?.min(MAX_SCORE))
}

/// The stake-epochs a score trusts at least: the pool's lamports per validator over the whole
/// MEV window, as if the validator had held an average share all along. Below that, its MEV is
/// spread over stake it did not have.
pub fn trusted_stake_epochs(total_lamports: u64, validators: usize) -> u128 {
    let average = u128::from(total_lamports) / validators.max(1) as u128;
    average * MEV_LEDGER_EPOCHS as u128
}

/// A validator's stake target: its weight's share of what the pool wants delegated (all but
/// the reserve buffer), at most the per-validator cap. Rounds down.
pub fn stake_target(
    total_lamports: u64,
    buffer_bps: u16,
    cap_bps: u16,
    weight: u64,
    total_weight: u64,
) -> Option<u64> {
    if total_weight == 0 {
        return Some(0);
    }
    let buffer = fee_of(total_lamports, buffer_bps)?;
    let delegated = total_lamports.saturating_sub(buffer);
    let share = mul_div_floor(delegated, weight, total_weight)?;
    let cap = mul_div_floor(total_lamports, cap_bps as u64, BPS_DENOMINATOR)?;
    Some(share.min(cap))
}

/// What bounds one `rebalance` move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MoveBounds {
    /// What the movement cap leaves this epoch.
    pub budget: u64,
    /// The reserve less what it keeps (tickets, buffer, rent): the most an increase takes.
    pub free_reserve: u64,
    /// The validator's delegation less the minimum: the most a decrease takes.
    pub movable_stake: u64,
    /// The least the Stake program moves.
    pub minimum_delegation: u64,
    /// What open tickets are owed beyond the reserve and the stake already on its way back.
    pub uncovered_tickets: u64,
    /// Whether the reserve holds a transient stake account's rent. Every move opens a transient
    /// account paid its rent from the reserve; the reserve keeps one such rent from instant
    /// withdrawals and claims, so that it can always unstake once for tickets, but a second
    /// move in the same epoch may find it spent until the crank brings the first one back.
    pub transient_rent_funded: bool,
}

/// How far `rebalance` moves a validator from `current` towards `target`, within `bounds`.
/// While tickets are uncovered the pool only unstakes, and for them it goes past the target
/// and the movement cap, at least the minimum delegation: tickets are paid within a bounded
/// number of epochs whatever the strategy says. `None` when the move would be less than the
/// minimum delegation, or the reserve cannot pay the transient account's rent. Returns `(increase, lamports)`.
pub fn rebalance_move(target: u64, current: u64, bounds: &MoveBounds) -> Option<(bool, u64)> {
    if !bounds.transient_rent_funded {
        return None;
    }
    let minimum = bounds.minimum_delegation.max(1);
    let excess = current.saturating_sub(target);
    let (increase, lamports) = if bounds.uncovered_tickets > 0 {
        let wanted = excess
            .min(bounds.budget)
            .max(bounds.uncovered_tickets)
            .max(minimum);
        (false, wanted.min(bounds.movable_stake))
    } else if target > current {
        let lamports = (target - current)
            .min(bounds.budget)
            .min(bounds.free_reserve);
        (true, lamports)
    } else {
        (false, excess.min(bounds.budget).min(bounds.movable_stake))
    };
    (lamports >= minimum).then_some((increase, lamports))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOL: u64 = 1_000_000_000;

    #[test]
    fn scores_reward_low_commission_and_shared_mev() {
        // No commission, no MEV: the nominal yield.
        assert_eq!(validator_score(0, 0, 0, 0), Some(NOMINAL_STAKING_PPM));
        // A 10% commission keeps a tenth of it.
        assert_eq!(validator_score(1_000, 0, 0, 0), Some(360));
        // 0.016 SOL paid to stakers over 16 epochs of 1 SOL staked: 1,000 ppm an epoch.
        assert_eq!(
            validator_score(1_000, SOL / 1_000 * 16, 16 * SOL as u128, 0),
            Some(360 + 1_000)
        );
        // The same MEV on twice the stake is worth half as much per SOL.
        assert_eq!(
            validator_score(1_000, SOL / 1_000 * 16, 32 * SOL as u128, 0),
            Some(360 + 500)
        );
        // Above the floor, the floor changes nothing.
        assert_eq!(
            validator_score(1_000, SOL / 1_000 * 16, 32 * SOL as u128, 16 * SOL as u128),
            Some(360 + 500)
        );
    }

    #[test]
    fn a_small_validators_lucky_bundle_does_not_outrank_steady_sharing() {
        // A pool of 1,000 SOL over 4 validators: 250 SOL each on average.
        let trusted = trusted_stake_epochs(1_000 * SOL, 4);
        assert_eq!(trusted, 250 * 16 * SOL as u128);
        // A large validator shares 150 ppm an epoch on 400 SOL for 16 epochs.
        let steady_stake = 400 * 16 * SOL as u128;
        let steady_mev = 400 * SOL / 1_000_000 * 150 * 16;
        let steady = validator_score(500, steady_mev, steady_stake, trusted).unwrap();
        // A small one of 2 SOL lands a bundle worth a third of the large one's window.
        let lucky_mev = steady_mev / 3;
        let lucky_stake = 2 * 16 * SOL as u128;
        let lucky = validator_score(500, lucky_mev, lucky_stake, trusted).unwrap();
        assert!(lucky < steady, "{lucky} {steady}");
        // Judged on its own few lamports, it would have outranked the large one many times over.
        let naive = validator_score(500, lucky_mev, lucky_stake, 0).unwrap();
        assert!(naive > 10 * steady, "{naive} {steady}");
    }

    #[test]
    fn targets_follow_weights_under_the_cap() {
        // 100 SOL, 10% buffer: 90 SOL to spread.
        assert_eq!(stake_target(100 * SOL, 1_000, 10_000, 1, 3), Some(30 * SOL));
        assert_eq!(stake_target(100 * SOL, 1_000, 2_000, 2, 3), Some(20 * SOL));
        assert_eq!(stake_target(100 * SOL, 1_000, 10_000, 0, 3), Some(0));
        assert_eq!(stake_target(100 * SOL, 1_000, 10_000, 1, 0), Some(0));
    }

    #[test]
    fn rebalance_moves_within_every_bound() {
        let bounds = MoveBounds {
            budget: 10 * SOL,
            free_reserve: 20 * SOL,
            movable_stake: 5 * SOL,
            minimum_delegation: SOL,
            uncovered_tickets: 0,
            transient_rent_funded: true,
        };
        // 30 SOL short, 10 SOL of budget, 20 free in the reserve: 10 in.
        assert_eq!(
            rebalance_move(50 * SOL, 20 * SOL, &bounds),
            Some((true, 10 * SOL))
        );
        // 30 SOL over, but only 5 SOL above the minimum: 5 out.
        assert_eq!(
            rebalance_move(20 * SOL, 50 * SOL, &bounds),
            Some((false, 5 * SOL))
        );
        // At target, or less than the minimum to move: nothing.
        assert_eq!(rebalance_move(SOL, SOL, &bounds), None);
        let poor = MoveBounds {
            free_reserve: SOL / 2,
            ..bounds
        };
        assert_eq!(rebalance_move(2 * SOL, SOL, &poor), None);
    }

    #[test]
    fn uncovered_tickets_unstake_past_the_target_and_the_cap() {
        let bounds = MoveBounds {
            budget: 0,
            free_reserve: 20 * SOL,
            movable_stake: 30 * SOL,
            minimum_delegation: SOL,
            uncovered_tickets: 12 * SOL,
            transient_rent_funded: true,
        };
        // Below its target and with no budget left, it still gives what the tickets need.
        assert_eq!(
            rebalance_move(50 * SOL, 40 * SOL, &bounds),
            Some((false, 12 * SOL))
        );
        // Far above its target within the budget: the larger of the two.
        let budget = MoveBounds {
            budget: 20 * SOL,
            ..bounds
        };
        assert_eq!(
            rebalance_move(10 * SOL, 40 * SOL, &budget),
            Some((false, 20 * SOL))
        );
        // A shortfall below the minimum delegation moves the minimum.
        let small = MoveBounds {
            uncovered_tickets: SOL / 10,
            ..bounds
        };
        assert_eq!(
            rebalance_move(50 * SOL, 40 * SOL, &small),
            Some((false, SOL))
        );
        // Never more than is movable; nothing when that is under the minimum.
        let stuck = MoveBounds {
            movable_stake: SOL / 2,
            ..bounds
        };
        assert_eq!(rebalance_move(50 * SOL, 40 * SOL, &stuck), None);
        // Nor while the reserve cannot pay a transient account's rent.
        let unfunded = MoveBounds {
            transient_rent_funded: false,
            ..bounds
        };
        assert_eq!(rebalance_move(50 * SOL, 40 * SOL, &unfunded), None);
    }
}
