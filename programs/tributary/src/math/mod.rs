//! Share and lamport conversions and fee splits: pure functions, u128 intermediates, checked,
//! every rounding in the pool's favour. `supply` is always the pool's share supply: minted
//! shares, fee shares owed to the treasury but not yet minted, and the locked shares.

use crate::constants::BPS_DENOMINATOR;

mod roll;
mod score;
mod strategy;
mod tips;

pub use roll::*;
pub use score::*;
pub use strategy::*;
pub use tips::*;

/// Shares worth `lamports` at the rate `total_lamports / supply`.
/// Rounds down: favours the pool. Without shares (a pool always has its locked ones) it is 1:1.
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

/// The fewest shares worth at least `lamports` at the rate `total_lamports / supply`, as
/// `shares_to_lamports` values them. Rounds up: what a holder redeems for a sum of SOL.
pub fn shares_worth_at_least(lamports: u64, total_lamports: u64, supply: u64) -> Option<u64> {
    if total_lamports == 0 {
        return Some(lamports);
    }
    let shares = (lamports as u128)
        .checked_mul(supply as u128)?
        .div_ceil(total_lamports as u128);
    u64::try_from(shares).ok()
}

/// A fee of `bps` basis points on `amount`. Rounds up: favours the pool.
pub fn fee_of(amount: u64, bps: u16) -> Option<u64> {
    let numerator = (amount as u128).checked_mul(bps as u128)?;
    let fee = numerator.div_ceil(BPS_DENOMINATOR as u128);
    u64::try_from(fee).ok()
}

/// `gross` split into a fee and what is left; `fee + net == gross` exactly. The fee rounds up
/// (favours the pool) but never takes the whole of a positive amount, so anything worth a
/// lamport can always leave the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeSplit {
    pub fee: u64,
    pub net: u64,
}

pub fn split_fee(gross: u64, bps: u16) -> Option<FeeSplit> {
    let fee = fee_of(gross, bps)?.min(gross.saturating_sub(1));
    Some(FeeSplit {
        fee,
        net: gross - fee,
    })
}

/// What a SOL deposit gives: shares for the depositor and fee shares for the treasury. The
/// fee is taken in lamports, then both parts are priced at the rate; each rounds down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepositQuote {
    pub user_shares: u64,
    pub fee_lamports: u64,
    pub fee_shares: u64,
}

pub fn quote_deposit(
    lamports: u64,
    total_lamports: u64,
    supply: u64,
    fee_bps: u16,
) -> Option<DepositQuote> {
    let split = split_fee(lamports, fee_bps)?;
    Some(DepositQuote {
        user_shares: lamports_to_shares(split.net, total_lamports, supply)?,
        fee_lamports: split.fee,
        fee_shares: lamports_to_shares(split.fee, total_lamports, supply)?,
    })
}

/// What a withdrawal of `shares` gives: their value, rounded down, less the fee in lamports
/// for the staker; the fee stays in the pool as shares for the treasury, rounded down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WithdrawQuote {
    pub lamports: u64,
    pub fee_lamports: u64,
    pub fee_shares: u64,
}

pub fn quote_withdraw(
    shares: u64,
    total_lamports: u64,
    supply: u64,
    fee_bps: u16,
) -> Option<WithdrawQuote> {
    let value = shares_to_lamports(shares, total_lamports, supply)?;
    let split = split_fee(value, fee_bps)?;
    Some(WithdrawQuote {
        lamports: split.net,
        fee_lamports: split.fee,
        fee_shares: lamports_to_shares(split.fee, total_lamports, supply)?,
    })
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
pub(crate) fn mul_div_floor(a: u64, b: u64, denominator: u64) -> Option<u64> {
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
            // Rounded up, except that it never takes the whole of a positive amount.
            prop_assert!(
                split.fee as u128 * 10_000 >= gross as u128 * bps as u128 || split.net == 1
            );
            prop_assert!(gross == 0 || split.net > 0);
        }

        #[test]
        fn a_depositor_loses_at_most_one_share(
            total in 1u64..1_000_000 * SOL,
            // Up to a million lamports per share: what a donation could do to a pool.
            price_ppm in 1_000_000u64..1_000_000_000_000,
            lamports in 1u64..100_000 * SOL,
            fee in 0u16..=MAX_DEPOSIT_FEE_BPS,
        ) {
            let supply = ((total as u128 * 1_000_000 / price_ppm as u128) as u64).max(1);
            let Some(deposit) = quote_deposit(lamports, total, supply, fee) else {
                return Ok(());
            };
            let supply_after = supply + deposit.user_shares + deposit.fee_shares;
            let value = shares_to_lamports(deposit.user_shares, total + lamports, supply_after)
                .unwrap();
            let one_share = total.div_ceil(supply);
            prop_assert!(value + deposit.fee_lamports + one_share + 1 >= lamports);
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
        fn the_shares_worth_a_sum_are_the_fewest_that_are(
            (total, supply) in pool_state(),
            lamports in 0u64..100_000 * SOL,
        ) {
            let shares = shares_worth_at_least(lamports, total, supply).unwrap();
            prop_assert!(shares_to_lamports(shares, total, supply).unwrap() >= lamports);
            if shares > 0 {
                prop_assert!(shares_to_lamports(shares - 1, total, supply).unwrap() < lamports);
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
