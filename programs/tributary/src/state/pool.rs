use anchor_lang::prelude::*;

use crate::constants::{AUTHORITY_SEED, FEE_INCREASE_DELAY_EPOCHS};
use crate::errors::TributaryError;
use crate::math::{fee_of, quote_deposit, quote_withdraw, DepositQuote, WithdrawQuote};
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
    /// Lamports under management: the pool's own ledger, not a raw balance, so a donation
    /// cannot move the rate.
    pub total_lamports: u64,
    /// Fee shares owed to the treasury, minted at the next `update_pool`. They count in the
    /// share supply from the moment they are owed.
    pub pending_treasury_shares: u64,
    pub last_update_epoch: u64,
    /// Stops deposits; withdrawals keep working.
    pub paused: bool,
    pub authority_bump: u8,
    /// How far tips may raise the share price in one epoch, in basis points: a known jump
    /// invites deposits timed to catch it. What is over waits in the vaults.
    pub tip_rate_cap_bps: u16,
    /// The epoch of the tip allowance below.
    pub tip_epoch: u64,
    /// `total_lamports` at the epoch's first distribution: what the cap is a share of.
    pub tip_epoch_base: u64,
    /// Lamports tips have given the stakers this epoch.
    pub tip_epoch_to_stakers: u64,
    /// Every distribution of every vault, added up.
    pub mev_totals: MevRecord,
    /// Lamports owed to unstake tickets not yet claimed: no longer the stakers', held back in
    /// the reserve (or on their way to it) for the tickets.
    pub ticket_lamports: u64,
    pub strategy: Strategy,
    /// The epoch of `moved_lamports`.
    pub move_epoch: u64,
    /// Stake `rebalance` has moved this epoch, in or out.
    pub moved_lamports: u64,
    /// Room for later fields without a migration.
    pub reserved: [u8; 256],
}

impl Pool {
    /// Minted shares plus the fee shares owed to the treasury.
    pub fn share_supply(&self, minted: u64) -> Result<u64> {
        minted
            .checked_add(self.pending_treasury_shares)
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

    /// Stake `rebalance` may still move in `epoch` under the strategy's movement cap.
    pub fn movement_left(&self, epoch: u64) -> Result<u64> {
        let moved = self.moved_in(epoch);
        let cap = fee_of(self.total_lamports, self.strategy.max_move_bps)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        Ok(cap.saturating_sub(moved))
    }

    /// What `rebalance` leaves in the reserve when it stakes more: what tickets are owed, the
    /// strategy's buffer and the rent of a new transient stake account.
    pub fn reserve_to_keep(&self, transient_rent: u64) -> Result<u64> {
        fee_of(self.total_lamports, self.strategy.reserve_buffer_bps)
            .and_then(|buffer| buffer.checked_add(self.ticket_lamports))
            .and_then(|keep| keep.checked_add(transient_rent))
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

    /// Lamports tips may still give the stakers in `epoch` under the rate cap.
    pub fn tip_allowance(&mut self, epoch: u64) -> Result<u64> {
        if self.tip_epoch != epoch {
            self.tip_epoch = epoch;
            self.tip_epoch_base = self.total_lamports;
            self.tip_epoch_to_stakers = 0;
        }
        let cap = fee_of(self.tip_epoch_base, self.tip_rate_cap_bps)
            .ok_or_else(|| error!(TributaryError::MathOverflow))?;
        Ok(cap.saturating_sub(self.tip_epoch_to_stakers))
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
