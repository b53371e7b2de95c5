//! Sharing pays: MEV that reaches a validator's stake account is its MEV to the stakers, a
//! declared Jito commission is read, and the delegation rule takes stake from a validator that
//! keeps its MEV within a stated number of epochs.

use anchor_lang::prelude::Pubkey;
use solana_sdk::account::Account;
use solana_sdk::signature::{Keypair, Signer};
use tributary::constants::{BPS_DENOMINATOR, MEV_LEDGER_EPOCHS};
use tributary::errors::TributaryError;
use tributary::events::{CollectStakeTipsEvent, RebalanceEvent, ScoreValidatorEvent};
use tributary::state::{DelegationRule, Standing, Strategy, StrategyMode, ValidatorEntry};
use tributary_client::client::Binding;
use tributary_client::{instructions, pda};

use crate::fixture::{assert_refused, fee, Fixture, FEES, SOL};
use tributary_client::client::tip_distribution_account;

/// The movement cap of these pools: a fifth of the pool an epoch.
const MAX_MOVE_BPS: u16 = 2_000;

fn scored() -> Strategy {
    Strategy {
        mode: StrategyMode::Scored,
        validator_cap_bps: 6_000,
        reserve_buffer_bps: 1_000,
        max_move_bps: MAX_MOVE_BPS,
        rule: DelegationRule::RECOMMENDED,
    }
}

/// A pool of `lamports` staked evenly over `count` validators, active: the operator's equal
/// weights, then its scored strategy from the next call on.
async fn staked_pool(lamports: u64, count: usize) -> (Fixture, Vec<Pubkey>) {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(lamports, count).await;
    fixture.weigh_evenly(&votes, 1_000).await;
    fixture.client.rebalance_all().await.unwrap();
    for _ in 0..2 {
        credit(&mut fixture, &votes);
        fixture.client.warp_epochs(1).await.unwrap();
        fixture.client.crank().await.unwrap();
    }
    (fixture, votes)
}

/// `staked_pool`, then scored by the recommended rule.
async fn scored_pool(lamports: u64, count: usize) -> (Fixture, Vec<Pubkey>) {
    let (mut fixture, votes) = staked_pool(lamports, count).await;
    let operator = fixture.operator.insecure_clone();
    fixture
        .client
        .set_strategy(&operator, scored())
        .await
        .unwrap();
    (fixture, votes)
}

/// Vote credits for `votes` this epoch: they are voting.
fn credit(fixture: &mut Fixture, votes: &[Pubkey]) {
    for vote in votes {
        fixture
            .client
            .context()
            .increment_vote_account_credits(vote, 100);
    }
}

async fn entry(fixture: &mut Fixture, vote: &Pubkey) -> ValidatorEntry {
    let index = fixture.client.validator_index(vote).await.unwrap();
    fixture.client.validator_entry(index).await.unwrap()
}

/// Lamports a Jito claim would add to the validator's stake account: `ppm` of its stake.
async fn claim_to_stake_account(fixture: &mut Fixture, vote: &Pubkey, ppm: u64) -> u64 {
    let stake = entry(fixture, vote).await.active_lamports.max(SOL);
    let lamports = stake * ppm / 1_000_000;
    let account = fixture.client.addresses().unwrap().validator_stake(vote);
    fixture.client.transfer(&account, lamports).await.unwrap();
    lamports
}

/// Tips of `ppm` of the validator's stake to its vault.
async fn tip_vault(fixture: &mut Fixture, vote: &Pubkey, ppm: u64) {
    let stake = entry(fixture, vote).await.active_lamports.max(SOL);
    let vault = fixture.client.addresses().unwrap().mev_vault(vote);
    fixture
        .client
        .transfer(&vault, stake * ppm / 1_000_000)
        .await
        .unwrap();
}

/// The next epoch, with the validators voting, and the keeper's round: roll, collect and
/// distribute, score, rebalance. The test cluster's inflation (meaningless, doubling on its
/// warm-up epochs) is taken back from the pool's stake accounts: MEV alone moves the scores.
async fn next_epoch(fixture: &mut Fixture, votes: &[Pubkey]) {
    credit(fixture, votes);
    let pool = *fixture.client.addresses().unwrap();
    let no_rewards: Vec<(Pubkey, u64)> = votes
        .iter()
        .flat_map(|vote| [pool.validator_stake(vote), pool.transient_stake(vote)])
        .map(|account| (account, 0))
        .collect();
    fixture
        .client
        .warp_epoch_with_rewards(&no_rewards)
        .await
        .unwrap();
    fixture.client.epoch_round(0).await.unwrap();
}

