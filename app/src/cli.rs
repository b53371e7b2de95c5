//! The `tributary` command line: its arguments, the Solana CLI conventions it follows (`--url`
//! monikers, the configured keypair), and each subcommand as calls on `PoolClient`, so the same
//! code runs over a cluster's RPC and, in the tests, over an in-process bank.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::{json, Value};
use solana_sdk::signature::{read_keypair_file, Keypair, Signer};
use tributary::constants::{DEFAULT_TIP_RATE_CAP_BPS, MINT_DECIMALS};
use tributary::events::ClaimTicketEvent;
use tributary::instructions::InitializePoolArgs;
use tributary::math::{quote_deposit, quote_withdraw, share_price};
use tributary::state::{strategy_mode, Fees, Pool, Strategy, ValidatorEntry};

use crate::events::DistributionTotals;
use crate::pda::{find_mev_vault, find_pool_tip_accounts};
use crate::simulate::{EpochReport, SimulationConfig};
use crate::state::decode_pool;
use crate::transport::Transport;
use crate::{ClientError, PoolClient, LAMPORTS_PER_SOL};

/// The Solana CLI's cluster monikers.
pub const MONIKERS: [(&str, &str, &str); 4] = [
    ("localhost", "l", "http://localhost:8899"),
    ("devnet", "d", "https://api.devnet.solana.com"),
    ("testnet", "t", "https://api.testnet.solana.com"),
    ("mainnet-beta", "m", "https://api.mainnet-beta.solana.com"),
];

/// Fee margin kept for the signer's own transaction fees when it also pays them.
const FEE_MARGIN_LAMPORTS: u64 = 50_000;

#[derive(Parser, Debug)]
#[command(
    name = "tributary",
    version,
    about = "Tributary: liquid staking with MEV tips built in",
    after_help = "`tributary simulate` needs nothing else: it runs a pool in an in-process bank. \
                  The other commands talk to a cluster where the program is deployed."
)]
pub struct Cli {
    /// RPC URL or moniker: localhost, devnet, testnet, mainnet-beta (or l, d, t, m).
    /// Default: the Solana CLI config's, else localhost.
    #[arg(long, short = 'u', global = true)]
    pub url: Option<String>,
    /// Keypair file that signs and pays. Default: the Solana CLI config's keypair_path, else
    /// ~/.config/solana/id.json.
    #[arg(long, short = 'k', global = true)]
    pub keypair: Option<PathBuf>,
    /// The Solana CLI config file to read defaults from.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// The pool's address (`tributary init` prints it).
    #[arg(long, global = true, env = "TRIBUTARY_POOL")]
    pub pool: Option<Pubkey>,
    /// How to print results.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Display)]
    pub output: OutputFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Display,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Creates a pool, with you as its admin, and its tip accounts; prints its address.
    Init(InitArgs),
    /// Deposits SOL for pool tokens.
    Deposit {
        /// SOL to deposit.
        amount: SolAmount,
        #[command(flatten)]
        slippage: Slippage,
    },
    /// Redeems pool tokens for SOL from the reserve at once.
    Withdraw {
        /// SOL worth of pool tokens to redeem, or ALL.
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
    /// Redeems pool tokens for a stake account split off a validator's stake.
    WithdrawStake {
        /// SOL worth of pool tokens to redeem, or ALL.
        amount: TokenAmount,
        /// The validator (vote account) to split from; default: the one with the most stake.
        #[arg(long)]
        validator: Option<Pubkey>,
        #[command(flatten)]
        slippage: Slippage,
    },
    /// Redeems pool tokens for a ticket, claimable for SOL after the next epoch boundary.
    Unstake {
        /// SOL worth of pool tokens to redeem, or ALL.
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
    /// Changes the delegation strategy; settings not given stay as they are (operator).
    SetStrategy(StrategyArgs),
    /// Changes the fees; fees not given stay as they are. Raises apply two epochs later (admin).
    SetFees(FeeArgs),
    /// Stops deposits; withdrawals keep working (admin).
    Pause,
    /// Lets deposits in again (admin).
    Unpause,
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
    /// scores the validators and moves stake towards their targets.
    Crank,
    /// The pool, its validators, and your holdings; or one validator's MEV ledger or a ticket.
    Show {
        /// One validator's (vote account) MEV ledger.
        #[arg(long)]
        validator: Option<Pubkey>,
        /// An unstake ticket.
        #[arg(long)]
        ticket: Option<Pubkey>,
        /// Whose holdings to show; default: the keypair's, when there is one.
        #[arg(long)]
        owner: Option<Pubkey>,
    },
    /// Sets up a pool from a TOML file: creates it unless it exists, then its strategy,
    /// validators and weights; safe to run again (see migrations/).
    Setup {
        /// The setup file.
        file: PathBuf,
    },
    /// Runs a pool in an in-process bank (nothing to install) and prints its ledger each epoch.
    Simulate(SimulateArgs),
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The pool's keypair file; default: a new keypair (the pool needs it only to be created).
    #[arg(long)]
    pub pool_keypair: Option<PathBuf>,
    /// Who manages validators and delegation; default: you.
    #[arg(long)]
    pub operator: Option<Pubkey>,
    /// Owner of the token account that receives fees; default: you.
    #[arg(long)]
    pub treasury: Option<Pubkey>,
    /// How far tips may raise the share price in one epoch, in basis points.
    #[arg(long, default_value_t = DEFAULT_TIP_RATE_CAP_BPS)]
    pub tip_rate_cap_bps: u16,
    #[arg(long, default_value = "Tributary Staked SOL")]
    pub name: String,
    #[arg(long, default_value = "trSOL")]
    pub symbol: String,
    #[arg(long, default_value = "")]
    pub uri: String,
    #[command(flatten)]
    pub fees: FeeArgs,
}

/// Each fee in basis points; one not given keeps its current value (`init`: zero).
#[derive(Args, Debug, Default, Clone)]
pub struct FeeArgs {
    #[arg(long)]
    pub deposit_bps: Option<u16>,
    #[arg(long)]
    pub withdrawal_bps: Option<u16>,
    #[arg(long)]
    pub ticket_bps: Option<u16>,
    #[arg(long)]
    pub epoch_bps: Option<u16>,
    #[arg(long)]
    pub mev_bps: Option<u16>,
    #[arg(long)]
    pub mev_commission_cap_bps: Option<u16>,
}

impl FeeArgs {
    pub fn over(&self, base: Fees) -> Fees {
        Fees {
            deposit_bps: self.deposit_bps.unwrap_or(base.deposit_bps),
            withdrawal_bps: self.withdrawal_bps.unwrap_or(base.withdrawal_bps),
            ticket_bps: self.ticket_bps.unwrap_or(base.ticket_bps),
            epoch_bps: self.epoch_bps.unwrap_or(base.epoch_bps),
            mev_bps: self.mev_bps.unwrap_or(base.mev_bps),
            mev_commission_cap_bps: self
                .mev_commission_cap_bps
                .unwrap_or(base.mev_commission_cap_bps),
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Stake follows the operator's weights.
    Manual,
    /// Stake follows what each validator returns to stakers.
    Scored,
}

impl Mode {
    pub fn code(self) -> u8 {
        match self {
            Mode::Manual => strategy_mode::MANUAL,
            Mode::Scored => strategy_mode::SCORED,
        }
    }
}

/// Strategy settings; one not given keeps its current value.
#[derive(Args, Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyArgs {
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// The most one validator may hold, as a share of the pool.
    #[arg(long)]
    pub validator_cap_bps: Option<u16>,
    /// What the reserve keeps liquid for instant withdrawals.
    #[arg(long)]
    pub reserve_buffer_bps: Option<u16>,
    /// The most stake rebalancing may move in one epoch.
    #[arg(long)]
    pub max_move_bps: Option<u16>,
}

impl StrategyArgs {
    pub fn over(&self, base: Strategy) -> Strategy {
        Strategy {
            mode: self.mode.map_or(base.mode, Mode::code),
            validator_cap_bps: self.validator_cap_bps.unwrap_or(base.validator_cap_bps),
            reserve_buffer_bps: self.reserve_buffer_bps.unwrap_or(base.reserve_buffer_bps),
            max_move_bps: self.max_move_bps.unwrap_or(base.max_move_bps),
        }
    }
}

#[derive(Args, Debug, Clone, Copy)]
pub struct Slippage {
    /// How far below the quote the result may land, in basis points.
    #[arg(long, default_value_t = 50)]
    pub slippage_bps: u16,
}

impl Slippage {
    /// The least acceptable outcome for a quote of `expected`.
    pub fn minimum(&self, expected: u64) -> u64 {
        let kept = 10_000u128.saturating_sub(u128::from(self.slippage_bps));
        (u128::from(expected) * kept / 10_000) as u64
    }
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// A scenario file (TOML; see scenarios/); the built-in default otherwise.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Epochs to run, instead of the scenario's.
    #[arg(long)]
    pub epochs: Option<u64>,
    /// Stakers depositing and withdrawing, instead of the scenario's.
    #[arg(long)]
    pub stakers: Option<usize>,
    /// The seed, instead of the scenario's: the same seed gives the same run.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Folder for simulation.json and simulation.svg.
    #[arg(long, default_value = "simulation")]
    pub out: PathBuf,
}

/// An amount of SOL, parsed exactly (no floating point) into lamports; in files, a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct SolAmount(pub u64);

impl TryFrom<String> for SolAmount {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

impl FromStr for SolAmount {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let invalid = || format!("{text:?} is not an amount of SOL (e.g. 1.5)");
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
            return Err(invalid());
        }
        if fraction.len() > 9 {
            return Err(format!(
                "{text:?} has more than 9 decimals (1 lamport is 0.000000001 SOL)"
            ));
        }
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| invalid())?
        };
        let fraction: u64 = format!("{fraction:0<9}").parse().map_err(|_| invalid())?;
        whole
            .checked_mul(LAMPORTS_PER_SOL)
            .and_then(|lamports| lamports.checked_add(fraction))
            .map(SolAmount)
            .ok_or_else(|| format!("{text:?} is more SOL than there is"))
    }
}

