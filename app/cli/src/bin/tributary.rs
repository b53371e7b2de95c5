//! The `tributary` command line: `simulate` on an in-process bank, every other command over a
//! cluster's RPC (see `tributary_cli::cli`).

use std::io::ErrorKind;
use std::process::ExitCode;

use solana_commitment_config::CommitmentConfig;
use solana_sdk::signature::{Keypair, Signer};
use tributary_cli::cli::{self, Cli, CliError, Command, Commitment, Output, SolanaConfig};
use tributary_client::{ClientError, PoolClient, Rpc};

async fn execute_command(cli: Cli) -> Result<Output, CliError> {
    if let Command::Simulate(args) = &cli.command {
        return cli::commands::simulate::simulate(args, cli.output, cli.flags.verbose).await;
    }
    if let Command::Localnet(args) = &cli.command {
        return cli::commands::localnet::serve(args, cli.output).await;
    }
    let config = SolanaConfig::load(cli.config.as_deref())?;
    let url = cli::resolve_url(cli.url.as_deref(), &config);
    cli::check_url(&url, cli.url.as_deref(), &config)?;
    let commitment = commitment(cli.flags.commitment, &config)?;
    let skip_validation = cli.flags.skip_seed_phrase_validation;
    let keypair = cli::load_keypair(
        &config.keypair_path(cli.keypair.as_deref()),
        skip_validation,
    );
    // A read of someone named needs no keypair: nothing is signed or paid.
    let signer = match keypair {
        Err(_) if !cli.command.needs_keypair() => Keypair::new(),
        keypair => keypair?,
    };
    let fee_payer = match &cli.flags.fee_payer {
        Some(path) => cli::load_keypair(path, skip_validation)?,
        None => signer.insecure_clone(),
    };
    let mut client = PoolClient::new(Rpc::with_commitment(&url, fee_payer, commitment));
    let result = match cli.command {
        Command::Airdrop { amount, to } => {
            let to = to.unwrap_or(signer.pubkey());
            cli::commands::cluster::airdrop(&mut client, to, amount).await
        }
        Command::AdvanceEpochs { epochs } => {
            cli::commands::cluster::advance_epochs(&mut client, epochs).await
        }
        command => cli::execute_with(&mut client, &signer, cli.pool, command, &cli.flags).await,
    };
    if cli.flags.verbose {
        for signature in client.signatures() {
            eprintln!("signature: {signature}");
        }
        if let Err(CliError::Client(ClientError::Transaction { logs, .. })) = &result {
            for line in logs {
                eprintln!("log: {line}");
            }
        }
    }
    result
}

/// `--commitment`, else the Solana CLI config's, else confirmed.
fn commitment(
    given: Option<Commitment>,
    config: &SolanaConfig,
) -> Result<CommitmentConfig, CliError> {
    let level = match (given, &config.commitment) {
        (Some(level), _) => level,
        (None, Some(text)) => text.parse().map_err(|_| {
            CliError::Invalid(format!(
                "the Solana CLI config's commitment {text:?} is not processed, confirmed or finalized"
            ))
        })?,
        (None, None) => Commitment::Confirmed,
    };
    Ok(match level {
        Commitment::Processed => CommitmentConfig::processed(),
        Commitment::Confirmed => CommitmentConfig::confirmed(),
        Commitment::Finalized => CommitmentConfig::finalized(),
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::from_args();
    tributary_client::transport::quiet_bank_logs();
    let format = cli.output;
    match execute_command(cli).await {
        Ok(output) => {
            // A reader that closed the pipe (`| head`) has what it wanted.
            match output.write_to(&mut std::io::stdout(), format) {
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
