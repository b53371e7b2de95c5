//! `tributary localnet`: the in-process bank (the program, Token-2022, the associated-token and
//! Stake programs) behind a JSON-RPC endpoint over HTTP, for machines without the Solana
//! toolchain: the CLI, `@solana/kit` and the TypeScript client talk to it as to a node. It is a
//! development endpoint, not a validator: one bank, no consensus, no websockets; it answers the
//! methods in [`METHODS`] and names any other in its error.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use serde_json::{json, Value};
use solana_program_test::BanksClient;
use solana_sdk::signature::Signature;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tributary_client::BankClient;

mod accounts;
mod boundary;
mod cluster;
mod demo;
mod http;
mod json;
mod state;
mod transactions;

pub use demo::{set_up_demo, Demo};
use http::read_request;
use json::{error, METHOD_NOT_FOUND, SERVER_ERROR};
pub use json::{RpcResult, METHODS};
pub use state::restore;

/// A transaction the endpoint landed: what `getTransaction` and `getSignatureStatuses` answer.
struct LandedTransaction {
    slot: u64,
    /// Every account it named, for `getSignaturesForAddress`.
    named: Vec<Pubkey>,
    wire: Vec<u8>,
    logs: Vec<String>,
    compute_units: u64,
    /// Why it failed, for one sent with `skipPreflight`.
    err: Option<Value>,
}

/// What the endpoint remembers: the transactions it landed and every account they named (the
/// bank cannot list accounts; `getProgramAccounts` looks among these).
#[derive(Default)]
struct Memory {
    transactions: HashMap<Signature, LandedTransaction>,
    /// The transactions' signatures in the order they landed.
    order: Vec<Signature>,
    accounts: BTreeSet<Pubkey>,
}

/// The endpoint: one bank, served to every connection in turn.
pub struct Localnet {
    banks: BanksClient,
    /// The bank's controls (its payer, its clock), for airdrops and moving epochs ahead: absent
    /// when the caller keeps them (`serving`).
    control: Option<tokio::sync::Mutex<BankClient>>,
    landed: Mutex<Memory>,
    serving: Serving,
}

/// What an endpoint with its bank's controls serves besides the bank.
#[derive(Default)]
pub struct Serving {
    /// Staking rewards paid at each boundary, in millionths of the active stake.
    pub rewards_ppm: u64,
    /// The demo pool set up in the bank, which `tributaryDemo` names.
    pub demo: Option<Demo>,
    /// The file its state is written to at every epoch it moves (`state.rs`).
    pub state: Option<std::path::PathBuf>,
    /// Accounts it knows from the start: the demo's, a restored state's.
    pub known: Vec<Pubkey>,
}

impl Localnet {
    /// Serves `bank`, airdrops and epochs included, with what `serving` says.
    pub fn new(mut bank: BankClient, serving: Serving) -> Arc<Self> {
        let banks = bank.context().banks_client.clone();
        let landed = Memory {
            accounts: serving.known.iter().copied().collect(),
            ..Memory::default()
        };
        Arc::new(Self {
            banks,
            control: Some(tokio::sync::Mutex::new(bank)),
            landed: Mutex::new(landed),
            serving,
        })
    }

    /// The accounts it knows, in address order.
    pub(super) fn known_accounts(&self) -> Result<Vec<Pubkey>, Value> {
        let landed = self.landed.lock().map_err(json::internal)?;
        Ok(landed.accounts.iter().copied().collect())
    }

    /// Serves a bank whose controls the caller keeps (tests that warp it themselves): no
    /// airdrops, no `tributaryAdvanceEpochs`.
    pub fn serving(banks: BanksClient) -> Arc<Self> {
        Arc::new(Self {
            banks,
            control: None,
            landed: Mutex::new(Memory::default()),
            serving: Serving::default(),
        })
    }

    pub(super) async fn control(&self) -> Result<tokio::sync::MutexGuard<'_, BankClient>, Value> {
        match &self.control {
            Some(bank) => Ok(bank.lock().await),
            None => Err(error(
                SERVER_ERROR,
                "this endpoint serves a bank whose clock and faucet its owner keeps",
            )),
        }
    }

    /// Answers every connection on `listener`, one request each, until the task is dropped.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let endpoint = self.clone();
            tokio::spawn(async move { endpoint.answer(stream).await });
        }
    }

    /// Reads one HTTP request, answers it, and closes the connection. A body that is not
    /// JSON-RPC gets JSON-RPC's parse error.
    async fn answer(&self, mut stream: TcpStream) {
        let Some((method, body)) = read_request(&mut stream).await else {
            return;
        };
        // A browser asks before it posts JSON to another origin (CORS): a dApp's page may.
        if method == "OPTIONS" {
            let allowed = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\
                           Access-Control-Allow-Methods: POST, OPTIONS\r\n\
                           Access-Control-Allow-Headers: content-type, solana-client\r\n\
                           Content-Length: 0\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(allowed.as_bytes()).await;
            return;
        }
        let reply = match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Array(calls)) => {
                let mut replies = Vec::with_capacity(calls.len());
                for call in &calls {
                    replies.push(self.reply(call).await);
                }
                Value::Array(replies)
            }
            Ok(call) => self.reply(&call).await,
            Err(err) => json!({
                "jsonrpc": "2.0",
                "id": null,
                "error": error(-32700, format!("parse error: {err}")),
            }),
        };
        let reply = reply.to_string();
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAccess-Control-Allow-Origin: *\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{reply}",
            reply.len()
        );
        // A client that went away has nothing to read.
        let _ = stream.write_all(response.as_bytes()).await;
    }

    async fn reply(&self, call: &Value) -> Value {
        let method = call["method"].as_str().unwrap_or_default();
        match self.call(method, &call["params"]).await {
            Ok(result) => json!({ "jsonrpc": "2.0", "id": call["id"], "result": result }),
            Err(error) => json!({ "jsonrpc": "2.0", "id": call["id"], "error": error }),
        }
    }

    /// Answers one JSON-RPC call, by the family of methods it belongs to.
    pub async fn call(&self, method: &str, params: &Value) -> RpcResult {
        let not_found = |answer: &RpcResult| matches!(answer, Err(error) if error["code"] == json!(METHOD_NOT_FOUND));
        let answer = self.accounts_call(method, params).await;
        if !not_found(&answer) {
            return answer;
        }
        let answer = self.transactions_call(method, params).await;
        if !not_found(&answer) {
            return answer;
        }
        self.cluster_call(method, params).await
    }

    pub(super) async fn with_context(&self, value: Value) -> RpcResult {
        let slot = self.slot().await?;
        Ok(json!({ "context": { "slot": slot, "apiVersion": "3.1.12" }, "value": value }))
    }
}
