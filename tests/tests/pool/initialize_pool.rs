use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::LOCKED_SEED_LAMPORTS;
use tributary::errors::TributaryError;
use tributary::events::InitializePoolEvent;
use tributary::state::{Fees, ValidatorList};
use tributary_client::pda::PoolAddresses;
use tributary_client::BankClient;

use crate::fixture::{assert_refused, pool_args, Fixture, FEES, SOL};

#[tokio::test]
async fn creates_the_pool_its_pdas_and_the_mint() {
    let mut client = BankClient::start().await;
    let admin = client.funded_keypair(10 * SOL).await.unwrap();
    let pool = Keypair::new();
    let treasury_owner = Keypair::new();
    let args = pool_args(FEES);
    let outcome = client
        .initialize_pool(&admin, &pool, &treasury_owner.pubkey(), args.clone())
        .await
        .unwrap();
    let addresses = PoolAddresses::new(pool.pubkey());
    let epoch = client.clock().await.unwrap().epoch;

    let state = client.pool_state().await.unwrap();
    assert_eq!(state.admin, admin.pubkey());
    assert_eq!(state.operator, args.operator);
    assert_eq!(state.pending_admin, Default::default());
    assert_eq!(state.mint, addresses.mint);
    assert_eq!(state.authority, addresses.authority);
    assert_eq!(state.reserve, addresses.reserve);
    assert_eq!(state.validator_list, addresses.validator_list);
    assert_eq!(
        state.treasury,
        addresses.token_account(&treasury_owner.pubkey())
    );
    assert_eq!(state.fees, FEES);
    assert!(!state.has_pending_fees());
    // The admin's locked seed: shares nobody can redeem, at one lamport each.
    assert_eq!(state.total_lamports, LOCKED_SEED_LAMPORTS);
    assert_eq!(state.locked_shares, LOCKED_SEED_LAMPORTS);
    assert_eq!(state.share_supply(0).unwrap(), LOCKED_SEED_LAMPORTS);
    assert_eq!(state.tips.base, LOCKED_SEED_LAMPORTS);
    assert_eq!((state.floor_lamports, state.ticket_lamports), (0, 0));
    assert_eq!(state.pending_treasury_shares, 0);
    assert_eq!(state.last_update_epoch, epoch);
    assert!(!state.paused);

    let mint = client.mint_state().await.unwrap();
    assert_eq!(mint.decimals, 9);
    assert_eq!(mint.supply, 0);
    assert_eq!(mint.mint_authority, Some(addresses.authority));
    assert_eq!(mint.freeze_authority, None);
    assert_eq!(mint.multiplier, 1.0);
    assert_eq!(mint.multiplier_authority, Some(addresses.authority));
    assert_eq!(mint.metadata_address, Some(addresses.mint));
    assert_eq!(
        (mint.name.as_str(), mint.symbol.as_str(), mint.uri.as_str()),
        (args.name.as_str(), args.symbol.as_str(), args.uri.as_str())
    );

    // The treasury account exists and is empty.
    assert_eq!(client.token_balance(&state.treasury).await.unwrap(), 0);
    assert!(client
        .account_data(&state.treasury)
        .await
        .unwrap()
        .is_some());

    // The reserve is a program-owned account holding its rent-exempt minimum and the seed.
    let reserve = client.account(&addresses.reserve).await.unwrap().unwrap();
    let rent = client.rent().await.unwrap();
    assert_eq!(reserve.owner, tributary::ID);
    assert_eq!(
        reserve.lamports,
        rent.minimum_balance(0) + LOCKED_SEED_LAMPORTS
    );
    assert!(reserve.data.is_empty());

    let list_data = client
        .account_data(&addresses.validator_list)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(list_data.len(), ValidatorList::EMPTY_SPACE);
    let list: &ValidatorList = anchor_lang::__private::bytemuck::from_bytes(&list_data[8..]);
    assert_eq!(list.pool, pool.pubkey());
    assert_eq!(list.validator_count, 0);

    let events = outcome.events::<InitializePoolEvent>();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].pool, pool.pubkey());
    assert_eq!(events[0].mint, addresses.mint);
    assert_eq!(events[0].fees, FEES);
    assert_eq!(events[0].locked_lamports, LOCKED_SEED_LAMPORTS);
}

