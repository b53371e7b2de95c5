//! The command line's argument types: amounts in SOL parsed exactly, addresses, fee and
//! strategy settings that change only what is given, slippage bounds.

use std::path::PathBuf;
use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use clap::Args;
use tributary::constants::DEFAULT_TIP_RATE_CAP_BPS;
use tributary::state::{DelegationRule, Fees, Strategy, StrategyMode};

use crate::simulate::Design;
use tributary_client::LAMPORTS_PER_SOL;

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
    #[arg(long, default_value = tributary_client::instructions::DEFAULT_TOKEN_NAME, value_parser = token_name)]
    pub name: String,
    #[arg(long, default_value = tributary_client::instructions::DEFAULT_TOKEN_SYMBOL, value_parser = token_symbol)]
    pub symbol: String,
    #[arg(long, default_value = "", value_parser = token_uri)]
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

/// Strategy settings; one not given keeps its current value.
#[derive(Args, Debug, Default, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyArgs {
    /// `manual` (the operator's weights) or `scored` (what each validator returns).
    #[arg(long)]
    pub mode: Option<StrategyMode>,
    /// The most one validator may hold, as a share of the pool.
    #[arg(long)]
    pub validator_cap_bps: Option<u16>,
    /// What the reserve keeps liquid for instant withdrawals.
    #[arg(long)]
    pub reserve_buffer_bps: Option<u16>,
    /// The most stake rebalancing may move in one epoch.
    #[arg(long)]
    pub max_move_bps: Option<u16>,
    /// Scored mode: a validator whose MEV to the stakers per staked SOL is below this share of
    /// the mean weighs nothing (the sharing bar).
    #[arg(long)]
    pub sharing_bar_bps: Option<u16>,
    /// Scored mode: weights are scores less this share of the mean score (0 spreads stake in
    /// proportion to scores; near 10,000 gives it to the best alone; at most 9,999).
    #[arg(long)]
    pub concentration_bps: Option<u16>,
    /// Unstakes smaller than this share of the target wait (staking the reserve's free
    /// lamports never does).
    #[arg(long)]
    pub deadband_bps: Option<u16>,
    /// Scored mode: epochs on record before the sharing bar applies to a validator.
    #[arg(long)]
    pub grace_epochs: Option<u16>,
}

impl StrategyArgs {
    /// These settings over `base`. A pool turning to scored mode with no delegation rule yet
    /// starts from the recommended one (`DelegationRule::RECOMMENDED`).
    pub fn over(&self, base: Strategy) -> Strategy {
        let mode = self.mode.unwrap_or(base.mode);
        let rule = match (mode, base.rule == DelegationRule::default()) {
            (StrategyMode::Scored, true) => DelegationRule::RECOMMENDED,
            _ => base.rule,
        };
        Strategy {
            mode,
            validator_cap_bps: self.validator_cap_bps.unwrap_or(base.validator_cap_bps),
            reserve_buffer_bps: self.reserve_buffer_bps.unwrap_or(base.reserve_buffer_bps),
            max_move_bps: self.max_move_bps.unwrap_or(base.max_move_bps),
            rule: DelegationRule {
                sharing_bar_bps: self.sharing_bar_bps.unwrap_or(rule.sharing_bar_bps),
                concentration_bps: self.concentration_bps.unwrap_or(rule.concentration_bps),
                deadband_bps: self.deadband_bps.unwrap_or(rule.deadband_bps),
                grace_epochs: self.grace_epochs.unwrap_or(rule.grace_epochs),
            },
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
        tributary_client::quote::with_slippage(expected, self.slippage_bps)
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
    /// The designs to run the scenario through, each in its own bank: integrated, jito-like,
    /// modular, oracle, declared-blind (a comma-separated list). Default: all five.
    #[arg(long, value_delimiter = ',')]
    pub design: Vec<Design>,
    /// Runs every design over many seeds, in parallel, and reports each design's mean APY with
    /// a 95% interval and the edges between them: `A-B` (seeds A to B) or `N` (seeds 1 to N).
    #[arg(long, value_parser = parse_seeds)]
    pub seeds: Option<std::ops::RangeInclusive<u64>>,
    /// With --seeds: also runs, for each validator, the seeds in which it alone makes the other
    /// choice (shares ↔ keeps its MEV), and says whether sharing pays it in each design.
    #[arg(long, requires = "seeds")]
    pub does_sharing_pay: bool,
    /// Folder for simulation.json and the charts (SVG), written even when a run stops early.
    #[arg(long, default_value = "simulation")]
    pub out: PathBuf,
}

/// The Solana CLI's transaction flags, for every command that sends, and the program's id.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct TxFlags {
    /// The program's id, for a pool under a deployment of one's own (`anchor keys sync` gives
    /// it a new id). Default: the id the CLI was built with.
    #[arg(
        long,
        global = true,
        env = "TRIBUTARY_PROGRAM_ID",
        value_name = "ADDRESS"
    )]
    pub program_id: Option<anchor_lang::prelude::Pubkey>,
    /// A priority fee: micro-lamports per compute unit.
    #[arg(
        long = "with-compute-unit-price",
        global = true,
        value_name = "MICROLAMPORTS"
    )]
    pub compute_unit_price: Option<u64>,
    /// Each transaction's compute unit limit, or DEFAULT for none (the runtime's 200k per
    /// instruction). Default: what a simulation of it uses, plus a margin (the crank's update
    /// sets its own).
    #[arg(
        long = "with-compute-unit-limit",
        global = true,
        value_name = "UNITS|DEFAULT"
    )]
    pub compute_unit_limit: Option<ComputeUnitLimit>,
    /// The keypair that pays the fees. Default: --keypair.
    #[arg(long, global = true, value_name = "KEYPAIR")]
    pub fee_payer: Option<PathBuf>,
    /// Take a seed phrase (`prompt://`, `ASK`) whose BIP39 checksum or words do not check out,
    /// as the Solana CLI's flag of the same name does. Default: refused, since a mistyped
    /// phrase derives another, empty wallet.
    #[arg(long, global = true)]
    pub skip_seed_phrase_validation: bool,
    /// The commitment reads and confirmations wait for. Default: the Solana CLI config's,
    /// else confirmed.
    #[arg(long, global = true, value_enum)]
    pub commitment: Option<Commitment>,
    /// Simulate the command's transactions and print them, their logs and compute units:
    /// nothing is sent.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Staker commands bring a pool whose epoch has turned to this epoch first (the crank's
    /// update, which anyone may send): with this, they do not, and a stale pool refuses them.
    #[arg(long, global = true)]
    pub no_update: bool,
    /// Print the program's logs when a transaction fails, and every signature when it lands
    /// (for `simulate`: the program's logs, to standard error).
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
}

