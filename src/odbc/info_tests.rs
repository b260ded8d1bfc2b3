//! SQLGetInfo's answers checked against the engine: every advertised function, conversion,
//! predicate and aggregate bit runs, and the constant answers are the ones the driver lives by.

use super::*;
use crate::sql::test_support::{engine, value};

/// What one advertised function must give.
enum Want {
    Is(&'static str),
    Near(f64),
    NotNull,
}
use Want::*;

/// (info type, bit, statement, result): one statement per bit of the function masks.
const FUNCTIONS: &[(u16, u32, &str, Want)] = &[
    (50, 0x1, "{fn CONCAT('ab', 'cd')}", Is("abcd")),
    (50, 0x2, "{fn INSERT('abcdef', 2, 3, 'XY')}", Is("aXYef")),
    (50, 0x4, "{fn LEFT('abcdef', 2)}", Is("ab")),
    (50, 0x8, "{fn LTRIM('  ab ')}", Is("ab ")),
    (50, 0x10, "{fn LENGTH('ab  ')}", Is("2")),
    (50, 0x20, "{fn LOCATE('b', 'abcb')}", Is("2")),
    (50, 0x40, "{fn LCASE('AbC')}", Is("abc")),
    (50, 0x80, "{fn REPEAT('ab', 3)}", Is("ababab")),
    (50, 0x100, "{fn REPLACE('abcabc', 'b', 'X')}", Is("aXcaXc")),
    (50, 0x200, "{fn RIGHT('abcdef', 2)}", Is("ef")),
    (50, 0x400, "{fn RTRIM(' ab  ')}", Is(" ab")),
    (50, 0x800, "{fn SUBSTRING('abcdef', 2, 3)}", Is("bcd")),
    (50, 0x1000, "{fn UCASE('AbC')}", Is("ABC")),
    (50, 0x2000, "{fn ASCII('A')}", Is("65")),
    (50, 0x4000, "{fn CHAR(65)}", Is("A")),
    (50, 0x8000, "{fn DIFFERENCE('Green', 'Greene')}", Is("4")),
    (50, 0x1_0000, "{fn LOCATE('b', 'abcb', 3)}", Is("4")),
    (50, 0x2_0000, "{fn SOUNDEX('Robert')}", Is("R163")),
    (50, 0x4_0000, "{fn SPACE(3)}", Is("   ")),
    (50, 0x8_0000, "{fn BIT_LENGTH('ab')}", Is("16")),
    (50, 0x10_0000, "{fn CHAR_LENGTH('abc')}", Is("3")),
    (50, 0x20_0000, "{fn CHARACTER_LENGTH('abc')}", Is("3")),
    (50, 0x40_0000, "{fn OCTET_LENGTH('é')}", Is("2")),
    (50, 0x80_0000, "{fn POSITION('c' IN 'abc')}", Is("3")),
    (49, 0x1, "{fn ABS(-2)}", Near(2.0)),
    (49, 0x2, "{fn ACOS(1)}", Near(0.0)),
    (49, 0x4, "{fn ASIN(1)}", Near(std::f64::consts::FRAC_PI_2)),
    (49, 0x8, "{fn ATAN(1)}", Near(std::f64::consts::FRAC_PI_4)),
    (49, 0x10, "{fn ATAN2(1, 1)}", Near(std::f64::consts::FRAC_PI_4)),
    (49, 0x20, "{fn CEILING(1.2)}", Near(2.0)),
    (49, 0x40, "{fn COS(0)}", Near(1.0)),
    (49, 0x80, "{fn COT(1)}", Near(0.642_092_615_934_330_7)),
    (49, 0x100, "{fn EXP(1)}", Near(std::f64::consts::E)),
    (49, 0x200, "{fn FLOOR(-1.5)}", Near(-2.0)),
    (49, 0x400, "{fn LOG({fn EXP(2)})}", Near(2.0)),
    (49, 0x800, "{fn MOD(-7, 3)}", Is("-1")),
    (49, 0x1000, "{fn SIGN(-3)}", Near(-1.0)),
    (49, 0x2000, "{fn SIN(0)}", Near(0.0)),
    (49, 0x4000, "{fn SQRT(9)}", Near(3.0)),
    (49, 0x8000, "{fn TAN(0)}", Near(0.0)),
    (49, 0x1_0000, "{fn PI()}", Near(std::f64::consts::PI)),
    (49, 0x2_0000, "{fn RAND(7)}", NotNull),
    (49, 0x4_0000, "{fn DEGREES({fn PI()})}", Near(180.0)),
    (49, 0x8_0000, "{fn LOG10(1000)}", Near(3.0)),
    (49, 0x10_0000, "{fn POWER(2, 10)}", Near(1024.0)),
    (49, 0x20_0000, "{fn RADIANS(180)}", Near(std::f64::consts::PI)),
    (49, 0x40_0000, "{fn ROUND(2.567, 2)}", Near(2.57)),
    (49, 0x80_0000, "{fn TRUNCATE(-2.567, 2)}", Near(-2.56)),
    (52, 0x1, "{fn NOW()}", NotNull),
    (52, 0x2, "{fn CURDATE()}", NotNull),
    (52, 0x4, "{fn DAYOFMONTH({d '2024-02-29'})}", Is("29")),
    (52, 0x8, "{fn DAYOFWEEK({d '2024-02-25'})}", Is("1")),
    (52, 0x10, "{fn DAYOFYEAR({ts '2024-02-29 23:00:00'})}", Is("60")),
    (52, 0x20, "{fn MONTH({d '2024-02-29'})}", Is("2")),
    (52, 0x40, "{fn QUARTER({d '2024-04-01'})}", Is("2")),
    (52, 0x80, "{fn WEEK({d '2024-01-07'})}", Is("2")),
    (52, 0x100, "{fn YEAR({d '2024-02-29'})}", Is("2024")),
    (52, 0x200, "{fn CURTIME()}", NotNull),
    (52, 0x400, "{fn HOUR({t '13:14:15'})}", Is("13")),
    (52, 0x800, "{fn MINUTE({ts '2024-02-29 13:14:15'})}", Is("14")),
    (52, 0x1000, "{fn SECOND({ts '2024-02-29 13:14:15.9'})}", Is("15")),
    (
        52,
        0x2000,
        "{fn TIMESTAMPADD(SQL_TSI_MONTH, 1, {d '2024-01-31'})}",
        Is("2024-02-29T00:00:00"),
    ),
    (
        52,
        0x4000,
        "{fn TIMESTAMPDIFF(SQL_TSI_DAY, {d '2024-01-31'}, {ts '2024-03-01 10:00:00'})}",
        Is("30"),
    ),
    (52, 0x8000, "{fn DAYNAME({d '2024-02-25'})}", Is("Sunday")),
    (52, 0x1_0000, "{fn MONTHNAME({d '2024-02-25'})}", Is("February")),
    (52, 0x2_0000, "{fn CURRENT_DATE()}", NotNull),
    (52, 0x4_0000, "{fn CURRENT_TIME(0)}", NotNull),
    (52, 0x8_0000, "{fn CURRENT_TIMESTAMP(0)}", NotNull),
    (52, 0x10_0000, "{fn EXTRACT(YEAR FROM {d '2024-02-29'})}", Is("2024")),
    (51, 0x1, "{fn USER()}", Is("analyst@example.com")),
    (51, 0x2, "{fn DATABASE()}", Is("acme")),
    (51, 0x4, "{fn IFNULL(NULL, 'x')}", Is("x")),
    (48, 0x1, "{fn CONVERT('12', SQL_INTEGER)} + 1", Is("13")),
    (48, 0x2, "CAST('12' AS INTEGER) + 1", Is("13")),
    // TIMESTAMPADD(unit, 1, 2024-01-31 10:00:00)
    (
        109,
        0x1,
        "{fn TIMESTAMPADD(SQL_TSI_FRAC_SECOND, 1000, {ts '2024-01-31 10:00:00'})}",
        Is("2024-01-31T10:00:00.000001"),
    ),
    (
        109,
        0x2,
        "{fn TIMESTAMPADD(SQL_TSI_SECOND, 1, {ts '2024-01-31 10:00:00'})}",
        Is("2024-01-31T10:00:01"),
    ),
    (
        109,
        0x4,
        "{fn TIMESTAMPADD(SQL_TSI_MINUTE, 1, {ts '2024-01-31 10:00:00'})}",
        Is("2024-01-31T10:01:00"),
    ),
    (
        109,
        0x8,
        "{fn TIMESTAMPADD(SQL_TSI_HOUR, -11, {ts '2024-01-31 10:00:00'})}",
        Is("2024-01-30T23:00:00"),
    ),
    (
        109,
        0x10,
        "{fn TIMESTAMPADD(SQL_TSI_DAY, 1, {ts '2024-01-31 10:00:00'})}",
        Is("2024-02-01T10:00:00"),
    ),
    (
        109,
        0x20,
        "{fn TIMESTAMPADD(SQL_TSI_WEEK, 1, {ts '2024-01-31 10:00:00'})}",
        Is("2024-02-07T10:00:00"),
    ),
    (
        109,
        0x40,
        "{fn TIMESTAMPADD(SQL_TSI_MONTH, 1, {ts '2024-01-31 10:00:00'})}",
        Is("2024-02-29T10:00:00"),
    ),
    (
        109,
        0x80,
        "{fn TIMESTAMPADD(SQL_TSI_QUARTER, -1, {ts '2024-01-31 10:00:00'})}",
        Is("2023-10-31T10:00:00"),
    ),
    (
        109,
        0x100,
        "{fn TIMESTAMPADD(SQL_TSI_YEAR, 1, {ts '2024-02-29 10:00:00'})}",
        Is("2025-02-28T10:00:00"),
    ),
    // TIMESTAMPDIFF(unit, Sunday 2023-12-31 23:59:59, Monday 2024-01-01 00:00:00.5)
    (
        110,
        0x1,
        "{fn TIMESTAMPDIFF(SQL_TSI_FRAC_SECOND, {ts '2023-12-31 23:59:59'}, {ts '2024-01-01 00:00:00.5'})}",
        Is("1500000000"),
    ),
    (
        110,
        0x2,
        "{fn TIMESTAMPDIFF(SQL_TSI_SECOND, {ts '2023-12-31 23:59:59'}, {ts '2024-01-01 00:00:00.5'})}",
        Is("1"),
    ),
    (
        110,
        0x4,
        "{fn TIMESTAMPDIFF(SQL_TSI_MINUTE, {ts '2023-12-31 23:59:59'}, {ts '2024-01-01 00:00:00.5'})}",
        Is("1"),
    ),
    (
        110,
        0x8,
        "{fn TIMESTAMPDIFF(SQL_TSI_HOUR, {ts '2023-12-31 23:59:59'}, {ts '2024-01-01 00:00:00.5'})}",
        Is("1"),
    ),
    (
        110,
        0x10,
        "{fn TIMESTAMPDIFF(SQL_TSI_DAY, {ts '2023-12-31 23:59:59'}, {ts '2024-01-01 00:00:00.5'})}",
        Is("1"),
    ),
    (
        110,
        0x20,
        "{fn TIMESTAMPDIFF(SQL_TSI_WEEK, {ts '2023-12-31 23:59:59'}, {ts '2024-01-07 00:00:00'})}",
        Is("1"),
    ),
    (
        110,
        0x40,
        "{fn TIMESTAMPDIFF(SQL_TSI_MONTH, {ts '2023-12-31 23:59:59'}, {ts '2024-01-01 00:00:00.5'})}",
        Is("1"),
    ),
    (
        110,
        0x80,
        "{fn TIMESTAMPDIFF(SQL_TSI_QUARTER, {ts '2023-12-31 23:59:59'}, {ts '2024-01-01 00:00:00.5'})}",
        Is("1"),
    ),
    (
        110,
        0x100,
        "{fn TIMESTAMPDIFF(SQL_TSI_YEAR, {ts '2024-01-01 00:00:00'}, {ts '2023-12-31 23:59:59'})}",
        Is("-1"),
    ),
    (155, 0x1, "CURRENT_DATE", NotNull),
    (155, 0x2, "CURRENT_TIME", NotNull),
    (155, 0x4, "CURRENT_TIMESTAMP", NotNull),
    (159, 0x1, "BIT_LENGTH('ab')", Is("16")),
    (159, 0x2, "CHAR_LENGTH('ab')", Is("2")),
    (159, 0x4, "CHARACTER_LENGTH('ab')", Is("2")),
    (159, 0x8, "EXTRACT(MONTH FROM DATE '2024-02-29')", Is("2")),
    (159, 0x10, "OCTET_LENGTH('é')", Is("2")),
    (159, 0x20, "POSITION('b' IN 'abc')", Is("2")),
    (
        160,
        0x1,
        "(SELECT COUNT(*) FROM (SELECT 1 AS a) x WHERE EXISTS (SELECT 1 FROM (SELECT 1 AS b) y WHERE y.b = x.a))",
        Is("1"),
    ),
    (160, 0x2, "1 IS NOT NULL", Is("true")),
    (160, 0x4, "NULL IS NULL", Is("true")),
    (160, 0x200, "'ab' LIKE 'a%'", Is("true")),
    (160, 0x400, "2 IN (1, 2)", Is("true")),
    (160, 0x800, "2 BETWEEN 1 AND 3", Is("true")),
    (160, 0x1000, "1 < 2", Is("true")),
    (
        161,
        0x2,
        "(SELECT COUNT(*) FROM (SELECT 1 AS a) x CROSS JOIN (SELECT 2 AS b) y)",
        Is("1"),
    ),
    (
        161,
        0x8,
        "(SELECT COUNT(*) FROM (SELECT 1 AS a) x FULL OUTER JOIN (SELECT 2 AS a) y ON x.a = y.a)",
        Is("2"),
    ),
    (
        161,
        0x10,
        "(SELECT COUNT(*) FROM (SELECT 1 AS a) x INNER JOIN (SELECT 1 AS a) y ON x.a = y.a)",
        Is("1"),
    ),
    (
        161,
        0x40,
        "(SELECT COUNT(*) FROM (SELECT 1 AS a) x LEFT OUTER JOIN (SELECT 2 AS a) y ON x.a = y.a)",
        Is("1"),
    ),
    (
        161,
        0x80,
        "(SELECT COUNT(*) FROM (SELECT 1 AS a) x NATURAL JOIN (SELECT 1 AS a) y)",
        Is("1"),
    ),
    (
        161,
        0x100,
        "(SELECT COUNT(*) FROM (SELECT 1 AS a) x RIGHT OUTER JOIN (SELECT 2 AS a) y ON x.a = y.a)",
        Is("1"),
    ),
    (164, 0x2, "LOWER('AbC')", Is("abc")),
    (164, 0x4, "UPPER('AbC')", Is("ABC")),
    (164, 0x8, "SUBSTRING('abcd' FROM 2 FOR 2)", Is("bc")),
    (164, 0x20, "TRIM(BOTH 'x' FROM 'xaxx')", Is("a")),
    (164, 0x40, "TRIM(LEADING 'x' FROM 'xaxx')", Is("axx")),
    (164, 0x80, "TRIM(TRAILING 'x' FROM 'xaxx')", Is("xa")),
    (165, 0x1, "CASE WHEN 1 = 1 THEN 'y' ELSE 'n' END", Is("y")),
    (165, 0x2, "CAST('7' AS INTEGER)", Is("7")),
    (165, 0x4, "COALESCE(NULL, 'x')", Is("x")),
    (165, 0x8, "NULLIF(1, 1)", Is("NULL")),
    (95, 0x1, "(SELECT COUNT(*) FROM (SELECT 1 AS a) x WHERE x.a = (SELECT MAX(b) FROM (SELECT 1 AS b) y))", Is("1")),
    (95, 0x2, "(SELECT COUNT(*) FROM (SELECT 1 AS a) x WHERE EXISTS (SELECT 1 FROM (SELECT 2 AS b) y))", Is("1")),
    (95, 0x4, "(SELECT COUNT(*) FROM (SELECT 1 AS a) x WHERE x.a IN (SELECT b FROM (SELECT 1 AS b) y))", Is("1")),
    (95, 0x8, "(SELECT COUNT(*) FROM (SELECT 1 AS a) x WHERE x.a < ALL (SELECT b FROM (SELECT 2 AS b) y))", Is("1")),
    (
        95,
        0x10,
        "(SELECT COUNT(*) FROM (SELECT 1 AS a) x WHERE EXISTS (SELECT 1 FROM (SELECT 1 AS b) y WHERE y.b = x.a))",
        Is("1"),
    ),
    (96, 0x1, "(SELECT COUNT(*) FROM (SELECT 1 AS a UNION SELECT 1) u)", Is("1")),
    (96, 0x2, "(SELECT COUNT(*) FROM (SELECT 1 AS a UNION ALL SELECT 1) u)", Is("2")),
    (169, 0x1, "(SELECT AVG(a) FROM (SELECT 1 AS a UNION ALL SELECT 4) t)", Near(2.5)),
    (169, 0x2, "(SELECT COUNT(a) FROM (SELECT 1 AS a UNION ALL SELECT NULL) t)", Is("1")),
    (169, 0x4, "(SELECT MAX(a) FROM (SELECT 1 AS a UNION ALL SELECT 4) t)", Is("4")),
    (169, 0x8, "(SELECT MIN(a) FROM (SELECT 1 AS a UNION ALL SELECT 4) t)", Is("1")),
    (169, 0x10, "(SELECT SUM(a) FROM (SELECT 1 AS a UNION ALL SELECT 4) t)", Is("5")),
    (169, 0x20, "(SELECT COUNT(DISTINCT a) FROM (SELECT 1 AS a UNION ALL SELECT 1) t)", Is("1")),
    (169, 0x40, "(SELECT SUM(ALL a) FROM (SELECT 1 AS a UNION ALL SELECT 1) t)", Is("2")),
    // Outer joins inside `{oj}`, with x.a = 1 and y.a = 2.
    (
        115,
        0x1,
        "(SELECT COUNT(*) FROM {oj (SELECT 1 AS a) x LEFT OUTER JOIN (SELECT 2 AS a) y ON x.a = y.a})",
        Is("1"),
    ),
    (
        115,
        0x2,
        "(SELECT COUNT(*) FROM {oj (SELECT 1 AS a) x RIGHT OUTER JOIN (SELECT 2 AS a) y ON x.a = y.a})",
        Is("1"),
    ),
    (
        115,
        0x4,
        "(SELECT COUNT(*) FROM {oj (SELECT 1 AS a) x FULL OUTER JOIN (SELECT 2 AS a) y ON x.a = y.a})",
        Is("2"),
    ),
    (
        115,
        0x8,
        "(SELECT COUNT(*) FROM {oj {oj (SELECT 1 AS a) x LEFT OUTER JOIN (SELECT 2 AS a) y ON x.a = y.a} LEFT OUTER JOIN (SELECT 3 AS a) z ON z.a = y.a})",
        Is("1"),
    ),
    (
        115,
        0x10,
        "(SELECT COUNT(*) FROM {oj (SELECT 1 AS a) x LEFT OUTER JOIN (SELECT 1 AS a) y ON y.a = x.a})",
        Is("1"),
    ),
    (
        115,
        0x20,
        "(SELECT COUNT(*) FROM {oj (SELECT 1 AS a) x LEFT OUTER JOIN (SELECT 1 AS a) y ON x.a = y.a INNER JOIN (SELECT 1 AS a) z ON z.a = x.a})",
        Is("1"),
    ),
    (
        115,
        0x40,
        "(SELECT COUNT(y.a) FROM {oj (SELECT 1 AS a) x LEFT OUTER JOIN (SELECT 2 AS a) y ON x.a < y.a})",
        Is("1"),
    ),
];

fn mask(info_type: u16) -> u32 {
    match lookup(info_type) {
        Some(Info::U32(v)) => v,
        other => panic!("info type {info_type} is {other:?}"),
    }
}

/// Every bit of the function masks has a statement, and every statement runs.
#[test]
fn advertised_functions_work() {
    let e = engine();
    let mut failed = Vec::new();
    for info_type in [48, 49, 50, 51, 52, 95, 96, 109, 110, 115, 155, 159, 160, 161, 164, 165, 169] {
        let m = mask(info_type);
        for bit in (0..32).map(|b| 1u32 << b).filter(|b| m & b != 0) {
            let cases: Vec<_> = FUNCTIONS.iter().filter(|(t, b, _, _)| *t == info_type && *b == bit).collect();
            if cases.is_empty() {
                failed.push(format!("info type {info_type} advertises bit {bit:#x} without a test"));
            }
            for (_, _, expr, want) in cases {
                let sql = format!("SELECT {expr}");
                let got = match value(&e, &sql) {
                    Ok(v) => v,
                    Err(err) => {
                        failed.push(format!("`{sql}`: {err}"));
                        continue;
                    }
                };
                let ok = match want {
                    Is(w) => got == *w,
                    Near(w) => got.parse::<f64>().is_ok_and(|v| (v - w).abs() < 1e-9),
                    NotNull => got != "NULL",
                };
                if !ok {
                    failed.push(format!("`{sql}` gave {got}"));
                }
            }
        }
    }
    // And nothing is tested that is not advertised.
    for (t, b, expr, _) in FUNCTIONS {
        if mask(*t) & b == 0 {
            failed.push(format!("{expr} is tested but info type {t} does not advertise {b:#x}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// SQL types by SQL_CVT_* bit: (bit, SQL_CONVERT_* info type, ODBC type name).
const CVT: &[(u32, u16, &str)] = &[
    (0x1, 56, "SQL_CHAR"),
    (0x2, 63, "SQL_NUMERIC"),
    (0x4, 58, "SQL_DECIMAL"),
    (0x8, 61, "SQL_INTEGER"),
    (0x10, 65, "SQL_SMALLINT"),
    (0x20, 60, "SQL_FLOAT"),
    (0x40, 64, "SQL_REAL"),
    (0x80, 59, "SQL_DOUBLE"),
    (0x100, 70, "SQL_VARCHAR"),
    (0x200, 62, "SQL_LONGVARCHAR"),
    (0x400, 54, "SQL_BINARY"),
    (0x800, 69, "SQL_VARBINARY"),
    (0x1000, 55, "SQL_BIT"),
    (0x2000, 68, "SQL_TINYINT"),
    (0x4000, 53, "SQL_BIGINT"),
    (0x8000, 57, "SQL_DATE"),
    (0x1_0000, 66, "SQL_TIME"),
    (0x2_0000, 67, "SQL_TIMESTAMP"),
    (0x4_0000, 71, "SQL_LONGVARBINARY"),
    (0x8_0000, 124, "SQL_INTERVAL_YEAR_MONTH"),
    (0x10_0000, 123, "SQL_INTERVAL_DAY_TIME"),
    (0x20_0000, 122, "SQL_WCHAR"),
    (0x40_0000, 125, "SQL_WLONGVARCHAR"),
    (0x80_0000, 126, "SQL_WVARCHAR"),
    (0x100_0000, 173, "SQL_GUID"),
];

/// A value of type `from` that converts to `to`.
fn sample(from: &str, to: &str) -> String {
    let text = matches!(
        from,
        "SQL_CHAR" | "SQL_VARCHAR" | "SQL_LONGVARCHAR" | "SQL_WCHAR" | "SQL_WVARCHAR" | "SQL_WLONGVARCHAR"
    );
    let literal = match from {
        "SQL_DATE" => "{d '2024-02-29'}",
        "SQL_TIME" => "{t '10:11:12'}",
        "SQL_TIMESTAMP" => "{ts '2024-02-29 10:11:12'}",
        "SQL_BIT" => "TRUE",
        _ if !text => "1",
        _ => match to {
            "SQL_DATE" => "'2024-02-29'",
            "SQL_TIME" => "'10:11:12'",
            "SQL_TIMESTAMP" => "'2024-02-29 10:11:12'",
            _ => "'1'",
        },
    };
    format!("{{fn CONVERT({literal}, {from})}}")
}

/// Every conversion SQL_CONVERT_<type> advertises runs.
#[test]
fn advertised_conversions_work() {
    let e = engine();
    let mut failed = Vec::new();
    for (_, info_type, from) in CVT {
        let m = mask(*info_type);
        for (bit, _, to) in CVT.iter().filter(|(b, _, _)| m & b != 0) {
            let sql = format!("SELECT {{fn CONVERT({}, {to})}}", sample(from, to));
            match value(&e, &sql) {
                Ok(v) if v != "NULL" => {}
                other => failed.push(format!("{from} to {to} (bit {bit:#x}): `{sql}`: {other:?}")),
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn info_types_are_unique() {
    let mut k: Vec<u16> = super::INFO.iter().map(|(k, _, _)| *k).collect();
    k.sort();
    let n = k.len();
    k.dedup();
    assert_eq!(n, k.len());
}

/// The names and versions a client matches a TDC or a bug list against.
#[test]
fn identity_answers_are_true() {
    let text = |t: u16| match lookup(t) {
        Some(Info::Str(s)) => s,
        other => panic!("info type {t} is {other:?}"),
    };
    let file = format!("{}bitbucket_odbc{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX);
    assert_eq!(text(6), file, "SQL_DRIVER_NAME is the library's file name");
    // SQL_DRIVER_VER is the crate's version as ##.##.####.
    let v: Vec<u32> = env!("CARGO_PKG_VERSION").split('.').map(|p| p.parse().unwrap()).collect();
    assert_eq!(text(7), format!("{:02}.{:02}.{:04}", v[0], v[1], v[2]));
    assert_eq!(text(77), "03.80");
    assert_eq!(text(17), "Bitbucket Cloud");
    assert_eq!(text(29), "\"");
    assert_eq!(text(41), ".");
}

/// Every name the driver has fits the SQL_MAX_*_NAME_LEN it reports (Tableau keeps its own
/// aliases within SQL_MAX_IDENTIFIER_LEN).
#[test]
fn name_lengths_fit_the_reported_maxima() {
    let max = |t: u16| match lookup(t) {
        Some(Info::U16(v)) => usize::from(v),
        other => panic!("info type {t} is {other:?}"),
    };
    for t in crate::tables::TABLES {
        assert!(t.name.len() <= max(35), "{}", t.name);
        for c in t.columns {
            assert!(c.name.len() <= max(30), "{}.{}", t.name, c.name);
        }
    }
    assert!(crate::sql::catalog::INFORMATION.len() <= max(32));
}
