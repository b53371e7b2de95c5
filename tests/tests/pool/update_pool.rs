use tributary::constants::LOCKED_SEED_LAMPORTS;
use tributary::errors::TributaryError;
use tributary::events::UpdatePoolEvent;
use tributary_client::pda::PoolAddresses;

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};

#[tokio::test]
async fn opens_the_new_epoch_once_and_owes_the_treasury_its_shares() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 2 * SOL, 0)
        .await
        .unwrap();
    let owed = fee(2 * SOL, FEES.deposit_bps);
    // In the epoch it was created in, the pool is open and has rolled already.
    assert_refused(
        fixture.client.update_pool().await,
        TributaryError::EpochAlreadyUpdated,
    );

    let epoch = fixture.client.warp_epochs(1).await.unwrap();
    assert_refused(
        fixture.client.deposit_sol(&staker, SOL, 0).await,
        TributaryError::StaleEpoch,
    );
    let outcome = fixture.client.update_pool().await.unwrap();
    let pool = fixture.pool_state().await;
    assert_eq!(pool.last_update_epoch, epoch);
    // The fee shares stay owed, counted in the supply, until someone mints them.
    assert_eq!(pool.pending_treasury_shares, owed);
    let mint = fixture.client.mint_state().await.unwrap();
    assert_eq!(mint.supply, 2 * SOL - owed);
    assert_eq!(mint.multiplier, 1.0);

    let event = &outcome.events::<UpdatePoolEvent>()[0];
    assert_eq!(event.epoch, epoch);
    assert_eq!(event.previous_update_epoch, epoch - 1);
    let total = LOCKED_SEED_LAMPORTS + 2 * SOL;
    assert_eq!((event.total_lamports, event.share_supply), (total, total));
    assert_eq!((event.rewards, event.tips, event.loss), (0, 0, 0));
    assert_eq!(event.share_price, 1.0);

    // Once an epoch: a second roll is refused and changes nothing.
    assert_refused(
        fixture.client.update_pool().await,
        TributaryError::EpochAlreadyUpdated,
    );
    assert_eq!(fixture.pool_state().await.last_update_epoch, epoch);

    // Anyone mints the treasury's shares; then there is nothing left to mint.
    fixture
        .client
        .mint_treasury_shares()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fixture.pool_state().await.pending_treasury_shares, 0);
    assert_eq!(
        fixture.client.token_balance(&pool.treasury).await.unwrap(),
        owed
    );
    assert_eq!(fixture.client.mint_state().await.unwrap().supply, 2 * SOL);
    let pool_key = fixture.client.addresses().unwrap().pool;
    let again = tributary_client::instructions::mint_treasury_shares(
        &PoolAddresses::new(pool_key),
        &pool.treasury,
    );
    assert_refused(
        fixture.client.send(&[again], &[]).await,
        TributaryError::NoTreasuryShares,
    );
}

#[tokio::test]
async fn waits_while_the_runtime_pays_epoch_rewards() {
    let mut fixture = Fixture::new(FEES).await;
    let before = fixture.pool_state().await.last_update_epoch;
    fixture.client.warp_epochs_pending_rewards(1).await.unwrap();
    assert_refused(
        fixture.client.update_pool().await,
        TributaryError::EpochRewardsActive,
    );
    assert_eq!(fixture.pool_state().await.last_update_epoch, before);

    fixture
        .client
        .context()
        .warp_forward_force_reward_interval_end()
        .unwrap();
    fixture.client.update_pool().await.unwrap();
    assert_eq!(fixture.pool_state().await.last_update_epoch, before + 1);
}
