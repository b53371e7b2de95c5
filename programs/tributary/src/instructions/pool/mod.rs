//! Setting a pool up: anyone creates one (becoming its admin), its tip accounts and room in its validator list.

pub mod create_pool_tip_accounts;
pub mod initialize_pool;
pub mod realloc_validator_list;

pub use create_pool_tip_accounts::*;
pub use initialize_pool::*;
pub use realloc_validator_list::*;
