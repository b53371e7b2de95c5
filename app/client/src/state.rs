//! Decoders for the pool's accounts and its Token-2022 mint.

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountDeserialize;
use solana_address_lookup_table_interface::state::AddressLookupTable;
use spl_token_2022_interface::extension::scaled_ui_amount::ScaledUiAmountConfig;
use spl_token_2022_interface::extension::{BaseStateWithExtensions, StateWithExtensions};
use spl_token_2022_interface::state::{Account as TokenAccount, Mint};
use spl_token_metadata_interface::state::TokenMetadata;
use tributary::state::{ListTotals, MevVault, Pool, UnstakeTicket, ValidatorEntry, ValidatorList};

use crate::ClientError;

pub fn decode_pool(data: &[u8]) -> Result<Pool, ClientError> {
    Pool::try_deserialize(&mut &data[..])
        .map_err(|err| ClientError::Decode(format!("the pool account: {err}")))
}

pub fn decode_ticket(data: &[u8]) -> Result<UnstakeTicket, ClientError> {
    UnstakeTicket::try_deserialize(&mut &data[..])
        .map_err(|err| ClientError::Decode(format!("the unstake ticket: {err}")))
}

/// The addresses an address lookup table holds.
pub fn decode_lookup_table(data: &[u8]) -> Result<Vec<Pubkey>, ClientError> {
    AddressLookupTable::deserialize(data)
        .map(|table| table.addresses.into_owned())
        .map_err(|err| ClientError::Decode(format!("the lookup table: {err}")))
}

/// The addresses of a lookup table's `data` that is not being deactivated; `None` for anything
/// else.
pub fn active_lookup_table(data: &[u8]) -> Option<Vec<Pubkey>> {
    AddressLookupTable::deserialize(data)
        .ok()
        .filter(|table| table.meta.deactivation_slot == u64::MAX)
        .map(|table| table.addresses.into_owned())
}

pub fn decode_mev_vault(data: &[u8]) -> Result<MevVault, ClientError> {
    MevVault::try_deserialize(&mut &data[..])
        .map_err(|err| ClientError::Decode(format!("the tip account: {err}")))
}

/// What a wallet sees of the pool's mint.
#[derive(Debug, Clone, PartialEq)]
pub struct MintState {
    pub supply: u64,
    pub decimals: u8,
    pub mint_authority: Option<anchor_lang::prelude::Pubkey>,
    pub freeze_authority: Option<anchor_lang::prelude::Pubkey>,
    /// The ScaledUiAmount multiplier in force: lamports per share.
    pub multiplier: f64,
    pub multiplier_authority: Option<anchor_lang::prelude::Pubkey>,
    pub metadata_address: Option<anchor_lang::prelude::Pubkey>,
    pub name: String,
    pub symbol: String,
    pub uri: String,
}

/// A mint's data that does not read as the pool's mint.
fn not_the_mint(err: anchor_lang::prelude::ProgramError) -> ClientError {
    ClientError::Decode(format!("the mint: {err}"))
}

/// The pool's mint and its ScaledUiAmount extension, from its account's `data`.
fn scaled_mint(
    data: &[u8],
) -> Result<(StateWithExtensions<'_, Mint>, ScaledUiAmountConfig), ClientError> {
    let mint = StateWithExtensions::<Mint>::unpack(data).map_err(not_the_mint)?;
    let scaled = *mint
        .get_extension::<ScaledUiAmountConfig>()
        .map_err(not_the_mint)?;
    Ok((mint, scaled))
}

