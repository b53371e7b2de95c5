//! MEV tips: validators declare their commission; anyone distributes a tip account, or collects
//! what reached a validator's stake account above its delegation.

pub mod collect_stake_tips;
pub mod distribute;
pub mod set_mev_commission;

pub use collect_stake_tips::*;
pub use distribute::*;
pub use set_mev_commission::*;

use anchor_lang::prelude::*;

use crate::safe_math::SafeMath;
use crate::state::{MevVault, Pool};

/// Moves what `vault` holds for the stakers and the protocol, up to the pool's tip allowance,
/// into the reserve, where it waits for the next epoch roll (`Tips::add_pending`). Lamports
/// leave the program-owned vault without a CPI. Returns `(to_stakers, to_protocol)`.
fn release_into_reserve(
    pool: &mut Pool,
    vault: &mut MevVault,
    vault_info: &AccountInfo,
    reserve: &AccountInfo,
) -> Result<(u64, u64)> {
    let (to_stakers, to_protocol) = vault.release(pool.tips.allowance()?)?;
    let released = to_stakers.safe_add(to_protocol)?;
    vault_info.sub_lamports(released)?;
    reserve.add_lamports(released)?;
    pool.tips.add_pending(to_stakers, to_protocol)?;
    Ok((to_stakers, to_protocol))
}
