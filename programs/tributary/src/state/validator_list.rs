use anchor_lang::prelude::*;

/// Header of the pool's validator list. Entries follow it in the same account, which is grown
/// by reallocation as validators are added.
#[account(zero_copy)]
#[repr(C)]
#[derive(Debug)]
pub struct ValidatorList {
    pub pool: Pubkey,
    pub validator_count: u32,
    pub _padding: [u8; 4],
    /// Room for later header fields without moving the entries.
    pub reserved: [u8; 64],
}

const _: () = assert!(core::mem::size_of::<ValidatorList>() == 104);

impl ValidatorList {
    /// Account size of an empty list: discriminator plus header.
    pub const EMPTY_SPACE: usize = 8 + core::mem::size_of::<ValidatorList>();
}
