//! Unit tests' engine: a session like a connection's, whose Bitbucket is unreachable, for
//! statements that read no table.

use super::{Engine, SqlError};
use crate::bitbucket::client::ClientOptions;
use crate::bitbucket::Client;
use crate::tables::provider::ScanContext;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use futures::TryStreamExt;
use std::sync::Arc;

pub fn engine() -> Engine {
    let client = Client::new(ClientOptions {
        base_url: "http://127.0.0.1:9".into(),
        creds: crate::auth::Credentials::None,
        timeout_secs: 1,
        max_retries: 0,
        proxy: None,
    })
    .expect("client");
    let scan = Arc::new(ScanContext {
        client: Arc::new(client),
        max_concurrent: 1,
        page_size: None,
        max_requests: 0,
        permits: tokio::sync::Semaphore::new(1),
        include_deleted: false,
        push_down: true,
        sys: Vec::new(),
    });
    let e = Engine::new(Some("acme".into()), "Information", scan);
    e.set_names("acme", "analyst@example.com");
    e
}

/// Every row of `sql`, each value as Arrow displays it ("NULL" for null).
pub fn query(e: &Engine, sql: &str) -> Result<Vec<Vec<String>>, SqlError> {
    crate::runtime::block_on(async {
        let p = e.prepare(sql, None).await?;
        let stream = e.execute(&p, Vec::new(), Default::default()).await?;
        let batches: Vec<_> = stream.try_collect().await?;
        let opts = FormatOptions::default().with_null("NULL");
        let mut rows = Vec::new();
        for b in batches {
            let f: Vec<ArrayFormatter> = b
                .columns()
                .iter()
                .map(|c| ArrayFormatter::try_new(c.as_ref(), &opts))
                .collect::<Result<_, _>>()
                .map_err(datafusion::error::DataFusionError::from)?;
            for r in 0..b.num_rows() {
                rows.push(f.iter().map(|f| f.value(r).to_string()).collect());
            }
        }
        Ok(rows)
    })
}

/// The one value of a one-row, one-column statement.
pub fn value(e: &Engine, sql: &str) -> Result<String, SqlError> {
    let rows = query(e, sql)?;
    match rows.as_slice() {
        [row] if row.len() == 1 => Ok(row[0].clone()),
        _ => panic!("`{sql}` gave {rows:?}, not one value"),
    }
}
