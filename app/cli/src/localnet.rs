//! `tributary localnet`: the in-process bank (the program, Token-2022, the associated-token and
//! Stake programs) behind a JSON-RPC endpoint over HTTP, for machines without the Solana
//! toolchain: the CLI, `@solana/kit` and the TypeScript client talk to it as to a node. It is a
//! development endpoint, not a validator: one bank, no consensus, no websockets; it answers the
//! methods in [`METHODS`] and names any other in its error.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Value};
use solana_program_test::BanksClient;
use solana_sdk::account::Account;
use solana_sdk::message::VersionedMessage;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::{Transaction, VersionedTransaction};
use solana_transaction_status_client_types::UiTransactionError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tributary::instructions::InitializePoolArgs;
use tributary::state::Fees;

use tributary_client::state::{decode_mint, ui_amount};
use tributary_client::{BankClient, ClientError, LAMPORTS_PER_SOL};

/// The methods the endpoint answers: the Solana RPC's that the CLI and `@solana/kit` clients
/// ask, and `tributaryAdvanceEpochs` (`[epochs]`, default 1), which moves the bank that many
/// epochs ahead, as time would.
pub const METHODS: [&str; 21] = [
    "getAccountInfo",
    "getMultipleAccounts",
    "getBalance",
    "getTokenAccountBalance",
    "getProgramAccounts",
    "getLatestBlockhash",
    "isBlockhashValid",
    "sendTransaction",
    "simulateTransaction",
    "getSignatureStatuses",
    "getTransaction",
    "requestAirdrop",
    "getMinimumBalanceForRentExemption",
    "getEpochInfo",
    "getEpochSchedule",
    "getSlot",
    "getBlockHeight",
    "getFeeForMessage",
    "getVersion",
    "getHealth",
    "tributaryAdvanceEpochs",
];

/// JSON-RPC's error codes, and the one a node gives a transaction its preflight refused.
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_ERROR: i64 = -32603;
const PREFLIGHT_FAILURE: i64 = -32002;

/// The fee a node charges per signature, as `getFeeForMessage` reports it.
const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

type RpcResult = Result<Value, Value>;

fn error(code: i64, message: impl Into<String>) -> Value {
    json!({ "code": code, "message": message.into() })
}

fn invalid(message: impl Into<String>) -> Value {
    error(INVALID_PARAMS, message)
}

fn internal(err: impl std::fmt::Display) -> Value {
    error(SERVER_ERROR, err.to_string())
}

/// A transaction the endpoint landed: what `getTransaction` and `getSignatureStatuses` answer.
struct LandedTransaction {
    slot: u64,
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
    accounts: BTreeSet<Pubkey>,
}

/// The endpoint: one bank, served to every connection in turn.
pub struct Localnet {
    banks: BanksClient,
    /// The bank's controls (its payer, its clock), for airdrops and moving epochs ahead: absent
    /// when the caller keeps them (`serving`).
    control: Option<tokio::sync::Mutex<BankClient>>,
    landed: Mutex<Memory>,
}

impl Localnet {
    /// Serves `bank`, airdrops and epochs included.
    pub fn new(mut bank: BankClient) -> Arc<Self> {
        let banks = bank.context().banks_client.clone();
        Arc::new(Self {
            banks,
            control: Some(tokio::sync::Mutex::new(bank)),
            landed: Mutex::new(Memory::default()),
        })
    }

    /// Serves a bank whose controls the caller keeps (tests that warp it themselves): no
    /// airdrops, no `tributaryAdvanceEpochs`.
    pub fn serving(banks: BanksClient) -> Arc<Self> {
        Arc::new(Self {
            banks,
            control: None,
            landed: Mutex::new(Memory::default()),
        })
    }

    async fn control(&self) -> Result<tokio::sync::MutexGuard<'_, BankClient>, Value> {
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

