use anchor_lang::prelude::*;

use crate::constants::BPS_DENOMINATOR;
use crate::errors::TributaryError;
use crate::events::{record, DistributeEvent};
use crate::instructions::mev::release_into_reserve;
use crate::math::mul_div_floor;
use crate::safe_math::{OrOverflow, SafeMath};
use crate::state::{ListAccount, MevVault, Pool, TipPath, ValidatorList};

/// Arguments of `distribute`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct DistributeArgs {
    /// The validator's position in the validator list (any value for a pool tip account or a removed validator).
    pub validator_index: u32,
}

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
    /// Tips in a vault holding `lamports`: what is above its rent-exempt minimum.
    fn tips(lamports: u64, rent: &Rent) -> Result<u64> {
        let tips = MevVault::tips_in(lamports, rent);
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
}

pub fn handle_distribute(ctx: Context<Distribute>, validator_index: u32) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    let rent = Rent::get()?;
    let accounts = ctx.accounts;
    let vault_info = accounts.mev_vault.to_account_info();
    let lamports = vault_info.lamports();
    let tips = Distribute::tips(lamports, &rent)?;
    let stake = accounts.validator_stake(validator_index)?;
    let fees = accounts.pool.fees;
    let vault = &mut accounts.mev_vault;
    let arrived = vault.arrived(lamports, &rent);
    let mut commission_bps = vault.commission_bps(epoch, fees.mev_commission_cap_bps);
    let commission =
        mul_div_floor(arrived, commission_bps as u64, BPS_DENOMINATOR).or_overflow()?;
    if commission > 0 || vault.owed_to_validator > 0 {
        // Checked first, so no caller can make the validator forgo its commission below.
        require_keys_eq!(
            accounts.payout.key(),
            vault.payout,
            TributaryError::WrongPayout
        );
    }
    // The declared payout account, if the commission would leave it below its rent-exempt
    // minimum, cannot take it; rather than let that block the stakers' tips, the commission on
    // these tips is forgone (what a raise settled stays owed until it can be paid).
    let payout_lamports = accounts.payout.lamports();
    let payout_rent = rent.minimum_balance(accounts.payout.data_len());
    let payout_after = payout_lamports
        .saturating_add(commission)
        .saturating_add(vault.owed_to_validator);
    if commission > 0 && payout_after < payout_rent {
        commission_bps = 0;
    }
    let split = vault.split_arrivals(lamports, &rent, commission_bps, fees.mev_bps)?;
    vault.record(epoch, stake, &split, TipPath::Vault)?;
    let owed = vault.owed_to_validator;
    let paid_to_validator = if payout_lamports.saturating_add(owed) >= payout_rent {
        owed
    } else {
        0
    };
    vault.owed_to_validator = vault.owed_to_validator.safe_sub(paid_to_validator)?;
    // Lamports leave the program-owned vault without a CPI.
    vault_info.sub_lamports(paid_to_validator)?;
    accounts.payout.add_lamports(paid_to_validator)?;
    let pool = &mut accounts.pool;
    pool.mev_totals.add(&split, TipPath::Vault)?;
    let (released_to_stakers, released_to_protocol) =
        release_into_reserve(pool, vault, &vault_info, &accounts.reserve)?;
    require!(
        arrived > 0 || released_to_stakers + released_to_protocol > 0 || paid_to_validator > 0,
        TributaryError::TipRateCapReached
    );

    record(&DistributeEvent {
        pool: pool.key(),
        vault: vault_info.key(),
        vote: vault.vote,
        epoch,
        tips,
        processed: split.processed,
        held_back: vault.held(),
        commission_bps,
        to_validator: split.to_validator,
        to_protocol: split.to_protocol,
        to_stakers: split.to_stakers,
        paid_to_validator,
        released_to_stakers,
        released_to_protocol,
        pending_tips_to_stakers: pool.tips.pending_to_stakers,
        pending_tips_to_protocol: pool.tips.pending_to_protocol,
    });
    Ok(())
}
