//! The epoch roll and the tickets: what the pool counts once an epoch, and how a loss is shared.

use super::{fee_of, lamports_to_shares, mul_div_floor};

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

/// Whether a ticket ordered in `created_epoch` may be claimed in `epoch`: after the epoch
/// boundary that follows its order.
pub fn ticket_is_due(created_epoch: u64, epoch: u64) -> bool {
    epoch > created_epoch
}

/// Whether a reserve holding `spendable` lamports above its rent pays out `lamports` and still
/// keeps `keep` (what tickets are owed, a transient stake account's rent).
pub fn reserve_pays(spendable: u64, lamports: u64, keep: u64) -> bool {
    spendable.saturating_sub(keep) >= lamports
}

/// What a ticket of `units` is owed now. Rounds down: favours the other tickets.
pub fn ticket_value(units: u64, ticket_lamports: u64, ticket_units: u64) -> u64 {
    mul_div_floor(units, ticket_lamports, ticket_units).unwrap_or(0)
}

/// What of `lamports`, locked at `from_slot` to be released evenly until `until_slot`, is
/// released by `slot`. Rounds down: the rest waits, and is released by `until_slot` at the
/// latest.
pub fn released_by(lamports: u64, from_slot: u64, until_slot: u64, slot: u64) -> u64 {
    if slot >= until_slot {
        return lamports;
    }
    if slot <= from_slot {
        return 0;
    }
    mul_div_floor(lamports, slot - from_slot, until_slot - from_slot).unwrap_or(0)
}

/// How a loss the pool counts is borne: first by the stakers' income not yet released (it is
/// theirs, and nobody has been paid from it), then pro rata by the stakers and the open tickets.
/// `from_locked + stakers + tickets == loss` while the pool holds that much; what is beyond
/// everything it owed is past bearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LossShare {
    pub from_locked: u64,
    pub stakers: u64,
    pub tickets: u64,
}

pub fn share_loss(loss: u64, total_lamports: u64, ticket_lamports: u64, locked: u64) -> LossShare {
    let from_locked = loss.min(locked);
    let rest = (loss - from_locked) as u128;
    let (total, tickets) = (total_lamports as u128, ticket_lamports as u128);
    let owed = total + tickets;
    if rest >= owed {
        return LossShare {
            from_locked,
            stakers: total_lamports,
            tickets: ticket_lamports,
        };
    }
    // The tickets keep (owed − rest) / owed of what they were owed, rounded up: their part of
    // the loss rounds down, so a small loss never wipes out a small ticket. Both factors fit
    // u64, so the product fits u128; what they keep is at most owed − rest.
    let kept = (tickets * (owed - rest)).div_ceil(owed);
    let tickets_loss = tickets - kept;
    LossShare {
        from_locked,
        stakers: (rest - tickets_loss) as u64,
        tickets: tickets_loss as u64,
    }
}

/// What the pool holds and owes at an epoch roll, before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RollInputs {
    /// The reserve above its rent plus every validator's lamports.
    pub assets: u64,
    /// What the validators' stake accounts keep of the floors the operator paid: no one
    /// else's.
    pub floor_lamports: u64,
    /// The stakers' lamports as last counted, income released so far included.
    pub total_lamports: u64,
    /// The stakers' income of earlier rolls not yet released.
    pub locked_lamports: u64,
    pub ticket_lamports: u64,
    /// Tips distributed since the last roll, in the reserve: the stakers' and the protocol's.
    pub tips_to_stakers: u64,
    pub tips_to_protocol: u64,
    pub epoch_fee_bps: u16,
    /// The share supply, fee shares owed and locked shares included.
    pub supply: u64,
}

/// The ledger after an epoch roll.
/// `total_lamports + locked_lamports + ticket_lamports == assets` while nothing is past bearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roll {
    /// What the stakers and the tickets own: the assets above the floors.
    pub assets: u64,
    /// The stakers' lamports now: the fees are in them (the treasury's new shares are worth
    /// them), the income is not yet.
    pub total_lamports: u64,
    /// The stakers' income not yet released, to be released over the next epoch: what was
    /// locked before and this roll's income after its fees.
    pub locked_lamports: u64,
    pub ticket_lamports: u64,
    /// Growth beyond the tips: staking rewards, lamports swept from stake accounts, donations.
    pub rewards: u64,
    /// Tips counted: the stakers' and the protocol's parts.
    pub tips: u64,
    /// What the pool holds short of what it owed.
    pub loss: u64,
    /// The part of the loss met by income not yet released.
    pub locked_loss: u64,
    /// The tickets' part of the loss.
    pub ticket_loss: u64,
    /// The protocol's fee on the rewards.
    pub epoch_fee_lamports: u64,
    /// The protocol's part of the tips (less its share of tips the pool no longer holds).
    pub mev_fee_lamports: u64,
    /// Shares for the treasury, worth both fees.
    pub fee_shares: u64,
}