    /// Answers one JSON-RPC call.
    pub async fn call(&self, method: &str, params: &Value) -> RpcResult {
        match method {
            "getAccountInfo" => {
                let address = address(&params[0])?;
                let account = self.account(&address).await?;
                self.with_context(account.map_or(Value::Null, |account| {
                    account_json(&sliced(account, &params[1]["dataSlice"]))
                }))
                .await
            }
            "getMultipleAccounts" => {
                let addresses = params[0]
                    .as_array()
                    .ok_or_else(|| invalid("expected a list of addresses"))?;
                let mut accounts = Vec::with_capacity(addresses.len());
                for address_value in addresses {
                    let account = self.account(&address(address_value)?).await?;
                    accounts.push(account.map_or(Value::Null, |account| {
                        account_json(&sliced(account, &params[1]["dataSlice"]))
                    }));
                }
                self.with_context(json!(accounts)).await
            }
            "getBalance" => {
                let account = self.account(&address(&params[0])?).await?;
                self.with_context(json!(account.map_or(0, |account| account.lamports)))
                    .await
            }
            "getTokenAccountBalance" => self.token_balance(&address(&params[0])?).await,
            "getProgramAccounts" => self.program_accounts(params).await,
            "getLatestBlockhash" => {
                let blockhash = self.banks.get_latest_blockhash().await.map_err(internal)?;
                let height = self.slot().await? + 150;
                self.with_context(json!({
                    "blockhash": blockhash.to_string(),
                    "lastValidBlockHeight": height,
                }))
                .await
            }
            "isBlockhashValid" => self.with_context(json!(true)).await,
            "sendTransaction" => self.send(params).await,
            "simulateTransaction" => self.simulate(params).await,
            "getSignatureStatuses" => self.signature_statuses(params).await,
            "getTransaction" => self.transaction(params),
            "requestAirdrop" => {
                let lamports = params[1]
                    .as_u64()
                    .ok_or_else(|| invalid("expected lamports"))?;
                self.airdrop(&address(&params[0])?, lamports).await
            }
            "getMinimumBalanceForRentExemption" => {
                let space = params[0]
                    .as_u64()
                    .ok_or_else(|| invalid("expected a size"))?;
                let rent = self.banks.get_rent().await.map_err(internal)?;
                Ok(json!(rent.minimum_balance(space as usize)))
            }
            "getEpochInfo" => {
                let clock = self.clock().await?;
                let schedule = self.epoch_schedule().await?;
                let first = schedule.get_first_slot_in_epoch(clock.epoch);
                Ok(json!({
                    "absoluteSlot": clock.slot,
                    "blockHeight": clock.slot,
                    "epoch": clock.epoch,
                    "slotIndex": clock.slot - first,
                    "slotsInEpoch": schedule.get_slots_in_epoch(clock.epoch),
                    "transactionCount": self.landed.lock().map_err(internal)?.transactions.len(),
                }))
            }
            "getEpochSchedule" => {
                let schedule = self.epoch_schedule().await?;
                Ok(json!({
                    "slotsPerEpoch": schedule.slots_per_epoch,
                    "leaderScheduleSlotOffset": schedule.leader_schedule_slot_offset,
                    "warmup": schedule.warmup,
                    "firstNormalEpoch": schedule.first_normal_epoch,
                    "firstNormalSlot": schedule.first_normal_slot,
                }))
            }
            "getSlot" | "getBlockHeight" => Ok(json!(self.slot().await?)),
            "getFeeForMessage" => {
                let message = params[0]
                    .as_str()
                    .and_then(|text| BASE64.decode(text).ok())
                    .ok_or_else(|| invalid("expected a base64 message"))?;
                // A message starts with its count of required signatures.
                let signatures = u64::from(*message.first().unwrap_or(&0) & 0x7f);
                self.with_context(json!(signatures * LAMPORTS_PER_SIGNATURE))
                    .await
            }
            "getVersion" => Ok(json!({ "solana-core": "3.1.12", "feature-set": 0 })),
            "getHealth" => Ok(json!("ok")),
            "tributaryAdvanceEpochs" => {
                let epochs = params[0].as_u64().unwrap_or(1);
                if !(1..=100).contains(&epochs) {
                    return Err(invalid("advance between 1 and 100 epochs at a time"));
                }
                let epoch = self
                    .control()
                    .await?
                    .warp_epochs(epochs)
                    .await
                    .map_err(internal)?;
                Ok(json!({ "epoch": epoch }))
            }
            method => Err(error(
                METHOD_NOT_FOUND,
                format!(
                    "Method not found: this development endpoint does not answer {method:?} \
                     (it answers {})",
                    METHODS.join(", ")
                ),
            )),
        }
    }

    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, Value> {
        self.banks.get_account(*address).await.map_err(internal)
    }

