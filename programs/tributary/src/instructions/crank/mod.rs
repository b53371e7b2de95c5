//! The epoch's permissionless work: update the validators, roll the pool, mint the treasury's shares, score the validators and rebalance.

pub mod mint_treasury_shares;
pub mod rebalance;
pub mod score_validator;
pub mod update_pool;
pub mod update_validators;

pub use mint_treasury_shares::*;
pub use rebalance::*;
pub use score_validator::*;
pub use update_pool::*;
pub use update_validators::*;
