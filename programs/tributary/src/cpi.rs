//! Cross-program calls shared by several instructions.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::program::invoke_signed;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::system_program::{self, Assign, Transfer};
use anchor_spl::token_2022::{self, spl_token_2022, Burn, MintTo};

use crate::errors::TributaryError;
use crate::events::{record, CreateMevVaultEvent};
use crate::math::reserve_pays;
use crate::stake::{STAKE_ACCOUNT_SPACE, STAKE_PROGRAM_ID};
use crate::state::MevVault;

/// Creates `target` with `space` bytes owned by `owner` and at least `lamports`, by transfer,
/// allocate and assign rather than `create_account`, so it works when someone has already sent
/// lamports to the address. `signer_seeds` sign for `target` when it is a PDA.
pub fn create_account<'info>(
    system_program: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    space: usize,
    lamports: u64,
    owner: &Pubkey,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    top_up(system_program, payer, target, lamports)?;
    allocate_and_assign(system_program, target, space, owner, signer_seeds, None)
}

/// Pays `target` from `payer` what it lacks of `lamports`, if anything.
pub fn top_up<'info>(
    system_program: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    lamports: u64,
) -> Result<()> {
    let shortfall = lamports.saturating_sub(target.lamports());
    if shortfall == 0 {
        return Ok(());
    }
    system_program::transfer(
        CpiContext::new(
            system_program.key(),
            Transfer {
                from: payer.clone(),
                to: target.clone(),
            },
        ),
        shortfall,
    )
}

/// Makes `target`, a system account with no data at a PDA of `signer_seeds`, an uninitialised
/// stake account holding at least `lamports`, the shortfall paid from the reserve without a CPI;
/// at least `keep` stays in the reserve.
pub fn create_stake_account_from_reserve<'info>(
    system_program: &AccountInfo<'info>,
    reserve: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    lamports: u64,
    keep: u64,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    pay_from_reserve(
        reserve,
        target,
        lamports.saturating_sub(target.lamports()),
        keep,
    )?;
    allocate_and_assign(
        system_program,
        target,
        STAKE_ACCOUNT_SPACE,
        &STAKE_PROGRAM_ID,
        &[signer_seeds],
        Some(reserve),
    )
}

/// Gives a system account with no data `space` bytes and a new owner. `witness`, an account whose
/// lamports the caller changed together with `target`'s, rides along in the allocate call: the
/// runtime checks at each CPI that the lamports of the accounts it sees still add up.
fn allocate_and_assign<'info>(
    system_program: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    signer_seeds: &[&[&[u8]]],
    witness: Option<&AccountInfo<'info>>,
) -> Result<()> {
    let mut allocate = system_instruction::allocate(target.key, space as u64);
    let mut infos = vec![target.clone(), system_program.clone()];
    if let Some(witness) = witness {
        allocate
            .accounts
            .push(AccountMeta::new(witness.key(), false));
        infos.push(witness.clone());
    }
    invoke_signed(&allocate, &infos, signer_seeds)?;
    system_program::assign(
        CpiContext::new_with_signer(
            system_program.key(),
            Assign {
                account_to_assign: target.clone(),
            },
            signer_seeds,
        ),
        owner,
    )
}

/// Lamports in the reserve above its rent-exempt minimum.
pub fn reserve_spendable(reserve: &AccountInfo) -> Result<u64> {
    Ok(spendable_above_rent(reserve.lamports(), &Rent::get()?))
}

/// What a data-less account holding `lamports` can spend: its lamports above its rent-exempt
/// minimum. The reserve's rule, for the client too.
pub fn spendable_above_rent(lamports: u64, rent: &Rent) -> u64 {
    lamports.saturating_sub(rent.minimum_balance(0))
}

/// Moves lamports out of the program-owned reserve without a CPI, leaving at least `keep`
/// (what unstake tickets are owed) behind.
pub fn pay_from_reserve(
    reserve: &AccountInfo,
    to: &AccountInfo,
    lamports: u64,
    keep: u64,
) -> Result<()> {
    require!(
        reserve_pays(reserve_spendable(reserve)?, lamports, keep),
        TributaryError::ReserveInsufficient
    );
    reserve.sub_lamports(lamports)?;
    to.add_lamports(lamports)?;
    Ok(())
}

/// Mints pool shares, signed by the pool's authority PDA.
pub fn mint_shares<'info>(
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    authority_seeds: &[&[u8]],
    shares: u64,
) -> Result<()> {
    token_2022::mint_to(
        CpiContext::new_with_signer(
            token_program.key(),
            MintTo {
                mint: mint.clone(),
                to: to.clone(),
                authority: authority.clone(),
            },
            &[authority_seeds],
        ),
        shares,
    )
}

/// A staker burns a positive number of shares it holds.
pub fn require_burnable(held: u64, shares: u64) -> Result<()> {
    require_gt!(shares, 0, TributaryError::ZeroAmount);
    require_gte!(held, shares, TributaryError::InsufficientShares);
    Ok(())
}

/// Burns `shares` from `from`, signed by its owner.
pub fn burn_shares<'info>(
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    owner: &AccountInfo<'info>,
    shares: u64,
) -> Result<()> {
    token_2022::burn(
        CpiContext::new(
            token_program.key(),
            Burn {
                mint: mint.clone(),
                from: from.clone(),
                authority: owner.clone(),
            },
        ),
        shares,
    )
}

/// Sets the mint's ScaledUiAmount multiplier, effective at once, so wallets show shares in SOL.
pub fn set_share_price<'info>(
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    authority_seeds: &[&[u8]],
    share_price: f64,
    now: i64,
) -> Result<()> {
    // Token-2022 takes only a positive multiplier; a pool that lost everything shows ~0.
    let share_price = if share_price.is_normal() && share_price > 0.0 {
        share_price
    } else {
        f64::MIN_POSITIVE
    };
    let ix = spl_token_2022::extension::scaled_ui_amount::instruction::update_multiplier(
        token_program.key,
        mint.key,
        authority.key,
        &[],
        share_price,
        now,
    )?;
    anchor_lang::solana_program::program::invoke_signed(
        &ix,
        &[mint.clone(), authority.clone(), token_program.clone()],
        &[authority_seeds],
    )?;
    Ok(())
}

/// Creates a tip vault at `vault`, a PDA of this program signed by `signer_seeds`, paid by
/// `payer`. `vote` is the validator's vote account, the default key for a pool tip account.
pub fn create_mev_vault<'info>(
    system_program: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    vault: &AccountInfo<'info>,
    signer_seeds: &[&[u8]],
    pool: Pubkey,
    vote: Pubkey,
) -> Result<()> {
    create_account(
        system_program,
        payer,
        vault,
        MevVault::SPACE,
        Rent::get()?.minimum_balance(MevVault::SPACE),
        &crate::ID,
        &[signer_seeds],
    )?;
    let bump = signer_seeds
        .last()
        .and_then(|bump| bump.first().copied())
        .unwrap_or_default();
    let state = MevVault::new(pool, vote, bump);
    state.try_serialize(&mut &mut vault.try_borrow_mut_data()?[..])?;
    record(&CreateMevVaultEvent {
        pool,
        vault: vault.key(),
        vote,
    });
    Ok(())
}
