use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::LOCKED_SEED_LAMPORTS;
use tributary::errors::TributaryError;
use tributary::events::DepositSolEvent;
use tributary::instructions::DepositSolArgs;
use tributary::state::Fees;
use tributary_client::instructions;
use tributary_client::pda::PoolAddresses;

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};

#[tokio::test]
async fn a_deposit_into_a_new_pool_is_one_to_one_and_shows_in_sol() {
    let mut fixture = Fixture::new(Fees::default()).await;
    let staker = fixture.staker(10 * SOL).await;
    let outcome = fixture
        .client
        .deposit_sol(&staker, 5 * SOL, 5 * SOL)
        .await
        .unwrap();

    let token_account = fixture
        .client
        .addresses()
        .unwrap()
        .token_account(&staker.pubkey());
    let token_rent = fixture.client.balance(&token_account).await.unwrap();
    assert_eq!(
        fixture.client.shares_of(&staker.pubkey()).await.unwrap(),
        5 * SOL
    );
    // The pool's locked seed priced the shares at one lamport each.
    assert_eq!(fixture.client.mint_state().await.unwrap().supply, 5 * SOL);
    let total = LOCKED_SEED_LAMPORTS + 5 * SOL;
    assert_eq!(fixture.pool_state().await.total_lamports, total);
    let reserve = fixture.client.addresses().unwrap().reserve;
    let rent = fixture.reserve_rent().await;
    assert_eq!(
        fixture.client.balance(&reserve).await.unwrap(),
        rent + total
    );
    // The staker paid the deposit and the rent of its new token account, nothing else.
    assert_eq!(
        fixture.client.balance(&staker.pubkey()).await.unwrap(),
        5 * SOL - token_rent
    );
    // A wallet shows the holding in SOL.
    assert_eq!(fixture.client.ui_amount(5 * SOL).await.unwrap(), "5");

    let events = outcome.events::<DepositSolEvent>();
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.depositor, staker.pubkey());
    assert_eq!(
        (event.lamports, event.user_shares, event.fee_shares),
        (5 * SOL, 5 * SOL, 0)
    );
    assert_eq!((event.total_lamports, event.share_supply), (total, total));
}

#[tokio::test]
async fn deposit_fee_is_owed_to_the_treasury_in_shares() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 4 * SOL, 0)
        .await
        .unwrap();
    let fee_shares = fee(4 * SOL, FEES.deposit_bps);
    assert_eq!(
        fixture.client.shares_of(&staker.pubkey()).await.unwrap(),
        4 * SOL - fee_shares
    );
    let pool = fixture.pool_state().await;
    assert_eq!(pool.pending_treasury_shares, fee_shares);
    assert_eq!(pool.total_lamports, LOCKED_SEED_LAMPORTS + 4 * SOL);
    // The staker's shares are worth the deposit less the fee, and the wallet says so.
    assert_eq!(
        fixture
            .client
            .ui_amount(4 * SOL - fee_shares)
            .await
            .unwrap(),
        "3.996"
    );

    // The crank mints the owed shares to the treasury.
    fixture.client.crank().await.unwrap();
    let pool = fixture.pool_state().await;
    assert_eq!(pool.pending_treasury_shares, 0);
    assert_eq!(
        fixture.client.token_balance(&pool.treasury).await.unwrap(),
        fee_shares
    );
    assert_eq!(fixture.client.mint_state().await.unwrap().supply, 4 * SOL);
}

#[tokio::test]
async fn refused_deposits_move_nothing() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    fixture.client.deposit_sol(&staker, SOL, 0).await.unwrap();
    let before = fixture.snapshot(&staker).await;

    assert_refused(
        fixture.client.deposit_sol(&staker, 0, 0).await,
        TributaryError::ZeroAmount,
    );
    let expected = SOL - fee(SOL, FEES.deposit_bps);
    assert_refused(
        fixture.client.deposit_sol(&staker, SOL, expected + 1).await,
        TributaryError::SlippageExceeded,
    );

    // Shares into a token account of somebody else.
    let other = Keypair::new();
    let others_account = fixture
        .client
        .create_token_account(&other.pubkey())
        .await
        .unwrap();
    let pool = fixture.client.addresses().unwrap().pool;
    let args = DepositSolArgs {
        lamports: SOL,
        min_shares_out: 0,
    };
    let ix = instructions::deposit_sol(
        &PoolAddresses::new(pool),
        &staker.pubkey(),
        &others_account,
        args,
    );
    assert_refused(
        fixture.client.send(&[ix], &[&staker]).await,
        TributaryError::WrongTokenOwner,
    );

    // Shares into the staker's token account of another pool's mint.
    let wrong_mint_account = fixture.foreign_token_account(&staker.pubkey()).await;
    let ix = instructions::deposit_sol(
        &PoolAddresses::new(pool),
        &staker.pubkey(),
        &wrong_mint_account,
        args,
    );
    assert_refused(
        fixture.client.send(&[ix], &[&staker]).await,
        TributaryError::WrongMint,
    );

    // Paused.
    fixture.client.pause(&fixture.admin).await.unwrap();
    assert_refused(
        fixture.client.deposit_sol(&staker, SOL, 0).await,
        TributaryError::Paused,
    );
    fixture.client.unpause(&fixture.admin).await.unwrap();

    // A new epoch before the pool was updated for it.
    fixture.client.warp_epochs(1).await.unwrap();
    assert_refused(
        fixture.client.deposit_sol(&staker, SOL, 0).await,
        TributaryError::StaleEpoch,
    );

    assert_eq!(fixture.snapshot(&staker).await, before);
}

#[tokio::test]
async fn a_deposit_too_small_for_one_share_is_refused() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.depositor(10 * SOL).await;
    // A donation, counted at the roll and released over the next epoch, makes a share worth
    // more than a lamport.
    let reserve = fixture.client.addresses().unwrap().reserve;
    fixture.client.transfer(&reserve, 5 * SOL).await.unwrap();
    for _ in 0..2 {
        fixture.client.warp_epochs(1).await.unwrap();
        fixture.client.crank().await.unwrap();
    }
    let before = fixture.snapshot(&staker).await;
    assert_refused(
        fixture.client.deposit_sol(&staker, 1, 0).await,
        TributaryError::AmountTooSmall,
    );
    assert_eq!(fixture.snapshot(&staker).await, before);
    // A few lamports more buy a share.
    fixture.client.deposit_sol(&staker, 3, 0).await.unwrap();
    assert_eq!(
        fixture.client.shares_of(&staker.pubkey()).await.unwrap(),
        before.staker_shares + 1
    );
}
