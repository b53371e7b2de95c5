use anchor_lang::prelude::*;

use crate::constants::{AUTHORITY_SEED, FEE_INCREASE_DELAY_EPOCHS};
use crate::errors::TributaryError;
use crate::math::{
    fee_of, quote_deposit, quote_withdraw, released_by, share_loss, ticket_units_for, ticket_value,
    DepositQuote, LossShare, WithdrawQuote,
};
use crate::safe_math::{OrOverflow, SafeMath};
use crate::state::{Fees, MevRecord, Movement, PendingFees, Strategy, Tips};

/// One liquid-staking pool. Every other account of the pool is a PDA of this account's address.
#[account]
#[derive(InitSpace, Debug)]
pub struct Pool {
    /// Sets fees, the operator, the treasury, the metadata; pauses.
    pub admin: Pubkey,
    /// Set by `propose_admin`, cleared by `accept_admin`; the default key means none.
    pub pending_admin: Pubkey,
    /// Manages validators and delegation.
    pub operator: Pubkey,
    /// The pool's token (Token-2022), `["mint", pool]`.
    pub mint: Pubkey,
    /// Token account of the pool's mint that receives fee shares.
    pub treasury: Pubkey,
    /// The PDA that owns the stake accounts and mints shares, `["authority", pool]`.
    pub authority: Pubkey,
    /// The PDA holding the undelegated SOL, `["reserve", pool]`.
    pub reserve: Pubkey,
    /// The PDA listing the validators, `["validator_list", pool]`.
    pub validator_list: Pubkey,
    /// The fees in force.
    pub fees: Fees,
    /// Fees asked for, and when they apply; `fees` when nothing is pending.
    pub pending_fees: PendingFees,
    /// The stakers' lamports: the pool's own ledger, not a raw balance. Deposits and exits move
    /// it by what they bring and take; income (rewards, tips, donations) is counted at the
    /// epoch roll and released into it slot by slot over the next epoch (`release`); a loss is
    /// counted as soon as it is seen.
    pub total_lamports: u64,
    /// Fee shares owed to the treasury, minted by `mint_treasury_shares`. They count in the
    /// share supply from the moment they are owed.
    pub pending_treasury_shares: u64,
    /// Shares nobody can redeem, counted in the share supply: the seed the admin locked at
    /// initialisation (`LOCKED_SEED_LAMPORTS`), so a donation cannot make a share worth much.
    pub locked_shares: u64,
    /// What the validators' stake accounts must keep (rent and minimum delegation), paid by
    /// the operator when it added each: no one's lamports, so every lamport of the stakers and
    /// the tickets can be unstaked. A removed validator's floor joins the stakers' lamports.
    pub floor_lamports: u64,
    /// The epoch of the last roll (`update_pool`); staker instructions need the current one.
    pub last_update_epoch: u64,
    /// Stops deposits; withdrawals keep working.
    pub paused: bool,
    /// The bump of `authority`.
    pub authority_bump: u8,
    /// Tips since the last roll and the cap on how far they may raise the share price.
    pub tips: Tips,
    /// Every distribution of every vault, added up.
    pub mev_totals: MevRecord,
    /// Lamports owed to unstake tickets not yet claimed: no longer the stakers', held back in
    /// the reserve (or on their way to it) for the tickets.
    pub ticket_lamports: u64,
    /// Units of the open tickets: each is owed its units' share of `ticket_lamports`, so a
    /// loss cuts every open ticket pro rata.
    pub ticket_units: u64,
    /// How stake is spread over the validators.
    pub strategy: Strategy,
    /// Stake `rebalance` has moved this epoch.
    pub movement: Movement,
    /// The operator's address lookup table whose addresses are the pool's lookup tables, through
    /// which the crank packs more validators per transaction; the default key when it has none.
    pub lookup_table: Pubkey,
    /// The stakers' income counted at the last roll and not yet in `total_lamports`.
    pub release: Release,
    /// Room for later fields without a migration.
    pub reserved: [u8; 191],
}

/// Income counted at a roll, released into the stakers' lamports evenly, slot by slot, until
/// the same point of the next epoch: the share price rises smoothly instead of jumping at the
/// roll, so a deposit made just before a roll and taken out just after it earns only the slots
/// it was held, like any holding.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub struct Release {
    /// Lamports not yet released, as of `from_slot`.
    pub lamports: u64,
    /// The slot of the last release.
    pub from_slot: u64,
    /// The slot by which every lamport is released.
    pub until_slot: u64,
}

