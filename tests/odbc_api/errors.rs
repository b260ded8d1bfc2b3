//! Failures reach the application as SQLSTATE + `[Bitbucket ODBC]` messages (contract section 7),
//! and a panic inside the driver is contained.

use crate::common::*;
use odbc_api::ConnectionOptions;

const PREFIX: &str = "[Bitbucket ODBC]";

fn assert_error(conn: &Connection<'_>, sql: &str, expected_state: &str) -> String {
    let (state, message) = query_error(conn, sql);
    assert_eq!(state, expected_state, "`{sql}`: {message}");
    assert!(message.starts_with(PREFIX), "`{sql}`: message lacks the prefix: {message}");
    message
}

#[test]
fn syntax_error_is_42000() {
    assert_error(&connect(), "SELEC Slug FROM Repositories", "42000");
}

#[test]
fn unknown_table_is_42s02() {
    let message = assert_error(&connect(), "SELECT * FROM NoSuchTable", "42S02");
    assert!(message.contains("NoSuchTable"), "{message}");
}

#[test]
fn unknown_column_is_42s22() {
    let message = assert_error(&connect(), "SELECT NoSuchColumn FROM Repositories", "42S22");
    assert!(message.contains("NoSuchColumn"), "{message}");
}

fn connect_error(conn_str: &str) -> (String, String) {
    match env().connect_with_connection_string(conn_str, ConnectionOptions::default()) {
        Ok(_) => panic!("connecting with `{conn_str}` was expected to fail"),
        Err(e) => diag(e),
    }
}

#[test]
fn wrong_api_token_is_28000_at_connect() {
    let (state, message) = connect_error(&conn_string_for(&server().base_url(), "bbtoken-wrong-9999"));
    assert_eq!(state, "28000", "{message}");
    assert!(message.starts_with(PREFIX), "{message}");
    assert!(!message.contains("bbtoken-wrong-9999"), "the secret must not be echoed: {message}");
}

#[test]
fn nothing_listening_is_08001() {
    // A port that was free a moment ago: connecting is refused.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let started = std::time::Instant::now();
    let (state, message) = connect_error(&format!(
        "{}MaxRetries=0;",
        conn_string_for(&format!("http://127.0.0.1:{port}/2.0"), TOKEN)
    ));
    assert_eq!(state, "08001", "{message}");
    assert!(message.starts_with(PREFIX), "{message}");
    assert!(message.contains(&port.to_string()), "the message names the URL: {message}");
    assert!(started.elapsed().as_secs() < 30, "a refused connection must fail fast");
}

#[test]
fn panic_in_driver_is_hy000_and_connection_survives() {
    let conn = connect();
    let message = assert_error(&conn, "SELECT __panic__", "HY000");
    assert!(message.contains("internal error"), "{message}");
    // Same connection, new statement: still usable.
    assert_eq!(
        column(query_text(&conn, "SELECT Slug FROM Repositories WHERE Slug = 'core-api'")),
        vec![s("core-api")]
    );
    // And again after a second panic on the same connection.
    assert_error(&conn, "SELECT __panic__", "HY000");
    assert_eq!(query_text(&conn, "SELECT 1 + 1"), vec![vec![s("2")]]);
}
