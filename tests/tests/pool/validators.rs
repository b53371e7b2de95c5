use solana_sdk::signature::Signer;
use tributary::constants::{LOCKED_SEED_LAMPORTS, MAX_REALLOC_BYTES, MAX_VALIDATORS};
use tributary::errors::TributaryError;
use tributary::state::{TransientState, ValidatorList, ValidatorStatus};
use tributary_client::pda::PoolAddresses;

use crate::fixture::{assert_refused, Fixture, FEES, SOL};

/// Lamports the pool counts: the reserve above its rent plus every entry.
async fn counted(fixture: &mut Fixture) -> (u64, u64) {
    let reserve = fixture.client.addresses().unwrap().reserve;
    let rent = fixture.reserve_rent().await;
    let reserve_lamports = fixture.client.balance(&reserve).await.unwrap() - rent;
    let entries: u64 = fixture
        .client
        .validator_list()
        .await
        .unwrap()
        .iter()
        .map(|entry| entry.active_lamports + entry.transient_lamports)
        .sum();
    (reserve_lamports, entries)
}

#[tokio::test]
async fn stake_moves_in_and_out_through_transient_accounts() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(100 * SOL, 2).await;
    let operator = fixture.operator.insecure_clone();
    let list = fixture.client.validator_list().await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].vote, votes[0]);
    // Each stake account holds the floor the operator paid: none of the stakers' lamports.
    let floor = list[0].active_lamports;
    assert_eq!(list[0].floor_lamports, floor);
    assert_eq!(fixture.pool_state().await.floor_lamports, 2 * floor);
    let stakers = LOCKED_SEED_LAMPORTS + 100 * SOL;
    let (reserve, entries) = counted(&mut fixture).await;
    assert_eq!(reserve, stakers);
    assert_eq!(entries, 2 * floor);

    fixture
        .client
        .increase_validator_stake(&operator, &votes[0], 10 * SOL)
        .await
        .unwrap();
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.transient_state(), TransientState::Activating);
    let (reserve, _) = counted(&mut fixture).await;
    assert_eq!(reserve, stakers - entry.transient_lamports);

    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.transient_state(), TransientState::None);
    assert_eq!(entry.transient_lamports, 0);
    assert_eq!(entry.active_lamports, floor + 10 * SOL);
    let (reserve, entries) = counted(&mut fixture).await;
    assert_eq!(reserve + entries, stakers + 2 * floor);
    assert_eq!(fixture.pool_state().await.total_lamports, stakers);

    fixture
        .client
        .decrease_validator_stake(&operator, &votes[0], 4 * SOL)
        .await
        .unwrap();
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.transient_state(), TransientState::Deactivating);
    assert_eq!(entry.active_lamports, floor + 6 * SOL);
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.transient_state(), TransientState::None);
    let (reserve, entries) = counted(&mut fixture).await;
    assert_eq!(reserve, stakers - 6 * SOL);
    assert_eq!(reserve + entries, stakers + 2 * floor);

    fixture
        .client
        .remove_validator(&operator, &votes[1])
        .await
        .unwrap();
    let entry = fixture.client.validator_list().await.unwrap()[1];
    assert_eq!(entry.status(), ValidatorStatus::Removing);
    // While it deactivates, its lamports stay in the ledger; the crank after the boundary
    // brings them to the reserve and drops the entry.
    assert_eq!(fixture.pool_state().await.total_lamports, stakers);
    fixture.client.warp_epochs(1).await.unwrap();
    fixture.client.crank().await.unwrap();
    let list = fixture.client.validator_list().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].vote, votes[0]);
    // Its floor came back to the reserve and joined the stakers' lamports.
    let (reserve, entries) = counted(&mut fixture).await;
    assert_eq!(reserve, stakers - 6 * SOL + floor);
    assert_eq!(reserve + entries, stakers + 2 * floor);
    let pool = fixture.pool_state().await;
    assert_eq!(pool.floor_lamports, floor);
    assert_eq!(fixture.stakers_lamports().await, stakers + floor);
}