/// Pool tokens to redeem: what they are worth in SOL, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAmount {
    Sol(u64),
    All,
}

impl FromStr for TokenAmount {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.eq_ignore_ascii_case("all") {
            return Ok(TokenAmount::All);
        }
        SolAmount::from_str(text).map(|amount| TokenAmount::Sol(amount.0))
    }
}

/// Lamports as SOL, exactly, without trailing zeros.
pub fn sol(lamports: u64) -> String {
    let text = format!(
        "{}.{:09}",
        lamports / LAMPORTS_PER_SOL,
        lamports % LAMPORTS_PER_SOL
    );
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// What a command prints: a line or table for people, and the same facts as JSON for scripts.
#[derive(Debug)]
pub struct Output {
    pub text: String,
    pub json: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read keypair {path}: {reason}. Create one with `solana-keygen new`, or pass --keypair")]
    Keypair { path: PathBuf, reason: String },
    #[error(
        "no pool given: pass --pool or set TRIBUTARY_POOL (`tributary init` prints the address)"
    )]
    NoPool,
    #[error("no Tributary pool at {0} on this cluster")]
    UnknownPool(Pubkey),
    #[error("insufficient balance: {what} is {have} but {need} is needed")]
    InsufficientBalance {
        what: String,
        have: String,
        need: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{}", describe_client_error(.0))]
    Client(#[from] ClientError),
}

/// A failed call explained: a program error by its name and message, with what to do when
/// there is something to do.
pub fn describe_client_error(error: &ClientError) -> String {
    use solana_sdk::transaction::TransactionError;
    if let ClientError::Transaction {
        error:
            TransactionError::AccountNotFound
            | TransactionError::InsufficientFundsForFee
            | TransactionError::InsufficientFundsForRent { .. },
        ..
    } = error
    {
        return format!(
            "insufficient balance: the keypair cannot pay the transaction's fee or rent ({error}); \
             fund it (e.g. `solana airdrop 1` on localhost or devnet)"
        );
    }
    let Some(code) = error.custom_code() else {
        return error.to_string();
    };
    match program_error(code) {
        Some((name, message)) => {
            let hint = match name.as_str() {
                "StaleEpoch" | "ValidatorsNotUpdated" => {
                    " (run `tributary crank` to bring the pool to this epoch)"
                }
                "TransientStakeInProgress" => {
                    " (the validator's stake is moving: try after the next epoch's crank)"
                }
                "ReserveInsufficient" => {
                    " (try `tributary withdraw-stake`, or `tributary unstake` for a ticket)"
                }
                "SlippageExceeded" => " (the rate moved: try again, or raise --slippage-bps)",
                _ => "",
            };
            format!("the program refused: {name} ({code}): {message}{hint}")
        }
        None => format!("the transaction failed with error code {code}: {error}"),
    }
}

/// The name and message of a Tributary error code, from the committed IDL.
pub fn program_error(code: u32) -> Option<(String, String)> {
    let idl: Value = serde_json::from_str(include_str!("../../idl/tributary.json")).ok()?;
    let error = idl["errors"]
        .as_array()?
        .iter()
        .find(|error| error["code"].as_u64() == Some(u64::from(code)))?;
    Some((
        error["name"].as_str()?.to_string(),
        error["msg"].as_str().unwrap_or_default().to_string(),
    ))
}

/// The RPC URL for `--url` (a URL or a moniker), else the Solana CLI config's, else localhost.
pub fn resolve_url(url: Option<&str>, config: &SolanaConfig) -> String {
    let chosen = url
        .map(str::to_string)
        .or_else(|| config.json_rpc_url.clone())
        .unwrap_or_else(|| "localhost".into());
    MONIKERS
        .iter()
        .find(|(name, short, _)| chosen == *name || chosen == *short)
        .map_or(chosen.clone(), |(_, _, url)| url.to_string())
}

/// The two settings of the Solana CLI's config file that the CLI follows.
#[derive(Debug, Default, Clone)]
pub struct SolanaConfig {
    pub json_rpc_url: Option<String>,
    pub keypair_path: Option<PathBuf>,
}

impl SolanaConfig {
    /// `path`, or the Solana CLI's default location; an absent file gives no settings.
    pub fn load(path: Option<&Path>) -> Result<Self, CliError> {
        let default = home().map(|home| home.join(".config/solana/cli/config.yml"));
        let Some(path) = path.map(Path::to_path_buf).or(default) else {
            return Ok(Self::default());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Self::parse(&text)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(err) => Err(CliError::Invalid(format!(
                "cannot read {}: {err}",
                path.display()
            ))),
        }
    }

    /// Reads the `key: value` lines of the config's YAML.
    pub fn parse(text: &str) -> Self {
        let value = |key: &str| {
            text.lines().find_map(|line| {
                let rest = line
                    .trim()
                    .strip_prefix(key)?
                    .trim_start()
                    .strip_prefix(':')?;
                let value = rest.trim().trim_matches(|c| c == '"' || c == '\'');
                (!value.is_empty()).then(|| value.to_string())
            })
        };
        Self {
            json_rpc_url: value("json_rpc_url"),
            keypair_path: value("keypair_path").map(PathBuf::from),
        }
    }

    /// The keypair file: `--keypair`, else the config's, else the Solana CLI's default.
    pub fn keypair_path(&self, given: Option<&Path>) -> PathBuf {
        given
            .map(Path::to_path_buf)
            .or_else(|| self.keypair_path.clone())
            .unwrap_or_else(|| home().unwrap_or_default().join(".config/solana/id.json"))
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

pub fn load_keypair(path: &Path) -> Result<Keypair, CliError> {
    read_keypair_file(path).map_err(|err| CliError::Keypair {
        path: path.to_path_buf(),
        reason: err.to_string(),
    })
}

/// Runs one pool command (every subcommand but `simulate`) for `signer`.
pub async fn execute<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    pool: Option<Pubkey>,
    command: Command,
) -> Result<Output, CliError> {
    match command {
        Command::Init(args) => init(client, signer, args).await,
        Command::Setup { file } => crate::setup::run(client, signer, pool, &file).await,
        Command::Simulate(_) => Err(CliError::Invalid(
            "simulate runs on its own bank, not on a cluster".into(),
        )),
        command => {
            open_pool(client, pool).await?;
            pool_command(client, signer, command).await
        }
    }
}

/// Points `client` at `pool`, after checking that it is a Tributary pool.
pub async fn open_pool<T: Transport>(
    client: &mut PoolClient<T>,
    pool: Option<Pubkey>,
) -> Result<Pool, CliError> {
    let pool = pool.ok_or(CliError::NoPool)?;
    let state = match client.account(&pool).await? {
        Some(account) if account.owner == tributary::ID => {
            decode_pool(&account.data).map_err(|_| CliError::UnknownPool(pool))?
        }
        _ => return Err(CliError::UnknownPool(pool)),
    };
    client.use_pool(pool);
    Ok(state)
}

async fn init<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    args: InitArgs,
) -> Result<Output, CliError> {
    let pool = match &args.pool_keypair {
        Some(path) => load_keypair(path)?,
        None => Keypair::new(),
    };
    let treasury_owner = args.treasury.unwrap_or(signer.pubkey());
    let init = InitializePoolArgs {
        operator: args.operator.unwrap_or(signer.pubkey()),
        fees: args.fees.over(Fees::default()),
        tip_rate_cap_bps: args.tip_rate_cap_bps,
        name: args.name,
        symbol: args.symbol,
        uri: args.uri,
    };
    let created = client
        .initialize_pool(signer, &pool, &treasury_owner, init)
        .await?;
    client.create_pool_tip_accounts().await?;
    let addresses = *client.pool()?;
    let state = client.pool_state().await?;
    Ok(Output {
        text: format!(
            "Created pool {} (token mint {}); admin and operator: {}.\n\
             Use it with --pool {} or TRIBUTARY_POOL={}.",
            addresses.pool, addresses.mint, state.admin, addresses.pool, addresses.pool
        ),
        json: json!({
            "pool": addresses.pool.to_string(),
            "mint": addresses.mint.to_string(),
            "reserve": addresses.reserve.to_string(),
            "validator_list": addresses.validator_list.to_string(),
            "admin": state.admin.to_string(),
            "operator": state.operator.to_string(),
            "treasury": state.treasury.to_string(),
            "signature": created.signature.to_string(),
        }),
    })
}

/// The pool as a staker's quote sees it, read once per command: its state (fees and lamports)
/// and its share supply (`Pool::share_supply`).
struct Rate {
    pool: Pool,
    supply: u64,
}

impl Rate {
    async fn read<T: Transport>(client: &mut PoolClient<T>) -> Result<Self, CliError> {
        let pool = client.pool_state().await?;
        let minted = client.mint_state().await?.supply;
        let supply = pool
            .share_supply(minted)
            .map_err(|_| CliError::Invalid("the share supply overflows".into()))?;
        Ok(Self { pool, supply })
    }

    fn total(&self) -> u64 {
        self.pool.total_lamports
    }

    fn value_of(&self, shares: u64) -> u64 {
        tributary::math::shares_to_lamports(shares, self.total(), self.supply).unwrap_or(0)
    }

    /// The shares to redeem for `amount` out of the `held` ones: all of them, or enough to be
    /// worth the SOL asked for (rounded up), refused when more than are held.
    fn shares_for(&self, held: u64, amount: TokenAmount) -> Result<u64, CliError> {
        let needed = match amount {
            TokenAmount::All => held,
            TokenAmount::Sol(lamports) if self.total() == 0 => lamports,
            TokenAmount::Sol(lamports) => {
                let shares = (u128::from(lamports) * u128::from(self.supply))
                    .div_ceil(u128::from(self.total()));
                u64::try_from(shares).unwrap_or(u64::MAX)
            }
        };
        if needed > held {
            return Err(CliError::InsufficientBalance {
                what: "your pool token balance".into(),
                have: format!("{} SOL", sol(self.value_of(held))),
                need: format!("{} SOL", sol(self.value_of(needed))),
            });
        }
        Ok(needed)
    }

    /// The fewest shares a deposit of `lamports` may give: the quote less `slippage`.
    fn deposit_bound(&self, lamports: u64, slippage: Slippage) -> Result<u64, CliError> {
        let quote = quote_deposit(
            lamports,
            self.total(),
            self.supply,
            self.pool.fees.deposit_bps,
        )
        .ok_or_else(|| CliError::Invalid("the deposit overflows".into()))?;
        Ok(slippage.minimum(quote.user_shares))
    }

    /// Lamports an instant withdrawal of `shares` (SOL or stake) pays, after its fee.
    fn withdrawal(&self, shares: u64) -> Result<u64, CliError> {
        quote_withdraw(
            shares,
            self.total(),
            self.supply,
            self.pool.fees.withdrawal_bps,
        )
        .map(|quote| quote.lamports)
        .ok_or_else(|| CliError::Invalid("the withdrawal overflows".into()))
    }
}

/// Refuses, before sending anything, a payment the signer cannot make.
async fn require_lamports<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    lamports: u64,
) -> Result<(), CliError> {
    let margin = if signer.pubkey() == client.payer() {
        FEE_MARGIN_LAMPORTS
    } else {
        0
    };
    let have = client.balance(&signer.pubkey()).await?;
    let need = lamports.saturating_add(margin);
    if have < need {
        return Err(CliError::InsufficientBalance {
            what: format!("the balance of {}", signer.pubkey()),
            have: format!("{} SOL", sol(have)),
            need: format!("{} SOL (with fees)", sol(need)),
        });
    }
    Ok(())
}

