use solana_sdk::signature::Signer;
use tributary::constants::{MAX_DEPOSIT_FEE_BPS, MAX_MEV_FEE_BPS};
use tributary::errors::TributaryError;
use tributary::events::SetFeesEvent;
use tributary::state::Fees;

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};

#[tokio::test]
async fn a_decrease_applies_at_once() {
    let mut fixture = Fixture::new(FEES).await;
    let lower = Fees {
        deposit_bps: 0,
        withdrawal_bps: 10,
        ..FEES
    };
    let outcome = fixture
        .client
        .set_fees(&fixture.admin, lower)
        .await
        .unwrap();
    let pool = fixture.pool_state().await;
    assert_eq!(pool.fees, lower);
    assert!(!pool.has_pending_fees());
    assert_eq!(outcome.events::<SetFeesEvent>()[0].fees, lower);

    let staker = fixture.staker(10 * SOL).await;
    fixture.client.deposit_sol(&staker, SOL, 0).await.unwrap();
    assert_eq!(
        fixture.client.shares_of(&staker.pubkey()).await.unwrap(),
        SOL
    );
}

#[tokio::test]
async fn an_increase_waits_two_epoch_boundaries() {
    let mut fixture = Fixture::new(FEES).await;
    let higher = Fees {
        deposit_bps: MAX_DEPOSIT_FEE_BPS,
        withdrawal_bps: 0,
        ..FEES
    };
    let epoch = fixture.client.clock().await.unwrap().epoch;
    fixture
        .client
        .set_fees(&fixture.admin, higher)
        .await
        .unwrap();
    let pool = fixture.pool_state().await;
    // The withdrawal fee fell at once; the deposit fee rise is pending.
    assert_eq!(
        pool.fees,
        Fees {
            withdrawal_bps: 0,
            ..FEES
        }
    );
    assert_eq!(pool.pending_fees.fees, higher);
    assert_eq!(pool.pending_fees.epoch, epoch + 2);

    let staker = fixture.staker(10 * SOL).await;
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.update_pool().await.unwrap();
    assert_eq!(
        fixture.pool_state().await.fees.deposit_bps,
        FEES.deposit_bps
    );
    fixture.client.deposit_sol(&staker, SOL, 0).await.unwrap();
    let first = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    assert_eq!(first, SOL - fee(SOL, FEES.deposit_bps));

    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.update_pool().await.unwrap();
    let pool = fixture.pool_state().await;
    assert_eq!(pool.fees, higher);
    assert!(!pool.has_pending_fees());
    fixture.client.deposit_sol(&staker, SOL, 0).await.unwrap();
    let second = fixture.client.shares_of(&staker.pubkey()).await.unwrap() - first;
    assert_eq!(second, SOL - fee(SOL, MAX_DEPOSIT_FEE_BPS));
}

#[tokio::test]
async fn refuses_a_fee_above_its_cap_or_a_signer_who_is_not_admin() {
    let mut fixture = Fixture::new(FEES).await;
    let greedy = Fees {
        mev_bps: MAX_MEV_FEE_BPS + 1,
        ..FEES
    };
    assert_refused(
        fixture.client.set_fees(&fixture.admin, greedy).await,
        TributaryError::FeeAboveCap,
    );
    let stranger = fixture.staker(SOL).await;
    assert_refused(
        fixture.client.set_fees(&stranger, Fees::default()).await,
        TributaryError::NotAdmin,
    );
    let pool = fixture.pool_state().await;
    assert_eq!(pool.fees, FEES);
    assert!(!pool.has_pending_fees());
}