/// The stake a validator still holds delegated above its floor.
async fn staked_above_floor(fixture: &mut Fixture, vote: &Pubkey) -> u64 {
    let entry = entry(fixture, vote).await;
    entry.active_lamports.saturating_sub(entry.floor_lamports)
}

#[tokio::test]
async fn a_claim_to_a_stake_account_is_that_validators_mev_counted_at_the_roll_like_tips() {
    let (mut fixture, votes) = staked_pool(100 * SOL, 2).await;
    let (sharer, other) = (votes[0], votes[1]);
    let stake_account = fixture.client.addresses().unwrap().validator_stake(&sharer);
    // A Jito claim: lamports added to the stake account, above its delegation.
    fixture
        .client
        .transfer(&stake_account, SOL / 2)
        .await
        .unwrap();
    let found = entry(&mut fixture, &sharer).await;
    assert_eq!(
        fixture.client.stake_account_tips(&found).await.unwrap(),
        SOL / 2
    );

    // The crank leaves them in place and does not count them as rewards.
    let roll = fixture.roll().await;
    assert_eq!((roll.rewards, roll.tips), (0, 0));
    let counted = entry(&mut fixture, &sharer).await;
    let lamports = fixture.client.balance(&stake_account).await.unwrap();
    assert_eq!(lamports, counted.active_lamports + SOL / 2);

    // Collected: the protocol's MEV fee, the rest the stakers', in its ledger beside the vault's.
    let stakers_before = fixture.stakers_lamports().await;
    let outcome = fixture.client.collect_stake_tips(&sharer).await.unwrap();
    let event = &outcome.events::<CollectStakeTipsEvent>()[0];
    let protocol = fee(SOL / 2, FEES.mev_bps);
    assert_eq!(
        (event.collected, event.to_protocol, event.to_stakers),
        (SOL / 2, protocol, SOL / 2 - protocol)
    );
    assert_eq!(event.released_to_stakers, SOL / 2 - protocol);
    assert_eq!(event.held_back, 0);
    assert_eq!(
        fixture.client.balance(&stake_account).await.unwrap(),
        counted.active_lamports
    );
    let vault = fixture.client.addresses().unwrap().mev_vault(&sharer);
    let state = fixture.client.mev_vault(&vault).await.unwrap();
    let epoch = fixture.client.clock().await.unwrap().epoch;
    let record = state
        .ledger
        .iter()
        .find(|record| record.epoch == epoch)
        .unwrap();
    assert_eq!(
        (record.stake_account_tips, record.stake_account_to_stakers),
        (SOL / 2, SOL / 2 - protocol)
    );
    assert_eq!((record.tipped, record.to_stakers), (0, 0));
    let pool = fixture.pool_state().await;
    assert_eq!(
        (pool.tips.pending_to_stakers, pool.tips.pending_to_protocol),
        (SOL / 2 - protocol, protocol)
    );
    // Pending until the roll: the price has not moved.
    assert_eq!(fixture.stakers_lamports().await, stakers_before);
    // Nothing more to collect, from it or from the validator that received nothing.
    assert_refused(
        fixture.client.collect_stake_tips(&sharer).await,
        TributaryError::NoTips,
    );
    assert_refused(
        fixture.client.collect_stake_tips(&other).await,
        TributaryError::NoTips,
    );

    // Counted at the roll as tips: the fee as the treasury's shares, the rest released.
    let roll = fixture.roll().await;
    assert_eq!(
        (roll.tips, roll.mev_fee_lamports, roll.rewards),
        (SOL / 2, protocol, 0)
    );
    assert_eq!(fixture.stakers_lamports().await, stakers_before + SOL / 2);

    // Its score counts them; the other's has no MEV.
    credit(&mut fixture, &votes);
    fixture.client.score_all().await.unwrap();
    let report = fixture.client.validator_report(&sharer).await.unwrap();
    assert!(report.parts.stake_account_mev > 0, "{report:?}");
    assert_eq!((report.parts.vault_mev, report.parts.declared_mev), (0, 0));
    assert_eq!(report.stake_account_to_stakers, SOL / 2 - protocol);
    assert_eq!(report.mev_score, report.parts.mev());
    assert_eq!(entry(&mut fixture, &other).await.mev_score, 0);
}

