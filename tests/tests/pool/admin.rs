use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::MAX_URI_LEN;
use tributary::errors::TributaryError;
use tributary::events::{AcceptAdminEvent, SetMetadataEvent, SetPausedEvent};
use tributary::instructions::SetMetadataArgs;

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};

#[tokio::test]
async fn admin_hand_over_takes_two_steps() {
    let mut fixture = Fixture::new(FEES).await;
    let next = fixture.staker(SOL).await;
    let stranger = fixture.staker(SOL).await;

    assert_refused(
        fixture
            .client
            .propose_admin(&stranger, &stranger.pubkey())
            .await,
        TributaryError::NotAdmin,
    );
    fixture
        .client
        .propose_admin(&fixture.admin, &next.pubkey())
        .await
        .unwrap();
    assert_eq!(fixture.pool_state().await.pending_admin, next.pubkey());
    // Proposed is not yet admin.
    assert_eq!(fixture.pool_state().await.admin, fixture.admin.pubkey());
    assert_refused(
        fixture.client.accept_admin(&stranger).await,
        TributaryError::NotPendingAdmin,
    );

    let outcome = fixture.client.accept_admin(&next).await.unwrap();
    let pool = fixture.pool_state().await;
    assert_eq!(pool.admin, next.pubkey());
    assert_eq!(pool.pending_admin, Default::default());
    let event = &outcome.events::<AcceptAdminEvent>()[0];
    assert_eq!(
        (event.previous_admin, event.admin),
        (fixture.admin.pubkey(), next.pubkey())
    );

    // The old admin has lost its powers; the new one has them.
    assert_refused(
        fixture.client.pause(&fixture.admin).await,
        TributaryError::NotAdmin,
    );
    fixture.client.pause(&next).await.unwrap();
    assert!(fixture.pool_state().await.paused);
}

#[tokio::test]
async fn only_the_admin_sets_the_operator() {
    let mut fixture = Fixture::new(FEES).await;
    let operator = Keypair::new().pubkey();
    let stranger = fixture.staker(SOL).await;
    let before = fixture.pool_state().await.operator;
    assert_refused(
        fixture.client.set_operator(&stranger, &operator).await,
        TributaryError::NotAdmin,
    );
    assert_eq!(fixture.pool_state().await.operator, before);
    fixture
        .client
        .set_operator(&fixture.admin, &operator)
        .await
        .unwrap();
    assert_eq!(fixture.pool_state().await.operator, operator);
}

