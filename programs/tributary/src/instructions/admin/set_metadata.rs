use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::spl_token_metadata_interface::state::{Field, TokenMetadata};
use anchor_spl::token_interface::{token_metadata_update_field, TokenMetadataUpdateField};

use crate::constants::{MAX_NAME_LEN, MAX_SYMBOL_LEN, MAX_URI_LEN};
use crate::cpi::top_up;
use crate::errors::TributaryError;
use crate::events::{record, SetMetadataEvent};
use crate::state::Pool;

/// Arguments of `set_metadata`: each field left out keeps its value.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SetMetadataArgs {
    /// The token's new name; unchanged when `None`.
    pub name: Option<String>,
    /// The token's new symbol; unchanged when `None`.
    pub symbol: Option<String>,
    /// The new URI of its off-chain metadata (logo, description); unchanged when `None`.
    pub uri: Option<String>,
}

#[derive(Accounts)]
pub struct SetMetadata<'info> {
    /// Pays the rent of a longer metadata.
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(
        has_one = admin @ TributaryError::NotAdmin,
        has_one = mint @ TributaryError::WrongMint,
        has_one = authority @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    /// CHECK: the pool's mint, checked by `has_one`; holds the metadata.
    #[account(mut)]
    pub mint: UncheckedAccount<'info>,
    /// CHECK: the pool's authority PDA, checked by `has_one`; the metadata's update authority.
    pub authority: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

/// Changes the token's name, symbol or URI (admin): what wallets and explorers show. The admin
/// pays the rent a longer metadata needs.
pub fn handle_set_metadata(ctx: Context<SetMetadata>, args: SetMetadataArgs) -> Result<()> {
    let fits = |value: &Option<String>, most: usize| value.as_ref().is_none_or(|v| v.len() <= most);
    require!(
        fits(&args.name, MAX_NAME_LEN)
            && fits(&args.symbol, MAX_SYMBOL_LEN)
            && fits(&args.uri, MAX_URI_LEN),
        TributaryError::MetadataTooLong
    );
    let accounts = &ctx.accounts;
    let mut metadata = current_metadata(&accounts.mint)?;
    let changes: Vec<(Field, String)> = [
        (Field::Name, args.name),
        (Field::Symbol, args.symbol),
        (Field::Uri, args.uri),
    ]
    .into_iter()
    .filter_map(|(field, value)| value.map(|value| (field, value)))
    .collect();
    require!(!changes.is_empty(), TributaryError::NoMetadataChange);

    let old_len = metadata.tlv_size_of()?;
    for (field, value) in &changes {
        metadata.update(field.clone(), value.clone());
    }
    // The admin pays the rent a longer metadata needs.
    let grown = metadata.tlv_size_of()?.saturating_sub(old_len);
    top_up(
        &accounts.system_program.to_account_info(),
        &accounts.admin.to_account_info(),
        &accounts.mint.to_account_info(),
        Rent::get()?.minimum_balance(accounts.mint.data_len() + grown),
    )?;

    let pool_key = accounts.pool.key();
    let seeds = accounts.pool.authority_seeds(&pool_key);
    for (field, value) in changes {
        token_metadata_update_field(
            CpiContext::new_with_signer(
                accounts.token_program.key(),
                TokenMetadataUpdateField {
                    program_id: accounts.token_program.to_account_info(),
                    metadata: accounts.mint.to_account_info(),
                    update_authority: accounts.authority.to_account_info(),
                },
                &[&seeds],
            ),
            field,
            value,
        )?;
    }
    record(&SetMetadataEvent {
        pool: pool_key,
        name: metadata.name,
        symbol: metadata.symbol,
        uri: metadata.uri,
    });
    Ok(())
}

/// The metadata the mint holds now.
fn current_metadata(mint: &AccountInfo) -> Result<TokenMetadata> {
    let data = mint.try_borrow_data()?;
    let mint = StateWithExtensions::<MintState>::unpack(&data)?;
    Ok(mint.get_variable_len_extension::<TokenMetadata>()?)
}
