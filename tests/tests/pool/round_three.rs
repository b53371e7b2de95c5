//! The attacks of the third outside review (issue 21), each with the attacker's profit in
//! lamports or the bound an exit is paid within.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::errors::TributaryError;
use tributary::state::{Fees, TransientState};

use crate::fixture::{assert_refused, Fixture, SOL};

/// No fees at all: whatever an attacker gains, it gains from the other stakers.
const NO_FEES: Fees = Fees {
    deposit_bps: 0,
    withdrawal_bps: 0,
    ticket_bps: 0,
    epoch_bps: 0,
    mev_bps: 0,
    mev_commission_cap_bps: 1_000,
};

/// The fees of `migrations/localnet.toml`, the deploy default.
pub const DEPLOY_FEES: Fees = Fees {
    deposit_bps: 0,
    withdrawal_bps: 10,
    ticket_bps: 0,
    epoch_bps: 500,
    mev_bps: 500,
    mev_commission_cap_bps: 1_000,
};

/// A pool with its tip accounts, an honest holder of `honest` lamports, rolled once.
async fn pool_with_holder(fees: Fees, honest: u64) -> (Fixture, Keypair) {
    let mut fixture = Fixture::new(fees).await;
    fixture.client.create_pool_tip_accounts().await.unwrap();
    let holder = fixture.depositor(honest).await;
    fixture.roll().await;
    (fixture, holder)
}

/// `owner`'s lamports and the value of its shares now.
async fn worth(fixture: &mut Fixture, owner: &Keypair) -> u64 {
    let shares = fixture.client.shares_of(&owner.pubkey()).await.unwrap();
    fixture.wallet(&owner.pubkey()).await + fixture.value_of(shares).await
}