pub fn decode_mint(data: &[u8], unix_timestamp: i64) -> Result<MintState, ClientError> {
    let (mint, scaled) = scaled_mint(data)?;
    let multiplier = if unix_timestamp >= i64::from(scaled.new_multiplier_effective_timestamp) {
        f64::from(scaled.new_multiplier)
    } else {
        f64::from(scaled.multiplier)
    };
    let pointer = mint
        .get_extension::<spl_token_2022_interface::extension::metadata_pointer::MetadataPointer>()
        .map_err(not_the_mint)?;
    let metadata = mint
        .get_variable_len_extension::<TokenMetadata>()
        .map_err(not_the_mint)?;
    Ok(MintState {
        supply: mint.base.supply,
        decimals: mint.base.decimals,
        mint_authority: mint.base.mint_authority.into(),
        freeze_authority: mint.base.freeze_authority.into(),
        multiplier,
        multiplier_authority: Option::from(scaled.authority),
        metadata_address: Option::from(pointer.metadata_address),
        name: metadata.name,
        symbol: metadata.symbol,
        uri: metadata.uri,
    })
}

/// What a wallet shows for `amount` of the pool's mint (`data`) at `unix_timestamp`: the
/// ScaledUiAmount extension's own conversion, the one Token-2022's `AmountToUiAmount` runs.
pub fn ui_amount(data: &[u8], amount: u64, unix_timestamp: i64) -> Result<String, ClientError> {
    let (mint, scaled) = scaled_mint(data)?;
    scaled
        .amount_to_ui_amount(amount, mint.base.decimals, unix_timestamp)
        .ok_or_else(|| ClientError::Decode(format!("the UI amount of {amount}: the mint has none")))
}

/// Shares held by a Token-2022 account.
pub fn decode_token_amount(data: &[u8]) -> Result<u64, ClientError> {
    StateWithExtensions::<TokenAccount>::unpack(data)
        .map(|account| account.base.amount)
        .map_err(|err| ClientError::Decode(format!("the token account: {err}")))
}

/// The validator list's header, from the account's first `ValidatorList::EMPTY_SPACE` bytes
/// (or all of them).
pub fn decode_validator_list_header(data: &[u8]) -> Result<ValidatorList, ClientError> {
    data.get(8..ValidatorList::EMPTY_SPACE)
        .map(bytemuck::pod_read_unaligned)
        .ok_or_else(|| ClientError::Decode("the validator list: shorter than its header".into()))
}

/// The validator list's header and its entries in use.
pub fn decode_validator_list(
    data: &[u8],
) -> Result<(ValidatorList, Vec<ValidatorEntry>), ClientError> {
    let header_end = ValidatorList::EMPTY_SPACE;
    let header = decode_validator_list_header(data)?;
    let entries = data[header_end..]
        .chunks_exact(ValidatorList::ENTRY_SPACE)
        .take(header.validator_count as usize)
        .map(bytemuck::pod_read_unaligned)
        .collect::<Vec<ValidatorEntry>>();
    if entries.len() != header.validator_count as usize {
        return Err(ClientError::Decode(
            "the validator list: shorter than its count".into(),
        ));
    }
    Ok((header, entries))
}

/// Checks a validator list's header against a walk over its entries: the running totals equal
/// what the entries add up to, no entry is updated later than the totals count, and every index
/// listed as drained is in the list. What the program keeps in O(1) instructions, checked the
/// long way (the bank does it after every transaction in the tests).
pub fn check_validator_list(data: &[u8]) -> Result<(), String> {
    let (header, entries) = decode_validator_list(data).map_err(|err| err.to_string())?;
    let walked = ListTotals::of(&entries, header.totals.updated_epoch)
        .map_err(|err| format!("cannot add up the entries: {err}"))?;
    if header.totals != walked {
        return Err(format!(
            "the list's totals drifted: header {:?}, entries {walked:?}",
            header.totals
        ));
    }
    if let Some(entry) = entries
        .iter()
        .find(|entry| entry.last_update_epoch > header.totals.updated_epoch)
    {
        return Err(format!(
            "validator {} updated in epoch {}, after the totals' epoch {}",
            entry.vote, entry.last_update_epoch, header.totals.updated_epoch
        ));
    }
    let listed = header
        .drained
        .get(..header.drained_count as usize)
        .ok_or("more drained entries listed than the header holds")?;
    match listed
        .iter()
        .find(|&&index| index as usize >= entries.len())
    {
        Some(index) => Err(format!("drained index {index} is past the list's end")),
        None => Ok(()),
    }
}
