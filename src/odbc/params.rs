//! Bound input parameters (SQLBindParameter): what the application declared, and its C value
//! read at SQLExecute time as a DataFusion scalar.

use super::convert::{c, fixed_size};
use super::error::OdbcError;
use crate::ffi::buffers::{InBuf, InPtr};
use crate::ffi::text::{decode_wide, WChar};
use datafusion::common::ScalarValue;

const SQL_NULL_DATA: isize = -1;
const SQL_DATA_AT_EXEC: isize = -2;
const SQL_NTS: isize = -3;
const SQL_LEN_DATA_AT_EXEC_OFFSET: isize = -100;
pub const SQL_PARAM_INPUT: i16 = 1;

#[derive(Clone, Copy, Debug)]
pub struct ParamBinding {
    pub c_type: i16,
    pub sql_type: i16,
    pub buf: InBuf,
    pub ind: InPtr<isize>,
}

/// Checks what SQLBindParameter may accept now (input parameters of the supported C types).
pub fn check(io_type: i16, c_type: i16) -> Result<(), OdbcError> {
    if io_type != SQL_PARAM_INPUT {
        return Err(OdbcError::NotImplemented(
            "output parameters: the procedures return their results as a result set".into(),
        ));
    }
    if c_type != c::DEFAULT && c_type != c::CHAR && c_type != c::WCHAR && c_type != c::BINARY && fixed_size(c_type).is_none() {
        return Err(OdbcError::BadCType(c_type));
    }
    Ok(())
}

fn le<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[at..at + N]);
    a
}

impl ParamBinding {
    /// The value the application holds now; `num` numbers it in messages.
    pub fn read(&self, num: usize) -> Result<ScalarValue, OdbcError> {
        let ind = self.ind.get();
        match ind {
            Some(SQL_NULL_DATA) => return Ok(ScalarValue::Null),
            Some(n) if n == SQL_DATA_AT_EXEC || n <= SQL_LEN_DATA_AT_EXEC_OFFSET => {
                return Err(OdbcError::NotImplemented(format!(
                    "parameter {num}: data-at-execution (SQLPutData); bind the value itself"
                )))
            }
            _ => {}
        }
        if self.buf.is_null() {
            return Ok(ScalarValue::Null);
        }
        let c_type = if self.c_type == c::DEFAULT {
            super::types::default_c_type(self.sql_type)
        } else {
            self.c_type
        };
        let text_len = |unit: usize| -> Vec<u8> {
            match ind {
                Some(n) if n >= 0 => self.buf.bytes(0, usize::try_from(n).unwrap_or(0)),
                Some(SQL_NTS) | None => self.buf.until_nul(unit),
                _ => self.buf.until_nul(unit),
            }
        };
        let bad = |what: &str| OdbcError::InvalidCast(format!("parameter {num}: {what}"));
        if let Some(size) = fixed_size(c_type) {
            let b = self.buf.bytes(0, size);
            return Ok(match c_type {
                c::SLONG | c::LONG => ScalarValue::Int32(Some(i32::from_ne_bytes(le(&b, 0)))),
                c::ULONG => ScalarValue::Int64(Some(i64::from(u32::from_ne_bytes(le(&b, 0))))),
                c::SSHORT | c::SHORT => ScalarValue::Int16(Some(i16::from_ne_bytes(le(&b, 0)))),
                c::USHORT => ScalarValue::Int32(Some(i32::from(u16::from_ne_bytes(le(&b, 0))))),
                c::STINYINT | c::TINYINT => ScalarValue::Int8(Some(b[0] as i8)),
                c::UTINYINT => ScalarValue::Int16(Some(i16::from(b[0]))),
                c::SBIGINT => ScalarValue::Int64(Some(i64::from_ne_bytes(le(&b, 0)))),
                c::UBIGINT => ScalarValue::UInt64(Some(u64::from_ne_bytes(le(&b, 0)))),
                c::DOUBLE => ScalarValue::Float64(Some(f64::from_ne_bytes(le(&b, 0)))),
                c::FLOAT => ScalarValue::Float32(Some(f32::from_ne_bytes(le(&b, 0)))),
                c::BIT => ScalarValue::Boolean(Some(b[0] != 0)),
                c::TYPE_DATE | c::DATE => {
                    let (y, m, d) = (
                        i16::from_ne_bytes(le(&b, 0)),
                        u16::from_ne_bytes(le(&b, 2)),
                        u16::from_ne_bytes(le(&b, 4)),
                    );
                    let date = chrono::NaiveDate::from_ymd_opt(y.into(), m.into(), d.into())
                        .ok_or_else(|| bad(&format!("{y:04}-{m:02}-{d:02} is not a date")))?;
                    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
                    ScalarValue::Date32(Some(
                        i32::try_from((date - epoch).num_days()).map_err(|_| bad("date out of range"))?,
                    ))
                }
                c::TYPE_TIME | c::TIME => {
                    let (h, mi, s) = (
                        u16::from_ne_bytes(le(&b, 0)),
                        u16::from_ne_bytes(le(&b, 2)),
                        u16::from_ne_bytes(le(&b, 4)),
                    );
                    ScalarValue::Utf8(Some(format!("{h:02}:{mi:02}:{s:02}")))
                }
                c::TYPE_TIMESTAMP | c::TIMESTAMP => {
                    let y = i16::from_ne_bytes(le(&b, 0));
                    let f = |at| u16::from_ne_bytes(le(&b, at));
                    let frac_ns = u32::from_ne_bytes(le(&b, 12));
                    let ts = chrono::NaiveDate::from_ymd_opt(y.into(), f(2).into(), f(4).into())
                        .and_then(|d| d.and_hms_nano_opt(f(6).into(), f(8).into(), f(10).into(), frac_ns))
                        .ok_or_else(|| bad("the timestamp is not a valid date and time"))?;
                    ScalarValue::TimestampMicrosecond(Some(ts.and_utc().timestamp_micros()), None)
                }
                c::NUMERIC => {
                    let (precision, scale, sign) = (b[0], b[1] as i8, b[2]);
                    let mag = u128::from_le_bytes(le(&b, 3));
                    let v = i128::try_from(mag).map_err(|_| bad("numeric out of range"))?;
                    let v = if sign == 1 { v } else { -v };
                    ScalarValue::Decimal128(Some(v), precision.clamp(1, 38), scale)
                }
                _ => return Err(OdbcError::BadCType(c_type)),
            });
        }
        match c_type {
            c::CHAR => Ok(ScalarValue::Utf8(Some(String::from_utf8_lossy(&text_len(1)).into_owned()))),
            c::WCHAR => {
                let unit = std::mem::size_of::<WChar>();
                let bytes = text_len(unit);
                let units: Vec<WChar> = bytes
                    .chunks_exact(unit)
                    .map(|ch| {
                        let mut a = [0u8; 4];
                        a[..unit].copy_from_slice(ch);
                        if unit == 2 {
                            u16::from_ne_bytes([a[0], a[1]]) as WChar
                        } else {
                            u32::from_ne_bytes(a) as WChar
                        }
                    })
                    .collect();
                Ok(ScalarValue::Utf8(Some(decode_wide(&units))))
            }
            c::BINARY => Ok(ScalarValue::Binary(Some(text_len(1)))),
            other => Err(OdbcError::BadCType(other)),
        }
    }
}
