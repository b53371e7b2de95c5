//! Share and lamport conversions and fee splits: pure functions, u128 intermediates, checked,
//! every rounding in the pool's favour. `supply` is always the pool's share supply: minted
//! shares plus fee shares owed to the treasury but not yet minted.

use crate::constants::{BPS_DENOMINATOR, NOMINAL_STAKING_PPM};

/// Shares worth `lamports` at the rate `total_lamports / supply`.
/// Rounds down: favours the pool. The first deposit (no shares yet) is 1:1.
pub fn lamports_to_shares(lamports: u64, total_lamports: u64, supply: u64) -> Option<u64> {
    if supply == 0 {
        return Some(lamports);
    }
    mul_div_floor(lamports, supply, total_lamports)
}

/// Lamports that `shares` are worth at the rate `total_lamports / supply`.
/// Rounds down: favours the pool.
pub fn shares_to_lamports(shares: u64, total_lamports: u64, supply: u64) -> Option<u64> {
    mul_div_floor(shares, total_lamports, supply)
}

/// A fee of `bps` basis points on `amount`. Rounds up: favours the pool.
pub fn fee_of(amount: u64, bps: u16) -> Option<u64> {
    let numerator = (amount as u128).checked_mul(bps as u128)?;
    let fee = numerator.div_ceil(BPS_DENOMINATOR as u128);
    u64::try_from(fee).ok()
}

/// `gross` split into a fee and what is left; `fee + net == gross` exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeSplit {
    pub fee: u64,
    pub net: u64,
}

pub fn split_fee(gross: u64, bps: u16) -> Option<FeeSplit> {
    let fee = fee_of(gross, bps)?.min(gross);
    Some(FeeSplit {
        fee,
        net: gross - fee,
    })
}

/// What a SOL deposit gives: shares for the depositor and fee shares for the treasury.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepositQuote {
    pub user_shares: u64,
    pub fee_shares: u64,
}

pub fn quote_deposit(
    lamports: u64,
    total_lamports: u64,
    supply: u64,
    fee_bps: u16,
) -> Option<DepositQuote> {
    let shares = lamports_to_shares(lamports, total_lamports, supply)?;
    let split = split_fee(shares, fee_bps)?;
    Some(DepositQuote {
        user_shares: split.net,
        fee_shares: split.fee,
    })
}

/// What a withdrawal of `shares` gives: lamports for the staker; the fee stays in the pool as
/// shares for the treasury.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WithdrawQuote {
    pub lamports: u64,
    pub fee_shares: u64,
}

pub fn quote_withdraw(
    shares: u64,
    total_lamports: u64,
    supply: u64,
    fee_bps: u16,
) -> Option<WithdrawQuote> {
    let split = split_fee(shares, fee_bps)?;
    let lamports = shares_to_lamports(split.net, total_lamports, supply)?;
    Some(WithdrawQuote {
        lamports,
        fee_shares: split.fee,
    })
}

/// Shares to mint so that they are worth `fee_lamports` of `total_lamports` once minted:
/// fee × supply / (total − fee). Rounds down: favours the stakers who earned the rewards.
pub fn epoch_fee_shares(fee_lamports: u64, total_lamports: u64, supply: u64) -> Option<u64> {
    if fee_lamports == 0 || supply == 0 {
        return Some(0);
    }
    mul_div_floor(
        fee_lamports,
        supply,
        total_lamports.checked_sub(fee_lamports)?,
    )
}

/// How a distribution splits tips. `processed + held back == tips` and
/// `to_validator + to_protocol + to_stakers == processed`, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TipSplit {
    pub processed: u64,
    pub to_validator: u64,
    pub to_protocol: u64,
    pub to_stakers: u64,
}

/// Splits `tips`: the validator's commission (rounded down: favours the stakers), then the
/// protocol fee on the rest (rounded up), the remainder to the stakers. Only as much is
/// processed as keeps the stakers' part within `allowance`; the rest waits.
pub fn split_tips(
    tips: u64,
    commission_bps: u16,
    fee_bps: u16,
    allowance: u64,
) -> Option<TipSplit> {
    let split = |processed: u64| -> Option<TipSplit> {
        let to_validator = mul_div_floor(processed, commission_bps as u64, BPS_DENOMINATOR)?;
        let to_protocol = fee_of(processed - to_validator, fee_bps)?.min(processed - to_validator);
        Some(TipSplit {
            processed,
            to_validator,
            to_protocol,
            to_stakers: processed - to_validator - to_protocol,
        })
    };
    let whole = split(tips)?;
    if whole.to_stakers <= allowance {
        return Some(whole);
    }
    // The stakers keep at least (1 − c)(1 − f) of what is processed, less one lamport of
    // rounding; start there and step down to the largest amount within the allowance.
    let kept = (BPS_DENOMINATOR - commission_bps as u64) * (BPS_DENOMINATOR - fee_bps as u64);
    let mut processed = u64::try_from(
        (allowance as u128 + 1) * (BPS_DENOMINATOR * BPS_DENOMINATOR) as u128 / kept as u128,
    )
    .ok()?
    .min(tips);
    // Rounding moves the stakers' part by at most a couple of lamports per step, so a few
    // steps reach it; the bound only keeps the loop finite.
    for _ in 0..64 {
        let candidate = split(processed)?;
        if candidate.to_stakers <= allowance {
            return Some(candidate);
        }
        processed = processed.checked_sub(1)?;
    }
    None
}

