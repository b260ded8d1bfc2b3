//! Date and time helpers of the ODBC scalar functions: date parts, `WEEK`, and
//! `TIMESTAMPADD`/`TIMESTAMPDIFF` over microsecond UTC timestamps.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array, Int64Array, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Int64Type, Time64MicrosecondType, TimestampMicrosecondType};
use datafusion::common::{exec_err, Result};
use std::sync::Arc;

/// Week of the year, weeks starting on Sunday, January 1 in week 1 (1..=54).
pub(super) fn week(d: NaiveDateTime) -> i32 {
    let jan1 = NaiveDate::from_yo_opt(d.year(), 1).expect("January 1 exists");
    ((d.ordinal0() + jan1.weekday().num_days_from_sunday()) / 7 + 1) as i32
}

pub(super) fn from_micros(us: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_micros(us).map(|d| d.naive_utc())
}

/// A time of day on `date`.
pub(super) fn on(date: NaiveDate, us: i64) -> Option<NaiveDateTime> {
    let t = NaiveTime::from_num_seconds_from_midnight_opt((us.div_euclid(1_000_000)) as u32, (us.rem_euclid(1_000_000) * 1000) as u32)?;
    Some(date.and_time(t))
}

/// The values of a coerced argument: timestamps, or times of day on 1970-01-01 (only their
/// time is read).
pub(super) fn datetimes(a: &ArrayRef) -> Vec<Option<NaiveDateTime>> {
    datetimes_on(a, NaiveDate::default())
}

/// Times of day are put on `date`: TIMESTAMPADD and TIMESTAMPDIFF put them on the current
/// date, as ODBC says for date intervals.
pub(super) fn datetimes_on(a: &ArrayRef, date: NaiveDate) -> Vec<Option<NaiveDateTime>> {
    match a.data_type() {
        DataType::Time64(_) => a
            .as_primitive::<Time64MicrosecondType>()
            .iter()
            .map(|t| t.and_then(|t| on(date, t)))
            .collect(),
        _ => a
            .as_primitive::<TimestampMicrosecondType>()
            .iter()
            .map(|t| t.and_then(from_micros))
            .collect(),
    }
}