impl Release {
    /// What is released by `slot`.
    pub fn released_by(&self, slot: u64) -> u64 {
        released_by(self.lamports, self.from_slot, self.until_slot, slot)
    }
}

impl Pool {
    /// Minted shares plus the fee shares owed to the treasury and the locked shares.
    pub fn share_supply(&self, minted: u64) -> Result<u64> {
        minted
            .safe_add(self.pending_treasury_shares)?
            .safe_add(self.locked_shares)
    }

    /// Prices a deposit of `lamports` at the current rate, `minted` being the mint's supply:
    /// refuses one that would give no share or fewer than `min_shares_out`. Returns the quote
    /// and the share supply after the deposit.
    pub fn price_deposit(
        &self,
        lamports: u64,
        minted: u64,
        min_shares_out: u64,
    ) -> Result<(DepositQuote, u64)> {
        let supply = self.share_supply(minted)?;
        let quote = quote_deposit(lamports, self.total_lamports, supply, self.fees.deposit_bps)
            .or_overflow()?;
        require_gt!(quote.user_shares, 0, TributaryError::AmountTooSmall);
        require_gte!(
            quote.user_shares,
            min_shares_out,
            TributaryError::SlippageExceeded
        );
        let supply_after = supply
            .safe_add(quote.user_shares)?
            .safe_add(quote.fee_shares)?;
        Ok((quote, supply_after))
    }

    /// Prices a withdrawal of `shares` at the current rate with a fee of `fee_bps`, `minted`
    /// being the mint's supply: refuses one that would pay nothing or less than
    /// `min_lamports_out`. Returns the quote and the share supply after the withdrawal.
    pub fn price_withdrawal(
        &self,
        shares: u64,
        minted: u64,
        min_lamports_out: u64,
        fee_bps: u16,
    ) -> Result<(WithdrawQuote, u64)> {
        let supply = self.share_supply(minted)?;
        let quote = quote_withdraw(shares, self.total_lamports, supply, fee_bps).or_overflow()?;
        require_gt!(quote.lamports, 0, TributaryError::AmountTooSmall);
        require_gte!(
            quote.lamports,
            min_lamports_out,
            TributaryError::SlippageExceeded
        );
        let supply_after = supply.safe_sub(shares)?.safe_add(quote.fee_shares)?;
        Ok((quote, supply_after))
    }

    /// Opens a ticket owed `lamports`, moved from the stakers' lamports to the tickets'.
    /// Returns its units.
    pub fn open_ticket(&mut self, lamports: u64) -> Result<u64> {
        let units = ticket_units_for(lamports, self.ticket_lamports, self.ticket_units)
            .ok_or(TributaryError::TicketsWipedOut)?;
        self.debit(lamports)?;
        self.ticket_lamports = self.ticket_lamports.safe_add(lamports)?;
        self.ticket_units = self.ticket_units.safe_add(units)?;
        Ok(units)
    }

    /// What a ticket of `units` is owed now.
    pub fn ticket_value(&self, units: u64) -> u64 {
        ticket_value(units, self.ticket_lamports, self.ticket_units)
    }

    /// Closes a ticket of `units`; returns what it is paid. Once the last ticket is closed, the
    /// rounding the tickets left behind goes back to the stakers.
    pub fn close_ticket(&mut self, units: u64) -> Result<u64> {
        let lamports = self.ticket_value(units);
        self.ticket_lamports = self.ticket_lamports.safe_sub(lamports)?;
        self.ticket_units = self.ticket_units.safe_sub(units)?;
        if self.ticket_units == 0 {
            self.credit(self.ticket_lamports)?;
            self.ticket_lamports = 0;
        }
        Ok(lamports)
    }

    /// Stake `rebalance` may still move in `epoch` under the strategy's movement cap.
    pub fn movement_left(&self, epoch: u64) -> Result<u64> {
        let cap = fee_of(self.total_lamports, self.strategy.max_move_bps).or_overflow()?;
        Ok(cap.saturating_sub(self.movement.in_epoch(epoch)))
    }

    /// What instant withdrawals leave in the reserve: what tickets are owed and the rent of a
    /// transient stake account, which the pool needs to unstake for the tickets.
    pub fn reserve_for_tickets(&self, transient_rent: u64) -> Result<u64> {
        self.ticket_lamports.safe_add(transient_rent)
    }

