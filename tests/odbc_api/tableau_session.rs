//! A replay of what Tableau's "Other Databases (ODBC)" connector does with a DSN (the project's
//! Tableau notes, 1.2 to 1.6): connect by DSN and by driver, identify the driver and read its
//! capabilities with SQLGetInfo, enumerate with SQLTables/SQLColumns, read a table's columns by
//! prepare-and-describe and by the `WHERE 1=0`/`LIMIT 0`/`TOP 0` probes (none of which may
//! spend an API request), then run Tableau-shaped queries whose results are computed here
//! from the fake's dataset.

use crate::common::*;
use bitbucket_odbc::tables::{ColType, TABLES};
use chrono::{Datelike, Duration, NaiveDateTime, Timelike, Utc};
use fake_bitbucket::{FakeConfig, FakeServer};
use odbc_api::handles::Statement;
use odbc_api::{ConnectionOptions, Cursor, CursorImpl, DataType, Nullability, ResultSetMetadata};
use std::collections::BTreeMap;
use std::ffi::c_void;

#[link(name = "odbc")]
extern "C" {
    fn SQLGetInfoW(dbc: *mut c_void, info_type: u16, value: *mut c_void, len: i16, out_len: *mut i16) -> i16;
    fn SQLGetDiagRecW(
        kind: i16,
        handle: *mut c_void,
        rec: i16,
        state: *mut u16,
        native: *mut i32,
        msg: *mut u16,
        len: i16,
        out_len: *mut i16,
    ) -> i16;
    fn SQLGetTypeInfoW(stmt: *mut c_void, data_type: i16) -> i16;
}

const SQL_HANDLE_DBC: i16 = 2;

/// A string or an integer answer of SQLGetInfoW, or the SQLSTATE of its error.
fn get_info(dbc: *mut c_void, info_type: u16, text: bool) -> Result<(String, u32), String> {
    let mut buf = [0u16; 512];
    let mut len = 0i16;
    let rc = unsafe { SQLGetInfoW(dbc, info_type, buf.as_mut_ptr().cast(), (buf.len() * 2) as i16, &mut len) };
    if rc != 0 {
        let mut state = [0u16; 6];
        let mut msg = [0u16; 512];
        let (mut native, mut mlen) = (0i32, 0i16);
        unsafe {
            SQLGetDiagRecW(
                SQL_HANDLE_DBC,
                dbc,
                1,
                state.as_mut_ptr(),
                &mut native,
                msg.as_mut_ptr(),
                512,
                &mut mlen,
            )
        };
        return Err(String::from_utf16_lossy(&state[..5]));
    }
    if text {
        Ok((String::from_utf16(&buf[..len as usize / 2]).unwrap(), 0))
    } else {
        // Integers land in the first bytes; the rest of the buffer stays zero.
        Ok((String::new(), u32::from(buf[0]) | (u32::from(buf[1]) << 16)))
    }
}

