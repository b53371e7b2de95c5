use anchor_lang::prelude::*;
use anchor_lang::system_program;
use anchor_spl::associated_token::{self, AssociatedToken, Create};
use anchor_spl::token_2022::{self, spl_token_2022, InitializeMint2, Token2022};
use anchor_spl::token_interface::{
    metadata_pointer_initialize, spl_token_metadata_interface::state::TokenMetadata,
    token_metadata_initialize, MetadataPointerInitialize, TokenMetadataInitialize,
};
use spl_token_2022::extension::{scaled_ui_amount, ExtensionType};

use crate::constants::*;
use crate::cpi::create_account;
use crate::errors::TributaryError;
use crate::events::{record, InitializePoolEvent};
use crate::state::{
    Fees, MevRecord, Movement, PendingFees, Pool, Release, Strategy, Tips, ValidatorList,
};

/// Arguments of `initialize_pool`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct InitializePoolArgs {
    /// Manages validators and delegation.
    pub operator: Pubkey,
    /// The pool's fees.
    pub fees: Fees,
    /// How far tips may raise the share price in one epoch, in basis points.
    pub tip_rate_cap_bps: u16,
    /// Token metadata shown by wallets.
    pub name: String,
    /// The token's symbol.
    pub symbol: String,
    /// The token's metadata URI (may be empty).
    pub uri: String,
}

#[derive(Accounts)]
pub struct InitializePool<'info> {
    /// Becomes the pool's admin; pays for every account created and the locked seed.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// A new keypair; `validate` refuses one that already holds an account.
    #[account(mut)]
    pub pool: Signer<'info>,
    /// CHECK: PDA, checked by its seeds; holds no data, only signs.
    #[account(seeds = [AUTHORITY_SEED, pool.key().as_ref()], bump)]
    pub authority: UncheckedAccount<'info>,
    /// CHECK: PDA, checked by its seeds; created here as a program-owned account with no data.
    #[account(mut, seeds = [RESERVE_SEED, pool.key().as_ref()], bump)]
    pub reserve: UncheckedAccount<'info>,
    /// CHECK: PDA, checked by its seeds; created here.
    #[account(mut, seeds = [VALIDATOR_LIST_SEED, pool.key().as_ref()], bump)]
    pub validator_list: UncheckedAccount<'info>,
    /// CHECK: PDA, checked by its seeds; created here as a Token-2022 mint.
    #[account(mut, seeds = [MINT_SEED, pool.key().as_ref()], bump)]
    pub mint: UncheckedAccount<'info>,
    /// Owns the treasury token account, created here, that receives fee shares.
    /// CHECK: any wallet; it owns the treasury token account.
    pub treasury_owner: UncheckedAccount<'info>,
    /// The associated token account of `treasury_owner` for the new mint, created here.
    /// CHECK: the associated-token program checks the address when it creates it.
    #[account(mut)]
    pub treasury: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token2022>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl InitializePool<'_> {
    fn validate(&self, args: &InitializePoolArgs) -> Result<()> {
        let fresh = self.pool.owner == &system_program::ID && self.pool.data_is_empty();
        require!(fresh, TributaryError::PoolAlreadyInitialized);
        require!(
            args.name.len() <= MAX_NAME_LEN
                && args.symbol.len() <= MAX_SYMBOL_LEN
                && args.uri.len() <= MAX_URI_LEN,
            TributaryError::MetadataTooLong
        );
        require_gte!(
            MAX_TIP_RATE_CAP_BPS,
            args.tip_rate_cap_bps,
            TributaryError::TipRateCapAboveLimit
        );
        args.fees.validate()
    }
}

pub fn handle_initialize_pool<'info>(
    ctx: Context<'info, InitializePool<'info>>,
    args: InitializePoolArgs,
) -> Result<()> {
    ctx.accounts.validate(&args)?;
    let accounts: &InitializePool<'info> = ctx.accounts;
    let bumps = &ctx.bumps;
    let pool_key = accounts.pool.key();
    let rent = Rent::get()?;
    create_pool_accounts(accounts, bumps, &rent)?;
    create_mint(
        accounts,
        &args,
        &rent,
        &[&[MINT_SEED, pool_key.as_ref(), &[bumps.mint]]],
    )?;
    let authority_seeds: &[&[u8]] = &[AUTHORITY_SEED, pool_key.as_ref(), &[bumps.authority]];
    initialize_metadata(accounts, &args, authority_seeds)?;
    create_treasury(accounts)?;

    let epoch = Clock::get()?.epoch;
    let pool = new_pool(accounts, &args, bumps.authority, epoch);
    pool.try_serialize(&mut &mut accounts.pool.try_borrow_mut_data()?[..])?;
    let list =
        AccountLoader::<ValidatorList>::try_from_unchecked(&crate::ID, &accounts.validator_list)?;
    list.load_init()?.pool = pool_key;
    list.exit(&crate::ID)?;

    record(&InitializePoolEvent {
        pool: pool_key,
        admin: pool.admin,
        operator: pool.operator,
        mint: pool.mint,
        treasury: pool.treasury,
        fees: pool.fees,
        locked_lamports: LOCKED_SEED_LAMPORTS,
        epoch,
    });
    Ok(())
}