#[tokio::test]
async fn rewards_raise_the_rate_by_rewards_less_the_epoch_fee() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(100 * SOL, 2).await;
    fixture.stake_with(&votes[0], 40 * SOL).await;
    let before = fixture.pool_state().await;
    let supply_before = before
        .share_supply(fixture.client.mint_state().await.unwrap().supply)
        .unwrap();
    assert_eq!(before.pending_treasury_shares, 0);
    let stakers = LOCKED_SEED_LAMPORTS + 100 * SOL;
    assert_eq!(before.total_lamports, stakers);

    // Rewards land on the validators' stake accounts at the boundary, delegated, as the runtime
    // pays them.
    let stake_accounts: Vec<_> = fixture
        .client
        .validator_list()
        .await
        .unwrap()
        .iter()
        .map(|entry| entry.validator_stake)
        .collect();
    let rewards = 4 * SOL;
    let fee = rewards * FEES.epoch_bps as u64 / 10_000;
    let counted_before: u64 = (fixture.client.validator_list().await.unwrap().iter())
        .map(|entry| entry.active_lamports)
        .sum();
    fixture
        .client
        .warp_epoch_with_rewards(&[(stake_accounts[0], 3 * SOL), (stake_accounts[1], SOL)])
        .await
        .unwrap();
    fixture.client.crank().await.unwrap();

    // The rewards stay staked, and the validators' entries count them.
    let counted: u64 = (fixture.client.validator_list().await.unwrap().iter())
        .map(|entry| entry.active_lamports)
        .sum();
    assert_eq!(counted, counted_before + rewards);
    let after = fixture.pool_state().await;
    // The fee is in the stakers' lamports at once (as the treasury's shares); the rest is
    // released over the next epoch.
    assert_eq!(after.total_lamports, stakers + fee);
    assert_eq!(after.release.lamports, rewards - fee);
    let mint = fixture.client.mint_state().await.unwrap();
    let supply = after.share_supply(mint.supply).unwrap();
    let fee_shares = supply - supply_before;
    assert!(fee_shares > 0);
    // The treasury's new shares are worth the fee, to rounding; every other share gained
    // exactly what is left.
    let fee_value =
        tributary::math::shares_to_lamports(fee_shares, after.total_lamports, supply).unwrap();
    assert!(fee - fee_value <= 1, "fee {fee}, worth {fee_value}");
    // The price did not move at the roll; once released, every other share has what is left
    // but the fee shares' part of it.
    let holders_value =
        tributary::math::shares_to_lamports(supply_before, after.total_lamports, supply).unwrap();
    assert!(holders_value.abs_diff(stakers) <= 1);
    assert_eq!(mint.multiplier, after.total_lamports as f64 / supply as f64);
    let released = after.total_lamports + after.release.lamports;
    let holders_value =
        tributary::math::shares_to_lamports(supply_before, released, supply).unwrap();
    let fee_shares_part = (rewards - fee) as u128 * fee_shares as u128 / supply as u128;
    assert!(holders_value.abs_diff(stakers + rewards - fee - fee_shares_part as u64) <= 1);
}

#[tokio::test]
async fn refuses_what_is_not_a_new_vote_account_or_not_the_operator() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(10 * SOL, 1).await;
    let operator = fixture.operator.insecure_clone();
    let before = counted(&mut fixture).await;

    let not_a_vote = fixture.staker(SOL).await;
    assert_refused(
        fixture
            .client
            .add_validator(&operator, &not_a_vote.pubkey())
            .await,
        TributaryError::NotVoteAccount,
    );
    assert_refused(
        fixture.client.add_validator(&operator, &votes[0]).await,
        TributaryError::DuplicateValidator,
    );
    let vote = fixture.vote_account().await;
    let stranger = fixture.staker(SOL).await;
    assert_refused(
        fixture.client.add_validator(&stranger, &vote).await,
        TributaryError::NotOperator,
    );
    assert_refused(
        fixture
            .client
            .increase_validator_stake(&stranger, &votes[0], SOL)
            .await,
        TributaryError::NotOperator,
    );
    assert_eq!(fixture.client.validator_list().await.unwrap().len(), 1);
    assert_eq!(counted(&mut fixture).await, before);
}

#[tokio::test]
async fn one_transient_at_a_time_and_no_removal_while_it_holds_stake() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(50 * SOL, 1).await;
    let operator = fixture.operator.insecure_clone();
    fixture
        .client
        .increase_validator_stake(&operator, &votes[0], 5 * SOL)
        .await
        .unwrap();
    let before = counted(&mut fixture).await;
    assert_refused(
        fixture
            .client
            .increase_validator_stake(&operator, &votes[0], SOL)
            .await,
        TributaryError::TransientStakeInProgress,
    );
    assert_refused(
        fixture.client.remove_validator(&operator, &votes[0]).await,
        TributaryError::TransientStakeInProgress,
    );
    assert_eq!(counted(&mut fixture).await, before);
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.status(), ValidatorStatus::Active);

    // Decreasing more than the validator holds is refused.
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    let before = counted(&mut fixture).await;
    assert_refused(
        fixture
            .client
            .decrease_validator_stake(&operator, &votes[0], 6 * SOL)
            .await,
        TributaryError::BelowMinimumDelegation,
    );
    assert_eq!(counted(&mut fixture).await, before);
}

