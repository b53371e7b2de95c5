//! One file of commands per actor, each a few calls on `PoolClient` and one typed answer.

pub mod admin;
pub mod cluster;
pub mod crank;
pub mod explain;
pub mod keeper;
pub mod localnet;
pub mod mev;
pub mod operator;
pub mod roles;
pub mod setup;
pub mod show;
pub mod simulate;
pub mod staker;