#[tokio::test]
async fn fee_shares_go_to_the_new_treasury() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    let old_treasury = fixture.pool_state().await.treasury;
    let new_owner = Keypair::new();
    let new_treasury = fixture
        .client
        .create_token_account(&new_owner.pubkey())
        .await
        .unwrap();

    // A token account of another mint is refused.
    let admin = fixture.admin.insecure_clone();
    let foreign = fixture.foreign_token_account(&new_owner.pubkey()).await;
    assert_refused(
        fixture.client.set_treasury(&admin, &foreign).await,
        TributaryError::WrongMint,
    );
    let stranger = fixture.staker(SOL).await;
    assert_refused(
        fixture.client.set_treasury(&stranger, &new_treasury).await,
        TributaryError::NotAdmin,
    );
    assert_eq!(fixture.pool_state().await.treasury, old_treasury);

    fixture
        .client
        .set_treasury(&admin, &new_treasury)
        .await
        .unwrap();
    fixture.client.deposit_sol(&staker, SOL, 0).await.unwrap();
    fixture.client.mint_treasury_shares().await.unwrap();
    assert_eq!(
        fixture.client.token_balance(&new_treasury).await.unwrap(),
        fee(SOL, FEES.deposit_bps)
    );
    assert_eq!(
        fixture.client.token_balance(&old_treasury).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn pause_and_unpause() {
    let mut fixture = Fixture::new(FEES).await;
    let stranger = fixture.staker(SOL).await;
    assert_refused(
        fixture.client.pause(&stranger).await,
        TributaryError::NotAdmin,
    );
    assert_refused(
        fixture.client.unpause(&fixture.admin).await,
        TributaryError::PauseUnchanged,
    );
    let outcome = fixture.client.pause(&fixture.admin).await.unwrap();
    assert!(outcome.events::<SetPausedEvent>()[0].paused);
    assert_refused(
        fixture.client.pause(&fixture.admin).await,
        TributaryError::PauseUnchanged,
    );
    assert_refused(
        fixture.client.deposit_sol(&stranger, SOL / 2, 0).await,
        TributaryError::Paused,
    );
    fixture.client.unpause(&fixture.admin).await.unwrap();
    assert!(!fixture.pool_state().await.paused);
    fixture
        .client
        .deposit_sol(&stranger, SOL / 2, 0)
        .await
        .unwrap();
    assert_eq!(
        fixture.client.shares_of(&stranger.pubkey()).await.unwrap(),
        SOL / 2 - fee(SOL / 2, FEES.deposit_bps)
    );
}

#[tokio::test]
async fn the_admin_changes_the_tokens_metadata_and_pays_its_rent() {
    let mut fixture = Fixture::new(FEES).await;
    let admin = fixture.admin.insecure_clone();
    let mint = fixture.client.addresses().unwrap().mint;
    let before = fixture.client.mint_state().await.unwrap();
    let mint_lamports = fixture.client.balance(&mint).await.unwrap();
    let admin_lamports = fixture.client.balance(&admin.pubkey()).await.unwrap();

    // Refused, and nothing moves: a stranger, a field too long, nothing to change.
    let stranger = fixture.staker(SOL).await;
    // Longer than the fixture's URI.
    let uri = "https://example.org/tributary/metadata/trsol-v2.json".to_string();
    let mint_len = fixture
        .client
        .account(&mint)
        .await
        .unwrap()
        .unwrap()
        .data
        .len();
    let change = |uri: &str| SetMetadataArgs {
        uri: Some(uri.into()),
        ..SetMetadataArgs::default()
    };
    assert_refused(
        fixture.client.set_metadata(&stranger, change(&uri)).await,
        TributaryError::NotAdmin,
    );
    assert_refused(
        fixture
            .client
            .set_metadata(&admin, change(&"x".repeat(MAX_URI_LEN + 1)))
            .await,
        TributaryError::MetadataTooLong,
    );
    assert_refused(
        fixture
            .client
            .set_metadata(&admin, SetMetadataArgs::default())
            .await,
        TributaryError::NoMetadataChange,
    );
    assert_eq!(fixture.client.mint_state().await.unwrap(), before);
    assert_eq!(fixture.client.balance(&mint).await.unwrap(), mint_lamports);
    assert_eq!(
        fixture.client.balance(&admin.pubkey()).await.unwrap(),
        admin_lamports
    );

    // A longer URI and name: the admin pays the longer account's rent.
    let args = SetMetadataArgs {
        name: Some("Tributary MEV Staked SOL".into()),
        symbol: None,
        uri: Some(uri.clone()),
    };
    let outcome = fixture.client.set_metadata(&admin, args).await.unwrap();
    let after = fixture.client.mint_state().await.unwrap();
    assert_eq!(after.name, "Tributary MEV Staked SOL");
    assert_eq!(after.symbol, before.symbol);
    assert_eq!(after.uri, uri);
    assert_eq!(after.supply, before.supply);
    let event = &outcome.events::<SetMetadataEvent>()[0];
    assert_eq!(
        (
            event.name.as_str(),
            event.symbol.as_str(),
            event.uri.as_str()
        ),
        (after.name.as_str(), after.symbol.as_str(), uri.as_str())
    );
    let account = fixture.client.account(&mint).await.unwrap().unwrap();
    assert!(account.data.len() > mint_len);
    let rent = fixture.client.rent().await.unwrap();
    let needed = rent.minimum_balance(account.data.len());
    assert_eq!(account.lamports, needed.max(mint_lamports));
    let paid = account.lamports - mint_lamports;
    assert!(paid > 0, "a longer metadata costs rent");
    assert_eq!(
        fixture.client.balance(&admin.pubkey()).await.unwrap(),
        admin_lamports - paid
    );

    // A shorter one costs nothing more.
    let shorter = SetMetadataArgs {
        uri: Some("ipfs://x".into()),
        ..SetMetadataArgs::default()
    };
    fixture.client.set_metadata(&admin, shorter).await.unwrap();
    assert_eq!(fixture.client.mint_state().await.unwrap().uri, "ipfs://x");
    assert_eq!(
        fixture.client.balance(&admin.pubkey()).await.unwrap(),
        admin_lamports - paid
    );
}
