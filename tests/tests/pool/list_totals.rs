//! The validator list's running totals under random sequences of everything that changes an
//! entry: validators added and removed (and dropped once drained), weights, scores, the
//! strategy's mode, deposits, rebalancing and epoch cranks. The bank checks every list a
//! transaction writes against a walk over its entries (`check_validator_list`), so any drift
//! fails the step that caused it; each run also checks at the end, and that the roll read no
//! more entries than it dropped.

use anchor_lang::prelude::Pubkey;
use tributary::constants::MAX_DRAINED_PER_ROLL;
use tributary::errors::TributaryError;
use tributary::state::{Strategy, StrategyMode};
use tributary_cli::rng::Rng;
use tributary_client::state::check_validator_list;

use crate::fixture::{Fixture, FEES, SOL};

const STEPS: usize = 40;
/// What a step does.
const KINDS: [&str; 8] = [
    "add",
    "remove",
    "weight",
    "score",
    "mode",
    "deposit",
    "rebalance",
    "epoch",
];

async fn run(seed: u64) -> [usize; KINDS.len()] {
    let mut rng = Rng(seed);
    let mut fixture = Fixture::new(FEES).await;
    let operator = fixture.operator.insecure_clone();
    let mut votes: Vec<Pubkey> = fixture.with_validators(40 * SOL, 4).await;
    let mut removed: Vec<Pubkey> = Vec::new();
    let mut done = [0usize; KINDS.len()];
    let mut mode = StrategyMode::Manual;
    for _ in 0..STEPS {
        let kind = rng.between(0, KINDS.len() as u64 - 1) as usize;
        let client = &mut fixture.client;
        let pick = |rng: &mut Rng, votes: &[Pubkey]| {
            votes[rng.between(0, votes.len() as u64 - 1) as usize]
        };
        let outcome = match kind {
            0 => {
                let vote = fixture.vote_account().await;
                let result = fixture.client.add_validator(&operator, &vote).await;
                votes.push(vote);
                result.map(drop)
            }
            1 if votes.len() > 1 => {
                let vote = pick(&mut rng, &votes);
                let result = client.remove_validator(&operator, &vote).await;
                if result.is_ok() {
                    votes.retain(|kept| *kept != vote);
                    removed.push(vote);
                }
                result.map(drop)
            }
            2 => {
                let vote = pick(&mut rng, &votes);
                let weight = rng.between(0, 1_000) as u32;
                client.set_weight(&operator, &vote, weight).await.map(drop)
            }
            3 => client.score_all().await.map(drop),
            4 => {
                mode = match mode {
                    StrategyMode::Manual => StrategyMode::Scored,
                    StrategyMode::Scored => StrategyMode::Manual,
                };
                let strategy = Strategy {
                    mode,
                    validator_cap_bps: 10_000,
                    reserve_buffer_bps: 500,
                    max_move_bps: 5_000,
                    rule: Default::default(),
                };
                client.set_strategy(&operator, strategy).await.map(drop)
            }
            5 => {
                let staker = fixture.staker(21 * SOL).await;
                let lamports = rng.between(1, 20) * SOL;
                fixture
                    .client
                    .deposit_sol(&staker, lamports, 0)
                    .await
                    .map(drop)
            }
            6 => client.rebalance_all().await.map(drop),
            7 => {
                client.warp_epochs(1).await.unwrap();
                client.crank().await.map(drop)
            }
            _ => continue,
        };
        match outcome {
            Ok(()) => done[kind] += 1,
            // The operator's removal waits for a validator's stake on its way in or out.
            Err(err) => assert!(
                kind == 1 && err.is(TributaryError::TransientStakeInProgress),
                "seed {seed}, {}: {err}",
                KINDS[kind]
            ),
        }
    }
    // Two epochs bring every removed validator's stake back; the rolls drop their entries.
    for _ in 0..2 {
        fixture.client.warp_epochs(1).await.unwrap();
        let crank = fixture.client.crank().await.unwrap();
        let roll = crank.roll.into_event().expect("the pool rolls each epoch");
        assert!(roll.entries_read as usize <= 2 * MAX_DRAINED_PER_ROLL);
    }
    let list = fixture.client.addresses().unwrap().validator_list;
    let data = fixture.client.account_data(&list).await.unwrap().unwrap();
    check_validator_list(&data).unwrap();
    let mut listed: Vec<Pubkey> = fixture
        .client
        .validator_list()
        .await
        .unwrap()
        .iter()
        .map(|entry| entry.vote)
        .collect();
    listed.sort();
    votes.sort();
    assert_eq!(
        listed, votes,
        "seed {seed}: the removed validators left the list"
    );
    done
}

#[tokio::test]
async fn the_list_totals_stay_exact_under_random_changes() {
    let mut done = [0usize; KINDS.len()];
    for seed in 1..=4 {
        for (total, count) in done.iter_mut().zip(run(seed).await) {
            *total += count;
        }
    }
    // Every kind of change happened, several times.
    for (kind, count) in KINDS.iter().zip(done) {
        assert!(count >= 3, "{kind} happened {count} times");
    }
}
