//! Every column's JSON path exists in the fake server's payloads: a declaration that reads a
//! field Bitbucket does not send would silently yield NULLs.

use bitbucket_odbc::auth::Credentials;
use bitbucket_odbc::bitbucket::client::{Client, ClientOptions};
use bitbucket_odbc::bitbucket::paginate;
use bitbucket_odbc::tables::arrow_build::lookup;
use bitbucket_odbc::tables::{Scope, TABLES};
use fake_bitbucket::{FakeConfig, FakeServer};
use serde_json::Value;

/// Fields that Bitbucket only fills in special cases (documented on the column).
const RARELY_SENT: &[(&str, &str)] = &[("Users", "Email")];

fn rows_of(client: &Client, path: &str, query: &[(&str, &str)], pagelen: u32) -> Vec<Value> {
    let mut q: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, v.to_string())).collect();
    q.push(("pagelen", pagelen.to_string()));
    let mut next = Some(client.url(path, &q));
    let mut rows = Vec::new();
    while let Some(url) = next {
        let page = bitbucket_odbc::runtime::block_on(paginate::get_page(client, &url)).expect("fake answers");
        rows.extend(page.values);
        next = page.next;
    }
    rows
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
    let mut missing = Vec::new();
    for t in TABLES {
        // Repository tables: the content-rich repositories together exercise every field.
        let paths: Vec<String> = match t.scope {
            Scope::Global => vec![t.list_path.to_string()],
            Scope::Workspace => vec![t.list_path.replace("{workspace}", "acme")],
            Scope::Repository => ["core-api", "web-frontend", "data-pipeline", "core-api-fork", "mobile-app"]
                .iter()
                .map(|r| t.list_path.replace("{workspace}", "acme").replace("{repo}", r))
                .collect(),
        };
        let rows: Vec<Value> = paths.iter().flat_map(|p| rows_of(&client, p, t.query, t.max_pagelen)).collect();
        assert!(!rows.is_empty(), "{} has no rows in the fake", t.name);
        for c in t.columns.iter().filter(|c| !c.path.starts_with('$') && !c.is_detail()) {
            if RARELY_SENT.contains(&(t.name, c.name)) {
                continue;
            }
            let present = rows.iter().any(|r| match c.path.split_once("[].") {
                Some((list, field)) => lookup(r, list)
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|i| lookup(i, field).is_some())),
                None => lookup(r, c.path).is_some(),
            });
            if !present {
                missing.push(format!("{}.{} ({})", t.name, c.name, c.path));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "declared paths never present in the fake's payloads: {missing:?}"
    );
}
