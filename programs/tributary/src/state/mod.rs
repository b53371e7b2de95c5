pub mod fees;
pub mod mev_vault;
pub mod pool;
pub mod strategy;
pub mod unstake_ticket;
pub mod validator_list;

pub use fees::*;
pub use mev_vault::*;
pub use pool::*;
pub use strategy::*;
pub use unstake_ticket::*;
pub use validator_list::*;
