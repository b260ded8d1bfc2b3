//! Output helpers shared by the export stubs: text with its length, in bytes or characters.

use super::buffers::{CBuf, OutPtr};
use crate::odbc::text_out::{put_str, Enc};

/// Length unit a function reports in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    Chars,
}

/// Writes `s`; returns (length in `unit`, truncated).
pub fn text(enc: Enc, s: &str, buf: CBuf, unit: Unit) -> (usize, bool) {
    let (bytes, t) = put_str(enc, s, buf);
    (if unit == Unit::Chars { bytes / enc.unit() } else { bytes }, t)
}

pub fn set_i16(p: OutPtr<i16>, v: usize) {
    p.set(i16::try_from(v).unwrap_or(i16::MAX));
}

pub fn set_i32(p: OutPtr<i32>, v: usize) {
    p.set(i32::try_from(v).unwrap_or(i32::MAX));
}

/// Buffer length in characters (W functions) to bytes.
pub fn char_buf(enc: Enc, len: isize) -> isize {
    len.saturating_mul(enc.unit() as isize)
}
