//! Searchers' and anyone's MEV commands: tips and their distribution.

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use solana_sdk::signature::Keypair;
use std::fmt;

use super::staker::require_lamports;
use crate::cli::args::SolAmount;
use crate::cli::error::CliError;
use crate::cli::output::{sol, Output, Signed};
use crate::cli::views::Tipped;
use tributary_client::events::DistributionTotals;
use tributary_client::transport::Transport;
use tributary_client::{PoolClient, TxOutcome};

pub async fn tip<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    amount: SolAmount,
    validator: Option<Pubkey>,
) -> Result<Output, CliError> {
    if amount.0 == 0 {
        return Err(CliError::Invalid(
            "a tip of 0 SOL moves nothing: tip an amount above zero".into(),
        ));
    }
    let pool = *client.addresses()?;
    let vault = match validator {
        Some(vote) => {
            client.validator_index(&vote).await?;
            pool.mev_vault(&vote)
        }
        None => pool.tip_accounts()[0],
    };
    require_lamports(client, signer, amount.0).await?;
    let landed = client.tip(signer, &vault, amount.0).await?;
    let view = Tipped {
        tip_account: vault.into(),
        lamports: amount.0,
    };
    Ok(Signed::output(view, &landed))
}

/// A distribution is worth sending when it moves more than its transaction's fee.
pub const DISTRIBUTION_WORTH_LAMPORTS: u64 = 5_000;

pub async fn distribute<T: Transport>(
    client: &mut PoolClient<T>,
    validator: Option<Pubkey>,
) -> Result<Output, CliError> {
    let outcomes = match validator {
        Some(vote) => {
            client.validator_index(&vote).await?;
            let vault = client.addresses()?.mev_vault(&vote);
            let (state, waiting) = client.tip_account(&vault).await?;
            let unsplit = waiting.saturating_sub(state.held());
            if unsplit <= DISTRIBUTION_WORTH_LAMPORTS && state.held_to_stakers == 0 {
                return Err(CliError::Invalid(format!(
                    "the vault of {vote} holds {unsplit} lamports of new tips: distributing them \
                     would cost more than it moves ({DISTRIBUTION_WORTH_LAMPORTS} lamports); \
                     nothing was sent"
                )));
            }
            vec![client.distribute(&vault).await?]
        }
        None => client.distribute_above(DISTRIBUTION_WORTH_LAMPORTS).await?,
    };
    let mut distributions = Distributions::of(&outcomes);
    distributions.held_back_to_stakers = client.held_back_tips().await?;
    Ok(Output::of(&distributions))
}

/// Where some distributions' tips went, from their events.
#[derive(Serialize)]
pub struct Distributions {
    pub distributions: usize,
    pub tips: u64,
    pub to_validators: u64,
    pub to_protocol: u64,
    pub to_stakers: u64,
    /// The stakers' tips the tip rate cap holds back in the vaults, after these distributions.
    pub held_back_to_stakers: u64,
    pub signatures: Vec<String>,
}

impl fmt::Display for Distributions {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.distributions == 0 {
            write!(
                f,
                "Nothing to distribute: no tip account holds more new tips than a distribution's \
                 fee ({} SOL); nothing was sent.",
                sol(DISTRIBUTION_WORTH_LAMPORTS)
            )?;
        } else {
            write!(
                f,
                "{} distribution(s): {} SOL of tips, {} SOL to validators, {} SOL to the protocol, \
             {} SOL to stakers.",
            self.distributions,
            sol(self.tips),
            sol(self.to_validators),
            sol(self.to_protocol),
                sol(self.to_stakers)
            )?;
        }
        if self.held_back_to_stakers > 0 {
            write!(
                f,
                " The tip rate cap holds back {} SOL of the stakers' tips in the vaults: it is \
                 released as the cap leaves room, from the next epoch.",
                sol(self.held_back_to_stakers)
            )?;
        }
        Ok(())
    }
}

impl Distributions {
    pub fn of(outcomes: &[TxOutcome]) -> Self {
        let totals = DistributionTotals::of(outcomes);
        Self {
            distributions: outcomes.len(),
            tips: totals.tips,
            to_validators: totals.to_validators,
            to_protocol: totals.to_protocol,
            to_stakers: totals.to_stakers,
            held_back_to_stakers: 0,
            signatures: outcomes
                .iter()
                .map(|outcome| outcome.signature.to_string())
                .collect(),
        }
    }
}
