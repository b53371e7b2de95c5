//! What stakers do: SOL or stake in, SOL or stake out, at the current rate with slippage bounds.

pub mod deposit_sol;
pub mod deposit_stake;
pub mod withdraw_sol;
pub mod withdraw_stake;

pub use deposit_sol::*;
pub use deposit_stake::*;
pub use withdraw_sol::*;
pub use withdraw_stake::*;