async fn pool_command<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    command: Command,
) -> Result<Output, CliError> {
    let me = signer.pubkey();
    match command {
        Command::Deposit { amount, slippage } => {
            let token_account = client.pool()?.token_account(&me);
            let account_rent = if client.account(&token_account).await?.is_none() {
                client.rent().await?.minimum_balance(token_account_space())
            } else {
                0
            };
            require_lamports(client, signer, amount.0 + account_rent).await?;
            let min_shares_out = Rate::read(client)
                .await?
                .deposit_bound(amount.0, slippage)?;
            let before = client.shares_of(&me).await?;
            let landed = client.deposit_sol(signer, amount.0, min_shares_out).await?;
            let received = client.shares_of(&me).await? - before;
            Ok(done(
                format!(
                    "Deposited {} SOL for {} pool tokens",
                    sol(amount.0),
                    tokens(received)
                ),
                json!({ "lamports": amount.0, "shares": received }),
                &landed,
            ))
        }
        Command::Withdraw { amount, slippage } => {
            let rate = Rate::read(client).await?;
            let shares = rate.shares_for(client.shares_of(&me).await?, amount)?;
            let lamports = rate.withdrawal(shares)?;
            let before = client.balance(&me).await?;
            let landed = client
                .withdraw_sol(signer, shares, slippage.minimum(lamports))
                .await?;
            let received = client.balance(&me).await?.saturating_sub(before);
            Ok(done(
                format!(
                    "Redeemed {} pool tokens for {} SOL",
                    tokens(shares),
                    sol(lamports)
                ),
                json!({ "shares": shares, "lamports": lamports, "balance_change": received }),
                &landed,
            ))
        }
        Command::DepositStake {
            stake_account,
            slippage,
        } => {
            let account = client
                .account(&stake_account)
                .await?
                .ok_or(ClientError::AccountNotFound(stake_account))?;
            let vote = stake_voter(&account.data).ok_or_else(|| {
                CliError::Invalid(format!("{stake_account} is not a delegated stake account"))
            })?;
            let rate = Rate::read(client).await?;
            let min_shares_out = rate.deposit_bound(account.lamports, slippage)?;
            let before = client.shares_of(&me).await?;
            let landed = client
                .deposit_stake(signer, &stake_account, &vote, min_shares_out)
                .await?;
            let received = client.shares_of(&me).await? - before;
            Ok(done(
                format!(
                    "Deposited stake account {stake_account} ({} SOL, validator {vote}) for {} pool tokens",
                    sol(account.lamports),
                    tokens(received)
                ),
                json!({
                    "stake_account": stake_account.to_string(),
                    "validator": vote.to_string(),
                    "lamports": account.lamports,
                    "shares": received,
                }),
                &landed,
            ))
        }
        Command::WithdrawStake {
            amount,
            validator,
            slippage,
        } => {
            let rate = Rate::read(client).await?;
            let shares = rate.shares_for(client.shares_of(&me).await?, amount)?;
            let vote = match validator {
                Some(vote) => vote,
                None => largest_validator(&client.validator_list().await?)
                    .ok_or_else(|| CliError::Invalid("the pool has no validators".into()))?,
            };
            let lamports = rate.withdrawal(shares)?;
            let (stake_account, landed) = client
                .withdraw_stake(signer, &vote, shares, slippage.minimum(lamports))
                .await?;
            Ok(done(
                format!(
                    "Redeemed {} pool tokens for stake account {stake_account} ({} SOL, validator {vote})",
                    tokens(shares),
                    sol(lamports)
                ),
                json!({
                    "shares": shares,
                    "lamports": lamports,
                    "stake_account": stake_account.to_string(),
                    "validator": vote.to_string(),
                }),
                &landed,
            ))
        }
        Command::Unstake { amount } => {
            let held = client.shares_of(&me).await?;
            let shares = Rate::read(client).await?.shares_for(held, amount)?;
            let (ticket, landed) = client.order_unstake(signer, shares).await?;
            let state = client.ticket(&ticket).await?;
            Ok(done(
                format!(
                    "Ticket {ticket}: {} SOL for {} pool tokens, claimable from epoch {} with `tributary claim {ticket}`",
                    sol(state.lamports),
                    tokens(shares),
                    state.created_epoch + 1
                ),
                json!({
                    "ticket": ticket.to_string(),
                    "shares": shares,
                    "lamports": state.lamports,
                    "claimable_epoch": state.created_epoch + 1,
                }),
                &landed,
            ))
        }
        Command::Claim { ticket } => {
            let landed = client.claim_ticket(signer, &ticket).await?;
            let lamports = landed.total(|event: &ClaimTicketEvent| event.lamports);
            Ok(done(
                format!("Claimed {} SOL from ticket {ticket}", sol(lamports)),
                json!({ "ticket": ticket.to_string(), "lamports": lamports }),
                &landed,
            ))
        }
        Command::AddValidator { vote } => {
            let landed = client.add_validator(signer, &vote).await?;
            let vault = find_mev_vault(&client.pool()?.pool, &vote).0;
            Ok(done(
                format!("Added validator {vote}; its tip account is {vault}"),
                json!({ "validator": vote.to_string(), "tip_account": vault.to_string() }),
                &landed,
            ))
        }
        Command::RemoveValidator { vote } => {
            let landed = client.remove_validator(signer, &vote).await?;
            Ok(done(
                format!("Removing validator {vote}: its stake returns to the reserve over the next cranks"),
                json!({ "validator": vote.to_string() }),
                &landed,
            ))
        }
        Command::SetWeight { vote, weight } => {
            let landed = client.set_weight(signer, &vote, weight).await?;
            Ok(done(
                format!("Weight of {vote} set to {weight}"),
                json!({ "validator": vote.to_string(), "weight": weight }),
                &landed,
            ))
        }
        Command::SetStrategy(args) => {
            let strategy = args.over(client.pool_state().await?.strategy);
            let landed = client.set_strategy(signer, strategy).await?;
            Ok(done(
                format!("Strategy set: {}", describe_strategy(&strategy)),
                strategy_json(&strategy),
                &landed,
            ))
        }
        Command::SetFees(args) => {
            let pool = client.pool_state().await?;
            let fees = args.over(pool.pending_fees);
            let landed = client.set_fees(signer, fees).await?;
            let pool = client.pool_state().await?;
            let text = if pool.pending_fees == pool.fees {
                format!("Fees now {}", describe_fees(&pool.fees))
            } else {
                format!(
                    "Fees now {}; from epoch {}: {}",
                    describe_fees(&pool.fees),
                    pool.pending_fees_epoch,
                    describe_fees(&pool.pending_fees)
                )
            };
            Ok(done(
                text,
                json!({
                    "fees": fees_json(&pool.fees),
                    "pending_fees": fees_json(&pool.pending_fees),
                    "pending_fees_epoch": pool.pending_fees_epoch,
                }),
                &landed,
            ))
        }
        Command::Pause => {
            let landed = client.pause(signer).await?;
            Ok(done(
                "Paused: deposits are refused".into(),
                json!({ "paused": true }),
                &landed,
            ))
        }
        Command::Unpause => {
            let landed = client.unpause(signer).await?;
            Ok(done(
                "Unpaused: deposits are open".into(),
                json!({ "paused": false }),
                &landed,
            ))
        }
        Command::Tip { amount, validator } => {
            let pool = client.pool()?.pool;
            let vault = match validator {
                Some(vote) => {
                    client.validator_index(&vote).await?;
                    find_mev_vault(&pool, &vote).0
                }
                None => find_pool_tip_accounts(&pool)[0],
            };
            require_lamports(client, signer, amount.0).await?;
            let landed = client.tip(signer, &vault, amount.0).await?;
            Ok(done(
                format!("Tipped {} SOL to {vault}", sol(amount.0)),
                json!({ "tip_account": vault.to_string(), "lamports": amount.0 }),
                &landed,
            ))
        }
        Command::Distribute { validator } => {
            let outcomes = match validator {
                Some(vote) => {
                    client.validator_index(&vote).await?;
                    let vault = find_mev_vault(&client.pool()?.pool, &vote).0;
                    vec![client.distribute(&vault).await?]
                }
                None => client.distribute_all().await?,
            };
            Ok(distribution_output(&outcomes))
        }
        Command::Crank => {
            let crank = client.crank().await?;
            let distributions = client.distribute_all().await?;
            let rebalances = client.rebalance_all().await?;
            let pool = client.pool_state().await?;
            let distributed = distribution_output(&distributions);
            let rolled = match &crank.roll {
                Some(roll) if roll.loss > 0 => format!(
                    "rolled: a loss of {} SOL, shared by the stakers and the open tickets",
                    sol(roll.loss)
                ),
                Some(roll) => format!(
                    "rolled: {} SOL of rewards and {} SOL of tips counted",
                    sol(roll.rewards),
                    sol(roll.tips)
                ),
                None => "already rolled this epoch".into(),
            };
            let roll_json = crank.roll.as_ref().map(
                |roll| json!({ "rewards": roll.rewards, "tips": roll.tips, "loss": roll.loss }),
            );
            Ok(Output {
                text: format!(
                    "Pool at epoch {} ({rolled}): validators updated in {} transaction(s), {} \
                     {} rebalance(s).",
                    pool.last_update_epoch,
                    crank.update_transactions,
                    distributed.text,
                    rebalances.len()
                ),
                json: json!({
                    "epoch": pool.last_update_epoch,
                    "roll": roll_json,
                    "update_transactions": crank.update_transactions,
                    "distributions": distributed.json,
                    "rebalances": rebalances.len(),
                }),
            })
        }
        Command::Show {
            validator,
            ticket,
            owner,
        } => {
            if let Some(ticket) = ticket {
                return show_ticket(client, ticket).await;
            }
            if let Some(vote) = validator {
                return show_mev_ledger(client, vote).await;
            }
            show_pool(client, owner.unwrap_or(me)).await
        }
        Command::Init(_) | Command::Setup { .. } | Command::Simulate(_) => {
            unreachable!("handled by execute")
        }
    }
}

