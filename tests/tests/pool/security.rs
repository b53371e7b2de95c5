//! The attacks of the outside review (issue 10), each with the attacker's profit in lamports.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::LOCKED_SEED_LAMPORTS;
use tributary::errors::TributaryError;
use tributary::events::{
    ClaimTicketEvent, LossEvent, OrderUnstakeEvent, RemoveValidatorEvent, StakeAccountRejectedEvent,
};
use tributary::state::Fees;
use tributary_client::pda::PoolAddresses;

use crate::fixture::{assert_refused, Fixture, FEES, SOL};

/// The fees of `migrations/localnet.toml`, the deploy default.
const DEPLOY_FEES: Fees = Fees {
    deposit_bps: 0,
    withdrawal_bps: 10,
    ticket_bps: 0,
    epoch_bps: 500,
    mev_bps: 500,
    mev_commission_cap_bps: 1_000,
};

/// Orders a ticket for all of `owner`'s shares, then cranks epoch after epoch until it is paid.
async fn leave_by_ticket(fixture: &mut Fixture, owner: &Keypair) {
    let shares = fixture.client.shares_of(&owner.pubkey()).await.unwrap();
    let (ticket, _) = fixture.client.order_unstake(owner, shares).await.unwrap();
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    fixture.client.claim_ticket(owner, &ticket).await.unwrap();
}

/// The first-depositor attack: one lamport in, 100 SOL donated to `target`, the crank counts
/// it; a victim deposits 150 SOL and the attacker leaves by ticket. The attacker gains nothing;
/// the victim loses at most the rounding of one share.
async fn inflation_attack(mut fixture: Fixture, target: Pubkey) {
    let attacker = fixture.staker(200 * SOL).await;
    let victim = fixture.staker(200 * SOL).await;
    let attacker_before = fixture.wallet(&attacker.pubkey()).await;
    let victim_before = fixture.wallet(&victim.pubkey()).await;

    fixture.client.deposit_sol(&attacker, 1, 0).await.unwrap();
    fixture.donate(&attacker, &target, 100 * SOL).await;
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();

    fixture
        .client
        .deposit_sol(&victim, 150 * SOL, 0)
        .await
        .unwrap();
    let victim_shares = fixture.client.shares_of(&victim.pubkey()).await.unwrap();
    leave_by_ticket(&mut fixture, &attacker).await;

    let profit = fixture.wallet(&attacker.pubkey()).await as i128 - attacker_before as i128;
    assert!(profit <= 0, "the attacker made {profit} lamports");
    let victim_now = fixture.wallet(&victim.pubkey()).await + fixture.value_of(victim_shares).await;
    let loss = victim_before as i128 - victim_now as i128;
    assert!(loss <= 1_000_000, "the victim lost {loss} lamports");
}

#[tokio::test]
async fn a_first_depositor_cannot_inflate_the_share_price() {
    let fixture = Fixture::new(DEPLOY_FEES).await;
    let reserve = fixture.client.addresses().unwrap().reserve;
    inflation_attack(fixture, reserve).await;
}

#[tokio::test]
async fn a_donation_to_a_stake_account_does_not_inflate_the_share_price() {
    let mut fixture = Fixture::new(DEPLOY_FEES).await;
    let votes = fixture.with_validators(0, 1).await;
    let pool = fixture.client.addresses().unwrap().pool;
    let stake_account = PoolAddresses::new(pool).validator_stake(&votes[0]);
    inflation_attack(fixture, stake_account).await;
}

#[tokio::test]
async fn a_one_share_holder_can_leave_after_a_donation() {
    let mut fixture = Fixture::new(FEES).await;
    let holder = fixture.staker(200 * SOL).await;
    fixture.client.deposit_sol(&holder, 1, 0).await.unwrap();
    let reserve = fixture.client.addresses().unwrap().reserve;
    fixture.donate(&holder, &reserve, 100 * SOL).await;
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();

    // The fee is never the whole share: the holder leaves by ticket or at once.
    assert_eq!(fixture.client.shares_of(&holder.pubkey()).await.unwrap(), 1);
    let (_, outcome) = fixture.client.order_unstake(&holder, 1).await.unwrap();
    assert!(outcome.events::<OrderUnstakeEvent>()[0].lamports > 0);
}