/// Deposits `lamports` (in the last slot before the boundary, where the caller warped to),
/// rolls, and takes everything out at once after the roll.
async fn round_trip_around_the_roll(fixture: &mut Fixture, attacker: &Keypair, lamports: u64) {
    fixture
        .client
        .deposit_sol(attacker, lamports, 0)
        .await
        .unwrap();
    fixture.roll().await;
    let shares = fixture.client.shares_of(&attacker.pubkey()).await.unwrap();
    fixture
        .client
        .withdraw_sol(attacker, shares, 0)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_deposit_held_across_one_roll_does_not_widen_the_tip_cap() {
    // 10 SOL stay; a whale brings 990 SOL around each roll; 20 SOL of tips wait in a tip account.
    let (mut fixture, holder) = pool_with_holder(NO_FEES, 10 * SOL).await;
    let whale = fixture.staker(1_000 * SOL).await;
    let searcher = fixture.staker(30 * SOL).await;
    let whale_before = fixture.wallet(&whale.pubkey()).await;
    let tip_account = fixture.client.addresses().unwrap().tip_accounts()[0];
    fixture.donate(&searcher, &tip_account, 20 * SOL).await;
    // What holding earned: the income released while the whale held, all of it at most.
    let mut held_release = 0;
    for _ in 0..3 {
        let release = fixture.pool_state().await.release;
        let from = fixture.client.warp_to_epoch_end().await.unwrap();
        round_trip_around_the_roll(&mut fixture, &whale, 990 * SOL).await;
        let to = fixture.client.clock().await.unwrap().slot;
        held_release += release.released_by(to) - release.released_by(from);
        // What stays is 10 SOL and the holder's gains: the cap (1% an epoch) is a share of that.
        let pool = fixture.pool_state().await;
        let allowance = pool.tips.allowance().unwrap();
        assert!(
            allowance <= pool.total_lamports / 100 + 1,
            "tips may still raise {} lamports on {} staying",
            allowance,
            pool.total_lamports
        );
        fixture.client.distribute_all().await.unwrap();
    }
    let profit = fixture.wallet(&whale.pubkey()).await as i128 - whale_before as i128;
    assert!(
        profit <= held_release as i128,
        "the whale made {profit} lamports; holding earned at most {held_release}"
    );
    // The holder's tips are on their way: none went to the whale.
    assert!(worth(&mut fixture, &holder).await > 10 * SOL);
}

#[tokio::test]
async fn tips_pending_at_the_roll_cannot_be_sniped() {
    let (mut fixture, _holder) = pool_with_holder(DEPLOY_FEES, 100 * SOL).await;
    let searcher = fixture.staker(10 * SOL).await;
    let tip_account = fixture.client.addresses().unwrap().tip_accounts()[0];
    fixture.donate(&searcher, &tip_account, 5 * SOL).await;
    fixture.client.distribute_all().await.unwrap();
    assert!(fixture.pool_state().await.tips.pending_to_stakers > 0);

    // In just before the roll, out by a ticket just after it, claimed an epoch later.
    let attacker = fixture.staker(110 * SOL).await;
    let before = fixture.wallet(&attacker.pubkey()).await;
    fixture.client.warp_to_epoch_end().await.unwrap();
    fixture
        .client
        .deposit_sol(&attacker, 100 * SOL, 0)
        .await
        .unwrap();
    fixture.roll().await;
    let shares = fixture.client.shares_of(&attacker.pubkey()).await.unwrap();
    let (ticket, _) = fixture
        .client
        .order_unstake(&attacker, shares)
        .await
        .unwrap();
    fixture.roll().await;
    fixture
        .client
        .claim_ticket(&attacker, &ticket)
        .await
        .unwrap();
    let profit = fixture.wallet(&attacker.pubkey()).await as i128 - before as i128;
    assert!(profit <= 0, "the sniper made {profit} lamports");
}

#[tokio::test]
async fn a_donation_cannot_be_sniped_across_the_roll() {
    let (mut fixture, _holder) = pool_with_holder(DEPLOY_FEES, 100 * SOL).await;
    let donor = fixture.staker(20 * SOL).await;
    let reserve = fixture.client.addresses().unwrap().reserve;
    fixture.donate(&donor, &reserve, 10 * SOL).await;
    let attacker = fixture.staker(110 * SOL).await;
    let before = fixture.wallet(&attacker.pubkey()).await;
    fixture.client.warp_to_epoch_end().await.unwrap();
    round_trip_around_the_roll(&mut fixture, &attacker, 100 * SOL).await;
    let profit = fixture.wallet(&attacker.pubkey()).await as i128 - before as i128;
    assert!(profit <= 0, "the sniper made {profit} lamports");
}

/// A pool of 100 SOL with one validator sharing all its MEV (0% commission), rolled: the pool,
/// its vote account, withdrawer, payout account and tip account, and a funded searcher.
async fn pool_with_a_sharing_validator() -> (Fixture, Pubkey, Keypair, Pubkey, Pubkey, Keypair) {
    let mut fixture = Fixture::new(NO_FEES).await;
    fixture.depositor(100 * SOL).await;
    let (vote, withdrawer, payout) = fixture.sharing_validator(0).await;
    fixture.roll().await;
    let vault = fixture.client.addresses().unwrap().mev_vault(&vote);
    let searcher = fixture.staker(30 * SOL).await;
    (fixture, vote, withdrawer, payout, vault, searcher)
}

#[tokio::test]
async fn tips_held_back_keep_the_commission_of_their_arrival() {
    let (mut fixture, vote, withdrawer, payout, vault, searcher) =
        pool_with_a_sharing_validator().await;
    // 20 SOL tipped at 0%: 1 SOL (the 1% cap) reaches the stakers, the rest is held back.
    fixture.donate(&searcher, &vault, 20 * SOL).await;
    fixture.client.distribute(&vault).await.unwrap();
    // The validator raises its commission to 10%; it applies from the next epoch.
    fixture
        .client
        .set_mev_commission(&withdrawer, &vote, 1_000, &payout)
        .await
        .unwrap();
    let paid_before = fixture.client.balance(&payout).await.unwrap();
    for _ in 0..2 {
        fixture.roll().await;
        fixture.client.distribute(&vault).await.unwrap();
    }
    let paid = fixture.client.balance(&payout).await.unwrap() - paid_before;
    assert_eq!(paid, 0, "the backlog paid the validator {paid} lamports");
    // A tip that arrives under the new commission pays it, whatever the cap holds back.
    fixture.donate(&searcher, &vault, SOL).await;
    fixture.roll().await;
    fixture.client.distribute(&vault).await.unwrap();
    let paid = fixture.client.balance(&payout).await.unwrap() - paid_before;
    assert_eq!(paid, SOL / 10);
}

#[tokio::test]
async fn tips_waiting_undistributed_before_a_raise_keep_the_old_commission() {
    let (mut fixture, vote, withdrawer, payout, vault, searcher) =
        pool_with_a_sharing_validator().await;
    // 5 SOL tipped at 0%, nobody distributes; the validator raises to 10%.
    fixture.donate(&searcher, &vault, 5 * SOL).await;
    fixture
        .client
        .set_mev_commission(&withdrawer, &vote, 1_000, &payout)
        .await
        .unwrap();
    let paid_before = fixture.client.balance(&payout).await.unwrap();
    // Distributed over the next epochs, as the rate cap lets them reach the stakers.
    for _ in 0..6 {
        fixture.roll().await;
        fixture.client.distribute_all().await.unwrap();
    }
    assert_eq!(fixture.client.balance(&payout).await.unwrap(), paid_before);
    assert_eq!(fixture.client.pending_tips(&vault).await.unwrap(), 0);
}

#[tokio::test]
async fn a_validator_still_leaving_cannot_be_listed_twice() {
    let mut fixture = Fixture::new(NO_FEES).await;
    let votes = fixture.with_validators(10 * SOL, 18).await;
    let operator = fixture.operator.insecure_clone();
    for vote in &votes {
        fixture
            .client
            .remove_validator(&operator, vote)
            .await
            .unwrap();
    }
    // Deactivated at the boundary, then swept: 18 drained entries, of which the roll drops 16.
    fixture.roll().await;
    let waiting = fixture.client.validator_list().await.unwrap();
    assert_eq!(waiting.len(), 2);
    let vote = waiting[0].vote;
    let pool_before = fixture.pool_state().await;
    assert_refused(
        fixture.client.add_validator(&operator, &vote).await,
        TributaryError::ValidatorStillLeaving,
    );
    assert_eq!(fixture.client.validator_list().await.unwrap().len(), 2);
    assert_eq!(
        fixture.pool_state().await.floor_lamports,
        pool_before.floor_lamports
    );
    // Once its entry has left the list, it can come back, once.
    fixture.roll().await;
    assert!(fixture.client.validator_list().await.unwrap().is_empty());
    fixture
        .client
        .add_validator(&operator, &vote)
        .await
        .unwrap();
    assert_refused(
        fixture.client.add_validator(&operator, &vote).await,
        TributaryError::DuplicateValidator,
    );
    let staker = fixture.depositor(SOL).await;
    fixture.roll().await;
    // The books promise no more than the pool holds: every staker leaves whole.
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    let value = fixture.value_of(shares).await;
    assert!(value <= SOL, "one deposit of 1 SOL is worth {value}");
}

#[tokio::test]
async fn a_large_donation_costs_a_later_depositor_at_most_1000_lamports() {
    let mut fixture = Fixture::new(crate::fixture::FEES).await;
    let attacker = fixture.staker(200 * SOL).await;
    fixture.client.deposit_sol(&attacker, 1, 0).await.unwrap();
    let reserve = fixture.client.addresses().unwrap().reserve;
    fixture.donate(&attacker, &reserve, 100 * SOL).await;
    // Two rolls: the donation is counted, then wholly in the price.
    fixture.roll().await;
    fixture.roll().await;
    // The deposit rounding loses the most: one lamport short of another share.
    let (total, supply) = fixture.rate().await;
    let victim = fixture.staker(200 * SOL).await;
    let base = 150 * SOL;
    let shares = base as u128 * supply as u128 / total as u128;
    let lamports = ((shares + 1) * total as u128).div_ceil(supply as u128) as u64 - 1;
    let quote = fixture.client.quote().await.unwrap();
    let net = lamports - quote.deposit(lamports).unwrap().fee_lamports;
    fixture
        .client
        .deposit_sol(&victim, lamports, 0)
        .await
        .unwrap();
    let shares = fixture.client.shares_of(&victim.pubkey()).await.unwrap();
    let loss = net as i128 - fixture.value_of(shares).await as i128;
    assert!(
        loss <= 1_000,
        "the depositor lost {loss} lamports to rounding"
    );
}

/// Two holders of 20 SOL, half of it staked with one validator whose stake account is cut by
/// `slash`.
async fn slashed_pool(slash: u64) -> (Fixture, Keypair, Keypair, Pubkey) {
    let mut fixture = Fixture::new(NO_FEES).await;
    let votes = fixture.with_validators(0, 1).await;
    let honest = fixture.depositor(20 * SOL).await;
    let dodger = fixture.depositor(20 * SOL).await;
    fixture.stake_with(&votes[0], 20 * SOL).await;
    let stake_account = fixture.client.validator_list().await.unwrap()[0].validator_stake;
    fixture.slash(&stake_account, slash).await;
    (fixture, honest, dodger, stake_account)
}

#[tokio::test]
async fn a_loss_seen_mid_epoch_cannot_be_dodged() {
    let (mut fixture, honest, dodger, _) = slashed_pool(15 * SOL).await;
    let honest_before = worth(&mut fixture, &honest).await;
    let dodger_before = worth(&mut fixture, &dodger).await;
    // Someone looks at the validator: the loss counts at once.
    fixture.client.update_validators().await.unwrap();
    let shares = fixture.client.shares_of(&dodger.pubkey()).await.unwrap();
    fixture
        .client
        .withdraw_sol(&dodger, shares, 0)
        .await
        .unwrap();
    fixture.roll().await;
    let honest_loss = honest_before as i128 - worth(&mut fixture, &honest).await as i128;
    let dodger_loss = dodger_before as i128 - worth(&mut fixture, &dodger).await as i128;
    assert!(
        honest_loss <= dodger_loss + 2,
        "the holder who stayed lost {honest_loss}, the one who left {dodger_loss}"
    );
}

#[tokio::test]
async fn a_slash_is_met_by_the_operators_floor_first() {
    let mut fixture = Fixture::new(NO_FEES).await;
    let votes = fixture.with_validators(0, 1).await;
    fixture.depositor(20 * SOL).await;
    fixture.stake_with(&votes[0], 19 * SOL).await;
    let entry = fixture.client.validator_list().await.unwrap()[0];
    let floor = entry.floor_lamports;
    let price = fixture.price().await;
    let floors = fixture.pool_state().await.floor_lamports;
    fixture.slash(&entry.validator_stake, floor).await;
    fixture.roll().await;
    assert_eq!(fixture.price().await, price, "the stakers bore the slash");
    assert_eq!(fixture.pool_state().await.floor_lamports, floors - floor);
}

#[tokio::test]
async fn a_pause_does_not_hold_back_tickets() {
    let mut fixture = Fixture::new(NO_FEES).await;
    let (staker, ticket) = fixture.staker_with_a_large_ticket(100 * SOL).await;
    let admin = fixture.admin.insecure_clone();
    fixture.client.pause(&admin).await.unwrap();
    // Anyone's rebalance unstakes for the ticket; the next epoch's crank brings it back.
    fixture.client.rebalance_all().await.unwrap();
    fixture.roll().await;
    let before = fixture.client.balance(&staker.pubkey()).await.unwrap();
    fixture.client.claim_ticket(&staker, &ticket).await.unwrap();
    assert!(fixture.client.balance(&staker.pubkey()).await.unwrap() > before + 79 * SOL);
    assert!(fixture.pool_state().await.paused);
}

/// A pool of 100 SOL staked with one validator that takes all of it, fully active.
async fn staked_pool(fees: Fees) -> (Fixture, Pubkey) {
    let mut fixture = Fixture::new(fees).await;
    let votes = fixture.with_validators(0, 1).await;
    fixture.depositor(100 * SOL).await;
    fixture.weigh_evenly(&votes, 0).await;
    fixture.client.rebalance_all().await.unwrap();
    fixture.roll().await;
    fixture.roll().await;
    (fixture, votes[0])
}

#[tokio::test]
async fn a_ticket_is_covered_by_stake_not_yet_active_before_anyone_elses() {
    let (mut fixture, vote) = staked_pool(DEPLOY_FEES).await;
    let stake_account = fixture.client.addresses().unwrap().validator_stake(&vote);
    let staked = fixture.client.delegation(&stake_account).await.unwrap();
    // The attacker's deposit is staked, then it leaves by a ticket in the same epoch.
    let attacker = fixture.depositor(12 * SOL + SOL / 2).await;
    fixture.client.rebalance_all().await.unwrap();
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.transient_state(), TransientState::Activating);
    let shares = fixture.client.shares_of(&attacker.pubkey()).await.unwrap();
    let (ticket, _) = fixture
        .client
        .order_unstake(&attacker, shares)
        .await
        .unwrap();
    fixture.client.rebalance_all().await.unwrap();
    // Its own stake, not yet active, went back; the others' was not touched, and the ticket is
    // paid after one boundary.
    fixture.roll().await;
    assert_eq!(
        fixture.client.delegation(&stake_account).await.unwrap(),
        staked
    );
    fixture
        .client
        .claim_ticket(&attacker, &ticket)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_move_against_one_made_this_epoch_waits() {
    let mut fixture = Fixture::new(NO_FEES).await;
    let votes = fixture.with_validators(0, 2).await;
    let staker = fixture.depositor(100 * SOL).await;
    fixture.weigh_evenly(&votes, 0).await;
    fixture.client.rebalance_all().await.unwrap();
    fixture.roll().await;
    fixture.roll().await;
    // A ticket beyond the reserve unstakes from one validator.
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    fixture
        .client
        .order_unstake(&staker, shares / 4)
        .await
        .unwrap();
    let addresses = *fixture.client.addresses().unwrap();
    let entries = fixture.client.validator_list().await.unwrap();
    let unstake = tributary_client::instructions::rebalance(&addresses, &entries[0].vote, 0);
    fixture.client.send(&[unstake], &[]).await.unwrap();
    // A deposit after it is not staked with the other this epoch: the move would go against.
    fixture.depositor(60 * SOL).await;
    let ix = tributary_client::instructions::rebalance(&addresses, &entries[1].vote, 1);
    let before = fixture.pool_state().await.movement;
    assert_refused(
        fixture.client.send(std::slice::from_ref(&ix), &[]).await,
        TributaryError::OppositeMoveThisEpoch,
    );
    assert_eq!(fixture.pool_state().await.movement, before);
    // The next epoch it goes ahead.
    fixture.roll().await;
    fixture.client.send(&[ix], &[]).await.unwrap();
}

#[tokio::test]
async fn a_bad_address_in_the_lookup_directory_does_not_stop_the_crank() {
    use solana_address_lookup_table_interface::instruction as lookup;
    let mut fixture = Fixture::new(NO_FEES).await;
    let operator = fixture.operator.insecure_clone();
    let staker = fixture.depositor(10 * SOL).await;
    fixture.with_validators(0, 3).await;
    let tables = fixture.client.sync_lookup_tables(&operator).await.unwrap();
    // The directory lists an account that is no table, and a table that was deactivated.
    let payer = fixture.client.payer();
    let extend = lookup::extend_lookup_table(
        tables.directory,
        operator.pubkey(),
        Some(payer),
        vec![staker.pubkey()],
    );
    let deactivate = lookup::deactivate_lookup_table(tables.tables[0], operator.pubkey());
    fixture
        .client
        .send(&[extend, deactivate], &[&operator])
        .await
        .unwrap();
    // Past the lookup-table program's cool-down: the deactivated table can no longer be used.
    let slot = fixture.client.clock().await.unwrap().slot;
    fixture.client.context().warp_to_slot(slot + 1_000).unwrap();
    fixture.roll().await;
    assert_eq!(
        fixture.pool_state().await.last_update_epoch,
        fixture.client.clock().await.unwrap().epoch
    );
    let shares = fixture.client.shares_of(&staker.pubkey()).await.unwrap();
    fixture
        .client
        .withdraw_sol(&staker, shares, 0)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_pool_names_only_an_active_lookup_table_of_its_operator() {
    use solana_address_lookup_table_interface::instruction as lookup;
    let mut fixture = Fixture::new(NO_FEES).await;
    let operator = fixture.operator.insecure_clone();
    let stranger = fixture.staker(SOL).await;
    let slot = fixture.client.clock().await.unwrap().slot;
    fixture.client.context().warp_to_slot(slot + 2).unwrap();
    let hashes = fixture
        .client
        .account(&solana_sdk::sysvar::slot_hashes::ID)
        .await
        .unwrap()
        .unwrap();
    let hashes: solana_sdk::slot_hashes::SlotHashes = bincode::deserialize(&hashes.data).unwrap();
    let recent = hashes.first().unwrap().0;
    let (create, table) =
        lookup::create_lookup_table(stranger.pubkey(), fixture.client.payer(), recent);
    fixture.client.send(&[create], &[]).await.unwrap();
    let pool = *fixture.client.addresses().unwrap();
    let named = tributary_client::instructions::set_lookup_table(&pool, &operator.pubkey(), &table);
    assert_refused(
        fixture.client.send(&[named], &[&operator]).await,
        TributaryError::LookupTableNotTheOperators,
    );
    assert_eq!(fixture.pool_state().await.lookup_table, Pubkey::default());
}

#[tokio::test]
async fn stake_is_not_withdrawn_from_an_account_whose_loss_is_not_counted() {
    let (mut fixture, _honest, dodger, _) = slashed_pool(15 * SOL).await;
    let vote = fixture.client.validator_list().await.unwrap()[0].vote;
    let addresses = *fixture.client.addresses().unwrap();
    let destination = Keypair::new();
    let shares = fixture.client.shares_of(&dodger.pubkey()).await.unwrap() / 4;
    let rent = fixture.client.stake_account_rent().await.unwrap();
    let ixs = [
        tributary_client::instructions::create_stake_account(
            &dodger.pubkey(),
            &destination.pubkey(),
            rent,
        ),
        tributary_client::instructions::withdraw_stake(
            &addresses,
            &dodger.pubkey(),
            &vote,
            &destination.pubkey(),
            &addresses.token_account(&dodger.pubkey()),
            tributary::instructions::WithdrawStakeArgs {
                validator_index: 0,
                shares,
                min_lamports_out: 0,
            },
        ),
    ];
    let before = fixture.snapshot(&dodger).await;
    assert_refused(
        fixture.client.send(&ixs, &[&dodger, &destination]).await,
        TributaryError::LossNotCounted,
    );
    assert_eq!(fixture.snapshot(&dodger).await, before);
    // The client counts the loss first, then withdraws at the price that bears it.
    let price = fixture.price().await;
    fixture
        .client
        .withdraw_stake(&dodger, &vote, shares, 0)
        .await
        .unwrap();
    assert!(fixture.price().await < price);
}