/// Bytes of a pool token account: Token-2022's account with the immutable-owner extension the
/// associated-token program adds.
fn token_account_space() -> usize {
    use anchor_lang::solana_program::program_pack::Pack;
    use spl_token_2022_interface::extension::ExtensionType;
    use spl_token_2022_interface::state::Account;
    ExtensionType::try_calculate_account_len::<Account>(&[ExtensionType::ImmutableOwner])
        .unwrap_or(Account::LEN)
}

// Pool tokens print like SOL because the mint has SOL's decimals.
const _: () = assert!(MINT_DECIMALS == 9);

/// Shares as pool tokens.
fn tokens(shares: u64) -> String {
    sol(shares)
}

/// A landed transaction's output: `text` and `json` with its signature added.
fn done(text: String, mut json: Value, landed: &crate::TxOutcome) -> Output {
    json["signature"] = Value::String(landed.signature.to_string());
    Output {
        text: format!("{text}. Signature: {}", landed.signature),
        json,
    }
}

/// The vote account a stake account is delegated to.
fn stake_voter(data: &[u8]) -> Option<Pubkey> {
    let state: solana_stake_interface::state::StakeStateV2 =
        borsh::BorshDeserialize::deserialize(&mut &data[..]).ok()?;
    state.delegation().map(|delegation| delegation.voter_pubkey)
}

