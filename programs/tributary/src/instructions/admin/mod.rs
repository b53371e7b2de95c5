//! The admin's instructions: fees, roles, the treasury, pause, the tip rate cap and the
//! token's metadata.

pub mod accept_admin;
pub mod admin_action;
pub mod pause;
pub mod propose_admin;
pub mod set_fees;
pub mod set_metadata;
pub mod set_operator;
pub mod set_tip_rate_cap;
pub mod set_treasury;

pub use accept_admin::*;
pub use admin_action::*;
pub use pause::*;
pub use propose_admin::*;
pub use set_fees::*;
pub use set_metadata::*;
pub use set_operator::*;
pub use set_tip_rate_cap::*;
pub use set_treasury::*;
