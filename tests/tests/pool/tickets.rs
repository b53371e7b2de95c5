use solana_sdk::signature::Signer;
use tributary::errors::TributaryError;
use tributary::events::{OrderUnstakeEvent, RebalanceEvent};
use tributary::state::{Strategy, StrategyMode};

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
    let reserve = fixture.client.pool().unwrap().reserve;
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

#[tokio::test]
async fn rebalancing_deactivates_enough_stake_to_cover_tickets() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(SOL, 2).await;
    let operator = fixture.operator.insecure_clone();
    fixture
        .client
        .set_strategy(
            &operator,
            Strategy {
                mode: StrategyMode::Manual,
                validator_cap_bps: 10_000,
                reserve_buffer_bps: 1_000,
                max_move_bps: 10_000,
            },
        )
        .await
        .unwrap();
    for vote in &votes {
        fixture.client.set_weight(&operator, vote, 1).await.unwrap();
    }
    let staker = fixture.staker(110 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 100 * SOL, 0)
        .await
        .unwrap();
    fixture.client.rebalance_all().await.unwrap();
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
    let reserve = fixture.client.pool().unwrap().reserve;
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
