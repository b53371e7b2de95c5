//! The methods that send, simulate and report transactions.

use anchor_lang::prelude::Pubkey;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Value};
use solana_address_lookup_table_interface::state::AddressLookupTable;
use solana_sdk::message::VersionedMessage;
use solana_sdk::signature::Signer;
use solana_sdk::transaction::{Transaction, VersionedTransaction};

use super::json::{
    address, decode_transaction, internal, invalid, method_not_found, parse_signature,
    preflight_failure, status, transaction_error, transaction_json, RpcResult,
    LAMPORTS_PER_SIGNATURE,
};
use super::{LandedTransaction, Localnet};

impl Localnet {
    /// Answers the methods that send, simulate and report transactions.
    pub(super) async fn transactions_call(&self, method: &str, params: &Value) -> RpcResult {
        match method {
            "sendTransaction" => self.send(params).await,
            "simulateTransaction" => self.simulate(params).await,
            "getSignatureStatuses" => self.signature_statuses(params).await,
            "getTransaction" => self.transaction(params),
            "getSignaturesForAddress" => self.signatures_for(params),
            "requestAirdrop" => {
                let lamports = params[1]
                    .as_u64()
                    .ok_or_else(|| invalid("expected lamports"))?;
                self.airdrop(&address(&params[0])?, lamports).await
            }
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
            method => Err(method_not_found(method)),
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
        let named = self.named_accounts(&transaction.message).await?;
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
        // This bank moves slots only when told, as a validator moves them with time: each
        // transaction moves it one on, so what waits for a slot (a lookup table's addresses,
        // a new table's recent slot) does not wait forever.
        if self.control.is_some() {
            let mut control = self.control().await?;
            control.context().warp_to_slot(slot + 1).map_err(internal)?;
        }
        let mut landed = self.landed.lock().map_err(internal)?;
        landed.accounts.extend(named.iter().copied());
        landed.order.push(signature);
        landed.transactions.insert(
            signature,
            LandedTransaction {
                slot,
                named,
                wire,
                logs,
                compute_units,
                err,
            },
        );
        Ok(json!(signature.to_string()))
    }

    /// Every account `message` names: its own keys and those it loads from lookup tables.
    async fn named_accounts(&self, message: &VersionedMessage) -> Result<Vec<Pubkey>, Value> {
        let mut named = message.static_account_keys().to_vec();
        for lookup in message.address_table_lookups().unwrap_or_default() {
            let Some(table) = self.account(&lookup.account_key).await? else {
                continue;
            };
            let Ok(table) = AddressLookupTable::deserialize(&table.data) else {
                continue;
            };
            let indexes = lookup
                .writable_indexes
                .iter()
                .chain(&lookup.readonly_indexes);
            named.extend(indexes.filter_map(|index| table.addresses.get(usize::from(*index))));
        }
        Ok(named)
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

    /// The signatures of the transactions that named an address, newest first, as a node
    /// answers them: at most `limit` (default and most 1,000), older than `before` if given.
    fn signatures_for(&self, params: &Value) -> RpcResult {
        let named = address(&params[0])?;
        let config = &params[1];
        let limit = config["limit"].as_u64().unwrap_or(1_000).clamp(1, 1_000) as usize;
        let before = match config["before"].as_str() {
            Some(_) => Some(parse_signature(&config["before"])?),
            None => None,
        };
        let landed = self.landed.lock().map_err(internal)?;
        let newest_first = landed.order.iter().rev();
        let older = newest_first.skip_while(|signature| before.is_some_and(|b| b != **signature));
        let listed = older
            .skip(usize::from(before.is_some()))
            .filter_map(|signature| Some((signature, landed.transactions.get(signature)?)))
            .filter(|(_, transaction)| transaction.named.contains(&named))
            .take(limit)
            .map(|(signature, transaction)| {
                json!({
                    "signature": signature.to_string(),
                    "slot": transaction.slot,
                    "err": transaction.err,
                    "memo": null,
                    "blockTime": null,
                    "confirmationStatus": "finalized",
                })
            });
        Ok(Value::Array(listed.collect()))
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
