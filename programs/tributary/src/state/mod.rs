pub mod fees;
pub mod pool;
pub mod validator_list;

pub use fees::*;
pub use pool::*;
pub use validator_list::*;
