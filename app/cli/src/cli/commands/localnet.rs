//! `tributary localnet`: the in-process bank served over JSON-RPC (see `crate::localnet`), with
//! an optional demo pool; each line typed on standard input moves it an epoch ahead.

use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;
use solana_sdk::signature::{read_keypair_file, write_keypair_file, Keypair};
use tokio::io::AsyncBufReadExt;
use tokio::net::TcpListener;

use crate::cli::error::CliError;
use crate::cli::output::Output;
use crate::cli::output::OutputFormat;
use crate::localnet::{restore, set_up_demo, Demo, Localnet, Serving};
use crate::simulate::{DEFAULT_REWARDS_PPM, MAX_PPM};
use tributary_client::BankClient;

#[derive(clap::Args, Debug)]
pub struct LocalnetArgs {
    /// Where to listen: an address and port (port 0 takes a free one).
    #[arg(long, default_value = "127.0.0.1:8899")]
    pub listen: SocketAddr,
    /// Sets up a demo pool (three validators) whose admin and operator holds 1,000 SOL: the
    /// keypair in this file if it holds one (never overwritten), else a new one written to it.
    #[arg(long, value_name = "KEYPAIR_FILE")]
    pub demo: Option<PathBuf>,
    /// Staking rewards paid at each epoch boundary to every active delegation it knows, in
    /// millionths of the stake (400: about 7.6% a year over mainnet's epochs), less the
    /// validator's commission.
    #[arg(long, default_value_t = DEFAULT_REWARDS_PPM, value_parser = clap::value_parser!(u64).range(0..=MAX_PPM))]
    pub rewards_ppm: u64,
    /// Keeps its state in this file: read at start when it exists (the demo is not set up
    /// again), written at every epoch it moves and when it stops (Ctrl-C).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
}

/// What the endpoint prints once it answers: first on standard output, so a script can read it.
#[derive(Serialize)]
struct Ready {
    url: String,
    program_id: String,
    demo: Option<Demo>,
    keypair: Option<PathBuf>,
}

impl fmt::Display for Ready {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "JSON-RPC (a development endpoint, not a validator): {}",
            self.url
        )?;
        writeln!(f, "program: {}", self.program_id)?;
        if let (Some(demo), Some(keypair)) = (&self.demo, &self.keypair) {
            writeln!(f, "demo pool: {}", demo.pool)?;
            writeln!(f, "wallet: {} ({})", demo.wallet, keypair.display())?;
            writeln!(f, "validators: {}", demo.validators.join(", "))?;
        }
        write!(f, "Enter moves one epoch ahead; Ctrl-C stops.")
    }
}

/// Serves until Ctrl-C; returns what it did.
pub async fn serve(args: &LocalnetArgs, format: OutputFormat) -> Result<Output, CliError> {
    let listener = TcpListener::bind(args.listen)
        .await
        .map_err(|err| CliError::Invalid(format!("cannot listen on {}: {err}", args.listen)))?;
    let address = listener
        .local_addr()
        .map_err(|err| CliError::Invalid(err.to_string()))?;
    let mut bank = BankClient::start().await;
    let (demo, known) = match (&args.state, &args.demo) {
        (Some(state), _) if state.exists() => {
            restore(&mut bank, state).await.map_err(CliError::Invalid)?
        }
        (_, Some(path)) => {
            let wallet = demo_wallet(path)?;
            let demo = set_up_demo(&mut bank, &wallet).await?;
            let known = demo.accounts.clone();
            (Some(demo), known)
        }
        (_, None) => (None, Vec::new()),
    };
    let ready = Ready {
        url: format!("http://{address}"),
        program_id: bank.program_id().to_string(),
        demo,
        keypair: args.demo.clone(),
    };
    print_now(&Output::of(&ready), format);
    let serving = Serving {
        rewards_ppm: args.rewards_ppm,
        demo: ready.demo.clone(),
        state: args.state.clone(),
        known,
    };
    let endpoint = Localnet::new(bank, serving);
    endpoint.save().await.map_err(CliError::Invalid)?;
    let server = tokio::spawn(endpoint.clone().serve(listener));
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let mut epochs_advanced = 0u64;
    let mut stdin_open = true;
    let mut terminated = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|err| CliError::Invalid(err.to_string()))?;
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = terminated.recv() => break,
            line = lines.next_line(), if stdin_open => match line {
                Ok(Some(_)) => {
                    let moved = endpoint.call("tributaryAdvanceEpochs", &json!([1])).await;
                    let epoch = moved.map(|moved| moved["epoch"].clone()).unwrap_or_default();
                    epochs_advanced += 1;
                    print_now(&Output { text: format!("epoch {epoch}"), json: json!({ "epoch": epoch }) }, format);
                }
                // With no terminal (a script's child), only Ctrl-C or a kill stops it.
                _ => stdin_open = false,
            },
        }
    }
    server.abort();
    endpoint.save().await.map_err(CliError::Invalid)?;
    Ok(Output {
        text: format!("stopped after {epochs_advanced} epoch(s) moved by hand"),
        json: json!({ "stopped": true, "epochs_advanced": epochs_advanced }),
    })
}

/// Prints a line at once, as the run goes: scripts wait for it. A reader that went away
/// misses nothing the endpoint needs.
fn print_now(output: &Output, format: OutputFormat) {
    let mut stdout = std::io::stdout();
    let _ = output.write_to(&mut stdout, format);
    let _ = stdout.flush();
}

/// The demo's wallet: the keypair already in `path`, used as it is (a file is never
/// overwritten: pointed at `~/.config/solana/id.json`, the demo funds that wallet instead of
/// destroying it), or a new keypair written there.
fn demo_wallet(path: &Path) -> Result<Keypair, CliError> {
    if path.exists() {
        return read_keypair_file(path).map_err(|_| {
            CliError::Invalid(format!(
                "{} exists and holds no keypair: the demo never overwrites a file; name a new \
                 file, or a keypair file to use as the demo's wallet",
                path.display()
            ))
        });
    }
    let wallet = Keypair::new();
    write_keypair_file(&wallet, path)
        .map_err(|err| CliError::Invalid(format!("cannot write {}: {err}", path.display())))?;
    Ok(wallet)
}
