use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::LOCKED_SEED_LAMPORTS;
use tributary::errors::TributaryError;
use tributary::events::RebalanceEvent;
use tributary::state::{Strategy, StrategyMode};
use tributary_client::instructions;
use tributary_client::pda::PoolAddresses;

use crate::fixture::{assert_refused, Fixture, FEES, SOL};

const MAX_MOVE_BPS: u16 = 1_000;

fn strategy(mode: StrategyMode) -> Strategy {
    Strategy {
        mode,
        validator_cap_bps: 5_000,
        reserve_buffer_bps: 1_000,
        max_move_bps: MAX_MOVE_BPS,
        rule: Default::default(),
    }
}

/// Lamports each validator holds, in `votes` order.
async fn stakes(fixture: &mut Fixture, votes: &[Pubkey]) -> Vec<u64> {
    let entries = fixture.client.validator_list().await.unwrap();
    votes
        .iter()
        .map(|vote| {
            let entry = entries.iter().find(|entry| entry.vote == *vote).unwrap();
            entry.active_lamports + entry.transient_lamports
        })
        .collect()
}

/// One epoch of the scenario: the voting validators earn credits, searchers tip each vault in
/// proportion to the validator's stake (its share of leader slots; at least as for 1 SOL), the
/// vaults are distributed, the crank runs and every validator is rebalanced.
async fn epoch(
    fixture: &mut Fixture,
    voting: &[Pubkey],
    tips_ppm: &[(Pubkey, u64)],
) -> Vec<RebalanceEvent> {
    for vote in voting {
        fixture
            .client
            .context()
            .increment_vote_account_credits(vote, 100);
    }
    let searcher = fixture.staker(10 * SOL).await;
    let pool = fixture.client.addresses().unwrap().pool;
    for (vote, ppm) in tips_ppm {
        let stake = stakes(fixture, &[*vote]).await[0].max(SOL);
        let vault = PoolAddresses::new(pool).mev_vault(vote);
        fixture
            .client
            .tip(&searcher, &vault, stake * ppm / 1_000_000)
            .await
            .unwrap();
    }
    fixture.client.distribute_all().await.unwrap();
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    let outcomes = fixture.client.rebalance_all().await.unwrap();
    outcomes
        .iter()
        .flat_map(|outcome| outcome.events::<RebalanceEvent>())
        .collect()
}

#[tokio::test]
async fn scored_stake_flows_to_the_validator_that_shares_its_mev() {
    let mut fixture = Fixture::new(FEES).await;
    fixture.with_validators(500 * SOL, 0).await;
    let operator = fixture.operator.insecure_clone();
    // Shares its MEV, keeps it, high commission, stopped voting, average.
    let mut votes = Vec::new();
    for commission in [5, 5, 50, 5, 5] {
        let (vote, withdrawer) = fixture
            .client
            .create_vote_account(commission)
            .await
            .unwrap();
        fixture
            .client
            .add_validator(&operator, &vote)
            .await
            .unwrap();
        votes.push((vote, withdrawer));
    }
    let [sharer, keeper, greedy, silent, average] = [0, 1, 2, 3, 4].map(|index| votes[index].0);
    let payout = Keypair::new().pubkey();
    fixture
        .client
        .set_mev_commission(&votes[1].1, &keeper, 10_000, &payout)
        .await
        .unwrap();
    fixture
        .client
        .set_mev_commission(&votes[4].1, &average, 500, &payout)
        .await
        .unwrap();
    fixture
        .client
        .set_strategy(&operator, strategy(StrategyMode::Scored))
        .await
        .unwrap();
    let all = [sharer, keeper, greedy, silent, average];
    let voting = [sharer, keeper, greedy, average];
    let tips = [(sharer, 2_000), (keeper, 2_000), (average, 500)];

    for _ in 0..16 {
        let total = fixture.pool_state().await.total_lamports;
        let moves = epoch(&mut fixture, &voting, &tips).await;
        // Never more than the movement cap in an epoch.
        let moved: u64 = moves.iter().map(|event| event.lamports).sum();
        assert!(moved <= (total + 10 * SOL) * MAX_MOVE_BPS as u64 / 10_000 + 1);
        // The ledger adds up: the reserve and the validators hold what the pool counts, the
        // tickets and the operator's floors.
        let pool = fixture.pool_state().await;
        let reserve = fixture.client.addresses().unwrap().reserve;
        let rent = fixture.reserve_rent().await;
        let held = fixture.client.balance(&reserve).await.unwrap() - rent
            + stakes(&mut fixture, &all).await.iter().sum::<u64>();
        assert_eq!(
            held,
            pool.total_lamports
                + pool.release.lamports
                + pool.ticket_lamports
                + pool.floor_lamports
        );
    }

    let entries = fixture.client.validator_list().await.unwrap();
    let score = |vote: Pubkey| {
        entries
            .iter()
            .find(|entry| entry.vote == vote)
            .unwrap()
            .score
    };
    assert_eq!(score(keeper), 0, "keeps its MEV above the cap");
    assert_eq!(score(silent), 0, "stopped voting");
    assert!(score(sharer) > score(average));
    assert!(score(average) > score(greedy));
    assert!(score(greedy) > 0);

    let held = stakes(&mut fixture, &all).await;
    let seed = held[1];
    assert!(held[0] > held[4], "{held:?}");
    assert!(held[4] > held[2], "{held:?}");
    assert!(held[0] > 100 * SOL, "{held:?}");
    // The high-commission validator holds some, less than the others that vote and share.
    assert!(held[2] > seed, "{held:?}");
    // The zero-score validators got nothing beyond their seed stake.
    assert_eq!(held[3], seed);
}

