use anchor_lang::prelude::*;

use crate::constants::{AUTHORITY_SEED, FEE_INCREASE_DELAY_EPOCHS};
use crate::errors::TributaryError;
use crate::math::{
    fee_of, quote_deposit, quote_withdraw, ticket_units_for, ticket_value, DepositQuote,
    WithdrawQuote,
};
use crate::state::{Fees, MevRecord, Strategy};

/// One liquid-staking pool. Every other account of the pool is a PDA of this account's address.
#[account]
#[derive(InitSpace, Debug)]
pub struct Pool {
    pub admin: Pubkey,
    /// Set by `propose_admin`, cleared by `accept_admin`; the default key means none.
    pub pending_admin: Pubkey,
    /// Manages validators and delegation.
    pub operator: Pubkey,
    pub mint: Pubkey,
    /// Token account of the pool's mint that receives fee shares.
    pub treasury: Pubkey,
    pub authority: Pubkey,
    pub reserve: Pubkey,
    pub validator_list: Pubkey,
    pub fees: Fees,
    /// Fees asked for; equal to `fees` when nothing is pending.
    pub pending_fees: Fees,
    /// First epoch in which `pending_fees` apply.
    pub pending_fees_epoch: u64,
    /// The stakers' lamports: the pool's own ledger, not a raw balance. Deposits and exits move
    /// it by what they bring and take; everything else (rewards, tips, donations, losses) is
    /// counted only at the epoch roll, so within an epoch the share price moves by rounding
    /// alone.
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
    pub last_update_epoch: u64,
    /// Stops deposits; withdrawals keep working.
    pub paused: bool,
    pub authority_bump: u8,
    /// How much tips may raise the share price per epoch, in basis points of `tip_base`: a
    /// known jump invites deposits timed to catch it. What is over waits in the vaults.
    pub tip_rate_cap_bps: u16,
    /// `total_lamports` at the last epoch roll: what the tip rate cap is a share of.
    pub tip_base: u64,
    /// Tips distributed since the last roll, waiting in the reserve to be counted at the next:
    /// the stakers' part and the protocol's.
    pub pending_tips_to_stakers: u64,
    pub pending_tips_to_protocol: u64,
    /// Every distribution of every vault, added up.
    pub mev_totals: MevRecord,
    /// Lamports owed to unstake tickets not yet claimed: no longer the stakers', held back in
    /// the reserve (or on their way to it) for the tickets.
    pub ticket_lamports: u64,
    /// Units of the open tickets: each is owed its units' share of `ticket_lamports`, so a
    /// loss cuts every open ticket pro rata.
    pub ticket_units: u64,
    pub strategy: Strategy,
    /// The epoch of `moved_lamports`.
    pub move_epoch: u64,
    /// Stake `rebalance` has moved this epoch, in or out.
    pub moved_lamports: u64,
    /// Room for later fields without a migration.
    pub reserved: [u8; 256],
}

impl Pool {
    /// Minted shares plus the fee shares owed to the treasury and the locked shares.
    pub fn share_supply(&self, minted: u64) -> Result<u64> {
        minted
            .checked_add(self.pending_treasury_shares)
            .and_then(|supply| supply.checked_add(self.locked_shares))
            .ok_or_else(|| error!(TributaryError::MathOverflow))
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
            .ok_or(TributaryError::MathOverflow)?;
        require_gt!(quote.user_shares, 0, TributaryError::AmountTooSmall);
        require_gte!(
            quote.user_shares,
            min_shares_out,
            TributaryError::SlippageExceeded
        );
        let supply_after = supply
            .checked_add(quote.user_shares)
            .and_then(|supply| supply.checked_add(quote.fee_shares))
            .ok_or(TributaryError::MathOverflow)?;
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
        let quote = quote_withdraw(shares, self.total_lamports, supply, fee_bps)
            .ok_or(TributaryError::MathOverflow)?;
        require_gt!(quote.lamports, 0, TributaryError::AmountTooSmall);
        require_gte!(
            quote.lamports,
            min_lamports_out,
            TributaryError::SlippageExceeded
        );
        let supply_after = supply
            .checked_sub(shares)
            .and_then(|supply| supply.checked_add(quote.fee_shares))
            .ok_or(TributaryError::MathOverflow)?;
        Ok((quote, supply_after))
    }

