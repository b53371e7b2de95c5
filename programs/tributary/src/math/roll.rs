//! The epoch roll and the tickets: what the pool counts once an epoch, and how a loss is shared.

use super::{epoch_fee_shares, fee_of, mul_div_floor};

/// Units for a new ticket owed `lamports`, with `ticket_lamports` owed over `ticket_units`
/// units already: a ticket is worth its units' share of what all tickets are owed, so a loss
/// cuts every open ticket alike. 1:1 while no ticket is open. Rounds down: the new ticket
/// never takes from the others. `None` once open tickets have lost everything.
pub fn ticket_units_for(lamports: u64, ticket_lamports: u64, ticket_units: u64) -> Option<u64> {
    if ticket_units == 0 {
        return Some(lamports);
    }
    mul_div_floor(lamports, ticket_units, ticket_lamports)
}

/// What a ticket of `units` is owed now. Rounds down: favours the other tickets.
pub fn ticket_value(units: u64, ticket_lamports: u64, ticket_units: u64) -> u64 {
    mul_div_floor(units, ticket_lamports, ticket_units).unwrap_or(0)
}

/// What the pool holds and owes at an epoch roll, before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RollInputs {
    /// The reserve above its rent plus every validator's lamports.
    pub assets: u64,
    /// What the validators' stake accounts keep of the floors the operator paid: no one
    /// else's.
    pub floor_lamports: u64,
    /// The stakers' lamports as last counted.
    pub total_lamports: u64,
    pub ticket_lamports: u64,
    /// Tips distributed since the last roll, in the reserve: the stakers' and the protocol's.
    pub tips_to_stakers: u64,
    pub tips_to_protocol: u64,
    pub epoch_fee_bps: u16,
    /// The share supply, fee shares owed and locked shares included.
    pub supply: u64,
}

/// The ledger after an epoch roll. `total_lamports + ticket_lamports == assets`, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roll {
    /// What the stakers and the tickets own: the assets above the floors.
    pub assets: u64,
    pub total_lamports: u64,
    pub ticket_lamports: u64,
    /// Growth beyond the tips: staking rewards, lamports swept from stake accounts, donations.
    pub rewards: u64,
    /// Tips counted: the stakers' and the protocol's parts.
    pub tips: u64,
    /// What the pool holds short of what it owed, shared by the stakers and the open tickets.
    pub loss: u64,
    /// The tickets' part of the loss.
    pub ticket_loss: u64,
    /// The protocol's fee on the rewards.
    pub epoch_fee_lamports: u64,
    /// The protocol's part of the tips, after its share of any loss.
    pub mev_fee_lamports: u64,
    /// Shares for the treasury, worth both fees.
    pub fee_shares: u64,
}

