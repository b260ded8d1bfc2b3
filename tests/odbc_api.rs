//! The driver through the unixODBC driver manager with the `odbc-api` crate, as Rust
//! applications use it, against an in-process fake Bitbucket.
//!
//! Needs `cargo build --release --features test-hooks` first (the tests load
//! target/release/libbitbucket_odbc.so; `test-hooks` enables the `SELECT __panic__` trigger).

mod common;

#[path = "odbc_api/block.rs"]
mod block;
#[path = "odbc_api/catalog.rs"]
mod catalog;
#[path = "odbc_api/child_tables.rs"]
mod child_tables;
#[path = "odbc_api/connect.rs"]
mod connect;
#[path = "odbc_api/errors.rs"]
mod errors;
#[path = "odbc_api/escapes.rs"]
mod escapes;
#[path = "odbc_api/fetch.rs"]
mod fetch;
#[path = "odbc_api/params.rs"]
mod params;
#[path = "odbc_api/pushdown.rs"]
mod pushdown;
#[path = "odbc_api/repo_tables.rs"]
mod repo_tables;
#[path = "odbc_api/requests.rs"]
mod requests;
#[path = "odbc_api/sql.rs"]
mod sql;
#[path = "odbc_api/tableau_session.rs"]
mod tableau_session;
#[path = "odbc_api/writes.rs"]
mod writes;
