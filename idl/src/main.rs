//! Builds the program's Anchor IDL the way `anchor idl build` does (no SBF toolchain needed),
//! completes it for generated clients (Codama, Anchor's TypeScript client) and writes it to
//! `idl/tributary.json`; with `--check`, fails when the committed file differs.
//!
//! What Anchor's builder leaves out, added here:
//! - the seeds of every derived address (`pda`): the program checks its PDAs against the
//!   addresses the pool stores rather than deriving them (a derivation costs compute on every
//!   call), so Anchor does not see them;
//! - the validator list's entry type, which sits behind the zero-copy header;
//! - the docs of the accounts every instruction names the same way.
//!
//! It then refuses an IDL with an instruction, account, argument, type or field left undocumented.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anchor_lang_idl::build::IdlBuilder;
use serde_json::{json, Map, Value};
use tributary::constants::{
    AUTHORITY_SEED, MEV_VAULT_SEED, MINT_SEED, RESERVE_SEED, TRANSIENT_STAKE_SEED,
    VALIDATOR_LIST_SEED, VALIDATOR_STAKE_SEED,
};

/// Accounts derived from the pool: `[seed, pool]`.
const POOL_PDAS: [(&str, &[u8]); 4] = [
    ("authority", AUTHORITY_SEED),
    ("reserve", RESERVE_SEED),
    ("mint", MINT_SEED),
    ("validator_list", VALIDATOR_LIST_SEED),
];

/// Accounts derived from the pool and a validator's vote account: `[seed, pool, vote]`.
const VALIDATOR_PDAS: [(&str, &[u8]); 3] = [
    ("validator_stake", VALIDATOR_STAKE_SEED),
    ("transient_stake", TRANSIENT_STAKE_SEED),
    ("mev_vault", MEV_VAULT_SEED),
];

/// Validators' accounts whose vote account the instruction does not name, so a client cannot
/// derive them from the instruction's accounts: the validator a staker deposits stake to or
/// withdraws stake from (named by its index in the list), the tip account a caller
/// distributes or a validator sets its commission on, and the stake account and tip account of
/// the validator whose stake-account tips a caller collects.
const CALLER_NAMED: [(&str, &str); 6] = [
    ("deposit_stake", "validator_stake"),
    ("withdraw_stake", "validator_stake"),
    ("distribute", "mev_vault"),
    ("set_mev_commission", "mev_vault"),
    ("collect_stake_tips", "mev_vault"),
    ("collect_stake_tips", "validator_stake"),
];

