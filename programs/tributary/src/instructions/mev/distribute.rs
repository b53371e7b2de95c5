use anchor_lang::prelude::*;

use crate::errors::TributaryError;
use crate::events::{record, DistributeEvent};
use crate::math::{release_held, split_tips};
use crate::safe_math::SafeMath;
use crate::state::{ListAccount, MevVault, Pool, ValidatorList};

/// Distributes a vault's tips (anyone, any time). Tips that arrived since the last distribution
/// are split now, for good, at the commission in force: the validator's MEV commission (what it
/// declared, at most the pool's cap) to its payout account, the protocol's MEV fee and the
/// stakers' part held in the vault. Of what is held, the stakers' part up to the tip rate cap
/// (and the protocol's in proportion) goes into the reserve, counted at the next epoch roll and
/// released into the share price over the epoch after it; the rest waits in the vault, owed to
/// the stakers whatever the validator declares later. `validator_index` is the validator's
/// position in the list (any value for a pool tip account or a removed validator).
#[derive(Accounts)]
pub struct Distribute<'info> {
    #[account(
        mut,
        has_one = reserve @ TributaryError::WrongPoolAccount,
        has_one = validator_list @ TributaryError::WrongPoolAccount,
    )]
    pub pool: Box<Account<'info, Pool>>,
    /// Read for the validator's stake, recorded in its MEV ledger.
    pub validator_list: AccountLoader<'info, ValidatorList>,
    #[account(mut, has_one = pool @ TributaryError::WrongPoolAccount)]
    pub mev_vault: Box<Account<'info, MevVault>>,
    /// CHECK: the pool's reserve, checked by `has_one`.
    #[account(mut)]
    pub reserve: UncheckedAccount<'info>,
    /// The payout account the validator declared, when a commission is paid; any writable
    /// account otherwise.
    /// CHECK: checked in `validate` when a commission is paid.
    #[account(mut)]
    pub payout: UncheckedAccount<'info>,
}

impl Distribute<'_> {
    /// Tips in the vault: its lamports above its rent-exempt minimum.
    fn tips(&self) -> Result<u64> {
        let lamports = self.mev_vault.to_account_info().lamports();
        let tips = MevVault::tips_in(lamports, &Rent::get()?);
        require_gt!(tips, 0, TributaryError::NoTips);
        Ok(tips)
    }

    /// The validator's lamports in the pool, from its list entry at `validator_index`; 0 for a
    /// pool tip account or a removed validator, which no longer pays commission.
    fn validator_stake(&self, validator_index: u32) -> Result<u64> {
        let vault = &self.mev_vault;
        if vault.vote == Pubkey::default() {
            return Ok(0);
        }
        let list = self.validator_list.list()?;
        match list
            .get(validator_index)
            .ok()
            .filter(|entry| entry.vote == vault.vote)
        {
            Some(entry) => entry.total_lamports(),
            None if !vault.pays_commission => Ok(0),
            None => err!(TributaryError::UnknownValidator),
        }
    }

    /// The commission this distribution pays: what the validator declared for this epoch,
    /// capped by the pool; nothing for a pool tip account, a removed validator, or one that
    /// has declared no payout account.
    fn commission_bps(&self, epoch: u64) -> u16 {
        let vault = &self.mev_vault;
        if !vault.pays_commission || vault.payout == Pubkey::default() {
            return 0;
        }
        vault
            .declared_commission(epoch)
            .min(self.pool.fees.mev_commission_cap_bps)
    }
}

pub fn handle_distribute(ctx: Context<Distribute>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let accounts = ctx.accounts;
    let tips = accounts.tips()?;
    let arrived = tips.saturating_sub(accounts.mev_vault.held());
    let stake = accounts.validator_stake(validator_index)?;
    let split_with = |commission_bps| {
        split_tips(arrived, commission_bps, accounts.pool.fees.mev_bps)
            .ok_or(TributaryError::MathOverflow)
    };
    let mut commission_bps = accounts.commission_bps(epoch);
    if commission_bps > 0 {
        // Checked first, so no caller can make the validator forgo its commission below.
        require_keys_eq!(
            accounts.payout.key(),
            accounts.mev_vault.payout,
            TributaryError::WrongPayout
        );
    }
    let mut split = split_with(commission_bps)?;
    // The declared payout account, if the commission would leave it below its rent-exempt
    // minimum, cannot take it; rather than let that block the stakers' tips, it is forgone.
    let payout = accounts.payout.to_account_info();
    let payout_rent = Rent::get()?.minimum_balance(payout.data_len());
    if split.to_validator > 0 && payout.lamports() + split.to_validator < payout_rent {
        commission_bps = 0;
        split = split_with(0)?;
    }
    let vault = &mut accounts.mev_vault;
    vault.held_to_stakers = vault.held_to_stakers.safe_add(split.to_stakers)?;
    vault.held_to_protocol = vault.held_to_protocol.safe_add(split.to_protocol)?;
    let (released_to_stakers, released_to_protocol) = release_held(
        vault.held_to_stakers,
        vault.held_to_protocol,
        accounts.pool.tips.allowance()?,
    );
    let released = released_to_stakers + released_to_protocol;
    require!(
        arrived > 0 || released > 0,
        TributaryError::TipRateCapReached
    );
    vault.held_to_stakers -= released_to_stakers;
    vault.held_to_protocol -= released_to_protocol;

    // Lamports leave the program-owned vault without a CPI.
    let vault_info = vault.to_account_info();
    vault_info.sub_lamports(split.to_validator.safe_add(released)?)?;
    accounts.payout.add_lamports(split.to_validator)?;
    accounts.reserve.add_lamports(released)?;

    let pool = &mut accounts.pool;
    pool.tips
        .add_pending(released_to_stakers, released_to_protocol)?;
    pool.mev_totals.add(&split)?;
    accounts.mev_vault.record(epoch, stake, &split)?;

    record(&DistributeEvent {
        pool: pool.key(),
        vault: vault_info.key(),
        vote: accounts.mev_vault.vote,
        epoch,
        tips,
        processed: split.processed,
        held_back: accounts.mev_vault.held(),
        commission_bps,
        to_validator: split.to_validator,
        to_protocol: split.to_protocol,
        to_stakers: split.to_stakers,
        released_to_stakers,
        released_to_protocol,
        pending_tips_to_stakers: pool.tips.pending_to_stakers,
        pending_tips_to_protocol: pool.tips.pending_to_protocol,
    });
    Ok(())
}
