//! The methods that read accounts.

use anchor_lang::prelude::Pubkey;
use serde_json::{json, Value};
use solana_sdk::account::Account;

use super::json::{
    account_json, address, internal, invalid, method_not_found, passes, sliced, RpcResult,
};
use super::Localnet;
use tributary_client::state::{decode_mint, ui_amount};

impl Localnet {
    /// Answers the methods that read accounts.
    pub(super) async fn accounts_call(&self, method: &str, params: &Value) -> RpcResult {
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
            "getMinimumBalanceForRentExemption" => {
                let space = params[0]
                    .as_u64()
                    .ok_or_else(|| invalid("expected a size"))?;
                let rent = self.banks.get_rent().await.map_err(internal)?;
                Ok(json!(rent.minimum_balance(space as usize)))
            }
            method => Err(method_not_found(method)),
        }
    }

    pub(super) async fn account(&self, address: &Pubkey) -> Result<Option<Account>, Value> {
        self.banks.get_account(*address).await.map_err(internal)
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
        let named = self.known_accounts()?;
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
}
