//! Cross-program calls shared by several instructions.

use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Allocate, Assign, Transfer};
use anchor_spl::token_2022::{self, spl_token_2022, MintTo};

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
    let shortfall = lamports.saturating_sub(target.lamports());
    if shortfall > 0 {
        system_program::transfer(
            CpiContext::new(
                system_program.key(),
                Transfer {
                    from: payer.clone(),
                    to: target.clone(),
                },
            ),
            shortfall,
        )?;
    }
    system_program::allocate(
        CpiContext::new_with_signer(
            system_program.key(),
            Allocate {
                account_to_allocate: target.clone(),
            },
            signer_seeds,
        ),
        space as u64,
    )?;
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

/// Sets the mint's ScaledUiAmount multiplier, effective at once, so wallets show shares in SOL.
pub fn set_share_price<'info>(
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    authority_seeds: &[&[u8]],
    share_price: f64,
    now: i64,
) -> Result<()> {
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
