//! How a distribution splits tips between the validator, the protocol and the stakers.

use super::{fee_of, mul_div_floor};
use crate::constants::BPS_DENOMINATOR;

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SOL: u64 = 1_000_000_000;

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

    proptest! {
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

    }
}
