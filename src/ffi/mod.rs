//! The C ABI: export stubs (one line of work each) over one boundary function, plus the
//! handle registry and the C-buffer readers/writers.

pub mod boundary;
pub mod buffers;
pub mod handles;
pub mod odbcinst;
pub mod text;

mod exports_catalog;
mod exports_conn;
mod exports_desc;
mod exports_diag;
mod exports_handles;
mod exports_stmt;
mod out;
