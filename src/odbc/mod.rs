//! ODBC objects and their rules, free of raw pointers except the `ffi::buffers` types.

pub mod catalog_fns;
pub mod catalog_keys;
pub mod catalog_procs;
pub mod conn;
pub mod convert;
pub mod cursor;
pub mod desc;
pub mod desc_fields;
pub mod diag;
pub mod env;
pub mod error;
pub mod fetch;
pub mod functions;
pub mod info;
pub mod params;
pub mod procedures;
pub mod stmt;
pub mod sys_data;
pub mod text_out;
pub mod types;

pub use error::OdbcError;
