//! A cluster over JSON-RPC.

use anchor_lang::prelude::Pubkey;
use base64::Engine;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as RpcError, ErrorKind as RpcErrorKind};
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcTransactionConfig, UiAccountEncoding,
    UiDataSliceConfig,
};
use solana_rpc_client_api::filter::{Memcmp, MemcmpEncodedBytes, RpcFilterType};
use solana_rpc_client_api::request::{RpcError as RpcRequestError, RpcResponseErrorData};
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::hash::Hash;
use solana_sdk::rent::Rent;
use solana_sdk::signature::Keypair;
use solana_sdk::transaction::VersionedTransaction;
use solana_transaction_status_client_types::UiTransactionEncoding;

use super::{Landed, Simulated, Transport};
use crate::ClientError;

/// How long to wait for the next slot: a cluster makes one every 400 ms or so.
const NEXT_SLOT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
const SLOT_POLL: std::time::Duration = std::time::Duration::from_millis(200);

/// A cluster reached over JSON-RPC, reading and confirming at one commitment.
pub struct Rpc {
    client: RpcClient,
    payer: Keypair,
    /// The slot the last transaction landed in: what it added to a lookup table is usable
    /// from the slot after.
    landed_slot: Option<u64>,
}

impl Rpc {
    /// The cluster at `url`, at `confirmed` commitment; `payer` pays every fee.
    pub fn new(url: &str, payer: Keypair) -> Self {
        Self::with_commitment(url, payer, CommitmentConfig::confirmed())
    }

    pub fn with_commitment(url: &str, payer: Keypair, commitment: CommitmentConfig) -> Self {
        Self {
            client: RpcClient::new_with_commitment(url.to_string(), commitment),
            payer,
            landed_slot: None,
        }
    }

    pub fn url(&self) -> String {
        self.client.url()
    }

    /// A refused transaction as `ClientError::Transaction` (with the preflight's logs), anything
    /// else as an RPC error naming the endpoint.
    fn error(&self, error: RpcError) -> ClientError {
        if let Some(transaction_error) = error.get_transaction_error() {
            let logs = match error.kind() {
                RpcErrorKind::RpcError(RpcRequestError::RpcResponseError {
                    data: RpcResponseErrorData::SendTransactionPreflightFailure(simulation),
                    ..
                }) => simulation.logs.clone().unwrap_or_default(),
                _ => Vec::new(),
            };
            return ClientError::Transaction {
                error: transaction_error,
                logs,
            };
        }
        // The client words an unsent request or an HTTP error into some calls' errors (an
        // account read says "AccountNotFound: ... error sending request"), so the text is what
        // tells.
        let text = error.to_string();
        if let Some(status) = http_status(&text) {
            return ClientError::NotJsonRpc {
                url: self.url(),
                status,
            };
        }
        let unsent = match error.kind() {
            RpcErrorKind::Reqwest(request) => request.is_connect(),
            _ => text.contains("error sending request"),
        };
        if unsent {
            return match unresolved_host(&self.url()) {
                Some(host) => ClientError::UnknownHost {
                    url: self.url(),
                    host,
                },
                None => ClientError::Unreachable(self.url()),
            };
        }
        ClientError::Rpc {
            url: self.url(),
            message: error.to_string(),
        }
    }

    /// Asks the cluster's faucet (a test validator's, devnet's, `tributary localnet`'s) for
    /// `lamports` to `to`, and waits until they have landed.
    pub async fn request_airdrop(
        &mut self,
        to: &Pubkey,
        lamports: u64,
    ) -> Result<solana_sdk::signature::Signature, ClientError> {
        let requested = self.client.request_airdrop(to, lamports).await;
        let signature = requested.map_err(|err| self.error(err))?;
        let landed = self.client.poll_for_signature(&signature).await;
        landed.map_err(|err| self.error(err))?;
        Ok(signature)
    }

