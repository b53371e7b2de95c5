//! What each staker instruction costs: CPIs, accounts, transaction bytes, and the compute units
//! of the programs it calls (natively our own program is not metered).

use solana_sdk::signature::Signer;
use tributary::instructions::{DepositSolArgs, WithdrawSolArgs};
use tributary_client::client::plan::{transaction_bytes, update_transaction};
use tributary_client::pda::PoolAddresses;
use tributary_client::{instructions, TxOutcome};

use crate::fixture::{Fixture, FEES, SOL};

/// Calls our program made to other programs.
fn cpis(outcome: &TxOutcome) -> usize {
    outcome
        .logs
        .iter()
        .filter(|line| line.ends_with(" invoke [2]"))
        .count()
}

#[tokio::test]
async fn staker_instructions_stay_near_the_floor() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    let pool = fixture.client.addresses().unwrap().pool;
    let token_account = fixture
        .client
        .create_token_account(&staker.pubkey())
        .await
        .unwrap();

    let deposit = instructions::deposit_sol(
        &PoolAddresses::new(pool),
        &staker.pubkey(),
        &token_account,
        DepositSolArgs {
            lamports: SOL,
            min_shares_out: 0,
        },
    );
    let outcome = fixture
        .client
        .send(std::slice::from_ref(&deposit), &[&staker])
        .await
        .unwrap();
    // The floor of a SOL deposit: one transfer and one mint.
    assert_eq!(cpis(&outcome), 2);
    assert_eq!(deposit.accounts.len(), 8);
    let deposit_bytes = transaction_bytes(std::slice::from_ref(&deposit), &staker.pubkey());
    println!(
        "deposit_sol: {} CPIs, {} accounts, {} bytes, {} CU in called programs",
        cpis(&outcome),
        deposit.accounts.len(),
        deposit_bytes,
        outcome.compute_units
    );
    assert!(deposit_bytes <= 430, "{deposit_bytes} bytes");

    let withdraw = instructions::withdraw_sol(
        &PoolAddresses::new(pool),
        &staker.pubkey(),
        &token_account,
        WithdrawSolArgs {
            shares: SOL / 2,
            min_lamports_out: 0,
        },
    );
    let outcome = fixture
        .client
        .send(std::slice::from_ref(&withdraw), &[&staker])
        .await
        .unwrap();
    // One burn; the lamports leave the program-owned reserve without a CPI.
    assert_eq!(cpis(&outcome), 1);
    assert_eq!(withdraw.accounts.len(), 6);
    let withdraw_bytes = transaction_bytes(std::slice::from_ref(&withdraw), &staker.pubkey());
    println!(
        "withdraw_sol: {} CPIs, {} accounts, {} bytes, {} CU in called programs",
        cpis(&outcome),
        withdraw.accounts.len(),
        withdraw_bytes,
        outcome.compute_units
    );
    assert!(withdraw_bytes <= 365, "{withdraw_bytes} bytes");

    // The epoch roll sets the multiplier and nothing else; the treasury's fee shares are
    // minted once, whatever the number of deposits, by their own instruction.
    fixture.client.warp_epochs(1).await.unwrap();
    let outcome = fixture.client.update_pool().await.unwrap();
    assert_eq!(cpis(&outcome), 1);
    println!(
        "update_pool: {} CPI, {} CU in called programs",
        cpis(&outcome),
        outcome.compute_units
    );
    let outcome = fixture
        .client
        .mint_treasury_shares()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cpis(&outcome), 1);
    println!(
        "mint_treasury_shares: {} CPI, {} CU in called programs",
        cpis(&outcome),
        outcome.compute_units
    );
}

#[tokio::test]
async fn an_unchanged_validator_costs_one_account_and_no_cpi() {
    let mut fixture = Fixture::new(FEES).await;
    fixture.with_validators(10 * SOL, 22).await;
    fixture.client.warp_epochs(1).await.unwrap();
    let pool = fixture.client.addresses().unwrap().pool;
    let entries = fixture.client.validator_list().await.unwrap();
    let ixs = update_transaction(&PoolAddresses::new(pool), 0, &entries);
    let bytes = transaction_bytes(&ixs, &fixture.client.payer());
    let outcome = fixture.client.send(&ixs, &[]).await.unwrap();
    assert_eq!(cpis(&outcome), 0);
    println!(
        "update_validators: 22 unchanged validators, 0 CPIs, {bytes} bytes, {} CU metered natively",
        outcome.compute_units
    );
    assert!(bytes <= 1_232, "{bytes} bytes");
}

#[tokio::test]
async fn a_distribution_makes_no_cpi() {
    let mut fixture = Fixture::new(FEES).await;
    fixture.with_validators(10 * SOL, 0).await;
    fixture.client.create_pool_tip_accounts().await.unwrap();
    let pool = fixture.client.addresses().unwrap().pool;
    let tip_account = PoolAddresses::new(pool).tip_accounts()[0];
    let searcher = fixture.staker(SOL).await;
    fixture
        .client
        .tip(&searcher, &tip_account, SOL / 100)
        .await
        .unwrap();
    let payer = fixture.client.payer();
    let ix = instructions::distribute(&PoolAddresses::new(pool), &tip_account, &payer, 0);
    let bytes = transaction_bytes(std::slice::from_ref(&ix), &payer);
    let outcome = fixture
        .client
        .send(std::slice::from_ref(&ix), &[])
        .await
        .unwrap();
    // The lamports leave the program-owned vault directly; the price moves, and the protocol's
    // shares are owed, at the epoch roll.
    assert_eq!(cpis(&outcome), 0);
    assert_eq!(ix.accounts.len(), 5);
    println!(
        "distribute: {} CPIs, {} accounts, {bytes} bytes, {} CU in called programs",
        cpis(&outcome),
        ix.accounts.len(),
        outcome.compute_units
    );
    assert!(bytes <= 320, "{bytes} bytes");
}

#[tokio::test]
async fn collecting_a_stake_accounts_tips_makes_one_cpi() {
    let mut fixture = Fixture::new(FEES).await;
    let votes = fixture.with_validators(10 * SOL, 1).await;
    let pool = *fixture.client.addresses().unwrap();
    fixture
        .client
        .transfer(&pool.validator_stake(&votes[0]), SOL / 100)
        .await
        .unwrap();
    let payer = fixture.client.payer();
    let ix = instructions::collect_stake_tips(&pool, &votes[0], 0);
    let bytes = transaction_bytes(std::slice::from_ref(&ix), &payer);
    let outcome = fixture
        .client
        .send(std::slice::from_ref(&ix), &[])
        .await
        .unwrap();
    // The Stake program's withdraw into the vault; from there to the reserve without a CPI.
    assert_eq!(cpis(&outcome), 1);
    assert_eq!(ix.accounts.len(), 9);
    println!(
        "collect_stake_tips: {} CPIs, {} accounts, {bytes} bytes, {} CU in called programs",
        cpis(&outcome),
        ix.accounts.len(),
        outcome.compute_units
    );
    assert!(bytes <= 480, "{bytes} bytes");
}
