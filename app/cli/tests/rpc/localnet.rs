//! `tributary localnet` itself: its demo pool, and what it does not answer.

use super::*;

/// One JSON-RPC call over HTTP to `url`: its whole reply.
async fn rpc(url: &str, method: &str, params: Value) -> Value {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (_, reply) = response.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(reply).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localnet_serves_a_demo_pool_and_names_what_it_does_not_answer() {
    let home = tempfile::tempdir().unwrap();
    // A wallet already there is the demo's wallet, never overwritten.
    let keypair = home.path().join("demo.json");
    let existing = solana_sdk::signature::Keypair::new();
    solana_sdk::signature::write_keypair_file(&existing, &keypair).unwrap();
    let (mut child, mut lines, ready) = start_demo(&keypair, &[]).await;
    let mut stdin = child.stdin.take().unwrap();
    let url = ready["url"].as_str().unwrap();
    let wallet = ready["demo"]["wallet"].as_str().unwrap();
    assert_eq!(ready["demo"]["validators"].as_array().unwrap().len(), 3);
    // The keypair file holds the wallet, funded.
    let written = solana_sdk::signature::read_keypair_file(&keypair).unwrap();
    assert_eq!(written.pubkey().to_string(), wallet);
    assert_eq!(existing.pubkey().to_string(), wallet);
    // It paid the pool's accounts and the validators' floors out of its 1,000 SOL.
    let balance = rpc(url, "getBalance", json!([wallet])).await;
    let balance = balance["result"]["value"].as_u64().unwrap();
    assert!(
        (990 * LAMPORTS_PER_SOL..1_000 * LAMPORTS_PER_SOL).contains(&balance),
        "{balance}"
    );

    // The demo pool is a pool of the program, ready to read.
    let pool = rpc(
        url,
        "getAccountInfo",
        json!([ready["demo"]["pool"], { "encoding": "base64" }]),
    )
    .await;
    assert_eq!(pool["result"]["value"]["owner"], ready["program_id"]);

    // An airdrop lands as a transaction with a status.
    let someone = solana_sdk::signature::Keypair::new().pubkey().to_string();
    let airdrop = rpc(
        url,
        "requestAirdrop",
        json!([someone, 5 * LAMPORTS_PER_SOL]),
    )
    .await;
    let signature = airdrop["result"].as_str().unwrap();
    let statuses = rpc(url, "getSignatureStatuses", json!([[signature]])).await;
    assert_eq!(
        statuses["result"]["value"][0]["confirmationStatus"],
        "finalized"
    );
    let balance = rpc(url, "getBalance", json!([someone])).await;
    assert_eq!(balance["result"]["value"], 5 * LAMPORTS_PER_SOL);

    // A transaction that fails: with preflight it is refused and costs nothing; with
    // skipPreflight it lands failed, pays its fee, and its status says why.
    let sender = solana_sdk::signature::Keypair::new();
    rpc(
        url,
        "requestAirdrop",
        json!([sender.pubkey().to_string(), LAMPORTS_PER_SOL]),
    )
    .await;
    let blockhash = rpc(url, "getLatestBlockhash", json!([])).await;
    let blockhash = blockhash["result"]["value"]["blockhash"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let overdraw = solana_sdk::transaction::Transaction::new_signed_with_payer(
        &[anchor_lang::solana_program::system_instruction::transfer(
            &sender.pubkey(),
            &someone.parse().unwrap(),
            2 * LAMPORTS_PER_SOL,
        )],
        Some(&sender.pubkey()),
        &[&sender],
        blockhash,
    );
    let wire = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        bincode::serialize(&overdraw).unwrap(),
    );
    let sender_balance = || rpc(url, "getBalance", json!([sender.pubkey().to_string()]));
    let refused = rpc(
        url,
        "sendTransaction",
        json!([wire, { "encoding": "base64" }]),
    )
    .await;
    assert_eq!(refused["error"]["code"], -32002, "{refused}");
    assert!(!refused["error"]["data"]["logs"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(sender_balance().await["result"]["value"], LAMPORTS_PER_SOL);
    let sent = rpc(
        url,
        "sendTransaction",
        json!([wire, { "encoding": "base64", "skipPreflight": true }]),
    )
    .await;
    let signature = sent["result"].as_str().unwrap();
    let statuses = rpc(url, "getSignatureStatuses", json!([[signature]])).await;
    assert!(
        statuses["result"]["value"][0]["err"].is_object(),
        "{statuses}"
    );
    assert_eq!(
        sender_balance().await["result"]["value"],
        LAMPORTS_PER_SOL - 5_000
    );

    // The transactions that named an address, newest first: the failed one, then the airdrop.
    let history = |config: Value| {
        rpc(
            url,
            "getSignaturesForAddress",
            json!([sender.pubkey().to_string(), config]),
        )
    };
    let listed = history(json!({})).await["result"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    assert_eq!(listed[0]["signature"], signature);
    assert!(listed[0]["err"].is_object());
    assert!(listed[1]["err"].is_null());
    assert_eq!(
        history(json!({ "limit": 1 })).await["result"],
        json!([listed[0]])
    );
    let older = history(json!({ "before": signature })).await["result"].clone();
    assert_eq!(older, json!([listed[1]]));
    // The demo it serves, for a page that needs a pool to show.
    let demo = rpc(url, "tributaryDemo", json!([])).await["result"].clone();
    assert_eq!(demo["pool"], ready["demo"]["pool"]);

    // Epochs move on request, by a call or by a line on standard input.
    let epoch = |info: &Value| info["result"]["epoch"].as_u64().unwrap();
    let before = epoch(&rpc(url, "getEpochInfo", json!([])).await);
    let moved = rpc(url, "tributaryAdvanceEpochs", json!([2])).await;
    assert_eq!(moved["result"]["epoch"], before + 2);
    stdin.write_all(b"\n").await.unwrap();
    let printed: Value = serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    assert_eq!(printed["epoch"], before + 3);
    assert_eq!(
        epoch(&rpc(url, "getEpochInfo", json!([])).await),
        before + 3
    );

    // What it does not answer, it names.
    let unknown = rpc(url, "getBlockProduction", json!([])).await;
    assert_eq!(unknown["error"]["code"], -32601);
    let message = unknown["error"]["message"].as_str().unwrap();
    assert!(message.contains("getBlockProduction"), "{message}");
    assert!(message.contains("development endpoint"), "{message}");
    let malformed = rpc(url, "getBalance", json!(["not an address"])).await;
    assert_eq!(malformed["error"]["code"], -32602);

    // A browser's CORS preflight is allowed, so a dApp's page can post to it.
    let mut stream = TcpStream::connect(url.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(b"OPTIONS / HTTP/1.1\r\nOrigin: http://localhost:3000\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 204"), "{response}");
    assert!(
        response.contains("Access-Control-Allow-Headers: content-type"),
        "{response}"
    );

    // A lookup table waits for the next slot: the localnet moves one on after a transaction
    // that touched a table, so the operator's command ends.
    let slot = rpc(url, "getSlot", json!([])).await["result"]
        .as_u64()
        .unwrap();
    let pool = ready["demo"]["pool"].as_str().unwrap();
    let mut create = tokio::process::Command::new(env!("CARGO_BIN_EXE_tributary"));
    create
        .args([
            "--url",
            url,
            "--pool",
            pool,
            "--output",
            "json",
            "--keypair",
        ])
        .arg(&keypair)
        .arg("create-lookup-table")
        .env("HOME", home.path());
    let created = tokio::time::timeout(std::time::Duration::from_secs(120), create.output())
        .await
        .expect("create-lookup-table ends")
        .unwrap();
    let stderr = String::from_utf8_lossy(&created.stderr);
    assert!(created.status.success(), "{stderr}");
    let after = rpc(url, "getSlot", json!([])).await["result"]
        .as_u64()
        .unwrap();
    assert!(after > slot, "{slot} {after}");
    child.kill().await.unwrap();
}

/// The lines a child prints.
type Lines = tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>;

/// `tributary localnet --demo WALLET` with `args`, started: the process (its standard input
/// piped), what it prints, and the first thing it printed.
async fn start_demo(wallet: &Path, args: &[&str]) -> (tokio::process::Child, Lines, Value) {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args([
            "localnet",
            "--listen",
            "127.0.0.1:0",
            "--output",
            "json-compact",
        ])
        .args(args)
        .arg("--demo")
        .arg(wallet)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.next_line().await.unwrap().unwrap();
    (child, lines, serde_json::from_str(&ready).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_earns_staking_rewards_and_the_cli_moves_it_without_curl() {
    let home = tempfile::tempdir().unwrap();
    let wallet = home.path().join("demo.json");
    let (mut child, _, ready) = start_demo(&wallet, &["--rewards-ppm", "400"]).await;
    let url = ready["url"].as_str().unwrap();
    let pool: Pubkey = ready["demo"]["pool"].as_str().unwrap().parse().unwrap();
    let run = |args: &[&str]| {
        let mut command = tributary(home.path(), url, &wallet, args);
        command.env("TRIBUTARY_POOL", pool.to_string());
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{args:?}: {stderr}");
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let lamports = |address: Pubkey| async move {
        let reply = rpc(url, "getBalance", json!([address.to_string()])).await;
        reply["result"]["value"].as_u64().unwrap()
    };

    // The faucet, without curl: the wallet gets exactly what it asked for.
    let me = solana_sdk::signature::read_keypair_file(&wallet)
        .unwrap()
        .pubkey();
    let before = lamports(me).await;
    let airdropped = run(&["airdrop", "5"]);
    assert_eq!(airdropped["balance"], before + 5 * LAMPORTS_PER_SOL);
    assert_eq!(lamports(me).await, before + 5 * LAMPORTS_PER_SOL);

    // The demo's strategy delegates: after a deposit and three epochs' cranks, every validator
    // holds active stake.
    run(&["deposit", "90"]);
    for _ in 0..3 {
        let moved = run(&["advance-epochs"]);
        assert_eq!(moved["epochs"], 1);
        run(&["crank"]);
    }
    let shown = run(&["show"]);
    let validators = shown["validators"].as_array().unwrap();
    assert!(
        validators
            .iter()
            .all(|entry| entry["active_lamports"].as_u64().unwrap() > LAMPORTS_PER_SOL),
        "{shown}"
    );

    // At the boundary each active stake account earns 400 millionths, less its validator's
    // commission (5%): 380.
    let vote: Pubkey = validators[0]["vote"].as_str().unwrap().parse().unwrap();
    let stake = tributary_client::PoolAddresses::new(pool).validator_stake(&vote);
    let active = {
        let reply = rpc(
            url,
            "getAccountInfo",
            json!([stake.to_string(), { "encoding": "base64" }]),
        )
        .await;
        let data = reply["result"]["value"]["data"][0].as_str().unwrap();
        let data = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data);
        let state: solana_stake_interface::state::StakeStateV2 =
            bincode::deserialize(&data.unwrap()).unwrap();
        state.delegation().unwrap().stake
    };
    let held = lamports(stake).await;
    let epoch = run(&["advance-epochs", "1"])["epoch"].as_u64().unwrap();
    let reward = u128::from(active) * 400 / 1_000_000;
    let commission = reward * 500 / 10_000;
    assert_eq!(lamports(stake).await - held, (reward - commission) as u64);
    // The pool counts it: the share price rises.
    let price = shown["share_price"].as_f64().unwrap();
    let cranked = run(&["crank"]);
    assert_eq!(cranked["epoch"], epoch);
    assert!(
        cranked["roll"]["rewards"].as_u64().unwrap() > 0,
        "{cranked}"
    );
    assert!(run(&["show"])["share_price"].as_f64().unwrap() > price);

    // A reader with no keypair at all is told where a validator stands: the Stake program's
    // minimum delegation, read by a simulation, needs no funded payer of the reader's.
    let explained = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args([
            "--url",
            url,
            "--output",
            "json",
            "--pool",
            &pool.to_string(),
        ])
        .args(["show", "--validator", &vote.to_string()])
        .env("HOME", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&explained.stderr);
    assert!(explained.status.success(), "{stderr}");
    let explained: Value = serde_json::from_slice(&explained.stdout).unwrap();
    assert!(
        explained["target_lamports"].as_u64().unwrap() > 0,
        "{explained}"
    );

    // Only the localnet moves epochs on request: another endpoint says so.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["--url", "http://127.0.0.1:9", "advance-epochs"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    child.kill().await.unwrap();

    // Started again with the same wallet, the demo has the same pool address (`TRIBUTARY_POOL`
    // keeps serving), afresh.
    let (mut child, _, again) = start_demo(&wallet, &[]).await;
    assert_eq!(again["demo"]["pool"], ready["demo"]["pool"]);
    child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_keeps_its_pool_in_a_state_file_across_restarts() {
    let home = tempfile::tempdir().unwrap();
    let wallet = home.path().join("demo.json");
    let state = home.path().join("localnet-state.json");
    let state_arg = state.to_string_lossy().into_owned();
    let (mut child, _, ready) = start_demo(&wallet, &["--state", &state_arg]).await;
    let url = ready["url"].as_str().unwrap().to_string();
    let run = |url: &str, args: &[&str]| {
        let mut command = tributary(home.path(), url, &wallet, args);
        command.env("TRIBUTARY_POOL", ready["demo"]["pool"].as_str().unwrap());
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{args:?}: {stderr}");
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    run(&url, &["deposit", "20"]);
    run(&url, &["advance-epochs"]);
    run(&url, &["crank"]);
    let ticket = run(&url, &["unstake", "2"])["ticket"].clone();
    let before = run(&url, &["show"]);
    // Stopped as a terminal's Ctrl-C stops it: it writes its state on the way out.
    let pid = child.id().unwrap() as i32;
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    assert!(child.wait().await.unwrap().success());

    // Started again on the state file: the same pool, epoch, holdings and ticket.
    let (mut child, _, again) = start_demo(&wallet, &["--state", &state_arg]).await;
    let url = again["url"].as_str().unwrap();
    assert_eq!(again["demo"]["pool"], ready["demo"]["pool"]);
    let after = run(url, &["show"]);
    for key in [
        "epoch",
        "total_lamports",
        "share_supply",
        "ticket_lamports",
        "holder",
        "validators",
    ] {
        assert_eq!(after[key], before[key], "{key}");
    }
    let tickets = run(url, &["show", "--tickets"]);
    assert_eq!(tickets["tickets"][0]["ticket"], ticket, "{tickets}");
    // And it goes on: the next epoch's crank and the claim land.
    run(url, &["advance-epochs"]);
    run(url, &["crank"]);
    let claimed = run(url, &["claim", ticket.as_str().unwrap()]);
    assert_eq!(claimed["lamports"], 2 * LAMPORTS_PER_SOL, "{claimed}");
    child.kill().await.unwrap();
}
