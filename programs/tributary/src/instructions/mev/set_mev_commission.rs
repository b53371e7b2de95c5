use anchor_lang::prelude::*;

use crate::constants::{BPS_DENOMINATOR, VOTE_PROGRAM_ID};
use crate::errors::TributaryError;
use crate::events::{record, SetMevCommissionEvent};
use crate::state::MevVault;

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
/// raise from the next epoch.
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
        constraint = mev_vault.vote == vote.key() @ TributaryError::UnknownValidator,
    )]
    pub mev_vault: Box<Account<'info, MevVault>>,
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
    let vault = &mut ctx.accounts.mev_vault;
    vault.declare_commission(args.commission_bps, epoch);
    vault.payout = args.payout;
    record(&SetMevCommissionEvent {
        pool: vault.pool,
        vote: vault.vote,
        payout: vault.payout,
        commission_bps: vault.commission_bps,
        in_force_bps: vault.declared_commission(epoch),
        effective_epoch: vault.commission_epoch,
    });
    Ok(())
}
