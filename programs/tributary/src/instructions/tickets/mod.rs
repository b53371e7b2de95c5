//! Delayed unstake: tickets ordered at today's rate, claimed after the epoch boundary.

pub mod claim_ticket;
pub mod order_unstake;
pub mod transfer_ticket;

pub use claim_ticket::*;
pub use order_unstake::*;
pub use transfer_ticket::*;