    async fn clock(&self) -> Result<solana_sdk::clock::Clock, Value> {
        self.banks
            .get_sysvar::<solana_sdk::clock::Clock>()
            .await
            .map_err(internal)
    }

    async fn slot(&self) -> Result<u64, Value> {
        Ok(self.clock().await?.slot)
    }

    async fn epoch_schedule(&self) -> Result<solana_sdk::epoch_schedule::EpochSchedule, Value> {
        self.banks
            .get_sysvar::<solana_sdk::epoch_schedule::EpochSchedule>()
            .await
            .map_err(internal)
    }

    async fn with_context(&self, value: Value) -> RpcResult {
        let slot = self.slot().await?;
        Ok(json!({ "context": { "slot": slot, "apiVersion": "3.1.12" }, "value": value }))
    }

    /// What a wallet shows for a Token-2022 account: its amount scaled by the mint's
    /// ScaledUiAmount multiplier, as a node's `getTokenAccountBalance` answers it.
    async fn token_balance(&self, address: &Pubkey) -> RpcResult {
        use spl_token_2022_interface::extension::StateWithExtensions;
        use spl_token_2022_interface::state::Account as TokenAccount;
        let account = self
            .account(address)
            .await?
            .ok_or_else(|| invalid(format!("could not find account {address}")))?;
        let token = StateWithExtensions::<TokenAccount>::unpack(&account.data)
            .map_err(|_| invalid(format!("{address} is not a token account")))?;
        let amount = token.base.amount;
        let mint = self
            .account(&token.base.mint)
            .await?
            .ok_or_else(|| invalid("the token account's mint is gone"))?;
        let timestamp = self.clock().await?.unix_timestamp;
        let decimals = decode_mint(&mint.data, timestamp)
            .map_err(internal)?
            .decimals;
        let shown = ui_amount(&mint.data, amount, timestamp).map_err(internal)?;
        self.with_context(json!({
            "amount": amount.to_string(),
            "decimals": decimals,
            "uiAmount": shown.parse::<f64>().ok(),
            "uiAmountString": shown,
        }))
        .await
    }

    async fn program_accounts(&self, params: &Value) -> RpcResult {
        let program = address(&params[0])?;
        let config = &params[1];
        let filters = config["filters"].as_array().cloned().unwrap_or_default();
        let named = self.landed.lock().map_err(internal)?.accounts.clone();
        let mut listed = Vec::new();
        for address in named {
            let Some(account) = self.account(&address).await? else {
                continue;
            };
            if account.owner != program || !passes(&account.data, &filters)? {
                continue;
            }
            listed.push(json!({
                "pubkey": address.to_string(),
                "account": account_json(&sliced(account, &config["dataSlice"])),
            }));
        }
        match config["withContext"].as_bool() {
            Some(true) => self.with_context(json!(listed)).await,
            _ => Ok(json!(listed)),
        }
    }

    async fn send(&self, params: &Value) -> RpcResult {
        let (transaction, wire) = decode_transaction(params)?;
        let skip_preflight = params[1]["skipPreflight"].as_bool() == Some(true);
        self.land(transaction, wire, skip_preflight).await
    }

    /// Lands a transaction as a node does: with preflight, one that fails is refused with the
    /// simulation's error and logs, and pays nothing; without (`skipPreflight`), it lands
    /// failed, pays its fee, and its status carries the error.
    async fn land(
        &self,
        transaction: VersionedTransaction,
        wire: Vec<u8>,
        skip_preflight: bool,
    ) -> RpcResult {
        let signature = transaction.signatures[0];
        let named = transaction.message.static_account_keys().to_vec();
        if !skip_preflight {
            let simulation = self
                .banks
                .simulate_transaction(transaction.clone())
                .await
                .map_err(internal)?;
            if let Some(Err(err)) = simulation.result {
                let details = simulation.simulation_details;
                let (logs, units) = details
                    .map(|details| (details.logs, details.units_consumed))
                    .unwrap_or_default();
                return Err(preflight_failure(err, logs, units));
            }
        }
        let outcome = self
            .banks
            .process_transaction_with_metadata(transaction)
            .await
            .map_err(internal)?;
        let (logs, compute_units) = outcome
            .metadata
            .map(|meta| (meta.log_messages, meta.compute_units_consumed))
            .unwrap_or_default();
        let err = outcome.result.err().map(transaction_error);
        let slot = self.slot().await?;
        let mut landed = self.landed.lock().map_err(internal)?;
        landed.accounts.extend(named);
        landed.transactions.insert(
            signature,
            LandedTransaction {
                slot,
                wire,
                logs,
                compute_units,
                err,
            },
        );
        Ok(json!(signature.to_string()))
    }

