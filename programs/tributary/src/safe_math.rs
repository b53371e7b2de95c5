//! Checked arithmetic that fails with `MathOverflow`, where the program must not go on.

use anchor_lang::prelude::*;

use crate::errors::TributaryError;

pub trait SafeMath: Sized {
    fn safe_add(self, other: Self) -> Result<Self>;
    fn safe_sub(self, other: Self) -> Result<Self>;
}

impl SafeMath for u64 {
    #[track_caller]
    fn safe_add(self, other: u64) -> Result<u64> {
        self.checked_add(other)
            .ok_or_else(|| error!(TributaryError::MathOverflow))
    }

    #[track_caller]
    fn safe_sub(self, other: u64) -> Result<u64> {
        self.checked_sub(other)
            .ok_or_else(|| error!(TributaryError::MathOverflow))
    }
}
