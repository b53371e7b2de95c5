//! What the pool reads of a Jito tip-distribution account, from its raw data (an Anchor account
//! of Jito's tip-distribution program, Borsh, laid out field after field).

use anchor_lang::prelude::*;

use crate::constants::{JITO_TIP_DISTRIBUTION_PROGRAM_ID, TIP_DISTRIBUTION_ACCOUNT_SEED};

/// The first 8 bytes of SHA-256 of "account:TipDistributionAccount": Anchor's discriminator.
pub const TIP_DISTRIBUTION_DISCRIMINATOR: [u8; 8] = [85, 64, 113, 198, 234, 94, 120, 123];

/// A validator's declaration in its tip-distribution account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TipDistribution {
    /// The validator's vote account.
    pub vote: Pubkey,
    /// The epoch the account is for.
    pub epoch: u64,
    /// The MEV commission it declared, in basis points.
    pub commission_bps: u16,
    /// The bump of its address.
    pub bump: u8,
}

/// Reads a tip-distribution account's data: discriminator, vote account, upload authority, an
/// optional merkle root (a tag byte, then 32 + 4 × 8 bytes when present), the epoch it was
/// created for, the commission, the expiry epoch and the bump. `None` when it is not one.
pub fn read_tip_distribution(data: &[u8]) -> Option<TipDistribution> {
    if data.get(..8)? != TIP_DISTRIBUTION_DISCRIMINATOR {
        return None;
    }
    let vote = Pubkey::new_from_array(data.get(8..40)?.try_into().ok()?);
    let after_root = match data.get(72)? {
        0 => 73,
        1 => 73 + 64,
        _ => return None,
    };
    let field =
        |offset: usize, len: usize| data.get(after_root + offset..after_root + offset + len);
    let epoch = u64::from_le_bytes(field(0, 8)?.try_into().ok()?);
    let commission_bps = u16::from_le_bytes(field(8, 2)?.try_into().ok()?);
    let bump = *field(18, 1)?.first()?;
    Some(TipDistribution {
        vote,
        epoch,
        commission_bps,
        bump,
    })
}

/// The declaration in `info` if it is `vote`'s tip-distribution account of `epoch` or the one
/// before: owned by Jito's program, at the address its seeds and bump give.
pub fn declared_tip_distribution(
    info: &AccountInfo,
    vote: &Pubkey,
    epoch: u64,
) -> Option<TipDistribution> {
    if info.owner != &JITO_TIP_DISTRIBUTION_PROGRAM_ID {
        return None;
    }
    let declared = read_tip_distribution(&info.try_borrow_data().ok()?)?;
    let recent = declared.epoch == epoch || declared.epoch.saturating_add(1) == epoch;
    if declared.vote != *vote || !recent {
        return None;
    }
    let address = Pubkey::create_program_address(
        &[
            TIP_DISTRIBUTION_ACCOUNT_SEED,
            vote.as_ref(),
            &declared.epoch.to_le_bytes(),
            &[declared.bump],
        ],
        &JITO_TIP_DISTRIBUTION_PROGRAM_ID,
    )
    .ok()?;
    (address == *info.key).then_some(declared)
}

/// A tip-distribution account's data in the layout `read_tip_distribution` reads, with or
/// without a merkle root: what Jito's program writes, for tests and test banks.
pub fn tip_distribution_data(
    vote: &Pubkey,
    epoch: u64,
    commission_bps: u16,
    bump: u8,
    with_root: bool,
) -> Vec<u8> {
    let mut data = TIP_DISTRIBUTION_DISCRIMINATOR.to_vec();
    data.extend_from_slice(vote.as_ref());
    data.extend_from_slice(&[7; 32]);
    data.push(u8::from(with_root));
    if with_root {
        data.extend_from_slice(&[9; 64]);
    }
    data.extend_from_slice(&epoch.to_le_bytes());
    data.extend_from_slice(&commission_bps.to_le_bytes());
    data.extend_from_slice(&(epoch + 10).to_le_bytes());
    data.push(bump);
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_declaration_with_or_without_a_root() {
        let vote = Pubkey::new_unique();
        for with_root in [false, true] {
            let data = tip_distribution_data(&vote, 42, 800, 254, with_root);
            let declared = read_tip_distribution(&data).unwrap();
            assert_eq!(
                declared,
                TipDistribution {
                    vote,
                    epoch: 42,
                    commission_bps: 800,
                    bump: 254
                }
            );
            // Another account type, or data cut short, is not one.
            let mut other = data.clone();
            other[0] ^= 1;
            assert_eq!(read_tip_distribution(&other), None);
            assert_eq!(read_tip_distribution(&data[..data.len() - 1]), None);
        }
    }
}
