//! The operator's instructions: validators, their stake and the delegation strategy.

pub mod add_validator;
pub mod decrease_validator_stake;
pub mod increase_validator_stake;
pub mod move_validator_stake;
pub mod remove_validator;
pub mod set_lookup_table;
pub mod set_strategy;
pub mod set_weight;

pub use add_validator::*;
pub use decrease_validator_stake::*;
pub use increase_validator_stake::*;
pub use move_validator_stake::*;
pub use remove_validator::*;
pub use set_lookup_table::*;
pub use set_strategy::*;
pub use set_weight::*;
