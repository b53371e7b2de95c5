//! Reading the pool's accounts, the mint, the validators, tickets and tip accounts.

use anchor_lang::prelude::Pubkey;
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::rent::Rent;
use solana_stake_interface::state::Delegation;
use tributary::stake::STAKE_ACCOUNT_SPACE;
use tributary::state::{MevRecord, MevVault, Pool, UnstakeTicket, ValidatorEntry, ValidatorList};

use super::PoolClient;
use crate::state::{
    decode_mev_vault, decode_mint, decode_pool, decode_ticket, decode_token_amount,
    decode_validator_list, decode_validator_list_header, ui_amount, MintState,
};
use crate::transport::Transport;
use crate::ClientError;

impl<T: Transport> PoolClient<T> {
    pub async fn account(&mut self, address: &Pubkey) -> Result<Option<Account>, ClientError> {
        self.transport.account(address).await
    }

    pub async fn account_data(&mut self, address: &Pubkey) -> Result<Option<Vec<u8>>, ClientError> {
        Ok(self.account(address).await?.map(|account| account.data))
    }

    pub(crate) async fn require_account_data(
        &mut self,
        address: &Pubkey,
    ) -> Result<Vec<u8>, ClientError> {
        self.account_data(address)
            .await?
            .ok_or(ClientError::AccountNotFound(*address))
    }

    pub async fn pool_state(&mut self) -> Result<Pool, ClientError> {
        let pool = self.addresses()?.pool;
        decode_pool(&self.require_account_data(&pool).await?)
    }

    pub async fn mint_state(&mut self) -> Result<MintState, ClientError> {
        let mint = self.addresses()?.mint;
        let data = self.require_account_data(&mint).await?;
        decode_mint(&data, self.clock().await?.unix_timestamp)
    }

    pub async fn validator_list(&mut self) -> Result<Vec<ValidatorEntry>, ClientError> {
        Ok(self.validator_list_with_header().await?.1)
    }

    /// The validator list's header (its running totals among it) and its entries.
    pub async fn validator_list_with_header(
        &mut self,
    ) -> Result<(ValidatorList, Vec<ValidatorEntry>), ClientError> {
        let list = self.addresses()?.validator_list;
        let data = self.require_account_data(&list).await?;
        decode_validator_list(&data)
    }

    /// The validator list's header alone (its count and running totals): a few hundred bytes
    /// over the wire, however long the list.
    pub async fn validator_list_header(&mut self) -> Result<ValidatorList, ClientError> {
        let list = self.addresses()?.validator_list;
        let data = self
            .transport
            .account_data_slice(&list, 0, ValidatorList::EMPTY_SPACE)
            .await?
            .ok_or(ClientError::AccountNotFound(list))?;
        decode_validator_list_header(&data)
    }

    /// The list's entry at `index`, read alone.
    pub async fn validator_entry(&mut self, index: u32) -> Result<ValidatorEntry, ClientError> {
        let list = self.addresses()?.validator_list;
        let offset = ValidatorList::space_for(index as usize);
        let data = self
            .transport
            .account_data_slice(&list, offset, ValidatorList::ENTRY_SPACE)
            .await?
            .ok_or(ClientError::AccountNotFound(list))?;
        bytemuck::try_pod_read_unaligned(&data)
            .map_err(|_| ClientError::Invariant(format!("the validator list has no entry {index}")))
    }

    /// Position of the validator voting with `vote` in the list.
    pub async fn validator_index(&mut self, vote: &Pubkey) -> Result<u32, ClientError> {
        self.validator_list()
            .await?
            .iter()
            .position(|entry| entry.vote == *vote)
            .map(|index| index as u32)
            .ok_or(ClientError::UnknownValidator(*vote))
    }

    /// Shares in a token account; 0 when the account does not exist.
    pub async fn token_balance(&mut self, token_account: &Pubkey) -> Result<u64, ClientError> {
        match self.account_data(token_account).await? {
            Some(data) => decode_token_amount(&data),
            None => Ok(0),
        }
    }

