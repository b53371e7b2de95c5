//! A small deterministic generator, for the simulation and the randomized tests.

/// A small deterministic generator (SplitMix64): the same seed gives the same run anywhere.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high` (`low` when the range is empty).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        let draw = self.next_u64();
        match high.checked_sub(low).and_then(|span| span.checked_add(1)) {
            Some(count) => low + draw % count,
            // The whole of u64.
            None if high >= low => draw,
            None => low,
        }
    }
}
