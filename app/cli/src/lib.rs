//! The `tributary` tool on the SDK (`tributary-client`): the CLI over RPC, `simulate` (the
//! scenario through the designs, each in an in-process bank), `localnet` (the bank over
//! JSON-RPC) and the scale benchmark.

pub mod cli;
pub mod localnet;
pub mod rng;
pub mod scale;
pub mod simulate;
