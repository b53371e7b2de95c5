//! The endpoint's JSON: its methods, errors, and accounts and transactions as a node gives them.

use anchor_lang::prelude::Pubkey;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Value};
use solana_sdk::account::Account;
use solana_sdk::signature::Signature;
use solana_sdk::transaction::VersionedTransaction;
use solana_transaction_status_client_types::UiTransactionError;

/// The methods the endpoint answers: the Solana RPC's that the CLI and `@solana/kit` clients
/// ask, and its own: `tributaryAdvanceEpochs` (`[epochs]`, default 1), which moves the bank that
/// many epochs ahead, as time would, and `tributaryDemo`, the demo pool it serves (or null).
pub const METHODS: [&str; 23] = [
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
    "getSignaturesForAddress",
    "tributaryAdvanceEpochs",
    "tributaryDemo",
];

/// JSON-RPC's error codes, and the one a node gives a transaction its preflight refused.
pub(super) const METHOD_NOT_FOUND: i64 = -32601;
pub(super) const INVALID_PARAMS: i64 = -32602;
pub(super) const SERVER_ERROR: i64 = -32603;
pub(super) const PREFLIGHT_FAILURE: i64 = -32002;

/// The fee a node charges per signature, as `getFeeForMessage` reports it.
pub(super) const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

/// A JSON-RPC answer: its result, or its error object.
pub type RpcResult = Result<Value, Value>;

pub(super) fn error(code: i64, message: impl Into<String>) -> Value {
    json!({ "code": code, "message": message.into() })
}

pub(super) fn invalid(message: impl Into<String>) -> Value {
    error(INVALID_PARAMS, message)
}

pub(super) fn internal(err: impl std::fmt::Display) -> Value {
    error(SERVER_ERROR, err.to_string())
}

/// JSON-RPC's "method not found", naming the methods the endpoint answers.
pub(super) fn method_not_found(method: &str) -> Value {
    error(
        METHOD_NOT_FOUND,
        format!(
            "Method not found: this development endpoint does not answer {method:?} (it answers {})",
            METHODS.join(", ")
        ),
    )
}

/// What a node's preflight answers for a transaction its simulation refused.
pub(super) fn preflight_failure(
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
pub(super) fn transaction_error(err: solana_sdk::transaction::TransactionError) -> Value {
    serde_json::to_value(UiTransactionError::from(err)).unwrap_or(Value::Null)
}

/// The legacy `status` field beside `err`.
pub(super) fn status(err: &Option<Value>) -> Value {
    match err {
        None => json!({ "Ok": null }),
        Some(err) => json!({ "Err": err }),
    }
}

/// A transaction as a node's `json` encoding gives it: signatures, and the message with its
/// header, static keys, blockhash, instructions (data in base58) and table lookups.
pub(super) fn transaction_json(transaction: &VersionedTransaction) -> Value {
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

pub(super) fn address(value: &Value) -> Result<Pubkey, Value> {
    value
        .as_str()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| invalid(format!("{value} is not an address")))
}

pub(super) fn parse_signature(value: &Value) -> Result<Signature, Value> {
    value
        .as_str()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| invalid(format!("{value} is not a signature")))
}

/// An account as a node answers it, its data in base64.
pub(super) fn account_json(account: &Account) -> Value {
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
pub(super) fn sliced(mut account: Account, slice: &Value) -> Account {
    if let (Some(offset), Some(length)) = (slice["offset"].as_u64(), slice["length"].as_u64()) {
        let data = account.data.get(offset as usize..).unwrap_or_default();
        account.data = data[..(length as usize).min(data.len())].to_vec();
    }
    account
}

/// Whether `data` passes every `memcmp` and `dataSize` filter.
pub(super) fn passes(data: &[u8], filters: &[Value]) -> Result<bool, Value> {
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
pub(super) fn decode_transaction(params: &Value) -> Result<(VersionedTransaction, Vec<u8>), Value> {
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