#[tokio::test]
async fn the_tip_rate_cap_holds_stake_account_tips_back_like_vault_tips() {
    let (mut fixture, votes) = staked_pool(100 * SOL, 1).await;
    let stake_account = fixture
        .client
        .addresses()
        .unwrap()
        .validator_stake(&votes[0]);
    fixture
        .client
        .transfer(&stake_account, 3 * SOL)
        .await
        .unwrap();
    let allowance = fixture.pool_state().await.tips.allowance().unwrap();
    assert!(allowance > 0 && allowance < 2 * SOL, "{allowance}");
    let event = fixture.client.collect_stake_tips(&votes[0]).await.unwrap();
    let event = &event.events::<CollectStakeTipsEvent>()[0];
    let to_stakers = 3 * SOL - fee(3 * SOL, FEES.mev_bps);
    assert_eq!(event.released_to_stakers, allowance);
    let vault = fixture.client.addresses().unwrap().mev_vault(&votes[0]);
    let held = fixture.client.mev_vault(&vault).await.unwrap();
    assert_eq!(held.held_to_stakers, to_stakers - allowance);
    assert_eq!(
        event.held_back,
        held.held_to_stakers + held.held_to_protocol
    );
    // Each epoch's allowance releases more through the vault's distribution, until every
    // lamport collected is counted: the whole 3 SOL, over the rolls.
    let mut counted = 0;
    for _ in 0..4 {
        counted += fixture.roll().await.tips;
        fixture.client.distribute_all().await.unwrap();
    }
    counted += fixture.roll().await.tips;
    let held = fixture.client.mev_vault(&vault).await.unwrap();
    assert_eq!((held.held_to_stakers, held.held_to_protocol), (0, 0));
    assert_eq!(counted, 3 * SOL);
}

#[tokio::test]
async fn a_validator_that_keeps_its_mev_is_unstaked_within_the_stated_bound() {
    let (mut fixture, votes) = scored_pool(300 * SOL, 3).await;
    let [through_jito, through_vault, keeper] = [votes[0], votes[1], votes[2]];
    let share = staked_above_floor(&mut fixture, &keeper).await;
    let total = fixture.pool_state().await.total_lamports;
    // The bound README states: its grace, one score, then every lamport it holds moved away and
    // to another validator at the movement cap's pace, then one epoch to come back.
    let grace = DelegationRule::RECOMMENDED.grace_epochs as u64;
    let moves = (2 * share).div_ceil(total * MAX_MOVE_BPS as u64 / 10_000);
    let bound = grace + 1 + moves + 1;
    let mut unstaked_after = None;
    for epoch in 1..=bound + 2 {
        claim_to_stake_account(&mut fixture, &through_jito, 100).await;
        tip_vault(&mut fixture, &through_vault, 100).await;
        next_epoch(&mut fixture, &votes).await;
        let keeper_entry = entry(&mut fixture, &keeper).await;
        if epoch > grace {
            assert_eq!(keeper_entry.standing(), Standing::BelowSharingBar);
            assert_eq!(keeper_entry.scored_weight, 0);
        }
        if staked_above_floor(&mut fixture, &keeper).await == 0 && unstaked_after.is_none() {
            unstaked_after = Some(epoch);
        }
    }
    let unstaked_after = unstaked_after.expect("the keeper is unstaked");
    assert!(unstaked_after <= bound, "{unstaked_after} > {bound}");
    // The sharers hold the pool between them; the keeper's report says why it has nothing.
    for sharer in [through_jito, through_vault] {
        assert!(staked_above_floor(&mut fixture, &sharer).await > 100 * SOL);
        assert_eq!(
            entry(&mut fixture, &sharer).await.standing(),
            Standing::Eligible
        );
    }
    let report = fixture.client.validator_report(&keeper).await.unwrap();
    assert_eq!(report.binding, Binding::BelowSharingBar);
    assert_eq!(report.target, 0);
    assert_eq!(report.rank, 3);
    assert!(
        report.sharing_bar > 0 && report.mev_score == 0,
        "{report:?}"
    );
    assert!(report.advice().contains("share MEV"), "{}", report.advice());
}

