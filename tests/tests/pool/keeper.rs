//! The keeper's round (`tributary keeper` runs one every interval): what is due and nothing the
//! pool's state says would fail, across epochs.

use tributary::events::DistributeEvent;
use tributary_client::client::KeeperAction;
use tributary_client::pda::PoolAddresses;

use solana_sdk::signature::Signer;

use crate::fixture::{Fixture, FEES, SOL};

const THRESHOLD: u64 = SOL / 100;

#[tokio::test]
async fn a_keeper_round_does_what_is_due_and_nothing_that_would_fail() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(100 * SOL, 2).await;
    fixture.weigh_evenly(&votes, 1_000).await;
    let pool = fixture.client.addresses().unwrap().pool;
    let vaults: Vec<_> = votes
        .iter()
        .map(|vote| PoolAddresses::new(pool).mev_vault(vote))
        .collect();

    // A fresh pool with no tips: nothing is due within the epoch, nothing is sent.
    let landed = fixture.client.transactions_landed();
    assert_eq!(fixture.client.keep(THRESHOLD).await.unwrap(), vec![]);
    assert_eq!(fixture.client.transactions_landed(), landed);

    // A new epoch: the crank first, then stake moves towards the targets.
    let epoch = fixture.client.warp_epochs(1).await.unwrap();
    let actions = fixture.client.keep(THRESHOLD).await.unwrap();
    assert!(
        matches!(actions[0], KeeperAction::Cranked { epoch: cranked, rewards: Some(_), .. } if cranked == epoch),
        "{actions:?}"
    );
    assert!(
        matches!(actions[1], KeeperAction::Rebalanced { moves: 2 }),
        "{actions:?}"
    );
    assert_eq!(fixture.pool_state().await.last_update_epoch, epoch);

    // A tip below the threshold waits; one above is distributed (the cap now counts the
    // deposits).
    let searcher = fixture.staker(10 * SOL).await;
    fixture
        .client
        .tip(&searcher, &vaults[0], THRESHOLD / 2)
        .await
        .unwrap();
    fixture
        .client
        .tip(&searcher, &vaults[1], SOL / 20)
        .await
        .unwrap();
    let actions = fixture.client.keep(THRESHOLD).await.unwrap();
    assert!(
        matches!(actions[..], [KeeperAction::Distributed { vault, processed }] if vault == vaults[1] && processed == SOL / 20),
        "{actions:?}"
    );
    assert_eq!(
        fixture.client.pending_tips(&vaults[0]).await.unwrap(),
        THRESHOLD / 2
    );
    assert_eq!(fixture.client.pending_tips(&vaults[1]).await.unwrap(), 0);

    // Again in the same epoch: nothing.
    let landed = fixture.client.transactions_landed();
    assert_eq!(fixture.client.keep(THRESHOLD).await.unwrap(), vec![]);
    assert_eq!(fixture.client.transactions_landed(), landed);

    // Tips past the rate cap: one distribution fills it, and the next round sends nothing the
    // program would refuse, though the vault still holds tips above the threshold.
    fixture
        .client
        .tip(&searcher, &vaults[1], 5 * SOL)
        .await
        .unwrap();
    let actions = fixture.client.keep(THRESHOLD).await.unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(fixture.pool_state().await.tips.allowance().unwrap(), 0);
    assert!(fixture.client.pending_tips(&vaults[1]).await.unwrap() > THRESHOLD);
    let landed = fixture.client.transactions_landed();
    assert_eq!(fixture.client.keep(THRESHOLD).await.unwrap(), vec![]);
    assert_eq!(fixture.client.transactions_landed(), landed);

    // The next epoch's roll makes room again.
    fixture.client.warp_epochs(1).await.unwrap();
    let actions = fixture.client.keep(THRESHOLD).await.unwrap();
    assert!(actions.iter().any(
        |action| matches!(action, KeeperAction::Distributed { vault, .. } if *vault == vaults[1])
    ));
}

#[tokio::test]
async fn a_keeper_counts_a_loss_as_soon_as_it_sees_one() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(0, 1).await;
    fixture.depositor(20 * SOL).await;
    fixture.stake_with(&votes[0], 10 * SOL).await;
    assert_eq!(fixture.client.keep(THRESHOLD).await.unwrap(), vec![]);
    let stake_account = fixture.client.validator_list().await.unwrap()[0].validator_stake;
    let price = fixture.price().await;
    fixture.slash(&stake_account, 3 * SOL).await;
    // Mid-epoch: the keeper sees the stake account short and the pool counts it at once.
    let actions = fixture.client.keep(THRESHOLD).await.unwrap();
    assert_eq!(
        actions,
        vec![KeeperAction::LossCounted {
            validators: 1,
            lamports: 3 * SOL
        }]
    );
    assert!(fixture.price().await < price);
    // Once counted, nothing more is due.
    assert_eq!(fixture.client.keep(THRESHOLD).await.unwrap(), vec![]);
}

