use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::errors::TributaryError;
use tributary::events::{OrderUnstakeEvent, RebalanceEvent};
use tributary_client::instructions;

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};

#[tokio::test]
async fn a_ticket_pays_after_the_boundary_and_only_once() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.depositor(10 * SOL).await;
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let price_before = fixture.price().await;
    let total_before = fixture.pool_state().await.total_lamports;

    let (ticket, outcome) = fixture
        .client
        .order_unstake(&staker, shares / 2)
        .await
        .unwrap();
    let event = &outcome.events::<OrderUnstakeEvent>()[0];
    let owed = shares / 2 - fee(shares / 2, FEES.ticket_bps);
    assert_eq!(event.lamports, owed);
    // Shares burnt, lamports moved to what tickets are owed, and the rate did not move.
    assert_eq!(
        fixture.client.shares_of(&staker.pubkey()).await.unwrap(),
        shares - shares / 2
    );
    let pool = fixture.pool_state().await;
    assert_eq!(pool.total_lamports, total_before - owed);
    assert_eq!(pool.ticket_lamports, owed);
    assert_eq!(fixture.price().await, price_before);
    let state = fixture.client.ticket(&ticket).await.unwrap();
    assert_eq!((state.owner, state.lamports), (staker.pubkey(), owed));

    // Not before the boundary; never by someone else.
    assert_refused(
        fixture.client.claim_ticket(&staker, &ticket).await,
        TributaryError::TicketNotDue,
    );
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    // The ticket's lamports are not counted as the stakers' at the epoch roll.
    assert_eq!(
        fixture.pool_state().await.total_lamports,
        total_before - owed
    );
    let thief = fixture.staker(SOL).await;
    assert_refused(
        fixture.client.claim_ticket(&thief, &ticket).await,
        TributaryError::NotTicketOwner,
    );

    let before = fixture.client.balance(&staker.pubkey()).await.unwrap();
    let ticket_rent = fixture.client.balance(&ticket).await.unwrap();
    fixture.client.claim_ticket(&staker, &ticket).await.unwrap();
    assert_eq!(
        fixture.client.balance(&staker.pubkey()).await.unwrap(),
        before + owed + ticket_rent
    );
    assert_eq!(fixture.pool_state().await.ticket_lamports, 0);
    assert!(fixture
        .client
        .account_data(&ticket)
        .await
        .unwrap()
        .is_none());
    // A second claim finds no ticket.
    let again = fixture.client.claim_ticket(&staker, &ticket).await;
    assert!(again.is_err());
    assert_eq!(
        fixture.client.balance(&staker.pubkey()).await.unwrap(),
        before + owed + ticket_rent
    );
}

#[tokio::test]
async fn a_transferred_ticket_pays_its_new_owner() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.depositor(10 * SOL).await;
    let (ticket, outcome) = fixture.client.order_unstake(&staker, SOL).await.unwrap();
    let owed = outcome.events::<OrderUnstakeEvent>()[0].lamports;
    let buyer = fixture.staker(SOL).await;
    let stranger = fixture.staker(SOL).await;
    assert_refused(
        fixture
            .client
            .transfer_ticket(&stranger, &ticket, &stranger.pubkey())
            .await,
        TributaryError::NotTicketOwner,
    );
    fixture
        .client
        .transfer_ticket(&staker, &ticket, &buyer.pubkey())
        .await
        .unwrap();
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    assert_refused(
        fixture.client.claim_ticket(&staker, &ticket).await,
        TributaryError::NotTicketOwner,
    );
    let before = fixture.client.balance(&buyer.pubkey()).await.unwrap();
    fixture.client.claim_ticket(&buyer, &ticket).await.unwrap();
    assert!(fixture.client.balance(&buyer.pubkey()).await.unwrap() >= before + owed);
}

