use tributary::errors::TributaryError;
use tributary::events::UpdatePoolEvent;

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};

#[tokio::test]
async fn opens_the_new_epoch_and_mints_what_the_treasury_is_owed() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 2 * SOL, 0)
        .await
        .unwrap();
    let owed = fee(2 * SOL, FEES.deposit_bps);

    let epoch = fixture.client.warp_epochs(1).await.unwrap();
    assert_refused(
        fixture.client.deposit_sol(&staker, SOL, 0).await,
        TributaryError::StaleEpoch,
    );
    let outcome = fixture.client.update_pool().await.unwrap();
    let pool = fixture.pool_state().await;
    assert_eq!(pool.last_update_epoch, epoch);
    assert_eq!(pool.pending_treasury_shares, 0);
    assert_eq!(
        fixture.client.token_balance(&pool.treasury).await.unwrap(),
        owed
    );
    let mint = fixture.client.mint_state().await.unwrap();
    assert_eq!(mint.supply, 2 * SOL);
    assert_eq!(mint.multiplier, 1.0);

    let event = &outcome.events::<UpdatePoolEvent>()[0];
    assert_eq!(event.epoch, epoch);
    assert_eq!(event.previous_update_epoch, epoch - 1);
    assert_eq!(event.treasury_shares_minted, owed);
    assert_eq!(
        (event.total_lamports, event.share_supply),
        (2 * SOL, 2 * SOL)
    );
    assert_eq!(event.share_price, 1.0);

    // The epoch is open again, and a second roll in it mints nothing more.
    fixture.client.deposit_sol(&staker, SOL, 0).await.unwrap();
    fixture.client.update_pool().await.unwrap();
    let treasury = fixture.pool_state().await.treasury;
    assert_eq!(
        fixture.client.token_balance(&treasury).await.unwrap(),
        owed + fee(SOL, FEES.deposit_bps)
    );
    assert_eq!(fixture.client.mint_state().await.unwrap().supply, 3 * SOL);
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
