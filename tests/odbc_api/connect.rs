//! SQLDriverConnect (connection string, DSN) and SQLConnect through the driver manager.

use crate::common::*;
use odbc_api::ConnectionOptions;

/// Repository count of acme as the connection sees it: proves the session really works.
fn repo_count(conn: &Connection<'_>) -> String {
    query_text(conn, "SELECT COUNT(*) FROM Repositories")[0][0]
        .clone()
        .expect("COUNT(*) is not NULL")
}

#[test]
fn connect_by_connection_string() {
    let conn = connect();
    assert_eq!(repo_count(&conn), acme_repos(&dataset()).len().to_string());
    // SQL_ATTR_CURRENT_CATALOG is the Workspace property.
    assert_eq!(conn.current_catalog().unwrap(), "acme");
}

#[test]
fn connect_by_dsn() {
    let conn = env()
        .connect_with_connection_string(&format!("DSN={DSN}"), ConnectionOptions::default())
        .unwrap_or_else(|e| panic!("DSN connect failed: {e}"));
    assert_eq!(repo_count(&conn), acme_repos(&dataset()).len().to_string());
}

#[test]
fn connection_string_overrides_dsn() {
    // The DSN says Workspace=acme; the connection string wins (contract section 2).
    let conn = env()
        .connect_with_connection_string(&format!("DSN={DSN};Workspace=globex"), ConnectionOptions::default())
        .unwrap_or_else(|e| panic!("DSN connect failed: {e}"));
    let ds = dataset();
    let globex = ds.find_workspace("globex").unwrap();
    let mut expected: Vec<Option<String>> = ds.projects_in(&globex.uuid).map(|p| s(&p.key)).collect();
    expected.sort();
    assert_eq!(column(query_text(&conn, "SELECT Key FROM Projects ORDER BY Key")), expected);
}

#[test]
fn sqlconnect_with_credentials_from_dsn() {
    let conn = env()
        .connect(DSN, "", "", ConnectionOptions::default())
        .unwrap_or_else(|e| panic!("SQLConnect failed: {e}"));
    assert_eq!(repo_count(&conn), acme_repos(&dataset()).len().to_string());
}

#[test]
fn sqlconnect_with_credentials_as_arguments() {
    // This DSN has no User/Password: they can only come from SQLConnect's arguments.
    let conn = env()
        .connect(DSN_NO_CREDS, USER, TOKEN, ConnectionOptions::default())
        .unwrap_or_else(|e| panic!("SQLConnect failed: {e}"));
    assert_eq!(repo_count(&conn), acme_repos(&dataset()).len().to_string());

    let Err(err) = env().connect(DSN_NO_CREDS, USER, "bbtoken-wrong-9999", ConnectionOptions::default()) else {
        panic!("a wrong token must not connect");
    };
    let (state, message) = diag(err);
    assert_eq!(state, "28000", "{message}");
}
