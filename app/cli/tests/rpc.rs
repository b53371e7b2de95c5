//! The binary in RPC mode, end to end, with no validator: the in-process bank behind the
//! JSON-RPC endpoint of `tributary localnet` (`tributary_cli::localnet`), which answers the
//! calls the Solana RPC client makes. The CLI cannot tell it from a node, so this runs the real
//! `Rpc` transport over HTTP.

use std::path::Path;

use serde_json::{json, Value};
use solana_program_test::BanksClient;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{write_keypair_file, Signer};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tributary_cli::localnet::Localnet;
use tributary_client::tributary::constants::LOCKED_SEED_LAMPORTS;
use tributary_client::{BankClient, LAMPORTS_PER_SOL};

/// Serves JSON-RPC on a local port in front of `bank` (the test keeps its controls, to warp
/// it); returns its URL.
async fn serve(bank: BanksClient) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(Localnet::serving(bank).serve(listener));
    url
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
async fn run_binary(mut command: std::process::Command) -> (bool, Value, String) {
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), json, stderr)
}

/// A user beside a node: the bank behind the endpoint at `url`, a funded keypair in a home of
/// its own, and the pool the binary's `init` made.
struct Node {
    bank: BankClient,
    user: solana_sdk::signature::Keypair,
    url: String,
    home: tempfile::TempDir,
    keypair: std::path::PathBuf,
    pool: String,
}

impl Node {
    async fn with_pool() -> Self {
        let mut bank = BankClient::start().await;
        let user = bank.funded_keypair(50 * LAMPORTS_PER_SOL).await.unwrap();
        let url = serve(bank.context().banks_client.clone()).await;
        let home = tempfile::tempdir().unwrap();
        let keypair = home.path().join("id.json");
        write_keypair_file(&user, &keypair).unwrap();
        let (ok, created, stderr) =
            run_binary(tributary(home.path(), &url, &keypair, &["init"])).await;
        assert!(ok, "{stderr}");
        let pool = created["pool"].as_str().unwrap().to_string();
        bank.use_pool(pool.parse().unwrap());
        Self {
            bank,
            user,
            url,
            home,
            keypair,
            pool,
        }
    }