/// What a staked SOL of a validator returned to stakers per epoch, in parts per million: the
/// nominal staking yield after its commission, plus the MEV its vault paid the stakers per
/// lamport-epoch of stake it held (`stake_epochs`: its stake summed over the epochs the MEV was
/// paid in). Rounds down.
pub fn validator_score(
    commission_bps: u16,
    mev_to_stakers: u64,
    stake_epochs: u128,
) -> Option<u64> {
    let kept_bps = BPS_DENOMINATOR.checked_sub(commission_bps as u64)?;
    let staking = mul_div_floor(NOMINAL_STAKING_PPM, kept_bps, BPS_DENOMINATOR)?;
    let mev = match stake_epochs {
        0 => 0,
        stake_epochs => {
            u64::try_from((mev_to_stakers as u128).checked_mul(1_000_000)? / stake_epochs).ok()?
        }
    };
    staking.checked_add(mev)
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

/// How far `rebalance` moves a validator from `current` towards `target`: at most `budget`
/// (what the movement cap leaves this epoch), an increase at most `free_reserve`, a decrease at
/// most `movable_stake` (its delegation less the minimum). `None` when that is less than the
/// minimum delegation, the least the Stake program moves. Returns `(increase, lamports)`.
pub fn rebalance_move(
    target: u64,
    current: u64,
    budget: u64,
    free_reserve: u64,
    movable_stake: u64,
    minimum_delegation: u64,
) -> Option<(bool, u64)> {
    let increase = target > current;
    let lamports = if increase {
        (target - current).min(budget).min(free_reserve)
    } else {
        (current - target).min(budget).min(movable_stake)
    };
    (lamports >= minimum_delegation.max(1)).then_some((increase, lamports))
}

/// Lamports per share, the Token-2022 ScaledUiAmount multiplier: wallets then show a holding
/// in SOL. 1.0 while there are no shares.
pub fn share_price(total_lamports: u64, supply: u64) -> f64 {
    if supply == 0 {
        return 1.0;
    }
    total_lamports as f64 / supply as f64
}

/// `a * b / denominator` in u128, rounded down; `None` on a zero denominator or overflow.
fn mul_div_floor(a: u64, b: u64, denominator: u64) -> Option<u64> {
    let product = (a as u128).checked_mul(b as u128)?;
    let quotient = product.checked_div(denominator as u128)?;
    u64::try_from(quotient).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{MAX_DEPOSIT_FEE_BPS, MAX_WITHDRAWAL_FEE_BPS};
    use proptest::prelude::*;

    const SOL: u64 = 1_000_000_000;

    #[test]
    fn first_deposit_is_one_to_one() {
        assert_eq!(lamports_to_shares(5 * SOL, 0, 0), Some(5 * SOL));
        let quote = quote_deposit(5 * SOL, 0, 0, 0).unwrap();
        assert_eq!(quote.user_shares, 5 * SOL);
        assert_eq!(quote.fee_shares, 0);
    }

    #[test]
    fn conversions_round_down() {
        // 10 lamports over 3 shares: one share is worth 3.33 lamports.
        assert_eq!(shares_to_lamports(1, 10, 3), Some(3));
        assert_eq!(lamports_to_shares(4, 10, 3), Some(1));
        assert_eq!(lamports_to_shares(2, 10, 3), Some(0));
    }

    #[test]
    fn fees_round_up() {
        assert_eq!(fee_of(1, 1), Some(1));
        assert_eq!(fee_of(10_000, 30), Some(30));
        assert_eq!(fee_of(10_001, 30), Some(31));
        assert_eq!(fee_of(0, 100), Some(0));
        assert_eq!(fee_of(u64::MAX, 0), Some(0));
        assert_eq!(split_fee(1_000, 100), Some(FeeSplit { fee: 10, net: 990 }));
    }

    #[test]
    fn deposit_fee_is_taken_in_shares() {
        // Rate 1.25 lamports per share, fee 1%.
        let quote = quote_deposit(1_000, 1_250, 1_000, 100).unwrap();
        assert_eq!(quote.user_shares + quote.fee_shares, 800);
        assert_eq!(quote.fee_shares, 8);
    }

    #[test]
    fn withdrawal_pays_net_of_fee() {
        let quote = quote_withdraw(800, 1_250, 1_000, 100).unwrap();
        assert_eq!(quote.fee_shares, 8);
        assert_eq!(quote.lamports, 990);
    }

    #[test]
    fn refuses_what_cannot_be_computed() {
        // Shares outstanding but nothing under management: no rate to deposit at.
        assert_eq!(lamports_to_shares(1, 0, 10), None);
        assert_eq!(shares_to_lamports(1, 10, 0), None);
        assert_eq!(shares_to_lamports(u64::MAX, u64::MAX, 1), None);
    }

    #[test]
    fn epoch_fee_shares_are_worth_the_fee() {
        // 1,000 lamports over 1,000 shares grew to 1,100: a 10% fee is 10 lamports.
        let shares = epoch_fee_shares(10, 1_100, 1_000).unwrap();
        assert_eq!(shares, 9);
        assert_eq!(shares_to_lamports(shares, 1_100, 1_000 + shares), Some(9));
        assert_eq!(epoch_fee_shares(0, 1_100, 1_000), Some(0));
        assert_eq!(epoch_fee_shares(10, 1_100, 0), Some(0));
    }

    #[test]
    fn tips_split_into_commission_fee_and_stakers() {
        let split = split_tips(10_000, 1_000, 500, u64::MAX).unwrap();
        assert_eq!(split.to_validator, 1_000);
        assert_eq!(split.to_protocol, 450);
        assert_eq!(split.to_stakers, 8_550);
        assert_eq!(split.processed, 10_000);
        // The stakers may gain 855 lamports: a tenth of the tip is processed.
        let capped = split_tips(10_000, 1_000, 500, 855).unwrap();
        assert_eq!(capped.processed, 1_001);
        assert_eq!(
            (capped.to_validator, capped.to_protocol, capped.to_stakers),
            (100, 46, 855)
        );
        assert_eq!(split_tips(10_000, 1_000, 500, 0).unwrap().to_stakers, 0);
    }

    #[test]
    fn scores_reward_low_commission_and_shared_mev() {
        // No commission, no MEV: the nominal yield.
        assert_eq!(validator_score(0, 0, 0), Some(NOMINAL_STAKING_PPM));
        // A 10% commission keeps a tenth of it.
        assert_eq!(validator_score(1_000, 0, 0), Some(360));
        // 0.016 SOL paid to stakers over 16 epochs of 1 SOL staked: 1,000 ppm an epoch.
        assert_eq!(
            validator_score(1_000, SOL / 1_000 * 16, 16 * SOL as u128),
            Some(360 + 1_000)
        );
        // The same MEV on twice the stake is worth half as much per SOL.
        assert_eq!(
            validator_score(1_000, SOL / 1_000 * 16, 32 * SOL as u128),
            Some(360 + 500)
        );
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
        // 30 SOL short, 10 SOL of budget, 20 free in the reserve: 10 in.
        assert_eq!(
            rebalance_move(50 * SOL, 20 * SOL, 10 * SOL, 20 * SOL, 0, SOL),
            Some((true, 10 * SOL))
        );
        // 30 SOL over, but only 5 SOL above the minimum: 5 out.
        assert_eq!(
            rebalance_move(20 * SOL, 50 * SOL, 10 * SOL, 0, 5 * SOL, SOL),
            Some((false, 5 * SOL))
        );
        // At target, or less than the minimum to move: nothing.
        assert_eq!(rebalance_move(SOL, SOL, SOL, SOL, SOL, 1), None);
        assert_eq!(rebalance_move(2 * SOL, SOL, SOL, SOL / 2, 0, SOL), None);
    }

    #[test]
    fn share_price_is_lamports_per_share() {
        assert_eq!(share_price(0, 0), 1.0);
        assert_eq!(share_price(107, 100), 1.07);
    }

    /// A pool state whose rate is between 1 and 2 lamports per share (the rate only grows).
    fn pool_state() -> impl Strategy<Value = (u64, u64)> {
        (1u64..1_000_000 * SOL, 5_000u64..=10_000).prop_map(|(total, ratio_bps)| {
            let supply = (total as u128 * ratio_bps as u128 / 10_000) as u64;
            (total, supply.max(1))
        })
    }

    proptest! {
        #[test]
        fn fee_plus_net_is_gross(gross in any::<u64>(), bps in 0u16..=10_000) {
            let split = split_fee(gross, bps).unwrap();
            prop_assert_eq!(split.fee + split.net, gross);
            prop_assert!(split.fee as u128 * 10_000 >= gross as u128 * bps as u128);
        }

        #[test]
        fn deposit_then_withdraw_never_returns_more(
            (total, supply) in pool_state(),
            lamports in 1u64..100_000 * SOL,
            deposit_fee in 0u16..=MAX_DEPOSIT_FEE_BPS,
            withdrawal_fee in 0u16..=MAX_WITHDRAWAL_FEE_BPS,
        ) {
            let deposit = quote_deposit(lamports, total, supply, deposit_fee).unwrap();
            let supply_after = supply + deposit.user_shares + deposit.fee_shares;
            let withdrawal =
                quote_withdraw(deposit.user_shares, total + lamports, supply_after, withdrawal_fee)
                    .unwrap();
            prop_assert!(withdrawal.lamports <= lamports);
        }

        #[test]
        fn deposit_never_dilutes_holders(
            (total, supply) in pool_state(),
            lamports in 0u64..100_000 * SOL,
            fee in 0u16..=MAX_DEPOSIT_FEE_BPS,
        ) {
            let deposit = quote_deposit(lamports, total, supply, fee).unwrap();
            let supply_after = supply + deposit.user_shares + deposit.fee_shares;
            // Price after >= price before, compared without division.
            prop_assert!(
                (total as u128 + lamports as u128) * supply as u128
                    >= total as u128 * supply_after as u128
            );
        }

        #[test]
        fn withdrawal_never_dilutes_holders(
            (total, supply) in pool_state(),
            share_bps in 0u64..=10_000,
            fee in 0u16..=MAX_WITHDRAWAL_FEE_BPS,
        ) {
            let shares = (supply as u128 * share_bps as u128 / 10_000) as u64;
            let withdrawal = quote_withdraw(shares, total, supply, fee).unwrap();
            let supply_after = supply - shares + withdrawal.fee_shares;
            let total_after = total - withdrawal.lamports;
            prop_assert!(
                total_after as u128 * supply as u128 >= total as u128 * supply_after as u128
            );
        }

        #[test]
        fn conversions_are_monotonic(
            (total, supply) in pool_state(),
            a in 0u64..100_000 * SOL,
            b in 0u64..100_000 * SOL,
        ) {
            let (low, high) = (a.min(b), a.max(b));
            prop_assert!(
                lamports_to_shares(low, total, supply).unwrap()
                    <= lamports_to_shares(high, total, supply).unwrap()
            );
            prop_assert!(
                shares_to_lamports(low, total, supply).unwrap()
                    <= shares_to_lamports(high, total, supply).unwrap()
            );
        }

        #[test]
        fn epoch_fee_is_worth_at_most_the_fee(
            (total, supply) in pool_state(),
            rewards_bps in 0u64..=1_000,
            fee_bps in 0u16..=crate::constants::MAX_EPOCH_FEE_BPS,
        ) {
            let rewards = (total as u128 * rewards_bps as u128 / 10_000) as u64;
            let grown = total + rewards;
            let fee = fee_of(rewards, fee_bps).unwrap();
            let shares = epoch_fee_shares(fee, grown, supply).unwrap();
            let value = shares_to_lamports(shares, grown, supply + shares).unwrap();
            prop_assert!(value <= fee);
            // Short of the fee by rounding only: under one share's worth, plus one lamport.
            prop_assert!(fee - value <= grown / supply + 2);
        }

        #[test]
        fn tip_splits_conserve_every_lamport(
            tips in 0u64..1_000_000 * SOL,
            commission in 0u16..=crate::constants::MAX_MEV_COMMISSION_CAP_BPS,
            fee in 0u16..=crate::constants::MAX_MEV_FEE_BPS,
            allowance in 0u64..2_000_000 * SOL,
        ) {
            let split = split_tips(tips, commission, fee, allowance).unwrap();
            prop_assert!(split.processed <= tips);
            prop_assert_eq!(
                split.to_validator + split.to_protocol + split.to_stakers,
                split.processed
            );
            prop_assert!(split.to_stakers <= allowance);
            // Nothing is held back that the allowance had room for.
            if split.processed < tips {
                let more = split_tips(split.processed + 1, commission, fee, u64::MAX).unwrap();
                prop_assert!(more.to_stakers > allowance);
            }
        }

        #[test]
        fn a_round_trip_of_shares_never_gains(
            (total, supply) in pool_state(),
            shares in 0u64..1_000_000 * SOL,
        ) {
            let lamports = shares_to_lamports(shares, total, supply).unwrap();
            prop_assert!(lamports_to_shares(lamports, total, supply).unwrap() <= shares);
        }
    }
}
