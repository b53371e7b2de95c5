//! Golden vectors for the TypeScript client (clients/ts): every instruction as the Rust builders
//! make it from fixed inputs, its data and account metas, in `clients/ts/test/vectors.json`. The
//! TypeScript tests build the same instructions and must get the same bytes and metas. This
//! test fails when the committed file is not what the builders make now; run it with
//! `TRIBUTARY_WRITE_VECTORS=1` to rewrite the file.

use std::path::Path;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use bytemuck::Zeroable;
use serde_json::{json, Map, Value};
use tributary::instructions::{
    DepositSolArgs, DepositStakeArgs, SetMetadataArgs, SetMevCommissionArgs, SetWeightArgs,
    ValidatorStakeArgs, WithdrawSolArgs, WithdrawStakeArgs,
};
use tributary::math::{quote_deposit, quote_withdraw, shares_worth_at_least};
use tributary::state::{
    DelegationRule, Fees, Strategy, StrategyMode, TransientState, ValidatorEntry,
};
use tributary_client::instructions as ix;
use tributary_client::PoolAddresses;

/// A fixed address per role, so the vectors never change by chance.
fn key(byte: u8) -> Pubkey {
    Pubkey::new_from_array([byte; 32])
}

/// Every named input of the vectors, by name, as the TypeScript test reads them.
fn inputs() -> Vec<(&'static str, Pubkey)> {
    vec![
        ("pool", key(1)),
        ("admin", key(2)),
        ("operator", key(3)),
        ("owner", key(4)),
        ("vote", key(5)),
        ("ticket", key(6)),
        ("newOwner", key(7)),
        ("stakeAccount", key(8)),
        ("destinationStake", key(9)),
        ("treasury", key(10)),
        ("lookupTable", key(11)),
        ("payout", key(12)),
        ("secondVote", key(13)),
    ]
}

fn input(name: &str) -> Pubkey {
    inputs()
        .into_iter()
        .find(|(known, _)| *known == name)
        .unwrap_or_else(|| panic!("no input {name}"))
        .1
}

fn entry(vote: Pubkey, pool: &PoolAddresses, transient: bool) -> ValidatorEntry {
    let mut entry = ValidatorEntry::zeroed();
    entry.vote = vote;
    entry.validator_stake = pool.validator_stake(&vote);
    entry.transient_stake = pool.transient_stake(&vote);
    if transient {
        entry.set_transient_state(TransientState::Activating);
    }
    entry
}

