use anchor_lang::prelude::*;
use solana_stake_interface::sysvar::stake_history;

use crate::stake::{StakeCalls, STAKE_PROGRAM_ID};

/// The sysvars and the program that every call to the Stake program needs.
#[derive(Accounts)]
pub struct StakeProgramAccounts<'info> {
    /// CHECK: the clock sysvar, checked by address.
    #[account(address = solana_sysvar::clock::ID)]
    pub clock: UncheckedAccount<'info>,
    /// CHECK: the stake history sysvar, checked by address.
    #[account(address = stake_history::ID)]
    pub stake_history: UncheckedAccount<'info>,
    /// CHECK: the Stake program, checked by address.
    #[account(address = STAKE_PROGRAM_ID)]
    pub stake_program: UncheckedAccount<'info>,
}

impl<'info> StakeProgramAccounts<'info> {
    /// Calls to the Stake program signed by the pool's authority PDA.
    pub fn calls<'a>(
        &'a self,
        authority: &'a AccountInfo<'info>,
        authority_seeds: &'a [&'a [u8]],
    ) -> StakeCalls<'a, 'info> {
        StakeCalls {
            stake_program: self.stake_program.as_ref(),
            clock: self.clock.as_ref(),
            stake_history: self.stake_history.as_ref(),
            authority,
            authority_seeds,
        }
    }
}
