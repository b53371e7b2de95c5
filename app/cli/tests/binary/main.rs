//! The `tributary` binary as a user runs it: exit codes and messages for what needs no cluster,
//! and `simulate`, the main job, end to end.

use std::path::Path;
use std::process::{Command, Output};

use solana_sdk::signature::{write_keypair_file, Keypair, Signer};

mod errors;

/// Runs the binary with `args` and a home of its own, so no Solana CLI config leaks in.
fn tributary(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(args)
        .env("HOME", home)
        .env_remove("TRIBUTARY_POOL")
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_lists_a_command_for_every_actor() {
    let home = tempfile::tempdir().unwrap();
    let output = tributary(home.path(), &["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for command in [
        "init",
        "deposit",
        "withdraw",
        "deposit-stake",
        "withdraw-stake",
        "unstake",
        "claim",
        "add-validator",
        "remove-validator",
        "set-weight",
        "set-strategy",
        "set-fees",
        "set-metadata",
        "create-lookup-table",
        "pause",
        "unpause",
        "tip",
        "distribute",
        "crank",
        "show",
        "setup",
        "simulate",
        "localnet",
        "airdrop",
        "advance-epochs",
    ] {
        assert!(
            help.lines()
                .any(|line| line.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from\n{help}"
        );
    }
}

#[test]
fn the_demo_never_overwrites_a_file() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("notes.txt");
    std::fs::write(&file, "not a keypair").unwrap();
    let file_name = file.to_string_lossy();
    let output = tributary(
        home.path(),
        &["localnet", "--listen", "127.0.0.1:0", "--demo", &file_name],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("never overwrites a file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a keypair");
}

#[test]
fn a_missing_keypair_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let pool = Keypair::new().pubkey().to_string();
    // The Solana CLI's default keypair, absent from this home.
    let output = tributary(home.path(), &["--pool", &pool, "show"]);
    assert_eq!(output.status.code(), Some(1));
    let default = home.path().join(".config/solana/id.json");
    assert!(
        stderr(&output).contains(&format!("cannot read keypair {}", default.display())),
        "{}",
        stderr(&output)
    );
    // The keypair the Solana CLI's config names.
    let config = home.path().join("config.yml");
    std::fs::write(&config, "keypair_path: /nowhere/id.json\n").unwrap();
    let config = config.to_string_lossy();
    let output = tributary(home.path(), &["--config", &config, "--pool", &pool, "show"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot read keypair /nowhere/id.json"));
    assert!(!stderr(&output).contains("panicked"));
}

#[test]
fn an_unreachable_rpc_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let keypair = home.path().join("id.json");
    write_keypair_file(&Keypair::new(), &keypair).unwrap();
    let pool = Keypair::new().pubkey().to_string();
    let keypair = keypair.to_string_lossy();
    let output = tributary(
        home.path(),
        &[
            "--url",
            "http://127.0.0.1:9",
            "--keypair",
            &keypair,
            "--pool",
            &pool,
            "deposit",
            "1",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let refused = "error: no validator answers at http://127.0.0.1:9 (the connection was refused)";
    assert!(stderr(&output).starts_with(refused), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"));
    // A read of someone named needs no keypair: the same sentence, not the keypair's.
    let owner = Keypair::new().pubkey().to_string();
    let args = [
        "--url",
        "http://127.0.0.1:9",
        "--pool",
        &pool,
        "show",
        "--owner",
        &owner,
    ];
    let output = tributary(home.path(), &args);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with(refused), "{}", stderr(&output));
}

#[test]
fn a_malformed_url_or_a_missing_config_is_refused_first() {
    let home = tempfile::tempdir().unwrap();
    let pool = Keypair::new().pubkey().to_string();
    // Refused before the keypair (there is none here) is read.
    for url in ["notaurl", "ftp://example.org", "http://"] {
        let output = tributary(home.path(), &["--url", url, "--pool", &pool, "show"]);
        assert_eq!(output.status.code(), Some(2), "{url}");
        let said = format!("error: --url {url:?} is neither an http(s) URL nor a moniker");
        assert!(stderr(&output).starts_with(&said), "{}", stderr(&output));
    }
    let output = tributary(
        home.path(),
        &["--config", "/nowhere/config.yml", "--pool", &pool, "show"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: --config /nowhere/config.yml: no such file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_arguments_are_refused_before_anything_runs() {
    let home = tempfile::tempdir().unwrap();
    let output = tributary(home.path(), &["deposit", "1.2.3"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not an amount of SOL"),
        "{}",
        stderr(&output)
    );
    let output = tributary(home.path(), &["--pool", "nope", "show"]);
    assert_eq!(output.status.code(), Some(2));
    let output = tributary(home.path(), &["--output", "yaml", "show"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn simulate_runs_on_its_own_and_writes_its_figures() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("run");
    let out_arg = out.to_string_lossy();
    let args = [
        "simulate",
        "--epochs",
        "2",
        "--stakers",
        "2",
        "--seed",
        "7",
        "--out",
        &out_arg,
        "--output",
        "json",
    ];
    let output = tributary(home.path(), &args);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let designs = json["designs"].as_array().unwrap();
    let names: Vec<&str> = designs
        .iter()
        .map(|d| d["design"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "integrated",
            "jito-like",
            "modular",
            "oracle",
            "declared-blind"
        ]
    );
    let epochs = designs[0]["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 2);
    assert_eq!(json["seed"], 7);
    assert!(epochs[1]["share_price"].as_f64().unwrap() >= 1.0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("simulation.json")).unwrap())
            .unwrap();
    assert_eq!(written["designs"][0]["epochs"], designs[0]["epochs"]);
    assert_eq!(written["designs"][2]["summary"], designs[2]["summary"]);
    for chart in [
        "share-price.svg",
        "mev.svg",
        "stake.svg",
        "sharing-stake.svg",
    ] {
        assert!(std::fs::read_to_string(out.join(chart))
            .unwrap()
            .starts_with("<svg"));
    }

    // The table for people, and the same run again for the same seed.
    let output = tributary(home.path(), &args[..args.len() - 2]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("SOL/share") && text.contains("MEV tips:"),
        "{text}"
    );
    assert!(text.contains("Stakers earned"), "{text}");

    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("simulation.json")).unwrap())
            .unwrap();
    assert_eq!(again, written);
    // Seeds: a range the wrong way round is refused with a sentence, before anything runs; two
    // seeds of two designs give their statistics and write them.
    let mut seeds = args.to_vec();
    seeds.extend(["--seeds", "2-1"]);
    let refused = tributary(home.path(), &seeds);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("the first not after the last"),
        "{}",
        stderr(&refused)
    );
    let mut seeds = args.to_vec();
    seeds.extend(["--seeds", "1-2", "--design", "integrated,modular"]);
    let output = tributary(home.path(), &seeds);
    assert!(output.status.success(), "{}", stderr(&output));
    let study: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(study["study"]["seeds"], serde_json::json!([1, 2]));
    assert_eq!(study["study"]["runs"], 4);
    assert!(out.join("seeds.json").exists() && out.join("seeds-sharing-stake.svg").exists());
    // One design alone; a name that is not a design is refused before anything runs.
    let mut one = args.to_vec();
    one.extend(["--design", "modular"]);
    let output = tributary(home.path(), &one);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["designs"].as_array().unwrap().len(), 1);
    // No vaults in the modular pool (its stakers get only what Jito pays its stake accounts).
    assert_eq!(json["designs"][0]["summary"]["tips_to_vaults"], 0);
    let output = tributary(home.path(), &["simulate", "--design", "monolith"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("\"monolith\" is not a design"),
        "{}",
        stderr(&output)
    );
}

/// Runs `simulate` on `scenario` (TOML text) with `args`, in a home of its own.
fn simulate_scenario(home: &Path, scenario: &str, args: &[&str]) -> Output {
    let path = home.join("scenario.toml");
    std::fs::write(&path, scenario).unwrap();
    let path = path.to_string_lossy();
    let out = home.join("out");
    let out = out.to_string_lossy();
    let mut all = vec!["simulate", "--scenario", &path, "--out", &out];
    all.extend_from_slice(args);
    tributary(home, &all)
}

#[test]
fn simulate_refuses_bad_input_in_one_sentence_before_running() {
    let home = tempfile::tempdir().unwrap();
    let validator = "[[validators]]\nmev_commission_bps = 0\n";
    let cases = [
        (
            format!("{validator}commission = 150\n"),
            vec![],
            "validators[0].commission is 150, but it must be from 0 to 100 percent",
        ),
        (
            "[[validators]]\ncommission = 5\nmev_commission_bps = 10001\n".into(),
            vec![],
            "validators[0].mev_commission_bps is 10001, but it must be from 0 to 10000 basis points",
        ),
        (
            format!("tip = 1\n{validator}commission = 5\n"),
            vec![],
            "unknown field `tip`",
        ),
        (
            format!("rewards_ppm = 18446744073709551615\n{validator}commission = 5\n"),
            vec![],
            "rewards_ppm is 18446744073709551615, but it must be from 0 to 100000 millionths",
        ),
        (
            format!("{validator}commission = 5\n"),
            vec!["--epochs", "0"],
            "epochs is 0, but it must be from 1 to 1000 epochs",
        ),
        (
            format!("{validator}commission = 5\n"),
            vec!["--stakers", "100000"],
            "stakers is 100000, but it must be from 1 to 10000 stakers",
        ),
        (
            "validators = []\n".into(),
            vec![],
            "the number of validators is 0, but it must be from 1 to 100 validators",
        ),
    ];
    for (scenario, args, sentence) in cases {
        let output = simulate_scenario(home.path(), &scenario, &args);
        let stderr = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{scenario}: {stderr}");
        assert!(stderr.contains(sentence), "{scenario}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(output.stdout.is_empty());
    }
    // Nothing ran, so nothing was written.
    assert!(!home.path().join("out/simulation.json").exists());

    // An output folder that cannot be made is found before the run, not after it.
    let file = home.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = file.join("out");
    let output = tributary(home.path(), &["simulate", "--out", &out.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(&format!("error: cannot write to {}", out.display())),
        "{}",
        stderr(&output)
    );
}

#[test]
fn simulate_ends_quietly_when_its_reader_goes_away() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["simulate", "--epochs", "3", "--out", &out.to_string_lossy()])
        .env("HOME", home.path())
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -1`: read the title, then close the pipe.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("Tributary simulation"), "{first}");
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn a_hardware_wallet_is_refused_with_why() {
    let home = tempfile::tempdir().unwrap();
    let pool = Keypair::new().pubkey().to_string();
    let output = tributary(
        home.path(),
        &["--keypair", "usb://ledger", "--pool", &pool, "show"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: usb://ledger: hardware wallets need"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_program_id_that_is_no_address_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_tributary"))
        .args(["show"])
        .env("HOME", home.path())
        .env("TRIBUTARY_PROGRAM_ID", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--program-id"),
        "{}",
        stderr(&output)
    );
}
