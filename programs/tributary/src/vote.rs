//! What the pool reads of a vote account, from its raw data: vote states 1.14.11, 3 and 4 are
//! bincode, laid out field after field.

/// The commission and the last epoch the validator earned vote credits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteSummary {
    /// The inflation-rewards commission, in basis points.
    pub commission_bps: u16,
    /// `None` when it never earned a credit.
    pub last_credited_epoch: Option<u64>,
}

/// Reads a vote account's data; `None` when it is not an initialised vote state of a known
/// version.
pub fn read_vote_summary(data: &[u8]) -> Option<VoteSummary> {
    let mut reader = Reader { data, offset: 0 };
    let version = reader.u32()?;
    reader.skip(64)?; // node, authorized withdrawer
    let (commission_bps, vote_bytes) = match version {
        // 1.14.11: commission in percent, votes as 12-byte lockouts.
        1 => (u16::from(reader.u8()?) * 100, 12),
        // 3: commission in percent, votes as 13-byte landed votes.
        2 => (u16::from(reader.u8()?) * 100, 13),
        // 4: two collectors, commissions in basis points, pending rewards, a BLS key.
        3 => {
            reader.skip(64)?;
            let commission = reader.u16()?;
            reader.skip(2 + 8)?;
            if reader.u8()? == 1 {
                reader.skip(48)?;
            }
            (commission, 13)
        }
        _ => return None,
    };
    let votes = reader.u64()?;
    reader.skip(usize::try_from(votes).ok()?.checked_mul(vote_bytes)?)?;
    if reader.u8()? == 1 {
        reader.skip(8)?; // root slot
    }
    let voters = reader.u64()?;
    reader.skip(usize::try_from(voters).ok()?.checked_mul(40)?)?;
    if version != 3 {
        // Prior voters: 32 entries of (pubkey, epoch, epoch), an index and a flag.
        reader.skip(32 * 48 + 8 + 1)?;
    }
    let credits = reader.u64()?;
    let last_credited_epoch = match credits {
        0 => None,
        count => {
            reader.skip(usize::try_from(count - 1).ok()?.checked_mul(24)?)?;
            Some(reader.u64()?)
        }
    };
    Some(VoteSummary {
        commission_bps,
        last_credited_epoch,
    })
}

struct Reader<'a> {
    data: &'a [u8],
    offset: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let bytes = self.data.get(self.offset..self.offset.checked_add(N)?)?;
        self.offset += N;
        bytes.try_into().ok()
    }

    fn skip(&mut self, bytes: usize) -> Option<()> {
        let end = self.offset.checked_add(bytes)?;
        (end <= self.data.len()).then(|| self.offset = end)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take::<1>()?[0])
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::{Clock, Pubkey};
    use solana_vote_interface::state::{
        LandedVote, Lockout, VoteInit, VoteState1_14_11, VoteStateV3, VoteStateV4,
        VoteStateVersions,
    };

    fn init(commission: u8) -> VoteInit {
        VoteInit {
            node_pubkey: Pubkey::new_unique(),
            authorized_voter: Pubkey::new_unique(),
            authorized_withdrawer: Pubkey::new_unique(),
            commission,
        }
    }

    fn bytes(versions: &VoteStateVersions) -> Vec<u8> {
        bincode::serialize(versions).unwrap()
    }

    fn v3(commission: u8, credited: &[u64]) -> VoteStateV3 {
        let mut state = VoteStateV3::new(&init(commission), &Clock::default());
        for slot in 1..=5 {
            state.votes.push_back(LandedVote {
                latency: 1,
                lockout: Lockout::new(slot),
            });
        }
        state.root_slot = Some(0);
        state.epoch_credits = credited.iter().map(|epoch| (*epoch, 10, 0)).collect();
        state
    }

    #[test]
    fn reads_version_3() {
        let data = bytes(&VoteStateVersions::new_v3(v3(7, &[3, 4, 9])));
        assert_eq!(
            read_vote_summary(&data),
            Some(VoteSummary {
                commission_bps: 700,
                last_credited_epoch: Some(9),
            })
        );
        let silent = bytes(&VoteStateVersions::new_v3(v3(7, &[])));
        assert_eq!(
            read_vote_summary(&silent).unwrap().last_credited_epoch,
            None
        );
    }

    #[test]
    fn reads_version_1_14_11() {
        let state = VoteState1_14_11::from(v3(10, &[2, 5]));
        let data = bytes(&VoteStateVersions::V1_14_11(Box::new(state)));
        assert_eq!(
            read_vote_summary(&data),
            Some(VoteSummary {
                commission_bps: 1_000,
                last_credited_epoch: Some(5),
            })
        );
    }

    #[test]
    fn reads_version_4() {
        let mut state = VoteStateV4::new(&Pubkey::new_unique(), &init(0), &Clock::default());
        state.inflation_rewards_commission_bps = 250;
        state.bls_pubkey_compressed = Some([7; 48]);
        state.votes = v3(0, &[]).votes;
        state.epoch_credits = vec![(11, 5, 0), (12, 9, 5)];
        let data = bytes(&VoteStateVersions::new_v4(state));
        assert_eq!(
            read_vote_summary(&data),
            Some(VoteSummary {
                commission_bps: 250,
                last_credited_epoch: Some(12),
            })
        );
    }

    #[test]
    fn refuses_what_is_not_a_vote_state() {
        assert_eq!(read_vote_summary(&[]), None);
        assert_eq!(read_vote_summary(&[0; 200]), None);
        let mut truncated = bytes(&VoteStateVersions::new_v3(v3(7, &[1])));
        truncated.truncate(100);
        assert_eq!(read_vote_summary(&truncated), None);
    }
}