#[tokio::test]
async fn a_loss_while_a_ticket_is_open_is_shared_and_the_epoch_rolls() {
    let mut fixture = Fixture::new(FEES).await;
    let (staker, first) = fixture.staker_with_a_large_ticket(10 * SOL).await;
    // The validator's stake account loses 8 SOL: less than the tickets are owed is left.
    let stake_account = fixture.client.validator_list().await.unwrap()[0].validator_stake;
    fixture.slash(&stake_account, 8 * SOL).await;
    let before = fixture.pool_state().await;
    let (stakers, tickets) = (before.total_lamports, before.ticket_lamports);
    let price_before = fixture.price().await;
    assert!(fixture.client.balance(&stake_account).await.unwrap() < tickets);

    // The crank finds the stake account short: the validator's floor (the operator's) meets
    // the loss first, the rest is shared pro rata, and an event says so. The roll then rolls.
    let floor = fixture.client.validator_list().await.unwrap()[0].floor_lamports;
    fixture.client.warp_epochs(1).await.unwrap();
    let crank = fixture.client.crank().await.unwrap();
    let loss = crank.losses.first().expect("a loss event");
    let rest = 8 * SOL - floor;
    let tickets_loss = (rest as u128 * tickets as u128 / (stakers + tickets) as u128) as u64;
    assert_eq!((loss.loss, loss.floor_loss), (8 * SOL, floor));
    assert_eq!(loss.tickets_loss, tickets_loss);
    assert_eq!(loss.stakers_loss, rest - tickets_loss);
    let pool = fixture.pool_state().await;
    assert_eq!(pool.total_lamports, stakers - loss.stakers_loss);
    assert_eq!(pool.ticket_lamports, tickets - tickets_loss);
    assert_eq!(crank.roll.into_event().unwrap().loss, 0);
    // Shares and tickets lost the same part of their value.
    let ticket_ratio = pool.ticket_lamports as f64 / tickets as f64;
    let price_ratio = fixture.price().await / price_before;
    assert!(
        (ticket_ratio - price_ratio).abs() < 1e-9,
        "{ticket_ratio} {price_ratio}"
    );
    let first_owed = fixture.client.ticket_owed(&first).await.unwrap();
    assert_eq!(first_owed, tickets - tickets_loss);

    // Exits go on: the rest by a ticket, and the crank pays both within a few epochs.
    let rest = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let (second, _) = fixture.client.order_unstake(&staker, rest).await.unwrap();
    let second_owed = fixture.client.ticket_owed(&second).await.unwrap();
    let before_claims = fixture.client.balance(&staker.pubkey()).await.unwrap();
    let rents = fixture.client.balance(&first).await.unwrap()
        + fixture.client.balance(&second).await.unwrap();
    let mut open = vec![(first, first_owed), (second, second_owed)];
    let mut paid = 0;
    for _ in 0..4 {
        fixture.client.rebalance_all().await.unwrap();
        fixture.client.warp_epochs(1).await.unwrap();
        fixture.client.crank().await.unwrap();
        let mut still_open = Vec::new();
        for (ticket, owed) in open {
            match fixture.client.claim_ticket(&staker, &ticket).await {
                Ok(outcome) => {
                    let lamports = outcome.events::<ClaimTicketEvent>()[0].lamports;
                    // Owed what it was; a later ticket's rounding may add a lamport.
                    assert!(lamports.abs_diff(owed) <= 1, "{lamports} for {owed}");
                    paid += lamports;
                }
                Err(err) => {
                    assert!(err.is(TributaryError::ReserveInsufficient), "{err}");
                    still_open.push((ticket, owed));
                }
            }
        }
        open = still_open;
    }
    assert!(open.is_empty(), "{} tickets unpaid", open.len());
    assert_eq!(
        fixture.client.balance(&staker.pubkey()).await.unwrap(),
        before_claims + paid + rents
    );
    assert_eq!(fixture.pool_state().await.ticket_lamports, 0);
}

