//! One cell of an Arrow column converted to an ODBC C type, as bytes ready to copy.

use super::error::OdbcError;
use super::text_out::Enc;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::*;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use std::borrow::Cow;

/// SQL_C_* type codes.
pub mod c {
    pub const CHAR: i16 = 1;
    pub const WCHAR: i16 = -8;
    pub const LONG: i16 = 4;
    pub const SLONG: i16 = -16;
    pub const ULONG: i16 = -18;
    pub const SHORT: i16 = 5;
    pub const SSHORT: i16 = -15;
    pub const USHORT: i16 = -17;
    pub const TINYINT: i16 = -6;
    pub const STINYINT: i16 = -26;
    pub const UTINYINT: i16 = -28;
    pub const SBIGINT: i16 = -25;
    pub const UBIGINT: i16 = -27;
    pub const FLOAT: i16 = 7;
    pub const DOUBLE: i16 = 8;
    pub const BIT: i16 = -7;
    pub const BINARY: i16 = -2;
    pub const DATE: i16 = 9;
    pub const TIME: i16 = 10;
    pub const TIMESTAMP: i16 = 11;
    pub const TYPE_DATE: i16 = 91;
    pub const TYPE_TIME: i16 = 92;
    pub const TYPE_TIMESTAMP: i16 = 93;
    pub const NUMERIC: i16 = 2;
    pub const DEFAULT: i16 = 99;
}

/// A value read out of Arrow, independent of the column's Arrow type.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Null,
    Str(Cow<'a, str>),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    /// Microseconds since the epoch, UTC.
    Ts(i64),
    Date(NaiveDate),
    Time(NaiveTime),
    Decimal(i128, i8),
    Bytes(&'a [u8]),
}

pub fn cell(arr: &dyn Array, row: usize) -> Cell<'_> {
    if arr.is_null(row) {
        return Cell::Null;
    }
    match arr.data_type() {
        DataType::Utf8 => Cell::Str(Cow::Borrowed(arr.as_string::<i32>().value(row))),
        DataType::LargeUtf8 => Cell::Str(Cow::Borrowed(arr.as_string::<i64>().value(row))),
        DataType::Utf8View => Cell::Str(Cow::Borrowed(arr.as_string_view().value(row))),
        DataType::Boolean => Cell::Bool(arr.as_boolean().value(row)),
        DataType::Int8 => Cell::Int(arr.as_primitive::<Int8Type>().value(row).into()),
        DataType::Int16 => Cell::Int(arr.as_primitive::<Int16Type>().value(row).into()),
        DataType::Int32 => Cell::Int(arr.as_primitive::<Int32Type>().value(row).into()),
        DataType::Int64 => Cell::Int(arr.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => Cell::UInt(arr.as_primitive::<UInt8Type>().value(row).into()),
        DataType::UInt16 => Cell::UInt(arr.as_primitive::<UInt16Type>().value(row).into()),
        DataType::UInt32 => Cell::UInt(arr.as_primitive::<UInt32Type>().value(row).into()),
        DataType::UInt64 => Cell::UInt(arr.as_primitive::<UInt64Type>().value(row)),
        DataType::Float32 => Cell::Float(arr.as_primitive::<Float32Type>().value(row).into()),
        DataType::Float64 => Cell::Float(arr.as_primitive::<Float64Type>().value(row)),
        DataType::Decimal128(_, s) => Cell::Decimal(arr.as_primitive::<Decimal128Type>().value(row), *s),
        DataType::Timestamp(unit, _) => {
            let v = match unit {
                TimeUnit::Second => arr.as_primitive::<TimestampSecondType>().value(row).saturating_mul(1_000_000),
                TimeUnit::Millisecond => arr.as_primitive::<TimestampMillisecondType>().value(row).saturating_mul(1_000),
                TimeUnit::Microsecond => arr.as_primitive::<TimestampMicrosecondType>().value(row),
                TimeUnit::Nanosecond => arr.as_primitive::<TimestampNanosecondType>().value(row).div_euclid(1_000),
            };
            Cell::Ts(v)
        }
        DataType::Date32 => {
            let d = arr.as_primitive::<Date32Type>().value(row);
            NaiveDate::from_num_days_from_ce_opt(d + 719_163)
                .map(Cell::Date)
                .unwrap_or(Cell::Null)
        }
        DataType::Date64 => {
            let ms = arr.as_primitive::<Date64Type>().value(row);
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| Cell::Date(t.date_naive()))
                .unwrap_or(Cell::Null)
        }
        DataType::Time64(TimeUnit::Microsecond) => {
            let us = arr.as_primitive::<Time64MicrosecondType>().value(row);
            time_of_micros(us)
        }
        DataType::Time64(TimeUnit::Nanosecond) => time_of_micros(arr.as_primitive::<Time64NanosecondType>().value(row) / 1000),
        DataType::Time32(TimeUnit::Second) => time_of_micros(i64::from(arr.as_primitive::<Time32SecondType>().value(row)) * 1_000_000),
        DataType::Time32(TimeUnit::Millisecond) => time_of_micros(i64::from(arr.as_primitive::<Time32MillisecondType>().value(row)) * 1000),
        DataType::Binary => Cell::Bytes(arr.as_binary::<i32>().value(row)),
        DataType::LargeBinary => Cell::Bytes(arr.as_binary::<i64>().value(row)),
        _ => {
            let f = ArrayFormatter::try_new(arr, &FormatOptions::default());
            match f {
                Ok(f) => Cell::Str(Cow::Owned(f.value(row).to_string())),
                Err(_) => Cell::Null,
            }
        }
    }
}

