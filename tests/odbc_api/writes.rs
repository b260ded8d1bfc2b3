//! INSERT, UPDATE and DELETE through odbc-api: no result set, SQLRowCount with the rows
//! Bitbucket changed, `?` parameters in a prepared write, and the requests sent. Uses its own
//! fake server, so the shared one keeps the data other tests expect.

use crate::common::*;
use fake_bitbucket::{creds, FakeConfig, FakeServer};
use odbc_api::{ConnectionOptions, IntoParameter, ResultSetMetadata};

#[link(name = "odbc")]
extern "C" {
    fn SQLExecDirect(h: *mut std::ffi::c_void, sql: *const u8, len: i32) -> i16;
    fn SQLFreeHandle(t: i16, h: *mut std::ffi::c_void) -> i16;
}

#[test]
fn writes_report_row_counts_and_send_one_request_per_row() {
    let srv = FakeServer::start(FakeConfig::default()).expect("fake starts");
    let ds = srv.dataset();
    let repo = acme_repos(&ds)
        .into_iter()
        .find(|r| r.has_issues)
        .expect("a repository with issues");
    let slug = repo.slug.as_str();
    let last_id = ds.issues(&repo.uuid).iter().map(|i| i.id).max().unwrap_or(0);
    let conn = env()
        .connect_with_connection_string(&conn_string_for(&srv.base_url(), creds::WRITER_TOKEN), ConnectionOptions::default())
        .expect("connect");

    let mut stmt = conn.preallocate().unwrap();
    let sql = format!("INSERT INTO Issues (RepositorySlug, Title) VALUES ('{slug}', 'A'), ('{slug}', 'B')");
    assert!(stmt.execute(&sql, ()).unwrap().is_none(), "an INSERT opens no cursor");
    assert_eq!(stmt.row_count().unwrap(), Some(2));

    let mut p = conn
        .prepare("UPDATE Issues SET Title = ? WHERE RepositorySlug = ? AND Id = ?")
        .unwrap();
    assert_eq!(p.num_params().unwrap(), 3);
    assert_eq!(p.num_result_cols().unwrap(), 0);
    let id = i32::try_from(last_id + 1).unwrap();
    assert!(p.execute((&"A2".into_parameter(), &slug.into_parameter(), &id)).unwrap().is_none());
    assert_eq!(p.row_count().unwrap(), Some(1));

    let mut d = conn.prepare("DELETE FROM Issues WHERE RepositorySlug = ? AND Id = ?").unwrap();
    let gone = id + 1;
    d.execute((&slug.into_parameter(), &gone)).unwrap();
    assert_eq!(d.row_count().unwrap(), Some(1));
    d.execute((&slug.into_parameter(), &gone)).unwrap();
    assert_eq!(d.row_count().unwrap(), Some(0), "a key naming nothing changes 0 rows");

    let after = srv.dataset();
    let titles: Vec<(u64, String)> = after
        .issues(&repo.uuid)
        .iter()
        .filter(|i| i.id > last_id)
        .map(|i| (i.id, i.title.clone()))
        .collect();
    assert_eq!(titles, vec![(last_id + 1, "A2".to_string())]);
    let sent: Vec<(String, String, u16)> = srv
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method, r.path, r.status))
        .collect();
    let base = format!("/2.0/repositories/acme/{slug}/issues");
    assert_eq!(
        sent,
        vec![
            ("POST".into(), base.clone(), 201),
            ("POST".into(), base.clone(), 201),
            ("PUT".into(), format!("{base}/{id}"), 200),
            ("DELETE".into(), format!("{base}/{gone}"), 204),
            ("DELETE".into(), format!("{base}/{gone}"), 404),
        ]
    );
    // ODBC 3: a write that changes nothing returns SQL_NO_DATA (odbc-api hides the code).
    let h = conn.preallocate().unwrap().into_handle().into_sys().0;
    let sql = format!("DELETE FROM Issues WHERE RepositorySlug = '{slug}' AND Id = {gone}");
    assert_eq!(unsafe { SQLExecDirect(h, sql.as_ptr(), sql.len() as i32) }, 100);
    let one = format!("DELETE FROM Issues WHERE RepositorySlug = '{slug}' AND Id = {}", last_id + 1);
    assert_eq!(unsafe { SQLExecDirect(h, one.as_ptr(), one.len() as i32) }, 0);
    let _ = unsafe { SQLFreeHandle(3, h) };
}

#[test]
fn a_read_only_table_is_refused_at_prepare() {
    let conn = connect();
    let Err(e) = conn.prepare("DELETE FROM Pipelines WHERE RepositorySlug = 'x'") else {
        panic!("DELETE on Pipelines must fail");
    };
    let (state, message) = diag(e);
    assert_eq!(state, "HY000", "{message}");
    assert!(message.contains("table Pipelines is read-only"), "{message}");
}