/// The epoch roll: counts what the pool holds against what it owed. Growth is rewards (the
/// epoch fee taken on it) and the tips (the protocol's part taken); the fees join the stakers'
/// lamports at once, as shares for the treasury priced at the rate, and the rest is locked, to
/// be released into the share price slot by slot over the next epoch, so that no one gains by
/// holding across the roll alone. A shortfall is a loss (`share_loss`). Never fails: the epoch
/// always rolls.
pub fn roll_epoch(inputs: &RollInputs) -> Roll {
    let wide = |value: u64| value as u128;
    let narrow = |value: u128| u64::try_from(value).unwrap_or(u64::MAX);
    let assets = inputs.assets.saturating_sub(inputs.floor_lamports);
    let owed =
        wide(inputs.total_lamports) + wide(inputs.locked_lamports) + wide(inputs.ticket_lamports);
    let mut roll = Roll {
        assets,
        total_lamports: inputs.total_lamports,
        locked_lamports: inputs.locked_lamports,
        ticket_lamports: inputs.ticket_lamports,
        ..Roll::default()
    };
    if wide(assets) < owed {
        let loss = narrow(owed - wide(assets));
        let share = share_loss(
            loss,
            inputs.total_lamports,
            inputs.ticket_lamports,
            inputs.locked_lamports,
        );
        roll.loss = loss;
        roll.locked_loss = share.from_locked;
        roll.ticket_loss = share.tickets;
        roll.locked_lamports -= share.from_locked;
        roll.total_lamports -= share.stakers;
        roll.ticket_lamports -= share.tickets;
        return roll;
    }
    let growth = wide(assets) - owed;
    let tips = wide(inputs.tips_to_stakers) + wide(inputs.tips_to_protocol);
    let mev_fee = if growth >= tips {
        roll.rewards = narrow(growth - tips);
        roll.tips = narrow(tips);
        wide(inputs.tips_to_protocol)
    } else {
        // Some of the tips are gone: the protocol's part shrinks with them.
        roll.tips = narrow(growth);
        wide(inputs.tips_to_protocol) * growth / tips
    };
    roll.mev_fee_lamports = narrow(mev_fee);
    roll.epoch_fee_lamports = fee_of(roll.rewards, inputs.epoch_fee_bps)
        .unwrap_or(0)
        .min(roll.rewards);
    // Both fees together are at most the growth.
    let fees = roll.epoch_fee_lamports as u128 + mev_fee;
    // Should the fees be worth no share at all (an emptied pool), the protocol forgoes them.
    roll.fee_shares = lamports_to_shares(narrow(fees), inputs.total_lamports, inputs.supply)
        .filter(|_| inputs.total_lamports > 0)
        .unwrap_or(0);
    let fees = if roll.fee_shares > 0 {
        fees
    } else {
        (roll.epoch_fee_lamports, roll.mev_fee_lamports) = (0, 0);
        0
    };
    roll.total_lamports = narrow(wide(inputs.total_lamports) + fees);
    roll.locked_lamports = narrow(wide(inputs.locked_lamports) + growth - fees);
    roll
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::shares_to_lamports;

    /// Whether the price fell from `before` to `after`, compared without division.
    fn fell((total, supply): (u64, u64), (new_total, new_supply): (u64, u64)) -> bool {
        (new_total as u128) * (supply as u128) < (total as u128) * (new_supply as u128)
    }
    use proptest::prelude::*;

    const SOL: u64 = 1_000_000_000;

    fn inputs() -> RollInputs {
        RollInputs {
            assets: 0,
            floor_lamports: SOL,
            total_lamports: 80 * SOL,
            locked_lamports: 0,
            ticket_lamports: 20 * SOL,
            tips_to_stakers: 0,
            tips_to_protocol: 0,
            epoch_fee_bps: 1_000,
            supply: 80 * SOL,
        }
    }

    #[test]
    fn growth_is_locked_after_its_fees() {
        let roll = roll_epoch(&RollInputs {
            assets: 105 * SOL,
            tips_to_stakers: 3 * SOL,
            tips_to_protocol: SOL / 10,
            ..inputs()
        });
        // 104 SOL above the floor; 100 were owed: 3.1 of tips and 0.9 of rewards.
        assert_eq!(roll.rewards, 9 * SOL / 10);
        assert_eq!(roll.tips, 31 * SOL / 10);
        assert_eq!(roll.loss, 0);
        assert_eq!(roll.ticket_lamports, 20 * SOL);
        assert_eq!(roll.epoch_fee_lamports, 9 * SOL / 100);
        assert_eq!(roll.mev_fee_lamports, SOL / 10);
        // The fees join the stakers' lamports as the treasury's shares, at the rate: the price
        // does not move at the roll; the rest is released over the next epoch.
        assert_eq!(roll.total_lamports, 80 * SOL + 19 * SOL / 100);
        assert_eq!(roll.locked_lamports, 4 * SOL - 19 * SOL / 100);
        assert_eq!(roll.fee_shares, 19 * SOL / 100);
    }

    #[test]
    fn a_loss_is_met_by_locked_income_then_shared_pro_rata_with_the_tickets() {
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
        // With 4 SOL of income not yet released, that goes first.
        let roll = roll_epoch(&RollInputs {
            assets: 95 * SOL,
            locked_lamports: 4 * SOL,
            ..inputs()
        });
        assert_eq!((roll.loss, roll.locked_loss), (10 * SOL, 4 * SOL));
        assert_eq!(roll.locked_lamports, 0);
        assert_eq!(roll.ticket_lamports, 20 * SOL - 6 * SOL / 5);
        assert_eq!(roll.total_lamports, 80 * SOL - 24 * SOL / 5);
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
            total_lamports: u64::MAX / 4,
            locked_lamports: u64::MAX / 4,
            ticket_lamports: u64::MAX / 4,
            tips_to_stakers: u64::MAX,
            tips_to_protocol: u64::MAX,
            ..inputs()
        });
        assert_eq!(
            huge.total_lamports as u128
                + huge.locked_lamports as u128
                + huge.ticket_lamports as u128,
            huge.assets as u128
        );
    }

    #[test]
    fn income_is_released_evenly_over_its_slots() {
        assert_eq!(released_by(1_000, 100, 200, 100), 0);
        assert_eq!(released_by(1_000, 100, 200, 150), 500);
        assert_eq!(released_by(1_000, 100, 200, 199), 990);
        assert_eq!(released_by(1_000, 100, 200, 200), 1_000);
        assert_eq!(released_by(1_000, 100, 200, 5_000), 1_000);
        assert_eq!(released_by(7, 0, 3, 1), 2);
        assert_eq!(released_by(1_000, 100, 100, 100), 1_000);
    }

    #[test]
    fn a_ticket_is_paid_after_its_boundary_from_what_the_reserve_can_spare() {
        assert!(!ticket_is_due(3, 3));
        assert!(ticket_is_due(3, 4));
        assert!(reserve_pays(10, 5, 5));
        assert!(!reserve_pays(10, 6, 5));
        assert!(!reserve_pays(4, 1, 5));
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
            locked in 0u64..10_000 * SOL,
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
                locked_lamports: locked,
                ticket_lamports: tickets,
                tips_to_stakers: tips - tips * tip_fee_bps / 10_000,
                tips_to_protocol: tips * tip_fee_bps / 10_000,
                epoch_fee_bps,
                supply,
            };
            let roll = roll_epoch(&inputs);
            prop_assert_eq!(roll.assets, assets.saturating_sub(floor));
            let owed = total as u128 + locked as u128 + tickets as u128;
            let held = roll.total_lamports as u128 + roll.locked_lamports as u128 + roll.ticket_lamports as u128;
            if roll.assets as u128 >= owed {
                // No loss: every lamport above what was owed is the stakers', now or released
                // later; tickets keep what they were owed; the price does not move at the roll.
                prop_assert_eq!(held, roll.assets as u128);
                prop_assert_eq!(roll.ticket_lamports, tickets);
                prop_assert_eq!(roll.loss, 0);
                prop_assert!(roll.total_lamports >= total && roll.locked_lamports >= locked);
                prop_assert!(!fell((total, supply), (roll.total_lamports, supply + roll.fee_shares)));
                // The treasury's new shares are worth at most the fees.
                let fees = roll.epoch_fee_lamports + roll.mev_fee_lamports;
                let value = shares_to_lamports(roll.fee_shares, roll.total_lamports, supply + roll.fee_shares);
                prop_assert!(value.unwrap_or(0) <= fees);
            } else {
                // A loss: locked income first, then both sides lose the same share, tickets
                // never more (rounding).
                prop_assert_eq!(roll.loss as u128, owed - roll.assets as u128);
                prop_assert_eq!(roll.locked_loss, roll.loss.min(locked));
                prop_assert_eq!(roll.locked_lamports, locked - roll.locked_loss);
                prop_assert_eq!(roll.ticket_loss, tickets - roll.ticket_lamports);
                let rest = roll.loss - roll.locked_loss;
                let stakers_loss = total - roll.total_lamports;
                if (rest as u128) < total as u128 + tickets as u128 {
                    prop_assert_eq!(held, roll.assets as u128);
                    prop_assert_eq!(stakers_loss + roll.ticket_loss, rest);
                }
                // ticket_loss / tickets <= stakers_loss / stakers
                prop_assert!(roll.ticket_loss as u128 * total as u128 <= stakers_loss as u128 * tickets as u128);
                prop_assert_eq!(roll.rewards, 0);
                prop_assert_eq!(roll.fee_shares, 0);
            }
        }

        #[test]
        fn release_never_gives_more_than_it_holds(
            lamports in 0u64..u64::MAX,
            from in 0u64..1_000_000,
            length in 0u64..1_000_000,
            first in 0u64..2_000_000,
            second in 0u64..2_000_000,
        ) {
            let until = from + length;
            let (early, late) = (first.min(second), first.max(second));
            let a = released_by(lamports, from, until, early);
            let b = released_by(lamports, from, until, late);
            prop_assert!(a <= b && b <= lamports);
            prop_assert_eq!(released_by(lamports, from, until, until), lamports);
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
