//! The binary in RPC mode, end to end, with no validator: the in-process bank behind a small
//! JSON-RPC endpoint that answers the calls the Solana RPC client makes (accounts, blockhash,
//! send with preflight, signature status, transaction logs, simulation). The CLI cannot tell it
//! from a node, so this runs the real `Rpc` transport over HTTP.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Value};
use solana_program_test::BanksClient;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{write_keypair_file, Signature, Signer};
use solana_sdk::transaction::VersionedTransaction;
use solana_transaction_status_client_types::UiTransactionError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tributary_client::tributary::constants::LOCKED_SEED_LAMPORTS;
use tributary_client::{BankClient, LAMPORTS_PER_SOL};

/// What the endpoint remembers: the transactions it landed, with their logs.
#[derive(Default)]
struct Landed {
    signatures: HashSet<Signature>,
    logs: Vec<(Signature, Vec<String>, u64)>,
}

/// Serves JSON-RPC over HTTP on a local port in front of `bank`; returns its URL.
async fn serve(bank: BanksClient) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let landed = Arc::new(Mutex::new(Landed::default()));
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let bank = bank.clone();
            let landed = landed.clone();
            tokio::spawn(async move { answer(stream, bank, landed).await });
        }
    });
    url
}

/// Reads one HTTP request, answers it, and closes the connection.
async fn answer(mut stream: TcpStream, bank: BanksClient, landed: Arc<Mutex<Landed>>) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    let body = loop {
        let read = stream.read(&mut buffer).await.unwrap();
        if read == 0 {
            return;
        }
        request.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&request).into_owned();
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
        let length: usize = text[..end]
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            break request[end + 4..end + 4 + length].to_vec();
        }
    };
    let call: Value = serde_json::from_slice(&body).unwrap();
    let reply = match dispatch(&call, &bank, &landed).await {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": call["id"], "result": result }),
        Err(error) => json!({ "jsonrpc": "2.0", "id": call["id"], "error": error }),
    };
    let reply = reply.to_string();
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    );
    stream.write_all(response.as_bytes()).await.unwrap();
}

fn with_context(value: Value) -> Value {
    json!({ "context": { "slot": 1, "apiVersion": "3.1.12" }, "value": value })
}

/// A transaction as sent, legacy or v0.
fn decode_transaction(params: &Value) -> VersionedTransaction {
    let bytes = BASE64.decode(params[0].as_str().unwrap()).unwrap();
    bincode::deserialize(&bytes).unwrap()
}

