use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::{MAX_TIP_RATE_CAP_BPS, MEV_LEDGER_EPOCHS};
use tributary::errors::TributaryError;
use tributary::events::DistributeEvent;
use tributary_client::pda::PoolAddresses;

use crate::fixture::{assert_refused, Fixture, FEES, SOL, TIP_RATE_CAP_BPS};

/// A pool holding `lamports` with one validator whose withdrawer keypair is returned, and its
/// pool tip accounts, rolled into a new epoch: the tip rate cap is a share of what it held then.
async fn pool_with_validator(lamports: u64) -> (Fixture, Pubkey, Keypair) {
    let mut fixture = Fixture::new(FEES).await;
    fixture.with_validators(lamports, 0).await;
    let (vote, withdrawer) = fixture.client.create_vote_account(5).await.unwrap();
    let operator = fixture.operator.insecure_clone();
    fixture
        .client
        .add_validator(&operator, &vote)
        .await
        .unwrap();
    fixture.client.create_pool_tip_accounts().await.unwrap();
    fixture.roll().await;
    (fixture, vote, withdrawer)
}

fn vault_of(fixture: &Fixture, vote: &Pubkey) -> Pubkey {
    fixture.client.addresses().unwrap().mev_vault(vote)
}

/// A searcher's tip of `lamports` to `vault`, distributed at once: the distribution's event.
async fn tip_and_distribute(
    fixture: &mut Fixture,
    searcher: &Keypair,
    vault: &Pubkey,
    lamports: u64,
) -> DistributeEvent {
    fixture.client.tip(searcher, vault, lamports).await.unwrap();
    let outcome = fixture.client.distribute(vault).await.unwrap();
    outcome.events::<DistributeEvent>().remove(0)
}