/// Docs for the accounts every instruction names the same way and means the same by; an
/// instruction's own doc on the account, where it has one, is kept.
const SHARED_ACCOUNT_DOCS: [(&str, &str); 20] = [
    ("pool", "The pool."),
    ("admin", "The pool's admin, who signs."),
    ("operator", "The pool's operator, who signs."),
    ("payer", "Pays the rent of what is created."),
    (
        "authority",
        "The pool's authority: owns its stake accounts, mints and burns its token.",
    ),
    (
        "reserve",
        "The pool's reserve: holds the SOL not delegated.",
    ),
    ("mint", "The pool's token (Token-2022)."),
    ("validator_list", "The pool's validator list."),
    (
        "validator_stake",
        "The validator's stake account, owned by the pool's authority.",
    ),
    (
        "transient_stake",
        "The validator's transient stake account: stake on its way in or out.",
    ),
    (
        "mev_vault",
        "The validator's tip account: searchers tip here, `distribute` splits it.",
    ),
    ("vote", "The validator's vote account."),
    ("system_program", "The System program."),
    ("token_program", "The Token-2022 program."),
    (
        "associated_token_program",
        "The Associated Token Account program.",
    ),
    ("rent", "The Rent sysvar."),
    ("clock", "The Clock sysvar."),
    ("stake_history", "The StakeHistory sysvar."),
    ("stake_program", "The Stake program."),
    (
        "stake_config",
        "The stake config account the Stake program's delegation asks for.",
    ),
];

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("usage: tributary-idl [--check]   (unknown argument {other:?})");
            return ExitCode::from(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate sits in the workspace")
        .to_path_buf();
    let committed = root.join("idl").join("tributary.json");
    let idl = match build(&root) {
        Ok(idl) => idl,
        Err(err) => {
            eprintln!("error: cannot build the IDL: {err}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        let current = std::fs::read_to_string(&committed).unwrap_or_default();
        if current != idl {
            eprintln!(
                "error: {} is out of date: run `cargo run -p tributary-idl` and commit it",
                committed.display()
            );
            return ExitCode::FAILURE;
        }
        println!("{} is current", committed.display());
    } else if let Err(err) = std::fs::write(&committed, idl) {
        eprintln!("error: cannot write {}: {err}", committed.display());
        return ExitCode::FAILURE;
    } else {
        println!("wrote {}", committed.display());
    }
    ExitCode::SUCCESS
}

/// The IDL as pretty JSON. The build runs `cargo test` on the program with its `idl-build`
/// feature and other RUSTFLAGS, so it gets a target folder of its own rather than waiting for,
/// or invalidating, the workspace's.
fn build(root: &Path) -> Result<String, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("idl");
    std::env::set_var("CARGO_TARGET_DIR", target);
    // The builder would pass the toolchain named here to cargo in a form cargo does not take.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let program = root.join("programs").join("tributary");
    let idl = IdlBuilder::new()
        .program_path(program.clone())
        .build()
        .map_err(|err| err.to_string())?;
    let mut idl = serde_json::to_value(&idl).map_err(|err| err.to_string())?;
    add_entry_types(&mut idl, &program)?;
    let instructions = idl["instructions"]
        .as_array_mut()
        .ok_or("the IDL has no instructions")?;
    for instruction in instructions {
        let name = instruction["name"].as_str().unwrap_or_default().to_owned();
        let accounts = instruction["accounts"]
            .as_array_mut()
            .ok_or_else(|| format!("{name} has no accounts"))?;
        complete_accounts(&name, accounts)?;
    }
    let missing = undocumented(&idl);
    if !missing.is_empty() {
        return Err(format!(
            "{} item(s) have no doc comment: {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    let json = serde_json::to_string_pretty(&idl).map_err(|err| err.to_string())?;
    Ok(json + "\n")
}

/// Adds `ValidatorEntry` and the types in it, printed by a test of the program built as the
/// builder just built it (same features and flags, so nothing is compiled again).
fn add_entry_types(idl: &mut Value, program: &Path) -> Result<(), String> {
    const BEGIN: &str = "--- validator entry types ---";
    const END: &str = "--- end validator entry types ---";
    let output = Command::new("cargo")
        .args(["test", "--features", "idl-build", "--lib"])
        .args([
            "print_validator_entry_idl_types",
            "--",
            "--nocapture",
            "--quiet",
        ])
        .env("RUSTFLAGS", "-A warnings")
        .current_dir(program)
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let printed = stdout
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(types, _)| types.trim())
        .ok_or_else(|| {
            format!(
                "the program's test printed no entry types: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    // Anchor names the types by their paths; the IDL by their names.
    let printed = printed
        .replace("tributary::state::validator_list::", "")
        .replace("tributary::state::validator_kinds::", "");
    let entry_types: Vec<Value> = serde_json::from_str(&printed).map_err(|err| err.to_string())?;
    let types = idl["types"].as_array_mut().ok_or("the IDL has no types")?;
    for entry_type in entry_types {
        if !types
            .iter()
            .any(|known| known["name"] == entry_type["name"])
        {
            types.push(entry_type);
        }
    }
    types.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Ok(())
}

/// Gives each account of one level of an instruction its seeds, when it is derived, and its
/// shared doc, when it has none of its own; then does the same for nested account groups.
fn complete_accounts(instruction: &str, accounts: &mut [Value]) -> Result<(), String> {
    let names: Vec<String> = accounts
        .iter()
        .filter(|account| account.get("accounts").is_none())
        .filter_map(|account| account["name"].as_str().map(str::to_owned))
        .collect();
    let has = |name: &str| names.iter().any(|known| known == name);
    for account in accounts.iter_mut() {
        let name = account["name"].as_str().unwrap_or_default().to_owned();
        if let Some(nested) = account.get_mut("accounts").and_then(Value::as_array_mut) {
            complete_accounts(instruction, nested)?;
            continue;
        }
        let object = account
            .as_object_mut()
            .expect("an IDL account is an object");
        let pool_pda = POOL_PDAS.iter().find(|(known, _)| *known == name);
        let validator_pda = VALIDATOR_PDAS.iter().find(|(known, _)| *known == name);
        if let Some((_, seed)) = pool_pda {
            require(instruction, &name, "pool", has("pool"))?;
            set_pda(object, seed, &["pool"]);
        } else if let Some((_, seed)) = validator_pda {
            if !CALLER_NAMED.contains(&(instruction, name.as_str())) {
                require(instruction, &name, "pool", has("pool"))?;
                require(instruction, &name, "vote", has("vote"))?;
                set_pda(object, seed, &["pool", "vote"]);
            }
        }
        fill_missing_doc(account, &SHARED_ACCOUNT_DOCS);
    }
    Ok(())
}

/// Gives an item without docs of its own the doc `shared` has for its name.
fn fill_missing_doc(item: &mut Value, shared: &[(&str, &str)]) {
    let doc = shared.iter().find(|(name, _)| item["name"] == *name);
    if let (None, Some((_, doc))) = (item.get("docs"), doc) {
        item["docs"] = json!([doc]);
    }
}

fn require(instruction: &str, account: &str, seed: &str, present: bool) -> Result<(), String> {
    if present {
        Ok(())
    } else {
        Err(format!(
            "{instruction}: `{account}` is derived from `{seed}`, which the instruction does not \
             name beside it"
        ))
    }
}

/// Sets the account's seeds, placed after its flags as Anchor places them.
fn set_pda(account: &mut Map<String, Value>, seed: &[u8], account_seeds: &[&str]) {
    let mut seeds = vec![json!({ "kind": "const", "value": seed })];
    seeds.extend(
        account_seeds
            .iter()
            .map(|path| json!({ "kind": "account", "path": path })),
    );
    account.insert("pda".into(), json!({ "seeds": seeds }));
}

/// Everything a client developer reads that has no doc: instructions, their accounts and
/// arguments, account and event types, and the fields of every type (Anchor keeps no docs on
/// enum variants).
fn undocumented(idl: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    let has_docs = |item: &Value| {
        item["docs"].as_array().is_some_and(|docs| {
            docs.iter()
                .any(|line| line.as_str().is_some_and(|line| !line.trim().is_empty()))
        })
    };
    fn accounts_of<'a>(accounts: &'a [Value], prefix: &str, out: &mut Vec<(String, &'a Value)>) {
        for account in accounts {
            let name = format!("{prefix}{}", account["name"].as_str().unwrap_or_default());
            match account["accounts"].as_array() {
                Some(nested) => accounts_of(nested, &format!("{name}."), out),
                None => out.push((name, account)),
            }
        }
    }
    for instruction in idl["instructions"].as_array().into_iter().flatten() {
        let name = instruction["name"].as_str().unwrap_or_default();
        if !has_docs(instruction) {
            missing.push(format!("instruction {name}"));
        }
        let mut accounts = Vec::new();
        accounts_of(
            instruction["accounts"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default(),
            "",
            &mut accounts,
        );
        for (account, item) in accounts {
            if !has_docs(item) {
                missing.push(format!("{name} account {account}"));
            }
        }
        for arg in instruction["args"].as_array().into_iter().flatten() {
            let is_struct = arg["type"].get("defined").is_some();
            if !is_struct && !has_docs(arg) {
                missing.push(format!("{name} argument {}", arg["name"]));
            }
        }
    }
    for ty in idl["types"].as_array().into_iter().flatten() {
        let name = ty["name"].as_str().unwrap_or_default();
        if !has_docs(ty) {
            missing.push(format!("type {name}"));
        }
        for field in ty["type"]["fields"].as_array().into_iter().flatten() {
            if field.is_object() && !has_docs(field) {
                missing.push(format!(
                    "{name}.{}",
                    field["name"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    missing
}