/// The active validator holding the most stake.
fn largest_validator(entries: &[ValidatorEntry]) -> Option<Pubkey> {
    entries
        .iter()
        .filter(|entry| entry.status == tributary::state::validator_status::ACTIVE)
        .max_by_key(|entry| entry.active_lamports)
        .map(|entry| entry.vote)
}

fn mode_name(mode: u8) -> &'static str {
    if mode == strategy_mode::SCORED {
        "scored"
    } else {
        "manual"
    }
}

fn describe_strategy(strategy: &Strategy) -> String {
    format!(
        "{}, at most {} bps of the pool per validator, {} bps kept in the reserve, at most {} bps moved per epoch",
        mode_name(strategy.mode),
        strategy.validator_cap_bps,
        strategy.reserve_buffer_bps,
        strategy.max_move_bps
    )
}

fn strategy_json(strategy: &Strategy) -> Value {
    json!({
        "mode": mode_name(strategy.mode),
        "validator_cap_bps": strategy.validator_cap_bps,
        "reserve_buffer_bps": strategy.reserve_buffer_bps,
        "max_move_bps": strategy.max_move_bps,
    })
}

fn describe_fees(fees: &Fees) -> String {
    format!(
        "deposit {} bps, withdrawal {} bps, ticket {} bps, epoch {} bps, MEV {} bps, MEV commission cap {} bps",
        fees.deposit_bps,
        fees.withdrawal_bps,
        fees.ticket_bps,
        fees.epoch_bps,
        fees.mev_bps,
        fees.mev_commission_cap_bps
    )
}

