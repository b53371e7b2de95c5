//! The commands' answers: one type each, its text by `Display`, its JSON by `Serialize`.

use std::fmt;

use serde::Serialize;
use tributary::state::{Fees, Strategy, StrategyMode};

use super::args::Address;
use super::output::sol;
use crate::cli::error::CliError;
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

/// An amount of the pool's token: as a wallet shows it (the shares scaled by the mint's
/// multiplier, in the token's symbol: trSOL), with the raw share count the program counts.
#[derive(Serialize)]
pub struct Tokens {
    pub shares: u64,
    pub ui_amount: String,
    pub symbol: String,
}

impl Tokens {
    pub async fn of<T: Transport>(
        client: &mut PoolClient<T>,
        shares: u64,
    ) -> Result<Self, CliError> {
        Ok(Self {
            shares,
            ui_amount: client.ui_amount(shares).await?,
            symbol: client.mint_state().await?.symbol,
        })
    }
}

impl fmt::Display for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} {}", self.ui_amount, self.symbol)
    }
}

#[derive(Serialize)]
pub struct Deposited {
    pub lamports: u64,
    #[serde(flatten)]
    pub tokens: Tokens,
}

impl fmt::Display for Deposited {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Deposited {} SOL for {}",
            sol(self.lamports),
            self.tokens
        )
    }
}

#[derive(Serialize)]
pub struct Withdrawn {
    #[serde(flatten)]
    pub tokens: Tokens,
    /// What the quote said it pays.
    pub lamports: u64,
    /// What the signer's balance grew by.
    pub balance_change: u64,
}

impl fmt::Display for Withdrawn {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Redeemed {} for {} SOL", self.tokens, sol(self.lamports))
    }
}

#[derive(Serialize)]
pub struct StakeDeposited {
    pub stake_account: Address,
    pub validator: Address,
    pub lamports: u64,
    #[serde(flatten)]
    pub tokens: Tokens,
}

impl fmt::Display for StakeDeposited {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Deposited stake account {} ({} SOL, validator {}) for {}",
            self.stake_account,
            sol(self.lamports),
            self.validator,
            self.tokens
        )
    }
}

#[derive(Serialize)]
pub struct StakeWithdrawn {
    #[serde(flatten)]
    pub tokens: Tokens,
    pub lamports: u64,
    pub stake_account: Address,
    pub validator: Address,
}

impl fmt::Display for StakeWithdrawn {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Redeemed {} for stake account {} ({} SOL, validator {})",
            self.tokens,
            self.stake_account,
            sol(self.lamports),
            self.validator
        )
    }
}

#[derive(Serialize)]
pub struct TicketOrdered {
    pub ticket: Address,
    #[serde(flatten)]
    pub tokens: Tokens,
    pub lamports: u64,
    pub claimable_epoch: u64,
}

impl fmt::Display for TicketOrdered {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Ticket {0}: {1} SOL for {2}, claimable from epoch {3} with `tributary claim {0}`",
            self.ticket,
            sol(self.lamports),
            self.tokens,
            self.claimable_epoch
        )
    }
}

#[derive(Serialize)]
pub struct TicketClaimed {
    pub ticket: Address,
    pub lamports: u64,
}

impl fmt::Display for TicketClaimed {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let lamports = sol(self.lamports);
        write!(f, "Claimed {lamports} SOL from ticket {}", self.ticket)
    }
}

/// A change of one validator by the operator.
#[derive(Serialize)]
pub struct ValidatorChanged {
    pub validator: Address,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tip_account: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    #[serde(skip)]
    pub change: ValidatorChange,
}

#[derive(Clone, Copy)]
pub enum ValidatorChange {
    Added,
    Removing,
    Weighed,
}

impl fmt::Display for ValidatorChanged {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let vote = self.validator;
        match (self.change, self.tip_account, self.weight) {
            (ValidatorChange::Added, Some(vault), _) => {
                write!(f, "Added validator {vote}; its tip account is {vault}")
            }
            (ValidatorChange::Weighed, _, Some(weight)) => {
                write!(f, "Weight of {vote} set to {weight}")
            }
            _ => write!(
                f,
                "Removing validator {vote}: its stake returns to the reserve over the next cranks"
            ),
        }
    }
}

