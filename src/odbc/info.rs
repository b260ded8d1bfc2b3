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

/// The driver library's file name on this platform (what SQL_DRIVER_NAME names).
pub const DRIVER_FILE: &str = if cfg!(target_os = "macos") {
    "libbitbucket_odbc.dylib"
} else if cfg!(windows) {
    "bitbucket_odbc.dll"
} else {
    "libbitbucket_odbc.so"
};

/// (info type, its name in sql.h/sqlext.h, the answer).
pub const INFO: &[(u16, &str, Info)] = &[
    (0, "SQL_MAX_DRIVER_CONNECTIONS", U16(0)), // no limit
    (1, "SQL_MAX_CONCURRENT_ACTIVITIES", U16(0)),
    (SQL_DATA_SOURCE_NAME, "SQL_DATA_SOURCE_NAME", Dynamic),
    (6, "SQL_DRIVER_NAME", Str(DRIVER_FILE)),
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
    // No DDL: every CREATE and DROP statement is unsupported.
    (127, "SQL_CREATE_ASSERTION", U32(0)),
    (128, "SQL_CREATE_CHARACTER_SET", U32(0)),
    (129, "SQL_CREATE_COLLATION", U32(0)),
    (130, "SQL_CREATE_DOMAIN", U32(0)),
    (131, "SQL_CREATE_SCHEMA", U32(0)),
    (132, "SQL_CREATE_TABLE", U32(0)),
    (133, "SQL_CREATE_TRANSLATION", U32(0)),
    (134, "SQL_CREATE_VIEW", U32(0)),
    (136, "SQL_DROP_ASSERTION", U32(0)),
    (137, "SQL_DROP_CHARACTER_SET", U32(0)),
    (138, "SQL_DROP_COLLATION", U32(0)),
    (139, "SQL_DROP_DOMAIN", U32(0)),
    (140, "SQL_DROP_SCHEMA", U32(0)),
    (141, "SQL_DROP_TABLE", U32(0)),
    (142, "SQL_DROP_TRANSLATION", U32(0)),
    (143, "SQL_DROP_VIEW", U32(0)),
    (144, "SQL_DYNAMIC_CURSOR_ATTRIBUTES1", U32(0)),
    (145, "SQL_DYNAMIC_CURSOR_ATTRIBUTES2", U32(0)),
    (146, "SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1", U32(1)),        // NEXT
    (147, "SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2", U32(1 | 0x80)), // read-only concurrency, MAX_ROWS_SELECT
    (148, "SQL_INDEX_KEYWORDS", U32(0)),
    (149, "SQL_INFO_SCHEMA_VIEWS", U32(0)),
    (150, "SQL_KEYSET_CURSOR_ATTRIBUTES1", U32(0)),
    (151, "SQL_KEYSET_CURSOR_ATTRIBUTES2", U32(0)),
    (152, "SQL_ODBC_INTERFACE_CONFORMANCE", U32(1)), // core
    (153, "SQL_PARAM_ARRAY_ROW_COUNTS", U32(2)),     // no batch
    (154, "SQL_PARAM_ARRAY_SELECTS", U32(3)),        // no select
    (155, "SQL_SQL92_DATETIME_FUNCTIONS", U32(0x7)), // CURRENT_DATE, _TIME, _TIMESTAMP
    (156, "SQL_SQL92_FOREIGN_KEY_DELETE_RULE", U32(0)),
    (157, "SQL_SQL92_FOREIGN_KEY_UPDATE_RULE", U32(0)),
    (158, "SQL_SQL92_GRANT", U32(0)),
    (159, "SQL_SQL92_NUMERIC_VALUE_FUNCTIONS", U32(0x3F)), // BIT_LENGTH .. POSITION, EXTRACT
    (160, "SQL_SQL92_PREDICATES", U32(SQL92_PREDICATES)),
    (161, "SQL_SQL92_RELATIONAL_JOIN_OPERATORS", U32(SQL92_JOINS)),
    (162, "SQL_SQL92_REVOKE", U32(0)),
    (164, "SQL_SQL92_STRING_FUNCTIONS", U32(SQL92_STRING_FUNCTIONS)),
    (165, "SQL_SQL92_VALUE_EXPRESSIONS", U32(0xF)), // CASE, CAST, COALESCE, NULLIF
    (167, "SQL_STATIC_CURSOR_ATTRIBUTES1", U32(0)),
    (168, "SQL_STATIC_CURSOR_ATTRIBUTES2", U32(0)),
    (169, "SQL_AGGREGATE_FUNCTIONS", U32(0x7F)), // all
    (170, "SQL_DDL_INDEX", U32(0)),
    (172, "SQL_INSERT_STATEMENT", U32(0)),
    (173, "SQL_CONVERT_GUID", U32(0)),
    // Power BI fails on a driver that errors here: no `{? = call}` return values.
    (180, "SQL_RETURN_ESCAPE_CLAUSE", U32(0)),
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
#[path = "info_tests.rs"]
mod tests;