/// The epoch roll: counts what the pool holds against what it owed. Growth is rewards (the
/// epoch fee taken on it) and the tips; a shortfall is a loss, shared pro rata by the stakers
/// (with the protocol's tip fee) and the open tickets. Never fails: the epoch always rolls.
pub fn roll_epoch(inputs: &RollInputs) -> Roll {
    let wide = |value: u64| value as u128;
    let tickets = wide(inputs.ticket_lamports);
    let tips = wide(inputs.tips_to_stakers) + wide(inputs.tips_to_protocol);
    let stakers = wide(inputs.total_lamports) + tips;
    let owed = stakers + tickets;
    let assets = inputs.assets.saturating_sub(inputs.floor_lamports);
    let mut roll = Roll {
        assets,
        tips: u64::try_from(tips).unwrap_or(u64::MAX),
        ..Roll::default()
    };
    let assets = wide(assets);
    let (total, tickets) = if assets >= owed {
        roll.rewards = u64::try_from(assets - owed).unwrap_or(u64::MAX);
        roll.epoch_fee_lamports = fee_of(roll.rewards, inputs.epoch_fee_bps).unwrap_or(0);
        roll.mev_fee_lamports = inputs.tips_to_protocol;
        (assets - tickets, tickets)
    } else {
        // The tickets keep assets / owed of what they were owed, rounded up: their part of the
        // loss rounds down, so a small loss never wipes out a small ticket. Both factors fit
        // u64, so the product fits u128.
        let loss = owed - assets;
        let kept = (tickets * assets).div_ceil(owed);
        let ticket_loss = tickets - kept;
        let tickets = kept;
        let total = assets - tickets;
        roll.loss = u64::try_from(loss).unwrap_or(u64::MAX);
        roll.ticket_loss = u64::try_from(ticket_loss).unwrap_or(u64::MAX);
        roll.mev_fee_lamports = wide(inputs.tips_to_protocol)
            .checked_mul(total)
            .and_then(|fee| fee.checked_div(stakers))
            .and_then(|fee| u64::try_from(fee).ok())
            .unwrap_or(0);
        (total, tickets)
    };
    // Both fit: together they are the assets.
    roll.total_lamports = total as u64;
    roll.ticket_lamports = tickets as u64;
    // Should the fees ever be the whole pool, the protocol forgoes them rather than stop it.
    roll.fee_shares = roll
        .epoch_fee_lamports
        .checked_add(roll.mev_fee_lamports)
        .and_then(|fee| epoch_fee_shares(fee, roll.total_lamports, inputs.supply))
        .unwrap_or(0);
    roll
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::shares_to_lamports;
    use proptest::prelude::*;

    const SOL: u64 = 1_000_000_000;

    fn inputs() -> RollInputs {
        RollInputs {
            assets: 0,
            floor_lamports: SOL,
            total_lamports: 80 * SOL,
            ticket_lamports: 20 * SOL,
            tips_to_stakers: 0,
            tips_to_protocol: 0,
            epoch_fee_bps: 1_000,
            supply: 80 * SOL,
        }
    }

    #[test]
    fn growth_is_rewards_and_tips_with_their_fees() {
        let roll = roll_epoch(&RollInputs {
            assets: 105 * SOL,
            tips_to_stakers: 3 * SOL,
            tips_to_protocol: SOL / 10,
            ..inputs()
        });
        // 104 SOL above the floor; 103.1 were owed (80 + 20 + 3.1 of tips): 0.9 of rewards.
        assert_eq!(roll.rewards, 9 * SOL / 10);
        assert_eq!(roll.tips, 31 * SOL / 10);
        assert_eq!(roll.loss, 0);
        assert_eq!(roll.ticket_lamports, 20 * SOL);
        assert_eq!(roll.total_lamports, 84 * SOL);
        assert_eq!(roll.epoch_fee_lamports, 9 * SOL / 100);
        assert_eq!(roll.mev_fee_lamports, SOL / 10);
        let value = shares_to_lamports(roll.fee_shares, 84 * SOL, 80 * SOL + roll.fee_shares);
        assert_eq!(value, Some(19 * SOL / 100 - 1));
    }

    #[test]
    fn a_loss_is_shared_pro_rata_with_the_tickets() {
        // 10 SOL short of the 100 owed above the floor: tickets hold a fifth, lose a fifth.
        let roll = roll_epoch(&RollInputs {
            assets: 91 * SOL,
            ..inputs()
        });
        assert_eq!(roll.loss, 10 * SOL);
        assert_eq!(roll.ticket_loss, 2 * SOL);
        assert_eq!(roll.ticket_lamports, 18 * SOL);
        assert_eq!(roll.total_lamports, 72 * SOL);
        assert_eq!((roll.rewards, roll.fee_shares), (0, 0));
        // Each ticket is owed 10% less.
        assert_eq!(ticket_value(SOL, 18 * SOL, 20 * SOL), 9 * SOL / 10);
    }

    #[test]
    fn the_roll_never_fails() {
        // Everything lost, the floors included.
        let roll = roll_epoch(&RollInputs {
            assets: SOL / 2,
            ..inputs()
        });
        assert_eq!((roll.total_lamports, roll.ticket_lamports), (0, 0));
        // Nothing owed and nothing held.
        assert_eq!(roll_epoch(&RollInputs::default()), Roll::default());
        let huge = roll_epoch(&RollInputs {
            assets: u64::MAX,
            total_lamports: u64::MAX,
            ticket_lamports: u64::MAX,
            tips_to_stakers: u64::MAX,
            tips_to_protocol: u64::MAX,
            ..inputs()
        });
        assert_eq!(huge.total_lamports + huge.ticket_lamports, huge.assets);
    }

    #[test]
    fn tickets_are_owed_their_share() {
        assert_eq!(ticket_units_for(5 * SOL, 0, 0), Some(5 * SOL));
        // After a loss a unit is worth 0.9 lamports: more units for the same lamports.
        assert_eq!(ticket_units_for(9, 18, 20), Some(10));
        assert_eq!(ticket_value(10, 18, 20), 9);
        assert_eq!(ticket_units_for(1, 0, 5), None);
        assert_eq!(ticket_value(5, 0, 0), 0);
    }

    proptest! {
        #[test]
        fn every_lamport_is_accounted_for(
            assets in 0u64..1_000_000 * SOL,
            floor in 0u64..10 * SOL,
            total in 0u64..1_000_000 * SOL,
            tickets in 0u64..1_000_000 * SOL,
            tips in 0u64..10_000 * SOL,
            tip_fee_bps in 0u64..=1_000,
            epoch_fee_bps in 0u16..=1_000,
            supply in 1u64..1_000_000 * SOL,
        ) {
            let inputs = RollInputs {
                assets,
                floor_lamports: floor,
                total_lamports: total,
                ticket_lamports: tickets,
                tips_to_stakers: tips - tips * tip_fee_bps / 10_000,
                tips_to_protocol: tips * tip_fee_bps / 10_000,
                epoch_fee_bps,
                supply,
            };
            let roll = roll_epoch(&inputs);
            prop_assert_eq!(roll.assets, assets.saturating_sub(floor));
            prop_assert_eq!(roll.total_lamports + roll.ticket_lamports, roll.assets);
            let owed = total as u128 + tickets as u128 + tips as u128;
            if (roll.assets as u128) >= owed {
                // No loss: tickets keep what they were owed; stakers gain tips and rewards.
                prop_assert_eq!(roll.ticket_lamports, tickets);
                prop_assert_eq!(roll.loss, 0);
                prop_assert_eq!(roll.total_lamports as u128, total as u128 + tips as u128 + roll.rewards as u128);
            } else {
                // A loss: both sides lose the same share, tickets never more (rounding).
                prop_assert_eq!(roll.loss as u128, owed - roll.assets as u128);
                prop_assert_eq!(roll.ticket_loss, tickets - roll.ticket_lamports);
                let stakers = total as u128 + tips as u128;
                let stakers_loss = stakers - roll.total_lamports as u128;
                // ticket_loss / tickets <= stakers_loss / stakers
                prop_assert!(roll.ticket_loss as u128 * stakers <= stakers_loss * tickets as u128);
                prop_assert!(roll.ticket_loss as u128 + 1 >= roll.loss as u128 * tickets as u128 / owed);
                prop_assert_eq!(roll.rewards, 0);
            }
            // The treasury's new shares are worth at most the fees.
            let fees = roll.epoch_fee_lamports + roll.mev_fee_lamports;
            let value = shares_to_lamports(roll.fee_shares, roll.total_lamports, supply + roll.fee_shares);
            prop_assert!(value.unwrap_or(0) <= fees);
        }

        #[test]
        fn tickets_never_owe_more_than_the_pool_holds_for_them(
            orders in proptest::collection::vec(1u64..1_000 * SOL, 1..20),
            cut_bps in 0u64..=10_000,
        ) {
            let (mut lamports, mut units) = (0u64, 0u64);
            let mut held = Vec::new();
            for order in &orders {
                let new = ticket_units_for(*order, lamports, units).unwrap();
                // A new ticket is worth at most what it was sold for.
                prop_assert!(ticket_value(new, lamports + order, units + new) <= *order);
                lamports += order;
                units += new;
                held.push(new);
            }
            lamports -= (lamports as u128 * cut_bps as u128 / 10_000) as u64;
            let owed: u64 = held.iter().map(|units_held| ticket_value(*units_held, lamports, units)).sum();
            prop_assert!(owed <= lamports);
            prop_assert!(lamports - owed < held.len() as u64 + 1);
        }
    }
}