#[tokio::test]
async fn manual_targets_follow_the_weights() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(200 * SOL, 3).await;
    let operator = fixture.operator.insecure_clone();
    fixture
        .client
        .set_strategy(&operator, strategy(StrategyMode::Manual))
        .await
        .unwrap();
    for (vote, weight) in votes.iter().zip([3, 1, 0]) {
        fixture
            .client
            .set_weight(&operator, vote, weight)
            .await
            .unwrap();
    }
    for _ in 0..8 {
        epoch(&mut fixture, &votes, &[]).await;
    }
    let held = stakes(&mut fixture, &votes).await;
    // 90% of the pool spread 3:1:0, but at most 50% each: the first is held at the cap.
    let total = fixture.pool_state().await.total_lamports;
    let delegated = total - total / 10;
    assert!(held[0].abs_diff(total / 2) < SOL, "{held:?}");
    assert!(held[1].abs_diff(delegated / 4) < SOL, "{held:?}");
    assert!(held[2] < SOL, "{held:?}");
}

#[tokio::test]
async fn strategy_changes_and_moves_are_refused_out_of_bounds() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(100 * SOL, 2).await;
    let operator = fixture.operator.insecure_clone();
    let stranger = fixture.staker(SOL).await;
    assert_refused(
        fixture
            .client
            .set_strategy(&stranger, strategy(StrategyMode::Scored))
            .await,
        TributaryError::NotOperator,
    );
    let mut bad = strategy(StrategyMode::Scored);
    bad.validator_cap_bps = 10_001;
    assert_refused(
        fixture.client.set_strategy(&operator, bad).await,
        TributaryError::InvalidStrategy,
    );
    assert_eq!(fixture.pool_state().await.strategy, Strategy::default());
    // A concentration of the whole mean score: validators that score alike would all weigh
    // nothing and the pool would unstake everything.
    let mut idle = strategy(StrategyMode::Scored);
    idle.rule.concentration_bps = 10_000;
    assert_refused(
        fixture.client.set_strategy(&operator, idle).await,
        TributaryError::InvalidStrategy,
    );
    assert_eq!(fixture.pool_state().await.strategy, Strategy::default());
    idle.rule.concentration_bps = 9_999;
    fixture.client.set_strategy(&operator, idle).await.unwrap();
    assert_eq!(fixture.pool_state().await.strategy, idle);

    // A weight for a validator that is not in the pool.
    let outsider = fixture.vote_account().await;
    let pool = fixture.client.addresses().unwrap().pool;
    let ix = instructions::set_weight(
        &PoolAddresses::new(pool),
        &operator.pubkey(),
        tributary::instructions::SetWeightArgs {
            validator_index: 0,
            vote: outsider,
            weight: 5,
        },
    );
    assert_refused(
        fixture.client.send(&[ix], &[&operator]).await,
        TributaryError::UnknownValidator,
    );
    assert_eq!(fixture.client.validator_list().await.unwrap()[0].weight, 0);

    // The movement cap: 10% of the pool moves in an epoch, then nothing more.
    fixture
        .client
        .set_strategy(&operator, strategy(StrategyMode::Manual))
        .await
        .unwrap();
    for vote in &votes {
        fixture.client.set_weight(&operator, vote, 1).await.unwrap();
    }
    let first = instructions::rebalance(&PoolAddresses::new(pool), &votes[0], 0);
    let outcome = fixture.client.send(&[first], &[]).await.unwrap();
    let event = &outcome.events::<RebalanceEvent>()[0];
    assert_eq!(event.lamports, (LOCKED_SEED_LAMPORTS + 100 * SOL) / 10);
    let before = stakes(&mut fixture, &votes).await;
    let second = instructions::rebalance(&PoolAddresses::new(pool), &votes[1], 1);
    assert_refused(
        fixture.client.send(&[second], &[]).await,
        TributaryError::MoveCapReached,
    );
    assert_eq!(stakes(&mut fixture, &votes).await, before);
}