    /// Moves `tributary localnet`'s bank `epochs` epochs ahead (its own method,
    /// `tributaryAdvanceEpochs`); returns the epoch it is at. Any other cluster refuses: its
    /// epochs move with time.
    pub async fn advance_epochs(&mut self, epochs: u64) -> Result<u64, ClientError> {
        let request = solana_rpc_client_api::request::RpcRequest::Custom {
            method: "tributaryAdvanceEpochs",
        };
        let moved: serde_json::Value = (self.client.send(request, serde_json::json!([epochs])))
            .await
            .map_err(|err| self.error(err))?;
        moved["epoch"]
            .as_u64()
            .ok_or_else(|| ClientError::Decode(format!("tributaryAdvanceEpochs's answer {moved}")))
    }

    async fn sysvar<S: serde::de::DeserializeOwned>(
        &mut self,
        address: &Pubkey,
    ) -> Result<S, ClientError> {
        let account = self
            .account(address)
            .await?
            .ok_or(ClientError::AccountNotFound(*address))?;
        bincode::deserialize(&account.data)
            .map_err(|err| ClientError::Decode(format!("the sysvar {address}: {err}")))
    }
}

/// The status of an HTTP error as the RPC client words it ("HTTP status client error (404 Not
/// Found) for url (...)"): "404 Not Found".
fn http_status(text: &str) -> Option<String> {
    let after = &text[text.find("HTTP status ")?..];
    let start = after.find('(')? + 1;
    let end = after.find(") for url")?;
    (start <= end).then(|| after[start..end].to_string())
}

/// The host of `url` when its name does not resolve (a typo, no DNS): `None` when it resolves
/// or is an address.
fn unresolved_host(url: &str) -> Option<String> {
    use std::net::ToSocketAddrs;
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let port = if scheme == "https" { 443 } else { 80 };
    let with_port = match authority.rsplit_once(':') {
        Some((_, digits)) if digits.chars().all(|c| c.is_ascii_digit()) => authority.to_string(),
        _ => format!("{authority}:{port}"),
    };
    let host = with_port.rsplit_once(':').map(|(host, _)| host)?;
    match with_port.to_socket_addrs() {
        Ok(_) => None,
        Err(_) => Some(host.to_string()),
    }
}

impl Transport for Rpc {
    fn payer(&self) -> &Keypair {
        &self.payer
    }

    async fn latest_blockhash(&mut self) -> Result<Hash, ClientError> {
        let result = self.client.get_latest_blockhash().await;
        result.map_err(|err| self.error(err))
    }

    async fn process(&mut self, transaction: VersionedTransaction) -> Result<Landed, ClientError> {
        let sent = self.client.send_and_confirm_transaction(&transaction).await;
        let signature = sent.map_err(|err| self.error(err))?;
        // The logs carry the events; a node that keeps no transaction history returns none.
        let config = RpcTransactionConfig {
            encoding: Some(UiTransactionEncoding::Base64),
            // A landed transaction is not served below `confirmed`.
            commitment: Some(match self.client.commitment().is_at_least_confirmed() {
                true => self.client.commitment(),
                false => CommitmentConfig::confirmed(),
            }),
            max_supported_transaction_version: Some(0),
        };
        let landed = self
            .client
            .get_transaction_with_config(&signature, config)
            .await
            .ok();
        self.landed_slot = landed.as_ref().map(|landed| landed.slot);
        let meta = landed.and_then(|landed| landed.transaction.meta);
        Ok(meta.map_or(
            Landed {
                logs: Vec::new(),
                compute_units: 0,
            },
            |meta| Landed {
                logs: Option::from(meta.log_messages).unwrap_or_default(),
                compute_units: Option::from(meta.compute_units_consumed).unwrap_or_default(),
            },
        ))
    }