#[tokio::test]
async fn tickets_larger_than_the_reserve_are_paid_once_stake_is_deactivated() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(SOL, 2).await;
    let operator = fixture.operator.insecure_clone();
    let mut stakers = Vec::new();
    for _ in 0..3 {
        let staker = fixture.staker(40 * SOL).await;
        fixture
            .client
            .deposit_sol(&staker, 30 * SOL, 0)
            .await
            .unwrap();
        stakers.push(staker);
    }
    for vote in &votes {
        fixture
            .client
            .increase_validator_stake(&operator, vote, 40 * SOL)
            .await
            .unwrap();
    }
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();

    // Every staker orders a ticket for all its shares: far more than the reserve holds.
    let mut tickets = Vec::new();
    for staker in &stakers {
        let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
        let (ticket, outcome) = fixture.client.order_unstake(staker, shares).await.unwrap();
        tickets.push((ticket, outcome.events::<OrderUnstakeEvent>()[0].lamports));
    }
    let owed: u64 = tickets.iter().map(|(_, lamports)| lamports).sum();
    let reserve = fixture.client.addresses().unwrap().reserve;
    assert!(fixture.client.balance(&reserve).await.unwrap() < owed);

    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    // Due, but the reserve cannot pay them all yet: the first is refused, nothing moves.
    let (first, _) = tickets[0];
    let balance = fixture.client.balance(&stakers[0].pubkey()).await.unwrap();
    let refused = fixture.client.claim_ticket(&stakers[0], &first).await;
    assert_refused(refused, TributaryError::ReserveInsufficient);
    assert_eq!(
        fixture.client.balance(&stakers[0].pubkey()).await.unwrap(),
        balance
    );
    assert_eq!(
        fixture.client.ticket(&first).await.unwrap().lamports,
        tickets[0].1
    );
    assert_eq!(fixture.pool_state().await.ticket_lamports, owed);

    // The operator deactivates stake to cover them; after the boundary the crank brings it in.
    for vote in &votes {
        fixture
            .client
            .decrease_validator_stake(&operator, vote, 40 * SOL)
            .await
            .unwrap();
    }
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    let total_before = fixture.pool_state().await.total_lamports;
    for ((ticket, lamports), staker) in tickets.iter().zip(&stakers) {
        let before = fixture.client.balance(&staker.pubkey()).await.unwrap();
        let rent = fixture.client.balance(ticket).await.unwrap();
        fixture.client.claim_ticket(staker, ticket).await.unwrap();
        assert_eq!(
            fixture.client.balance(&staker.pubkey()).await.unwrap(),
            before + lamports + rent
        );
    }
    // The tickets took only what they were owed: the stakers' lamports did not move.
    let pool = fixture.pool_state().await;
    assert_eq!(pool.ticket_lamports, 0);
    assert_eq!(pool.total_lamports, total_before);
}

/// Two validators weighed alike, the whole pool theirs to hold but `reserve_buffer_bps`, and a
/// staker's 100 SOL deposited and rebalanced onto them.
async fn two_validators_staked(reserve_buffer_bps: u16) -> (Fixture, Vec<Pubkey>, Keypair) {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(SOL, 2).await;
    fixture.weigh_evenly(&votes, reserve_buffer_bps).await;
    let staker = fixture.staker(110 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 100 * SOL, 0)
        .await
        .unwrap();
    fixture.client.rebalance_all().await.unwrap();
    (fixture, votes, staker)
}

#[tokio::test]
async fn rebalancing_deactivates_enough_stake_to_cover_tickets() {
    let (mut fixture, _, staker) = two_validators_staked(1_000).await;
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();

    // A ticket for most of the pool: far more than the 10% buffer the reserve keeps.
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let (ticket, outcome) = fixture
        .client
        .order_unstake(&staker, shares * 6 / 10)
        .await
        .unwrap();
    let owed = outcome.events::<OrderUnstakeEvent>()[0].lamports;
    let reserve = fixture.client.addresses().unwrap().reserve;
    assert!(fixture.client.balance(&reserve).await.unwrap() < owed);

    // Nobody but the crank and rebalance: the targets shrink and stake is deactivated, as much
    // an epoch as the movement cap allows, until the ticket can be paid.
    let mut rounds = 0;
    loop {
        let moves = fixture.client.rebalance_all().await.unwrap();
        assert!(moves
            .iter()
            .all(|outcome| !outcome.events::<RebalanceEvent>()[0].increase));
        fixture.client.warp_epochs(2).await.unwrap();
        fixture.client.crank().await.unwrap();
        let before = fixture.client.balance(&staker.pubkey()).await.unwrap();
        match fixture.client.claim_ticket(&staker, &ticket).await {
            Ok(_) => {
                assert!(fixture.client.balance(&staker.pubkey()).await.unwrap() > before + owed);
                break;
            }
            Err(err) => {
                assert!(err.is(TributaryError::ReserveInsufficient), "{err}");
                assert_eq!(
                    fixture.client.balance(&staker.pubkey()).await.unwrap(),
                    before
                );
            }
        }
        rounds += 1;
        assert!(
            rounds < 4,
            "the ticket should be covered within a few epochs"
        );
    }
    assert_eq!(fixture.pool_state().await.ticket_lamports, 0);
}

