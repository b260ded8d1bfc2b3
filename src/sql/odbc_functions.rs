//! The ODBC scalar functions DataFusion lacks or names differently, registered on each
//! connection's session under their ODBC names, so they work inside `{fn ...}` and bare.
//!
//! Renames of functions DataFusion already has with the ODBC meaning are aliases
//! (`UCASE` = `upper`, `CEILING` = `ceil`, ...). The others are implemented here: date parts
//! of a timestamp, date or time (`DAYOFWEEK` is 1 for Sunday, `WEEK` counts weeks starting on
//! Sunday with January 1 in week 1), `TIMESTAMPADD`/`TIMESTAMPDIFF` (the difference counts the
//! unit's boundaries crossed, as SQL Server's DATEDIFF and Tableau's DATEDIFF do),
//! `LOCATE`, `SPACE`, `SOUNDEX`, `DIFFERENCE`, `MOD`, `RAND([seed])`,
//! `CURRENT_TIMESTAMP[(p)]`, `CURRENT_TIME[(p)]`, `DATABASE()` and `USER()`.
//! Times are UTC, like every timestamp column; timestamps are microseconds.

use super::odbc_datetime::*;
use chrono::{DateTime, Datelike, Timelike, Utc};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int32Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Int64Type, TimeUnit};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datafusion::prelude::SessionContext;
use std::sync::Arc;

