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
        let output = self.show_with(keypair, input, &[]).await;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{keypair}: {stderr}");
        let shown: Value = serde_json::from_slice(&output.stdout).unwrap();
        shown["holder"]["owner"].as_str().unwrap().to_string()
    }

    /// `show` signed by `keypair`, with `input` on standard input and `flags` besides.
    async fn show_with(
        &self,
        keypair: &str,
        input: String,
        flags: &[&str],
    ) -> std::process::Output {
        use std::io::Write;
        let mut command = tributary(self.home.path(), &self.url, Path::new(keypair), flags);
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
        output
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

mod cli;
mod localnet;