#[tokio::test]
async fn the_pool_waits_for_every_validator_to_be_updated() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(10 * SOL, 2).await;
    fixture.client.warp_epochs(1).await.unwrap();
    let before = fixture.pool_state().await;
    assert_refused(
        fixture.client.update_pool().await,
        TributaryError::ValidatorsNotUpdated,
    );
    // Only the first validator updated: still refused.
    let pool = fixture.client.addresses().unwrap().pool;
    let entries = fixture.client.validator_list().await.unwrap();
    let ix = tributary_client::instructions::update_validators(
        &PoolAddresses::new(pool),
        0,
        &entries[..1],
    );
    fixture.client.send(&[ix], &[]).await.unwrap();
    assert_refused(
        fixture.client.update_pool().await,
        TributaryError::ValidatorsNotUpdated,
    );
    assert_eq!(
        fixture.pool_state().await.last_update_epoch,
        before.last_update_epoch
    );
    // Accounts that do not match the entries are refused.
    let ix = tributary_client::instructions::update_validators(
        &PoolAddresses::new(pool),
        0,
        &entries[1..],
    );
    assert_refused(
        fixture.client.send(&[ix], &[]).await,
        TributaryError::ValidatorAccountsMismatch,
    );
    fixture.client.crank().await.unwrap();
    assert_eq!(
        fixture.pool_state().await.last_update_epoch,
        before.last_update_epoch + 1
    );
    assert_eq!(votes.len(), 2);
}

#[tokio::test]
async fn a_prefunded_stake_address_does_not_block_the_pool() {
    let mut fixture = Fixture::new(FEES).await;
    fixture.with_validators(10 * SOL, 0).await;
    let operator = fixture.operator.insecure_clone();
    let vote = fixture.vote_account().await;
    let pool = fixture.client.addresses().unwrap().pool;
    let validator_stake = PoolAddresses::new(pool).validator_stake(&vote);
    let transient_stake = PoolAddresses::new(pool).transient_stake(&vote);
    fixture
        .client
        .transfer(&validator_stake, SOL)
        .await
        .unwrap();
    fixture
        .client
        .transfer(&transient_stake, SOL / 2)
        .await
        .unwrap();

    fixture
        .client
        .add_validator(&operator, &vote)
        .await
        .unwrap();
    fixture
        .client
        .increase_validator_stake(&operator, &vote, 2 * SOL)
        .await
        .unwrap();
    fixture.client.warp_epochs(2).await.unwrap();
    fixture.client.crank().await.unwrap();
    // The gifts are counted once the crank has seen them, as rewards: the one to the stake
    // account less the floor it paid in the operator's place.
    let pool_state = fixture.pool_state().await;
    let floor = pool_state.floor_lamports;
    let stakers = fixture.stakers_lamports().await;
    assert_eq!(
        stakers,
        LOCKED_SEED_LAMPORTS + 10 * SOL + SOL + SOL / 2 - floor
    );
    let (reserve, entries) = counted(&mut fixture).await;
    assert_eq!(reserve + entries, stakers + floor);
    let entry = fixture.client.validator_list().await.unwrap()[0];
    assert_eq!(entry.transient_state(), TransientState::None);
}

#[tokio::test]
async fn a_hundred_and_ten_validators_crank_in_few_transactions() {
    const VALIDATORS: usize = 110;
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(10 * SOL, VALIDATORS).await;
    assert_eq!(
        fixture.client.validator_list().await.unwrap().len(),
        VALIDATORS
    );
    fixture.client.warp_epochs(1).await.unwrap();
    let transactions = fixture.client.crank().await.unwrap().update_transactions;
    let per_transaction = VALIDATORS.div_ceil(transactions);
    println!(
        "{VALIDATORS} unchanged validators: {transactions} update_validators transactions, \
         up to {per_transaction} validators each"
    );
    // At least 14 unchanged validators per transaction, without an address lookup table.
    assert!(
        transactions <= VALIDATORS.div_ceil(14),
        "{transactions} transactions"
    );
    let epoch = fixture.client.clock().await.unwrap().epoch;
    let list = fixture.client.validator_list().await.unwrap();
    assert!(list.iter().all(|entry| entry.last_update_epoch == epoch));
    assert_eq!(fixture.pool_state().await.last_update_epoch, epoch);
    assert_eq!(
        fixture.pool_state().await.total_lamports,
        LOCKED_SEED_LAMPORTS + 10 * SOL
    );
    assert_eq!(list[VALIDATORS - 1].vote, votes[VALIDATORS - 1]);
}