impl TxFlags {
    pub fn send_options(&self) -> tributary_client::client::SendOptions {
        let (compute_unit_limit, estimate_compute_limit) = match self.compute_unit_limit {
            Some(ComputeUnitLimit::Units(units)) => (Some(units), false),
            Some(ComputeUnitLimit::Default) => (None, false),
            None => (None, true),
        };
        tributary_client::client::SendOptions {
            compute_unit_price: self.compute_unit_price,
            compute_unit_limit,
            estimate_compute_limit,
            dry_run: self.dry_run,
        }
    }
}

/// `--with-compute-unit-limit`: a number of units, or DEFAULT (no limit instruction), as the
/// Solana CLI takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComputeUnitLimit {
    Default,
    Units(u32),
}

impl FromStr for ComputeUnitLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.eq_ignore_ascii_case("default") {
            return Ok(ComputeUnitLimit::Default);
        }
        text.parse().map(ComputeUnitLimit::Units).map_err(|_| {
            format!("{text:?} is neither a number of compute units (up to 1400000) nor DEFAULT")
        })
    }
}

/// The Solana CLI's commitment levels.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commitment {
    Processed,
    Confirmed,
    Finalized,
}

impl core::str::FromStr for Commitment {
    type Err = String;

    /// A level as the Solana CLI's config file writes it.
    fn from_str(text: &str) -> Result<Self, String> {
        <Self as clap::ValueEnum>::from_str(text, true)
    }
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

/// An address in base58, in files and in JSON as everywhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Address(pub Pubkey);

impl TryFrom<String> for Address {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
            .map(Address)
            .map_err(|_| format!("{text:?} is not a base58 address"))
    }
}

impl serde::Serialize for Address {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<Pubkey> for Address {
    fn from(key: Pubkey) -> Self {
        Address(key)
    }
}

/// The token's name, refused when longer than the pool keeps (`MetadataTooLong`).
pub fn token_name(text: &str) -> Result<String, String> {
    metadata_field("name", text, tributary::constants::MAX_NAME_LEN)
}

/// The token's symbol, refused when longer than the pool keeps.
pub fn token_symbol(text: &str) -> Result<String, String> {
    metadata_field("symbol", text, tributary::constants::MAX_SYMBOL_LEN)
}

/// The token's metadata URI, refused when longer than the pool keeps.
pub fn token_uri(text: &str) -> Result<String, String> {
    metadata_field("uri", text, tributary::constants::MAX_URI_LEN)
}

fn metadata_field(field: &str, text: &str, most: usize) -> Result<String, String> {
    match text.len() <= most {
        true => Ok(text.to_string()),
        false => Err(format!(
            "the token's {field} is {} bytes; the most the pool keeps is {most}",
            text.len()
        )),
    }
}

/// `A-B` (seeds A to B) or `N` (seeds 1 to N), at most 1,000 seeds.
pub fn parse_seeds(text: &str) -> Result<std::ops::RangeInclusive<u64>, String> {
    let number = |part: &str| {
        part.trim()
            .parse::<u64>()
            .map_err(|_| format!("{text:?} is not seeds: give A-B (seeds A to B) or N (1 to N)"))
    };
    let range = match text.split_once('-') {
        Some((first, last)) => number(first)?..=number(last)?,
        None => 1..=number(text)?,
    };
    if range.is_empty() || range.end() - range.start() >= 1_000 {
        return Err(format!(
            "{text:?} is not seeds: from 1 to 1,000 of them, the first not after the last"
        ));
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn slippage_bounds_round_down_from_the_quote() {
        let slippage = |bps| Slippage { slippage_bps: bps };
        assert_eq!(slippage(50).minimum(1_000_000), 995_000);
        assert_eq!(slippage(0).minimum(1_000_000), 1_000_000);
        assert_eq!(slippage(10_000).minimum(1_000_000), 0);
        assert_eq!(slippage(u16::MAX).minimum(1_000_000), 0);
        assert_eq!(slippage(1).minimum(u64::MAX), 18_444_899_399_302_180_659);
    }

    #[test]
    fn seeds_are_a_range_or_a_count() {
        assert_eq!(parse_seeds("1-20"), Ok(1..=20));
        assert_eq!(parse_seeds("5"), Ok(1..=5));
        assert!(parse_seeds("20-1").is_err());
        assert!(parse_seeds("0").is_err());
        assert!(parse_seeds("1-5000").is_err());
        assert!(parse_seeds("a-b").unwrap_err().contains("give A-B"));
    }
}
