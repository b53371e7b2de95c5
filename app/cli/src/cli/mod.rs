//! The `tributary` command line: its arguments (`args.rs`), the Solana CLI conventions it
//! follows (`config.rs`), its errors (`error.rs`) and answers (`output.rs`, `views.rs`), and one
//! file of commands per actor (`commands/`), each a few calls on `PoolClient`, so the same code
//! runs over a cluster's RPC and, in the tests, over an in-process bank.

use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use clap::{Parser, Subcommand};
use solana_sdk::signature::{Keypair, Signer};

pub mod args;
pub mod commands;
pub mod config;
pub mod dry_run;
pub mod error;
pub mod output;
pub mod pool;
pub mod program_logs;
pub mod views;

pub use args::{
    Address, Commitment, FeeArgs, InitArgs, SimulateArgs, Slippage, SolAmount, StrategyArgs,
    TokenAmount, TxFlags,
};
pub use config::{check_url, load_keypair, resolve_url, SolanaConfig, MONIKERS};
pub use error::{describe_client_error, program_error, CliError};
pub use output::{sol, Output, OutputFormat};
pub use pool::open_pool;

use tributary_client::transport::Transport;
use tributary_client::{ClientError, PoolClient};

#[derive(Parser, Debug)]
#[command(
    name = "tributary",
    version,
    about = "Tributary: liquid staking with MEV tips built in",
    after_help = "`tributary simulate` needs nothing else: it runs a pool in an in-process bank. \
                  The other commands talk to a cluster where the program is deployed.",
    next_help_heading = "Global options"
)]
pub struct Cli {
    /// RPC URL or moniker: localhost, devnet, testnet, mainnet-beta (or l, d, t, m).
    /// Default: the Solana CLI config's, else localhost.
    #[arg(long, short = 'u', global = true)]
    pub url: Option<String>,
    /// The signer, who also pays: a keypair file, `prompt://` or `ASK` (a seed phrase, asked),
    /// or `stdin` (a keypair's JSON on standard input), as the Solana CLI takes them. Default:
    /// the Solana CLI config's keypair_path, else ~/.config/solana/id.json.
    #[arg(long, short = 'k', global = true, value_name = "KEYPAIR")]
    pub keypair: Option<PathBuf>,
    /// The Solana CLI config file to read defaults from.
    #[arg(long, short = 'C', global = true)]
    pub config: Option<PathBuf>,
    /// The pool's address (`tributary init` prints it).
    #[arg(long, global = true, env = "TRIBUTARY_POOL")]
    pub pool: Option<Pubkey>,
    /// How to print results.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Display)]
    pub output: OutputFormat,
    #[command(flatten)]
    pub flags: TxFlags,
    #[command(subcommand)]
    pub command: Command,
}

/// The global options that talk to a pool on a cluster: commands that run their own bank or only
/// ask a cluster's faucet or clock ignore them, and their help does not list them.
const POOL_OPTIONS: [&str; 8] = [
    "pool",
    "program_id",
    "compute_unit_price",
    "compute_unit_limit",
    "fee_payer",
    "skip_seed_phrase_validation",
    "dry_run",
    "no_update",
];
/// The options that reach a cluster: `simulate` and `localnet` ignore them too.
const CLUSTER_OPTIONS: [&str; 4] = ["url", "keypair", "config", "commitment"];

impl Cli {
    /// The command line from the process's arguments (exits with clap's message when they do
    /// not parse); each command's help lists only the global options it takes.
    pub fn from_args() -> Self {
        let mut command = <Cli as clap::CommandFactory>::command();
        // A command with an argument of a global's name keeps its own: these, hidden, take the
        // place of the globals it ignores.
        let hidden = |ids: &[&str]| -> Vec<clap::Arg> {
            (command.get_arguments())
                .filter(|arg| ids.contains(&arg.get_id().as_str()))
                .map(|arg| arg.clone().global(false).hide(true))
                .collect()
        };
        let off_cluster = [hidden(&POOL_OPTIONS), hidden(&CLUSTER_OPTIONS)].concat();
        let off_pool = hidden(&POOL_OPTIONS);
        for (name, args) in [
            ("simulate", &off_cluster),
            ("localnet", &off_cluster),
            ("airdrop", &off_pool),
            ("advance-epochs", &off_pool),
        ] {
            command = command.mut_subcommand(name, |sub| sub.args(args.iter().cloned()));
        }
        let matches = command.get_matches();
        <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|err| err.exit())
    }
}