#[tokio::test]
async fn a_validator_that_stops_sharing_loses_its_stake_within_the_stated_bound() {
    let (mut fixture, votes) = scored_pool(200 * SOL, 2).await;
    let [stops, keeps_on] = [votes[0], votes[1]];
    // Both share alike for a whole window.
    for _ in 0..MEV_LEDGER_EPOCHS {
        claim_to_stake_account(&mut fixture, &stops, 100).await;
        claim_to_stake_account(&mut fixture, &keeps_on, 100).await;
        next_epoch(&mut fixture, &votes).await;
    }
    assert_eq!(
        entry(&mut fixture, &stops).await.standing(),
        Standing::Eligible
    );
    let held = staked_above_floor(&mut fixture, &stops).await;
    assert!(held > 50 * SOL, "{held}");
    // Then one stops. README's bound: below the bar within 7 epochs (recent epochs weigh most),
    // then unstaked at the movement cap's pace.
    let total = fixture.pool_state().await.total_lamports;
    let moves = (2 * held).div_ceil(total * MAX_MOVE_BPS as u64 / 10_000);
    let (mut below_bar, mut unstaked) = (None, None);
    for epoch in 1..=7 + moves + 2 {
        claim_to_stake_account(&mut fixture, &keeps_on, 100).await;
        next_epoch(&mut fixture, &votes).await;
        let stopped = entry(&mut fixture, &stops).await;
        if stopped.standing() == Standing::BelowSharingBar && below_bar.is_none() {
            below_bar = Some(epoch);
        }
        if staked_above_floor(&mut fixture, &stops).await == 0 && unstaked.is_none() {
            unstaked = Some(epoch);
        }
    }
    let below_bar = below_bar.expect("below the bar");
    assert!(below_bar <= 7, "{below_bar}");
    let unstaked = unstaked.expect("unstaked");
    assert!(unstaked <= 7 + moves + 1, "{unstaked}");
}

#[tokio::test]
async fn score_noise_below_the_deadband_unstakes_nothing() {
    let (mut fixture, votes) = scored_pool(200 * SOL, 2).await;
    // Two validators sharing alike, one a little luckier each epoch: scores a few ppm apart.
    for _ in 0..4 {
        claim_to_stake_account(&mut fixture, &votes[0], 100).await;
        claim_to_stake_account(&mut fixture, &votes[1], 103).await;
        credit(&mut fixture, &votes);
        fixture.client.warp_epochs(1).await.unwrap();
        fixture.client.crank().await.unwrap();
        fixture.client.distribute_all().await.unwrap();
        fixture.client.score_all().await.unwrap();
    }
    let pool = *fixture.client.addresses().unwrap();
    let entries = fixture.client.validator_list().await.unwrap();
    assert_ne!(entries[0].score, entries[1].score);
    let reports = [
        fixture.client.validator_report(&votes[0]).await.unwrap(),
        fixture.client.validator_report(&votes[1]).await.unwrap(),
    ];
    let over = reports.iter().find(|r| r.current > r.target).unwrap();
    let under = reports.iter().find(|r| r.current < r.target).unwrap();
    // Gaps under the deadband's share of the target, worked out here apart from the program.
    let deadband = u64::from(scored().rule.deadband_bps);
    let under_deadband = |gap: u64, target: u64| gap * BPS_DENOMINATOR < target * deadband;
    // The validator over its target by less than the deadband keeps its stake: unstaking would
    // cost the stake an epoch of rewards.
    assert!(
        under_deadband(over.current - over.target, over.target),
        "{over:?}"
    );
    assert_eq!(over.binding, Binding::Deadband, "{over:?}");
    let reserve = fixture.client.balance(&pool.reserve).await.unwrap();
    let ix = instructions::rebalance(&pool, &over.vote, over.index);
    assert_refused(
        fixture.client.send(&[ix], &[]).await,
        TributaryError::WithinDeadband,
    );
    assert_eq!(
        fixture.client.balance(&pool.reserve).await.unwrap(),
        reserve
    );
    assert_eq!(
        entry(&mut fixture, &over.vote).await,
        entries[over.index as usize]
    );
    // The one under its target by as little takes the reserve's free lamports at once: they earn
    // nothing there.
    assert!(
        under_deadband(under.target - under.current, under.target),
        "{under:?}"
    );
    assert_eq!(under.binding, Binding::Moving, "{under:?}");
    let total = fixture.pool_state().await.total_lamports;
    let ix = instructions::rebalance(&pool, &under.vote, under.index);
    let outcome = fixture.client.send(&[ix], &[]).await.unwrap();
    let event = &outcome.events::<RebalanceEvent>()[0];
    assert!(event.increase && !event.for_tickets);
    assert!(event.lamports > 0 && event.lamports <= under.target - under.current);
    let moved = entry(&mut fixture, &under.vote).await;
    assert_eq!(moved.transient_lamports, event.transient_lamports);
    // What left the reserve is in the transient stake account, its rent included.
    let transient = fixture
        .client
        .balance(&pool.transient_stake(&under.vote))
        .await
        .unwrap();
    assert!(transient > event.lamports);
    assert_eq!(
        fixture.client.balance(&pool.reserve).await.unwrap(),
        reserve - transient
    );
    assert_eq!(fixture.pool_state().await.total_lamports, total);
    // The keeper's round in the next epoch unstakes nothing: no stake leaves a validator.
    next_epoch(&mut fixture, &votes).await;
    let after = entry(&mut fixture, &over.vote).await;
    assert!(!after.has_transient(), "{after:?}");
    assert!(after.active_lamports >= entries[over.index as usize].active_lamports);
}

