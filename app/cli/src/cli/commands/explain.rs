//! `show --validator`: one validator's delegation explained, and its MEV ledger.

use std::fmt;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use tributary_client::client::ValidatorReport;
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

use super::show::RecordView;
use crate::cli::args::Address;
use crate::cli::error::CliError;
use crate::cli::output::{sol, Output};

/// The validator voting with `vote`: its score and the parts of it, its rank, its target and
/// current stake, what holds it there and what would raise it, and its MEV ledger.
pub async fn validator<T: Transport>(
    client: &mut PoolClient<T>,
    vote: Pubkey,
) -> Result<Output, CliError> {
    let report = client.validator_report(&vote).await?;
    let ledger = client.mev_history(&vote).await?;
    Ok(Output::of(&ValidatorExplained::of(
        &report,
        ledger.into_iter().map(RecordView).collect(),
    )))
}

/// `show --validator`.
#[derive(Serialize)]
pub struct ValidatorExplained {
    pub validator: Address,
    pub epoch: u64,
    pub score_epoch: u64,
    pub standing: String,
    pub rank: usize,
    pub ranked: usize,
    pub score: u64,
    pub score_parts: ScorePartsView,
    pub mev_score: u64,
    pub scored_weight: u64,
    pub mean_score: u64,
    pub mean_mev_score: u64,
    pub sharing_bar: u64,
    pub floor_score: u64,
    pub commission_bps: u16,
    pub vault_commission_bps: u16,
    pub jito_commission_bps: Option<u16>,
    pub vault_to_stakers: u64,
    pub stake_account_to_stakers: u64,
    pub target_lamports: u64,
    pub current_lamports: u64,
    pub gap_lamports: i128,
    pub binding: &'static str,
    pub advice: String,
    pub ledger: Vec<RecordView>,
}

/// The parts of a score, in parts per million of the stake per epoch.
#[derive(Serialize)]
pub struct ScorePartsView {
    pub staking: u64,
    pub vault_mev: u64,
    pub stake_account_mev: u64,
    pub declared_mev: u64,
}

impl ValidatorExplained {
    fn of(report: &ValidatorReport, ledger: Vec<RecordView>) -> Self {
        Self {
            validator: report.vote.into(),
            epoch: report.epoch,
            score_epoch: report.score_epoch,
            standing: format!("{:?}", report.standing),
            rank: report.rank,
            ranked: report.ranked,
            score: report.score,
            score_parts: ScorePartsView {
                staking: report.parts.staking,
                vault_mev: report.parts.vault_mev,
                stake_account_mev: report.parts.stake_account_mev,
                declared_mev: report.parts.declared_mev,
            },
            mev_score: report.mev_score,
            scored_weight: report.scored_weight,
            mean_score: report.means.score,
            mean_mev_score: report.means.mev_score,
            sharing_bar: report.sharing_bar,
            floor_score: report.floor_score,
            commission_bps: report.commission_bps,
            vault_commission_bps: report.vault_commission_bps,
            jito_commission_bps: report.jito_commission_bps,
            vault_to_stakers: report.vault_to_stakers,
            stake_account_to_stakers: report.stake_account_to_stakers,
            target_lamports: report.target,
            current_lamports: report.current,
            gap_lamports: report.gap(),
            binding: report.binding.name(),
            advice: report.advice(),
            ledger,
        }
    }
}

impl fmt::Display for ValidatorExplained {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let parts = &self.score_parts;
        let jito = self
            .jito_commission_bps
            .map_or("none read".to_string(), |bps| format!("{bps} bps"));
        writeln!(f, "validator {}, epoch {}", self.validator, self.epoch)?;
        if self.standing == "Unscored" {
            writeln!(f, "not scored yet")?;
        } else if self.score == 0 {
            writeln!(
                f,
                "score 0 (scored in epoch {}, {}); its parts were it scored: staking {} + vault MEV {} + stake-account MEV {} + declared {}",
                self.score_epoch, self.binding, parts.staking, parts.vault_mev, parts.stake_account_mev, parts.declared_mev
            )?;
        } else {
            writeln!(
                f,
                "score {} ppm an epoch (scored in epoch {}): staking {} + vault MEV {} + stake-account MEV {} + declared {}",
                self.score, self.score_epoch, parts.staking, parts.vault_mev, parts.stake_account_mev, parts.declared_mev
            )?;
        }
        writeln!(
            f,
            "commissions: inflation {} bps, vault MEV {} bps, Jito MEV {}",
            self.commission_bps, self.vault_commission_bps, jito
        )?;
        writeln!(
            f,
            "tips to the stakers over the window: {} SOL through its vault, {} SOL through its stake account",
            sol(self.vault_to_stakers),
            sol(self.stake_account_to_stakers)
        )?;
        writeln!(
            f,
            "standing {}, rank {} of {}, weight {}: mean score {} ppm (weights count above {}), mean MEV {} ppm (the bar asks {})",
            self.standing, self.rank, self.ranked, self.scored_weight, self.mean_score, self.floor_score, self.mean_mev_score, self.sharing_bar
        )?;
        writeln!(
            f,
            "target {} SOL, holds {} SOL, gap {} SOL",
            sol(self.target_lamports),
            sol(self.current_lamports),
            signed_sol(self.gap_lamports)
        )?;
        writeln!(f, "held by: {}", self.binding)?;
        write!(f, "to raise it: {}", self.advice)?;
        for RecordView(record) in &self.ledger {
            write!(
                f,
                "\n  epoch {:>6}: stake {} SOL, vault tips {} SOL ({} to the stakers), stake-account tips {} SOL ({} to the stakers)",
                record.epoch,
                sol(record.stake),
                sol(record.tipped),
                sol(record.to_stakers),
                sol(record.stake_account_tips),
                sol(record.stake_account_to_stakers)
            )?;
        }
        Ok(())
    }
}

fn signed_sol(lamports: i128) -> String {
    let sign = if lamports < 0 { "-" } else { "" };
    format!("{sign}{}", sol(lamports.unsigned_abs() as u64))
}