impl Command {
    /// Whether a stale pool would refuse the command, a staker's: it brings the pool to the
    /// epoch first (`--no-update` not to).
    pub fn is_staker(&self) -> bool {
        matches!(
            self,
            Command::Deposit { .. }
                | Command::Withdraw { .. }
                | Command::DepositStake { .. }
                | Command::WithdrawStake { .. }
                | Command::Unstake { .. }
                | Command::Claim { .. }
        )
    }

    /// Whether the command signs or needs the keypair's address: all but `show` of someone
    /// named, a ticket or a validator, which read and send nothing, an airdrop to someone named
    /// and `advance-epochs`.
    pub fn needs_keypair(&self) -> bool {
        match self {
            Command::Show {
                validator,
                ticket,
                owner,
                ..
            } => validator.is_none() && ticket.is_none() && owner.is_none(),
            Command::Airdrop { to, .. } => to.is_none(),
            Command::AdvanceEpochs { .. } => false,
            _ => true,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Creates a pool, with you as its admin, and its tip accounts; prints its address.
    Init(InitArgs),
    /// Deposits SOL for trSOL (alias: deposit-sol, as the SPL stake pool's CLI names it).
    #[command(alias = "deposit-sol")]
    Deposit {
        /// SOL to deposit.
        amount: SolAmount,
        #[command(flatten)]
        slippage: Slippage,
    },
    /// Redeems trSOL for SOL from the reserve at once (alias: withdraw-sol).
    #[command(alias = "withdraw-sol")]
    Withdraw {
        /// SOL worth of trSOL to redeem, or ALL.
        amount: TokenAmount,
        #[command(flatten)]
        slippage: Slippage,
    },
    /// Deposits an active stake account delegated to one of the pool's validators.
    DepositStake {
        stake_account: Pubkey,
        #[command(flatten)]
        slippage: Slippage,
    },
    /// Redeems trSOL for a stake account split off a validator's stake.
    WithdrawStake {
        /// SOL worth of trSOL to redeem, or ALL.
        amount: TokenAmount,
        /// The validator (vote account) to split from; default: the one with the most stake.
        #[arg(long)]
        validator: Option<Pubkey>,
        #[command(flatten)]
        slippage: Slippage,
    },
    /// Redeems trSOL for a ticket, claimable for SOL after the next epoch boundary.
    Unstake {
        /// SOL worth of trSOL to redeem, or ALL.
        amount: TokenAmount,
    },
    /// Claims an unstake ticket's SOL.
    Claim { ticket: Pubkey },
    /// Adds a validator (operator).
    AddValidator { vote: Pubkey },
    /// Removes a validator; its stake returns over the next epochs' cranks (operator).
    RemoveValidator { vote: Pubkey },
    /// Sets a validator's weight for Manual mode (operator).
    SetWeight { vote: Pubkey, weight: u32 },
    /// Keeps the pool as a service: the crank and rebalancing once per epoch, and `distribute`
    /// for every vault holding more than a threshold; retries with backoff when the RPC fails;
    /// one line per action; stops on Ctrl-C.
    Keeper {
        /// SOL of tips a vault must hold before it is distributed.
        #[arg(long, default_value = "0.01")]
        distribute_threshold: SolAmount,
        /// Seconds between rounds.
        #[arg(long, default_value_t = 60)]
        interval: u64,
    },
    /// Creates the pool's address lookup tables, or adds the validators added since (operator,
    /// who owns and pays for them); the crank then packs more validators per transaction.
    CreateLookupTable,
    /// Changes the delegation strategy; settings not given stay as they are (operator).
    SetStrategy(StrategyArgs),
    /// Changes the fees; fees not given stay as they are. Raises apply two epochs later (admin).
    SetFees(FeeArgs),
    /// Changes the token's name, symbol or URI, as wallets show them; those not given stay as
    /// they are. Pays the rent a longer metadata needs (admin).
    SetMetadata {
        #[arg(long, value_parser = args::token_name)]
        name: Option<String>,
        #[arg(long, value_parser = args::token_symbol)]
        symbol: Option<String>,
        /// Where the token's off-chain metadata (logo, description) is: an https or ipfs URI of
        /// a JSON file.
        #[arg(long, value_parser = args::token_uri)]
        uri: Option<String>,
    },
    /// Stops deposits; withdrawals keep working (admin).
    Pause,
    /// Lets deposits in again (admin).
    Unpause,
    /// Proposes a new admin, who takes over once it runs accept-admin (admin).
    ProposeAdmin { new_admin: Pubkey },
    /// Takes over as admin (the proposed admin).
    AcceptAdmin,
    /// Makes another key the operator, who manages validators and delegation (admin).
    SetOperator { operator: Pubkey },
    /// Sends the fee shares to OWNER's token account of the pool's token from now on, creating
    /// it when it does not exist (admin).
    SetTreasury { owner: Pubkey },
    /// How far tips may raise the share price in an epoch, in basis points (admin).
    SetTipRateCap { bps: u16 },
    /// Declares a validator's commission on its vault's tips and where it is paid (the
    /// validator: its vote account's withdrawer signs); a raise applies from the next epoch.
    SetMevCommission {
        /// The validator's vote account.
        vote: Pubkey,
        /// The commission, in basis points; above the pool's cap the validator scores zero.
        #[arg(long)]
        commission_bps: u16,
        /// Where the commission is paid; default: the signer.
        #[arg(long)]
        payout: Option<Pubkey>,
    },
    /// Gives an unstake ticket to another owner (its owner).
    TransferTicket { ticket: Pubkey, new_owner: Pubkey },
    /// Tips a validator's tip account, or one of the pool's own (searcher).
    Tip {
        /// SOL to tip.
        amount: SolAmount,
        /// The validator (vote account) whose tip account to pay; default: a pool tip account.
        #[arg(long)]
        validator: Option<Pubkey>,
    },
    /// Splits the tips waiting in the tip accounts between validators, protocol and stakers.
    Distribute {
        /// Only this validator's (vote account) tip account.
        #[arg(long)]
        validator: Option<Pubkey>,
    },
    /// The epoch's work, for anyone: updates the validators and the pool, distributes the tips,
    /// scores the validators and moves stake towards their targets (alias: update).
    #[command(alias = "update")]
    Crank,
    /// The pool, its validators, and your holdings; or one validator's MEV ledger or a ticket
    /// (alias: list).
    #[command(alias = "list")]
    Show {
        /// One validator (vote account): its score and the parts of it, its rank, its target and
        /// stake, what holds it there and what would raise it, and its MEV ledger.
        #[arg(long)]
        validator: Option<Pubkey>,
        /// An unstake ticket.
        #[arg(long)]
        ticket: Option<Pubkey>,
        /// Whose holdings (or tickets) to show; default: the keypair's.
        #[arg(long)]
        owner: Option<Pubkey>,
        /// The owner's open unstake tickets (needs an RPC node that serves
        /// getProgramAccounts).
        #[arg(long, conflicts_with_all = ["validator", "ticket"])]
        tickets: bool,
    },
    /// Sets up a pool from a TOML file: creates it unless it exists, then its strategy,
    /// validators and weights; safe to run again (see migrations/).
    Setup {
        /// The setup file.
        file: PathBuf,
    },
    /// Runs a scenario through the integrated design and modular pools, each in an in-process
    /// bank (nothing to install), and compares where the MEV and the rewards went.
    Simulate(SimulateArgs),
    /// Serves an in-process bank with the program over JSON-RPC, for machines without the
    /// Solana toolchain: a development endpoint, not a validator (see the README).
    Localnet(commands::localnet::LocalnetArgs),
    /// Asks the cluster's faucet for SOL (`tributary localnet`, a test validator, devnet), as
    /// `solana airdrop` does.
    Airdrop {
        /// SOL to ask for.
        amount: SolAmount,
        /// Who receives it; default: the keypair.
        #[arg(long)]
        to: Option<Pubkey>,
    },
    /// Moves `tributary localnet` epochs ahead, paying staking rewards at each boundary (other
    /// clusters move theirs with time).
    AdvanceEpochs {
        /// How many, from 1 to 100.
        #[arg(default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=100))]
        epochs: u64,
    },
}

/// Runs `command` for `signer` with the transaction flags: sends as they say, and for `--dry-run` answers
/// with what would have been sent.
pub async fn execute_with<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    pool: Option<Pubkey>,
    command: Command,
    flags: &TxFlags,
) -> Result<Output, CliError> {
    if let Some(program_id) = flags.program_id {
        client.set_program_id(program_id);
    }
    client.set_send_options(flags.send_options());
    let output = execute(client, signer, pool, command, flags).await;
    if !flags.dry_run {
        return output;
    }
    let simulated = client.dry_run_transactions();
    match output {
        Ok(output) => Ok(dry_run::DryRun::output(simulated, Ok(output))),
        Err(CliError::Client(stop @ ClientError::DryRunStops { .. })) => {
            Ok(dry_run::DryRun::output(simulated, Err(stop)))
        }
        Err(error) => Err(error),
    }
}

/// Runs one command (every subcommand but `simulate` and `localnet`) for `signer`.
async fn execute<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    pool: Option<Pubkey>,
    command: Command,
    flags: &TxFlags,
) -> Result<Output, CliError> {
    use commands::*;
    match command {
        Command::Init(args) => {
            admin::init(client, signer, args, flags.skip_seed_phrase_validation).await
        }
        Command::Setup { file } => {
            setup::apply(
                client,
                signer,
                pool,
                &file,
                flags.skip_seed_phrase_validation,
            )
            .await
        }
        Command::Simulate(_) | Command::Localnet(_) => Err(CliError::Invalid(
            "simulate and localnet run their own bank, not on a cluster".into(),
        )),
        Command::Airdrop { .. } | Command::AdvanceEpochs { .. } => Err(CliError::Invalid(
            "airdrop and advance-epochs ask a cluster over JSON-RPC".into(),
        )),
        command => {
            open_pool(client, pool).await?;
            if command.is_staker() && !flags.no_update {
                crank::bring_to_epoch(client).await?;
            }
            pool_command(client, signer, command).await
        }
    }
}