fn time_of_micros(us: i64) -> Cell<'static> {
    let secs = us.div_euclid(1_000_000);
    let nanos = (us.rem_euclid(1_000_000) * 1000) as u32;
    NaiveTime::from_num_seconds_from_midnight_opt(secs as u32, nanos)
        .map(Cell::Time)
        .unwrap_or(Cell::Null)
}

pub fn ts_of_micros(us: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp_micros(us).map(|t| t.naive_utc())
}

/// The text form of a cell, borrowed when the cell already is text (no copy per cell).
pub fn text_of<'a>(cell: &'a Cell) -> Cow<'a, str> {
    match cell {
        Cell::Str(s) => Cow::Borrowed(s.as_ref()),
        other => Cow::Owned(to_text(other)),
    }
}

/// The text form of a cell (what CHAR and WCHAR receive).
pub fn to_text(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Str(s) => s.to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::UInt(u) => u.to_string(),
        Cell::Float(f) => float_text(*f),
        Cell::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Cell::Ts(us) => match ts_of_micros(*us) {
            Some(t) if t.nanosecond() == 0 => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
            None => String::new(),
        },
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Time(t) => t.format("%H:%M:%S").to_string(),
        Cell::Decimal(v, s) => decimal_text(*v, *s),
        Cell::Bytes(b) => b.iter().map(|x| format!("{x:02X}")).collect(),
    }
}