async fn dispatch(
    call: &Value,
    bank: &BanksClient,
    landed: &Mutex<Landed>,
) -> Result<Value, Value> {
    let params = &call["params"];
    match call["method"].as_str().unwrap() {
        "getAccountInfo" => {
            let address: Pubkey = params[0].as_str().unwrap().parse().unwrap();
            let account = bank.get_account(address).await.unwrap();
            Ok(with_context(account.map_or(Value::Null, |account| {
                json!({
                    "data": [BASE64.encode(&account.data), "base64"],
                    "executable": account.executable,
                    "lamports": account.lamports,
                    "owner": account.owner.to_string(),
                    "rentEpoch": account.rent_epoch,
                    "space": account.data.len(),
                })
            })))
        }
        "getLatestBlockhash" => {
            let blockhash = bank.get_latest_blockhash().await.unwrap();
            Ok(with_context(
                json!({ "blockhash": blockhash.to_string(), "lastValidBlockHeight": 1_000_000 }),
            ))
        }
        "isBlockhashValid" => Ok(with_context(json!(true))),
        "sendTransaction" => {
            let transaction = decode_transaction(params);
            let signature = transaction.signatures[0];
            let outcome = bank
                .process_transaction_with_metadata(transaction)
                .await
                .unwrap();
            let (logs, units) = outcome
                .metadata
                .map(|meta| (meta.log_messages, meta.compute_units_consumed))
                .unwrap_or_default();
            match outcome.result {
                Ok(()) => {
                    let mut landed = landed.lock().unwrap();
                    landed.signatures.insert(signature);
                    landed.logs.push((signature, logs, units));
                    Ok(json!(signature.to_string()))
                }
                // What a node's preflight simulation returns for a refused transaction.
                Err(error) => Err(json!({
                    "code": -32002,
                    "message": format!("Transaction simulation failed: {error}"),
                    "data": {
                        "err": serde_json::to_value(UiTransactionError::from(error)).unwrap(),
                        "logs": logs,
                        "accounts": null,
                        "unitsConsumed": units,
                        "returnData": null,
                    },
                })),
            }
        }
        "getSignatureStatuses" => {
            let landed = landed.lock().unwrap();
            let statuses: Vec<Value> = params[0]
                .as_array()
                .unwrap()
                .iter()
                .map(|signature| {
                    let signature: Signature = signature.as_str().unwrap().parse().unwrap();
                    if landed.signatures.contains(&signature) {
                        json!({
                            "slot": 1,
                            "confirmations": null,
                            "err": null,
                            "status": { "Ok": null },
                            "confirmationStatus": "finalized",
                        })
                    } else {
                        Value::Null
                    }
                })
                .collect();
            Ok(with_context(json!(statuses)))
        }
        "getTransaction" => {
            let signature: Signature = params[0].as_str().unwrap().parse().unwrap();
            let landed = landed.lock().unwrap();
            let (_, logs, units) = landed
                .logs
                .iter()
                .find(|(landed, _, _)| *landed == signature)
                .cloned()
                .unwrap();
            Ok(json!({
                "slot": 1,
                "blockTime": null,
                "transaction": ["", "base64"],
                "meta": {
                    "err": null,
                    "status": { "Ok": null },
                    "fee": 5000,
                    "preBalances": [],
                    "postBalances": [],
                    "innerInstructions": [],
                    "logMessages": logs,
                    "preTokenBalances": [],
                    "postTokenBalances": [],
                    "rewards": [],
                    "computeUnitsConsumed": units,
                },
            }))
        }
        "simulateTransaction" => {
            let transaction = decode_transaction(params);
            let simulation = bank.simulate_transaction(transaction).await.unwrap();
            let details = simulation.simulation_details.unwrap();
            let return_data = details.return_data.map(|data| {
                json!({
                    "programId": data.program_id.to_string(),
                    "data": [BASE64.encode(&data.data), "base64"],
                })
            });
            Ok(with_context(json!({
                "err": simulation
                    .result
                    .and_then(Result::err)
                    .map(|error| serde_json::to_value(UiTransactionError::from(error)).unwrap()),
                "logs": details.logs,
                "accounts": null,
                "unitsConsumed": details.units_consumed,
                "returnData": return_data,
            })))
        }
        method => panic!("the test endpoint does not serve {method}"),
    }
}

/// The binary run against `url` as `keypair`, with a home of its own.
fn tributary(home: &Path, url: &str, keypair: &Path, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"));
    command
        .args([
            "--url",
            url,
            "--keypair",
            &keypair.to_string_lossy(),
            "--output",
            "json",
        ])
        .args(args)
        .env("HOME", home)
        .env_remove("TRIBUTARY_POOL");
    command
}