fn fees_json(fees: &Fees) -> Value {
    json!({
        "deposit_bps": fees.deposit_bps,
        "withdrawal_bps": fees.withdrawal_bps,
        "ticket_bps": fees.ticket_bps,
        "epoch_bps": fees.epoch_bps,
        "mev_bps": fees.mev_bps,
        "mev_commission_cap_bps": fees.mev_commission_cap_bps,
    })
}

/// What the distributions did, from their events.
fn distribution_output(outcomes: &[crate::TxOutcome]) -> Output {
    let totals = DistributionTotals::of(outcomes);
    let signatures: Vec<String> = outcomes
        .iter()
        .map(|outcome| outcome.signature.to_string())
        .collect();
    Output {
        text: format!(
            "{} distribution(s): {} SOL of tips, {} SOL to validators, {} SOL to the protocol, {} SOL to stakers.",
            outcomes.len(),
            sol(totals.tips),
            sol(totals.to_validators),
            sol(totals.to_protocol),
            sol(totals.to_stakers)
        ),
        json: json!({
            "distributions": outcomes.len(),
            "tips": totals.tips,
            "to_validators": totals.to_validators,
            "to_protocol": totals.to_protocol,
            "to_stakers": totals.to_stakers,
            "signatures": signatures,
        }),
    }
}

async fn show_pool<T: Transport>(
    client: &mut PoolClient<T>,
    owner: Pubkey,
) -> Result<Output, CliError> {
    let rate = Rate::read(client).await?;
    let (pool, total, supply) = (&rate.pool, rate.total(), rate.supply);
    let addresses = *client.pool()?;
    let epoch = client.clock().await?.epoch;
    let reserve = client.balance(&addresses.reserve).await?;
    let entries = client.validator_list().await?;
    let held = client.shares_of(&owner).await?;
    let price = share_price(total, supply);
    let mut text = format!(
        "Pool {}  (epoch {epoch}, updated at epoch {}{})\n\
         token mint {}  admin {}  operator {}\n\
         {} SOL under management, {} pool tokens, {:.9} SOL per token; reserve {} SOL; owed to tickets {} SOL\n\
         tips waiting for the next epoch roll: {} SOL to stakers, {} SOL to the protocol\n\
         fees: {}\n\
         strategy: {}\n\
         MEV tips distributed: {} SOL ({} SOL to validators, {} SOL to the protocol, {} SOL to stakers)\n\
         {owner} holds {} pool tokens, worth {} SOL\n",
        addresses.pool,
        pool.last_update_epoch,
        if pool.paused { ", paused" } else { "" },
        addresses.mint,
        pool.admin,
        pool.operator,
        sol(total),
        tokens(supply),
        price,
        sol(reserve),
        sol(pool.ticket_lamports),
        sol(pool.pending_tips_to_stakers),
        sol(pool.pending_tips_to_protocol),
        describe_fees(&pool.fees),
        describe_strategy(&pool.strategy),
        sol(pool.mev_totals.tipped),
        sol(pool.mev_totals.to_validator),
        sol(pool.mev_totals.to_protocol),
        sol(pool.mev_totals.to_stakers),
        tokens(held),
        sol(rate.value_of(held)),
    );
    text.push_str(&format!(
        "{} validator(s)\n{:<44} {:>9} {:>16} {:>14} {:>7} {:>10} {:>8} {:>14}\n",
        entries.len(),
        "vote account",
        "status",
        "stake SOL",
        "transient SOL",
        "weight",
        "score",
        "MEV bps",
        "pending tips"
    ));
    let mut validators = Vec::with_capacity(entries.len());
    for entry in &entries {
        let vault = find_mev_vault(&addresses.pool, &entry.vote).0;
        let (state, pending) = client.tip_account(&vault).await?;
        let commission = state.declared_commission(epoch);
        let status = if entry.status == tributary::state::validator_status::ACTIVE {
            "active"
        } else {
            "removing"
        };
        text.push_str(&format!(
            "{:<44} {:>9} {:>16} {:>14} {:>7} {:>10} {:>8} {:>14}\n",
            entry.vote.to_string(),
            status,
            sol(entry.active_lamports),
            sol(entry.transient_lamports),
            entry.weight,
            entry.score,
            commission,
            sol(pending)
        ));
        validators.push(json!({
            "vote": entry.vote.to_string(),
            "status": status,
            "active_lamports": entry.active_lamports,
            "transient_lamports": entry.transient_lamports,
            "weight": entry.weight,
            "score": entry.score,
            "mev_commission_bps": commission,
            "tip_account": vault.to_string(),
            "pending_tips": pending,
        }));
    }
    Ok(Output {
        text: text.trim_end().to_string(),
        json: json!({
            "pool": addresses.pool.to_string(),
            "mint": addresses.mint.to_string(),
            "epoch": epoch,
            "last_update_epoch": pool.last_update_epoch,
            "paused": pool.paused,
            "admin": pool.admin.to_string(),
            "operator": pool.operator.to_string(),
            "total_lamports": total,
            "share_supply": supply,
            "share_price": price,
            "reserve_lamports": reserve,
            "ticket_lamports": pool.ticket_lamports,
            "pending_tips_to_stakers": pool.pending_tips_to_stakers,
            "pending_tips_to_protocol": pool.pending_tips_to_protocol,
            "fees": fees_json(&pool.fees),
            "pending_fees": fees_json(&pool.pending_fees),
            "strategy": strategy_json(&pool.strategy),
            "mev_totals": record_json(&pool.mev_totals),
            "validators": validators,
            "holder": { "owner": owner.to_string(), "shares": held, "lamports": rate.value_of(held) },
        }),
    })
}

