//! Checked arithmetic that fails with `MathOverflow`, where the program must not go on, in one
//! style: `safe_add` and `safe_sub` for sums, `or_overflow` for every other checked result. The
//! error names the caller's file and line, not this file's.

use std::panic::Location;

use anchor_lang::error::{AnchorError, Error, ErrorOrigin, Source};
use anchor_lang::prelude::*;

use crate::errors::TributaryError;

/// `MathOverflow`, said to have happened at `caller`.
fn overflow_at(caller: &'static Location<'static>) -> Error {
    let error = TributaryError::MathOverflow;
    Error::from(AnchorError {
        error_name: error.name(),
        error_code_number: error.into(),
        error_msg: error.to_string(),
        error_origin: Some(ErrorOrigin::Source(Source {
            filename: caller.file(),
            line: caller.line(),
        })),
        compared_values: None,
    })
}

pub trait SafeMath: Sized {
    fn safe_add(self, other: Self) -> Result<Self>;
    fn safe_sub(self, other: Self) -> Result<Self>;
}

macro_rules! safe_math {
    ($($integer:ty),*) => {$(
        impl SafeMath for $integer {
            #[track_caller]
            fn safe_add(self, other: $integer) -> Result<$integer> {
                let caller = Location::caller();
                self.checked_add(other).ok_or_else(|| overflow_at(caller))
            }

            #[track_caller]
            fn safe_sub(self, other: $integer) -> Result<$integer> {
                let caller = Location::caller();
                self.checked_sub(other).ok_or_else(|| overflow_at(caller))
            }
        }
    )*};
}

safe_math!(u32, u64);

/// A checked computation's `None` as `MathOverflow`, at the caller's line.
pub trait OrOverflow<T> {
    fn or_overflow(self) -> Result<T>;
}

impl<T> OrOverflow<T> for Option<T> {
    #[track_caller]
    fn or_overflow(self) -> Result<T> {
        let caller = Location::caller();
        self.ok_or_else(|| overflow_at(caller))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overflow_names_the_callers_line() {
        let line = line!() + 1;
        let err = u64::MAX.safe_add(1).unwrap_err();
        let Error::AnchorError(err) = err else {
            panic!("an Anchor error");
        };
        assert_eq!(
            err.error_code_number,
            u32::from(TributaryError::MathOverflow)
        );
        match err.error_origin {
            Some(ErrorOrigin::Source(source)) => {
                assert_eq!((source.filename, source.line), (file!(), line));
            }
            origin => panic!("{origin:?}"),
        }
        let line = line!() + 1;
        let Error::AnchorError(err) = None::<u64>.or_overflow().unwrap_err() else {
            panic!("an Anchor error");
        };
        assert!(
            matches!(err.error_origin, Some(ErrorOrigin::Source(source)) if source.line == line)
        );
    }
}
