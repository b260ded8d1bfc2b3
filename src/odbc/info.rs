//! SQLGetInfo answers as data. Dynamic answers (names of this connection) are computed by
//! `dynamic`; everything else is a constant here.

#[derive(Debug, Clone, Copy)]
pub enum Info {
    Str(&'static str),
    U16(u16),
    U32(u32),
    /// Answered from the connection (DSN, workspace, user, server).
    Dynamic,
}

use Info::*;

pub const SQL_DATA_SOURCE_NAME: u16 = 2;
pub const SQL_SERVER_NAME: u16 = 13;
pub const SQL_DATABASE_NAME: u16 = 16;
pub const SQL_USER_NAME: u16 = 47;

// The ODBC scalar functions (`{fn ...}`) the engine evaluates: sql/escapes.rs and
// sql/odbc_functions.rs. The unit test below runs every advertised bit.
pub const SQL_FN_CVT_CONVERT: u32 = 0x1;
pub const SQL_FN_CVT_CAST: u32 = 0x2;
/// Every SQL_FN_STR_* bit, CONCAT (0x1) to POSITION (0x800000).
pub const STRING_FUNCTIONS: u32 = 0x00FF_FFFF;
/// Every SQL_FN_NUM_* bit, ABS (0x1) to TRUNCATE (0x800000).
pub const NUMERIC_FUNCTIONS: u32 = 0x00FF_FFFF;
/// Every SQL_FN_TD_* bit, NOW (0x1) to EXTRACT (0x100000).
pub const TIMEDATE_FUNCTIONS: u32 = 0x001F_FFFF;
/// USERNAME, DBNAME, IFNULL.
pub const SYSTEM_FUNCTIONS: u32 = 0x7;
/// Every SQL_FN_TSI_* interval, FRAC_SECOND (0x1) to YEAR (0x100).
pub const TSI_ALL: u32 = 0x1FF;

/// EXISTS, IS NOT NULL, IS NULL, LIKE, IN, BETWEEN, comparison.
pub const SQL92_PREDICATES: u32 = 0x1 | 0x2 | 0x4 | 0x200 | 0x400 | 0x800 | 0x1000;
/// CROSS, FULL OUTER, INNER, LEFT OUTER, NATURAL, RIGHT OUTER.
pub const SQL92_JOINS: u32 = 0x2 | 0x8 | 0x10 | 0x40 | 0x80 | 0x100;
/// LOWER, UPPER, SUBSTRING, TRIM BOTH / LEADING / TRAILING.
pub const SQL92_STRING_FUNCTIONS: u32 = 0x2 | 0x4 | 0x8 | 0x20 | 0x40 | 0x80;

// SQL_CVT_* targets of CONVERT (and CAST) from each source type.
const CVT_CHARS: u32 = 0x1 | 0x100 | 0x200 | 0x0020_0000 | 0x0040_0000 | 0x0080_0000; // CHAR VARCHAR LONGVARCHAR WCHAR WLONGVARCHAR WVARCHAR
const CVT_NUMBERS: u32 = 0x2 | 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x80 | 0x2000 | 0x4000; // NUMERIC DECIMAL INTEGER SMALLINT FLOAT REAL DOUBLE TINYINT BIGINT
const CVT_BIT: u32 = 0x1000;
const CVT_DATE: u32 = 0x8000;
const CVT_TIME: u32 = 0x1_0000;
const CVT_TIMESTAMP: u32 = 0x2_0000;
const CVT_EXACT: u32 = 0x2 | 0x4; // NUMERIC DECIMAL
pub const CVT_FROM_NUMBER: u32 = CVT_CHARS | CVT_NUMBERS | CVT_BIT;
/// Arrow casts no decimal to or from a boolean.
pub const CVT_FROM_DECIMAL: u32 = CVT_CHARS | CVT_NUMBERS;
pub const CVT_FROM_BIT: u32 = CVT_CHARS | (CVT_NUMBERS & !CVT_EXACT) | CVT_BIT;
pub const CVT_FROM_TEXT: u32 = CVT_CHARS | CVT_NUMBERS | CVT_BIT | CVT_DATE | CVT_TIME | CVT_TIMESTAMP;
pub const CVT_FROM_DATE: u32 = CVT_CHARS | CVT_DATE | CVT_TIMESTAMP;
pub const CVT_FROM_TIME: u32 = CVT_CHARS | CVT_TIME;
pub const CVT_FROM_TIMESTAMP: u32 = CVT_CHARS | CVT_DATE | CVT_TIME | CVT_TIMESTAMP;

/// (info type, its name in sql.h/sqlext.h, the answer).
pub const INFO: &[(u16, &str, Info)] = &[
    (0, "SQL_MAX_DRIVER_CONNECTIONS", U16(0)), // no limit
    (1, "SQL_MAX_CONCURRENT_ACTIVITIES", U16(0)),
    (SQL_DATA_SOURCE_NAME, "SQL_DATA_SOURCE_NAME", Dynamic),
    (6, "SQL_DRIVER_NAME", Str("libbitbucket_odbc.so")),
    (7, "SQL_DRIVER_VER", Str("00.01.0000")),
    (8, "SQL_FETCH_DIRECTION", U32(1)),      // NEXT
    (9, "SQL_ODBC_API_CONFORMANCE", U16(1)), // level 1
    (11, "SQL_ROW_UPDATES", Str("N")),
    (12, "SQL_ODBC_SAG_CLI_CONFORMANCE", U16(1)),
    (SQL_SERVER_NAME, "SQL_SERVER_NAME", Dynamic),
    (14, "SQL_SEARCH_PATTERN_ESCAPE", Str("\\")),
    (15, "SQL_ODBC_SQL_CONFORMANCE", U16(1)), // core
    (SQL_DATABASE_NAME, "SQL_DATABASE_NAME", Dynamic),
    (17, "SQL_DBMS_NAME", Str("Bitbucket Cloud")),
    (18, "SQL_DBMS_VER", Str("02.00.0000")), // REST API 2.0
    (19, "SQL_ACCESSIBLE_TABLES", Str("Y")),
    (20, "SQL_ACCESSIBLE_PROCEDURES", Str("Y")),
    (21, "SQL_PROCEDURES", Str("Y")),
    (22, "SQL_CONCAT_NULL_BEHAVIOR", U16(0)),     // NULL
    (23, "SQL_CURSOR_COMMIT_BEHAVIOR", U16(2)),   // preserve
    (24, "SQL_CURSOR_ROLLBACK_BEHAVIOR", U16(2)), // preserve
    (25, "SQL_DATA_SOURCE_READ_ONLY", Str("Y")),
    (26, "SQL_DEFAULT_TXN_ISOLATION", U32(0)), // none
    (27, "SQL_EXPRESSIONS_IN_ORDERBY", Str("Y")),
    (28, "SQL_IDENTIFIER_CASE", U16(4)), // mixed, case-insensitive
    (29, "SQL_IDENTIFIER_QUOTE_CHAR", Str("\"")),
    (30, "SQL_MAX_COLUMN_NAME_LEN", U16(128)),
    (31, "SQL_MAX_CURSOR_NAME_LEN", U16(128)),
    (32, "SQL_MAX_SCHEMA_NAME_LEN", U16(128)),
    (33, "SQL_MAX_PROCEDURE_NAME_LEN", U16(128)),
    (34, "SQL_MAX_CATALOG_NAME_LEN", U16(128)),
    (35, "SQL_MAX_TABLE_NAME_LEN", U16(128)),
    (36, "SQL_MULT_RESULT_SETS", Str("N")),
    (37, "SQL_MULTIPLE_ACTIVE_TXN", Str("Y")),
    (38, "SQL_OUTER_JOINS", Str("Y")),
    (39, "SQL_SCHEMA_TERM", Str("schema")),
    (40, "SQL_PROCEDURE_TERM", Str("procedure")),
    (41, "SQL_CATALOG_NAME_SEPARATOR", Str(".")),
    (42, "SQL_CATALOG_TERM", Str("workspace")),
    (43, "SQL_SCROLL_CONCURRENCY", U32(1)), // read only
    (44, "SQL_SCROLL_OPTIONS", U32(1)),     // forward only
    (45, "SQL_TABLE_TERM", Str("table")),
    (46, "SQL_TXN_CAPABLE", U16(0)), // none
    (SQL_USER_NAME, "SQL_USER_NAME", Dynamic),
    (48, "SQL_CONVERT_FUNCTIONS", U32(SQL_FN_CVT_CONVERT | SQL_FN_CVT_CAST)),
    (49, "SQL_NUMERIC_FUNCTIONS", U32(NUMERIC_FUNCTIONS)),
    (50, "SQL_STRING_FUNCTIONS", U32(STRING_FUNCTIONS)),
    (51, "SQL_SYSTEM_FUNCTIONS", U32(SYSTEM_FUNCTIONS)),
    (52, "SQL_TIMEDATE_FUNCTIONS", U32(TIMEDATE_FUNCTIONS)),
    (53, "SQL_CONVERT_BIGINT", U32(CVT_FROM_NUMBER)),
    (54, "SQL_CONVERT_BINARY", U32(0)),
    (55, "SQL_CONVERT_BIT", U32(CVT_FROM_BIT)),
    (56, "SQL_CONVERT_CHAR", U32(CVT_FROM_TEXT)),
    (57, "SQL_CONVERT_DATE", U32(CVT_FROM_DATE)),
    (58, "SQL_CONVERT_DECIMAL", U32(CVT_FROM_DECIMAL)),
    (59, "SQL_CONVERT_DOUBLE", U32(CVT_FROM_NUMBER)),
    (60, "SQL_CONVERT_FLOAT", U32(CVT_FROM_NUMBER)),
    (61, "SQL_CONVERT_INTEGER", U32(CVT_FROM_NUMBER)),
    (62, "SQL_CONVERT_LONGVARCHAR", U32(CVT_FROM_TEXT)),
    (63, "SQL_CONVERT_NUMERIC", U32(CVT_FROM_DECIMAL)),
    (64, "SQL_CONVERT_REAL", U32(CVT_FROM_NUMBER)),
    (65, "SQL_CONVERT_SMALLINT", U32(CVT_FROM_NUMBER)),
    (66, "SQL_CONVERT_TIME", U32(CVT_FROM_TIME)),
    (67, "SQL_CONVERT_TIMESTAMP", U32(CVT_FROM_TIMESTAMP)),
    (68, "SQL_CONVERT_TINYINT", U32(CVT_FROM_NUMBER)),
    (69, "SQL_CONVERT_VARBINARY", U32(0)),
    (70, "SQL_CONVERT_VARCHAR", U32(CVT_FROM_TEXT)),
    (71, "SQL_CONVERT_LONGVARBINARY", U32(0)),
    (72, "SQL_TXN_ISOLATION_OPTION", U32(0)),
    (73, "SQL_INTEGRITY", Str("N")),
    (74, "SQL_CORRELATION_NAME", U16(2)), // any
    (75, "SQL_NON_NULLABLE_COLUMNS", U16(1)),
    (77, "SQL_DRIVER_ODBC_VER", Str("03.80")),
    (78, "SQL_LOCK_TYPES", U32(0)),
    (79, "SQL_POS_OPERATIONS", U32(0)),
    (80, "SQL_POSITIONED_STATEMENTS", U32(0)),
    (81, "SQL_GETDATA_EXTENSIONS", U32(1 | 2 | 8)), // any column, any order, bound
    (82, "SQL_BOOKMARK_PERSISTENCE", U32(0)),
    (83, "SQL_STATIC_SENSITIVITY", U32(0)),
    (84, "SQL_FILE_USAGE", U16(0)),
    (85, "SQL_NULL_COLLATION", U16(0)), // high
    (86, "SQL_ALTER_TABLE", U32(0)),
    (87, "SQL_COLUMN_ALIAS", Str("Y")),
    (88, "SQL_GROUP_BY", U16(2)), // contains select
    (89, "SQL_KEYWORDS", Str("")),
    (90, "SQL_ORDER_BY_COLUMNS_IN_SELECT", Str("N")),
    (91, "SQL_SCHEMA_USAGE", U32(1)),  // DML
    (92, "SQL_CATALOG_USAGE", U32(1)), // DML
    (93, "SQL_QUOTED_IDENTIFIER_CASE", U16(4)),
    (94, "SQL_SPECIAL_CHARACTERS", Str("")),
    (95, "SQL_SUBQUERIES", U32(1 | 2 | 4 | 8 | 16)),
    (96, "SQL_UNION", U32(1 | 2)),
    (97, "SQL_MAX_COLUMNS_IN_GROUP_BY", U16(0)),
    (98, "SQL_MAX_COLUMNS_IN_INDEX", U16(0)),
    (99, "SQL_MAX_COLUMNS_IN_ORDER_BY", U16(0)),
    (100, "SQL_MAX_COLUMNS_IN_SELECT", U16(0)),
    (101, "SQL_MAX_COLUMNS_IN_TABLE", U16(0)),
    (102, "SQL_MAX_INDEX_SIZE", U32(0)),
    (103, "SQL_MAX_ROW_SIZE_INCLUDES_LONG", Str("Y")),
    (104, "SQL_MAX_ROW_SIZE", U32(0)),
    (105, "SQL_MAX_STATEMENT_LEN", U32(0)),
    (106, "SQL_MAX_TABLES_IN_SELECT", U16(0)),
    (107, "SQL_MAX_USER_NAME_LEN", U16(0)),
    (108, "SQL_MAX_CHAR_LITERAL_LEN", U32(0)),
    (109, "SQL_TIMEDATE_ADD_INTERVALS", U32(TSI_ALL)),
    (110, "SQL_TIMEDATE_DIFF_INTERVALS", U32(TSI_ALL)),
    (111, "SQL_NEED_LONG_DATA_LEN", Str("N")),
    (112, "SQL_MAX_BINARY_LITERAL_LEN", U32(0)),
    (113, "SQL_LIKE_ESCAPE_CLAUSE", Str("Y")),
    (114, "SQL_CATALOG_LOCATION", U16(1)), // start
    (115, "SQL_OJ_CAPABILITIES", U32(1 | 2 | 4 | 8 | 16 | 32 | 64)),
    (116, "SQL_ACTIVE_ENVIRONMENTS", U16(0)),
    (117, "SQL_ALTER_DOMAIN", U32(0)),
    (118, "SQL_SQL_CONFORMANCE", U32(1)), // SQL-92 entry
    (119, "SQL_DATETIME_LITERALS", U32(1 | 2 | 4)),
    (120, "SQL_BATCH_ROW_COUNT", U32(0)),
    (121, "SQL_BATCH_SUPPORT", U32(0)),
    (122, "SQL_CONVERT_WCHAR", U32(CVT_FROM_TEXT)),
    (123, "SQL_CONVERT_INTERVAL_DAY_TIME", U32(0)),
    (124, "SQL_CONVERT_INTERVAL_YEAR_MONTH", U32(0)),
    (125, "SQL_CONVERT_WLONGVARCHAR", U32(CVT_FROM_TEXT)),
    (126, "SQL_CONVERT_WVARCHAR", U32(CVT_FROM_TEXT)),
    (144, "SQL_DYNAMIC_CURSOR_ATTRIBUTES1", U32(0)),
    (145, "SQL_DYNAMIC_CURSOR_ATTRIBUTES2", U32(0)),
    (146, "SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1", U32(1)),        // NEXT
    (147, "SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2", U32(1 | 0x80)), // read-only concurrency, MAX_ROWS_SELECT
    (148, "SQL_INDEX_KEYWORDS", U32(0)),
    (149, "SQL_INFO_SCHEMA_VIEWS", U32(0)),
    (150, "SQL_KEYSET_CURSOR_ATTRIBUTES1", U32(0)),
    (151, "SQL_KEYSET_CURSOR_ATTRIBUTES2", U32(0)),
    (152, "SQL_ODBC_INTERFACE_CONFORMANCE", U32(1)),       // core
    (153, "SQL_PARAM_ARRAY_ROW_COUNTS", U32(2)),           // no batch
    (154, "SQL_PARAM_ARRAY_SELECTS", U32(3)),              // no select
    (155, "SQL_SQL92_DATETIME_FUNCTIONS", U32(0x7)),       // CURRENT_DATE, _TIME, _TIMESTAMP
    (159, "SQL_SQL92_NUMERIC_VALUE_FUNCTIONS", U32(0x3F)), // BIT_LENGTH .. POSITION, EXTRACT
    (160, "SQL_SQL92_PREDICATES", U32(SQL92_PREDICATES)),
    (161, "SQL_SQL92_RELATIONAL_JOIN_OPERATORS", U32(SQL92_JOINS)),
    (164, "SQL_SQL92_STRING_FUNCTIONS", U32(SQL92_STRING_FUNCTIONS)),
    (165, "SQL_SQL92_VALUE_EXPRESSIONS", U32(0xF)), // CASE, CAST, COALESCE, NULLIF
    (167, "SQL_STATIC_CURSOR_ATTRIBUTES1", U32(0)),
    (168, "SQL_STATIC_CURSOR_ATTRIBUTES2", U32(0)),
    (169, "SQL_AGGREGATE_FUNCTIONS", U32(0x7F)), // all
    (170, "SQL_DDL_INDEX", U32(0)),
    (172, "SQL_INSERT_STATEMENT", U32(0)),
    (173, "SQL_CONVERT_GUID", U32(0)),
    (10000, "SQL_XOPEN_CLI_YEAR", Str("1995")),
    (10001, "SQL_CURSOR_SENSITIVITY", U32(0)), // unspecified
    (10002, "SQL_DESCRIBE_PARAMETER", Str("N")),
    (10003, "SQL_CATALOG_NAME", Str("Y")),
    (10004, "SQL_COLLATION_SEQ", Str("")),
    (10005, "SQL_MAX_IDENTIFIER_LEN", U16(128)),
    (10021, "SQL_ASYNC_MODE", U32(0)), // none
    (10022, "SQL_MAX_ASYNC_CONCURRENT_STATEMENTS", U32(0)),
    (10023, "SQL_ASYNC_DBC_FUNCTIONS", U32(0)),
    (10024, "SQL_DRIVER_AWARE_POOLING_SUPPORTED", U32(0)),
    (10025, "SQL_ASYNC_NOTIFICATION", U32(0)),
];

/// The answer of a `Dynamic` info type for this connection.
pub fn dynamic(info_type: u16, dsn: Option<&str>, config: &crate::config::Config) -> String {
    match info_type {
        SQL_DATA_SOURCE_NAME => dsn.unwrap_or_default().to_string(),
        SQL_DATABASE_NAME => config.workspace().unwrap_or("").to_string(),
        SQL_USER_NAME => config.get("User").to_string(),
        _ => url::Url::parse(config.get("BaseURL"))
            .ok()
            .and_then(|u| u.host_str().map(String::from))
            .unwrap_or_default(),
    }
}

/// The answer as text, as sys_sqlinfo shows it.
pub fn as_text(value: Info, info_type: u16, dsn: Option<&str>, config: &crate::config::Config) -> String {
    match value {
        Str(s) => s.to_string(),
        U16(v) => v.to_string(),
        U32(v) => v.to_string(),
        Dynamic => dynamic(info_type, dsn, config),
    }
}

pub fn lookup(info_type: u16) -> Option<Info> {
    INFO.iter().find(|(k, _, _)| *k == info_type).map(|(_, _, v)| *v)
}

#[cfg(test)]
mod tests {
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
        for info_type in [48, 49, 50, 51, 52, 109, 110, 155, 159, 160, 161, 164, 165] {
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
}