/// The pool account, the reserve (its rent and the locked seed, the admin's) and the empty
/// validator list, all owned by this program.
fn create_pool_accounts(
    accounts: &InitializePool,
    bumps: &InitializePoolBumps,
    rent: &Rent,
) -> Result<()> {
    let pool_key = accounts.pool.key();
    let system = accounts.system_program.to_account_info();
    let admin = accounts.admin.to_account_info();
    let pool_space = 8 + Pool::INIT_SPACE;
    create_account(
        &system,
        &admin,
        &accounts.pool.to_account_info(),
        pool_space,
        rent.minimum_balance(pool_space),
        &crate::ID,
        &[],
    )?;
    create_account(
        &system,
        &admin,
        &accounts.reserve,
        0,
        rent.minimum_balance(0) + LOCKED_SEED_LAMPORTS,
        &crate::ID,
        &[&[RESERVE_SEED, pool_key.as_ref(), &[bumps.reserve]]],
    )?;
    create_account(
        &system,
        &admin,
        &accounts.validator_list,
        ValidatorList::EMPTY_SPACE,
        rent.minimum_balance(ValidatorList::EMPTY_SPACE),
        &crate::ID,
        &[&[
            VALIDATOR_LIST_SEED,
            pool_key.as_ref(),
            &[bumps.validator_list],
        ]],
    )
}

/// The token's name, symbol and URI, in the mint itself, signed by the authority PDA.
fn initialize_metadata(
    accounts: &InitializePool,
    args: &InitializePoolArgs,
    authority_seeds: &[&[u8]],
) -> Result<()> {
    let token_program = accounts.token_program.to_account_info();
    token_metadata_initialize(
        CpiContext::new_with_signer(
            token_program.key(),
            TokenMetadataInitialize {
                program_id: token_program.clone(),
                metadata: accounts.mint.to_account_info(),
                update_authority: accounts.authority.to_account_info(),
                mint_authority: accounts.authority.to_account_info(),
                mint: accounts.mint.to_account_info(),
            },
            &[authority_seeds],
        ),
        args.name.clone(),
        args.symbol.clone(),
        args.uri.clone(),
    )
}

/// The treasury owner's associated token account for the new mint, paid by the admin.
fn create_treasury(accounts: &InitializePool) -> Result<()> {
    associated_token::create(CpiContext::new(
        accounts.associated_token_program.key(),
        Create {
            payer: accounts.admin.to_account_info(),
            associated_token: accounts.treasury.to_account_info(),
            authority: accounts.treasury_owner.to_account_info(),
            mint: accounts.mint.to_account_info(),
            system_program: accounts.system_program.to_account_info(),
            token_program: accounts.token_program.to_account_info(),
        },
    ))
}

/// A new pool's state: the locked seed its only lamports and shares, open in `epoch`.
fn new_pool(
    accounts: &InitializePool,
    args: &InitializePoolArgs,
    authority_bump: u8,
    epoch: u64,
) -> Pool {
    Pool {
        admin: accounts.admin.key(),
        pending_admin: Pubkey::default(),
        operator: args.operator,
        mint: accounts.mint.key(),
        treasury: accounts.treasury.key(),
        authority: accounts.authority.key(),
        reserve: accounts.reserve.key(),
        validator_list: accounts.validator_list.key(),
        fees: args.fees,
        pending_fees: PendingFees {
            fees: args.fees,
            epoch,
        },
        total_lamports: LOCKED_SEED_LAMPORTS,
        pending_treasury_shares: 0,
        locked_shares: LOCKED_SEED_LAMPORTS,
        floor_lamports: 0,
        last_update_epoch: epoch,
        paused: false,
        authority_bump,
        tips: Tips {
            rate_cap_bps: args.tip_rate_cap_bps,
            base: LOCKED_SEED_LAMPORTS,
            pending_to_stakers: 0,
            pending_to_protocol: 0,
        },
        mev_totals: MevRecord::default(),
        ticket_lamports: 0,
        ticket_units: 0,
        strategy: Strategy::default(),
        movement: Movement::default(),
        lookup_table: Pubkey::default(),
        release: Release::default(),
        reserved: [0; 191],
    }
}

/// The Token-2022 mint: MetadataPointer (to itself) and ScaledUiAmount (lamports per share,
/// starting at 1.0), no freeze authority, the authority PDA as mint, multiplier and metadata
/// authority. The account is funded for the metadata the next call writes into it.
fn create_mint<'info>(
    accounts: &InitializePool<'info>,
    args: &InitializePoolArgs,
    rent: &Rent,
    mint_signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let mint = accounts.mint.to_account_info();
    let token_program = accounts.token_program.to_account_info();
    let authority = accounts.authority.key();

    let space = ExtensionType::try_calculate_account_len::<spl_token_2022::state::Mint>(&[
        ExtensionType::MetadataPointer,
        ExtensionType::ScaledUiAmount,
    ])?;
    let metadata = TokenMetadata {
        update_authority: Some(authority).try_into()?,
        mint: mint.key(),
        name: args.name.clone(),
        symbol: args.symbol.clone(),
        uri: args.uri.clone(),
        additional_metadata: vec![],
    };
    let full_space = space + metadata.tlv_size_of()?;
    create_account(
        &accounts.system_program.to_account_info(),
        &accounts.admin.to_account_info(),
        &mint,
        space,
        rent.minimum_balance(full_space),
        &token_program.key(),
        mint_signer_seeds,
    )?;

    metadata_pointer_initialize(
        CpiContext::new(
            token_program.key(),
            MetadataPointerInitialize {
                token_program_id: token_program.clone(),
                mint: mint.clone(),
            },
        ),
        Some(authority),
        Some(mint.key()),
    )?;
    let ix = scaled_ui_amount::instruction::initialize(
        token_program.key,
        mint.key,
        Some(authority),
        1.0,
    )?;
    anchor_lang::solana_program::program::invoke(&ix, &[mint.clone(), token_program.clone()])?;
    token_2022::initialize_mint2(
        CpiContext::new(token_program.key(), InitializeMint2 { mint }),
        MINT_DECIMALS,
        &authority,
        None,
    )
}