#[tokio::test]
async fn every_tipped_lamport_is_accounted_for() {
    let (mut fixture, vote, withdrawer) = pool_with_validator(100 * SOL).await;
    let payout = Keypair::new().pubkey();
    let admin = fixture.admin.insecure_clone();
    fixture
        .client
        .send(
            &[tributary_client::instructions::set_tip_rate_cap(
                fixture.client.addresses().unwrap(),
                &admin.pubkey(),
                MAX_TIP_RATE_CAP_BPS,
            )],
            &[&admin],
        )
        .await
        .unwrap();
    fixture
        .client
        .set_mev_commission(&withdrawer, &vote, 800, &payout)
        .await
        .unwrap();
    fixture.roll().await;

    let searcher = fixture.staker(2 * SOL).await;
    let vault = vault_of(&fixture, &vote);
    let pool_tip = fixture.client.addresses().unwrap().tip_accounts()[3];
    // Every share but the ones the protocol gets now: minted, owed and locked.
    let holders = fixture
        .pool_state()
        .await
        .share_supply(fixture.client.mint_state().await.unwrap().supply)
        .unwrap();
    let total_before = fixture.pool_state().await.total_lamports;
    let treasury = fixture.pool_state().await.treasury;
    let treasury_before = fixture.client.token_balance(&treasury).await.unwrap();
    let holders_before = fixture.value_of(holders).await;
    for lamports in [SOL / 10, SOL / 4, 3 * SOL / 100] {
        fixture
            .client
            .tip(&searcher, &vault, lamports)
            .await
            .unwrap();
    }
    fixture
        .client
        .tip(&searcher, &pool_tip, 7 * SOL / 100)
        .await
        .unwrap();
    let tipped = 45 * SOL / 100;

    let outcomes = fixture.client.distribute_all().await.unwrap();
    let events: Vec<DistributeEvent> = outcomes
        .iter()
        .flat_map(|outcome| outcome.events::<DistributeEvent>())
        .collect();
    assert_eq!(events.len(), 2);
    let processed: u64 = events.iter().map(|event| event.processed).sum();
    assert_eq!(processed, tipped);
    let to_validator: u64 = events.iter().map(|event| event.to_validator).sum();
    let to_protocol: u64 = events.iter().map(|event| event.to_protocol).sum();
    let to_stakers: u64 = events.iter().map(|event| event.to_stakers).sum();
    // The validator's 8% of its own vault's tips, rounded down; nothing from the pool's.
    assert_eq!(to_validator, (38 * SOL / 100) * 800 / 10_000);
    assert_eq!(fixture.client.balance(&payout).await.unwrap(), to_validator);
    assert_eq!(to_validator + to_protocol + to_stakers, tipped);
    // The rest waits in the reserve for the epoch roll: the price has not moved.
    let pool = fixture.pool_state().await;
    assert_eq!(pool.total_lamports, total_before);
    assert_eq!(
        (pool.tips.pending_to_stakers, pool.tips.pending_to_protocol),
        (to_stakers, to_protocol)
    );
    assert_eq!(fixture.value_of(holders).await, holders_before);

    // The roll counts every lamport that did not go to the validator.
    let counted = fixture.roll().await;
    assert_eq!(counted.tips, to_stakers + to_protocol);
    assert_eq!(counted.mev_fee_lamports, to_protocol);
    assert_eq!(
        fixture.stakers_lamports().await,
        total_before + tipped - to_validator
    );
    let pool = fixture.pool_state().await;
    assert_eq!(pool.mev_totals.tipped, tipped);
    assert_eq!(pool.mev_totals.to_validator, to_validator);
    // What the protocol's new shares are worth and what the holders gained add up to what the
    // pool kept, short by rounding only, never more.
    let protocol_shares = counted.fee_shares;
    assert_eq!(
        fixture.client.token_balance(&treasury).await.unwrap(),
        treasury_before + protocol_shares
    );
    // Released over the epoch after the roll: all in the price at the next.
    fixture.roll().await;
    let protocol_value = fixture.value_of(protocol_shares).await;
    let holders_gain = fixture.value_of(holders).await - holders_before;
    let accounted = to_validator + protocol_value + holders_gain;
    assert!(
        accounted <= tipped && tipped - accounted <= 2,
        "{accounted} of {tipped}"
    );
    assert!(holders_gain > 0);
    // The vaults hold only their rent again.
    assert_eq!(fixture.client.pending_tips(&vault).await.unwrap(), 0);
    assert_eq!(fixture.client.pending_tips(&pool_tip).await.unwrap(), 0);
}

#[tokio::test]
async fn a_holder_sees_its_share_of_the_stakers_part_once_released() {
    let (mut fixture, _, _) = pool_with_validator(SOL).await;
    let staker = fixture.staker(110 * SOL).await;
    fixture
        .client
        .deposit_sol(&staker, 100 * SOL, 0)
        .await
        .unwrap();
    fixture.roll().await;
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let ui = |text: String| text.parse::<f64>().unwrap();
    let ui_before = ui(fixture.client.ui_amount(shares).await.unwrap());

    let searcher = fixture.staker(2 * SOL).await;
    let pool_tip = fixture.client.addresses().unwrap().tip_accounts()[0];
    let event = &tip_and_distribute(&mut fixture, &searcher, &pool_tip, SOL / 2).await;
    // Nothing shows before the roll.
    assert_eq!(
        ui(fixture.client.ui_amount(shares).await.unwrap()),
        ui_before
    );

    // Counted at the roll, released over the epoch after it: at the next roll the wallet's
    // figure has grown by the holder's share of what the stakers got.
    let counted = fixture.roll().await;
    assert_eq!(
        ui(fixture.client.ui_amount(shares).await.unwrap()),
        ui_before
    );
    let released = fixture.roll().await;
    let ui_after = ui(fixture.client.ui_amount(shares).await.unwrap());
    // The client's figure is Token-2022's own, at a multiplier that is not 1.
    assert_eq!(
        fixture.client.ui_amount(shares).await.unwrap(),
        fixture.token_2022_ui_amount(shares).await
    );
    // The protocol's new shares are worth its fee at the roll; the stakers' part, released
    // after it, is spread over every share, the protocol's included.
    let supply = counted.share_supply as f64;
    let expected = event.to_stakers as f64 * shares as f64 / supply / SOL as f64;
    assert!(
        (ui_after - ui_before - expected).abs() < 1e-6,
        "{ui_before} → {ui_after}"
    );
    // The wallet's multiplier is the price at the last roll.
    assert_eq!(counted.share_price, 1.0);
    assert_eq!(
        fixture.client.mint_state().await.unwrap().multiplier,
        released.share_price
    );
}