/// A pool at an epoch's turn with work of every kind due: a validator to stake, tips to
/// distribute, a ticket the reserve cannot pay.
async fn epoch_with_work_due() -> Fixture {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(0, 2).await;
    fixture.weigh_evenly(&votes, 1_000).await;
    let staker = fixture.depositor(100 * SOL).await;
    fixture.client.rebalance_all().await.unwrap();
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    fixture
        .client
        .order_unstake(&staker, shares / 2)
        .await
        .unwrap();
    let searcher = fixture.staker(SOL).await;
    let vault = fixture.client.addresses().unwrap().mev_vault(&votes[0]);
    fixture.donate(&searcher, &vault, SOL / 2).await;
    fixture.client.warp_epochs(1).await.unwrap();
    fixture
}

/// What the pool's state says the round did, whoever ran it.
async fn after_the_round(fixture: &mut Fixture, landed: u64) -> (u64, Vec<u64>) {
    let pool = fixture.pool_state().await;
    let mut figures = vec![
        fixture.client.transactions_landed() - landed,
        pool.total_lamports,
        pool.release.lamports,
        pool.ticket_lamports,
        pool.movement.lamports,
        pool.last_update_epoch,
    ];
    for entry in fixture.client.validator_list().await.unwrap() {
        figures.extend([entry.active_lamports, entry.transient_lamports]);
    }
    (pool.tips.pending_to_stakers, figures)
}

#[tokio::test]
async fn the_cli_crank_the_keeper_and_the_simulation_run_the_same_round() {
    // The CLI's `crank` and a keeper's round, each on the same state: the same transactions
    // land and leave the same pool. (The simulation calls the same `epoch_round`.)
    let mut by_cli = epoch_with_work_due().await;
    let landed = by_cli.client.transactions_landed();
    tributary_cli::cli::commands::crank::crank(&mut by_cli.client)
        .await
        .unwrap();
    let cli = after_the_round(&mut by_cli, landed).await;

    let mut by_keeper = epoch_with_work_due().await;
    let landed = by_keeper.client.transactions_landed();
    let actions = by_keeper.client.keep(0).await.unwrap();
    let keeper = after_the_round(&mut by_keeper, landed).await;
    assert_eq!(cli, keeper);
    // Everything was due: the roll, the tips, the stake for the ticket.
    assert!(
        matches!(actions[0], KeeperAction::Cranked { .. }),
        "{actions:?}"
    );
    assert!(actions
        .iter()
        .any(|action| matches!(action, KeeperAction::Distributed { .. })));
    assert!(actions
        .iter()
        .any(|action| matches!(action, KeeperAction::Rebalanced { .. })));
}

#[tokio::test]
async fn the_tip_rate_cap_serves_the_tips_it_held_back_first() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(100 * SOL, 1).await;
    fixture.client.create_pool_tip_accounts().await.unwrap();
    fixture.roll().await;
    let addresses = *fixture.client.addresses().unwrap();
    let (validator_vault, pool_tip) = (addresses.mev_vault(&votes[0]), addresses.tip_accounts()[0]);
    let searcher = fixture.staker(100 * SOL).await;

    // This epoch the pool's tip account takes the whole cap and holds the rest back.
    let cap = fixture.pool_state().await.tips.allowance().unwrap();
    fixture
        .client
        .tip(&searcher, &pool_tip, 3 * cap)
        .await
        .unwrap();
    fixture.client.distribute_above(0).await.unwrap();
    let waiting = fixture
        .client
        .mev_vault(&pool_tip)
        .await
        .unwrap()
        .held_to_stakers;
    assert!(waiting > cap, "{waiting} {cap}");

    // The next epoch a validator's tip account, listed before the pool's, has new tips above
    // the cap: the tips held back go first, and the new ones are split (its score counts them)
    // and wait.
    fixture.roll().await;
    let cap = fixture.pool_state().await.tips.allowance().unwrap();
    fixture
        .client
        .tip(&searcher, &validator_vault, 3 * cap)
        .await
        .unwrap();
    let outcomes = fixture.client.distribute_above(0).await.unwrap();
    let events: Vec<DistributeEvent> = outcomes
        .iter()
        .flat_map(|outcome| outcome.events())
        .collect();
    assert_eq!(
        events.iter().map(|event| event.vault).collect::<Vec<_>>(),
        [pool_tip, validator_vault]
    );
    assert_eq!(events[0].released_to_stakers, cap);
    assert_eq!(events[1].released_to_stakers, 0);
    assert_eq!(
        fixture
            .client
            .mev_vault(&pool_tip)
            .await
            .unwrap()
            .held_to_stakers,
        waiting - cap
    );
    let validator = fixture.client.mev_vault(&validator_vault).await.unwrap();
    assert_eq!(validator.held_to_stakers, events[1].to_stakers);
    assert!(validator.totals.to_stakers > 0);
}
