//! The `tributary` binary as a user runs it: exit codes and messages for what needs no cluster,
//! and `simulate`, the main job, end to end.

use std::path::Path;
use std::process::{Command, Output};

use solana_sdk::signature::{write_keypair_file, Keypair, Signer};

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
        "pause",
        "unpause",
        "tip",
        "distribute",
        "crank",
        "show",
        "setup",
        "simulate",
    ] {
        assert!(
            help.lines()
                .any(|line| line.trim_start().starts_with(&format!("{command} "))),
            "{command} missing from\n{help}"
        );
    }
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
    assert!(
        stderr(&output).starts_with("error: RPC at http://127.0.0.1:9"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("panicked"));
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
    let epochs = json["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 2);
    assert_eq!(json["seed"], 7);
    assert!(epochs[1]["share_price"].as_f64().unwrap() >= 1.0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("simulation.json")).unwrap())
            .unwrap();
    assert_eq!(written["epochs"], json["epochs"]);
    assert!(std::fs::read_to_string(out.join("simulation.svg"))
        .unwrap()
        .starts_with("<svg"));

    // The table for people, and the same run again for the same seed.
    let output = tributary(home.path(), &args[..args.len() - 2]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("SOL/share") && text.contains("MEV tips:"),
        "{text}"
    );
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("simulation.json")).unwrap())
            .unwrap();
    assert_eq!(again, written);
}
