pub mod fees;
pub mod mev_vault;
pub mod pool;
pub mod rebalance;
pub mod strategy;
pub mod tips;
pub mod unstake_ticket;
pub mod validator_list;

pub use fees::*;
pub use mev_vault::*;
pub use pool::*;
pub use rebalance::*;
pub use strategy::*;
pub use tips::*;
pub use unstake_ticket::*;
pub use validator_list::*;