    async fn next_slot(&mut self) -> Result<(), ClientError> {
        // Once waited for, a landed slot is spent: a second wait is for a slot not yet made.
        let slot = match self.landed_slot.take() {
            Some(slot) => slot,
            None => self.clock().await?.slot,
        };
        let polls = NEXT_SLOT_TIMEOUT.as_millis() / SLOT_POLL.as_millis();
        for _ in 0..polls {
            if self.clock().await?.slot > slot {
                return Ok(());
            }
            tokio::time::sleep(SLOT_POLL).await;
        }
        Err(ClientError::Rpc {
            url: self.url(),
            message: format!(
                "the slot stayed at {slot} for {} s: a lookup table's new addresses wait for the \
                 next slot, and this cluster is not producing blocks",
                NEXT_SLOT_TIMEOUT.as_secs()
            ),
        })
    }

    async fn simulate(
        &mut self,
        transaction: VersionedTransaction,
    ) -> Result<Simulated, ClientError> {
        let simulated = self.client.simulate_transaction(&transaction).await;
        let simulation = simulated.map_err(|err| self.error(err))?.value;
        let logs = simulation.logs.unwrap_or_default();
        if let Some(error) = simulation.err {
            return Err(ClientError::Transaction {
                error: error.into(),
                logs,
            });
        }
        let return_data = simulation
            .return_data
            .map(|return_data| {
                base64::engine::general_purpose::STANDARD
                    .decode(return_data.data.0)
                    .map_err(|err| ClientError::Decode(format!("the return data: {err}")))
            })
            .transpose()?;
        Ok(Simulated {
            logs,
            compute_units: simulation.units_consumed.unwrap_or_default(),
            return_data,
        })
    }

    async fn account(&mut self, address: &Pubkey) -> Result<Option<Account>, ClientError> {
        let response = self
            .client
            .get_account_with_commitment(address, self.client.commitment())
            .await;
        Ok(response.map_err(|err| self.error(err))?.value)
    }

    async fn account_data_slice(
        &mut self,
        address: &Pubkey,
        offset: usize,
        length: usize,
    ) -> Result<Option<Vec<u8>>, ClientError> {
        let config = RpcAccountInfoConfig {
            encoding: Some(UiAccountEncoding::Base64),
            data_slice: Some(UiDataSliceConfig { offset, length }),
            commitment: Some(self.client.commitment()),
            min_context_slot: None,
        };
        let response = self
            .client
            .get_ui_account_with_config(address, config)
            .await;
        let account = response.map_err(|err| self.error(err))?.value;
        account
            .map(|account| {
                account
                    .data
                    .decode()
                    .ok_or_else(|| ClientError::Decode(format!("the data of {address}")))
            })
            .transpose()
    }

    async fn program_accounts(
        &mut self,
        program: &Pubkey,
        filters: &[(usize, Vec<u8>)],
    ) -> Result<Vec<(Pubkey, Account)>, ClientError> {
        let config = RpcProgramAccountsConfig {
            filters: Some(
                (filters.iter())
                    .map(|(offset, bytes)| {
                        let bytes = base64::engine::general_purpose::STANDARD.encode(bytes);
                        RpcFilterType::Memcmp(Memcmp::new(
                            *offset,
                            MemcmpEncodedBytes::Base64(bytes),
                        ))
                    })
                    .collect(),
            ),
            ..RpcProgramAccountsConfig::default()
        };
        let listed = self
            .client
            .get_program_ui_accounts_with_config(program, config)
            .await;
        let listed = listed.map_err(|err| self.error(err))?;
        (listed.into_iter())
            .map(|(address, account)| {
                let account = account
                    .decode::<Account>()
                    .ok_or_else(|| ClientError::Decode(format!("the account {address}")))?;
                Ok((address, account))
            })
            .collect()
    }

    async fn rent(&mut self) -> Result<Rent, ClientError> {
        self.sysvar(&solana_sdk::sysvar::rent::ID).await
    }

    async fn clock(&mut self) -> Result<Clock, ClientError> {
        self.sysvar(&solana_sdk::sysvar::clock::ID).await
    }
}