#[tokio::test]
async fn commission_is_capped_raised_next_epoch_and_cut_at_once() {
    let (mut fixture, vote, withdrawer) = pool_with_validator(100 * SOL).await;
    let vault = vault_of(&fixture, &vote);
    let payout = Keypair::new().pubkey();
    let searcher = fixture.staker(10 * SOL).await;

    // Only the vote account's withdrawer may declare.
    let stranger = fixture.staker(SOL).await;
    assert_refused(
        fixture
            .client
            .set_mev_commission(&stranger, &vote, 100, &payout)
            .await,
        TributaryError::NotVoteWithdrawer,
    );
    assert_eq!(
        fixture
            .client
            .mev_vault(&vault)
            .await
            .unwrap()
            .commission_bps,
        0
    );

    // Declared above the pool's cap: a raise, in force next epoch, and then clamped.
    fixture
        .client
        .set_mev_commission(&withdrawer, &vote, 3_000, &payout)
        .await
        .unwrap();
    let event = tip_and_distribute(&mut fixture, &searcher, &vault, SOL / 10).await;
    assert_eq!(event.commission_bps, 0);
    assert_eq!(fixture.client.balance(&payout).await.unwrap(), 0);

    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    let event = &tip_and_distribute(&mut fixture, &searcher, &vault, SOL / 10).await;
    assert_eq!(event.commission_bps, FEES.mev_commission_cap_bps);
    let paid = SOL / 10 * FEES.mev_commission_cap_bps as u64 / 10_000;
    assert_eq!(fixture.client.balance(&payout).await.unwrap(), paid);

    // A cut applies in the same epoch.
    fixture
        .client
        .set_mev_commission(&withdrawer, &vote, 200, &payout)
        .await
        .unwrap();
    let event = tip_and_distribute(&mut fixture, &searcher, &vault, SOL / 10).await;
    assert_eq!(event.commission_bps, 200);
    assert_eq!(
        fixture.client.balance(&payout).await.unwrap(),
        paid + SOL / 10 * 200 / 10_000
    );
}

#[tokio::test]
async fn the_rate_cap_holds_a_huge_tip_back_and_releases_it_later() {
    let (mut fixture, _, _) = pool_with_validator(100 * SOL).await;
    let searcher = fixture.staker(11 * SOL).await;
    let pool_tip = fixture.client.addresses().unwrap().tip_accounts()[1];
    let tip = 10 * SOL;
    fixture.client.tip(&searcher, &pool_tip, tip).await.unwrap();
    let total_before = fixture.pool_state().await.total_lamports;

    let mut processed = 0;
    let mut epochs = 0;
    while fixture.client.pending_tips(&pool_tip).await.unwrap() > 0 {
        assert!(epochs < 20, "the tip should be released within 20 epochs");
        // The cap is a share of what the pool held at the last roll.
        let base = fixture.pool_state().await.tips.base;
        assert_eq!(base, fixture.pool_state().await.total_lamports);
        let cap = (base * TIP_RATE_CAP_BPS as u64).div_ceil(10_000);
        // Distribute until the epoch's allowance is spent.
        let mut to_stakers = 0;
        for _ in 0..3 {
            if fixture.client.pending_tips(&pool_tip).await.unwrap() == 0 {
                break;
            }
            let before = fixture.client.balance(&pool_tip).await.unwrap();
            match fixture.client.distribute(&pool_tip).await {
                Ok(outcome) => {
                    let event = &outcome.events::<DistributeEvent>()[0];
                    processed += event.processed;
                    to_stakers += event.released_to_stakers;
                }
                Err(err) => {
                    assert!(err.is(TributaryError::TipRateCapReached), "{err}");
                    assert_eq!(fixture.client.balance(&pool_tip).await.unwrap(), before);
                    break;
                }
            }
        }
        // The stakers' part never raises the price by more than the cap at a roll.
        assert!(to_stakers <= cap, "{to_stakers} over {cap}");
        let counted = fixture.roll().await;
        assert!(counted.tips - counted.mev_fee_lamports <= cap);
        epochs += 1;
    }
    assert!(epochs > 5, "released over {epochs} epochs");
    // Nothing lost: every lamport of the tip is in the pool.
    assert_eq!(processed, tip);
    fixture.roll().await;
    assert_eq!(fixture.stakers_lamports().await, total_before + tip);
}