    async fn simulate(&self, params: &Value) -> RpcResult {
        let (mut transaction, _) = decode_transaction(params)?;
        if params[1]["replaceRecentBlockhash"].as_bool() == Some(true) {
            let blockhash = self.banks.get_latest_blockhash().await.map_err(internal)?;
            transaction.message.set_recent_blockhash(blockhash);
        }
        let simulation = self
            .banks
            .simulate_transaction(transaction)
            .await
            .map_err(internal)?;
        let details = simulation
            .simulation_details
            .ok_or_else(|| internal("the bank gave no simulation details"))?;
        let return_data = details.return_data.map(|data| {
            json!({
                "programId": data.program_id.to_string(),
                "data": [BASE64.encode(&data.data), "base64"],
            })
        });
        let err = simulation
            .result
            .and_then(Result::err)
            .map_or(Value::Null, transaction_error);
        self.with_context(json!({
            "err": err,
            "logs": details.logs,
            "accounts": null,
            "unitsConsumed": details.units_consumed,
            "returnData": return_data,
        }))
        .await
    }

    async fn signature_statuses(&self, params: &Value) -> RpcResult {
        let signatures = params[0]
            .as_array()
            .ok_or_else(|| invalid("expected a list of signatures"))?;
        let mut statuses = Vec::with_capacity(signatures.len());
        for signature in signatures {
            let signature = parse_signature(signature)?;
            let landed = self.landed.lock().map_err(internal)?;
            statuses.push(match landed.transactions.get(&signature) {
                Some(transaction) => json!({
                    "slot": transaction.slot,
                    "confirmations": null,
                    "err": transaction.err,
                    "status": status(&transaction.err),
                    "confirmationStatus": "finalized",
                }),
                None => Value::Null,
            });
        }
        self.with_context(json!(statuses)).await
    }

    fn transaction(&self, params: &Value) -> RpcResult {
        let signature = parse_signature(&params[0])?;
        let landed = self.landed.lock().map_err(internal)?;
        let Some(transaction) = landed.transactions.get(&signature) else {
            return Ok(Value::Null);
        };
        let decoded: VersionedTransaction =
            bincode::deserialize(&transaction.wire).map_err(internal)?;
        // The encoding asked for, in the config object or (older clients) alone.
        let encoding = params[1]["encoding"]
            .as_str()
            .or_else(|| params[1].as_str())
            .unwrap_or("json");
        let encoded = match encoding {
            "base64" => json!([BASE64.encode(&transaction.wire), "base64"]),
            "base58" => json!([bs58::encode(&transaction.wire).into_string(), "base58"]),
            _ => transaction_json(&decoded),
        };
        let version = match &decoded.message {
            VersionedMessage::Legacy(_) => json!("legacy"),
            VersionedMessage::V0(_) => json!(0),
        };
        let fee = LAMPORTS_PER_SIGNATURE * decoded.signatures.len() as u64;
        Ok(json!({
            "slot": transaction.slot,
            "blockTime": null,
            "version": version,
            "transaction": encoded,
            "meta": {
                "err": transaction.err,
                "status": status(&transaction.err),
                "fee": fee,
                "preBalances": [],
                "postBalances": [],
                "innerInstructions": [],
                "logMessages": transaction.logs,
                "preTokenBalances": [],
                "postTokenBalances": [],
                "rewards": [],
                "loadedAddresses": { "writable": [], "readonly": [] },
                "computeUnitsConsumed": transaction.compute_units,
            },
        }))
    }

