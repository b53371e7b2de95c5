//! Delegation: stake targets, the deadband, and how far `rebalance` moves.

use super::{fee_of, mul_div_floor};
use crate::constants::BPS_DENOMINATOR;

/// Whether a move from `current` down to `target` is smaller than `deadband_bps` of the
/// target: it waits, since unstaking costs the moved stake an epoch of rewards. A move up never
/// waits: it stakes the reserve's free lamports, which earn nothing where they are.
pub fn within_deadband(target: u64, current: u64, deadband_bps: u16) -> bool {
    let excess = current.saturating_sub(target) as u128;
    excess > 0 && excess * (BPS_DENOMINATOR as u128) < target as u128 * deadband_bps as u128
}

/// What the pool wants delegated: all but the reserve buffer.
pub fn delegated_lamports(total_lamports: u64, buffer_bps: u16) -> Option<u64> {
    Some(total_lamports.saturating_sub(fee_of(total_lamports, buffer_bps)?))
}

/// The most one validator may hold: `cap_bps` of the pool. Rounds down.
pub fn validator_cap(total_lamports: u64, cap_bps: u16) -> Option<u64> {
    mul_div_floor(total_lamports, cap_bps as u64, BPS_DENOMINATOR)
}

/// What a validator's target is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetInputs {
    pub total_lamports: u64,
    pub buffer_bps: u16,
    pub cap_bps: u16,
    /// Its weight, and every validator's.
    pub weight: u64,
    pub total_weight: u64,
    /// `Scored` mode: what the validators' weights would give beyond the cap (`overflow`), and
    /// this validator's claim on it (its score, when it clears the sharing bar and is under the
    /// cap) and every validator's.
    pub overflow: u64,
    pub spare_weight: u64,
    pub total_spare_weight: u64,
}

/// A validator's stake target: its weight's share of what the pool wants delegated, plus its
/// spare weight's share of what the others' weights would give beyond the cap, at most the
/// cap. Without the second part, stake concentrated on a few capped validators would sit idle
/// in the reserve. Rounds down.
pub fn stake_target(inputs: &TargetInputs) -> Option<u64> {
    let share_of = |lamports: u64, weight: u64, total: u64| match total {
        0 => Some(0),
        total => mul_div_floor(lamports, weight, total),
    };
    let delegated = delegated_lamports(inputs.total_lamports, inputs.buffer_bps)?;
    let share = share_of(delegated, inputs.weight, inputs.total_weight)?;
    let spare = share_of(
        inputs.overflow,
        inputs.spare_weight,
        inputs.total_spare_weight,
    )?;
    Some(
        share
            .saturating_add(spare)
            .min(validator_cap(inputs.total_lamports, inputs.cap_bps)?),
    )
}

/// What a validator's weight would give it beyond the cap (`stake_target` without the cap).
pub fn overflow(inputs: &TargetInputs) -> Option<u64> {
    let delegated = delegated_lamports(inputs.total_lamports, inputs.buffer_bps)?;
    let share = match inputs.total_weight {
        0 => 0,
        total => mul_div_floor(delegated, inputs.weight, total)?,
    };
    Some(share.saturating_sub(validator_cap(inputs.total_lamports, inputs.cap_bps)?))
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
    fn small_unstakes_wait_in_the_deadband() {
        // 10% of a 100 SOL target: 9 SOL too many waits, 10 SOL too many moves.
        assert!(within_deadband(100 * SOL, 109 * SOL, 1_000));
        assert!(!within_deadband(100 * SOL, 110 * SOL, 1_000));
        // Stake short of its target never waits: the reserve's free lamports earn nothing.
        assert!(!within_deadband(100 * SOL, 91 * SOL, 1_000));
        assert!(!within_deadband(100 * SOL, 100 * SOL - 1, 1_000));
        // At the target there is nothing to move; a target of zero always moves; no deadband
        // never waits.
        assert!(!within_deadband(100 * SOL, 100 * SOL, 1_000));
        assert!(!within_deadband(0, SOL, 1_000));
        assert!(!within_deadband(100 * SOL, 100 * SOL + 1, 0));
    }

    fn target(cap_bps: u16, weight: u64, total_weight: u64) -> Option<u64> {
        stake_target(&TargetInputs {
            total_lamports: 100 * SOL,
            buffer_bps: 1_000,
            cap_bps,
            weight,
            total_weight,
            ..TargetInputs::default()
        })
    }

    #[test]
    fn targets_follow_weights_under_the_cap() {
        // 100 SOL, 10% buffer: 90 SOL to spread.
        assert_eq!(target(10_000, 1, 3), Some(30 * SOL));
        assert_eq!(target(2_000, 2, 3), Some(20 * SOL));
        assert_eq!(target(10_000, 0, 3), Some(0));
        assert_eq!(target(10_000, 1, 0), Some(0));
    }

    #[test]
    fn what_the_cap_holds_back_goes_to_the_validators_under_it() {
        // Weights 3:1 of 90 SOL under a 40 SOL cap: the first would take 67.5 SOL.
        let first = TargetInputs {
            total_lamports: 100 * SOL,
            buffer_bps: 1_000,
            cap_bps: 4_000,
            weight: 3,
            total_weight: 4,
            ..TargetInputs::default()
        };
        assert_eq!(overflow(&first), Some(27_500_000_000));
        assert_eq!(stake_target(&first), Some(40 * SOL));
        // The second, under the cap, takes its 22.5 SOL and the 27.5 held back: all 50 of the
        // 90 not given to the first, at most its cap.
        let second = TargetInputs {
            weight: 1,
            overflow: 27_500_000_000,
            spare_weight: 500,
            total_spare_weight: 500,
            ..first
        };
        assert_eq!(overflow(&second), Some(0));
        assert_eq!(stake_target(&second), Some(40 * SOL));
        let uncapped = TargetInputs {
            cap_bps: 10_000,
            ..second
        };
        assert_eq!(stake_target(&uncapped), Some(50 * SOL));
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