#[tokio::test]
async fn refused_distributions_move_nothing() {
    let (mut fixture, vote, withdrawer) = pool_with_validator(10 * SOL).await;
    let vault = vault_of(&fixture, &vote);
    let pool = fixture.client.addresses().unwrap().pool;
    let before = fixture.pool_state().await.total_lamports;

    // An empty vault, holding only its rent.
    assert_refused(
        fixture.client.distribute(&vault).await,
        TributaryError::NoTips,
    );

    // A payout account other than the declared one.
    let payout = Keypair::new().pubkey();
    fixture
        .client
        .set_mev_commission(&withdrawer, &vote, 500, &payout)
        .await
        .unwrap();
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    let searcher = fixture.staker(2 * SOL).await;
    // A tip so small that the commission could not keep an empty account rent exempt: passing
    // an empty account instead of the declared one must not make the validator forgo it.
    fixture
        .client
        .tip(&searcher, &vault, SOL / 1_000)
        .await
        .unwrap();
    let thief = Keypair::new().pubkey();
    assert_refused(
        fixture
            .client
            .send(
                &[tributary_client::instructions::distribute(
                    &PoolAddresses::new(pool),
                    &vault,
                    &thief,
                    0,
                )],
                &[],
            )
            .await,
        TributaryError::WrongPayout,
    );
    fixture
        .client
        .tip(&searcher, &vault, SOL - SOL / 1_000)
        .await
        .unwrap();
    assert_refused(
        fixture
            .client
            .send(
                &[tributary_client::instructions::distribute(
                    &PoolAddresses::new(pool),
                    &vault,
                    &thief,
                    0,
                )],
                &[],
            )
            .await,
        TributaryError::WrongPayout,
    );

    // A vault of another pool.
    let admin = fixture.admin.pubkey();
    let other_pool = fixture.second_pool(&admin).await;
    fixture.client.create_pool_tip_accounts().await.unwrap();
    let foreign = PoolAddresses::new(other_pool).tip_accounts()[0];
    fixture
        .client
        .tip(&searcher, &foreign, SOL / 2)
        .await
        .unwrap();
    fixture.client.use_pool(pool);
    assert_refused(
        fixture
            .client
            .send(
                &[tributary_client::instructions::distribute(
                    &PoolAddresses::new(pool),
                    &foreign,
                    &payout,
                    0,
                )],
                &[],
            )
            .await,
        TributaryError::WrongPoolAccount,
    );

    let pool = fixture.pool_state().await;
    assert_eq!(pool.total_lamports, before);
    assert_eq!(
        (pool.tips.pending_to_stakers, pool.tips.pending_to_protocol),
        (0, 0)
    );
    assert_eq!(fixture.client.pending_tips(&vault).await.unwrap(), SOL);
    assert_eq!(
        fixture.client.pending_tips(&foreign).await.unwrap(),
        SOL / 2
    );
    assert_eq!(fixture.client.balance(&thief).await.unwrap(), 0);
}

