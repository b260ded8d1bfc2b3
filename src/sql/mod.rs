//! Statement text to results: parse with DataFusion's sqlparser, canonicalise identifiers,
//! plan and execute with DataFusion over the Bitbucket catalogs.

pub mod call;
pub mod canon;
pub mod catalog;
#[cfg(test)]
mod corpus_tests;
pub mod dml;
pub mod engine;
pub mod error;
pub mod escapes;
mod odbc_datetime;
pub mod odbc_functions;
mod odbc_text;
pub mod params;
pub mod sys_live;
#[cfg(test)]
pub mod test_support;
pub mod top;

pub use engine::{Engine, Prepared};
pub use error::SqlError;