fn record_json(record: &tributary::state::MevRecord) -> Value {
    json!({
        "epoch": record.epoch,
        "stake": record.stake,
        "tipped": record.tipped,
        "to_validator": record.to_validator,
        "to_protocol": record.to_protocol,
        "to_stakers": record.to_stakers,
    })
}

async fn show_mev_ledger<T: Transport>(
    client: &mut PoolClient<T>,
    vote: Pubkey,
) -> Result<Output, CliError> {
    client.validator_index(&vote).await?;
    let records = client.mev_history(&vote).await?;
    let mut text = format!(
        "MEV ledger of {vote}, last {} epochs\n{:>6} {:>16} {:>14} {:>14} {:>14} {:>14}\n",
        tributary::constants::MEV_LEDGER_EPOCHS,
        "epoch",
        "stake SOL",
        "tips SOL",
        "validator SOL",
        "protocol SOL",
        "stakers SOL"
    );
    for record in &records {
        text.push_str(&format!(
            "{:>6} {:>16} {:>14} {:>14} {:>14} {:>14}\n",
            record.epoch,
            sol(record.stake),
            sol(record.tipped),
            sol(record.to_validator),
            sol(record.to_protocol),
            sol(record.to_stakers)
        ));
    }
    if records.is_empty() {
        text.push_str("no tips distributed yet\n");
    }
    Ok(Output {
        text: text.trim_end().to_string(),
        json: json!({
            "validator": vote.to_string(),
            "ledger": records.iter().map(record_json).collect::<Vec<_>>(),
        }),
    })
}

async fn show_ticket<T: Transport>(
    client: &mut PoolClient<T>,
    ticket: Pubkey,
) -> Result<Output, CliError> {
    let state = client.ticket(&ticket).await?;
    let owed = client.ticket_owed(&ticket).await?;
    let epoch = client.clock().await?.epoch;
    let claimable = epoch > state.created_epoch;
    Ok(Output {
        text: format!(
            "Ticket {ticket} of {}: {} SOL ({} SOL when ordered at epoch {}), {}",
            state.owner,
            sol(owed),
            sol(state.lamports),
            state.created_epoch,
            if claimable {
                "claimable once the crank has run this epoch".to_string()
            } else {
                format!("claimable from epoch {}", state.created_epoch + 1)
            }
        ),
        json: json!({
            "ticket": ticket.to_string(),
            "owner": state.owner.to_string(),
            "lamports": owed,
            "ordered_lamports": state.lamports,
            "created_epoch": state.created_epoch,
            "claimable_epoch": state.created_epoch + 1,
        }),
    })
}

const SIMULATION_COLUMNS: [(&str, usize); 15] = [
    ("epoch", 5),
    ("rewards", 9),
    ("tips", 8),
    ("to vals", 8),
    ("dep", 4),
    ("SOL in", 10),
    ("wd", 3),
    ("tkt", 3),
    ("SOL out", 10),
    ("pool SOL", 12),
    ("staked SOL", 12),
    ("reserve SOL", 12),
    ("SOL/share", 12),
    ("APY", 7),
    ("fees SOL", 9),
];

fn simulation_row(cells: &[String]) -> String {
    let row: Vec<String> = cells
        .iter()
        .zip(SIMULATION_COLUMNS)
        .map(|(cell, (_, width))| format!("{cell:>width$}"))
        .collect();
    row.join(" ")
}

/// Lamports as SOL to four places, for the simulation's table.
fn sol4(lamports: u64) -> String {
    format!("{:.4}", lamports as f64 / LAMPORTS_PER_SOL as f64)
}

/// One epoch of the simulation: its row and the stake per validator.
pub fn simulation_epoch_text(report: &EpochReport) -> String {
    let row = simulation_row(&[
        report.epoch.to_string(),
        sol4(report.rewards),
        sol4(report.tips),
        sol4(report.tips_to_validators),
        report.deposits.to_string(),
        sol4(report.lamports_deposited),
        report.withdrawals.to_string(),
        report.tickets.to_string(),
        sol4(report.lamports_withdrawn + report.lamports_ticketed),
        sol4(report.total_lamports),
        sol4(report.staked_lamports),
        sol4(report.reserve_lamports),
        format!("{:.9}", report.share_price),
        format!("{:.2}%", report.annualised_yield * 100.0),
        sol4(report.treasury_value),
    ]);
    let stakes: Vec<String> = report.validator_stakes.iter().map(|l| sol4(*l)).collect();
    format!(
        "{row}\n      stake per validator (SOL): {}",
        stakes.join("  ")
    )
}

/// Where the value went, over the whole run.
pub fn simulation_summary(reports: &[EpochReport]) -> String {
    let total = |value: fn(&EpochReport) -> u64| reports.iter().map(value).sum::<u64>();
    let last = reports.last();
    // The first deposit was at one lamport per share.
    let growth = last.map_or(0.0, |r| r.share_price - 1.0);
    format!(
        "MEV tips: {} SOL, of which {} SOL to validators, {} SOL to the protocol and {} SOL to stakers.\n\
         In: {} SOL deposited and {} SOL of staking rewards; out: {} SOL withdrawn at once and \
         {} SOL into unstake tickets ({} SOL of it claimed); held: {} SOL, \
         of which the treasury's fee shares are worth {} SOL.\n\
         A pool token grew {:.4}% in {} epochs ({:.2}% a year at mainnet's epoch length).",
        sol4(total(|r| r.tips)),
        sol4(total(|r| r.tips_to_validators)),
        sol4(total(|r| r.tips_to_protocol)),
        sol4(total(|r| r.tips_to_stakers)),
        sol4(total(|r| r.lamports_deposited)),
        sol4(total(|r| r.rewards)),
        sol4(total(|r| r.lamports_withdrawn)),
        sol4(total(|r| r.lamports_ticketed)),
        sol4(total(|r| r.lamports_claimed)),
        sol4(last.map_or(0, |r| r.total_lamports)),
        sol4(last.map_or(0, |r| r.treasury_value)),
        growth * 100.0,
        reports.len(),
        ((1.0 + growth).powf(crate::simulate::EPOCHS_PER_YEAR / reports.len().max(1) as f64)
            - 1.0)
            * 100.0,
    )
}

