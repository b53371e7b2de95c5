//! The operator's commands: validators and the strategy.

use std::fmt;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;
use solana_sdk::signature::Keypair;

use crate::cli::args::Address;

use crate::cli::args::StrategyArgs;
use crate::cli::error::CliError;
use crate::cli::output::{Output, Signed};
use crate::cli::views::{StrategySet, ValidatorChange, ValidatorChanged};
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

pub async fn add_validator<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    vote: Pubkey,
) -> Result<Output, CliError> {
    let landed = client.add_validator(signer, &vote).await?;
    let vault = client.addresses()?.mev_vault(&vote);
    let view = ValidatorChanged {
        validator: vote.into(),
        tip_account: Some(vault.into()),
        weight: None,
        change: ValidatorChange::Added,
    };
    Ok(Signed::output(view, &landed))
}

pub async fn remove_validator<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    vote: Pubkey,
) -> Result<Output, CliError> {
    let landed = client.remove_validator(signer, &vote).await?;
    let view = ValidatorChanged {
        validator: vote.into(),
        tip_account: None,
        weight: None,
        change: ValidatorChange::Removing,
    };
    Ok(Signed::output(view, &landed))
}

pub async fn set_weight<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    vote: Pubkey,
    weight: u32,
) -> Result<Output, CliError> {
    let landed = client.set_weight(signer, &vote, weight).await?;
    let view = ValidatorChanged {
        validator: vote.into(),
        tip_account: None,
        weight: Some(weight),
        change: ValidatorChange::Weighed,
    };
    Ok(Signed::output(view, &landed))
}

pub async fn set_strategy<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    args: StrategyArgs,
) -> Result<Output, CliError> {
    let strategy = args.over(client.pool_state().await?.strategy);
    let landed = client.set_strategy(signer, strategy).await?;
    Ok(Signed::output(StrategySet((&strategy).into()), &landed))
}

pub async fn create_lookup_table<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
) -> Result<Output, CliError> {
    let sync = client.sync_lookup_tables(signer).await?;
    let view = LookupTablesSynced {
        directory: sync.directory.into(),
        tables: sync.tables.len(),
        addresses: sync.addresses,
        created: sync.created,
        added: sync.added,
    };
    Ok(Output::of(&view))
}

/// What `create-lookup-table` left.
#[derive(Serialize)]
pub struct LookupTablesSynced {
    /// The table listing the pool's tables, named in the pool.
    pub directory: Address,
    pub tables: usize,
    pub addresses: usize,
    pub created: usize,
    pub added: usize,
}

impl fmt::Display for LookupTablesSynced {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Lookup tables listed in {}: {} tables holding {} addresses ({} tables created, {} addresses added). The crank now sends v0 transactions through them.",
            self.directory, self.tables, self.addresses, self.created, self.added
        )
    }
}
