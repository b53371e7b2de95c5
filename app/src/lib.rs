//! tributary-client: PDAs, instruction builders, account decoders, quotes and `PoolClient`, an
//! async client of a pool over a cluster's RPC or (feature `bank`) over an in-process bank that
//! runs the program natively; with `bank`, the simulation; with `cli`, the `tributary` CLI.

#[cfg(feature = "cli")]
pub mod cli;
pub mod client;
pub mod error;
pub mod events;
pub mod instructions;
#[cfg(feature = "bank")]
pub mod localnet;
pub mod pda;
pub mod quote;
pub mod rng;
#[cfg(feature = "bank")]
pub mod scale;
#[cfg(feature = "bank")]
pub mod simulate;
pub mod state;
pub mod transport;

#[cfg(feature = "bank")]
pub use client::BankClient;
pub use client::{Crank, PoolClient, TxOutcome};
pub use error::ClientError;
pub use pda::PoolAddresses;
#[cfg(feature = "bank")]
pub use transport::Bank;
pub use transport::{Rpc, Transport};
pub use tributary;

/// Lamports in one SOL.
pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;
