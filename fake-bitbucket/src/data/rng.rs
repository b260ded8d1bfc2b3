//! A tiny deterministic generator (SplitMix64): no `rand` dependency, and the same seed
//! gives the same data set on every platform and crate version.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use super::Ts;

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream per entity kind, so adding a kind later (pull requests…) does not
    /// shift the UUIDs of existing ones.
    pub fn stream(seed: u64, name: &str) -> Self {
        // FNV-1a of the name, mixed with the seed.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        let mut r = Rng(seed ^ h);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; returns 0 for `n == 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// `true` with probability `pct`%.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Lower-case hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        const HEX: &[u8] = b"0123456789abcdef";
        (0..n).map(|_| HEX[self.below(16) as usize] as char).collect()
    }

    /// A braced version-4 UUID: `{8-4-4-4-12}`.
    pub fn uuid(&mut self) -> String {
        let variant = ['8', '9', 'a', 'b'][self.below(4) as usize];
        format!(
            "{{{}-{}-4{}-{}{}-{}}}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            variant,
            self.hex(3),
            self.hex(12)
        )
    }

    /// Atlassian account id: `557058:<uuid>` or 24 hex digits, both forms occur.
    pub fn account_id(&mut self) -> String {
        if self.chance(50) {
            let u = self.uuid();
            format!("557058:{}", &u[1..u.len() - 1])
        } else {
            self.hex(24)
        }
    }

    /// A UTC timestamp between `from` and `from + span_days`; two thirds carry microseconds,
    /// the rest none (both forms occur in real payloads).
    pub fn timestamp(&mut self, from: Ts, span_days: u64) -> Ts {
        let secs = self.below(span_days.max(1) * 86_400) as i64;
        let micros = if self.chance(66) { 1 + self.below(999_999) as u32 } else { 0 };
        let t = from + chrono::Duration::seconds(secs) + chrono::Duration::microseconds(micros as i64);
        let utc: DateTime<Utc> = t.with_timezone(&Utc);
        utc.fixed_offset()
    }
}

/// A fixed UTC instant (used for hand-written rows and as generation anchors).
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, micros: u32) -> Ts {
    let base = Utc
        .with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .unwrap_or_else(|| Utc.timestamp_opt(0, 0).unwrap());
    (base + chrono::Duration::microseconds(micros as i64)).with_timezone(&FixedOffset::east_opt(0).unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_braced() {
        let a = Rng::stream(7, "repos").uuid();
        let b = Rng::stream(7, "repos").uuid();
        assert_eq!(a, b);
        assert_ne!(a, Rng::stream(8, "repos").uuid());
        assert_eq!(a.len(), 38);
        assert!(a.starts_with('{') && a.ends_with('}'));
        let parts: Vec<&str> = a[1..37].split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), vec![8, 4, 4, 4, 12]);
    }

    #[test]
    fn timestamps_are_utc() {
        let mut r = Rng::new(1);
        let t = r.timestamp(utc(2020, 1, 1, 0, 0, 0, 0), 100);
        assert_eq!(t.offset().local_minus_utc(), 0);
    }
}
