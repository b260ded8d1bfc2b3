//! Every column's JSON path exists in the fake server's payloads: a declaration that reads a
//! field Bitbucket does not send would silently yield NULLs. Rows are read by the driver's
//! own scan (fan-out, parents, explode), so the check sees what the driver converts.

use bitbucket_odbc::auth::Credentials;
use bitbucket_odbc::bitbucket::client::{Client, ClientOptions};
use bitbucket_odbc::tables::arrow_build::{lookup, plain_paths};
use bitbucket_odbc::tables::provider::{BitbucketTable, ScanContext};
use bitbucket_odbc::tables::{Scope, TABLES};
use datafusion::prelude::{col, lit};
use fake_bitbucket::{FakeConfig, FakeServer};
use serde_json::Value;
use std::sync::Arc;

/// Fields that Bitbucket only fills in special cases (documented on the column).
const RARELY_SENT: &[(&str, &str)] = &[("Users", "Email")];

/// The content-rich repositories together exercise every field.
const REPOS: &[&str] = &[
    "core-api",
    "web-frontend",
    "data-pipeline",
    "core-api-fork",
    "mobile-app",
    "cafe-unicode",
];

fn present(row: &Value, path: &str) -> bool {
    match path.split_once("[].") {
        Some((list, field)) => lookup(row, list)
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|i| lookup(i, field).is_some())),
        None => lookup(row, path).is_some(),
    }
}

#[test]
fn every_declared_path_is_in_the_fake_payloads() {
    let server = FakeServer::start(FakeConfig::default()).expect("fake server starts");
    let client = Client::new(ClientOptions {
        base_url: server.base_url(),
        creds: Credentials::Basic {
            user: "analyst@example.com".into(),
            token: "bbtoken-analyst-0001".into(),
        },
        timeout_secs: 10,
        max_retries: 0,
        proxy: None,
    })
    .expect("client");
    let ctx = Arc::new(ScanContext {
        client: Arc::new(client),
        max_concurrent: 4,
        permits: tokio::sync::Semaphore::new(4),
        include_deleted: true,
        push_down: true,
        page_size: None,
        max_requests: 0,
        sys: Vec::new(),
    });
    let mut missing = Vec::new();
    for t in TABLES {
        let table = BitbucketTable::new(t, Some("acme".into()), None, ctx.clone());
        let filters = match t.scope {
            Scope::Repository => vec![col("RepositorySlug").in_list(REPOS.iter().map(|r| lit(*r)).collect(), false)],
            _ => Vec::new(),
        };
        let scan = table.partition(t.columns.iter().collect(), &filters, None).expect("scan plan");
        let rows = bitbucket_odbc::runtime::block_on(scan.raw_rows()).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert!(!rows.is_empty(), "{} has no rows in the fake", t.name);
        for c in t.columns.iter().filter(|c| !c.path.starts_with('$') && !c.is_detail()) {
            if RARELY_SENT.contains(&(t.name, c.name)) {
                continue;
            }
            for p in plain_paths(c.path) {
                if !rows.iter().any(|r| present(r, p)) {
                    missing.push(format!("{}.{} ({p})", t.name, c.name));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "declared paths never present in the fake's payloads: {missing:?}"
    );
}
