use anchor_lang::prelude::*;

use crate::constants::{BPS_DENOMINATOR, VOTE_PROGRAM_ID};
use crate::errors::TributaryError;
use crate::events::{record, SetMevCommissionEvent};
use crate::safe_math::SafeMath;
use crate::state::{MevVault, Pool};

/// Where vote states of versions 1.14.11, 3 and 4 keep the authorized withdrawer: after the
/// version tag and the node key.
const VOTE_WITHDRAWER_OFFSET: usize = 4 + 32;

/// Arguments of `set_mev_commission`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct SetMevCommissionArgs {
    /// The validator's commission on its tips, in basis points.
    pub commission_bps: u16,
    /// Receives the commission.
    pub payout: Pubkey,
}

/// A validator declares its MEV commission and where it is paid, signed by its vote
/// account's authorized withdrawer. The pool pays at most its cap; a cut applies at once, a
/// raise from the next epoch. A raise first splits the tips already in the vault at the
/// commission in force, so it never reaches tips that arrived before it, distributed or not.
#[derive(Accounts)]
pub struct SetMevCommission<'info> {
    /// The validator's authorized withdrawer, who signs.
    pub withdrawer: Signer<'info>,
    /// The validator's vote account, naming `withdrawer` as its authorized withdrawer.
    /// CHECK: owned by the vote program (`owner`); its withdrawer is checked in `validate`.
    #[account(owner = VOTE_PROGRAM_ID @ TributaryError::NotVoteAccount)]
    pub vote: UncheckedAccount<'info>,
    #[account(
        mut,
        has_one = pool @ TributaryError::WrongPoolAccount,
        constraint = mev_vault.vote == vote.key() @ TributaryError::UnknownValidator,
    )]
    pub mev_vault: Box<Account<'info, MevVault>>,
    /// The vault's pool: its fees split the tips a raise settles.
    pub pool: Box<Account<'info, Pool>>,
}

impl SetMevCommission<'_> {
    fn validate(&self, args: &SetMevCommissionArgs) -> Result<()> {
        require_gte!(
            BPS_DENOMINATOR,
            args.commission_bps as u64,
            TributaryError::CommissionAboveLimit
        );
        let data = self.vote.try_borrow_data()?;
        let withdrawer = data
            .get(VOTE_WITHDRAWER_OFFSET..VOTE_WITHDRAWER_OFFSET + 32)
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .map(Pubkey::new_from_array)
            .ok_or(TributaryError::NotVoteAccount)?;
        require_keys_eq!(
            withdrawer,
            self.withdrawer.key(),
            TributaryError::NotVoteWithdrawer
        );
        Ok(())
    }
}

pub fn handle_set_mev_commission(
    ctx: Context<SetMevCommission>,
    args: SetMevCommissionArgs,
) -> Result<()> {
    ctx.accounts.validate(&args)?;
    let epoch = Clock::get()?.epoch;
    let fees = ctx.accounts.pool.fees;
    let lamports = ctx.accounts.mev_vault.to_account_info().lamports();
    let vault = &mut ctx.accounts.mev_vault;
    let settled_tips = if args.commission_bps > vault.declared_commission(epoch) {
        let commission = vault.commission_bps(epoch, fees.mev_commission_cap_bps);
        vault
            .split_arrivals(lamports, &Rent::get()?, commission, fees.mev_bps)?
            .processed
    } else {
        0
    };
    vault.declare_commission(args.commission_bps, epoch);
    vault.payout = args.payout;
    if vault.payout == Pubkey::default() {
        // No payout account to pay what is owed: it goes to the stakers.
        vault.held_to_stakers = vault.held_to_stakers.safe_add(vault.owed_to_validator)?;
        vault.owed_to_validator = 0;
    }
    record(&SetMevCommissionEvent {
        pool: vault.pool,
        vote: vault.vote,
        payout: vault.payout,
        commission_bps: vault.commission_bps,
        in_force_bps: vault.declared_commission(epoch),
        effective_epoch: vault.commission_epoch,
        settled_tips,
    });
    Ok(())
}
