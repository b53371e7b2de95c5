use solana_sdk::account::Account;
use solana_sdk::signature::Signer;
use tributary::constants::LOCKED_SEED_LAMPORTS;
use tributary::errors::TributaryError;
use tributary::events::WithdrawSolEvent;
use tributary::instructions::WithdrawSolArgs;
use tributary_client::instructions;
use tributary_client::pda::PoolAddresses;

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};

#[tokio::test]
async fn deposit_then_withdraw_loses_exactly_the_fees() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    let start = fixture.client.balance(&staker.pubkey()).await.unwrap();
    fixture
        .client
        .deposit_sol(&staker, 3 * SOL, 0)
        .await
        .unwrap();
    let token_account = fixture
        .client
        .addresses()
        .unwrap()
        .token_account(&staker.pubkey());
    let token_rent = fixture.client.balance(&token_account).await.unwrap();

    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let deposit_fee = fee(3 * SOL, FEES.deposit_bps);
    assert_eq!(shares, 3 * SOL - deposit_fee);
    let withdrawal_fee = fee(shares, FEES.withdrawal_bps);
    let expected_out = shares - withdrawal_fee;
    let outcome = fixture
        .client
        .withdraw_sol(&staker, shares, expected_out)
        .await
        .unwrap();

    // At a rate of one lamport per share, the fees are the whole loss.
    let end = fixture.client.balance(&staker.pubkey()).await.unwrap();
    assert_eq!(start - end, deposit_fee + withdrawal_fee + token_rent);
    assert_eq!(fixture.client.shares_of(&staker.pubkey()).await.unwrap(), 0);

    // What stays in the pool is exactly the treasury's fee shares, at the same rate, beside
    // the locked seed.
    let owed = deposit_fee + withdrawal_fee;
    let pool = fixture.pool_state().await;
    assert_eq!(pool.total_lamports, LOCKED_SEED_LAMPORTS + owed);
    assert_eq!(pool.pending_treasury_shares, owed);
    let reserve = fixture.client.addresses().unwrap().reserve;
    let rent = fixture.reserve_rent().await;
    assert_eq!(
        fixture.client.balance(&reserve).await.unwrap(),
        rent + LOCKED_SEED_LAMPORTS + owed
    );
    fixture.client.mint_treasury_shares().await.unwrap();
    assert_eq!(
        fixture.client.token_balance(&pool.treasury).await.unwrap(),
        deposit_fee + withdrawal_fee
    );
    assert_eq!(fixture.client.mint_state().await.unwrap().multiplier, 1.0);

    let event = &outcome.events::<WithdrawSolEvent>()[0];
    assert_eq!(
        (event.shares, event.fee_shares, event.lamports),
        (shares, withdrawal_fee, expected_out)
    );
    // Left in the pool: the treasury's and the locked shares, and the lamports they are worth.
    let left = LOCKED_SEED_LAMPORTS + owed;
    assert_eq!((event.total_lamports, event.share_supply), (left, left));
}

#[tokio::test]
async fn refused_withdrawals_move_nothing() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 2 * SOL, 0)
        .await
        .unwrap();
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let before = fixture.snapshot(&staker).await;

    assert_refused(
        fixture.client.withdraw_sol(&staker, 0, 0).await,
        TributaryError::ZeroAmount,
    );
    assert_refused(
        fixture.client.withdraw_sol(&staker, shares + 1, 0).await,
        TributaryError::InsufficientShares,
    );
    let out = shares - fee(shares, FEES.withdrawal_bps);
    assert_refused(
        fixture.client.withdraw_sol(&staker, shares, out + 1).await,
        TributaryError::SlippageExceeded,
    );

    // Burning from somebody else's token account.
    let thief = fixture.staker(SOL).await;
    let pool = fixture.client.addresses().unwrap().pool;
    let staker_account = fixture
        .client
        .addresses()
        .unwrap()
        .token_account(&staker.pubkey());
    let args = WithdrawSolArgs {
        shares,
        min_lamports_out: 0,
    };
    let ix = instructions::withdraw_sol(
        &PoolAddresses::new(pool),
        &thief.pubkey(),
        &staker_account,
        args,
    );
    assert_refused(
        fixture.client.send(&[ix], &[&thief]).await,
        TributaryError::WrongTokenOwner,
    );

    // A new epoch before the pool was updated for it.
    fixture.client.warp_epochs(1).await.unwrap();
    assert_refused(
        fixture.client.withdraw_sol(&staker, shares, 0).await,
        TributaryError::StaleEpoch,
    );

    assert_eq!(fixture.snapshot(&staker).await, before);
}

#[tokio::test]
async fn withdrawal_from_the_wrong_mint_is_refused() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 2 * SOL, 0)
        .await
        .unwrap();
    let pool = fixture.client.addresses().unwrap().pool;
    let wrong_mint_account = fixture.foreign_token_account(&staker.pubkey()).await;
    let before = fixture.snapshot(&staker).await;
    let args = WithdrawSolArgs {
        shares: SOL / 2,
        min_lamports_out: 0,
    };
    let ix = instructions::withdraw_sol(
        &PoolAddresses::new(pool),
        &staker.pubkey(),
        &wrong_mint_account,
        args,
    );
    assert_refused(
        fixture.client.send(&[ix], &[&staker]).await,
        TributaryError::WrongMint,
    );
    assert_eq!(fixture.snapshot(&staker).await, before);
}

#[tokio::test]
async fn a_reserve_that_cannot_pay_refuses_cleanly() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 2 * SOL, 0)
        .await
        .unwrap();
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();

    // Stand in for stake delegated out of the reserve: the ledger still counts 2 SOL, the
    // reserve holds only 1 SOL of it.
    let reserve = fixture.client.addresses().unwrap().reserve;
    let rent = fixture.reserve_rent().await;
    fixture.client.context().set_account(
        &reserve,
        &Account {
            lamports: rent + SOL,
            owner: tributary::ID,
            ..Account::default()
        }
        .into(),
    );
    let before = fixture.snapshot(&staker).await;
    assert_refused(
        fixture.client.withdraw_sol(&staker, shares, 0).await,
        TributaryError::ReserveInsufficient,
    );
    assert_eq!(fixture.snapshot(&staker).await, before);

    // What the reserve holds can still be paid.
    fixture
        .client
        .withdraw_sol(&staker, SOL / 2, 0)
        .await
        .unwrap();
    assert_eq!(
        fixture.client.shares_of(&staker.pubkey()).await.unwrap(),
        shares - SOL / 2
    );
}

#[tokio::test]
async fn withdrawals_keep_working_while_paused() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    fixture.client.deposit_sol(&staker, SOL, 0).await.unwrap();
    fixture.client.pause(&fixture.admin).await.unwrap();
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let before = fixture.client.balance(&staker.pubkey()).await.unwrap();
    fixture
        .client
        .withdraw_sol(&staker, shares, 0)
        .await
        .unwrap();
    let out = shares - fee(shares, FEES.withdrawal_bps);
    assert_eq!(
        fixture.client.balance(&staker.pubkey()).await.unwrap(),
        before + out
    );
}
