//! Shared set-up of the odbc-api tests: one fake Bitbucket server, a private odbcinst.ini and
//! odbc.ini, and one ODBC environment per test process; the driver is loaded through the
//! unixODBC driver manager exactly as applications load it.

#![allow(dead_code)]

use fake_bitbucket::data::Repository;
use fake_bitbucket::{Dataset, FakeConfig, FakeServer};
use odbc_api::{ConnectionOptions, Cursor, Environment, ResultSetMetadata};
use std::path::PathBuf;
use std::sync::OnceLock;
use tempfile::TempDir;

pub use odbc_api::Connection;

pub const USER: &str = "analyst@example.com";
pub const TOKEN: &str = "bbtoken-analyst-0001";
pub const DRIVER: &str = "Bitbucket ODBC Driver";
pub const DSN: &str = "Bitbucket";
/// A DSN without credentials: SQLConnect must supply them.
pub const DSN_NO_CREDS: &str = "BitbucketNoCreds";

pub struct Fixture {
    pub server: FakeServer,
    /// Keeps the ini files alive for the whole process.
    _dir: TempDir,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();
static ENV: OnceLock<Environment> = OnceLock::new();

/// The release build of the driver, which the tests load like a user would.
pub fn driver_library() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/libbitbucket_odbc.so");
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --release --features test-hooks` first",
        path.display()
    );
    path
}

/// Starts the shared fake server and points unixODBC at private ini files. The environment
/// variables are set here, before any ODBC call of this process.
pub fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        let server = FakeServer::start(FakeConfig::default()).expect("fake Bitbucket server starts");
        let dir = tempfile::tempdir().expect("temporary directory");
        let driver = driver_library();
        std::fs::write(
            dir.path().join("odbcinst.ini"),
            format!("[{DRIVER}]\nDescription=Bitbucket Cloud\nDriver={}\n", driver.display()),
        )
        .expect("odbcinst.ini written");
        let base = server.base_url();
        let odbc_ini = format!(
            "[{DSN}]\nDriver={DRIVER}\nWorkspace=acme\nBaseURL={base}\nUser={USER}\nPassword={TOKEN}\n\n\
             [{DSN_NO_CREDS}]\nDriver={DRIVER}\nWorkspace=acme\nBaseURL={base}\n"
        );
        std::fs::write(dir.path().join("odbc.ini"), odbc_ini).expect("odbc.ini written");
        // ODBCSYSINI: directory of odbcinst.ini (and the system odbc.ini); ODBCINI: user DSNs.
        std::env::set_var("ODBCSYSINI", dir.path());
        std::env::set_var("ODBCINSTINI", "odbcinst.ini");
        std::env::set_var("ODBCINI", dir.path().join("odbc.ini"));
        Fixture { server, _dir: dir }
    })
}

/// The process's one ODBC environment (ODBC 3.80), created after `fixture()` set the ini paths.
pub fn env() -> &'static Environment {
    fixture();
    ENV.get_or_init(|| Environment::new().expect("ODBC environment (is unixODBC installed?)"))
}

pub fn server() -> &'static FakeServer {
    &fixture().server
}

pub fn dataset() -> std::sync::Arc<Dataset> {
    server().dataset()
}

/// A DSN-less connection string for `base_url` with the given API token.
pub fn conn_string_for(base_url: &str, token: &str) -> String {
    format!("Driver={{{DRIVER}}};Workspace=acme;BaseURL={base_url};User={USER};Password={token};")
}

pub fn conn_string() -> String {
    conn_string_for(&server().base_url(), TOKEN)
}

/// A connection to the shared fake by connection string.
pub fn connect() -> Connection<'static> {
    env()
        .connect_with_connection_string(&conn_string(), ConnectionOptions::default())
        .unwrap_or_else(|e| panic!("connect failed: {e}"))
}

/// SQLSTATE and message of an odbc-api error that carries a diagnostic record.
pub fn diag(err: odbc_api::Error) -> (String, String) {
    match err {
        odbc_api::Error::Diagnostics { record, .. } => (
            record.state.as_str().to_string(),
            String::from_utf8_lossy(&record.message).into_owned(),
        ),
        other => panic!("expected an error with a diagnostic record, got: {other:?}"),
    }
}

/// Runs `sql` and expects it to fail; returns (SQLSTATE, message).
pub fn query_error(conn: &Connection<'_>, sql: &str) -> (String, String) {
    match conn.execute(sql, (), None) {
        Ok(_) => panic!("`{sql}` was expected to fail"),
        Err(e) => diag(e),
    }
}

/// Every row of `sql`, each cell read by `cell` (None for NULL).
fn query_with(
    conn: &Connection<'_>,
    sql: &str,
    mut cell: impl FnMut(&mut odbc_api::CursorRow<'_>, u16) -> Option<String>,
) -> Vec<Vec<Option<String>>> {
    let mut cursor = conn
        .execute(sql, (), None)
        .unwrap_or_else(|e| panic!("`{sql}` failed: {e}"))
        .expect("a result set");
    let cols = cursor.num_result_cols().expect("SQLNumResultCols") as u16;
    let mut rows = Vec::new();
    while let Some(mut row) = cursor.next_row().expect("SQLFetch") {
        rows.push((1..=cols).map(|c| cell(&mut row, c)).collect());
    }
    rows
}

/// Every row of `sql` as text (SQLGetData with SQL_C_CHAR); None for NULL.
pub fn query_text(conn: &Connection<'_>, sql: &str) -> Vec<Vec<Option<String>>> {
    let mut buf = Vec::new();
    query_with(conn, sql, |row, c| {
        let not_null = row.get_text(c, &mut buf).expect("SQLGetData(SQL_C_CHAR)");
        not_null.then(|| String::from_utf8(buf.clone()).expect("the driver sends UTF-8"))
    })
}

/// Every row of `sql` as text through the wide path (SQLGetData with SQL_C_WCHAR).
pub fn query_wide(conn: &Connection<'_>, sql: &str) -> Vec<Vec<Option<String>>> {
    let mut buf = Vec::new();
    query_with(conn, sql, |row, c| {
        let not_null = row.get_wide_text(c, &mut buf).expect("SQLGetData(SQL_C_WCHAR)");
        not_null.then(|| String::from_utf16(&buf).expect("the driver sends valid UTF-16"))
    })
}

/// One-column results flattened, NULL as None.
pub fn column(rows: Vec<Vec<Option<String>>>) -> Vec<Option<String>> {
    rows.into_iter().map(|mut r| r.remove(0)).collect()
}

/// The acme repositories of the fake, sorted by slug (what `ORDER BY Slug` returns).
pub fn acme_repos(ds: &Dataset) -> Vec<Repository> {
    workspace_repos(ds, "acme")
}

pub fn workspace_repos(ds: &Dataset, slug: &str) -> Vec<Repository> {
    let ws = ds.find_workspace(slug).expect("workspace in the fake");
    let mut v: Vec<Repository> = ds.repositories_in(&ws.uuid).cloned().collect();
    v.sort_by(|a, b| a.slug.cmp(&b.slug));
    v
}

pub fn project_key(ds: &Dataset, r: &Repository) -> String {
    ds.project_by_uuid(&r.project_uuid).expect("project of the repository").key.clone()
}

pub fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}