fn float_text(f: f64) -> String {
    if f.is_finite() && f == f.trunc() && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

fn decimal_text(v: i128, scale: i8) -> String {
    if scale <= 0 {
        return (v * 10i128.pow(u32::from(scale.unsigned_abs()))).to_string();
    }
    let s = scale as u32;
    let neg = v < 0;
    let a = v.unsigned_abs();
    let p = 10u128.pow(s);
    format!("{}{}.{:0width$}", if neg { "-" } else { "" }, a / p, a % p, width = s as usize)
}

/// What a conversion produced.
#[derive(Debug, PartialEq)]
pub enum Converted {
    Null,
    /// A fixed-size C value (integers, doubles, date/time structs).
    Fixed(Vec<u8>),
    /// Variable-length data (CHAR, WCHAR, BINARY), complete; `enc` is None for binary.
    Var {
        bytes: Vec<u8>,
        enc: Option<Enc>,
    },
}

/// Result of a conversion plus the 01S07 (fractional truncation) flag.
pub struct Conv {
    pub value: Converted,
    pub fractional_truncation: bool,
}

fn fixed(bytes: Vec<u8>) -> Conv {
    Conv {
        value: Converted::Fixed(bytes),
        fractional_truncation: false,
    }
}

fn as_f64(cell: &Cell) -> Result<f64, OdbcError> {
    Ok(match cell {
        Cell::Int(i) => *i as f64,
        Cell::UInt(u) => *u as f64,
        Cell::Float(f) => *f,
        Cell::Bool(b) => f64::from(u8::from(*b)),
        Cell::Decimal(v, s) => *v as f64 / 10f64.powi(i32::from(*s)),
        Cell::Str(s) => s
            .trim()
            .parse()
            .map_err(|_| OdbcError::InvalidCast(format!("'{}' is not a number", s)))?,
        other => return Err(OdbcError::Restricted(format!("a {} value cannot be read as a number", kind(other)))),
    })
}

/// Integer value and whether a fraction was dropped.
fn as_i128(cell: &Cell) -> Result<(i128, bool), OdbcError> {
    Ok(match cell {
        Cell::Int(i) => ((*i).into(), false),
        Cell::UInt(u) => ((*u).into(), false),
        Cell::Bool(b) => (i128::from(u8::from(*b)), false),
        Cell::Decimal(v, s) if *s > 0 => {
            let p = 10i128.pow(u32::from(s.unsigned_abs()));
            (v / p, v % p != 0)
        }
        Cell::Decimal(v, s) => (v * 10i128.pow(u32::from(s.unsigned_abs())), false),
        Cell::Float(_) | Cell::Str(_) => {
            let f = as_f64(cell)?;
            if !f.is_finite() || f.abs() > 1.8e38 {
                return Err(OdbcError::NumericRange(format!("{f} does not fit the integer type")));
            }
            (f.trunc() as i128, f.fract() != 0.0)
        }
        other => {
            return Err(OdbcError::Restricted(format!(
                "a {} value cannot be read as an integer",
                kind(other)
            )))
        }
    })
}

fn kind(cell: &Cell) -> &'static str {
    match cell {
        Cell::Ts(_) => "timestamp",
        Cell::Date(_) => "date",
        Cell::Time(_) => "time",
        Cell::Bytes(_) => "binary",
        Cell::Bool(_) => "boolean",
        Cell::Str(_) => "text",
        _ => "numeric",
    }
}

fn int_to<T: TryFrom<i128>>(cell: &Cell, to_bytes: impl Fn(T) -> Vec<u8>, name: &str) -> Result<Conv, OdbcError> {
    let (v, frac) = as_i128(cell)?;
    let t = T::try_from(v).map_err(|_| OdbcError::NumericRange(format!("{v} does not fit a {name}")))?;
    Ok(Conv {
        value: Converted::Fixed(to_bytes(t)),
        fractional_truncation: frac,
    })
}

fn as_datetime(cell: &Cell) -> Result<NaiveDateTime, OdbcError> {
    match cell {
        Cell::Ts(us) => ts_of_micros(*us).ok_or_else(|| OdbcError::NumericRange("timestamp out of range".into())),
        Cell::Date(d) => Ok(d.and_time(NaiveTime::MIN)),
        Cell::Str(s) => parse_datetime(s.trim()).ok_or_else(|| OdbcError::InvalidCast(format!("'{s}' is not a date or timestamp"))),
        other => Err(OdbcError::Restricted(format!(
            "a {} value cannot be read as a timestamp",
            kind(other)
        ))),
    }
}

pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.naive_utc());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| d.and_time(NaiveTime::MIN))
}