    /// Shares held by `owner`'s associated token account.
    pub async fn shares_of(&mut self, owner: &Pubkey) -> Result<u64, ClientError> {
        let token_account = self.addresses()?.token_account(owner);
        self.token_balance(&token_account).await
    }

    pub async fn balance(&mut self, address: &Pubkey) -> Result<u64, ClientError> {
        Ok(self
            .account(address)
            .await?
            .map_or(0, |account| account.lamports))
    }

    pub async fn ticket(&mut self, ticket: &Pubkey) -> Result<UnstakeTicket, ClientError> {
        decode_ticket(&self.require_account_data(ticket).await?)
    }

    /// The open tickets of `owner` in this pool, read by a memcmp filter on the owner.
    pub async fn tickets_of(
        &mut self,
        owner: &Pubkey,
    ) -> Result<Vec<(Pubkey, UnstakeTicket)>, ClientError> {
        use anchor_lang::Discriminator;
        let addresses = *self.addresses()?;
        let pool = addresses.pool;
        // The account's layout: discriminator, pool, owner.
        let filters = [
            (0, UnstakeTicket::DISCRIMINATOR.to_vec()),
            (8, pool.to_bytes().to_vec()),
            (40, owner.to_bytes().to_vec()),
        ];
        let listed = self
            .transport
            .program_accounts(&addresses.program_id, &filters)
            .await?;
        let mut tickets = listed
            .into_iter()
            .map(|(address, account)| {
                Ok::<_, ClientError>((address, decode_ticket(&account.data)?))
            })
            .collect::<Result<Vec<_>, _>>()?;
        tickets.sort_by_key(|(address, ticket)| (ticket.created_epoch, *address));
        Ok(tickets)
    }

    /// What `ticket` is owed now: what it was ordered for, less its share of any loss since.
    pub async fn ticket_owed(&mut self, ticket: &Pubkey) -> Result<u64, ClientError> {
        let units = self.ticket(ticket).await?.units;
        Ok(self.pool_state().await?.ticket_value(units))
    }

    pub async fn mev_vault(&mut self, vault: &Pubkey) -> Result<MevVault, ClientError> {
        decode_mev_vault(&self.require_account_data(vault).await?)
    }

    /// Undistributed tips in `vault`: its lamports above its rent-exempt minimum.
    pub async fn pending_tips(&mut self, vault: &Pubkey) -> Result<u64, ClientError> {
        let lamports = self.balance(vault).await?;
        self.tips_above_rent(lamports).await
    }

    /// A tip account's state and its undistributed tips, from one read of the account.
    pub async fn tip_account(&mut self, vault: &Pubkey) -> Result<(MevVault, u64), ClientError> {
        let account = self
            .account(vault)
            .await?
            .ok_or(ClientError::AccountNotFound(*vault))?;
        let pending = self.tips_above_rent(account.lamports).await?;
        Ok((decode_mev_vault(&account.data)?, pending))
    }

    async fn tips_above_rent(&mut self, vault_lamports: u64) -> Result<u64, ClientError> {
        let rent = self.rent().await?;
        Ok(MevVault::tips_in(vault_lamports, &rent))
    }

    /// The MEV history of the validator voting with `vote`: one record per recent epoch on
    /// record (scored, or with tips through either path), oldest first.
    pub async fn mev_history(&mut self, vote: &Pubkey) -> Result<Vec<MevRecord>, ClientError> {
        let vault = self.addresses()?.mev_vault(vote);
        let mut records: Vec<MevRecord> = self
            .mev_vault(&vault)
            .await?
            .ledger
            .into_iter()
            .filter(|record| record.stake > 0 || record.tipped > 0 || record.stake_account_tips > 0)
            .collect();
        records.sort_by_key(|record| record.epoch);
        Ok(records)
    }

