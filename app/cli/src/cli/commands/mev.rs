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

pub async fn distribute<T: Transport>(
    client: &mut PoolClient<T>,
    validator: Option<Pubkey>,
) -> Result<Output, CliError> {
    let outcomes = match validator {
        Some(vote) => {
            client.validator_index(&vote).await?;
            let vault = client.addresses()?.mev_vault(&vote);
            vec![client.distribute(&vault).await?]
        }
        None => client.distribute_all().await?,
    };
    Ok(Output::of(&Distributions::of(&outcomes)))
}

/// Where some distributions' tips went, from their events.
#[derive(Serialize)]
pub struct Distributions {
    pub distributions: usize,
    pub tips: u64,
    pub to_validators: u64,
    pub to_protocol: u64,
    pub to_stakers: u64,
    pub signatures: Vec<String>,
}

impl fmt::Display for Distributions {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{} distribution(s): {} SOL of tips, {} SOL to validators, {} SOL to the protocol, \
             {} SOL to stakers.",
            self.distributions,
            sol(self.tips),
            sol(self.to_validators),
            sol(self.to_protocol),
            sol(self.to_stakers)
        )
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
            signatures: outcomes
                .iter()
                .map(|outcome| outcome.signature.to_string())
                .collect(),
        }
    }
}