/// Every instruction of the program, built by the Rust client, with the inputs it took.
fn cases(pool: &PoolAddresses) -> Vec<(&'static str, Value, Instruction)> {
    let [admin, operator, owner, vote] = ["admin", "operator", "owner", "vote"].map(input);
    let [ticket, new_owner, stake_account, destination] =
        ["ticket", "newOwner", "stakeAccount", "destinationStake"].map(input);
    let [treasury, lookup_table, payout] = ["treasury", "lookupTable", "payout"].map(input);
    let owner_token = pool.token_account(&owner);
    let fees = Fees {
        deposit_bps: 10,
        withdrawal_bps: 30,
        ticket_bps: 5,
        epoch_bps: 500,
        mev_bps: 800,
        mev_commission_cap_bps: 1_000,
    };
    let entries = [
        entry(vote, pool, true),
        entry(input("secondVote"), pool, false),
    ];
    vec![
        (
            "initialize_pool",
            json!({ "fees": "standard" }),
            ix::initialize_pool(&admin, pool, &admin, ix::default_pool_args(operator, fees)),
        ),
        (
            "create_pool_tip_accounts",
            json!({}),
            ix::create_pool_tip_accounts(pool, &admin),
        ),
        (
            "realloc_validator_list",
            json!({}),
            ix::realloc_validator_list(pool, &admin),
        ),
        (
            "deposit_sol",
            json!({ "lamports": "1500000000", "minSharesOut": "1400000000" }),
            ix::deposit_sol(
                pool,
                &owner,
                &owner_token,
                DepositSolArgs {
                    lamports: 1_500_000_000,
                    min_shares_out: 1_400_000_000,
                },
            ),
        ),
        (
            "withdraw_sol",
            json!({ "shares": "700000000", "minLamportsOut": "690000000" }),
            ix::withdraw_sol(
                pool,
                &owner,
                &owner_token,
                WithdrawSolArgs {
                    shares: 700_000_000,
                    min_lamports_out: 690_000_000,
                },
            ),
        ),
        (
            "deposit_stake",
            json!({ "validatorIndex": 2, "minSharesOut": "5" }),
            ix::deposit_stake(
                pool,
                &owner,
                &stake_account,
                &vote,
                &owner_token,
                DepositStakeArgs {
                    validator_index: 2,
                    min_shares_out: 5,
                },
            ),
        ),
        (
            "withdraw_stake",
            json!({ "validatorIndex": 1, "shares": "3000000000", "minLamportsOut": "2900000000" }),
            ix::withdraw_stake(
                pool,
                &owner,
                &vote,
                &destination,
                &owner_token,
                WithdrawStakeArgs {
                    validator_index: 1,
                    shares: 3_000_000_000,
                    min_lamports_out: 2_900_000_000,
                },
            ),
        ),
        (
            "order_unstake",
            json!({ "shares": "250000000" }),
            ix::order_unstake(pool, &owner, &ticket, &owner_token, 250_000_000),
        ),
        (
            "claim_ticket",
            json!({}),
            ix::claim_ticket(pool, &owner, &ticket),
        ),
        (
            "transfer_ticket",
            json!({}),
            ix::transfer_ticket(pool, &owner, &ticket, &new_owner),
        ),
        (
            "update_validators",
            json!({ "startIndex": 4, "transient": [true, false] }),
            ix::update_validators(pool, 4, &entries),
        ),
        ("update_pool", json!({}), ix::update_pool(pool)),
        (
            "mint_treasury_shares",
            json!({}),
            ix::mint_treasury_shares(pool, &treasury),
        ),
        (
            "score_validator",
            json!({ "validatorIndex": 3, "tipDistributionEpoch": 42 }),
            ix::score_validator(
                pool,
                &vote,
                3,
                Some(&tributary_client::pda::tip_distribution_account(&vote, 42).0),
            ),
        ),
        (
            "collect_stake_tips",
            json!({ "validatorIndex": 5 }),
            ix::collect_stake_tips(pool, &vote, 5),
        ),
        (
            "rebalance",
            json!({ "validatorIndex": 3 }),
            ix::rebalance(pool, &vote, 3),
        ),
        (
            "distribute",
            json!({ "validatorIndex": 7 }),
            ix::distribute(pool, &pool.mev_vault(&vote), &payout, 7),
        ),
        (
            "set_mev_commission",
            json!({ "commissionBps": 500 }),
            ix::set_mev_commission(
                pool,
                &owner,
                &vote,
                SetMevCommissionArgs {
                    commission_bps: 500,
                    payout,
                },
            ),
        ),
        (
            "add_validator",
            json!({}),
            ix::add_validator(pool, &operator, &vote),
        ),
        (
            "increase_validator_stake",
            json!({ "validatorIndex": 1, "lamports": "2000000000" }),
            ix::increase_validator_stake(
                pool,
                &operator,
                &vote,
                ValidatorStakeArgs {
                    validator_index: 1,
                    lamports: 2_000_000_000,
                },
            ),
        ),
        (
            "decrease_validator_stake",
            json!({ "validatorIndex": 1, "lamports": "1000000000" }),
            ix::decrease_validator_stake(
                pool,
                &operator,
                &vote,
                ValidatorStakeArgs {
                    validator_index: 1,
                    lamports: 1_000_000_000,
                },
            ),
        ),
        (
            "remove_validator",
            json!({ "validatorIndex": 1 }),
            ix::remove_validator(pool, &operator, &vote, 1),
        ),
        (
            "set_strategy",
            json!({}),
            ix::set_strategy(
                pool,
                &operator,
                Strategy {
                    mode: StrategyMode::Scored,
                    validator_cap_bps: 2_000,
                    reserve_buffer_bps: 300,
                    max_move_bps: 1_000,
                    rule: DelegationRule::RECOMMENDED,
                },
            ),
        ),
        (
            "set_lookup_table",
            json!({}),
            ix::set_lookup_table(pool, &operator, &lookup_table),
        ),
        (
            "set_weight",
            json!({ "validatorIndex": 2, "weight": 40 }),
            ix::set_weight(
                pool,
                &operator,
                SetWeightArgs {
                    validator_index: 2,
                    vote,
                    weight: 40,
                },
            ),
        ),
        ("set_fees", json!({}), ix::set_fees(pool, &admin, fees)),
        (
            "propose_admin",
            json!({}),
            ix::propose_admin(pool, &admin, &new_owner),
        ),
        (
            "accept_admin",
            json!({}),
            ix::accept_admin(pool, &new_owner),
        ),
        (
            "set_operator",
            json!({}),
            ix::set_operator(pool, &admin, &operator),
        ),
        (
            "set_treasury",
            json!({}),
            ix::set_treasury(pool, &admin, &treasury),
        ),
        ("pause", json!({}), ix::pause(pool, &admin)),
        ("unpause", json!({}), ix::unpause(pool, &admin)),
        (
            "set_tip_rate_cap",
            json!({ "tipRateCapBps": 150 }),
            ix::set_tip_rate_cap(pool, &admin, 150),
        ),
        (
            "set_metadata",
            json!({}),
            ix::set_metadata(
                pool,
                &admin,
                SetMetadataArgs {
                    name: None,
                    symbol: Some("trSOL".into()),
                    uri: Some("https://example.org/trsol.json".into()),
                },
            ),
        ),
    ]
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn vectors() -> Value {
    let pool = PoolAddresses::new(input("pool"));
    let named: Map<String, Value> = inputs()
        .into_iter()
        .map(|(name, key)| (name.to_owned(), json!(key.to_string())))
        .collect();
    let cases: Vec<Value> = cases(&pool)
        .into_iter()
        .map(|(name, args, instruction)| {
            let accounts: Vec<Value> = instruction
                .accounts
                .iter()
                .map(|meta| {
                    json!({
                        "address": meta.pubkey.to_string(),
                        "signer": meta.is_signer,
                        "writable": meta.is_writable,
                    })
                })
                .collect();
            json!({
                "instruction": name,
                "args": args,
                "programId": instruction.program_id.to_string(),
                "data": hex(&instruction.data),
                "accounts": accounts,
            })
        })
        .collect();
    json!({ "inputs": named, "cases": cases, "quotes": quotes() })
}

/// The program's pricing on awkward inputs (rounding, fees near the whole amount, an empty
/// pool, a rate far from 1): the TypeScript quotes must give the same lamports and shares.
fn quotes() -> Vec<Value> {
    let rates: [(u64, u64); 5] = [
        (10_000_000, 10_000_000),
        (1_070_000_003, 1_000_000_000),
        (999_999_999_999, 3),
        (3, 999_999_999_999),
        (u64::MAX / 3, u64::MAX / 5),
    ];
    let amounts: [u64; 5] = [0, 1, 7, 1_000_000_001, 123_456_789_012_345];
    let fees: [u16; 3] = [0, 7, 10_000];
    let mut quotes = Vec::new();
    for (total_lamports, supply) in rates {
        for amount in amounts {
            for fee_bps in fees {
                let deposit = quote_deposit(amount, total_lamports, supply, fee_bps);
                let withdraw = quote_withdraw(amount, total_lamports, supply, fee_bps);
                quotes.push(json!({
                    "totalLamports": total_lamports.to_string(),
                    "supply": supply.to_string(),
                    "amount": amount.to_string(),
                    "feeBps": fee_bps,
                    "deposit": deposit.map(|quote| json!({
                        "userShares": quote.user_shares.to_string(),
                        "feeLamports": quote.fee_lamports.to_string(),
                        "feeShares": quote.fee_shares.to_string(),
                    })),
                    "withdraw": withdraw.map(|quote| json!({
                        "lamports": quote.lamports.to_string(),
                        "feeLamports": quote.fee_lamports.to_string(),
                        "feeShares": quote.fee_shares.to_string(),
                    })),
                    "sharesWorthAtLeast": shares_worth_at_least(amount, total_lamports, supply)
                        .map(|shares| shares.to_string()),
                }));
            }
        }
    }
    quotes
}

#[test]
fn every_instruction_has_a_golden_vector_for_the_typescript_client() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../clients/ts/test/vectors.json");
    let vectors = vectors();
    let instructions: Vec<&str> = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["instruction"].as_str().unwrap())
        .collect();
    // Every instruction of the IDL, once.
    let idl: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../idl/tributary.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let mut in_idl: Vec<&str> = idl["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|instruction| instruction["name"].as_str().unwrap())
        .collect();
    let mut covered = instructions.clone();
    in_idl.sort_unstable();
    covered.sort_unstable();
    assert_eq!(covered, in_idl);

    let text = serde_json::to_string_pretty(&vectors).unwrap() + "\n";
    if std::env::var_os("TRIBUTARY_WRITE_VECTORS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is not what the Rust builders make now: run this test with TRIBUTARY_WRITE_VECTORS=1 \
         and commit the file",
        path.display()
    );
}
