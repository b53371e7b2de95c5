//! The CLI over JSON-RPC: a pool's life, the crank through lookup tables, the transaction
//! flags, the keeper, and signers as the Solana CLI takes them.

use super::*;

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
    // What the cap holds back is said, and a second distribution, with nothing new to split
    // and no room under the cap, is not sent: no fee paid, the same amount waiting.
    let held_back = distributed["held_back_to_stakers"].as_u64().unwrap();
    assert!(held_back > 0, "{distributed}");
    let balance = bank.balance(&user.pubkey()).await.unwrap();
    let (ok, again, stderr) = on_pool(&["distribute"]).await;
    assert!(ok, "{stderr}");
    assert_eq!(again["distributions"], 0);
    assert_eq!(again["held_back_to_stakers"], held_back);
    assert_eq!(bank.balance(&user.pubkey()).await.unwrap(), balance);

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

    // A claimed ticket, an account that is no ticket: a sentence, exit code 2, nothing sent.
    let claimed = tickets[0]["ticket"].as_str().unwrap().to_string();
    // The epoch turns: with --no-update a staker's command meets the stale pool's refusal;
    // without, it brings the pool to the epoch first and says so.
    let epoch = node.bank.warp_epochs(1).await.unwrap();
    let (ok, _, stderr) = node.on_pool(&["--no-update", "claim", &claimed]).await;
    assert!(!ok);
    assert!(stderr.contains("StaleEpoch"), "{stderr}");
    let (ok, _, stderr) = node.on_pool(&["claim", &claimed]).await;
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "note: the pool was at epoch {}; brought it to epoch {epoch} first",
            epoch - 1
        )),
        "{stderr}"
    );
    assert_eq!(
        node.bank.pool_state().await.unwrap().last_update_epoch,
        epoch
    );
    let balance = node.bank.balance(&node.user.pubkey()).await.unwrap();
    let gone = format!(
        "error: there is no unstake ticket at {claimed}: it was claimed (a claim closes it) or \
         never existed"
    );
    for args in [["claim", claimed.as_str()], ["show", "--ticket"]] {
        let mut all = vec!["--pool", node.pool.as_str()];
        all.extend_from_slice(&args);
        if args[0] == "show" {
            all.push(&claimed);
        }
        let mut command = tributary(node.home.path(), &node.url, &node.keypair, &all);
        let output = tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with(&gone), "{stderr}");
    }
    let (ok, _, stderr) = node.on_pool(&["claim", &node.pool.clone()]).await;
    assert!(!ok);
    let program = tributary_client::tributary::ID;
    let not_ticket = format!(
        "error: {} is not an unstake ticket (an account of {program})",
        node.pool
    );
    assert!(stderr.starts_with(&not_ticket), "{stderr}");
    let (ok, _, stderr) = node.on_pool(&["show", "--ticket", &owner]).await;
    assert!(!ok);
    assert!(
        stderr
            .contains("is not an unstake ticket (an account of 11111111111111111111111111111111)"),
        "{stderr}"
    );
    assert_eq!(
        node.bank.balance(&node.user.pubkey()).await.unwrap(),
        balance
    );

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
    // A phrase whose BIP39 checksum fails (a mistyped word) is refused, since it would derive
    // another, empty wallet; --skip-seed-phrase-validation takes it, as the Solana CLI does.
    let mistyped = ["abandon"; 12].join(" ");
    let refused = node
        .show_with("prompt://", format!("{mistyped}\n\n"), &[])
        .await;
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("does not check out"), "{stderr}");
    let taken = node
        .show_with(
            "ASK",
            format!("{mistyped}\n\n"),
            &["--skip-seed-phrase-validation"],
        )
        .await;
    assert!(
        taken.status.success(),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    let shown: Value = serde_json::from_slice(&taken.stdout).unwrap();
    let legacy = solana_keypair::keypair_from_seed_phrase_and_passphrase(&mistyped, "").unwrap();
    assert_eq!(shown["holder"]["owner"], legacy.pubkey().to_string());
}