/// DataFusion functions with the ODBC meaning under another name: (ODBC name, DataFusion's).
pub const ALIASES: &[(&str, &str)] = &[
    ("ucase", "upper"),
    ("lcase", "lower"),
    ("char", "chr"),
    ("ceiling", "ceil"),
    ("truncate", "trunc"),
    ("sign", "signum"),
    ("curdate", "current_date"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum F {
    Year,
    Quarter,
    Month,
    Week,
    DayOfMonth,
    DayOfWeek,
    DayOfYear,
    Hour,
    Minute,
    Second,
    DayName,
    MonthName,
    TimestampAdd,
    TimestampDiff,
    CurrentTimestamp,
    CurrentTime,
    Locate,
    Space,
    Soundex,
    Difference,
    Mod,
    Rand,
    /// DATABASE() and USER(): the connection's names.
    Constant,
}

/// (name, function, extra names).
const FUNCTIONS: &[(&str, F, &[&str])] = &[
    ("year", F::Year, &[]),
    ("quarter", F::Quarter, &[]),
    ("month", F::Month, &[]),
    ("week", F::Week, &[]),
    ("dayofmonth", F::DayOfMonth, &[]),
    ("dayofweek", F::DayOfWeek, &[]),
    ("dayofyear", F::DayOfYear, &[]),
    ("hour", F::Hour, &[]),
    ("minute", F::Minute, &[]),
    ("second", F::Second, &[]),
    ("dayname", F::DayName, &[]),
    ("monthname", F::MonthName, &[]),
    ("timestampadd", F::TimestampAdd, &[]),
    ("timestampdiff", F::TimestampDiff, &[]),
    ("current_timestamp", F::CurrentTimestamp, &[]),
    ("current_time", F::CurrentTime, &["curtime"]),
    ("locate", F::Locate, &[]),
    ("space", F::Space, &[]),
    ("soundex", F::Soundex, &[]),
    ("difference", F::Difference, &[]),
    ("mod", F::Mod, &[]),
    ("rand", F::Rand, &[]),
];

#[derive(Debug, PartialEq, Eq, Hash)]
struct OdbcFn {
    name: &'static str,
    f: F,
    aliases: Vec<String>,
    signature: Signature,
    /// The answer of a `Constant`.
    value: String,
}

impl OdbcFn {
    fn udf(name: &'static str, f: F, aliases: &[&str], value: String) -> ScalarUDF {
        let volatility = match f {
            F::Rand => Volatility::Volatile,
            F::CurrentTimestamp | F::CurrentTime | F::TimestampAdd | F::TimestampDiff => Volatility::Stable,
            _ => Volatility::Immutable,
        };
        ScalarUDF::new_from_impl(OdbcFn {
            name,
            f,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            signature: Signature::user_defined(volatility),
            value,
        })
    }
}

/// Registers every ODBC function and alias on the session. DATABASE() and USER() answer ""
/// until `register_names`.
pub fn register(ctx: &SessionContext) {
    let builtins = ctx.state().scalar_functions().clone();
    for (odbc, ours) in ALIASES {
        if let Some(f) = builtins.get(*ours) {
            ctx.register_udf(f.as_ref().clone().with_aliases([*odbc]));
        }
    }
    for (name, f, aliases) in FUNCTIONS {
        ctx.register_udf(OdbcFn::udf(name, *f, aliases, String::new()));
    }
    ctx.register_udf(super::odbc_text::udf());
    register_names(ctx, "", "");
}

/// DATABASE() answers `database` (the workspace), USER() `user` (as SQL_USER_NAME does).
pub fn register_names(ctx: &SessionContext, database: &str, user: &str) {
    ctx.register_udf(OdbcFn::udf("database", F::Constant, &[], database.to_string()));
    ctx.register_udf(OdbcFn::udf("user", F::Constant, &["current_user"], user.to_string()));
}

const TS: DataType = DataType::Timestamp(TimeUnit::Microsecond, None);
const TIME: DataType = DataType::Time64(TimeUnit::Microsecond);

impl ScalarUDFImpl for OdbcFn {
    fn name(&self) -> &str {
        self.name
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, t: &[DataType]) -> Result<Vec<DataType>> {
        let n = self.name.to_ascii_uppercase();
        let arity = |lo: usize, hi: usize, what: &str| -> Result<()> {
            if t.len() < lo || t.len() > hi {
                return plan_err!("{n} takes {what}, not {} argument(s)", t.len());
            }
            Ok(())
        };
        let datetime = |d: &DataType, time_ok: bool| -> Result<DataType> {
            match d {
                DataType::Time32(_) | DataType::Time64(_) if time_ok => Ok(TIME),
                DataType::Timestamp(..)
                | DataType::Date32
                | DataType::Date64
                | DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Utf8View
                | DataType::Null => Ok(TS),
                other => plan_err!("{n} needs a date or timestamp, not {other}"),
            }
        };
        let integer = |d: &DataType| -> Result<DataType> {
            if d.is_numeric() || d.is_null() {
                Ok(DataType::Int64)
            } else {
                plan_err!("{n} needs a number, not {d}")
            }
        };
        let text = |d: &DataType| -> Result<DataType> {
            match d {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => Ok(DataType::Utf8),
                other => plan_err!("{n} needs a string, not {other}"),
            }
        };
        match self.f {
            F::Year | F::Quarter | F::Month | F::Week | F::DayOfMonth | F::DayOfWeek | F::DayOfYear | F::DayName | F::MonthName => {
                arity(1, 1, "one date")?;
                Ok(vec![datetime(&t[0], false)?])
            }
            F::Hour | F::Minute | F::Second => {
                arity(1, 1, "one time or timestamp")?;
                Ok(vec![datetime(&t[0], true)?])
            }
            F::TimestampAdd => {
                arity(3, 3, "an interval, a count and a timestamp")?;
                Ok(vec![text(&t[0])?, integer(&t[1])?, datetime(&t[2], true)?])
            }
            F::TimestampDiff => {
                arity(3, 3, "an interval and two timestamps")?;
                Ok(vec![text(&t[0])?, datetime(&t[1], true)?, datetime(&t[2], true)?])
            }
            F::CurrentTimestamp | F::CurrentTime | F::Rand => {
                arity(0, 1, "at most one integer")?;
                t.iter().map(integer).collect()
            }
            F::Locate => {
                arity(2, 3, "two strings and an optional start")?;
                let mut v = vec![text(&t[0])?, text(&t[1])?];
                if t.len() == 3 {
                    v.push(integer(&t[2])?);
                }
                Ok(v)
            }
            F::Space => {
                arity(1, 1, "one count")?;
                Ok(vec![integer(&t[0])?])
            }
            F::Soundex => {
                arity(1, 1, "one string")?;
                Ok(vec![text(&t[0])?])
            }
            F::Difference => {
                arity(2, 2, "two strings")?;
                Ok(vec![text(&t[0])?, text(&t[1])?])
            }
            F::Mod => {
                arity(2, 2, "two numbers")?;
                let int = |d: &DataType| d.is_integer() || d.is_null();
                for d in t {
                    if !d.is_numeric() && !d.is_null() {
                        return plan_err!("MOD needs numbers, not {d}");
                    }
                }
                let common = if int(&t[0]) && int(&t[1]) {
                    DataType::Int64
                } else {
                    DataType::Float64
                };
                Ok(vec![common.clone(), common])
            }
            F::Constant => {
                arity(0, 0, "no arguments")?;
                Ok(vec![])
            }
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match self.f {
            F::DayName | F::MonthName | F::Space | F::Soundex | F::Constant => DataType::Utf8,
            F::TimestampAdd | F::CurrentTimestamp => TS,
            F::CurrentTime => TIME,
            F::TimestampDiff => DataType::Int64,
            F::Rand => DataType::Float64,
            F::Mod => arg_types.first().cloned().unwrap_or(DataType::Int64),
            _ => DataType::Int32,
        })
    }

    /// CURRENT_TIMESTAMP and CURRENT_TIME: the statement's start time, like `now()`, so every
    /// spelling and every row of one statement see the same instant.
    fn simplify(&self, args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        if !matches!(self.f, F::CurrentTimestamp | F::CurrentTime) {
            return Ok(ExprSimplifyResult::Original(args));
        }
        let precision = match args.first() {
            None => None,
            Some(Expr::Literal(ScalarValue::Int64(Some(p)), _)) => Some(*p),
            Some(_) => return Ok(ExprSimplifyResult::Original(args)),
        };
        let Some(start) = info.query_execution_start_time() else {
            return Ok(ExprSimplifyResult::Original(args));
        };
        Ok(ExprSimplifyResult::Simplified(Expr::Literal(self.clock(start, precision)?, None)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        match self.f {
            F::Constant => return Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(self.value.clone())))),
            // Like now(): `simplify` makes it the statement's start time; an error here keeps
            // constant folding from reading the clock once per call instead.
            F::CurrentTimestamp | F::CurrentTime => {
                return exec_err!("{}: the precision must be a constant integer", self.name.to_ascii_uppercase())
            }
            F::Rand if args.args.is_empty() => {
                let seed = Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64;
                return Ok(ColumnarValue::Array(Arc::new(random(seed, rows))));
            }
            _ => {}
        }
        let a = ColumnarValue::values_to_arrays(&args.args)?;
        let out: ArrayRef = match self.f {
            F::Year => part(&a[0], |d| d.year()),
            F::Quarter => part(&a[0], |d| (d.month0() / 3 + 1) as i32),
            F::Month => part(&a[0], |d| d.month() as i32),
            F::Week => part(&a[0], week),
            F::DayOfMonth => part(&a[0], |d| d.day() as i32),
            F::DayOfWeek => part(&a[0], |d| d.weekday().num_days_from_sunday() as i32 + 1),
            F::DayOfYear => part(&a[0], |d| d.ordinal() as i32),
            F::Hour => part(&a[0], |d| d.hour() as i32),
            F::Minute => part(&a[0], |d| d.minute() as i32),
            F::Second => part(&a[0], |d| d.second() as i32),
            F::DayName => Arc::new(
                datetimes(&a[0])
                    .iter()
                    .map(|d| d.map(|d| DAYS[d.weekday().num_days_from_sunday() as usize]))
                    .collect::<StringArray>(),
            ),
            F::MonthName => Arc::new(
                datetimes(&a[0])
                    .iter()
                    .map(|d| d.map(|d| MONTHS[d.month0() as usize]))
                    .collect::<StringArray>(),
            ),
            F::TimestampAdd => Arc::new(timestamp_add(&a)?),
            F::TimestampDiff => Arc::new(timestamp_diff(&a)?),
            F::Locate => Arc::new(locate(&a)),
            F::Space => {
                let n = a[0].as_primitive::<Int64Type>();
                if n.iter().flatten().any(|n| n > 1_000_000) {
                    return exec_err!("SPACE: at most 1000000 spaces");
                }
                Arc::new(n.iter().map(|n| n.map(|n| " ".repeat(n.max(0) as usize))).collect::<StringArray>())
            }
            F::Soundex => Arc::new(a[0].as_string::<i32>().iter().map(|s| s.map(soundex)).collect::<StringArray>()),
            F::Difference => {
                let (x, y) = (a[0].as_string::<i32>(), a[1].as_string::<i32>());
                Arc::new(
                    x.iter()
                        .zip(y.iter())
                        .map(|(x, y)| Some(difference(&soundex(x?), &soundex(y?))))
                        .collect::<Int32Array>(),
                )
            }
            F::Mod => datafusion::arrow::compute::kernels::numeric::rem(&a[0], &a[1])?,
            F::Rand => {
                let seeds = a[0].as_primitive::<Int64Type>();
                match args.args[0] {
                    // One seed: the sequence it starts, one value per row.
                    ColumnarValue::Scalar(_) => match seeds.iter().next().flatten() {
                        Some(s) => Arc::new(random(s as u64, rows)),
                        None => Arc::new(Float64Array::from(vec![None; rows])),
                    },
                    ColumnarValue::Array(_) => Arc::new(
                        seeds
                            .iter()
                            .map(|s| s.map(|s| random(s as u64, 1).value(0)))
                            .collect::<Float64Array>(),
                    ),
                }
            }
            F::CurrentTimestamp | F::CurrentTime | F::Constant => unreachable!("answered above"),
        };
        Ok(ColumnarValue::Array(out))
    }
}

impl OdbcFn {
    /// The time now, truncated to `precision` fractional digits of a second.
    fn clock(&self, now: DateTime<Utc>, precision: Option<i64>) -> Result<ScalarValue> {
        let p = precision.unwrap_or(6);
        if !(0..=9).contains(&p) {
            return exec_err!("{}: the precision must be between 0 and 9, not {p}", self.name.to_ascii_uppercase());
        }
        let step = 10i64.pow(6u32.saturating_sub(p as u32));
        let micros = now.timestamp_micros();
        let micros = micros - micros.rem_euclid(step);
        Ok(match self.f {
            F::CurrentTime => ScalarValue::Time64Microsecond(Some(micros.rem_euclid(86_400_000_000))),
            _ => ScalarValue::TimestampMicrosecond(Some(micros), None),
        })
    }
}

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// LOCATE(needle, haystack[, start]): 1-based character position of needle in haystack at
/// or after start, 0 if absent.
fn locate(a: &[ArrayRef]) -> Int32Array {
    let (needle, hay) = (a[0].as_string::<i32>(), a[1].as_string::<i32>());
    let start = a.get(2).map(|s| s.as_primitive::<Int64Type>());
    (0..hay.len())
        .map(|i| {
            if needle.is_null(i) || hay.is_null(i) || start.is_some_and(|s| s.is_null(i)) {
                return None;
            }
            let (n, h) = (needle.value(i), hay.value(i));
            let from = start.map_or(1, |s| s.value(i));
            if from < 1 {
                return Some(0);
            }
            let Some((off, _)) = h.char_indices().chain(std::iter::once((h.len(), ' '))).nth(from as usize - 1) else {
                return Some(0);
            };
            Some(h[off..].find(n).map_or(0, |b| h[..off + b].chars().count() as i32 + 1))
        })
        .collect()
}

/// American Soundex: the first letter and three digits ("" without letters).
fn soundex(s: &str) -> String {
    fn code(c: char) -> u8 {
        match c {
            'B' | 'F' | 'P' | 'V' => b'1',
            'C' | 'G' | 'J' | 'K' | 'Q' | 'S' | 'X' | 'Z' => b'2',
            'D' | 'T' => b'3',
            'L' => b'4',
            'M' | 'N' => b'5',
            'R' => b'6',
            'H' | 'W' => b'-',
            _ => b'0',
        }
    }
    let mut letters = s.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase());
    let Some(first) = letters.next() else {
        return String::new();
    };
    let mut out = String::from(first);
    let mut last = code(first);
    for c in letters {
        let d = code(c);
        if d == b'-' {
            continue; // H and W do not separate equal codes
        }
        if d != b'0' && d != last {
            out.push(d as char);
            if out.len() == 4 {
                break;
            }
        }
        last = d;
    }
    while out.len() < 4 {
        out.push('0');
    }
    out
}

