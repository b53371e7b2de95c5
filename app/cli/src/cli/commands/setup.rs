//! `tributary setup`: the deploy-time set-up of a pool from a TOML file (see migrations/).
//! It creates the pool unless it exists, then brings its strategy, validators and weights to
//! what the file says, so running it again changes only what differs.

use std::fmt;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use serde::{Deserialize, Serialize};
use solana_sdk::signature::{write_keypair_file, Keypair, Signer};
use tributary::instructions::InitializePoolArgs;
use tributary::state::Fees;

use crate::cli::args::{token_name, token_symbol, token_uri, Address, SolAmount, StrategyArgs};
use crate::cli::config::load_keypair;
use crate::cli::error::CliError;
use crate::cli::output::{sol, Output};
use crate::cli::pool::open_pool;
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupFile {
    pub pool: PoolSpec,
    #[serde(default)]
    pub strategy: StrategyArgs,
    #[serde(default)]
    pub validators: Vec<SetupValidator>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    /// The pool's keypair file, relative to the setup file: created when missing, so a second
    /// run finds the same pool.
    pub keypair: PathBuf,
    pub name: String,
    pub symbol: String,
    #[serde(default)]
    pub uri: String,
    pub tip_rate_cap_bps: u16,
    #[serde(default)]
    pub fees: Fees,
    /// Default: the signer.
    pub operator: Option<Address>,
    /// Owner of the fee account; default: the signer.
    pub treasury: Option<Address>,
    /// SOL the signer deposits when the pool is created, for the validators' first stake.
    pub seed_deposit: Option<SolAmount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupValidator {
    pub vote: Address,
    #[serde(default)]
    pub weight: u32,
}

impl SetupFile {
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

/// Runs the set-up in `path` for `signer`, the pool's admin and operator. `pool`, when given,
/// must be the file's pool.
pub async fn apply<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    pool: Option<Pubkey>,
    path: &Path,
    skip_seed_phrase_validation: bool,
) -> Result<Output, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| CliError::Invalid(format!("cannot read {}: {err}", path.display())))?;
    let file = SetupFile::from_toml(&text)
        .map_err(|err| CliError::Invalid(format!("{}: {err}", path.display())))?;
    let keypair_path = path
        .parent()
        .unwrap_or(Path::new("."))
        .join(&file.pool.keypair);
    let pool_keypair = pool_keypair(&keypair_path, skip_seed_phrase_validation)?;
    if pool.is_some_and(|pool| pool != pool_keypair.pubkey()) {
        return Err(CliError::Invalid(format!(
            "--pool {} is not the pool of {} ({})",
            pool.unwrap_or_default(),
            keypair_path.display(),
            pool_keypair.pubkey()
        )));
    }
    let mut actions: Vec<String> = Vec::new();
    if client.account(&pool_keypair.pubkey()).await?.is_none() {
        create(client, signer, &pool_keypair, &file.pool, &mut actions).await?;
    }
    reconcile(client, signer, pool_keypair.pubkey(), &file, &mut actions).await?;
    let view = SetUp {
        pool: pool_keypair.pubkey().into(),
        actions,
    };
    Ok(Output::of(&view))
}

/// Creates the pool, its tip accounts and the seed deposit.
async fn create<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    pool_keypair: &Keypair,
    spec: &PoolSpec,
    actions: &mut Vec<String>,
) -> Result<(), CliError> {
    (token_name(&spec.name).and(token_symbol(&spec.symbol)))
        .and(token_uri(&spec.uri))
        .map_err(CliError::Invalid)?;
    let args = InitializePoolArgs {
        operator: spec.operator.map_or(signer.pubkey(), |address| address.0),
        fees: spec.fees,
        tip_rate_cap_bps: spec.tip_rate_cap_bps,
        name: spec.name.clone(),
        symbol: spec.symbol.clone(),
        uri: spec.uri.clone(),
    };
    let treasury = spec.treasury.map_or(signer.pubkey(), |address| address.0);
    client
        .initialize_pool(signer, pool_keypair, &treasury, args)
        .await?;
    client.create_pool_tip_accounts().await?;
    actions.push(format!("created pool {}", pool_keypair.pubkey()));
    if let Some(SolAmount(lamports)) = spec.seed_deposit {
        client.deposit_sol(signer, lamports, 0).await?;
        actions.push(format!("deposited {} SOL", sol(lamports)));
    }
    Ok(())
}

/// Brings the pool's strategy, validators and weights to what the file says.
async fn reconcile<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    pool: Pubkey,
    file: &SetupFile,
    actions: &mut Vec<String>,
) -> Result<(), CliError> {
    let state = open_pool(client, Some(pool)).await?;
    let strategy = file.strategy.over(state.strategy);
    if strategy != state.strategy {
        client.set_strategy(signer, strategy).await?;
        actions.push("set the strategy".into());
    }
    // Added first, then weighed against the list as it then is (whatever weight an added
    // validator starts with).
    let listed = client.validator_list().await?;
    for SetupValidator { vote, .. } in &file.validators {
        if !listed.iter().any(|entry| entry.vote == vote.0) {
            client.add_validator(signer, &vote.0).await?;
            actions.push(format!("added validator {}", vote.0));
        }
    }
    let listed = client.validator_list().await?;
    for SetupValidator { vote, weight } in &file.validators {
        let entry = listed.iter().find(|entry| entry.vote == vote.0);
        if entry.is_some_and(|entry| entry.weight != *weight) {
            client.set_weight(signer, &vote.0, *weight).await?;
            actions.push(format!("set the weight of {}", vote.0));
        }
    }
    if !listed.is_empty() {
        let sync = client.sync_lookup_tables(signer).await?;
        if sync.added > 0 {
            actions.push(format!(
                "added {} addresses to the crank's lookup tables",
                sync.added
            ));
        }
    }
    Ok(())
}

/// The pool keypair in `path`, written there first when the file does not exist yet.
fn pool_keypair(path: &Path, skip_seed_phrase_validation: bool) -> Result<Keypair, CliError> {
    if path.exists() {
        return load_keypair(path, skip_seed_phrase_validation);
    }
    let keypair = Keypair::new();
    write_keypair_file(&keypair, path).map_err(|err| {
        CliError::Invalid(format!(
            "cannot write the pool's keypair to {}: {err}",
            path.display()
        ))
    })?;
    Ok(keypair)
}

/// `setup`: what it changed.
#[derive(Serialize)]
pub struct SetUp {
    pub pool: Address,
    pub actions: Vec<String>,
}

impl fmt::Display for SetUp {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let summary = match self.actions.is_empty() {
            true => "nothing to change".to_string(),
            false => self.actions.join("; "),
        };
        let pool = self.pool;
        write!(
            f,
            "Pool {pool}: {summary}. Use it with --pool {pool} or TRIBUTARY_POOL={pool}."
        )
    }
}
