//! `fake-bitbucket`: a faithful fake of the Bitbucket Cloud REST API 2.0 for the ODBC driver's
//! tests, demo and benchmark. It reproduces the ways the real service fails clients
//! (see `/work/shared/reference/bitbucket-api.md`, section 8).
//!
//! ```no_run
//! use fake_bitbucket::{creds, FakeConfig, FakeServer};
//! let srv = FakeServer::start(FakeConfig::default()).unwrap();
//! let url = format!("{}/repositories/acme", srv.base_url());
//! let auth = creds::analyst(); // "Basic ..." for analyst@example.com
//! # let _ = (url, auth);
//! ```

pub mod auth;
pub mod bbql;
pub mod cache;
pub mod collection;
pub mod config;
pub mod control;
pub mod creds;
pub mod cursor;
pub mod data;
pub mod errors;
pub mod fields;
pub mod log;
pub mod oauth;
pub mod paginate;
pub mod query;
pub mod ratelimit;
pub mod render;
pub mod routes;
pub mod server;
pub mod shape;
pub mod sort;

pub use config::{DropAt, DropNext, DropPath, FailNext, FailPath, FakeConfig, Faults, Limit, PageLimits, PrStateWithQ, Switches};
pub use data::{generate, Dataset, Scale};
pub use log::LoggedRequest;
pub use oauth::{Consent, OAuthCounters, OAuthServer, OAuthSettings};
pub use server::FakeServer;