/// The delegation strategy.
#[derive(Serialize)]
pub struct StrategyView {
    pub mode: &'static str,
    pub validator_cap_bps: u16,
    pub reserve_buffer_bps: u16,
    pub max_move_bps: u16,
    pub sharing_bar_bps: u16,
    pub concentration_bps: u16,
    pub deadband_bps: u16,
    pub grace_epochs: u16,
}

impl From<&Strategy> for StrategyView {
    fn from(strategy: &Strategy) -> Self {
        Self {
            mode: strategy.mode.name(),
            validator_cap_bps: strategy.validator_cap_bps,
            reserve_buffer_bps: strategy.reserve_buffer_bps,
            max_move_bps: strategy.max_move_bps,
            sharing_bar_bps: strategy.rule.sharing_bar_bps,
            concentration_bps: strategy.rule.concentration_bps,
            deadband_bps: strategy.rule.deadband_bps,
            grace_epochs: strategy.rule.grace_epochs,
        }
    }
}

impl fmt::Display for StrategyView {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{}, at most {} bps of the pool per validator, {} bps kept in the reserve, at most \
             {} bps moved per epoch, unstakes under {} bps of the target waiting",
            self.mode,
            self.validator_cap_bps,
            self.reserve_buffer_bps,
            self.max_move_bps,
            self.deadband_bps
        )?;
        if self.mode == StrategyMode::Scored.name() {
            write!(
                f,
                "; sharing bar {} bps of the mean MEV after {} epoch(s) of grace, weights above \
                 {} bps of the mean score",
                self.sharing_bar_bps, self.grace_epochs, self.concentration_bps
            )?;
        }
        Ok(())
    }
}

/// A fee schedule.
#[derive(Serialize)]
#[serde(transparent)]
pub struct FeesView(pub Fees);

impl fmt::Display for FeesView {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let fees = &self.0;
        write!(
            f,
            "deposit {} bps, withdrawal {} bps, ticket {} bps, epoch {} bps, MEV {} bps, MEV \
             commission cap {} bps",
            fees.deposit_bps,
            fees.withdrawal_bps,
            fees.ticket_bps,
            fees.epoch_bps,
            fees.mev_bps,
            fees.mev_commission_cap_bps
        )
    }
}

#[derive(Serialize)]
pub struct StrategySet(pub StrategyView);

impl fmt::Display for StrategySet {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Strategy set: {}", self.0)
    }
}

#[derive(Serialize)]
pub struct FeesSet {
    pub fees: FeesView,
    pub pending_fees: FeesView,
    pub pending_fees_epoch: u64,
}

impl fmt::Display for FeesSet {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Fees now {}", self.fees)?;
        if self.pending_fees.0 != self.fees.0 {
            let (epoch, pending) = (self.pending_fees_epoch, &self.pending_fees);
            write!(f, "; from epoch {epoch}: {pending}")?;
        }
        Ok(())
    }
}

/// The token's metadata after `set-metadata`.
#[derive(Serialize)]
pub struct MetadataSet {
    pub name: String,
    pub symbol: String,
    pub uri: String,
}

impl fmt::Display for MetadataSet {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let uri = match self.uri.is_empty() {
            true => "no URI",
            false => self.uri.as_str(),
        };
        write!(f, "Token metadata: {} ({}), {uri}", self.name, self.symbol)
    }
}

#[derive(Serialize)]
pub struct PauseSet {
    pub paused: bool,
}

impl fmt::Display for PauseSet {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.paused {
            true => write!(f, "Paused: deposits are refused"),
            false => write!(f, "Unpaused: deposits are open"),
        }
    }
}

#[derive(Serialize)]
pub struct Tipped {
    pub tip_account: Address,
    pub lamports: u64,
}

impl fmt::Display for Tipped {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Tipped {} SOL to {}",
            sol(self.lamports),
            self.tip_account
        )
    }
}

/// `init`: the new pool.
#[derive(Serialize)]
pub struct PoolCreated {
    pub pool: Address,
    pub mint: Address,
    pub reserve: Address,
    pub validator_list: Address,
    pub admin: Address,
    pub operator: Address,
    pub treasury: Address,
}

impl fmt::Display for PoolCreated {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Created pool {0} (token mint {1}); admin and operator: {2}.\nUse it with --pool {0} \
             or TRIBUTARY_POOL={0}",
            self.pool, self.mint, self.admin
        )
    }
}
