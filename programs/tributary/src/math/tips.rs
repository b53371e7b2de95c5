//! How a distribution splits tips between the validator, the protocol and the stakers, and how
//! much of what the stakers are owed the tip rate cap lets reach them.

use super::{fee_of, mul_div_floor};
use crate::constants::BPS_DENOMINATOR;

/// How a distribution splits tips that arrived in a vault since the last one.
/// `to_validator + to_protocol + to_stakers == processed`, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TipSplit {
    pub processed: u64,
    pub to_validator: u64,
    pub to_protocol: u64,
    pub to_stakers: u64,
}

/// Splits `tips` at the commission and fee in force when they arrive: the validator's
/// commission (rounded down: favours the stakers), then the protocol fee on the rest (rounded
/// up), the remainder to the stakers. The split is final: what the rate cap holds back waits
/// as the stakers' and the protocol's, whatever the validator declares later.
pub fn split_tips(tips: u64, commission_bps: u16, fee_bps: u16) -> Option<TipSplit> {
    let to_validator = mul_div_floor(tips, commission_bps as u64, BPS_DENOMINATOR)?;
    let to_protocol = fee_of(tips - to_validator, fee_bps)?.min(tips - to_validator);
    Some(TipSplit {
        processed: tips,
        to_validator,
        to_protocol,
        to_stakers: tips - to_validator - to_protocol,
    })
}

/// What of the tips held for the stakers and the protocol reaches the reserve now: the stakers'
/// part up to `allowance`, and the protocol's in the same proportion (rounded down), all of
/// both once the stakers' part fits. Returns `(to_stakers, to_protocol)`.
pub fn release_held(held_to_stakers: u64, held_to_protocol: u64, allowance: u64) -> (u64, u64) {
    if held_to_stakers <= allowance {
        return (held_to_stakers, held_to_protocol);
    }
    let to_protocol = mul_div_floor(held_to_protocol, allowance, held_to_stakers).unwrap_or(0);
    (allowance, to_protocol)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SOL: u64 = 1_000_000_000;

    #[test]
    fn tips_split_into_commission_fee_and_stakers() {
        let split = split_tips(10_000, 1_000, 500).unwrap();
        assert_eq!(split.to_validator, 1_000);
        assert_eq!(split.to_protocol, 450);
        assert_eq!(split.to_stakers, 8_550);
        assert_eq!(split.processed, 10_000);
        // The stakers may gain 855 lamports: a tenth of what is held reaches the reserve.
        assert_eq!(release_held(8_550, 450, 855), (855, 45));
        assert_eq!(release_held(8_550, 450, 0), (0, 0));
        assert_eq!(release_held(8_550, 450, 9_000), (8_550, 450));
    }

    proptest! {
        #[test]
        fn tip_splits_conserve_every_lamport(
            tips in 0u64..1_000_000 * SOL,
            commission in 0u16..=crate::constants::MAX_MEV_COMMISSION_CAP_BPS,
            fee in 0u16..=crate::constants::MAX_MEV_FEE_BPS,
            allowance in 0u64..2_000_000 * SOL,
        ) {
            let split = split_tips(tips, commission, fee).unwrap();
            prop_assert_eq!(split.processed, tips);
            prop_assert_eq!(
                split.to_validator + split.to_protocol + split.to_stakers,
                split.processed
            );
            let (stakers, protocol) = release_held(split.to_stakers, split.to_protocol, allowance);
            prop_assert!(stakers <= allowance && stakers <= split.to_stakers);
            prop_assert!(protocol <= split.to_protocol);
            // The protocol never gets ahead of the stakers.
            prop_assert!(protocol as u128 * split.to_stakers as u128 <= stakers as u128 * split.to_protocol as u128);
            // Nothing is held back that the allowance had room for.
            if stakers < split.to_stakers {
                prop_assert_eq!(stakers, allowance);
            } else {
                prop_assert_eq!(protocol, split.to_protocol);
            }
        }
    }
}