#[tokio::test]
async fn the_list_grows_to_twenty_thousand_validators() {
    let mut fixture = Fixture::new(FEES).await;
    let list = fixture.client.addresses().unwrap().validator_list;
    let largest = ValidatorList::space_for(MAX_VALIDATORS as usize);
    let mut steps = 0;
    let refusal = loop {
        match fixture.client.realloc_validator_list().await {
            Ok(_) => steps += 1,
            Err(err) => break err,
        }
    };
    assert!(
        refusal.is(TributaryError::ValidatorListAtMaximum),
        "{refusal}"
    );
    let data = fixture.client.account_data(&list).await.unwrap().unwrap();
    assert_eq!(data.len(), largest);
    assert!(ValidatorList::capacity(data.len()) >= MAX_VALIDATORS as usize);
    assert_eq!(
        steps,
        (largest - ValidatorList::EMPTY_SPACE).div_ceil(MAX_REALLOC_BYTES)
    );
    // Growing added no entry; the list is rent-exempt at its full size, paid by the caller.
    assert!(fixture.client.validator_list().await.unwrap().is_empty());
    let rent = fixture
        .client
        .rent()
        .await
        .unwrap()
        .minimum_balance(largest);
    let lamports = fixture.client.balance(&list).await.unwrap();
    assert!(lamports >= rent, "{lamports} < {rent}");
    println!(
        "a list of {} entries: {largest} bytes in {steps} reallocs, {:.4} SOL of rent",
        MAX_VALIDATORS,
        rent as f64 / SOL as f64
    );
    // Adding still works at full size.
    let votes = fixture.with_validators(SOL, 2).await;
    let entries = fixture.client.validator_list().await.unwrap();
    let added: Vec<_> = entries.iter().map(|entry| entry.vote).collect();
    assert_eq!(added, votes);
    let data = fixture.client.account_data(&list).await.unwrap().unwrap();
    assert_eq!(data.len(), largest);
}

#[tokio::test]
async fn a_crank_transaction_merging_many_transients_has_the_compute_it_needs() {
    // Each merge and sweep costs the Stake program about 24k compute units: a transaction of
    // many validators merging their transients needs more than the default 200k.
    const VALIDATORS: usize = 16;
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(100 * SOL, VALIDATORS).await;
    let operator = fixture.operator.insecure_clone();
    for vote in &votes {
        fixture
            .client
            .increase_validator_stake(&operator, vote, SOL)
            .await
            .unwrap();
    }
    let floor = fixture.client.validator_list().await.unwrap()[0].floor_lamports;
    fixture.client.warp_epochs(2).await.unwrap();
    let crank = fixture.client.crank().await.unwrap();
    assert!(
        crank.update_transactions <= 2,
        "{}",
        crank.update_transactions
    );
    let list = fixture.client.validator_list().await.unwrap();
    for entry in &list {
        assert_eq!(entry.transient_state(), TransientState::None);
        assert_eq!(entry.transient_lamports, 0);
        assert_eq!(entry.active_lamports, floor + SOL);
    }
    let (reserve, entries) = counted(&mut fixture).await;
    let stakers = LOCKED_SEED_LAMPORTS + 100 * SOL;
    assert_eq!(reserve + entries, stakers + VALIDATORS as u64 * floor);
    assert_eq!(fixture.pool_state().await.total_lamports, stakers);
}

#[tokio::test]
async fn only_the_operator_names_the_lookup_table_and_only_a_lookup_table() {
    let mut fixture = Fixture::new(FEES).await;
    let operator = fixture.operator.insecure_clone();
    fixture.with_validators(0, 2).await;
    let pool = *fixture.client.addresses().unwrap();

    // An account the lookup-table program does not own is no table.
    let not_a_table =
        tributary_client::instructions::set_lookup_table(&pool, &operator.pubkey(), &pool.reserve);
    let refused = fixture.client.send(&[not_a_table], &[&operator]).await;
    assert_refused(refused, TributaryError::NotLookupTable);

    let tables = fixture.client.sync_lookup_tables(&operator).await.unwrap();
    assert_eq!(fixture.pool_state().await.lookup_table, tables.directory);
    assert_eq!(tables.addresses, 7 + 2 * 2);

    // Someone else cannot point the crank elsewhere.
    let stranger = fixture.staker(SOL).await;
    let renamed = tributary_client::instructions::set_lookup_table(
        &pool,
        &stranger.pubkey(),
        &tables.tables[0],
    );
    let refused = fixture.client.send(&[renamed], &[&stranger]).await;
    assert_refused(refused, TributaryError::NotOperator);
    assert_eq!(fixture.pool_state().await.lookup_table, tables.directory);
}