#[tokio::test]
async fn a_second_initialisation_of_the_same_pool_is_refused() {
    let mut fixture = Fixture::new(FEES).await;
    let before = fixture.pool_state().await;
    let admin_lamports = fixture
        .client
        .balance(&fixture.admin.pubkey())
        .await
        .unwrap();
    let other_treasury = Keypair::new();
    let result = fixture
        .client
        .initialize_pool(
            &fixture.admin,
            &fixture.pool,
            &other_treasury.pubkey(),
            pool_args(Fees::default()),
        )
        .await;
    assert_refused(result, TributaryError::PoolAlreadyInitialized);
    let after = fixture.pool_state().await;
    assert_eq!(after.fees, before.fees);
    assert_eq!(after.treasury, before.treasury);
    assert_eq!(
        fixture
            .client
            .balance(&fixture.admin.pubkey())
            .await
            .unwrap(),
        admin_lamports
    );
}

#[tokio::test]
async fn refuses_fees_above_the_caps_and_long_metadata() {
    let mut client = BankClient::start().await;
    let admin = client.funded_keypair(10 * SOL).await.unwrap();
    let pool = Keypair::new();
    let treasury = Keypair::new().pubkey();

    let greedy = Fees {
        epoch_bps: tributary::constants::MAX_EPOCH_FEE_BPS + 1,
        ..FEES
    };
    let result = client
        .initialize_pool(&admin, &pool, &treasury, pool_args(greedy))
        .await;
    assert_refused(result, TributaryError::FeeAboveCap);

    let mut long_name = pool_args(FEES);
    long_name.name = "x".repeat(tributary::constants::MAX_NAME_LEN + 1);
    let result = client
        .initialize_pool(&admin, &pool, &treasury, long_name)
        .await;
    assert_refused(result, TributaryError::MetadataTooLong);

    // Nothing was created and the admin paid nothing.
    let addresses = PoolAddresses::new(pool.pubkey());
    for address in [pool.pubkey(), addresses.mint, addresses.reserve] {
        assert!(client.account_data(&address).await.unwrap().is_none());
    }
    assert_eq!(client.balance(&admin.pubkey()).await.unwrap(), 10 * SOL);
}

#[tokio::test]
async fn works_when_someone_prefunded_the_pool_addresses() {
    let mut client = BankClient::start().await;
    let admin = client.funded_keypair(10 * SOL).await.unwrap();
    let pool = Keypair::new();
    let addresses = PoolAddresses::new(pool.pubkey());
    // More than the reserve's rent and the locked seed.
    let prefund = 2 * SOL;
    for address in [addresses.reserve, addresses.mint, pool.pubkey()] {
        client.transfer(&address, prefund).await.unwrap();
    }
    let treasury_owner = Keypair::new();
    client
        .initialize_pool(&admin, &pool, &treasury_owner.pubkey(), pool_args(FEES))
        .await
        .unwrap();
    let reserve = client.account(&addresses.reserve).await.unwrap().unwrap();
    assert_eq!(reserve.owner, tributary::ID);
    assert_eq!(reserve.lamports, prefund);
    let staker = client.funded_keypair(5 * SOL).await.unwrap();
    client.deposit_sol(&staker, SOL, 0).await.unwrap();
    // The donation stays out of the ledger within the epoch: it cannot move the rate.
    let total = LOCKED_SEED_LAMPORTS + SOL;
    assert_eq!(client.pool_state().await.unwrap().total_lamports, total);
    assert_eq!(
        client.balance(&addresses.reserve).await.unwrap(),
        SOL + prefund
    );
    let mint = client.mint_state().await.unwrap();
    assert_eq!(mint.supply, SOL - SOL * FEES.deposit_bps as u64 / 10_000);
    // At the roll it is counted, as rewards shared by every share, released over the epoch.
    let donation = prefund - client.rent().await.unwrap().minimum_balance(0) - LOCKED_SEED_LAMPORTS;
    client.warp_epochs(1).await.unwrap();
    let roll = client.crank().await.unwrap().roll.into_event().unwrap();
    assert_eq!(roll.rewards, donation);
    assert_eq!(roll.total_lamports + roll.locked_lamports, total + donation);
}