/// Runs a command on the pool `client` points at.
async fn pool_command<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    command: Command,
) -> Result<Output, CliError> {
    use commands::*;
    match command {
        Command::Deposit { amount, slippage } => {
            staker::deposit(client, signer, amount, slippage).await
        }
        Command::Withdraw { amount, slippage } => {
            staker::withdraw(client, signer, amount, slippage).await
        }
        Command::DepositStake {
            stake_account,
            slippage,
        } => staker::deposit_stake(client, signer, stake_account, slippage).await,
        Command::WithdrawStake {
            amount,
            validator,
            slippage,
        } => staker::withdraw_stake(client, signer, amount, validator, slippage).await,
        Command::Unstake { amount } => staker::unstake(client, signer, amount).await,
        Command::Claim { ticket } => staker::claim(client, signer, ticket).await,
        Command::AddValidator { vote } => operator::add_validator(client, signer, vote).await,
        Command::RemoveValidator { vote } => operator::remove_validator(client, signer, vote).await,
        Command::SetWeight { vote, weight } => {
            operator::set_weight(client, signer, vote, weight).await
        }
        Command::SetStrategy(args) => operator::set_strategy(client, signer, args).await,
        Command::CreateLookupTable => operator::create_lookup_table(client, signer).await,
        Command::SetFees(args) => admin::set_fees(client, signer, args).await,
        Command::SetMetadata { name, symbol, uri } => {
            let args = tributary::instructions::SetMetadataArgs { name, symbol, uri };
            admin::set_metadata(client, signer, args).await
        }
        Command::Pause => admin::set_paused(client, signer, true).await,
        Command::Unpause => admin::set_paused(client, signer, false).await,
        Command::ProposeAdmin { new_admin } => {
            roles::propose_admin(client, signer, new_admin).await
        }
        Command::AcceptAdmin => roles::accept_admin(client, signer).await,
        Command::SetOperator { operator } => roles::set_operator(client, signer, operator).await,
        Command::SetTreasury { owner } => roles::set_treasury(client, signer, owner).await,
        Command::SetTipRateCap { bps } => roles::set_tip_rate_cap(client, signer, bps).await,
        Command::SetMevCommission {
            vote,
            commission_bps,
            payout,
        } => roles::set_mev_commission(client, signer, vote, commission_bps, payout).await,
        Command::TransferTicket { ticket, new_owner } => {
            roles::transfer_ticket(client, signer, ticket, new_owner).await
        }
        Command::Tip { amount, validator } => mev::tip(client, signer, amount, validator).await,
        Command::Distribute { validator } => mev::distribute(client, validator).await,
        Command::Crank => crank::crank(client).await,
        Command::Keeper {
            distribute_threshold,
            interval,
        } => keeper::keeper(client, distribute_threshold.0, interval).await,
        Command::Show {
            validator,
            ticket,
            owner,
            tickets,
        } => {
            let owner = owner.unwrap_or(signer.pubkey());
            match (ticket, validator) {
                (Some(ticket), _) => show::ticket(client, ticket).await,
                (None, Some(vote)) => explain::validator(client, vote).await,
                (None, None) if tickets => show::tickets(client, owner).await,
                (None, None) => show::pool(client, owner).await,
            }
        }
        Command::Init(_)
        | Command::Setup { .. }
        | Command::Simulate(_)
        | Command::Localnet(_)
        | Command::Airdrop { .. }
        | Command::AdvanceEpochs { .. } => unreachable!("handled by execute"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_solana_cli_names_are_taken_too() {
        let parse = |args: &str| {
            Cli::try_parse_from(std::iter::once("tributary").chain(args.split_whitespace()))
                .unwrap()
        };
        assert!(matches!(
            parse("deposit-sol 1").command,
            Command::Deposit { .. }
        ));
        assert!(matches!(
            parse("withdraw-sol ALL").command,
            Command::Withdraw { .. }
        ));
        assert!(matches!(parse("update").command, Command::Crank));
        assert!(matches!(parse("list").command, Command::Show { .. }));
        assert_eq!(
            parse("-C /tmp/config.yml show").config,
            Some(PathBuf::from("/tmp/config.yml"))
        );
        // DEFAULT: no limit instruction and no estimate, the runtime's own limit.
        let options = parse("--with-compute-unit-limit DEFAULT crank")
            .flags
            .send_options();
        assert_eq!(
            (options.compute_unit_limit, options.estimate_compute_limit),
            (None, false)
        );
        let options = parse("--with-compute-unit-limit 300000 crank")
            .flags
            .send_options();
        assert_eq!(options.compute_unit_limit, Some(300_000));
        let options = parse("crank").flags.send_options();
        assert_eq!(
            (options.compute_unit_limit, options.estimate_compute_limit),
            (None, true)
        );
        assert!(
            Cli::try_parse_from(["tributary", "--with-compute-unit-limit", "lots", "crank"])
                .is_err()
        );
    }
}
