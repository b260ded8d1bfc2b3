//! Strings out to application buffers: NUL-terminated, truncated on a character boundary,
//! with the full length reported (in bytes or characters, as each function defines).

use crate::ffi::buffers::CBuf;
use crate::ffi::text::WChar;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    /// UTF-8 (the ANSI entry points).
    Narrow,
    /// SQLWCHAR (the W entry points).
    Wide,
}

impl Enc {
    pub fn unit(self) -> usize {
        match self {
            Enc::Narrow => 1,
            Enc::Wide => std::mem::size_of::<WChar>(),
        }
    }

    pub fn encode(self, s: &str) -> Vec<u8> {
        match self {
            Enc::Narrow => s.as_bytes().to_vec(),
            Enc::Wide => {
                // One allocation of the final size; ASCII (most API text) maps byte to unit.
                let mut out = Vec::with_capacity(s.len() * self.unit());
                if s.is_ascii() {
                    for &b in s.as_bytes() {
                        out.extend_from_slice(&WChar::from(b).to_ne_bytes());
                    }
                } else {
                    for u in wide_units(s) {
                        out.extend_from_slice(&u.to_ne_bytes());
                    }
                }
                out
            }
        }
    }

    /// Largest prefix length (bytes) of `bytes` ≤ `max` that ends on a character boundary.
    fn boundary(self, bytes: &[u8], max: usize) -> usize {
        let mut n = max.min(bytes.len());
        match self {
            Enc::Narrow => {
                while n > 0 && n < bytes.len() && (bytes[n] & 0xC0) == 0x80 {
                    n -= 1;
                }
            }
            Enc::Wide => {
                n -= n % self.unit();
                if cfg!(not(feature = "iodbc")) && n >= 2 && n < bytes.len() {
                    let last = u16::from_ne_bytes([bytes[n - 2], bytes[n - 1]]);
                    if (0xD800..0xDC00).contains(&last) {
                        n -= 2;
                    }
                }
            }
        }
        n
    }
}

#[cfg(not(feature = "iodbc"))]
fn wide_units(s: &str) -> impl Iterator<Item = WChar> + '_ {
    s.encode_utf16()
}
#[cfg(feature = "iodbc")]
fn wide_units(s: &str) -> impl Iterator<Item = WChar> + '_ {
    s.chars().map(|c| c as u32)
}

/// Writes already-encoded `bytes` plus a NUL into `buf`; returns the data bytes written
/// and whether that was less than all of them.
pub fn put_encoded(enc: Enc, bytes: &[u8], buf: CBuf) -> (usize, bool) {
    let unit = enc.unit();
    if buf.is_null() || buf.len() < unit {
        return (0, !bytes.is_empty());
    }
    let room = buf.len() - unit;
    let n = if bytes.len() <= room {
        bytes.len()
    } else {
        enc.boundary(bytes, room)
    };
    buf.write(&bytes[..n]);
    buf.offset(n, unit).write(&[0u8; 4][..unit]);
    (n, n < bytes.len())
}

/// Like `put_encoded`, but a truncated piece fills the buffer to its last whole code unit,
/// even inside a character: SQLGetData pieces are concatenated by the application, which
/// (per the ODBC spec) expects BufferLength less the terminator in every truncated piece.
pub fn put_piece(enc: Enc, bytes: &[u8], buf: CBuf) -> (usize, bool) {
    let unit = enc.unit();
    if buf.is_null() || buf.len() < unit {
        return (0, !bytes.is_empty());
    }
    let room = buf.len() - unit;
    let n = bytes.len().min(room - room % unit);
    buf.write(&bytes[..n]);
    buf.offset(n, unit).write(&[0u8; 4][..unit]);
    (n, n < bytes.len())
}

/// Encodes and writes `s`; returns (length in bytes, truncated).
pub fn put_str(enc: Enc, s: &str, buf: CBuf) -> (usize, bool) {
    let bytes = enc.encode(s);
    let (_, t) = put_encoded(enc, &bytes, buf);
    (bytes.len(), t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_on_char_boundaries() {
        let mut out = [0xAAu8; 6];
        let buf = unsafe { CBuf::new(out.as_mut_ptr().cast(), 6) };
        let (len, t) = put_str(Enc::Narrow, "aé🚀", buf);
        assert_eq!(len, 7);
        assert!(t);
        assert_eq!(&out[..4], b"a\xc3\xa9\0");
        let mut w = [0xAAu8; 8];
        let buf = unsafe { CBuf::new(w.as_mut_ptr().cast(), 8) };
        let (len, t) = put_str(Enc::Wide, "ab🚀", buf);
        assert!(t);
        if cfg!(feature = "iodbc") {
            // UTF-32: room for "a" and the NUL.
            assert_eq!(len, 12);
            assert_eq!(u32::from_ne_bytes([w[0], w[1], w[2], w[3]]), u32::from('a'));
            assert_eq!(u32::from_ne_bytes([w[4], w[5], w[6], w[7]]), 0);
        } else {
            // UTF-16: "ab" then NUL: the surrogate pair is not split.
            assert_eq!(len, 8);
            assert_eq!(u16::from_ne_bytes([w[4], w[5]]), 0);
        }
    }

    #[cfg(feature = "iodbc")]
    #[test]
    fn wide_is_utf32_under_iodbc() {
        assert_eq!(Enc::Wide.unit(), 4);
        let bytes = Enc::Wide.encode("é🎸");
        assert_eq!(bytes.len(), 8);
        assert_eq!(u32::from_ne_bytes(bytes[4..8].try_into().unwrap()), 0x1F3B8);
        assert_eq!(crate::ffi::text::decode_wide(&[0xE9, 0x1F3B8]), "é🎸");
    }
}