#[tokio::test]
async fn a_second_unstake_in_an_epoch_waits_for_the_transient_rent_and_stops_nothing() {
    // No buffer: the reserve keeps only what tickets are owed and one transient account's rent.
    let (mut fixture, votes, staker) = two_validators_staked(0).await;
    let reserve = fixture.client.addresses().unwrap().reserve;
    let transient_rent = fixture.client.stake_account_rent().await.unwrap();
    // Each increase paid its transient's rent on top: the reserve kept exactly one rent.
    assert_eq!(
        fixture.client.reserve_spendable().await.unwrap(),
        transient_rent
    );
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    // The crank swept the merged transients' rent back; a withdrawal takes the reserve down to
    // the one rent it keeps.
    let spare = fixture.client.reserve_spendable().await.unwrap() - transient_rent;
    let quote = fixture.client.quote().await.unwrap();
    let mut shares = quote.shares_worth(spare);
    while quote.withdrawal(shares).unwrap().lamports > spare {
        shares -= 1;
    }
    fixture
        .client
        .withdraw_sol(&staker, shares, 0)
        .await
        .unwrap();
    let left = fixture.client.reserve_spendable().await.unwrap();
    assert!(
        left >= transient_rent && left < 2 * transient_rent,
        "{left}"
    );

    // A ticket for nine tenths of the pool: more than either validator holds.
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let (ticket, _) = fixture
        .client
        .order_unstake(&staker, shares * 9 / 10)
        .await
        .unwrap();
    // The first unstake spends the kept rent on its transient; the second has none to spend
    // and says so, moving nothing.
    let pool = *fixture.client.addresses().unwrap();
    let first = instructions::rebalance(&pool, &votes[0], 0);
    fixture.client.send(&[first], &[]).await.unwrap();
    assert!(fixture.client.reserve_spendable().await.unwrap() < transient_rent);
    let list = fixture.client.validator_list().await.unwrap();
    let reserve_lamports = fixture.client.balance(&reserve).await.unwrap();
    let second = instructions::rebalance(&pool, &votes[1], 1);
    assert_refused(
        fixture.client.send(&[second], &[]).await,
        TributaryError::TransientRentUnavailable,
    );
    assert_eq!(fixture.client.validator_list().await.unwrap(), list);
    assert_eq!(
        fixture.client.balance(&reserve).await.unwrap(),
        reserve_lamports
    );
    // The crank's rebalancing skips what it cannot do instead of failing on it.
    assert!(fixture.client.rebalance_all().await.unwrap().is_empty());

    // Once the first transient is back, the second validator unstakes too, and the ticket is
    // paid within a few epochs, by nobody but the crank and rebalance.
    let mut epochs = 0;
    loop {
        fixture.client.warp_epochs(1).await.unwrap();
        fixture.client.crank().await.unwrap();
        if fixture.client.claim_ticket(&staker, &ticket).await.is_ok() {
            break;
        }
        fixture.client.rebalance_all().await.unwrap();
        epochs += 1;
        assert!(epochs < 6, "the ticket should be paid within a few epochs");
    }
    assert_eq!(fixture.pool_state().await.ticket_lamports, 0);
}
