//! The program run natively inside solana-program-test: an in-process bank with Token-2022,
//! the associated-token and Stake programs as their real on-chain binaries.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::account_info::AccountInfo;
use anchor_lang::solana_program::entrypoint::ProgramResult;
use solana_program_test::{processor, ProgramTest};

/// Hands Anchor's generated entry point the accounts with the single lifetime it wants.
fn process_instruction(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    data: &[u8],
) -> ProgramResult {
    fn call<'info>(
        program_id: &'info Pubkey,
        accounts: &'info [AccountInfo<'info>],
        data: &'info [u8],
    ) -> ProgramResult {
        tributary::entry(program_id, accounts, data)
    }
    // SAFETY: the runtime keeps the accounts alive for the whole call; only the lifetime
    // parameters change, to the shortest of the three borrows.
    let accounts =
        unsafe { std::mem::transmute::<&[AccountInfo<'_>], &[AccountInfo<'_>]>(accounts) };
    call(program_id, accounts, data)
}

/// A bank with the Tributary program loaded natively.
pub fn program_test() -> ProgramTest {
    let mut program_test =
        ProgramTest::new("tributary", tributary::ID, processor!(process_instruction));
    program_test.prefer_bpf(false);
    program_test
}
