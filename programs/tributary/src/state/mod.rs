pub mod fees;
pub mod mev_vault;
pub mod pool;
pub mod validator_list;

pub use fees::*;
pub use mev_vault::*;
pub use pool::*;
pub use validator_list::*;