    /// A test cluster's faucet: a transfer from the bank's payer, landed as any transaction.
    async fn airdrop(&self, to: &Pubkey, lamports: u64) -> RpcResult {
        let payer = self.control().await?.context().payer.insecure_clone();
        let blockhash = self.banks.get_latest_blockhash().await.map_err(internal)?;
        let transfer = anchor_lang::solana_program::system_instruction::transfer(
            &payer.pubkey(),
            to,
            lamports,
        );
        let transaction = Transaction::new_signed_with_payer(
            &[transfer],
            Some(&payer.pubkey()),
            &[&payer],
            blockhash,
        );
        let wire = bincode::serialize(&transaction).map_err(internal)?;
        self.land(transaction.into(), wire, false).await
    }
}

/// The demo's pool: what `tributary localnet --demo` prints.
#[derive(Debug, serde::Serialize)]
pub struct Demo {
    pub pool: String,
    /// The funded keypair's address: the pool's admin, operator and treasury owner.
    pub wallet: String,
    pub validators: Vec<String>,
}

/// Validators in the demo pool.
const DEMO_VALIDATORS: usize = 3;
/// What the demo's keypair holds, in SOL.
const DEMO_WALLET_SOL: u64 = 1_000;

/// Sets up a pool in `bank` for `wallet`, who is its admin and operator, with validators and
/// lamports to play with.
pub async fn set_up_demo(bank: &mut BankClient, wallet: &Keypair) -> Result<Demo, ClientError> {
    bank.transfer(&wallet.pubkey(), DEMO_WALLET_SOL * LAMPORTS_PER_SOL)
        .await?;
    let pool = Keypair::new();
    let args = InitializePoolArgs {
        operator: wallet.pubkey(),
        // Fees a user sees at work; no ticket fee.
        fees: Fees {
            deposit_bps: 10,
            withdrawal_bps: 30,
            epoch_bps: 500,
            mev_bps: 800,
            mev_commission_cap_bps: 1_000,
            ..Fees::default()
        },
        tip_rate_cap_bps: tributary::constants::DEFAULT_TIP_RATE_CAP_BPS,
        name: tributary_client::instructions::DEFAULT_TOKEN_NAME.into(),
        symbol: tributary_client::instructions::DEFAULT_TOKEN_SYMBOL.into(),
        uri: String::new(),
    };
    bank.initialize_pool(wallet, &pool, &wallet.pubkey(), args)
        .await?;
    bank.create_pool_tip_accounts().await?;
    let mut validators = Vec::with_capacity(DEMO_VALIDATORS);
    for _ in 0..DEMO_VALIDATORS {
        let (vote, _) = bank.create_vote_account(5).await?;
        bank.add_validator(wallet, &vote).await?;
        validators.push(vote.to_string());
    }
    Ok(Demo {
        pool: pool.pubkey().to_string(),
        wallet: wallet.pubkey().to_string(),
        validators,
    })
}

/// What a node's preflight answers for a transaction its simulation refused.
fn preflight_failure(
    err: solana_sdk::transaction::TransactionError,
    logs: Vec<String>,
    units: u64,
) -> Value {
    json!({
        "code": PREFLIGHT_FAILURE,
        "message": format!("Transaction simulation failed: {err}"),
        "data": {
            "err": transaction_error(err),
            "logs": logs,
            "accounts": null,
            "unitsConsumed": units,
            "returnData": null,
        },
    })
}

/// A transaction's error as a node's JSON gives it.
fn transaction_error(err: solana_sdk::transaction::TransactionError) -> Value {
    serde_json::to_value(UiTransactionError::from(err)).unwrap_or(Value::Null)
}

/// The legacy `status` field beside `err`.
fn status(err: &Option<Value>) -> Value {
    match err {
        None => json!({ "Ok": null }),
        Some(err) => json!({ "Err": err }),
    }
}

