//! The program's instructions, grouped by who calls them, with the account composites they
//! share.

pub mod admin;
pub mod crank;
pub mod mev;
pub mod operator;
pub mod pool;
pub mod stake_move;
pub mod stake_program_accounts;
pub mod staker;
pub mod tickets;

pub use admin::*;
pub use crank::*;
pub use mev::*;
pub use operator::*;
pub use pool::*;
pub use stake_move::*;
pub use stake_program_accounts::*;
pub use staker::*;
pub use tickets::*;
