//! tributary-client, the SDK: PDAs, instruction builders, account decoders, quotes and
//! `PoolClient`, an async client of a pool over a cluster's RPC or (feature `bank`) over an
//! in-process bank that runs the program natively. The `tributary` tool is `tributary-cli`.

pub mod client;
pub mod error;
pub mod events;
pub mod instructions;
pub mod pda;
pub mod quote;
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
