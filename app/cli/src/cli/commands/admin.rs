//! The admin's commands: creating a pool, fees, pause, the token's metadata.

use solana_sdk::signature::{Keypair, Signer};
use tributary::events::{SetFeesEvent, SetMetadataEvent};
use tributary::instructions::{InitializePoolArgs, SetMetadataArgs};
use tributary::state::Fees;

use crate::cli::args::{FeeArgs, InitArgs};
use crate::cli::config::load_keypair;
use crate::cli::error::CliError;
use crate::cli::output::{Output, Signed};
use crate::cli::views::{FeesSet, FeesView, MetadataSet, PauseSet, PoolCreated};
use tributary_client::transport::Transport;
use tributary_client::PoolClient;

pub async fn init<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    args: InitArgs,
    skip_seed_phrase_validation: bool,
) -> Result<Output, CliError> {
    let pool = match &args.pool_keypair {
        Some(path) => load_keypair(path, skip_seed_phrase_validation)?,
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
    let addresses = *client.addresses()?;
    let state = client.pool_state().await?;
    let view = PoolCreated {
        pool: addresses.pool.into(),
        mint: addresses.mint.into(),
        reserve: addresses.reserve.into(),
        validator_list: addresses.validator_list.into(),
        admin: state.admin.into(),
        operator: state.operator.into(),
        treasury: state.treasury.into(),
    };
    Ok(Signed::output(view, &created))
}

pub async fn set_fees<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    args: FeeArgs,
) -> Result<Output, CliError> {
    let requested = args.over(client.pool_state().await?.pending_fees.fees);
    let landed = client.set_fees(signer, requested).await?;
    // What is in force now and later, as the program's event says (a dry run changes nothing
    // to read back); where the node kept no logs, the pool does.
    let view = match landed.events::<SetFeesEvent>().into_iter().next() {
        Some(event) => FeesSet {
            fees: FeesView(event.fees),
            pending_fees: FeesView(event.pending_fees),
            pending_fees_epoch: event.pending_fees_epoch,
        },
        None => {
            let pool = client.pool_state().await?;
            FeesSet {
                fees: FeesView(pool.fees),
                pending_fees: FeesView(pool.pending_fees.fees),
                pending_fees_epoch: pool.pending_fees.epoch,
            }
        }
    };
    Ok(Signed::output(view, &landed))
}

pub async fn set_paused<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    paused: bool,
) -> Result<Output, CliError> {
    let landed = match paused {
        true => client.pause(signer).await?,
        false => client.unpause(signer).await?,
    };
    Ok(Signed::output(PauseSet { paused }, &landed))
}

pub async fn set_metadata<T: Transport>(
    client: &mut PoolClient<T>,
    signer: &Keypair,
    args: SetMetadataArgs,
) -> Result<Output, CliError> {
    if args.name.is_none() && args.symbol.is_none() && args.uri.is_none() {
        return Err(CliError::Invalid(
            "nothing to change: give --name, --symbol or --uri".into(),
        ));
    }
    let landed = client.set_metadata(signer, args).await?;
    let view = match landed.events::<SetMetadataEvent>().into_iter().next() {
        Some(event) => MetadataSet {
            name: event.name,
            symbol: event.symbol,
            uri: event.uri,
        },
        None => {
            let mint = client.mint_state().await?;
            MetadataSet {
                name: mint.name,
                symbol: mint.symbol,
                uri: mint.uri,
            }
        }
    };
    Ok(Signed::output(view, &landed))
}