/// DIFFERENCE: how many of the four Soundex characters agree (0..=4).
fn difference(a: &str, b: &str) -> i32 {
    a.bytes().zip(b.bytes()).filter(|(x, y)| x == y).count() as i32
}

/// `n` values in [0, 1) from a seed (splitmix64).
fn random(seed: u64, n: usize) -> Float64Array {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            Some((z >> 11) as f64 / (1u64 << 53) as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn weeks_start_on_sunday_with_january_first_in_week_one() {
        // 2023-01-01 is a Sunday, 2022-01-01 a Saturday.
        assert_eq!(week(dt("2023-01-01 00:00:00")), 1);
        assert_eq!(week(dt("2023-01-07 00:00:00")), 1);
        assert_eq!(week(dt("2023-01-08 00:00:00")), 2);
        assert_eq!(week(dt("2022-01-01 00:00:00")), 1);
        assert_eq!(week(dt("2022-01-02 00:00:00")), 2);
        assert_eq!(week(dt("2022-12-31 00:00:00")), 53);
    }

    #[test]
    fn differences_count_boundaries() {
        let d = |u, a, b| diff(u, dt(a), dt(b)).unwrap();
        assert_eq!(d(Unit::Month, "1998-01-11 10:00:00", "1998-03-11 10:00:00"), 2);
        assert_eq!(d(Unit::Year, "2003-01-11 10:00:00", "1998-01-11 10:00:00"), -5);
        assert_eq!(d(Unit::Month, "2020-01-31 00:00:00", "2020-02-01 00:00:00"), 1);
        assert_eq!(d(Unit::Day, "2020-01-01 23:59:59", "2020-01-02 00:00:00"), 1);
        assert_eq!(d(Unit::Second, "2020-01-01 23:59:59", "2020-01-02 00:00:00"), 1);
        assert_eq!(d(Unit::Hour, "2020-01-02 00:00:00", "2020-01-01 23:59:59"), -1);
        // 2023-01-07 is a Saturday, 2023-01-08 a Sunday.
        assert_eq!(d(Unit::Week, "2023-01-07 00:00:00", "2023-01-08 00:00:00"), 1);
        assert_eq!(d(Unit::Week, "2023-01-08 00:00:00", "2023-01-14 00:00:00"), 0);
        assert_eq!(d(Unit::Quarter, "2023-03-31 00:00:00", "2023-04-01 00:00:00"), 1);
        assert_eq!(d(Unit::FracSecond, "2023-03-31 00:00:00", "2023-03-31 00:00:01"), 1_000_000_000);
    }

    #[test]
    fn soundex_and_difference() {
        assert_eq!(soundex("Robert"), "R163");
        assert_eq!(soundex("Rupert"), "R163");
        assert_eq!(soundex("Ashcraft"), "A261");
        assert_eq!(soundex("Tymczak"), "T522");
        assert_eq!(soundex("Pfister"), "P236");
        assert_eq!(soundex("Lee"), "L000");
        assert_eq!(soundex("123"), "");
        assert_eq!(difference(&soundex("Green"), &soundex("Greene")), 4);
        assert_eq!(difference("R163", "R150"), 2);
    }

    use crate::sql::test_support::{engine, query, value};
    use crate::sql::SqlError;

    fn one(sql: &str) -> String {
        value(&engine(), sql).unwrap_or_else(|e| panic!("`{sql}`: {e}"))
    }

    #[test]
    fn odbc_names_work_without_fn() {
        let e = engine();
        let row = query(
            &e,
            "SELECT UCASE('a'), LCASE('B'), CEILING(1.2), TRUNCATE(1.55, 1), SIGN(-2), CHAR(66), \
             DAYOFWEEK(DATE '2024-02-25'), YEAR(TIMESTAMP '2024-01-01 00:00:00'), MONTH('2024-03-04'), \
             QUARTER(CAST('2024-12-31 23:59:59' AS TIMESTAMP)), MOD(7, -3), MOD(7.5, 2), USER, CURRENT_USER, DATABASE(), \
             LOCATE('c', 'abc'), SPACE(2), TIMESTAMPADD(SQL_TSI_DAY, 1, DATE '2024-02-28'), IFNULL(NULL, 3)",
        )
        .unwrap();
        let want = [
            "A",
            "b",
            "2.0",
            "1.5",
            "-1.0",
            "B",
            "1",
            "2024",
            "3",
            "4",
            "1",
            "1.5",
            "analyst@example.com",
            "analyst@example.com",
            "acme",
            "3",
            "  ",
            "2024-02-29T00:00:00",
            "3",
        ];
        assert_eq!(row, vec![want.map(String::from).to_vec()]);
    }

    #[test]
    fn nulls_give_null() {
        for sql in [
            "SELECT {fn DAYOFWEEK(NULL)}",
            "SELECT {fn DAYNAME(CAST(NULL AS DATE))}",
            "SELECT {fn TIMESTAMPADD(SQL_TSI_DAY, NULL, {d '2024-01-01'})}",
            "SELECT {fn TIMESTAMPADD(SQL_TSI_DAY, 1, NULL)}",
            "SELECT {fn TIMESTAMPDIFF(SQL_TSI_DAY, NULL, {d '2024-01-01'})}",
            "SELECT {fn LOCATE(NULL, 'a')}",
            "SELECT {fn LOCATE('a', 'a', NULL)}",
            "SELECT {fn SOUNDEX(NULL)}",
            "SELECT {fn DIFFERENCE('a', NULL)}",
            "SELECT {fn SPACE(NULL)}",
            "SELECT {fn MOD(NULL, 2)}",
            "SELECT {fn RAND(NULL)}",
            "SELECT {fn CONCAT('a', NULL)}",
        ] {
            assert_eq!(one(sql), "NULL", "{sql}");
        }
    }

    #[test]
    fn edge_values() {
        assert_eq!(one("SELECT {fn LOCATE('b', 'abc', 10)}"), "0");
        assert_eq!(one("SELECT {fn LOCATE('b', 'abc', 0)}"), "0");
        assert_eq!(one("SELECT {fn LOCATE('', 'abc')}"), "1");
        assert_eq!(one("SELECT {fn LOCATE('é', 'aéxé', 3)}"), "4");
        assert_eq!(one("SELECT {fn SPACE(-1)}"), "");
        assert_eq!(one("SELECT {fn YEAR('2024-02-29')}"), "2024");
        assert_eq!(one("SELECT {fn HOUR({t '23:59:59'})}"), "23");
        assert_eq!(one("SELECT {fn SECOND(CAST('2024-02-29 10:11:12.999' AS TIMESTAMP))}"), "12");
        assert_eq!(one("SELECT {fn DAYOFYEAR({d '2023-12-31'})}"), "365");
        assert_eq!(one("SELECT {fn WEEK({d '2022-12-31'})}"), "53");
        assert_eq!(
            one("SELECT {fn TIMESTAMPADD(SQL_TSI_MONTH, -1, {ts '2024-03-31 12:00:00'})}"),
            "2024-02-29T12:00:00"
        );
        assert_eq!(
            one("SELECT {fn TIMESTAMPADD(SQL_TSI_FRAC_SECOND, 1500, {ts '2024-03-31 12:00:00'})}"),
            "2024-03-31T12:00:00.000001"
        );
        assert_eq!(
            one("SELECT {fn TIMESTAMPDIFF(SQL_TSI_YEAR, {d '2024-12-31'}, {d '2025-01-01'})}"),
            "1"
        );
        assert_eq!(
            one("SELECT {fn TIMESTAMPDIFF(SQL_TSI_SECOND, {t '10:00:00'}, {t '10:01:00'})}"),
            "60"
        );
        // Time values are put on today's date.
        assert_eq!(
            one("SELECT CAST({fn TIMESTAMPADD(SQL_TSI_HOUR, 1, {t '10:00:00'})} AS DATE) = CURRENT_DATE"),
            "true"
        );
        // A time zone's timestamp (now()) is read in UTC.
        assert_eq!(
            one("SELECT {fn TIMESTAMPDIFF(SQL_TSI_SECOND, now(), {fn CURRENT_TIMESTAMP()})}"),
            "0"
        );
        assert_eq!(one("SELECT {fn RAND(5)} = {fn RAND(5)}"), "true");
        assert_eq!(one("SELECT {fn SOUNDEX('')}"), "");
    }

    #[test]
    fn current_timestamp_precision() {
        assert_eq!(one("SELECT CAST({fn CURRENT_TIMESTAMP(0)} AS BIGINT) % 1000000"), "0");
        assert_eq!(one("SELECT CAST({fn CURRENT_TIMESTAMP(3)} AS BIGINT) % 1000"), "0");
        assert_eq!(one("SELECT CAST({fn CURRENT_TIME(0)} AS BIGINT) % 1000000"), "0");
        // One instant per statement, whatever the spelling.
        assert_eq!(one("SELECT CURRENT_TIMESTAMP = {fn CURRENT_TIMESTAMP(6)}"), "true");
        assert_eq!(one("SELECT CAST({fn CURRENT_TIMESTAMP()} AS DATE) = {fn CURDATE()}"), "true");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = engine();
        let err = |sql: &str| query(&e, sql).expect_err(sql);
        let msg = err("SELECT {fn TIMESTAMPADD('FORTNIGHT', 1, {d '2024-01-01'})}").to_string();
        assert!(msg.contains("SQL_TSI_DAY"), "{msg}");
        let msg = err("SELECT {fn CURRENT_TIMESTAMP(12)}").to_string();
        assert!(msg.contains("between 0 and 9"), "{msg}");
        let msg = err("SELECT {fn DAYOFWEEK(1)}").to_string();
        assert!(msg.contains("DAYOFWEEK needs a date"), "{msg}");
        let msg = err("SELECT {fn LOCATE('a')}").to_string();
        assert!(msg.contains("LOCATE takes two strings"), "{msg}");
        let msg = err("SELECT {fn TIMESTAMPADD(SQL_TSI_YEAR, 1000000, {d '2024-01-01'})}").to_string();
        assert!(msg.contains("leaves the timestamp range"), "{msg}");
        assert!(matches!(err("SELECT {fn MOD(1, 0)}"), SqlError::Data { state: "22012", .. }));
    }

    #[test]
    fn random_is_uniform_and_seeded() {
        let a = random(7, 1000);
        assert!(a.values().iter().all(|v| (0.0..1.0).contains(v)));
        assert_eq!(random(7, 3), random(7, 3));
        assert_ne!(random(7, 3), random(8, 3));
    }
}
