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
    (48, "SQL_CONVERT_FUNCTIONS", U32(2)), // CAST
    (49, "SQL_NUMERIC_FUNCTIONS", U32(0)), // no {fn} escapes yet
    (50, "SQL_STRING_FUNCTIONS", U32(0)),  // no {fn} escapes yet
    (51, "SQL_SYSTEM_FUNCTIONS", U32(0)),
    (52, "SQL_TIMEDATE_FUNCTIONS", U32(0)), // (with the escape rewriter)
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
    (109, "SQL_TIMEDATE_ADD_INTERVALS", U32(0)),
    (110, "SQL_TIMEDATE_DIFF_INTERVALS", U32(0)),
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
    (167, "SQL_STATIC_CURSOR_ATTRIBUTES1", U32(0)),
    (168, "SQL_STATIC_CURSOR_ATTRIBUTES2", U32(0)),
    (169, "SQL_AGGREGATE_FUNCTIONS", U32(0x7F)), // all
    (170, "SQL_DDL_INDEX", U32(0)),
    (172, "SQL_INSERT_STATEMENT", U32(0)),
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
    #[test]
    fn info_types_are_unique() {
        let mut k: Vec<u16> = super::INFO.iter().map(|(k, _, _)| *k).collect();
        k.sort();
        let n = k.len();
        k.dedup();
        assert_eq!(n, k.len());
    }
}
