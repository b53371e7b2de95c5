//! A test cluster's conveniences, over JSON-RPC only: `airdrop` (its faucet) and
//! `advance-epochs` (`tributary localnet`'s own method), so a newcomer needs no curl.

use std::fmt;

use anchor_lang::prelude::Pubkey;
use serde::Serialize;

use crate::cli::args::{Address, SolAmount};
use crate::cli::error::CliError;
use crate::cli::output::{sol, Output};
use tributary_client::{ClientError, PoolClient, Rpc};

#[derive(Serialize)]
struct Airdropped {
    to: Address,
    lamports: u64,
    /// What the account holds afterwards.
    balance: u64,
    signature: String,
}

impl fmt::Display for Airdropped {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Airdropped {} SOL to {}, which now holds {} SOL. Signature: {}",
            sol(self.lamports),
            self.to,
            sol(self.balance),
            self.signature
        )
    }
}

/// `airdrop SOL [--to ADDRESS]`: the cluster's faucet pays.
pub async fn airdrop(
    client: &mut PoolClient<Rpc>,
    to: Pubkey,
    amount: SolAmount,
) -> Result<Output, CliError> {
    if amount.0 == 0 {
        return Err(CliError::Invalid(
            "nothing to airdrop: give more than 0 SOL".into(),
        ));
    }
    let url = client.transport.url();
    let signature = (client.transport.request_airdrop(&to, amount.0).await).map_err(|err| {
        match method_not_found(&err) {
            true => CliError::Invalid(format!(
                "the cluster at {url} has no faucet (requestAirdrop): fund {to} from a wallet"
            )),
            false => err.into(),
        }
    })?;
    let view = Airdropped {
        to: to.into(),
        lamports: amount.0,
        balance: client.balance(&to).await?,
        signature: signature.to_string(),
    };
    Ok(Output::of(&view))
}

#[derive(Serialize)]
struct EpochsAdvanced {
    epochs: u64,
    epoch: u64,
}

impl fmt::Display for EpochsAdvanced {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "Moved {} epoch(s) ahead, with staking rewards at each boundary: the cluster is at \
             epoch {} (`tributary crank` brings the pool to it)",
            self.epochs, self.epoch
        )
    }
}

/// `advance-epochs [N]`: `tributary localnet` moves its bank N epochs ahead.
pub async fn advance_epochs(client: &mut PoolClient<Rpc>, epochs: u64) -> Result<Output, CliError> {
    let url = client.transport.url();
    let epoch = (client.transport.advance_epochs(epochs).await).map_err(|err| {
        match method_not_found(&err) {
            true => CliError::Invalid(format!(
                "the cluster at {url} is not `tributary localnet`: its epochs move with time \
                 (about two days each on mainnet), and only the localnet moves them on request"
            )),
            false => err.into(),
        }
    })?;
    Ok(Output::of(&EpochsAdvanced { epochs, epoch }))
}

/// Whether the endpoint answered that it has no such method (JSON-RPC's -32601).
fn method_not_found(error: &ClientError) -> bool {
    matches!(error, ClientError::Rpc { message, .. } if message.contains("-32601"))
}