    /// What tickets need beyond the reserve's `reserve_spendable` lamports and the `unstaking`
    /// lamports on their way back to it: what `rebalance` unstakes for them first.
    pub fn uncovered_tickets(
        &self,
        reserve_spendable: u64,
        unstaking: u64,
        transient_rent: u64,
    ) -> Result<u64> {
        Ok(self
            .reserve_for_tickets(transient_rent)?
            .saturating_sub(reserve_spendable.saturating_add(unstaking)))
    }

    /// What `rebalance` leaves in the reserve when it stakes more: what it keeps for tickets
    /// and the strategy's buffer.
    pub fn reserve_to_keep(&self, transient_rent: u64) -> Result<u64> {
        fee_of(self.total_lamports, self.strategy.reserve_buffer_bps)
            .or_overflow()?
            .safe_add(self.reserve_for_tickets(transient_rent)?)
    }

    /// Deposits and withdrawals price shares only after this epoch's `update_pool`.
    pub fn require_fresh(&self, epoch: u64) -> Result<()> {
        require_eq!(self.last_update_epoch, epoch, TributaryError::StaleEpoch);
        Ok(())
    }

    /// The pool as it prices shares at `clock`: this epoch's roll done, and the income released
    /// by its slot in the stakers' lamports. Every instruction that prices shares starts here.
    pub fn refresh(&mut self, clock: &Clock) -> Result<()> {
        self.require_fresh(clock.epoch)?;
        self.release_income(clock.slot)
    }

    /// Moves the income released by `slot` into the stakers' lamports.
    pub fn release_income(&mut self, slot: u64) -> Result<()> {
        let released = self.release.released_by(slot);
        self.release.lamports = self.release.lamports.safe_sub(released)?;
        self.release.from_slot = self.release.from_slot.max(slot);
        self.credit(released)
    }

    /// Counts a loss seen now (`share_loss`): the income not yet released, then the stakers'
    /// lamports and what the tickets are owed, pro rata.
    pub fn bear_loss(&mut self, loss: u64) -> Result<LossShare> {
        let share = share_loss(
            loss,
            self.total_lamports,
            self.ticket_lamports,
            self.release.lamports,
        );
        self.release.lamports = self.release.lamports.safe_sub(share.from_locked)?;
        self.debit(share.stakers)?;
        self.ticket_lamports = self.ticket_lamports.safe_sub(share.tickets)?;
        Ok(share)
    }

    /// Decreases apply at once; increases wait `FEE_INCREASE_DELAY_EPOCHS` epoch boundaries.
    pub fn schedule_fees(&mut self, target: Fees, epoch: u64) -> Result<()> {
        target.validate()?;
        self.fees = self.fees.min_each(&target);
        self.pending_fees = PendingFees {
            fees: target,
            epoch: epoch.safe_add(FEE_INCREASE_DELAY_EPOCHS)?,
        };
        Ok(())
    }

    /// Applies pending fees whose epoch has come; true when the fees changed.
    pub fn roll_fees(&mut self, epoch: u64) -> bool {
        let due = epoch >= self.pending_fees.epoch && self.has_pending_fees();
        if due {
            self.fees = self.pending_fees.fees;
        }
        due
    }

    /// Signer seeds of the pool's authority PDA; `pool_key` is this pool's address.
    pub fn authority_seeds<'a>(&'a self, pool_key: &'a Pubkey) -> [&'a [u8]; 3] {
        [
            AUTHORITY_SEED,
            pool_key.as_ref(),
            core::slice::from_ref(&self.authority_bump),
        ]
    }

    pub fn has_pending_fees(&self) -> bool {
        self.pending_fees.fees != self.fees
    }

    /// Subtracts lamports paid out of the ledger. What leaves also leaves the tip rate cap's
    /// base: the cap is a share of the least the stakers held since the last roll, so lamports
    /// brought in for a roll and taken out after it do not widen it.
    pub fn debit(&mut self, lamports: u64) -> Result<()> {
        self.total_lamports = self.total_lamports.safe_sub(lamports)?;
        self.tips.base = self.tips.base.min(self.total_lamports);
        Ok(())
    }

    /// Adds lamports received to the ledger.
    pub fn credit(&mut self, lamports: u64) -> Result<()> {
        self.total_lamports = self.total_lamports.safe_add(lamports)?;
        Ok(())
    }

    pub fn owe_treasury(&mut self, shares: u64) -> Result<()> {
        self.pending_treasury_shares = self.pending_treasury_shares.safe_add(shares)?;
        Ok(())
    }
}