/// The scenario in `path`, or the built-in default, with the command line's overrides.
pub fn load_scenario(args: &SimulateArgs) -> Result<SimulationConfig, CliError> {
    let mut config = match &args.scenario {
        None => SimulationConfig::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|err| {
                CliError::Invalid(format!("cannot read {}: {err}", path.display()))
            })?;
            SimulationConfig::from_toml(&text)
                .map_err(|err| CliError::Invalid(format!("{}: {err}", path.display())))?
        }
    };
    config.epochs = args.epochs.unwrap_or(config.epochs);
    config.stakers = args.stakers.unwrap_or(config.stakers);
    config.seed = args.seed.unwrap_or(config.seed);
    Ok(config)
}

/// `tributary simulate`: runs the scenario, printing each epoch as it ends (as text) with a
/// progress bar on a terminal, writes the JSON and the chart, and returns the summary.
pub async fn simulate(args: &SimulateArgs, format: OutputFormat) -> Result<Output, CliError> {
    let config = load_scenario(args)?;
    let display = format == OutputFormat::Display;
    if display {
        println!(
            "Tributary simulation: {} stakers, {} validators, {} epochs (seed {}), in an in-process bank",
            config.stakers,
            config.validators.len(),
            config.epochs,
            config.seed
        );
        println!(
            "{}",
            simulation_row(&SIMULATION_COLUMNS.map(|(name, _)| name.to_string()))
        );
    }
    // Drawn on stderr, and only when it is a terminal.
    let progress = indicatif::ProgressBar::new(config.epochs);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} epoch {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let reports = crate::simulate::run(&config, |report| {
        if display {
            progress.suspend(|| println!("{}", simulation_epoch_text(report)));
        }
        progress.set_message(format!("{:.9} SOL per token", report.share_price));
        progress.inc(1);
    })
    .await?;
    progress.finish_and_clear();
    crate::report::write_outputs(&args.out, &config, &reports).map_err(|err| {
        CliError::Invalid(format!("cannot write to {}: {err}", args.out.display()))
    })?;
    let written = format!(
        "Wrote {0}/simulation.json and {0}/simulation.svg.",
        args.out.display()
    );
    Ok(Output {
        text: format!("{}\n{written}", simulation_summary(&reports)),
        json: json!({
            "seed": config.seed,
            "epochs": reports,
            "json": args.out.join("simulation.json"),
            "chart": args.out.join("simulation.svg"),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tributary::errors::TributaryError as TributaryErrorCode;

    #[test]
    fn sol_amounts_parse_exactly() {
        let lamports = |text: &str| text.parse::<SolAmount>().map(|amount| amount.0);
        assert_eq!(lamports("1"), Ok(LAMPORTS_PER_SOL));
        assert_eq!(lamports("2.5"), Ok(2_500_000_000));
        assert_eq!(lamports(".000000001"), Ok(1));
        assert_eq!(lamports("0.1"), Ok(100_000_000));
        assert_eq!(lamports("18446744073.709551615"), Ok(u64::MAX));
        for bad in [
            "",
            ".",
            "-1",
            "1e9",
            "1.2.3",
            "abc",
            " 1",
            "18446744073.709551616",
        ] {
            assert!(lamports(bad).is_err(), "{bad:?} parsed");
        }
        assert!(lamports("1.0000000001").unwrap_err().contains("9 decimals"));
        assert_eq!("ALL".parse::<TokenAmount>(), Ok(TokenAmount::All));
        assert_eq!(
            "0.5".parse::<TokenAmount>(),
            Ok(TokenAmount::Sol(500_000_000))
        );
    }

    #[test]
    fn lamports_print_as_sol_without_trailing_zeros() {
        assert_eq!(sol(0), "0");
        assert_eq!(sol(1), "0.000000001");
        assert_eq!(sol(2_500_000_000), "2.5");
        assert_eq!(sol(7 * LAMPORTS_PER_SOL), "7");
    }

    #[test]
    fn url_monikers_and_the_solana_config_resolve_like_the_solana_cli() {
        let config = SolanaConfig::parse(
            "---\njson_rpc_url: \"https://api.devnet.solana.com\"\nwebsocket_url: \"\"\n\
             keypair_path: /home/me/.config/solana/id.json\ncommitment: confirmed\n",
        );
        assert_eq!(
            config.json_rpc_url.as_deref(),
            Some("https://api.devnet.solana.com")
        );
        assert_eq!(
            config.keypair_path(None),
            PathBuf::from("/home/me/.config/solana/id.json")
        );
        assert_eq!(
            config.keypair_path(Some(Path::new("other.json"))),
            PathBuf::from("other.json")
        );
        assert_eq!(resolve_url(None, &config), "https://api.devnet.solana.com");
        assert_eq!(resolve_url(Some("l"), &config), "http://localhost:8899");
        assert_eq!(
            resolve_url(Some("localhost"), &config),
            "http://localhost:8899"
        );
        assert_eq!(
            resolve_url(Some("mainnet-beta"), &config),
            "https://api.mainnet-beta.solana.com"
        );
        assert_eq!(
            resolve_url(Some("http://10.0.0.1:8899"), &config),
            "http://10.0.0.1:8899"
        );
        assert_eq!(
            resolve_url(None, &SolanaConfig::default()),
            "http://localhost:8899"
        );
    }

    #[test]
    fn slippage_bounds_round_down_from_the_quote() {
        let slippage = |bps| Slippage { slippage_bps: bps };
        assert_eq!(slippage(50).minimum(1_000_000), 995_000);
        assert_eq!(slippage(0).minimum(1_000_000), 1_000_000);
        assert_eq!(slippage(10_000).minimum(1_000_000), 0);
        assert_eq!(slippage(u16::MAX).minimum(1_000_000), 0);
        assert_eq!(slippage(1).minimum(u64::MAX), 18_444_899_399_302_180_659);
    }

    #[test]
    fn program_errors_are_named_from_the_committed_idl() {
        let name = |error: TributaryErrorCode| program_error(error.into()).map(|found| found.0);
        assert_eq!(
            name(TributaryErrorCode::ZeroAmount).as_deref(),
            Some("ZeroAmount")
        );
        assert_eq!(
            name(TributaryErrorCode::TicketNotDue).as_deref(),
            Some("TicketNotDue")
        );
        assert_eq!(program_error(100), None);
    }
}