/// A 100 SOL pool (deploy fees) with 50 SOL of tips waiting in a validator's tip account, in a
/// new epoch; returns the tip account.
async fn pool_with_a_tip_backlog() -> (Fixture, Pubkey) {
    let mut fixture = Fixture::new(DEPLOY_FEES).await;
    let votes = fixture.with_validators(100 * SOL, 1).await;
    let vault = fixture.client.addresses().unwrap().mev_vault(&votes[0]);
    let searcher = fixture.staker(60 * SOL).await;
    fixture
        .client
        .tip(&searcher, &vault, 50 * SOL)
        .await
        .unwrap();
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    (fixture, vault)
}

#[tokio::test]
async fn tips_cannot_be_sniped_within_an_epoch() {
    let (mut fixture, vault) = pool_with_a_tip_backlog().await;
    // The cap holds most of the tips back in the vault: a backlog.
    fixture.client.distribute(&vault).await.unwrap();
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    assert!(fixture.client.pending_tips(&vault).await.unwrap() > 40 * SOL);

    let attacker = fixture.staker(1_100 * SOL).await;
    let before = fixture.wallet(&attacker.pubkey()).await;
    fixture
        .client
        .deposit_sol(&attacker, 1_000 * SOL, 0)
        .await
        .unwrap();
    fixture.client.distribute(&vault).await.unwrap();
    let shares = fixture.client.shares_of(&attacker.pubkey()).await.unwrap();
    fixture
        .client
        .withdraw_sol(&attacker, shares, 0)
        .await
        .unwrap();
    let profit = fixture.wallet(&attacker.pubkey()).await as i128 - before as i128;
    assert!(profit <= 0, "the attacker made {profit} lamports");
}

#[tokio::test]
async fn due_tickets_do_not_block_each_other() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(SOL, 1).await;
    let first = fixture.depositor(10 * SOL).await;
    let second = fixture.depositor(10 * SOL).await;
    fixture.stake_with(&votes[0], 8 * SOL).await;

    // About 13 SOL in the reserve: either ticket alone, not both.
    let mut tickets = Vec::new();
    for staker in [&first, &second] {
        let (ticket, outcome) = fixture.client.order_unstake(staker, 8 * SOL).await.unwrap();
        tickets.push((ticket, outcome.events::<OrderUnstakeEvent>()[0].lamports));
    }
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    let before = fixture.client.balance(&first.pubkey()).await.unwrap();
    let rent = fixture.client.balance(&tickets[0].0).await.unwrap();
    fixture
        .client
        .claim_ticket(&first, &tickets[0].0)
        .await
        .unwrap();
    assert_eq!(
        fixture.client.balance(&first.pubkey()).await.unwrap(),
        before + tickets[0].1 + rent
    );
}

#[tokio::test]
async fn a_sole_holders_ticket_is_paid_without_the_operator() {
    let mut fixture = Fixture::new(DEPLOY_FEES).await;
    let holder = fixture.depositor(10 * SOL).await;
    let votes = fixture.with_validators(0, 1).await;
    fixture.stake_with(&votes[0], 8 * SOL).await;

    let before = fixture.wallet(&holder.pubkey()).await;
    let shares = fixture.client.shares_of(&holder.pubkey()).await.unwrap();
    let (ticket, outcome) = fixture.client.order_unstake(&holder, shares).await.unwrap();
    let owed = outcome.events::<OrderUnstakeEvent>()[0].lamports;
    // Nobody but the permissionless crank: within a few epochs the ticket is paid.
    let mut epochs = 0;
    loop {
        fixture.client.rebalance_all().await.unwrap();
        fixture.client.warp_epochs(1).await.unwrap();
        fixture.client.crank().await.unwrap();
        epochs += 1;
        match fixture.client.claim_ticket(&holder, &ticket).await {
            Ok(_) => break,
            Err(err) => assert!(err.is(TributaryError::ReserveInsufficient), "{err}"),
        }
        assert!(
            epochs < 4,
            "the ticket is still unpaid after {epochs} epochs"
        );
    }
    // The ticket's rent came back with it.
    assert_eq!(fixture.wallet(&holder.pubkey()).await, before + owed);
}