fn ts_struct(t: NaiveDateTime) -> Vec<u8> {
    let mut v = Vec::with_capacity(16);
    v.extend_from_slice(&(t.year() as i16).to_ne_bytes());
    for x in [
        t.month() as u16,
        t.day() as u16,
        t.hour() as u16,
        t.minute() as u16,
        t.second() as u16,
    ] {
        v.extend_from_slice(&x.to_ne_bytes());
    }
    v.extend_from_slice(&(t.nanosecond() % 1_000_000_000).to_ne_bytes());
    v
}

fn date_struct(d: NaiveDate) -> Vec<u8> {
    let mut v = Vec::with_capacity(6);
    v.extend_from_slice(&(d.year() as i16).to_ne_bytes());
    v.extend_from_slice(&(d.month() as u16).to_ne_bytes());
    v.extend_from_slice(&(d.day() as u16).to_ne_bytes());
    v
}

fn time_struct(t: NaiveTime) -> Vec<u8> {
    [t.hour() as u16, t.minute() as u16, t.second() as u16]
        .iter()
        .flat_map(|x| x.to_ne_bytes())
        .collect()
}

/// Decimal text (`-12.340`, `7`, `1e3`) as (unscaled value, scale).
fn parse_decimal(s: &str) -> Option<(i128, i32)> {
    let s = s.trim();
    if s.contains(['e', 'E']) {
        let f: f64 = s.parse().ok()?;
        return parse_decimal(&format!("{f}"));
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: i128 = format!("{int}{frac}").trim_start_matches('0').parse().unwrap_or(0);
    Some((if neg { -v } else { v }, frac.len() as i32))
}

/// SQL_C_NUMERIC (SQL_NUMERIC_STRUCT: precision, scale, sign 1 = positive, 16 bytes of
/// magnitude, little-endian). `target` is the ARD's (precision, scale) when the application
/// set them through the descriptor; otherwise the value keeps its own scale.
fn numeric(cell: &Cell, target: Option<(i16, i16)>) -> Result<Conv, OdbcError> {
    let (v, s) = match cell {
        Cell::Decimal(v, s) => (*v, i32::from(*s)),
        Cell::Int(i) => (i128::from(*i), 0),
        Cell::UInt(u) => (i128::from(*u), 0),
        Cell::Bool(b) => (i128::from(u8::from(*b)), 0),
        Cell::Float(f) if f.is_finite() => parse_decimal(&format!("{f}")).ok_or_else(|| OdbcError::NumericRange(format!("{f}")))?,
        Cell::Float(f) => return Err(OdbcError::NumericRange(format!("{f} is not a finite number"))),
        Cell::Str(t) => parse_decimal(t).ok_or_else(|| OdbcError::InvalidCast(format!("'{t}' is not a number")))?,
        other => {
            return Err(OdbcError::Restricted(format!(
                "a {} value cannot be read as a NUMERIC",
                kind(other)
            )))
        }
    };
    let scale = target.map_or(s.max(0), |(_, t)| i32::from(t));
    let range = || OdbcError::NumericRange(format!("{} does not fit SQL_C_NUMERIC", decimal_text(v, s.clamp(0, 38) as i8)));
    let (value, frac) = if scale >= s {
        let f = 10i128.checked_pow((scale - s) as u32).ok_or_else(range)?;
        (v.checked_mul(f).ok_or_else(range)?, false)
    } else {
        let f = 10i128.checked_pow((s - scale) as u32).ok_or_else(range)?;
        (v / f, v % f != 0)
    };
    let precision = target.map_or(38, |(p, _)| p.clamp(1, 38)) as u32;
    if value.unsigned_abs() >= 10u128.pow(precision) {
        return Err(range());
    }
    let mut out = vec![precision as u8, scale as i8 as u8, u8::from(value >= 0)];
    out.extend_from_slice(&value.unsigned_abs().to_le_bytes());
    Ok(Conv {
        value: Converted::Fixed(out),
        fractional_truncation: frac,
    })
}

/// Converts `cell` to C type `c_type` (already resolved from SQL_C_DEFAULT); `numeric` is the
/// ARD's precision and scale for SQL_C_NUMERIC when the application set them.
pub fn convert(cell: &Cell, c_type: i16, numeric_target: Option<(i16, i16)>) -> Result<Conv, OdbcError> {
    if *cell == Cell::Null {
        return Ok(Conv {
            value: Converted::Null,
            fractional_truncation: false,
        });
    }
    match c_type {
        c::CHAR => Ok(Conv {
            value: Converted::Var {
                bytes: text_of(cell).into_owned().into_bytes(),
                enc: Some(Enc::Narrow),
            },
            fractional_truncation: false,
        }),
        c::WCHAR => Ok(Conv {
            value: Converted::Var {
                bytes: Enc::Wide.encode(&text_of(cell)),
                enc: Some(Enc::Wide),
            },
            fractional_truncation: false,
        }),
        c::BINARY => {
            let bytes = match cell {
                Cell::Bytes(b) => b.to_vec(),
                other => to_text(other).into_bytes(),
            };
            Ok(Conv {
                value: Converted::Var { bytes, enc: None },
                fractional_truncation: false,
            })
        }
        c::SLONG | c::LONG => int_to::<i32>(cell, |v| v.to_ne_bytes().to_vec(), "32-bit integer"),
        c::ULONG => int_to::<u32>(cell, |v| v.to_ne_bytes().to_vec(), "unsigned 32-bit integer"),
        c::SSHORT | c::SHORT => int_to::<i16>(cell, |v| v.to_ne_bytes().to_vec(), "16-bit integer"),
        c::USHORT => int_to::<u16>(cell, |v| v.to_ne_bytes().to_vec(), "unsigned 16-bit integer"),
        c::STINYINT | c::TINYINT => int_to::<i8>(cell, |v| v.to_ne_bytes().to_vec(), "8-bit integer"),
        c::UTINYINT => int_to::<u8>(cell, |v| vec![v], "unsigned 8-bit integer"),
        c::SBIGINT => int_to::<i64>(cell, |v| v.to_ne_bytes().to_vec(), "64-bit integer"),
        c::UBIGINT => int_to::<u64>(cell, |v| v.to_ne_bytes().to_vec(), "unsigned 64-bit integer"),
        c::DOUBLE => Ok(fixed(as_f64(cell)?.to_ne_bytes().to_vec())),
        c::FLOAT => {
            let f = as_f64(cell)?;
            if f.is_finite() && f.abs() > f64::from(f32::MAX) {
                return Err(OdbcError::NumericRange(format!("{f} does not fit a REAL")));
            }
            Ok(fixed((f as f32).to_ne_bytes().to_vec()))
        }
        c::BIT => {
            let f = match cell {
                Cell::Bool(b) => f64::from(u8::from(*b)),
                other => as_f64(other)?,
            };
            if !(0.0..2.0).contains(&f) {
                return Err(OdbcError::NumericRange(format!("{f} is not 0 or 1")));
            }
            Ok(Conv {
                value: Converted::Fixed(vec![f as u8]),
                fractional_truncation: f.fract() != 0.0,
            })
        }
        c::TYPE_TIMESTAMP | c::TIMESTAMP => match cell {
            Cell::Time(t) => {
                let today = chrono::Utc::now().date_naive();
                Ok(fixed(ts_struct(today.and_time(*t))))
            }
            other => Ok(fixed(ts_struct(as_datetime(other)?))),
        },
        c::TYPE_DATE | c::DATE => {
            let t = as_datetime(cell)?;
            Ok(Conv {
                value: Converted::Fixed(date_struct(t.date())),
                fractional_truncation: t.time() != NaiveTime::MIN,
            })
        }
        c::TYPE_TIME | c::TIME => {
            let t = match cell {
                Cell::Time(t) => *t,
                Cell::Str(s) => NaiveTime::parse_from_str(s.trim(), "%H:%M:%S%.f")
                    .or_else(|_| as_datetime(cell).map(|d| d.time()))
                    .map_err(|_| OdbcError::InvalidCast(format!("'{s}' is not a time")))?,
                other => as_datetime(other)?.time(),
            };
            Ok(Conv {
                value: Converted::Fixed(time_struct(t)),
                fractional_truncation: t.nanosecond() != 0,
            })
        }
        c::NUMERIC => numeric(cell, numeric_target),
        other => Err(OdbcError::BadCType(other)),
    }
}

/// Size in bytes of a fixed-size C type (for column-wise block binding strides).
pub fn fixed_size(c_type: i16) -> Option<usize> {
    Some(match c_type {
        c::SLONG | c::LONG | c::ULONG | c::FLOAT => 4,
        c::SSHORT | c::SHORT | c::USHORT => 2,
        c::STINYINT | c::TINYINT | c::UTINYINT | c::BIT => 1,
        c::SBIGINT | c::UBIGINT | c::DOUBLE => 8,
        c::TYPE_TIMESTAMP | c::TIMESTAMP => 16,
        c::TYPE_DATE | c::DATE | c::TYPE_TIME | c::TIME => 6,
        c::NUMERIC => 19,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_and_states() {
        let convert = |cell: &Cell, t| convert(cell, t, None);
        let ok = |cell: Cell, t| convert(&cell, t).map(|c| c.value);
        assert_eq!(ok(Cell::Int(7), c::SLONG).unwrap(), Converted::Fixed(7i32.to_ne_bytes().to_vec()));
        assert_eq!(convert(&Cell::Int(1 << 40), c::SLONG).err().map(|e| e.sqlstate()), Some("22003"));
        assert_eq!(convert(&Cell::Str("x".into()), c::SLONG).err().map(|e| e.sqlstate()), Some("22018"));
        assert_eq!(convert(&Cell::Ts(0), c::SLONG).err().map(|e| e.sqlstate()), Some("07006"));
        assert_eq!(to_text(&Cell::Ts(1_500_000)), "1970-01-01 00:00:01.500000");
        assert_eq!(to_text(&Cell::Decimal(-1234, 2)), "-12.34");
        assert_eq!(to_text(&Cell::Float(3.0)), "3");
        let c = convert(&Cell::Float(2.5), c::SLONG).unwrap();
        assert!(c.fractional_truncation);
    }

    #[test]
    fn numeric_struct() {
        let num = |cell: Cell, t| super::convert(&cell, c::NUMERIC, t).map(|c| (c.value, c.fractional_truncation));
        let st = |p: u8, s: u8, sign: u8, mag: u128| {
            let mut v = vec![p, s, sign];
            v.extend_from_slice(&mag.to_le_bytes());
            Converted::Fixed(v)
        };
        assert_eq!(num(Cell::Decimal(-1234, 2), None).unwrap(), (st(38, 2, 0, 1234), false));
        assert_eq!(num(Cell::Decimal(1234, 2), Some((10, 4))).unwrap(), (st(10, 4, 1, 123400), false));
        assert_eq!(num(Cell::Decimal(1239, 2), Some((10, 1))).unwrap(), (st(10, 1, 1, 123), true));
        assert_eq!(num(Cell::Str("-0.5".into()), None).unwrap(), (st(38, 1, 0, 5), false));
        assert_eq!(num(Cell::Int(12345), Some((3, 0))).err().map(|e| e.sqlstate()), Some("22003"));
        assert_eq!(num(Cell::Str("abc".into()), None).err().map(|e| e.sqlstate()), Some("22018"));
        assert_eq!(num(Cell::Date(NaiveDate::MIN), None).err().map(|e| e.sqlstate()), Some("07006"));
        assert_eq!(parse_decimal("1e3"), Some((1000, 0)));
    }
}