/// A transaction as a node's `json` encoding gives it: signatures, and the message with its
/// header, static keys, blockhash, instructions (data in base58) and table lookups.
fn transaction_json(transaction: &VersionedTransaction) -> Value {
    let message = &transaction.message;
    let header = message.header();
    let instructions: Vec<Value> = message
        .instructions()
        .iter()
        .map(|instruction| {
            json!({
                "programIdIndex": instruction.program_id_index,
                "accounts": instruction.accounts,
                "data": bs58::encode(&instruction.data).into_string(),
                "stackHeight": null,
            })
        })
        .collect();
    let mut json_message = json!({
        "header": {
            "numRequiredSignatures": header.num_required_signatures,
            "numReadonlySignedAccounts": header.num_readonly_signed_accounts,
            "numReadonlyUnsignedAccounts": header.num_readonly_unsigned_accounts,
        },
        "accountKeys": message
            .static_account_keys()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        "recentBlockhash": message.recent_blockhash().to_string(),
        "instructions": instructions,
    });
    if let Some(lookups) = message.address_table_lookups() {
        json_message["addressTableLookups"] = lookups
            .iter()
            .map(|lookup| {
                json!({
                    "accountKey": lookup.account_key.to_string(),
                    "writableIndexes": lookup.writable_indexes,
                    "readonlyIndexes": lookup.readonly_indexes,
                })
            })
            .collect();
    }
    json!({
        "signatures": transaction
            .signatures
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        "message": json_message,
    })
}

/// Reads one HTTP request: its method and body, or `None` when the client left before sending
/// it whole.
async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut request = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        request.extend_from_slice(&buffer[..read]);
        let Some(end) = request.windows(4).position(|window| window == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&request[..end]);
        let length: usize = head
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            let method = head.split(' ').next().unwrap_or_default().to_owned();
            return Some((method, request[end + 4..end + 4 + length].to_vec()));
        }
    }
}

fn address(value: &Value) -> Result<Pubkey, Value> {
    value
        .as_str()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| invalid(format!("{value} is not an address")))
}

fn parse_signature(value: &Value) -> Result<Signature, Value> {
    value
        .as_str()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| invalid(format!("{value} is not a signature")))
}

/// An account as a node answers it, its data in base64.
fn account_json(account: &Account) -> Value {
    json!({
        "data": [BASE64.encode(&account.data), "base64"],
        "executable": account.executable,
        "lamports": account.lamports,
        "owner": account.owner.to_string(),
        "rentEpoch": account.rent_epoch,
        "space": account.data.len(),
    })
}

/// The part of the account's data a `dataSlice` asks for; all of it without one.
fn sliced(mut account: Account, slice: &Value) -> Account {
    if let (Some(offset), Some(length)) = (slice["offset"].as_u64(), slice["length"].as_u64()) {
        let data = account.data.get(offset as usize..).unwrap_or_default();
        account.data = data[..(length as usize).min(data.len())].to_vec();
    }
    account
}

/// Whether `data` passes every `memcmp` and `dataSize` filter.
fn passes(data: &[u8], filters: &[Value]) -> Result<bool, Value> {
    for filter in filters {
        if let Some(size) = filter["dataSize"].as_u64() {
            if data.len() as u64 != size {
                return Ok(false);
            }
            continue;
        }
        let memcmp = &filter["memcmp"];
        let offset = memcmp["offset"]
            .as_u64()
            .ok_or_else(|| invalid(format!("unknown filter {filter}")))?
            as usize;
        let text = memcmp["bytes"]
            .as_str()
            .ok_or_else(|| invalid("a memcmp filter needs bytes"))?;
        let bytes = match memcmp["encoding"].as_str() {
            Some("base64") => BASE64
                .decode(text)
                .map_err(|err| invalid(err.to_string()))?,
            _ => bs58::decode(text)
                .into_vec()
                .map_err(|err| invalid(err.to_string()))?,
        };
        if data.get(offset..offset + bytes.len()) != Some(bytes.as_slice()) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A transaction as sent, legacy or v0, in base64 (the default of `@solana/kit` and the Rust
/// client) or base58; and its bytes.
fn decode_transaction(params: &Value) -> Result<(VersionedTransaction, Vec<u8>), Value> {
    let text = params[0]
        .as_str()
        .ok_or_else(|| invalid("expected an encoded transaction"))?;
    let wire = match params[1]["encoding"].as_str() {
        Some("base58") => bs58::decode(text)
            .into_vec()
            .map_err(|err| invalid(err.to_string()))?,
        _ => BASE64
            .decode(text)
            .map_err(|err| invalid(err.to_string()))?,
    };
    let transaction =
        bincode::deserialize(&wire).map_err(|err| invalid(format!("not a transaction: {err}")))?;
    Ok((transaction, wire))
}