#[tokio::test]
async fn deposit_stake_refuses_the_pools_own_stake_account() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(10 * SOL, 1).await;
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    let thief = fixture.staker(SOL).await;
    let token_account = fixture
        .client
        .create_token_account(&thief.pubkey())
        .await
        .unwrap();
    let pool = fixture.client.addresses().unwrap().pool;
    let entry = fixture.client.validator_list().await.unwrap()[0];
    let ix = tributary_client::instructions::deposit_stake(
        &PoolAddresses::new(pool),
        &thief.pubkey(),
        &entry.validator_stake,
        &votes[0],
        &token_account,
        tributary::instructions::DepositStakeArgs {
            validator_index: 0,
            min_shares_out: 0,
        },
    );
    assert_refused(
        fixture.client.send(&[ix], &[&thief]).await,
        TributaryError::PoolStakeAccount,
    );
}

#[tokio::test]
async fn closing_the_treasury_account_does_not_stop_the_epoch() {
    let mut fixture = Fixture::new(FEES).await;
    let treasury_owner = fixture.staker(SOL).await;
    fixture.second_pool(&treasury_owner.pubkey()).await;
    let staker = fixture.depositor(10 * SOL).await;
    assert!(fixture.pool_state().await.pending_treasury_shares > 0);

    // The treasury's owner closes its empty token account.
    let treasury = fixture.pool_state().await.treasury;
    let close = spl_token_2022_interface::instruction::close_account(
        &spl_token_2022_interface::ID,
        &treasury,
        &treasury_owner.pubkey(),
        &treasury_owner.pubkey(),
        &[],
    )
    .unwrap();
    fixture
        .client
        .send(&[close], &[&treasury_owner])
        .await
        .unwrap();
    assert!(fixture.client.account(&treasury).await.unwrap().is_none());

    // The epoch rolls and exits work: the fee shares stay owed, counted in the supply.
    let deposit_fee = fixture.pool_state().await.pending_treasury_shares;
    fixture.client.warp_epochs(1).await.unwrap();
    assert!(fixture.client.crank().await.unwrap().roll.rolled());
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    fixture
        .client
        .withdraw_sol(&staker, shares / 2, 0)
        .await
        .unwrap();
    let owed = fixture.pool_state().await.pending_treasury_shares;
    assert!(owed > deposit_fee);
    let pool = fixture.client.addresses().unwrap().pool;
    let mint =
        tributary_client::instructions::mint_treasury_shares(&PoolAddresses::new(pool), &treasury);
    assert!(fixture.client.send(&[mint], &[]).await.is_err());

    // Once the account exists again, anyone mints them.
    fixture
        .client
        .create_token_account(&treasury_owner.pubkey())
        .await
        .unwrap();
    fixture
        .client
        .mint_treasury_shares()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fixture.client.token_balance(&treasury).await.unwrap(), owed);
    assert_eq!(fixture.pool_state().await.pending_treasury_shares, 0);
}

#[tokio::test]
async fn the_crank_does_not_count_a_stake_account_the_pool_does_not_control() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(10 * SOL, 1).await;
    fixture.stake_with(&votes[0], 5 * SOL).await;
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.active_lamports, entry.floor_lamports + 5 * SOL);

    // Its authorities now belong to someone else.
    fixture
        .edit_stake(&entry.validator_stake, 0, |meta, _| {
            meta.authorized.staker = Pubkey::new_unique();
            meta.authorized.withdrawer = Pubkey::new_unique();
        })
        .await;

    fixture.client.warp_epochs(1).await.unwrap();
    let pool = fixture.client.addresses().unwrap().pool;
    let entries = fixture.client.validator_list().await.unwrap();
    let ix =
        tributary_client::instructions::update_validators(&PoolAddresses::new(pool), 0, &entries);
    let outcome = fixture.client.send(&[ix], &[]).await.unwrap();
    let rejected = &outcome.events::<StakeAccountRejectedEvent>()[0];
    assert_eq!(
        (rejected.stake_account, rejected.vote),
        (entry.validator_stake, entry.vote)
    );
    assert_eq!(
        fixture.client.validator_list().await.unwrap()[0].active_lamports,
        0
    );
    // The pool counts the lamports in it as lost at once: the floor (the operator's) first,
    // the stakers' 5 SOL after it; the roll finds nothing more.
    let loss = &outcome.events::<LossEvent>()[0];
    assert_eq!(loss.floor_loss, entry.floor_lamports);
    assert_eq!(loss.loss - loss.floor_loss, 5 * SOL);
    let crank = fixture.client.crank().await.unwrap();
    assert_eq!(crank.roll.into_event().unwrap().loss, 0);
}

