//! tributary-client: PDAs, instruction builders, account decoders and `PoolClient`, an async
//! client over an in-process bank that runs the program natively or over a cluster's RPC; plus
//! the `tributary` CLI.

pub mod cli;
pub mod client;
pub mod embedded;
pub mod error;
pub mod events;
pub mod instructions;
pub mod pda;
pub mod report;
pub mod rng;
pub mod setup;
pub mod simulate;
pub mod state;
pub mod transport;

pub use client::{Crank, PoolClient, TxOutcome};
pub use error::ClientError;
pub use pda::PoolAddresses;
pub use transport::{Bank, Rpc, Transport};
pub use tributary;

/// Lamports in one SOL.
pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;
