//! HTTP request accounting: a scan makes exactly the requests its pagination needs. Each test
//! owns its fake server so parallel tests cannot disturb the counts.

use crate::common::*;
use fake_bitbucket::{FakeConfig, FakeServer};
use odbc_api::ConnectionOptions;

/// Runs `sql` to the end on a fresh server; returns (rows, API requests the query made).
fn requests_for(extra: &str, sql: &str) -> (usize, Vec<String>) {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let conn = env()
        .connect_with_connection_string(
            &format!("{}{extra}", conn_string_for(&srv.base_url(), TOKEN)),
            ConnectionOptions::default(),
        )
        .unwrap();
    let before = srv.request_count();
    let rows = query_text(&conn, sql).len();
    let urls: Vec<String> = srv.requests().into_iter().skip(before).map(|r| r.url).collect();
    assert_eq!(srv.request_count() - before, urls.len());
    (rows, urls)
}

#[test]
fn one_page_at_the_maximum_pagelen() {
    let n = acme_repos(&dataset()).len();
    let (rows, urls) = requests_for("", "SELECT * FROM Repositories");
    assert_eq!(rows, n);
    // 12 repositories fit one page of 100.
    assert_eq!(urls.len(), n.div_ceil(100), "{urls:#?}");
    assert!(urls.iter().all(|u| u.starts_with("/2.0/repositories/acme")), "{urls:#?}");
    assert!(urls[0].contains("pagelen=100"), "{urls:#?}");
}

#[test]
fn one_request_per_page_with_a_small_page_size() {
    let n = acme_repos(&dataset()).len();
    let (rows, urls) = requests_for("PageSize=5;", "SELECT Slug FROM Repositories");
    assert_eq!(rows, n);
    // 5 + 5 + 2: three pages, no request past the last one.
    assert_eq!(urls.len(), n.div_ceil(5), "{urls:#?}");
}

#[test]
fn prepare_and_describe_make_no_request() {
    // The result's columns are known from the table declarations: SQLPrepare, SQLNumResultCols
    // and SQLDescribeCol must not spend any of the hourly API budget.
    use odbc_api::ResultSetMetadata;
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let conn = env()
        .connect_with_connection_string(&conn_string_for(&srv.base_url(), TOKEN), ConnectionOptions::default())
        .unwrap();
    let before = srv.request_count();
    let mut prepared = conn.prepare("SELECT Slug, Size FROM Repositories WHERE IsPrivate = true").unwrap();
    assert_eq!(prepared.num_result_cols().unwrap(), 2);
    assert_eq!(prepared.col_name(2).unwrap(), "Size");
    assert_eq!(srv.request_count(), before, "{:#?}", srv.requests());
    // Executing it then reads the one page.
    let mut cursor = prepared.execute(()).unwrap().expect("a result set");
    while odbc_api::Cursor::next_row(&mut cursor).unwrap().is_some() {}
    drop(cursor);
    assert_eq!(srv.request_count() - before, 1);
}