#[tokio::test]
async fn tips_held_across_a_boundary_earn_only_what_holding_earned() {
    let (mut fixture, vault) = pool_with_a_tip_backlog().await;

    // Deposit, distribute the backlog's allowance, hold across the roll, leave.
    let attacker = fixture.staker(1_100 * SOL).await;
    let before = fixture.wallet(&attacker.pubkey()).await;
    fixture
        .client
        .deposit_sol(&attacker, 1_000 * SOL, 0)
        .await
        .unwrap();
    let shares = fixture.client.shares_of(&attacker.pubkey()).await.unwrap();
    fixture.client.distribute(&vault).await.unwrap();
    let price_before = fixture.price().await;
    let roll = fixture.roll().await;
    let price_after = fixture.price().await;
    fixture
        .client
        .withdraw_sol(&attacker, shares, 0)
        .await
        .unwrap();
    let profit = fixture.wallet(&attacker.pubkey()).await as i128 - before as i128;
    // What every share earned at the roll, and no more: the tips it counted are at most the
    // rate cap's share of the pool before the deposit.
    let held = shares as f64 * (price_after - price_before);
    assert!(profit as f64 <= held + 1.0, "{profit} over {held}");
    let cap = (100 * SOL + LOCKED_SEED_LAMPORTS) * 100 / 10_000;
    assert!(roll.tips - roll.mev_fee_lamports <= cap);
}

#[tokio::test]
async fn a_validator_deactivated_as_delinquent_does_not_stop_the_crank() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(20 * SOL, 1).await;
    let operator = fixture.operator.insecure_clone();
    fixture.stake_with(&votes[0], 10 * SOL).await;
    // More stake on its way in, then the validator's stake is deactivated by someone else
    // (the Stake program's `DeactivateDelinquent` once it stops voting), as it leaves it.
    fixture
        .client
        .increase_validator_stake(&operator, &votes[0], 5 * SOL)
        .await
        .unwrap();
    let entry = fixture.client.validator_list().await.unwrap()[0];
    let epoch = fixture.client.clock().await.unwrap().epoch;
    fixture
        .edit_stake(&entry.validator_stake, 0, |_, stake| {
            stake.delegation.deactivation_epoch = epoch
        })
        .await;
    let stakers = fixture.pool_state().await.total_lamports;

    // The crank goes on; anyone removes the validator; every lamport comes back.
    let stranger = fixture.staker(SOL).await;
    for _ in 0..3 {
        fixture.client.warp_epochs(1).await.unwrap();
        assert!(fixture.client.crank().await.unwrap().roll.rolled());
        let removals = fixture
            .client
            .remove_deactivated_validators()
            .await
            .unwrap();
        let _ = &stranger;
        for removal in &removals {
            assert!(removal.events::<RemoveValidatorEvent>()[0].delinquent);
        }
    }
    assert!(fixture.client.validator_list().await.unwrap().is_empty());
    let pool = fixture.pool_state().await;
    assert_eq!(pool.floor_lamports, 0);
    // The stakers' lamports are whole, and the floor the operator paid joined them.
    assert_eq!(pool.total_lamports, stakers + entry.floor_lamports);
    let reserve = fixture.client.addresses().unwrap().reserve;
    let rent = fixture.reserve_rent().await;
    assert_eq!(
        fixture.client.balance(&reserve).await.unwrap() - rent,
        pool.total_lamports
    );
}
