//! `tributary localnet --demo`: a pool to play with.

use anchor_lang::prelude::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use tributary::instructions::InitializePoolArgs;
use tributary::state::{DelegationRule, Fees, Strategy, StrategyMode};
use tributary_client::{BankClient, ClientError, LAMPORTS_PER_SOL};

/// The demo's pool: what `tributary localnet --demo` prints.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Demo {
    pub pool: String,
    /// The funded keypair's address: the pool's admin, operator and treasury owner.
    pub wallet: String,
    pub validators: Vec<String>,
    /// The accounts set up, for the endpoint to know (it knows only what transactions name).
    #[serde(skip)]
    pub accounts: Vec<Pubkey>,
}

/// Validators in the demo pool.
const DEMO_VALIDATORS: usize = 3;
/// What the demo's keypair holds, in SOL.
const DEMO_WALLET_SOL: u64 = 1_000;

/// Sets up a pool in `bank` for `wallet`, who is its admin and operator, with validators and
/// lamports to play with, and a strategy that delegates: scored, at most half the pool with one
/// validator. The pool's address comes from the wallet, so the demo has the same pool at every
/// start (`TRIBUTARY_POOL` keeps serving); its state starts afresh.
pub async fn set_up_demo(bank: &mut BankClient, wallet: &Keypair) -> Result<Demo, ClientError> {
    bank.transfer(&wallet.pubkey(), DEMO_WALLET_SOL * LAMPORTS_PER_SOL)
        .await?;
    let pool = demo_pool_keypair(wallet);
    let args = InitializePoolArgs {
        operator: wallet.pubkey(),
        // Fees a user sees at work; no ticket fee.
        fees: Fees {
            deposit_bps: 10,
            withdrawal_bps: 30,
            epoch_bps: 500,
            mev_bps: 800,
            mev_commission_cap_bps: 1_000,
            ..Fees::default()
        },
        tip_rate_cap_bps: tributary::constants::DEFAULT_TIP_RATE_CAP_BPS,
        name: tributary_client::instructions::DEFAULT_TOKEN_NAME.into(),
        symbol: tributary_client::instructions::DEFAULT_TOKEN_SYMBOL.into(),
        uri: String::new(),
    };
    bank.initialize_pool(wallet, &pool, &wallet.pubkey(), args)
        .await?;
    bank.create_pool_tip_accounts().await?;
    let strategy = Strategy {
        mode: StrategyMode::Scored,
        validator_cap_bps: 5_000,
        reserve_buffer_bps: 1_000,
        max_move_bps: 5_000,
        rule: DelegationRule::RECOMMENDED,
    };
    bank.set_strategy(wallet, strategy).await?;
    let addresses = *bank.addresses()?;
    let mut accounts = vec![
        wallet.pubkey(),
        addresses.pool,
        addresses.reserve,
        addresses.mint,
        addresses.validator_list,
    ];
    accounts.extend(addresses.tip_accounts());
    let mut validators = Vec::with_capacity(DEMO_VALIDATORS);
    for _ in 0..DEMO_VALIDATORS {
        let (vote, _) = bank.create_vote_account(5).await?;
        bank.add_validator(wallet, &vote).await?;
        validators.push(vote.to_string());
        accounts.extend([vote, addresses.mev_vault(&vote)]);
    }
    Ok(Demo {
        pool: pool.pubkey().to_string(),
        wallet: wallet.pubkey().to_string(),
        validators,
        accounts,
    })
}

/// The demo pool's keypair, derived from the wallet's secret: one wallet, one demo pool address.
fn demo_pool_keypair(wallet: &Keypair) -> Keypair {
    let seed = solana_sdk::hash::hashv(&[b"tributary localnet demo pool", wallet.secret_bytes()]);
    Keypair::new_from_array(seed.to_bytes())
}