/// The validator declares `commission_bps` to Jito for this epoch: its tip-distribution
/// account, as Jito's program creates it. Returns its address.
async fn declare_to_jito(fixture: &mut Fixture, vote: &Pubkey, commission_bps: u16) -> Pubkey {
    let epoch = fixture.client.clock().await.unwrap().epoch;
    fixture.client.declare_to_jito(vote, epoch, commission_bps)
}

/// The Jito declaration the validator's vault recorded.
async fn jito_declared(
    fixture: &mut Fixture,
    vote: &Pubkey,
) -> Option<tributary::state::JitoDeclaration> {
    let vault = fixture.client.addresses().unwrap().mev_vault(vote);
    fixture.client.mev_vault(&vault).await.unwrap().jito
}

#[tokio::test]
async fn the_jito_commission_is_read_from_its_account_and_nothing_else() {
    let (mut fixture, votes) = staked_pool(100 * SOL, 2).await;
    let vote = votes[0];
    let epoch = fixture.client.clock().await.unwrap().epoch;
    let pool = *fixture.client.addresses().unwrap();
    let index = fixture.client.validator_index(&vote).await.unwrap();
    let set = |fixture: &mut Fixture, (address, account): (Pubkey, Account)| {
        fixture
            .client
            .context()
            .set_account(&address, &account.into());
        address
    };

    // Another program's account at the address, an account for another validator, and one
    // two epochs old: each refused, nothing recorded.
    let (address, mut foreign) = tip_distribution_account(&vote, epoch, 800);
    foreign.owner = Pubkey::new_unique();
    let foreign = set(&mut fixture, (address, foreign));
    let other = set(
        &mut fixture,
        tip_distribution_account(&votes[1], epoch, 800),
    );
    let old = set(
        &mut fixture,
        tip_distribution_account(&vote, epoch - 2, 800),
    );
    for account in [foreign, other, old] {
        let ix = instructions::score_validator(&pool, &vote, index, Some(&account));
        assert_refused(
            fixture.client.send(&[ix], &[]).await,
            TributaryError::NotTipDistributionAccount,
        );
        assert_eq!(jito_declared(&mut fixture, &vote).await, None);
    }

    // Its own account of this epoch: the commission is recorded and reported.
    declare_to_jito(&mut fixture, &vote, 800).await;
    credit(&mut fixture, &votes);
    fixture.client.score_all().await.unwrap();
    let declared = jito_declared(&mut fixture, &vote).await.unwrap();
    assert_eq!((declared.epoch, declared.commission_bps), (epoch, 800));
    let report = fixture.client.validator_report(&vote).await.unwrap();
    assert_eq!(report.jito_commission_bps, Some(800));
    // Last epoch's account serves this epoch too; one older than that no longer counts.
    fixture.client.warp_epochs(1).await.unwrap();
    let next = fixture.client.clock().await.unwrap().epoch;
    let ix = instructions::score_validator(
        &pool,
        &vote,
        index,
        Some(&pda::tip_distribution_account(&vote, epoch).0),
    );
    let outcome = fixture.client.send(&[ix], &[]).await.unwrap();
    let event = &outcome.events::<ScoreValidatorEvent>()[0];
    assert_eq!((event.epoch, event.jito_commission_bps), (next, Some(800)));
    fixture.client.warp_epochs(1).await.unwrap();
    let report = fixture.client.validator_report(&vote).await.unwrap();
    assert_eq!(report.jito_commission_bps, None);
}

/// An epoch in which the first two validators share through Jito and the third declares a 0%
/// Jito commission without sharing.
async fn epoch_of_sharing(fixture: &mut Fixture, votes: &[Pubkey]) {
    for sharer in &votes[..2] {
        claim_to_stake_account(fixture, sharer, 2_000).await;
    }
    next_epoch(fixture, votes).await;
    declare_to_jito(fixture, &votes[2], 0).await;
}

