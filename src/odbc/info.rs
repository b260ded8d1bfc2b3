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

pub const INFO: &[(u16, Info)] = &[
    (0, U16(0)), // SQL_MAX_DRIVER_CONNECTIONS: no limit
    (1, U16(0)), // SQL_MAX_CONCURRENT_ACTIVITIES
    (SQL_DATA_SOURCE_NAME, Dynamic),
    (6, Str("libbitbucket_odbc.so")), // SQL_DRIVER_NAME
    (7, Str("00.01.0000")),           // SQL_DRIVER_VER
    (8, U32(1)),                      // SQL_FETCH_DIRECTION: NEXT
    (9, U16(1)),                      // SQL_ODBC_API_CONFORMANCE: level 1
    (11, Str("N")),                   // SQL_ROW_UPDATES
    (12, U16(1)),                     // SQL_ODBC_SAG_CLI_CONFORMANCE
    (SQL_SERVER_NAME, Dynamic),
    (14, Str("\\")), // SQL_SEARCH_PATTERN_ESCAPE
    (15, U16(1)),    // SQL_ODBC_SQL_CONFORMANCE: core
    (SQL_DATABASE_NAME, Dynamic),
    (17, Str("Bitbucket Cloud")), // SQL_DBMS_NAME
    (18, Str("02.00.0000")),      // SQL_DBMS_VER: REST API 2.0
    (19, Str("Y")),               // SQL_ACCESSIBLE_TABLES
    (20, Str("Y")),               // SQL_ACCESSIBLE_PROCEDURES
    (21, Str("N")),               // SQL_PROCEDURES
    (22, U16(0)),                 // SQL_CONCAT_NULL_BEHAVIOR: NULL
    (23, U16(2)),                 // SQL_CURSOR_COMMIT_BEHAVIOR: preserve
    (24, U16(2)),                 // SQL_CURSOR_ROLLBACK_BEHAVIOR: preserve
    (25, Str("Y")),               // SQL_DATA_SOURCE_READ_ONLY
    (26, U32(0)),                 // SQL_DEFAULT_TXN_ISOLATION: none
    (27, Str("Y")),               // SQL_EXPRESSIONS_IN_ORDERBY
    (28, U16(4)),                 // SQL_IDENTIFIER_CASE: mixed, case-insensitive
    (29, Str("\"")),              // SQL_IDENTIFIER_QUOTE_CHAR
    (30, U16(128)),               // SQL_MAX_COLUMN_NAME_LEN
    (31, U16(128)),               // SQL_MAX_CURSOR_NAME_LEN
    (32, U16(128)),               // SQL_MAX_SCHEMA_NAME_LEN
    (33, U16(128)),               // SQL_MAX_PROCEDURE_NAME_LEN
    (34, U16(128)),               // SQL_MAX_CATALOG_NAME_LEN
    (35, U16(128)),               // SQL_MAX_TABLE_NAME_LEN
    (36, Str("N")),               // SQL_MULT_RESULT_SETS
    (37, Str("Y")),               // SQL_MULTIPLE_ACTIVE_TXN
    (38, Str("Y")),               // SQL_OUTER_JOINS
    (39, Str("schema")),          // SQL_SCHEMA_TERM
    (40, Str("procedure")),       // SQL_PROCEDURE_TERM
    (41, Str(".")),               // SQL_CATALOG_NAME_SEPARATOR
    (42, Str("workspace")),       // SQL_CATALOG_TERM
    (43, U32(1)),                 // SQL_SCROLL_CONCURRENCY: read only
    (44, U32(1)),                 // SQL_SCROLL_OPTIONS: forward only
    (45, Str("table")),           // SQL_TABLE_TERM
    (46, U16(0)),                 // SQL_TXN_CAPABLE: none
    (SQL_USER_NAME, Dynamic),
    (48, U32(2)),                  // SQL_CONVERT_FUNCTIONS: CAST
    (49, U32(0)),                  // SQL_NUMERIC_FUNCTIONS: no {fn} escapes yet
    (50, U32(0)),                  // SQL_STRING_FUNCTIONS: no {fn} escapes yet
    (51, U32(0)),                  // SQL_SYSTEM_FUNCTIONS
    (52, U32(0)),                  // SQL_TIMEDATE_FUNCTIONS (with the escape rewriter)
    (72, U32(0)),                  // SQL_TXN_ISOLATION_OPTION
    (73, Str("N")),                // SQL_INTEGRITY
    (74, U16(2)),                  // SQL_CORRELATION_NAME: any
    (75, U16(1)),                  // SQL_NON_NULLABLE_COLUMNS
    (77, Str("03.80")),            // SQL_DRIVER_ODBC_VER
    (78, U32(0)),                  // SQL_LOCK_TYPES
    (79, U32(0)),                  // SQL_POS_OPERATIONS
    (80, U32(0)),                  // SQL_POSITIONED_STATEMENTS
    (81, U32(1 | 2 | 8)),          // SQL_GETDATA_EXTENSIONS: any column, any order, bound
    (82, U32(0)),                  // SQL_BOOKMARK_PERSISTENCE
    (83, U32(0)),                  // SQL_STATIC_SENSITIVITY
    (84, U16(0)),                  // SQL_FILE_USAGE
    (85, U16(0)),                  // SQL_NULL_COLLATION: high
    (86, U32(0)),                  // SQL_ALTER_TABLE
    (87, Str("Y")),                // SQL_COLUMN_ALIAS
    (88, U16(2)),                  // SQL_GROUP_BY: contains select
    (89, Str("")),                 // SQL_KEYWORDS
    (90, Str("N")),                // SQL_ORDER_BY_COLUMNS_IN_SELECT
    (91, U32(1)),                  // SQL_SCHEMA_USAGE: DML
    (92, U32(1)),                  // SQL_CATALOG_USAGE: DML
    (93, U16(4)),                  // SQL_QUOTED_IDENTIFIER_CASE
    (94, Str("")),                 // SQL_SPECIAL_CHARACTERS
    (95, U32(1 | 2 | 4 | 8 | 16)), // SQL_SUBQUERIES
    (96, U32(1 | 2)),              // SQL_UNION
    (97, U16(0)),
    (98, U16(0)),
    (99, U16(0)),
    (100, U16(0)),
    (101, U16(0)),
    (102, U32(0)),
    (103, Str("Y")), // SQL_MAX_ROW_SIZE_INCLUDES_LONG
    (104, U32(0)),
    (105, U32(0)),
    (106, U16(0)),
    (107, U16(0)),
    (108, U32(0)),
    (109, U32(0)),   // SQL_TIMEDATE_ADD_INTERVALS
    (110, U32(0)),   // SQL_TIMEDATE_DIFF_INTERVALS
    (111, Str("N")), // SQL_NEED_LONG_DATA_LEN
    (112, U32(0)),
    (113, Str("Y")),                          // SQL_LIKE_ESCAPE_CLAUSE
    (114, U16(1)),                            // SQL_CATALOG_LOCATION: start
    (115, U32(1 | 2 | 4 | 8 | 16 | 32 | 64)), // SQL_OJ_CAPABILITIES
    (116, U16(0)),                            // SQL_ACTIVE_ENVIRONMENTS
    (117, U32(0)),                            // SQL_ALTER_DOMAIN
    (118, U32(1)),                            // SQL_SQL_CONFORMANCE: SQL-92 entry
    (119, U32(1 | 2 | 4)),                    // SQL_DATETIME_LITERALS
    (120, U32(0)),                            // SQL_BATCH_ROW_COUNT
    (121, U32(0)),                            // SQL_BATCH_SUPPORT
    (144, U32(0)),                            // SQL_DYNAMIC_CURSOR_ATTRIBUTES1
    (145, U32(0)),
    (146, U32(1)),        // SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1: NEXT
    (147, U32(1 | 0x80)), // ..2: read-only concurrency, MAX_ROWS_SELECT
    (148, U32(0)),        // SQL_INDEX_KEYWORDS
    (149, U32(0)),        // SQL_INFO_SCHEMA_VIEWS
    (150, U32(0)),        // SQL_KEYSET_CURSOR_ATTRIBUTES1
    (151, U32(0)),
    (152, U32(1)), // SQL_ODBC_INTERFACE_CONFORMANCE: core
    (153, U32(2)), // SQL_PARAM_ARRAY_ROW_COUNTS: no batch
    (154, U32(3)), // SQL_PARAM_ARRAY_SELECTS: no select
    (167, U32(0)), // SQL_STATIC_CURSOR_ATTRIBUTES1
    (168, U32(0)),
    (169, U32(0x7F)),     // SQL_AGGREGATE_FUNCTIONS: all
    (170, U32(0)),        // SQL_DDL_INDEX
    (172, U32(0)),        // SQL_INSERT_STATEMENT
    (10000, Str("1995")), // SQL_XOPEN_CLI_YEAR
    (10001, U32(0)),      // SQL_CURSOR_SENSITIVITY: unspecified
    (10002, Str("N")),    // SQL_DESCRIBE_PARAMETER
    (10003, Str("Y")),    // SQL_CATALOG_NAME
    (10004, Str("")),     // SQL_COLLATION_SEQ
    (10005, U16(128)),    // SQL_MAX_IDENTIFIER_LEN
    (10021, U32(0)),      // SQL_ASYNC_MODE: none
    (10022, U32(0)),      // SQL_MAX_ASYNC_CONCURRENT_STATEMENTS
    (10023, U32(0)),      // SQL_ASYNC_DBC_FUNCTIONS
    (10024, U32(0)),      // SQL_DRIVER_AWARE_POOLING_SUPPORTED
    (10025, U32(0)),      // SQL_ASYNC_NOTIFICATION
];

pub fn lookup(info_type: u16) -> Option<Info> {
    INFO.iter().find(|(k, _)| *k == info_type).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn info_types_are_unique() {
        let mut k: Vec<u16> = super::INFO.iter().map(|(k, _)| *k).collect();
        k.sort();
        let n = k.len();
        k.dedup();
        assert_eq!(n, k.len());
    }
}