    /// What `collect_stake_tips` would collect from `entry`'s stake account: its lamports above
    /// the delegation, the rent reserve and the pool's own (`ValidatorEntry::pool_excess`); 0
    /// for a removed validator or an account that is not delegated.
    pub async fn stake_account_tips(&mut self, entry: &ValidatorEntry) -> Result<u64, ClientError> {
        if !entry.is_active() {
            return Ok(0);
        }
        let Some(account) = self.account(&entry.validator_stake).await? else {
            return Ok(0);
        };
        let state: solana_stake_interface::state::StakeStateV2 =
            borsh::BorshDeserialize::deserialize(&mut &account.data[..]).map_err(|err| {
                ClientError::Decode(format!(
                    "the stake account {}: {err}",
                    entry.validator_stake
                ))
            })?;
        let (Some(meta), Some(delegation)) = (state.meta(), state.delegation()) else {
            return Ok(0);
        };
        Ok(entry.stake_account_tips(account.lamports, delegation.stake, meta.rent_exempt_reserve))
    }

    /// The delegated lamports of a stake account; 0 when it has none.
    pub async fn delegation(&mut self, stake_account: &Pubkey) -> Result<u64, ClientError> {
        Ok(self
            .stake_delegation(stake_account)
            .await?
            .map_or(0, |delegation| delegation.stake))
    }

    /// A stake account's delegation; `None` when it has none.
    pub async fn stake_delegation(
        &mut self,
        stake_account: &Pubkey,
    ) -> Result<Option<Delegation>, ClientError> {
        let Some(data) = self.account_data(stake_account).await? else {
            return Ok(None);
        };
        let state: solana_stake_interface::state::StakeStateV2 =
            borsh::BorshDeserialize::deserialize(&mut &data[..]).map_err(|err| {
                ClientError::Decode(format!("the stake account {stake_account}: {err}"))
            })?;
        Ok(state.delegation())
    }

    /// The Stake program's minimum delegation, as it reports it.
    pub async fn minimum_delegation(&mut self) -> Result<u64, ClientError> {
        let ix = solana_stake_interface::instruction::get_minimum_delegation();
        let data = self.return_data(ix).await?;
        <[u8; 8]>::try_from(data.as_slice())
            .map(u64::from_le_bytes)
            .map_err(|_| {
                ClientError::Decode(
                    "the Stake program's minimum delegation: it returned no u64".into(),
                )
            })
    }

    /// The wallet's view of `amount` shares: what Token-2022's `AmountToUiAmount` returns,
    /// worked out by the same function from the mint's multiplier, so no keypair or fee is
    /// needed to read it.
    pub async fn ui_amount(&mut self, amount: u64) -> Result<String, ClientError> {
        let mint = self.addresses()?.mint;
        let data = self.require_account_data(&mint).await?;
        ui_amount(&data, amount, self.clock().await?.unix_timestamp)
    }

    /// A sysvar the transport does not read itself (SlotHashes, EpochRewards), from its account.
    pub(crate) async fn sysvar<S: serde::de::DeserializeOwned>(
        &mut self,
        address: &Pubkey,
    ) -> Result<S, ClientError> {
        let data = self.require_account_data(address).await?;
        bincode::deserialize(&data)
            .map_err(|err| ClientError::Decode(format!("the sysvar {address}: {err}")))
    }

    pub async fn clock(&mut self) -> Result<Clock, ClientError> {
        self.transport.clock().await
    }

    pub async fn rent(&mut self) -> Result<Rent, ClientError> {
        if let Some(rent) = &self.rent {
            return Ok(rent.clone());
        }
        let rent = self.transport.rent().await?;
        self.rent = Some(rent.clone());
        Ok(rent)
    }

    /// A stake account's rent-exempt minimum: what each stake move pays from the reserve for its
    /// transient account (the reserve keeps one such rent from instant withdrawals and claims),
    /// and what a new stake account needs.
    pub async fn stake_account_rent(&mut self) -> Result<u64, ClientError> {
        Ok(self.rent().await?.minimum_balance(STAKE_ACCOUNT_SPACE))
    }

    /// The reserve's lamports above its rent-exempt minimum, as the program counts them.
    pub async fn reserve_spendable(&mut self) -> Result<u64, ClientError> {
        let reserve = self.addresses()?.reserve;
        let lamports = self.balance(&reserve).await?;
        let rent = self.rent().await?;
        Ok(tributary::cpi::spendable_above_rent(lamports, &rent))
    }
}
