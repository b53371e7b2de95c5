//! What each staker instruction costs: CPIs, accounts, transaction bytes, and the compute units
//! of the programs it calls (natively our own program is not metered).

use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;
use tributary::instructions::{DepositSolArgs, WithdrawSolArgs};
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

/// Bytes of a transaction holding `ix`, signed by the fee payer and `signer`.
fn transaction_bytes(
    ix: &anchor_lang::solana_program::instruction::Instruction,
    payer: &Keypair,
) -> usize {
    let transaction = Transaction::new_with_payer(std::slice::from_ref(ix), Some(&payer.pubkey()));
    wire_len(&transaction)
}

fn wire_len(transaction: &Transaction) -> usize {
    // Signatures (64 bytes each, with a one-byte count) plus the message.
    1 + 64 * transaction.signatures.len() + transaction.message_data().len()
}

#[tokio::test]
async fn staker_instructions_stay_near_the_floor() {
    let mut fixture = Fixture::new(FEES).await;
    let staker = fixture.staker(10 * SOL).await;
    let pool = fixture.client.pool().unwrap().pool;
    let token_account = fixture
        .client
        .create_token_account(&staker.pubkey())
        .await
        .unwrap();

    let deposit = instructions::deposit_sol(
        &pool,
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
    let deposit_bytes = transaction_bytes(&deposit, &staker);
    println!(
        "deposit_sol: {} CPIs, {} accounts, {} bytes, {} CU in called programs",
        cpis(&outcome),
        deposit.accounts.len(),
        deposit_bytes,
        outcome.compute_units
    );
    assert!(deposit_bytes <= 430, "{deposit_bytes} bytes");

    let withdraw = instructions::withdraw_sol(
        &pool,
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
    let withdraw_bytes = transaction_bytes(&withdraw, &staker);
    println!(
        "withdraw_sol: {} CPIs, {} accounts, {} bytes, {} CU in called programs",
        cpis(&outcome),
        withdraw.accounts.len(),
        withdraw_bytes,
        outcome.compute_units
    );
    assert!(withdraw_bytes <= 365, "{withdraw_bytes} bytes");

    // The epoch roll mints the treasury's fee shares once, whatever the number of deposits.
    let outcome = fixture.client.update_pool().await.unwrap();
    assert_eq!(cpis(&outcome), 2);
    println!(
        "update_pool: {} CPIs, {} CU in called programs",
        cpis(&outcome),
        outcome.compute_units
    );
    let outcome = fixture.client.update_pool().await.unwrap();
    assert_eq!(cpis(&outcome), 1, "nothing owed: only the multiplier");
}
