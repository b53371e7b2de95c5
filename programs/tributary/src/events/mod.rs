//! One event per state change. Each carries its inputs and outputs, including the rate's
//! inputs (`total_lamports`, `share_supply`) after the change, so an indexer can recompute.

use anchor_lang::prelude::*;
use anchor_lang::Event;

/// Logs `event` as `Program data: <base64>`, the form Anchor's event parsers read. Natively
/// (tests, the embedded bank) Anchor's `emit!` and `msg!` do not reach the transaction's logs, so
/// the same bytes go through the runtime's log stub, as `Program log: Program data: <base64>`.
pub fn record<E: Event>(event: &E) {
    #[cfg(target_os = "solana")]
    emit!(*event);
    #[cfg(not(target_os = "solana"))]
    {
        use base64::Engine;
        solana_sysvar::program_stubs::sol_log(&format!(
            "Program data: {}",
            base64::engine::general_purpose::STANDARD.encode(event.data())
        ));
    }
}

mod admin;
mod crank;
mod mev;
mod operator;
mod staker;

pub use admin::*;
pub use crank::*;
pub use mev::*;
pub use operator::*;
pub use staker::*;
