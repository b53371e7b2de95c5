//! What a newcomer meets before any pool answers: each error a sentence naming its cause, with
//! its exit code (2 for input refused before anything ran, 1 for what the cluster or a file
//! said), and help that lists only what a command takes.

use std::io::{Read, Write};
use std::net::TcpListener;

use solana_sdk::signature::{Keypair, Signer};

use super::{stderr, tributary};

/// A web server that answers every request with HTTP 404: a URL that is no JSON-RPC endpoint.
fn not_found_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    url
}

#[test]
fn what_a_url_reaches_is_named() {
    let home = tempfile::tempdir().unwrap();
    let pool = Keypair::new().pubkey().to_string();
    let owner = Keypair::new().pubkey().to_string();
    let show = |url: &str| {
        let args = ["--url", url, "--pool", &pool, "show", "--owner", &owner];
        tributary(home.path(), &args)
    };
    // A web server, not a node.
    let url = not_found_server();
    let output = show(&url);
    assert_eq!(output.status.code(), Some(1));
    let said = format!(
        "error: {url} answered HTTP 404 Not Found: it is not a Solana JSON-RPC endpoint \
         (check --url)\n"
    );
    assert_eq!(stderr(&output), said);
    // A name that does not resolve (`.invalid` never does).
    let output = show("http://no-such-node.invalid:8899");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with(
            "error: cannot find the host no-such-node.invalid of \
             http://no-such-node.invalid:8899: the name does not resolve"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_bad_url_in_the_config_file_blames_the_file() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.yml");
    std::fs::write(&config, "json_rpc_url: \"htp:/oops\"\n").unwrap();
    let config = config.to_string_lossy().into_owned();
    let output = tributary(home.path(), &["-C", &config, "show"]);
    assert_eq!(output.status.code(), Some(2));
    let said = format!(
        "error: json_rpc_url in {config} \"htp:/oops\" is neither an http(s) URL nor a moniker"
    );
    assert!(stderr(&output).starts_with(&said), "{}", stderr(&output));
}

#[test]
fn a_corrupt_keypair_file_is_not_called_missing() {
    let home = tempfile::tempdir().unwrap();
    let keypair = home.path().join("id.json");
    std::fs::write(&keypair, "[1, 2, 3").unwrap();
    let keypair = keypair.to_string_lossy().into_owned();
    let pool = Keypair::new().pubkey().to_string();
    let output = tributary(home.path(), &["-k", &keypair, "--pool", &pool, "show"]);
    assert_eq!(output.status.code(), Some(1));
    let said = format!("error: cannot read keypair {keypair}: it holds no keypair (");
    assert!(stderr(&output).starts_with(&said), "{}", stderr(&output));
    assert!(stderr(&output).contains("a keypair file is the JSON array of 64 numbers"));
    assert!(!stderr(&output).contains("Create one"));
}

#[test]
fn metadata_too_long_names_the_field_and_its_limit() {
    let home = tempfile::tempdir().unwrap();
    let keypair = home.path().join("id.json");
    solana_sdk::signature::write_keypair_file(&Keypair::new(), &keypair).unwrap();
    let keypair = keypair.to_string_lossy().into_owned();
    let pool = Keypair::new().pubkey().to_string();
    // Refused before any cluster is asked: none answers at this URL.
    let base = ["-u", "http://127.0.0.1:9", "-k", &keypair, "--pool", &pool];
    let cases = [
        (
            ["set-metadata", "--symbol", "ABCDEFGHIJKLMNOP"],
            "symbol is 16 bytes; the most the pool keeps is 10",
        ),
        (
            ["init", "--name", &"n".repeat(33)],
            "name is 33 bytes; the most the pool keeps is 32",
        ),
    ];
    for (command, said) in cases {
        let args: Vec<&str> = base.iter().copied().chain(command).collect();
        let output = tributary(home.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains(&format!(": the token's {said}\n")),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn help_lists_the_global_options_apart_and_only_where_they_count() {
    let home = tempfile::tempdir().unwrap();
    let help = |command: &str| {
        let output = tributary(home.path(), &[command, "--help"]);
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let deposit = help("deposit");
    let (own, global) = deposit.split_once("Global options:").unwrap();
    assert!(own.contains("--slippage-bps"), "{deposit}");
    for option in ["--pool", "--dry-run", "--fee-payer", "--url", "--keypair"] {
        assert!(global.contains(option), "{option} in {deposit}");
    }
    // `-k` names the signer forms the Solana CLI takes.
    assert!(global.contains("`prompt://` or `ASK`"), "{deposit}");
    for command in ["simulate", "localnet"] {
        let help = help(command);
        for option in [
            "--pool",
            "--dry-run",
            "--fee-payer",
            "--url",
            "--keypair",
            "--with-compute-unit-price",
        ] {
            assert!(
                !help.contains(option),
                "{option} in {command}'s help:\n{help}"
            );
        }
        assert!(help.contains("--output"), "{help}");
    }
    let airdrop = help("airdrop");
    assert!(
        airdrop.contains("--url") && !airdrop.contains("--pool"),
        "{airdrop}"
    );
}