    /// `show` as the signer `keypair` names (a file, `stdin`, `prompt://`, `ASK`), with
    /// `input` on standard input: whose holdings it shows.
    async fn holder_with(&self, keypair: &str, input: String) -> String {
        use std::io::Write;
        let mut command = tributary(self.home.path(), &self.url, Path::new(keypair), &[]);
        command
            .args(["--pool", &self.pool, "show"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let output = tokio::task::spawn_blocking(move || {
            let mut child = command.spawn().unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{keypair}: {stderr}");
        let shown: Value = serde_json::from_slice(&output.stdout).unwrap();
        shown["holder"]["owner"].as_str().unwrap().to_string()
    }

    /// `show --tickets --owner owner`, run with no keypair.
    async fn tickets_of(&self, owner: &str) -> (bool, Value, String) {
        let nowhere = self.home.path().join("nowhere.json");
        let args = ["--pool", &self.pool, "show", "--tickets", "--owner", owner];
        run_binary(tributary(self.home.path(), &self.url, &nowhere, &args)).await
    }

    /// The binary run on the pool with `args`, as the user.
    async fn on_pool(&self, args: &[&str]) -> (bool, Value, String) {
        let mut all = vec!["--pool", self.pool.as_str()];
        all.extend_from_slice(args);
        run_binary(tributary(self.home.path(), &self.url, &self.keypair, &all)).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_a_pool_over_json_rpc() {
    let node = Node::with_pool().await;
    let Node {
        mut bank,
        user,
        url,
        home,
        keypair,
        pool,
    } = node;
    assert_eq!(bank.pool_state().await.unwrap().admin, user.pubkey());
    let on_pool = |args: &[&str]| {
        let mut all = vec!["--pool", pool.as_str()];
        all.extend_from_slice(args);
        run_binary(tributary(home.path(), &url, &keypair, &all))
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
    let (ok, _, stderr) = run_binary(tributary(home.path(), &url, &empty, &["init"])).await;
    assert!(!ok);
    assert!(
        stderr.starts_with("error: insufficient balance"),
        "{stderr}"
    );
    let args = ["--pool", pool.as_str(), "deposit", "1"];
    let (ok, _, stderr) = run_binary(tributary(home.path(), &url, &empty, &args)).await;
    assert!(!ok);
    assert!(
        stderr.starts_with("error: insufficient balance"),
        "{stderr}"
    );

    // A read of someone named needs no keypair.
    let nowhere = home.path().join("nowhere.json");
    let owner = user.pubkey().to_string();
    let args = ["--pool", pool.as_str(), "show", "--owner", owner.as_str()];
    let (ok, shown, stderr) = run_binary(tributary(home.path(), &url, &nowhere, &args)).await;
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
    let mut command = tributary(home.path(), &url, &keypair, &args);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
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
    let (ok, cranked, stderr) = run_binary(tributary(home.path(), &url, &keypair, &args)).await;
    assert!(ok, "{stderr}");
    // Thirty validators in one v0 transaction (two legacy ones), sent through the RPC client.
    assert_eq!(cranked["update_transactions"], 1, "{cranked}");
    let epoch = bank.clock().await.unwrap().epoch;
    assert_eq!(bank.pool_state().await.unwrap().last_update_epoch, epoch);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transaction_flags_work_over_json_rpc() {
    let mut node = Node::with_pool().await;
    let fee_payer = node.bank.funded_keypair(LAMPORTS_PER_SOL).await.unwrap();
    let payer_file = node.home.path().join("payer.json");
    write_keypair_file(&fee_payer, &payer_file).unwrap();
    let (ok, _, stderr) = node.on_pool(&["deposit", "1"]).await;
    assert!(ok, "{stderr}");
    let user_before = node.bank.balance(&node.user.pubkey()).await.unwrap();
    let shares_before = node.bank.shares_of(&node.user.pubkey()).await.unwrap();

    // A dry run sends nothing; its answer is one line of JSON with `--output json-compact`.
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"));
    command
        .args([
            "--url",
            &node.url,
            "--keypair",
            &node.keypair.to_string_lossy(),
        ])
        .args([
            "--pool",
            &node.pool,
            "--dry-run",
            "--output",
            "json-compact",
        ])
        .args(["deposit", "2"])
        .env("HOME", node.home.path());
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
    assert_eq!(
        node.bank.balance(&node.user.pubkey()).await.unwrap(),
        user_before
    );
    assert_eq!(
        node.bank.shares_of(&node.user.pubkey()).await.unwrap(),
        shares_before
    );

    // Another keypair pays the fee, with a priority fee on the limit given; `-v` prints the
    // signature; `--commitment finalized` waits for finality.
    let payer_before = node.bank.balance(&fee_payer.pubkey()).await.unwrap();
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
    let (ok, deposited, stderr) = node.on_pool(&args).await;
    assert!(ok, "{stderr}");
    let signature = deposited["signature"].as_str().unwrap();
    assert!(
        stderr.contains(&format!("signature: {signature}")),
        "{stderr}"
    );
    assert_eq!(
        user_before - node.bank.balance(&node.user.pubkey()).await.unwrap(),
        2 * LAMPORTS_PER_SOL
    );
    assert_eq!(
        payer_before - node.bank.balance(&fee_payer.pubkey()).await.unwrap(),
        2 * 5_000 + 1_000 * 300_000 / 1_000_000
    );

    // An owner's open tickets, found by getProgramAccounts with a memcmp on the owner, by
    // anyone: no keypair needed.
    for _ in 0..2 {
        let (ok, _, stderr) = node.on_pool(&["unstake", "1"]).await;
        assert!(ok, "{stderr}");
    }
    let owner = node.user.pubkey().to_string();
    let (ok, listed, stderr) = node.tickets_of(&owner).await;
    assert!(ok, "{stderr}");
    let tickets = listed["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 2, "{listed}");
    let owed: u64 = tickets
        .iter()
        .map(|ticket| ticket["lamports"].as_u64().unwrap())
        .sum();
    assert_eq!(listed["lamports"], owed);
    assert!(tickets.iter().all(|ticket| ticket["owner"] == owner));
    let (ok, none, stderr) = node.tickets_of(&Pubkey::new_unique().to_string()).await;
    assert!(ok, "{stderr}");
    assert_eq!(none["tickets"].as_array().unwrap().len(), 0);

    // `-v` on a refusal: the program's logs.
    let (ok, _, stderr) = node.on_pool(&["-v", "deposit", "0"]).await;
    assert!(!ok);
    assert!(
        stderr.contains("log: Program TriyRMx7rPygAiEsXPhNMzPNLUFXwPCmvP5rbudp1ir failed"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keeper_cranks_a_new_epoch_and_stops_on_ctrl_c() {
    use std::io::{BufRead, BufReader};
    let Node {
        mut bank,
        url,
        home,
        keypair,
        pool,
        ..
    } = Node::with_pool().await;
    let epoch = bank.warp_epochs(1).await.unwrap();

    let mut keeper = std::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["--url", &url, "--keypair", &keypair.to_string_lossy()])
        .args(["--pool", &pool, "keeper", "--interval", "1"])
        .env("HOME", home.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = keeper.stdout.take().unwrap();
    let pid = keeper.id().to_string();
    // Read until the crank's line, then stop the keeper as Ctrl-C would.
    let lines = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = Vec::new();
        for line in lines.by_ref().take(20) {
            let line = line.unwrap();
            let cranked = line.contains(": cranked");
            seen.push(line);
            if cranked {
                break;
            }
        }
        std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap();
        seen.extend(lines.map(Result::unwrap));
        seen
    })
    .await
    .unwrap();
    let status = tokio::task::spawn_blocking(move || keeper.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with(&format!("epoch {epoch}: cranked"))),
        "{lines:?}"
    );
    assert!(
        lines.last().unwrap().starts_with("keeper stopped after"),
        "{lines:?}"
    );
    assert_eq!(bank.pool_state().await.unwrap().last_update_epoch, epoch);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signers_come_as_the_solana_cli_takes_them() {
    let node = Node::with_pool().await;
    // A keypair's JSON on standard input.
    let piped = solana_sdk::signature::Keypair::new();
    let json = serde_json::to_string(&piped.to_bytes().to_vec()).unwrap();
    assert_eq!(
        node.holder_with("stdin", json).await,
        piped.pubkey().to_string()
    );
    // A seed phrase and passphrase: ASK derives as the Solana CLI's legacy keys do, prompt://
    // by BIP44, and prompt://?key= another account.
    let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                  abandon abandon about";
    let asked = format!("{phrase}\nsecret\n");
    let legacy = solana_keypair::keypair_from_seed_phrase_and_passphrase(phrase, "secret").unwrap();
    assert_eq!(
        node.holder_with("ASK", asked.clone()).await,
        legacy.pubkey().to_string()
    );
    let seed = solana_seed_phrase::generate_seed_from_seed_phrase_and_passphrase(phrase, "secret");
    let derived = |path: Option<&str>| {
        let path =
            path.map(|path| solana_derivation_path::DerivationPath::from_key_str(path).unwrap());
        solana_keypair::seed_derivable::keypair_from_seed_and_derivation_path(&seed, path)
            .unwrap()
            .pubkey()
            .to_string()
    };
    assert_eq!(
        node.holder_with("prompt://", asked.clone()).await,
        derived(None)
    );
    assert_eq!(
        node.holder_with("prompt://?key=1/0", asked).await,
        derived(Some("1/0"))
    );
    assert_ne!(derived(None), derived(Some("1/0")));
}

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
    let keypair = home.path().join("demo.json");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args([
            "localnet",
            "--listen",
            "127.0.0.1:0",
            "--output",
            "json-compact",
            "--demo",
        ])
        .arg(&keypair)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let ready: Value = serde_json::from_str(&lines.next_line().await.unwrap().unwrap()).unwrap();
    let url = ready["url"].as_str().unwrap();
    let wallet = ready["demo"]["wallet"].as_str().unwrap();
    assert_eq!(ready["demo"]["validators"].as_array().unwrap().len(), 3);
    // The keypair file holds the wallet, funded.
    let written = solana_sdk::signature::read_keypair_file(&keypair).unwrap();
    assert_eq!(written.pubkey().to_string(), wallet);
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
    child.kill().await.unwrap();
}
