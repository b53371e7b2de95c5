//! The MEV model, outside the program: leader slots follow stake, the pool's and the rest, each slot's MEV is drawn from a
//! heavy-tailed distribution, the leader's builder captures part of it, searchers keep their
//! profit and tip the rest, and the builder keeps a fee on the tips it forwards. Pure: the same
//! draws give the same split in every design.

use super::config::{BuilderSpec, MAX_EPOCH_MEV_MULTIPLE};
use crate::rng::Rng;

/// A slot's MEV is at most this multiple of the mean: the tail is heavy, not unbounded.
const MAX_SLOT_MEV_MULTIPLE: f64 = 50.0;
/// The tail's exponent: a Pareto distribution with a finite mean and a wide spread, as bundles'
/// values are.
const PARETO_ALPHA: f64 = 1.5;

/// One leader slot's draws, the same in every design: where in the stake its leader falls, and
/// its MEV as a multiple of the mean.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    leader_draw: u64,
    multiple: f64,
}

/// An epoch of `count` slots; always two draws a slot, so the draws stay aligned whatever the
/// stakes.
pub fn draw_slots(rng: &mut Rng, count: u64) -> Vec<Slot> {
    (0..count)
        .map(|_| {
            let leader_draw = rng.next_u64();
            // A uniform number in (0, 1].
            let uniform = ((rng.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64;
            let minimum = (PARETO_ALPHA - 1.0) / PARETO_ALPHA;
            let multiple = (minimum / uniform.powf(1.0 / PARETO_ALPHA)).min(MAX_SLOT_MEV_MULTIPLE);
            Slot {
                leader_draw,
                multiple,
            }
        })
        .collect()
}

/// Where a validator's MEV went in an epoch, in lamports. `captured` = `to_searchers` +
/// `to_builder` + `tips`, exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MevSplit {
    /// What its slots offered.
    pub available: u64,
    /// What its builder's blocks captured.
    pub captured: u64,
    /// The searchers' profit: what they captured less their tips.
    pub to_searchers: u64,
    /// The builder's fee on the tips it forwarded.
    pub to_builder: u64,
    /// What reached the validator's tip destination.
    pub tips: u64,
}

impl MevSplit {
    /// One slot's `available` MEV through `builder`, with searchers tipping
    /// `searcher_tip_share_bps` of what they capture. Rounds down at each step; what a step
    /// rounds away stays with the one before it.
    pub fn of_slot(available: u64, builder: &BuilderSpec, searcher_tip_share_bps: u16) -> Self {
        let share = |amount: u64, bps: u16| (u128::from(amount) * u128::from(bps) / 10_000) as u64;
        let captured = share(available, builder.efficiency_bps);
        let tipped = share(captured, searcher_tip_share_bps);
        let to_builder = share(tipped, builder.fee_bps);
        Self {
            available,
            captured,
            to_searchers: captured - tipped,
            to_builder,
            tips: tipped - to_builder,
        }
    }

    pub fn add(&mut self, other: &Self) {
        self.available += other.available;
        self.captured += other.captured;
        self.to_searchers += other.to_searchers;
        self.to_builder += other.to_builder;
        self.tips += other.tips;
    }
}

/// The validator leading a slot drawn at `draw`: the one whose stake holds that point of the
/// total. `None` when nothing is staked.
fn leader(stakes: &[u64], draw: u64) -> Option<usize> {
    let total: u64 = stakes.iter().sum();
    if total == 0 {
        return None;
    }
    let mut point = draw % total;
    stakes.iter().position(|stake| {
        if point < *stake {
            true
        } else {
            point -= stake;
            false
        }
    })
}

/// The pool's share of each validator's MEV in an epoch of `slots`: the schedule follows each
/// validator's whole stake (the pool's `stakes` and `outside` more each); a leader that does not
/// `produce` (it stopped voting) skips its slots, and their MEV is not found. The mean slot
/// offers `mev_ppm` millionths of the whole stake, spread over the slots; the epoch at most
/// `MAX_EPOCH_MEV_MULTIPLE` times that. Of a slot, the part the pool's stake in its leader
/// brings is the pool's: the rest goes to the leader's other stakers, outside the pool.
pub fn epoch_mev(
    slots: &[Slot],
    stakes: &[u64],
    outside: u64,
    producing: &[bool],
    builders: &[&BuilderSpec],
    mev_ppm: u64,
    searcher_tip_share_bps: u16,
) -> Vec<MevSplit> {
    let mut splits = vec![MevSplit::default(); stakes.len()];
    let whole: Vec<u64> = stakes.iter().map(|stake| stake + outside).collect();
    let total: u128 = whole.iter().map(|stake| u128::from(*stake)).sum();
    let mean = (total * u128::from(mev_ppm) / 1_000_000) as f64 / slots.len().max(1) as f64;
    let drawn: f64 = slots.iter().map(|slot| slot.multiple).sum();
    let most = (MAX_EPOCH_MEV_MULTIPLE as usize * slots.len()) as f64;
    let scale = if drawn > most { most / drawn } else { 1.0 };
    for slot in slots {
        let Some(index) = leader(&whole, slot.leader_draw) else {
            continue;
        };
        if !producing[index] {
            continue;
        }
        let pool_share = stakes[index] as f64 / whole[index] as f64;
        let available = (mean * slot.multiple * scale * pool_share) as u64;
        let split = MevSplit::of_slot(available, builders[index], searcher_tip_share_bps);
        splits[index].add(&split);
    }
    splits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder(efficiency_bps: u16, fee_bps: u16) -> BuilderSpec {
        BuilderSpec {
            name: "b".into(),
            efficiency_bps,
            fee_bps,
        }
    }

    #[test]
    fn a_slot_divides_exactly() {
        let split = MevSplit::of_slot(1_000_003, &builder(9_500, 500), 6_000);
        assert_eq!(split.captured, 950_002);
        assert_eq!(
            split.to_searchers + split.to_builder + split.tips,
            split.captured
        );
        assert_eq!(split.to_builder, 28_500);
        // A builder that captures nothing passes nothing on.
        let split = MevSplit::of_slot(1_000, &builder(0, 0), 6_000);
        assert_eq!(
            split,
            MevSplit {
                available: 1_000,
                ..MevSplit::default()
            }
        );
    }

    #[test]
    fn leaders_follow_stake_and_the_mean_holds() {
        let slots = draw_slots(&mut Rng(7), 20_000);
        let efficient = builder(10_000, 0);
        let stakes = [3_000_000_000_000, 1_000_000_000_000, 0];
        let splits = epoch_mev(
            &slots,
            &stakes,
            0,
            &[true; 3],
            &[&efficient; 3],
            100,
            10_000,
        );
        // No stake, no slots.
        assert_eq!(splits[2], MevSplit::default());
        let (first, second) = (splits[0].available as f64, splits[1].available as f64);
        assert!((first / second - 3.0).abs() < 0.3, "{first} {second}");
        // About 100 millionths of the stake in all, the tail's cap taking a little.
        let total = (first + second) / 4_000_000_000_000.0 * 1e6;
        assert!(total > 85.0 && total < 105.0, "{total}");
        // An epoch's MEV is at most three times its mean, however lucky its slots.
        let lucky = [Slot {
            leader_draw: 0,
            multiple: 50.0,
        }; 4];
        let splits = epoch_mev(&lucky, &stakes[..1], 0, &[true], &[&efficient], 100, 0);
        assert_eq!(splits[0].available, 3 * 3_000_000_000_000 * 100 / 1_000_000);
        // Stake outside the pool leads slots too, but only the pool's share of their MEV is
        // the pool's: a validator without pool stake brings none, and one holding half its
        // stake from the pool brings half, per pool SOL the same as before.
        let outside = 3_000_000_000_000;
        let splits = epoch_mev(
            &slots,
            &stakes,
            outside,
            &[true; 3],
            &[&efficient; 3],
            100,
            0,
        );
        assert_eq!(splits[2], MevSplit::default());
        let per_pool_sol = splits[0].available as f64 / 3_000_000_000_000.0 * 1e6;
        assert!(
            per_pool_sol > 85.0 && per_pool_sol < 105.0,
            "{per_pool_sol}"
        );
        let quarter = splits[1].available as f64 / 1_000_000_000_000.0 * 1e6;
        assert!(quarter > 85.0 && quarter < 105.0, "{quarter}");
        // A validator that stopped voting finds nothing.
        let splits = epoch_mev(
            &slots,
            &stakes,
            0,
            &[true, false, true],
            &[&efficient; 3],
            100,
            0,
        );
        assert_eq!(splits[1], MevSplit::default());
    }
}

/// Tips through Jito: its fee, the validator's commission, and what the stake accounts
/// delegated to the validator are paid, by claims in the next epoch. `tips == fee +
/// to_validator + to_stake_accounts`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct JitoSplit {
    pub tips: u64,
    pub fee: u64,
    pub to_validator: u64,
    pub to_stake_accounts: u64,
}

impl JitoSplit {
    /// Splits `tips` at Jito's fee and the validator's declared `commission_bps`.
    pub fn of(tips: u64, commission_bps: u16) -> Self {
        let share =
            |lamports: u64, bps: u16| (u128::from(lamports) * u128::from(bps) / 10_000) as u64;
        let fee = share(tips, super::config::JITO_FEE_BPS);
        let to_validator = share(tips - fee, commission_bps.min(10_000));
        Self {
            tips,
            fee,
            to_validator,
            to_stake_accounts: tips - fee - to_validator,
        }
    }
}

/// The Jito path's lamports over a run so far: what was tipped, Jito's fee, the validators'
/// commission, what claims paid into the pool's stake accounts, and what is owed to them and not
/// claimed yet (or never will be: a validator that left). `tips == fee + to_validators + claimed
/// + unclaimed` after every epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct JitoFlows {
    pub tips: u64,
    pub fee: u64,
    pub to_validators: u64,
    pub claimed: u64,
    pub unclaimed: u64,
}

impl JitoFlows {
    pub fn add(&mut self, split: &JitoSplit) {
        self.tips += split.tips;
        self.fee += split.fee;
        self.to_validators += split.to_validator;
    }
}