#[tokio::test]
async fn tips_to_a_removed_validator_still_reach_the_stakers() {
    let (mut fixture, vote, withdrawer) = pool_with_validator(10 * SOL).await;
    let vault = vault_of(&fixture, &vote);
    let payout = Keypair::new().pubkey();
    fixture
        .client
        .set_mev_commission(&withdrawer, &vote, 500, &payout)
        .await
        .unwrap();
    let operator = fixture.operator.insecure_clone();
    fixture
        .client
        .remove_validator(&operator, &vote)
        .await
        .unwrap();
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    assert!(fixture.client.validator_list().await.unwrap().is_empty());

    let searcher = fixture.staker(2 * SOL).await;
    // A tip is a plain transfer: the pool counts it at the roll after its distribution.
    let before = fixture.stakers_lamports().await;
    let event = &tip_and_distribute(&mut fixture, &searcher, &vault, SOL / 10).await;
    assert_eq!((event.commission_bps, event.to_validator), (0, 0));
    assert_eq!(fixture.stakers_lamports().await, before);
    fixture.roll().await;
    assert_eq!(fixture.stakers_lamports().await, before + SOL / 10);
    assert_eq!(fixture.client.balance(&payout).await.unwrap(), 0);
}

#[tokio::test]
async fn the_ledger_keeps_the_recent_epochs() {
    let (mut fixture, vote, _) = pool_with_validator(100 * SOL).await;
    let vault = vault_of(&fixture, &vote);
    let searcher = fixture.staker(10 * SOL).await;
    let first_epoch = fixture.client.clock().await.unwrap().epoch;
    let epochs = MEV_LEDGER_EPOCHS as u64 + 3;
    // A different tip each epoch: the epoch's number of thousandths of a SOL.
    for epoch in first_epoch..first_epoch + epochs {
        tip_and_distribute(&mut fixture, &searcher, &vault, (epoch + 1) * SOL / 1_000).await;
        fixture.client.warp_epochs(1).await.unwrap();
        fixture.client.crank().await.unwrap();
    }
    let state = fixture.client.mev_vault(&vault).await.unwrap();
    let last = first_epoch + epochs - 1;
    let mut recorded: Vec<u64> = state.ledger.iter().map(|record| record.epoch).collect();
    recorded.sort();
    // The oldest epochs rolled over; the last MEV_LEDGER_EPOCHS remain, each with its tip.
    assert_eq!(
        recorded,
        (last + 1 - MEV_LEDGER_EPOCHS as u64..=last).collect::<Vec<_>>()
    );
    for record in &state.ledger {
        assert_eq!(record.tipped, (record.epoch + 1) * SOL / 1_000);
        assert_eq!(record.to_validator, 0);
        assert_eq!(record.to_protocol + record.to_stakers, record.tipped);
    }
    let all: u64 = (first_epoch..=last)
        .map(|epoch| (epoch + 1) * SOL / 1_000)
        .sum();
    assert_eq!(state.totals.tipped, all);
}

#[tokio::test]
async fn a_payout_account_that_cannot_take_the_commission_does_not_block_the_stakers() {
    let (mut fixture, vote, withdrawer) = pool_with_validator(10 * SOL).await;
    let vault = vault_of(&fixture, &vote);
    // A payout address with nothing in it: 5% of a small tip is below its rent-exempt minimum.
    let payout = Keypair::new().pubkey();
    fixture
        .client
        .set_mev_commission(&withdrawer, &vote, 500, &payout)
        .await
        .unwrap();
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    let searcher = fixture.staker(SOL).await;
    let before = fixture.stakers_lamports().await;
    let event = &tip_and_distribute(&mut fixture, &searcher, &vault, SOL / 1_000).await;
    assert_eq!((event.commission_bps, event.to_validator), (0, 0));
    fixture.roll().await;
    assert_eq!(fixture.stakers_lamports().await, before + SOL / 1_000);
    assert_eq!(fixture.client.balance(&payout).await.unwrap(), 0);
}