/// Runs `command` off the runtime, which keeps serving the endpoint: whether it succeeded, its
/// JSON output and its error output.
async fn run(mut command: std::process::Command) -> (bool, Value, String) {
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), json, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_a_pool_over_json_rpc() {
    let mut bank = BankClient::start().await;
    let user = bank.funded_keypair(50 * LAMPORTS_PER_SOL).await.unwrap();
    let url = serve(bank.context().banks_client.clone()).await;
    let home = tempfile::tempdir().unwrap();
    let keypair = home.path().join("id.json");
    write_keypair_file(&user, &keypair).unwrap();

    let (ok, created, stderr) = run(tributary(home.path(), &url, &keypair, &["init"])).await;
    assert!(ok, "{stderr}");
    let pool: Pubkey = created["pool"].as_str().unwrap().parse().unwrap();
    bank.use_pool(pool);
    assert_eq!(bank.pool_state().await.unwrap().admin, user.pubkey());
    let pool = pool.to_string();
    let on_pool = |args: &[&str]| {
        let mut all = vec!["--pool", pool.as_str()];
        all.extend_from_slice(args);
        run(tributary(home.path(), &url, &keypair, &all))
    };

    let (ok, deposited, stderr) = on_pool(&["deposit", "3"]).await;
    assert!(ok, "{stderr}");
    assert_eq!(deposited["shares"], 3 * LAMPORTS_PER_SOL);
    assert_eq!(
        bank.shares_of(&user.pubkey()).await.unwrap(),
        3 * LAMPORTS_PER_SOL
    );

    // The program's refusal comes back through the node's preflight, named from the IDL.
    let (ok, _, stderr) = on_pool(&["deposit", "0"]).await;
    assert!(!ok);
    assert!(stderr.contains("ZeroAmount (6000)"), "{stderr}");

    let (ok, shown, stderr) = on_pool(&["show"]).await;
    assert!(ok, "{stderr}");
    // Beside the seed the pool locked at its creation.
    assert_eq!(
        shown["total_lamports"],
        LOCKED_SEED_LAMPORTS + 3 * LAMPORTS_PER_SOL
    );
    assert_eq!(shown["holder"]["shares"], 3 * LAMPORTS_PER_SOL);

    // Events reach the CLI through the transaction's logs: the tip's split is reported.
    let (ok, _, stderr) = on_pool(&["tip", "0.01"]).await;
    assert!(ok, "{stderr}");
    let (ok, distributed, stderr) = on_pool(&["distribute"]).await;
    assert!(ok, "{stderr}");
    assert_eq!(distributed["distributions"], 1);
    // In the pool's first epoch the tip rate cap is a share of the locked seed alone: most of
    // the tip waits in the tip account.
    let processed = distributed["tips"].as_u64().unwrap();
    assert!(
        processed > 0 && processed < LAMPORTS_PER_SOL / 100,
        "{processed}"
    );
    let split: u64 = ["to_validators", "to_protocol", "to_stakers"]
        .iter()
        .map(|part| distributed[part].as_u64().unwrap())
        .sum();
    assert_eq!(split, processed);

    let (ok, withdrawn, stderr) = on_pool(&["withdraw", "ALL"]).await;
    assert!(ok, "{stderr}");
    assert_eq!(withdrawn["shares"], 3 * LAMPORTS_PER_SOL);
    assert_eq!(bank.shares_of(&user.pubkey()).await.unwrap(), 0);

    // A keypair with no SOL: refused before sending where the CLI can tell, by the node's
    // preflight otherwise, and said so either way.
    let empty = home.path().join("empty.json");
    write_keypair_file(&solana_sdk::signature::Keypair::new(), &empty).unwrap();
    let (ok, _, stderr) = run(tributary(home.path(), &url, &empty, &["init"])).await;
    assert!(!ok);
    assert!(
        stderr.starts_with("error: insufficient balance"),
        "{stderr}"
    );
    let args = ["--pool", pool.as_str(), "deposit", "1"];
    let (ok, _, stderr) = run(tributary(home.path(), &url, &empty, &args)).await;
    assert!(!ok);
    assert!(
        stderr.starts_with("error: insufficient balance"),
        "{stderr}"
    );

    // A read of someone named needs no keypair.
    let nowhere = home.path().join("nowhere.json");
    let owner = user.pubkey().to_string();
    let args = ["--pool", pool.as_str(), "show", "--owner", owner.as_str()];
    let (ok, shown, stderr) = run(tributary(home.path(), &url, &nowhere, &args)).await;
    assert!(ok, "{stderr}");
    assert_eq!(shown["holder"]["owner"], owner, "{shown}");

    // The System program's refusal, by name: a new pool whose mint address already holds an
    // account with data, which the System program will not allocate over.
    let taken = solana_sdk::signature::Keypair::new();
    let taken_path = home.path().join("taken.json");
    write_keypair_file(&taken, &taken_path).unwrap();
    let mint = tributary_client::PoolAddresses::new(taken.pubkey()).mint;
    let squatter = solana_sdk::account::Account {
        lamports: LAMPORTS_PER_SOL,
        data: vec![1; 8],
        owner: anchor_lang::system_program::ID,
        ..Default::default()
    };
    bank.context().set_account(&mint, &squatter.into());
    let args = ["init", "--pool-keypair", taken_path.to_str().unwrap()];
    let (ok, _, stderr) = run(tributary(home.path(), &url, &keypair, &args)).await;
    assert!(!ok);
    assert!(
        stderr.starts_with("error: the System program refused: account already in use"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crank_goes_through_lookup_tables_over_json_rpc() {
    const VALIDATORS: usize = 30;
    let mut bank = BankClient::start().await;
    let operator = bank.funded_keypair(50 * LAMPORTS_PER_SOL).await.unwrap();
    let args =
        tributary_client::instructions::default_pool_args(operator.pubkey(), Default::default());
    let pool = solana_sdk::signature::Keypair::new();
    bank.initialize_pool(&operator, &pool, &operator.pubkey(), args)
        .await
        .unwrap();
    for _ in 0..VALIDATORS {
        let (vote, _) = bank.create_vote_account(5).await.unwrap();
        bank.add_validator(&operator, &vote).await.unwrap();
    }
    bank.sync_lookup_tables(&operator).await.unwrap();
    bank.warp_epochs(1).await.unwrap();

    let url = serve(bank.context().banks_client.clone()).await;
    let home = tempfile::tempdir().unwrap();
    let keypair = home.path().join("id.json");
    write_keypair_file(&operator, &keypair).unwrap();
    let pool = pool.pubkey().to_string();
    let args = ["--pool", pool.as_str(), "crank"];
    let (ok, cranked, stderr) = run(tributary(home.path(), &url, &keypair, &args)).await;
    assert!(ok, "{stderr}");
    // Thirty validators in one v0 transaction (two legacy ones), sent through the RPC client.
    assert_eq!(cranked["update_transactions"], 1, "{cranked}");
    let epoch = bank.clock().await.unwrap().epoch;
    assert_eq!(bank.pool_state().await.unwrap().last_update_epoch, epoch);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transaction_flags_work_over_json_rpc() {
    let mut bank = BankClient::start().await;
    let user = bank.funded_keypair(50 * LAMPORTS_PER_SOL).await.unwrap();
    let fee_payer = bank.funded_keypair(LAMPORTS_PER_SOL).await.unwrap();
    let url = serve(bank.context().banks_client.clone()).await;
    let home = tempfile::tempdir().unwrap();
    let keypair = home.path().join("id.json");
    write_keypair_file(&user, &keypair).unwrap();
    let payer_file = home.path().join("payer.json");
    write_keypair_file(&fee_payer, &payer_file).unwrap();
    let (ok, created, stderr) = run(tributary(home.path(), &url, &keypair, &["init"])).await;
    assert!(ok, "{stderr}");
    let pool = created["pool"].as_str().unwrap().to_string();
    bank.use_pool(pool.parse().unwrap());
    let on_pool = |args: &[&str]| {
        let mut all = vec!["--pool", pool.as_str()];
        all.extend_from_slice(args);
        run(tributary(home.path(), &url, &keypair, &all))
    };
    let (ok, _, stderr) = on_pool(&["deposit", "1"]).await;
    assert!(ok, "{stderr}");
    let user_before = bank.balance(&user.pubkey()).await.unwrap();
    let shares_before = bank.shares_of(&user.pubkey()).await.unwrap();

    // A dry run sends nothing; its answer is one line of JSON with `--output json-compact`.
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"));
    command
        .args(["--url", &url, "--keypair", &keypair.to_string_lossy()])
        .args(["--pool", &pool, "--dry-run", "--output", "json-compact"])
        .args(["deposit", "2"])
        .env("HOME", home.path());
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.trim_end().lines().count(), 1, "{stdout}");
    let dry: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["expected"]["lamports"], 2 * LAMPORTS_PER_SOL);
    assert_eq!(bank.balance(&user.pubkey()).await.unwrap(), user_before);
    assert_eq!(bank.shares_of(&user.pubkey()).await.unwrap(), shares_before);

    // Another keypair pays the fee, with a priority fee on the limit given; `-v` prints the
    // signature; `--commitment finalized` waits for finality.
    let payer_before = bank.balance(&fee_payer.pubkey()).await.unwrap();
    let payer_path = payer_file.to_str().unwrap();
    let args = [
        "--fee-payer",
        payer_path,
        "--with-compute-unit-price",
        "1000",
        "--with-compute-unit-limit",
        "300000",
        "--commitment",
        "finalized",
        "-v",
        "deposit",
        "2",
    ];
    let (ok, deposited, stderr) = on_pool(&args).await;
    assert!(ok, "{stderr}");
    let signature = deposited["signature"].as_str().unwrap();
    assert!(
        stderr.contains(&format!("signature: {signature}")),
        "{stderr}"
    );
    assert_eq!(
        user_before - bank.balance(&user.pubkey()).await.unwrap(),
        2 * LAMPORTS_PER_SOL
    );
    assert_eq!(
        payer_before - bank.balance(&fee_payer.pubkey()).await.unwrap(),
        2 * 5_000 + 1_000 * 300_000 / 1_000_000
    );

    // `-v` on a refusal: the program's logs.
    let (ok, _, stderr) = on_pool(&["-v", "deposit", "0"]).await;
    assert!(!ok);
    assert!(
        stderr.contains("log: Program TriyRMx7rPygAiEsXPhNMzPNLUFXwPCmvP5rbudp1ir failed"),
        "{stderr}"
    );
}
