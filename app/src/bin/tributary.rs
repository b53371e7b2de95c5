//! The `tributary` command line: `simulate` on an in-process bank, every other command over a
//! cluster's RPC (see `tributary_client::cli`).

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use tributary_client::cli::{self, Cli, CliError, Command, Output, OutputFormat, SolanaConfig};
use tributary_client::{PoolClient, Rpc};

async fn run(cli: Cli) -> Result<Output, CliError> {
    if let Command::Simulate(args) = &cli.command {
        return cli::commands::simulate::simulate(args, cli.output).await;
    }
    let config = SolanaConfig::load(cli.config.as_deref())?;
    let url = cli::resolve_url(cli.url.as_deref(), &config);
    cli::check_url(&url)?;
    let keypair = cli::load_keypair(&config.keypair_path(cli.keypair.as_deref()));
    // A read of someone named needs no keypair: nothing is signed or paid.
    let signer = match keypair {
        Err(_) if !cli.command.needs_keypair() => solana_sdk::signature::Keypair::new(),
        keypair => keypair?,
    };
    let mut client = PoolClient::new(Rpc::new(&url, signer.insecure_clone()));
    cli::execute(&mut client, &signer, cli.pool, cli.command).await
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tributary_client::transport::quiet_bank_logs();
    let format = cli.output;
    match run(cli).await {
        Ok(output) => {
            let printed = match format {
                OutputFormat::Display => writeln!(std::io::stdout(), "{}", output.text),
                OutputFormat::Json => writeln!(std::io::stdout(), "{:#}", output.json),
            };
            // A reader that closed the pipe (`| head`) has what it wanted.
            match printed {
                Err(err) if err.kind() != ErrorKind::BrokenPipe => {
                    eprintln!("error: cannot print the answer: {err}");
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