    /// Opens a ticket owed `lamports`, moved from the stakers' lamports to the tickets'.
    /// Returns its units.
    pub fn open_ticket(&mut self, lamports: u64) -> Result<u64> {
        let units = ticket_units_for(lamports, self.ticket_lamports, self.ticket_units)
            .ok_or(TributaryError::TicketsWipedOut)?;
        self.debit(lamports)?;
        self.ticket_lamports = self
            .ticket_lamports
            .checked_add(lamports)
            .ok_or(TributaryError::MathOverflow)?;
        self.ticket_units = self
            .ticket_units
            .checked_add(units)
            .ok_or(TributaryError::MathOverflow)?;
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
        self.ticket_lamports = self
            .ticket_lamports
            .checked_sub(lamports)
            .ok_or(TributaryError::MathOverflow)?;
        self.ticket_units = self
            .ticket_units
            .checked_sub(units)
            .ok_or(TributaryError::MathOverflow)?;
        if self.ticket_units == 0 {
            self.credit(self.ticket_lamports)?;
            self.ticket_lamports = 0;
        }
        Ok(lamports)
    }

    /// Stake `rebalance` may still move in `epoch` under the strategy's movement cap.
    pub fn movement_left(&self, epoch: u64) -> Result<u64> {
        let moved = self.moved_in(epoch);
        let cap = fee_of(self.total_lamports, self.strategy.max_move_bps)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        Ok(cap.saturating_sub(moved))
    }

    /// What instant withdrawals leave in the reserve: what tickets are owed and the rent of a
    /// transient stake account, which the pool needs to unstake for the tickets.
    pub fn reserve_for_tickets(&self, transient_rent: u64) -> Result<u64> {
        self.ticket_lamports
            .checked_add(transient_rent)
            .ok_or_else(|| error!(TributaryError::MathOverflow))
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
            .and_then(|buffer| buffer.checked_add(self.reserve_for_tickets(transient_rent).ok()?))
            .ok_or_else(|| error!(TributaryError::MathOverflow))
    }

    /// Records stake `rebalance` moved in `epoch`.
    pub fn record_movement(&mut self, epoch: u64, lamports: u64) -> Result<()> {
        self.moved_lamports = self
            .moved_in(epoch)
            .checked_add(lamports)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        self.move_epoch = epoch;
        Ok(())
    }

    /// Stake `rebalance` has moved in `epoch`.
    fn moved_in(&self, epoch: u64) -> u64 {
        if self.move_epoch == epoch {
            self.moved_lamports
        } else {
            0
        }
    }

    /// Lamports tips may still give the stakers before the next epoch roll under the rate cap.
    pub fn tip_allowance(&self) -> Result<u64> {
        let cap = fee_of(self.tip_base, self.tip_rate_cap_bps)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        Ok(cap.saturating_sub(self.pending_tips_to_stakers))
    }

    /// Counts a distribution's tips, which wait in the reserve for the next epoch roll.
    pub fn add_pending_tips(&mut self, to_stakers: u64, to_protocol: u64) -> Result<()> {
        self.pending_tips_to_stakers = self
            .pending_tips_to_stakers
            .checked_add(to_stakers)
            .ok_or(TributaryError::MathOverflow)?;
        self.pending_tips_to_protocol = self
            .pending_tips_to_protocol
            .checked_add(to_protocol)
            .ok_or(TributaryError::MathOverflow)?;
        Ok(())
    }

    /// Deposits and withdrawals price shares only after this epoch's `update_pool`.
    pub fn require_fresh(&self, epoch: u64) -> Result<()> {
        require_eq!(self.last_update_epoch, epoch, TributaryError::StaleEpoch);
        Ok(())
    }

    /// Decreases apply at once; increases wait `FEE_INCREASE_DELAY_EPOCHS` epoch boundaries.
    pub fn schedule_fees(&mut self, target: Fees, epoch: u64) -> Result<()> {
        target.validate()?;
        self.fees = self.fees.min_each(&target);
        self.pending_fees = target;
        self.pending_fees_epoch = epoch
            .checked_add(FEE_INCREASE_DELAY_EPOCHS)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        Ok(())
    }

    /// Applies pending fees whose epoch has come; true when the fees changed.
    pub fn roll_fees(&mut self, epoch: u64) -> bool {
        let due = epoch >= self.pending_fees_epoch && self.pending_fees != self.fees;
        if due {
            self.fees = self.pending_fees;
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
        self.pending_fees != self.fees
    }

    /// Subtracts lamports paid out of the ledger.
    pub fn debit(&mut self, lamports: u64) -> Result<()> {
        self.total_lamports = self
            .total_lamports
            .checked_sub(lamports)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        Ok(())
    }

    /// Adds lamports received to the ledger.
    pub fn credit(&mut self, lamports: u64) -> Result<()> {
        self.total_lamports = self
            .total_lamports
            .checked_add(lamports)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        Ok(())
    }

    pub fn owe_treasury(&mut self, shares: u64) -> Result<()> {
        self.pending_treasury_shares = self
            .pending_treasury_shares
            .checked_add(shares)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        Ok(())
    }
}
