//! What a deposit, a withdrawal or a ticket gives at the pool's rate, read once: the program's
//! own pricing functions over the pool's state and share supply, with no rule of the client's.

use tributary::math::{
    quote_deposit, quote_withdraw, share_price, shares_to_lamports, shares_worth_at_least,
    DepositQuote, WithdrawQuote,
};
use tributary::state::Pool;

use crate::client::PoolClient;
use crate::transport::Transport;
use crate::ClientError;

/// The least acceptable outcome for a quote of `expected`, `slippage_bps` basis points below it
/// (rounded down): the slippage bound a staker instruction is sent with.
pub fn with_slippage(expected: u64, slippage_bps: u16) -> u64 {
    let kept = 10_000u128.saturating_sub(u128::from(slippage_bps));
    (u128::from(expected) * kept / 10_000) as u64
}

/// The pool as a quote sees it: its state (fees, lamports) and its share supply.
#[derive(Debug, Clone)]
pub struct Quote {
    pub pool: Pool,
    /// `Pool::share_supply`: minted, owed to the treasury and locked shares.
    pub supply: u64,
}

impl Quote {
    pub fn new(pool: Pool, minted: u64) -> Result<Self, ClientError> {
        let supply = pool.share_supply(minted).map_err(ClientError::rule)?;
        Ok(Self { pool, supply })
    }

    /// Lamports per share.
    pub fn price(&self) -> f64 {
        share_price(self.pool.total_lamports, self.supply)
    }

    /// What `shares` are worth, rounded down.
    pub fn value_of(&self, shares: u64) -> u64 {
        shares_to_lamports(shares, self.pool.total_lamports, self.supply).unwrap_or(0)
    }

    /// The fewest shares worth at least `lamports`.
    pub fn shares_worth(&self, lamports: u64) -> u64 {
        shares_worth_at_least(lamports, self.pool.total_lamports, self.supply).unwrap_or(u64::MAX)
    }

    /// What depositing `lamports` of SOL (or of stake) gives.
    pub fn deposit(&self, lamports: u64) -> Option<DepositQuote> {
        quote_deposit(
            lamports,
            self.pool.total_lamports,
            self.supply,
            self.pool.fees.deposit_bps,
        )
    }

    /// What redeeming `shares` at once (SOL or stake) pays.
    pub fn withdrawal(&self, shares: u64) -> Option<WithdrawQuote> {
        self.redemption(shares, self.pool.fees.withdrawal_bps)
    }

    /// What a ticket for `shares` is owed.
    pub fn ticket(&self, shares: u64) -> Option<WithdrawQuote> {
        self.redemption(shares, self.pool.fees.ticket_bps)
    }

    fn redemption(&self, shares: u64, fee_bps: u16) -> Option<WithdrawQuote> {
        quote_withdraw(shares, self.pool.total_lamports, self.supply, fee_bps)
    }
}

impl<T: Transport> PoolClient<T> {
    /// The pool's rate now, for quotes: its lamports with the income released by the current
    /// slot, as the program prices a deposit or an exit in it.
    pub async fn quote(&mut self) -> Result<Quote, ClientError> {
        let mut pool = self.pool_state().await?;
        let slot = self.clock().await?.slot;
        pool.release_income(slot).map_err(ClientError::rule)?;
        let minted = self.mint_state().await?.supply;
        Quote::new(pool, minted)
    }
}