pub(super) fn part(a: &ArrayRef, f: impl Fn(NaiveDateTime) -> i32) -> ArrayRef {
    Arc::new(datetimes(a).into_iter().map(|d| d.map(&f)).collect::<Int32Array>())
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Unit {
    FracSecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

pub(super) fn unit(s: &str) -> Result<Unit> {
    let u = s.trim().to_ascii_uppercase();
    let u = u.strip_prefix("SQL_TSI_").unwrap_or(&u);
    Ok(match u {
        "FRAC_SECOND" => Unit::FracSecond,
        "SECOND" => Unit::Second,
        "MINUTE" => Unit::Minute,
        "HOUR" => Unit::Hour,
        "DAY" => Unit::Day,
        "WEEK" => Unit::Week,
        "MONTH" => Unit::Month,
        "QUARTER" => Unit::Quarter,
        "YEAR" => Unit::Year,
        _ => {
            return exec_err!(
                "unknown interval '{s}': use SQL_TSI_FRAC_SECOND, SQL_TSI_SECOND, SQL_TSI_MINUTE, SQL_TSI_HOUR, SQL_TSI_DAY, SQL_TSI_WEEK, SQL_TSI_MONTH, SQL_TSI_QUARTER or SQL_TSI_YEAR"
            )
        }
    })
}

pub(super) fn timestamp_add(a: &[ArrayRef]) -> Result<TimestampMicrosecondArray> {
    let units = a[0].as_string::<i32>();
    let counts = a[1].as_primitive::<Int64Type>();
    let base = datetimes_on(&a[2], Utc::now().date_naive());
    let mut out = Vec::with_capacity(base.len());
    for i in 0..base.len() {
        let (Some(u), Some(n)) = (
            units.is_valid(i).then(|| units.value(i)),
            counts.is_valid(i).then(|| counts.value(i)),
        ) else {
            out.push(None);
            continue;
        };
        let u = unit(u)?;
        let Some(t) = base[i] else {
            out.push(None);
            continue;
        };
        let months = |m: i64| -> Option<NaiveDateTime> {
            let m = u32::try_from(m.unsigned_abs()).ok()?;
            if n >= 0 {
                t.checked_add_months(Months::new(m))
            } else {
                t.checked_sub_months(Months::new(m))
            }
        };
        let r = match u {
            Unit::FracSecond => t.checked_add_signed(TimeDelta::microseconds(n / 1000)),
            Unit::Second => TimeDelta::try_seconds(n).and_then(|d| t.checked_add_signed(d)),
            Unit::Minute => TimeDelta::try_minutes(n).and_then(|d| t.checked_add_signed(d)),
            Unit::Hour => TimeDelta::try_hours(n).and_then(|d| t.checked_add_signed(d)),
            Unit::Day => TimeDelta::try_days(n).and_then(|d| t.checked_add_signed(d)),
            Unit::Week => TimeDelta::try_weeks(n).and_then(|d| t.checked_add_signed(d)),
            Unit::Month => months(n),
            Unit::Quarter => n.checked_mul(3).and_then(months),
            Unit::Year => n.checked_mul(12).and_then(months),
        };
        match r {
            Some(r) => out.push(Some(r.and_utc().timestamp_micros())),
            None => return exec_err!("TIMESTAMPADD: adding {n} to {t} leaves the timestamp range"),
        }
    }
    Ok(TimestampMicrosecondArray::from(out))
}

/// How many of the unit's boundaries lie between a and b (negative if b is earlier).
pub(super) fn diff(u: Unit, a: NaiveDateTime, b: NaiveDateTime) -> Option<i64> {
    let us = |d: NaiveDateTime| d.and_utc().timestamp_micros();
    let floor = |d: NaiveDateTime, step: i64| us(d).div_euclid(step);
    let days = |d: NaiveDateTime| i64::from(d.date().num_days_from_ce());
    let months = |d: NaiveDateTime| i64::from(d.year()) * 12 + i64::from(d.month0());
    Some(match u {
        Unit::FracSecond => (us(b) - us(a)).checked_mul(1000)?,
        Unit::Second => floor(b, 1_000_000) - floor(a, 1_000_000),
        Unit::Minute => floor(b, 60_000_000) - floor(a, 60_000_000),
        Unit::Hour => floor(b, 3_600_000_000) - floor(a, 3_600_000_000),
        Unit::Day => days(b) - days(a),
        Unit::Week => {
            let sunday = |d: NaiveDateTime| days(d) - i64::from(d.weekday().num_days_from_sunday());
            (sunday(b) - sunday(a)) / 7
        }
        Unit::Month => months(b) - months(a),
        Unit::Quarter => months(b).div_euclid(3) - months(a).div_euclid(3),
        Unit::Year => i64::from(b.year()) - i64::from(a.year()),
    })
}

pub(super) fn timestamp_diff(a: &[ArrayRef]) -> Result<Int64Array> {
    let units = a[0].as_string::<i32>();
    let today = Utc::now().date_naive();
    let (x, y) = (datetimes_on(&a[1], today), datetimes_on(&a[2], today));
    let mut out = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        if !units.is_valid(i) {
            out.push(None);
            continue;
        }
        let u = unit(units.value(i))?;
        match (x[i], y[i]) {
            (Some(x), Some(y)) => match diff(u, x, y) {
                Some(d) => out.push(Some(d)),
                None => return exec_err!("TIMESTAMPDIFF: the difference between {x} and {y} in billionths of a second overflows"),
            },
            _ => out.push(None),
        }
    }
    Ok(Int64Array::from(out))
}
