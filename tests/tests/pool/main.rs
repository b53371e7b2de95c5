//! Integration tests: the program run natively in solana-program-test, with the real Token-2022
//! and associated-token programs, driven only through the client crate.

mod admin;
mod attacker;
mod cli;
mod cost;
mod deposit_sol;
mod fixture;
mod initialize_pool;
mod keeper;
mod list_totals;
mod mev;
mod round_three;
mod scale;
mod security;
mod set_fees;
mod sharing;
mod stake_deposits;
mod strategy;
mod tickets;
mod update_pool;
mod validators;
mod withdraw_sol;