#[tokio::test]
async fn a_declaration_counts_until_tips_on_record_replace_it() {
    // A validator with little record that declares a 0% Jito commission is scored as the
    // pool's mean sharer for the stake-epochs it has no record of; as its record grows (the
    // stakes held alike by the operator's weights), the declaration counts for less.
    let (mut fixture, votes) = staked_pool(200 * SOL, 3).await;
    for _ in 0..4 {
        epoch_of_sharing(&mut fixture, &votes).await;
    }
    let address = declare_to_jito(&mut fixture, &votes[2], 0).await;
    let index = fixture.client.validator_index(&votes[2]).await.unwrap();
    let pool = *fixture.client.addresses().unwrap();
    let ix = instructions::score_validator(&pool, &votes[2], index, Some(&address));
    let outcome = fixture.client.send(&[ix], &[]).await.unwrap();
    let event = &outcome.events::<ScoreValidatorEvent>()[0];
    assert!(event.declared_mev_score > 0, "{}", event.declared_mev_score);
    assert_eq!(event.stake_account_mev_score, 0);
    assert!(event.declared_mev_score <= event.mean_mev_score);
    // Declaring is not sharing: as its record grows without tips, the declaration counts for
    // less of the mean it promises.
    let share_of_mean = |declared: u64, mean: u64| declared * 1_000_000 / mean.max(1);
    let first = share_of_mean(event.declared_mev_score, event.mean_mev_score);
    let mut last = first;
    for _ in 0..6 {
        epoch_of_sharing(&mut fixture, &votes).await;
        let report = fixture.client.validator_report(&votes[2]).await.unwrap();
        last = share_of_mean(report.parts.declared_mev, report.means.mev_score);
        assert_eq!(report.parts.stake_account_mev, 0, "{report:?}");
    }
    assert!(last < first * 9 / 10, "{last} {first}");
}

#[tokio::test]
async fn ranks_move_only_with_lamports_given_to_the_stakers() {
    let (mut fixture, votes) = staked_pool(100 * SOL, 2).await;
    let competitor = votes[0];
    let stake_account = fixture
        .client
        .addresses()
        .unwrap()
        .validator_stake(&competitor);
    // Someone raises a competitor's MEV score: it costs them what the stakers receive, lamport
    // for lamport (the protocol's fee among them).
    let rival = fixture.staker(2 * SOL).await;
    let rival_before = fixture.client.balance(&rival.pubkey()).await.unwrap();
    let stakers_before = fixture.stakers_lamports().await;
    fixture.donate(&rival, &stake_account, SOL / 10).await;
    fixture
        .client
        .collect_stake_tips(&competitor)
        .await
        .unwrap();
    fixture.roll().await;
    let spent = rival_before - fixture.client.balance(&rival.pubkey()).await.unwrap();
    assert!(spent >= SOL / 10);
    assert_eq!(fixture.stakers_lamports().await, stakers_before + SOL / 10);
    // A stake account deposited with lamports above its delegation raises no one's score: they
    // are the depositor's, priced as SOL.
    let staker = fixture.staker(20 * SOL).await;
    let stake = Keypair::new();
    let ixs = solana_stake_interface::instruction::create_account_and_delegate_stake(
        &staker.pubkey(),
        &stake.pubkey(),
        &votes[1],
        &solana_stake_interface::state::Authorized::auto(&staker.pubkey()),
        &solana_stake_interface::state::Lockup::default(),
        5 * SOL,
    );
    fixture.client.send(&ixs, &[&staker, &stake]).await.unwrap();
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    fixture.donate(&staker, &stake.pubkey(), 3 * SOL).await;
    fixture
        .client
        .deposit_stake(&staker, &stake.pubkey(), &votes[1], 0)
        .await
        .unwrap();
    let deposited_into = entry(&mut fixture, &votes[1]).await;
    assert!(deposited_into.pool_excess >= 3 * SOL);
    assert_eq!(
        fixture
            .client
            .stake_account_tips(&deposited_into)
            .await
            .unwrap(),
        0
    );
    assert_refused(
        fixture.client.collect_stake_tips(&votes[1]).await,
        TributaryError::NoTips,
    );
    // The next update sweeps them into the reserve as the pool's own: no tips, no rewards.
    let roll = fixture.roll().await;
    assert_eq!((roll.tips, roll.rewards, roll.loss), (0, 0, 0));
    assert_eq!(entry(&mut fixture, &votes[1]).await.pool_excess, 0);
}
