//! `tributary localnet --state FILE`: the accounts it knows and its clock, written at every epoch
//! it moves and when it stops, and read back at the next start, so a demo pool keeps its
//! deposits, stake and tickets across restarts.

use std::path::Path;

use anchor_lang::prelude::Pubkey;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use solana_sdk::account::Account;
use tributary_client::BankClient;

use super::{Demo, Localnet};

/// What the file holds.
#[derive(Serialize, Deserialize)]
struct Saved {
    slot: u64,
    demo: Option<Demo>,
    accounts: Vec<SavedAccount>,
}

#[derive(Serialize, Deserialize)]
struct SavedAccount {
    address: String,
    lamports: u64,
    owner: String,
    rent_epoch: u64,
    /// Base64.
    data: String,
}

/// Puts the state saved in `path` into a fresh `bank`: its clock moved to the saved slot, then
/// every saved account set. Returns the demo it served and the accounts, for it to know.
pub async fn restore(
    bank: &mut BankClient,
    path: &Path,
) -> Result<(Option<Demo>, Vec<Pubkey>), String> {
    let unreadable =
        |err: String| format!("{} is not a localnet state file: {err}", path.display());
    let text = std::fs::read_to_string(path).map_err(|err| unreadable(err.to_string()))?;
    let saved: Saved = serde_json::from_str(&text).map_err(|err| unreadable(err.to_string()))?;
    let slot = bank.clock().await.map_err(|err| err.to_string())?.slot;
    if saved.slot > slot {
        (bank.context().warp_to_slot(saved.slot)).map_err(|err| format!("{err:?}"))?;
        bank.forget_blockhash();
    }
    let mut addresses = Vec::with_capacity(saved.accounts.len());
    for account in saved.accounts {
        let address: Pubkey = account
            .address
            .parse()
            .map_err(|_| unreadable("an address".into()))?;
        let owner = account
            .owner
            .parse()
            .map_err(|_| unreadable("an owner".into()))?;
        let data = BASE64
            .decode(&account.data)
            .map_err(|err| unreadable(err.to_string()))?;
        let account = Account {
            lamports: account.lamports,
            data,
            owner,
            executable: false,
            rent_epoch: account.rent_epoch,
        };
        bank.context().set_account(&address, &account.into());
        addresses.push(address);
    }
    Ok((saved.demo, addresses))
}

impl Localnet {
    /// Writes every account it knows (but programs and sysvars, which every bank has) and its
    /// clock to its state file, when it keeps one: a new file, then renamed over the old, so a
    /// stop mid-write leaves the last whole state.
    pub async fn save(&self) -> Result<(), String> {
        let Some(path) = &self.serving.state else {
            return Ok(());
        };
        let mut accounts = Vec::new();
        for address in self.known_accounts().map_err(|err| err.to_string())? {
            let Some(account) = self
                .account(&address)
                .await
                .map_err(|err| err.to_string())?
            else {
                continue;
            };
            if account.executable || account.owner == solana_sdk::sysvar::ID {
                continue;
            }
            accounts.push(SavedAccount {
                address: address.to_string(),
                lamports: account.lamports,
                owner: account.owner.to_string(),
                rent_epoch: account.rent_epoch,
                data: BASE64.encode(&account.data),
            });
        }
        let saved = Saved {
            slot: self.slot().await.map_err(|err| err.to_string())?,
            demo: self.serving.demo.clone(),
            accounts,
        };
        let text = serde_json::to_string(&saved).map_err(|err| err.to_string())?;
        let fresh = path.with_extension("writing");
        std::fs::write(&fresh, text).map_err(|err| format!("{}: {err}", fresh.display()))?;
        std::fs::rename(&fresh, path).map_err(|err| format!("{}: {err}", path.display()))
    }
}
