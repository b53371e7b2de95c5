//! MEV tips: validators declare their commission; anyone distributes a tip account.

pub mod distribute;
pub mod set_mev_commission;

pub use distribute::*;
pub use set_mev_commission::*;
