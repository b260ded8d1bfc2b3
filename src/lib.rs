//! Bitbucket Cloud ODBC driver: the C ABI in `ffi`, ODBC semantics in `odbc`, SQL through
//! DataFusion in `sql`, Bitbucket tables in `tables`, HTTP in `bitbucket`.

pub mod auth;
pub mod bitbucket;
pub mod config;
pub mod ffi;
pub mod logging;
pub mod odbc;
pub mod runtime;
pub mod sql;
pub mod tables;