enum Want {
    Text(&'static str),
    Int(u32),
    /// These bits at least.
    Bits(u32),
}
use Want::*;

/// What Tableau reads at connect time (notes 1.2, 1.3) and the other must-have items (5.3),
/// with the answers this driver's behaviour calls for.
const TABLEAU_INFO: &[(u16, &str, Want)] = &[
    (17, "SQL_DBMS_NAME", Text("Bitbucket Cloud")),
    (18, "SQL_DBMS_VER", Text("02.00.0000")),
    (6, "SQL_DRIVER_NAME", Text("libbitbucket_odbc.so")),
    (7, "SQL_DRIVER_VER", Text("00.01.0000")),
    (77, "SQL_DRIVER_ODBC_VER", Text("03.80")),
    (29, "SQL_IDENTIFIER_QUOTE_CHAR", Text("\"")),
    (41, "SQL_CATALOG_NAME_SEPARATOR", Text(".")),
    (42, "SQL_CATALOG_TERM", Text("workspace")),
    (39, "SQL_SCHEMA_TERM", Text("schema")),
    (45, "SQL_TABLE_TERM", Text("table")),
    (87, "SQL_COLUMN_ALIAS", Text("Y")),
    (94, "SQL_SPECIAL_CHARACTERS", Text("")),
    (14, "SQL_SEARCH_PATTERN_ESCAPE", Text("\\")),
    (25, "SQL_DATA_SOURCE_READ_ONLY", Text("Y")),
    (111, "SQL_NEED_LONG_DATA_LEN", Text("N")),
    (10002, "SQL_DESCRIBE_PARAMETER", Text("N")),
    (10003, "SQL_CATALOG_NAME", Text("Y")),
    (23, "SQL_CURSOR_COMMIT_BEHAVIOR", Int(2)),
    (46, "SQL_TXN_CAPABLE", Int(0)),
    (10005, "SQL_MAX_IDENTIFIER_LEN", Int(128)),
    (30, "SQL_MAX_COLUMN_NAME_LEN", Int(128)),
    (32, "SQL_MAX_SCHEMA_NAME_LEN", Int(128)),
    (34, "SQL_MAX_CATALOG_NAME_LEN", Int(128)),
    (35, "SQL_MAX_TABLE_NAME_LEN", Int(128)),
    (114, "SQL_CATALOG_LOCATION", Int(1)),
    (152, "SQL_ODBC_INTERFACE_CONFORMANCE", Int(1)),
    (118, "SQL_SQL_CONFORMANCE", Int(1)),
    // Catalog and schema names qualify tables in SELECT: "acme"."Information"."PullRequests".
    (92, "SQL_CATALOG_USAGE", Int(1)),
    (91, "SQL_SCHEMA_USAGE", Int(1)),
    (169, "SQL_AGGREGATE_FUNCTIONS", Int(0x7F)),
    (49, "SQL_NUMERIC_FUNCTIONS", Int(0xFF_FFFF)),
    (50, "SQL_STRING_FUNCTIONS", Int(0xFF_FFFF)),
    (52, "SQL_TIMEDATE_FUNCTIONS", Int(0x1F_FFFF)),
    (109, "SQL_TIMEDATE_ADD_INTERVALS", Int(0x1FF)),
    (110, "SQL_TIMEDATE_DIFF_INTERVALS", Int(0x1FF)),
    (119, "SQL_DATETIME_LITERALS", Int(0x7)),
    (51, "SQL_SYSTEM_FUNCTIONS", Int(0x7)),
    (165, "SQL_SQL92_VALUE_EXPRESSIONS", Int(0xF)),
    (159, "SQL_SQL92_NUMERIC_VALUE_FUNCTIONS", Int(0x3F)),
    (164, "SQL_SQL92_STRING_FUNCTIONS", Bits(0x2 | 0x4 | 0x8)),
    (155, "SQL_SQL92_DATETIME_FUNCTIONS", Int(0x7)),
    // LEFT, RIGHT, FULL, nested, any order, inner, any comparison.
    (115, "SQL_OJ_CAPABILITIES", Int(0x7F)),
    // CROSS, INNER, LEFT, RIGHT and FULL OUTER at least.
    (161, "SQL_SQL92_RELATIONAL_JOIN_OPERATORS", Bits(0x2 | 0x8 | 0x10 | 0x40 | 0x100)),
    // IS [NOT] NULL, LIKE, IN, BETWEEN, comparison.
    (160, "SQL_SQL92_PREDICATES", Bits(0x2 | 0x4 | 0x200 | 0x400 | 0x800 | 0x1000)),
    (48, "SQL_CONVERT_FUNCTIONS", Int(0x3)),
    // CONVERT(x, SQL_VARCHAR / SQL_WVARCHAR / SQL_BIGINT) from what Tableau converts.
    (53, "SQL_CONVERT_BIGINT", Bits(0x100 | 0x80_0000 | 0x4000 | 0x80)),
    (61, "SQL_CONVERT_INTEGER", Bits(0x100 | 0x80_0000 | 0x4000 | 0x80)),
    (59, "SQL_CONVERT_DOUBLE", Bits(0x100 | 0x80_0000 | 0x4000)),
    (67, "SQL_CONVERT_TIMESTAMP", Bits(0x100 | 0x80_0000 | 0x8000 | 0x2_0000)),
    (57, "SQL_CONVERT_DATE", Bits(0x100 | 0x80_0000 | 0x2_0000)),
    (126, "SQL_CONVERT_WVARCHAR", Bits(0x100 | 0x4000 | 0x8000 | 0x2_0000)),
    (81, "SQL_GETDATA_EXTENSIONS", Bits(0x1 | 0x2)),
    (146, "SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1", Int(0x1)),
    (44, "SQL_SCROLL_OPTIONS", Int(0x1)),
    (180, "SQL_RETURN_ESCAPE_CLAUSE", Int(0)),
];

#[test]
fn connects_by_dsn_and_by_driver_and_identifies_itself() {
    for (how, conn_str, dsn) in [("DSN", format!("DSN={DSN};"), DSN), ("DRIVER", conn_string(), "")] {
        let conn = env()
            .connect_with_connection_string(&conn_str, ConnectionOptions::default())
            .unwrap_or_else(|e| panic!("{how}: {e}"));
        assert_eq!(conn.database_management_system_name().unwrap(), "Bitbucket Cloud", "{how}");
        let n = acme_repos(&dataset()).len();
        assert_eq!(
            query_text(&conn, "SELECT COUNT(*) FROM Repositories"),
            vec![vec![Some(n.to_string())]],
            "{how}"
        );
        let mut handle = conn.into_handle();
        let dbc = handle.as_sys().0;
        let text = |t: u16| get_info(dbc, t, true).unwrap().0;
        assert_eq!(text(2), dsn, "{how}: SQL_DATA_SOURCE_NAME");
        assert_eq!(text(16), "acme", "{how}: SQL_DATABASE_NAME");
        assert_eq!(text(47), USER, "{how}: SQL_USER_NAME");
        assert_eq!(text(13), "127.0.0.1", "{how}: SQL_SERVER_NAME");
        assert!(matches!(handle.disconnect(), odbc_api::handles::SqlResult::Success(())));
    }
}

#[test]
fn capability_probe_answers() {
    let mut handle = connect().into_handle();
    let dbc = handle.as_sys().0;
    let mut wrong = Vec::new();
    for (t, name, want) in TABLEAU_INFO {
        let got = get_info(dbc, *t, matches!(want, Text(_)));
        let ok = match (want, &got) {
            (Text(w), Ok((s, _))) => s.as_str() == *w,
            (Int(w), Ok((_, v))) => v == w,
            (Bits(w), Ok((_, v))) => v & w == *w,
            _ => false,
        };
        if !ok {
            wrong.push(format!("{name} ({t}): {got:?}"));
        }
    }
    // The driver manager answers SQL_ODBC_VER itself.
    assert!(get_info(dbc, 10, true).unwrap().0.starts_with("03."));
    // Info types nobody defined: HY096, not a made-up answer.
    for t in [174u16, 9999, 20000] {
        assert_eq!(get_info(dbc, t, false), Err("HY096".to_string()), "info type {t}");
    }
    assert!(matches!(handle.disconnect(), odbc_api::handles::SqlResult::Success(())));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every row of a cursor as text.
fn rows(mut cursor: impl Cursor) -> Vec<Vec<Option<String>>> {
    let cols = cursor.num_result_cols().unwrap() as u16;
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Some(mut row) = cursor.next_row().unwrap() {
        out.push(
            (1..=cols)
                .map(|c| row.get_text(c, &mut buf).unwrap().then(|| String::from_utf8(buf.clone()).unwrap()))
                .collect(),
        );
    }
    out
}

/// ODBC's type of a contract column type.
fn sql_type(t: ColType) -> i16 {
    match t {
        ColType::Text => -9,
        ColType::Int => 4,
        ColType::BigInt => -5,
        ColType::Bool => -7,
        ColType::Ts => 93,
        ColType::Double => 8,
    }
}

#[test]
fn enumeration_and_type_info_agree() {
    let conn = connect();
    let catalogs: Vec<String> = conn
        .tables("%", "", "", "")
        .unwrap()
        .map(|r| r.unwrap().catalog.as_str().unwrap().unwrap().to_string())
        .collect();
    assert!(catalogs.contains(&"acme".to_string()), "{catalogs:?}");
    let tables: Vec<String> = conn
        .tables("acme", "Information", "Pull%", "TABLE")
        .unwrap()
        .map(|r| r.unwrap().table.as_str().unwrap().unwrap().to_string())
        .collect();
    assert!(tables.contains(&"PullRequests".to_string()), "{tables:?}");

    // SQLGetTypeInfo(SQL_ALL_TYPES): (TYPE_NAME, DATA_TYPE, COLUMN_SIZE).
    let stmt = conn.preallocate().unwrap().into_handle();
    assert_eq!(unsafe { SQLGetTypeInfoW(stmt.as_sys().0, 0) }, 0);
    let type_info: Vec<(String, i16, i64)> = rows(unsafe { CursorImpl::new(stmt) })
        .into_iter()
        .map(|r| {
            (
                r[0].clone().unwrap(),
                r[1].as_ref().unwrap().parse().unwrap(),
                r[2].as_ref().unwrap().parse().unwrap(),
            )
        })
        .collect();

    // SQLColumns as Tableau calls it, then every column's type is one SQLGetTypeInfo lists.
    let def = TABLES.iter().find(|t| t.name == "PullRequests").unwrap();
    let stmt = conn.preallocate().unwrap();
    let cols = rows(stmt.into_columns_cursor("acme", "Information", "PullRequests", "%").unwrap());
    assert_eq!(cols.len(), def.columns.len());
    for (row, c) in cols.iter().zip(def.columns) {
        assert_eq!(row[3].as_deref(), Some(c.name));
        let data_type: i16 = row[4].as_ref().unwrap().parse().unwrap();
        assert_eq!(data_type, sql_type(c.ty), "{}", c.name);
        let name = row[5].clone().unwrap();
        let size: i64 = row[6].as_ref().unwrap().parse().unwrap();
        let listed = type_info.iter().find(|(_, t, _)| *t == data_type);
        let Some((listed_name, _, listed_size)) = listed else {
            panic!("{} ({data_type}) is not in SQLGetTypeInfo", c.name)
        };
        assert_eq!(*listed_name, name, "{}", c.name);
        assert!(size <= *listed_size, "{}: {size} > {listed_size}", c.name);
    }
}

/// A connection to a fresh fake, so the request count is this test's alone.
fn private_connection() -> (FakeServer, Connection<'static>) {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let conn = env()
        .connect_with_connection_string(&conn_string_for(&srv.base_url(), TOKEN), ConnectionOptions::default())
        .unwrap();
    (srv, conn)
}

#[test]
fn prepared_metadata_and_probes_make_no_request() {
    let (srv, conn) = private_connection();
    let before = srv.request_count();
    let def = TABLES.iter().find(|t| t.name == "PullRequests").unwrap();
    let names: Vec<&str> = def.columns.iter().map(|c| c.name).collect();

    // Scenario 1: SELECT * prepared, described, never executed; schema.table and the full name.
    for sql in [
        r#"SELECT * FROM "Information"."PullRequests""#,
        r#"SELECT * FROM "acme"."Information"."PullRequests""#,
    ] {
        let mut p = conn.prepare(sql).unwrap();
        assert_eq!(p.num_result_cols().unwrap() as usize, def.columns.len());
        for (i, c) in def.columns.iter().enumerate() {
            let n = i as u16 + 1;
            assert_eq!(p.col_name(n).unwrap(), c.name);
            let t = p.col_data_type(n).unwrap();
            let ok = match c.ty {
                ColType::Text => matches!(t, DataType::WVarchar { .. }),
                ColType::Int => t == DataType::Integer,
                ColType::BigInt => t == DataType::BigInt,
                ColType::Bool => t == DataType::Bit,
                ColType::Ts => matches!(t, DataType::Timestamp { precision: 6 }),
                ColType::Double => t == DataType::Double,
            };
            assert!(ok, "{}: {t:?}", c.name);
            // Tableau sizes its buffers by these.
            assert!(p.col_display_size(n).unwrap().is_some(), "{}", c.name);
            assert!(p.col_octet_length(n).unwrap().is_some(), "{}", c.name);
            // NOT NULL only where the contract says so (keys); nullable otherwise.
            let want = if c.not_null { Nullability::NoNulls } else { Nullability::Nullable };
            assert_eq!(p.col_nullability(n).unwrap(), want, "{}", c.name);
        }
    }

    // Scenarios 2 and 3 and the Custom SQL probes, executed: columns, no rows.
    let custom = r#"SELECT "RepositorySlug", "Id", "State" FROM "PullRequests""#;
    let probes: Vec<(String, Vec<&str>)> = vec![
        (r#"SELECT * FROM "Information"."PullRequests" WHERE 1=0"#.into(), names.clone()),
        (
            r#"SELECT * FROM "Information"."PullRequests" "PullRequests" WHERE (0 = 1)"#.into(),
            names.clone(),
        ),
        (r#"SELECT * FROM "Information"."PullRequests" LIMIT 0"#.into(), names.clone()),
        (r#"SELECT TOP 0 * FROM "Information"."PullRequests""#.into(), names.clone()),
        (
            format!(r#"SELECT * FROM ({custom}) "Custom SQL Query" WHERE (0 = 1)"#),
            vec!["RepositorySlug", "Id", "State"],
        ),
        (
            format!(r#"SELECT * FROM ({custom}) "TableauSQL" WHERE (1 = 0)"#),
            vec!["RepositorySlug", "Id", "State"],
        ),
        (
            format!("SELECT * FROM ({custom}) AS `custom_sql_query` LIMIT 0"),
            vec!["RepositorySlug", "Id", "State"],
        ),
    ];
    for (sql, want) in &probes {
        let mut cursor = conn.execute(sql, (), None).unwrap().expect("a result set");
        let got: Vec<String> = (1..=cursor.num_result_cols().unwrap() as u16)
            .map(|c| cursor.col_name(c).unwrap())
            .collect();
        assert_eq!(got, *want, "{sql}");
        assert!(cursor.next_row().unwrap().is_none(), "{sql} returned a row");
    }
    // The connection check, prepared then executed.
    let mut one = conn.prepare("SELECT 1").unwrap();
    let cursor = one.execute(()).unwrap().expect("a result set");
    assert_eq!(rows(cursor), vec![vec![Some("1".to_string())]]);

    assert_eq!(srv.request_count(), before, "{:#?}", srv.requests());
}

/// One acme pull request, as the fake holds it.
struct Pr {
    slug: String,
    state: String,
    draft: bool,
    author: String,
    comments: u64,
    tasks: u64,
    created: NaiveDateTime,
}

fn pull_requests() -> Vec<Pr> {
    let ds = dataset();
    let mut v = Vec::new();
    for r in acme_repos(&ds) {
        for p in ds.pull_requests(&r.uuid) {
            v.push(Pr {
                slug: r.slug.clone(),
                state: p.state.as_str().to_string(),
                draft: p.draft,
                author: p.author_uuid.clone(),
                comments: p.comment_count,
                tasks: p.task_count,
                created: p.created_on.with_timezone(&Utc).naive_utc(),
            });
        }
    }
    assert!(v.len() > 20, "the fake has pull requests");
    v
}

/// `SQLGetData(SQL_C_CHAR)`'s text of a timestamp, which CONVERT(x, SQL_VARCHAR) also gives.
fn ts_text(t: NaiveDateTime) -> String {
    if t.nanosecond() == 0 {
        t.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
    }
}

fn grouped<K: Ord, V: Default + std::ops::AddAssign>(items: impl Iterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    for (k, v) in items {
        *m.entry(k).or_default() += v;
    }
    m
}

fn row(cells: &[&dyn ToString]) -> Vec<Option<String>> {
    cells.iter().map(|c| Some(c.to_string())).collect()
}

fn names(conn: &Connection<'_>, sql: &str) -> Vec<String> {
    let mut p = conn.prepare(sql).unwrap();
    (1..=p.num_result_cols().unwrap() as u16).map(|c| p.col_name(c).unwrap()).collect()
}

#[test]
fn convert_to_varchar_aggregates_and_canonical_timestamps() {
    let conn = connect();
    let prs: Vec<Pr> = pull_requests().into_iter().filter(|p| p.slug == "core-api").collect();
    assert!(prs.len() > 3);
    let per_day = grouped(prs.iter().map(|p| (p.created.date().format("%Y-%m-%d").to_string(), p.comments)));
    let sql = r#"SELECT {fn CONVERT(CAST("PullRequests"."CreatedOn" AS DATE), SQL_VARCHAR)} AS "Day of CreatedOn",
  SUM({fn CONVERT("PullRequests"."CommentCount", SQL_BIGINT)}) AS "sum:CommentCount:ok"
FROM "Information"."PullRequests" "PullRequests"
WHERE ("PullRequests"."RepositorySlug" = 'core-api')
GROUP BY 1
ORDER BY 1"#;
    let want: Vec<_> = per_day.iter().map(|(d, n)| row(&[d, n])).collect();
    assert_eq!(query_text(&conn, sql), want);
    assert_eq!(names(&conn, sql), ["Day of CreatedOn", "sum:CommentCount:ok"]);

    // A timestamp converts to ODBC's canonical text, the same SQLGetData gives.
    let mut want: Vec<Vec<Option<String>>> = prs
        .iter()
        .map(|p| vec![Some(ts_text(p.created)), Some(ts_text(p.created))])
        .collect();
    want.sort();
    let sql = r#"SELECT {fn CONVERT("PullRequests"."CreatedOn", SQL_VARCHAR)} AS "str", "PullRequests"."CreatedOn" AS "ts"
FROM "PullRequests" "PullRequests" WHERE ("PullRequests"."RepositorySlug" = 'core-api') ORDER BY 2"#;
    assert_eq!(query_text(&conn, sql), want);
}

#[test]
fn relative_date_filter_with_timestampadd() {
    let conn = connect();
    let prs = pull_requests();
    let anchor = prs.iter().map(|p| p.created).max().unwrap();
    let from = anchor - Duration::days(30);
    let inside: Vec<&Pr> = prs.iter().filter(|p| p.created >= from && p.created <= anchor).collect();
    assert!(!inside.is_empty() && inside.len() < prs.len(), "the window splits the data");
    let authors: std::collections::BTreeSet<&str> = inside.iter().map(|p| p.author.as_str()).collect();
    let sql = format!(
        r#"SELECT COUNT(1) AS "cnt:Number of Records:ok", SUM("PullRequests"."TaskCount") AS "sum:TaskCount:ok",
  COUNT(DISTINCT "PullRequests"."AuthorUuid") AS "ctd:AuthorUuid:ok"
FROM "PullRequests" "PullRequests"
WHERE (("PullRequests"."CreatedOn" >= {{fn TIMESTAMPADD(SQL_TSI_DAY,-30,{{ts '{a}'}})}}) AND ("PullRequests"."CreatedOn" <= {{ts '{a}'}}))
HAVING (COUNT(1) > 0)"#,
        a = anchor.format("%Y-%m-%d %H:%M:%S%.6f")
    );
    let tasks: u64 = inside.iter().map(|p| p.tasks).sum();
    assert_eq!(query_text(&conn, &sql), vec![row(&[&inside.len(), &tasks, &authors.len()])]);
}

#[test]
fn year_and_quarter_grouping_and_distinct() {
    let conn = connect();
    let prs = pull_requests();
    let per = grouped(prs.iter().map(|p| ((p.created.year(), p.created.month0() / 3 + 1), 1usize)));
    let want: Vec<_> = per.iter().map(|((y, q), n)| row(&[y, q, n])).collect();
    let sql = r#"SELECT {fn YEAR("PullRequests"."CreatedOn")} AS "yr:CreatedOn:ok", {fn QUARTER("PullRequests"."CreatedOn")} AS "qr:CreatedOn:ok",
  COUNT(1) AS "cnt:Number of Records:ok"
FROM "Information"."PullRequests" "PullRequests"
GROUP BY 1, 2
ORDER BY 1, 2"#;
    assert_eq!(query_text(&conn, sql), want);
    assert_eq!(
        names(&conn, sql),
        ["yr:CreatedOn:ok", "qr:CreatedOn:ok", "cnt:Number of Records:ok"]
    );

    let states: std::collections::BTreeSet<&str> = prs.iter().map(|p| p.state.as_str()).collect();
    let sql = r#"SELECT DISTINCT "PullRequests"."State" AS "none:State:nk" FROM "PullRequests" "PullRequests" ORDER BY 1"#;
    assert_eq!(
        column(query_text(&conn, sql)),
        states.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>()
    );
}

#[test]
fn top_n_join_with_case_and_group_by_alias() {
    let conn = connect();
    let prs = pull_requests();
    let per_repo = grouped(prs.iter().map(|p| (p.slug.clone(), 1usize)));
    let mut ranked: Vec<(usize, &String)> = per_repo.iter().map(|(s, n)| (*n, s)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0));
    // The smallest top N whose cut falls between two different counts: no tie decides it.
    let n = (2..ranked.len())
        .find(|&n| ranked[n - 1].0 != ranked[n].0)
        .expect("counts differ somewhere");
    let top: std::collections::BTreeSet<&String> = ranked[..n].iter().map(|r| r.1).collect();
    let comments = grouped(prs.iter().filter(|p| top.contains(&p.slug)).map(|p| (p.slug.clone(), p.comments)));
    let want: Vec<_> = comments.iter().map(|(s, c)| row(&[s, c])).collect();
    let sql = format!(
        r#"SELECT "PullRequests"."RepositorySlug" AS "RepositorySlug", SUM("PullRequests"."CommentCount") AS "sum:CommentCount:ok"
FROM "Information"."PullRequests" "PullRequests"
  INNER JOIN (SELECT "PullRequests"."RepositorySlug" AS "RepositorySlug", COUNT(1) AS "$__alias__0"
  FROM "Information"."PullRequests" "PullRequests"
  GROUP BY 1
  ORDER BY 2 DESC
  LIMIT {n}) "t0" ON ("PullRequests"."RepositorySlug" = "t0"."RepositorySlug")
GROUP BY 1
ORDER BY 1"#
    );
    assert_eq!(query_text(&conn, &sql), want);

    // A group made with CASE, grouped by its alias; a boolean counted as Tableau does.
    let bucket = |s: &str| match s {
        "OPEN" => "Open",
        "MERGED" | "DECLINED" => "Closed",
        _ => "Other",
    };
    let count = grouped(prs.iter().map(|p| (bucket(&p.state), 1usize)));
    let drafts = grouped(prs.iter().map(|p| (bucket(&p.state), usize::from(p.draft))));
    let want: Vec<_> = count.iter().map(|(k, n)| row(&[k, n, &drafts[k]])).collect();
    let sql = r#"SELECT (CASE WHEN ("PullRequests"."State" = 'OPEN') THEN 'Open' WHEN ("PullRequests"."State" IN ('MERGED', 'DECLINED')) THEN 'Closed' ELSE 'Other' END) AS "State (group)",
  COUNT(1) AS "cnt", SUM((CASE WHEN "PullRequests"."Draft" THEN 1 WHEN NOT "PullRequests"."Draft" THEN 0 ELSE NULL END)) AS "sum:Draft:ok"
FROM "PullRequests" "PullRequests"
GROUP BY "State (group)"
ORDER BY 1"#;
    assert_eq!(query_text(&conn, sql), want);
    assert_eq!(names(&conn, sql), ["State (group)", "cnt", "sum:Draft:ok"]);
}

#[test]
fn constant_group_having_without_group_by_and_literals() {
    let conn = connect();
    let prs = pull_requests();
    let first = prs.iter().map(|p| p.created).min().unwrap();
    let last = prs.iter().map(|p| p.created).max().unwrap();
    // GROUP BY a float constant: one group.
    let sql = r#"SELECT MIN("PullRequests"."CreatedOn") AS "x_measure__0", MAX("PullRequests"."CreatedOn") AS "x_measure__1"
FROM "PullRequests" "PullRequests" GROUP BY 1.1000000000000001"#;
    assert_eq!(query_text(&conn, sql), vec![row(&[&ts_text(first), &ts_text(last)])]);

    // HAVING without GROUP BY over a Custom SQL derived table.
    let total: u64 = prs.iter().map(|p| p.comments).sum();
    let sql = r#"SELECT SUM("Custom SQL Query"."CommentCount") AS "sum:CommentCount:ok"
FROM (SELECT RepositorySlug, CommentCount FROM PullRequests) "Custom SQL Query"
HAVING (COUNT(1) > 0)"#;
    assert_eq!(query_text(&conn, sql), vec![row(&[&total])]);
    let empty = r#"SELECT SUM("Custom SQL Query"."CommentCount") AS "s" FROM (SELECT CommentCount FROM PullRequests WHERE (1 = 0)) "Custom SQL Query" HAVING (COUNT(1) > 0)"#;
    assert!(query_text(&conn, empty).is_empty());

    // {d} and {ts} literals around the middle of the data.
    let mid = first + (last - first) / 2;
    let day = mid.date();
    let until = mid + Duration::days(20);
    let n = prs.iter().filter(|p| p.created.date() >= day && p.created < until).count();
    let sql = format!(
        r#"SELECT COUNT(1) AS "n" FROM "PullRequests" "PullRequests"
WHERE ((CAST("PullRequests"."CreatedOn" AS DATE) >= {{d '{d}'}}) AND ("PullRequests"."CreatedOn" < {{ts '{t}'}}))"#,
        d = day.format("%Y-%m-%d"),
        t = until.format("%Y-%m-%d %H:%M:%S%.6f")
    );
    assert_eq!(query_text(&conn, &sql), vec![row(&[&n])]);
}

#[test]
fn null_safe_join_to_a_level_of_detail_subquery() {
    let conn = connect();
    let ds = dataset();
    let repos = acme_repos(&ds);
    let key = |r: &fake_bitbucket::data::Repository| (r.parent_uuid.is_some(), r.is_private);
    let per = grouped(repos.iter().map(|r| (key(r), r.size)));
    let want: Vec<_> = repos.iter().map(|r| row(&[&r.slug, &per[&key(r)]])).collect();
    let sql = r#"SELECT "Repositories"."Slug" AS "Slug", "t0"."x_measure__0" AS "Calculation_845269395859349504"
FROM "Repositories" "Repositories"
  INNER JOIN (
  SELECT "Repositories"."ParentFullName" IS NULL AS "not_fork", "Repositories"."IsPrivate" AS "IsPrivate", SUM("Repositories"."Size") AS "x_measure__0"
  FROM "Repositories" "Repositories"
  GROUP BY 1, 2
) "t0" ON ((("Repositories"."ParentFullName" IS NULL) IS NOT DISTINCT FROM "t0"."not_fork") AND ("Repositories"."IsPrivate" IS NOT DISTINCT FROM "t0"."IsPrivate"))
ORDER BY 1"#;
    assert_eq!(query_text(&conn, sql), want);
}
