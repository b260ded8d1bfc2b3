//! The requests of one scan: a single list, one repository's list, or a fan-out over the
//! workspace's repositories (concurrent, bounded, within the query's request budget).

use super::arrow_build;
use super::defs::{ColumnDef, TableDef, REPO_PATH};
use super::provider::{encode_segment, ScanContext, TableError};
use crate::bitbucket::{paginate, ApiError};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::DataFusionError;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use futures::stream::{self, BoxStream};
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum RepoChoice {
    /// Not a repository-scoped table.
    None,
    /// A repository schema: that repository only; a 404 is an error.
    One(String),
    /// The Information schema: every repository of the workspace; a 404 is "no rows".
    All,
}

pub struct ScanPartition {
    pub def: &'static TableDef,
    pub cols: Vec<&'static ColumnDef>,
    pub schema: SchemaRef,
    pub workspace: Option<String>,
    pub repos: RepoChoice,
    pub ctx: Arc<ScanContext>,
}

impl std::fmt::Debug for ScanPartition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bitbucket scan of {} ({:?})", self.def.name, self.repos)
    }
}

type DfResult<T> = Result<T, DataFusionError>;

fn ext<E: std::error::Error + Send + Sync + 'static>(e: E) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

/// Everything the streams of one scan share.
struct Shared {
    def: &'static TableDef,
    cols: Vec<&'static ColumnDef>,
    schema: SchemaRef,
    workspace: String,
    ctx: Arc<ScanContext>,
    used: AtomicUsize,
}

impl Shared {
    /// Counts one request against MaxRequestsPerQuery.
    fn spend(&self) -> DfResult<()> {
        let used = self.used.fetch_add(1, Ordering::Relaxed) + 1;
        let max = self.ctx.max_requests;
        if max > 0 && used > max {
            return Err(ext(TableError::BudgetSpent { table: self.def.name, max }));
        }
        Ok(())
    }

    fn list_url(&self, repo: Option<&str>) -> String {
        let mut path = self.def.list_path.replace("{workspace}", &encode_segment(&self.workspace));
        if let Some(r) = repo {
            path = path.replace("{repo}", &encode_segment(r));
        }
        let pagelen = self.ctx.page_size.unwrap_or(self.def.max_pagelen).min(self.def.max_pagelen);
        let mut q: Vec<(&str, String)> = self.def.query.iter().map(|(k, v)| (*k, v.to_string())).collect();
        q.push(("pagelen", pagelen.to_string()));
        self.ctx.client.url(&path, &q)
    }

    /// Every page of one list, lazily, as raw rows.
    fn pages(self: &Arc<Self>, first: String) -> BoxStream<'static, DfResult<Vec<Value>>> {
        let me = self.clone();
        stream::try_unfold(Some(first), move |next| {
            let me = me.clone();
            async move {
                let Some(url) = next else { return Ok(None) };
                me.spend()?;
                let page = paginate::get_page(&me.ctx.client, &url).await.map_err(ext)?;
                Ok(Some((page.values, page.next)))
            }
        })
        .boxed()
    }

    /// One repository's rows; `soft` turns a 404/410 into "no rows".
    fn repo_batches(self: &Arc<Self>, repo: String, soft: bool) -> BoxStream<'static, DfResult<RecordBatch>> {
        let url = self.list_url(Some(&repo));
        let (me, me2, repo2) = (self.clone(), self.clone(), repo.clone());
        self.pages(url)
            .or_else(move |e| futures::future::ready(me.missing(e, &repo2, soft)))
            .and_then(move |rows| futures::future::ready(me2.to_batch(tag(rows, &repo))))
            .boxed()
    }

    /// Decides whether an error means "no rows" (with or without a warning).
    fn missing(&self, e: DataFusionError, repo: &str, soft: bool) -> DfResult<Vec<Value>> {
        let status = match &e {
            DataFusionError::External(b) => b.downcast_ref::<ApiError>().and_then(|a| match a {
                ApiError::Status { status, message, .. } if *status == 404 || *status == 410 => Some((*status, message.clone())),
                _ => None,
            }),
            _ => None,
        };
        let Some((_, message)) = status else { return Err(e) };
        if let Some(s) = &self.def.soft_missing {
            if message.to_ascii_lowercase().contains(s.message_contains) || message.is_empty() {
                self.ctx.warnings.lock().push(format!("{}/{}: {}", self.workspace, repo, s.warning));
                return Ok(Vec::new());
            }
        }
        if soft {
            Ok(Vec::new())
        } else {
            Err(e)
        }
    }

    fn to_batch(&self, rows: Vec<Value>) -> DfResult<RecordBatch> {
        let refs: Vec<&Value> = rows.iter().collect();
        Ok(arrow_build::build(&self.schema, &self.cols, &refs)?)
    }

    /// The workspace's repository slugs (the fan-out list), within the budget.
    async fn repositories(self: Arc<Self>) -> DfResult<Vec<String>> {
        let url = self.ctx.client.url(
            &format!("/repositories/{}", encode_segment(&self.workspace)),
            &[("pagelen", "100".into()), ("fields", "next,page,size,pagelen,values.slug".into())],
        );
        let pages: Vec<Vec<Value>> = self.pages(url).try_collect().await?;
        let slugs: Vec<String> = pages
            .iter()
            .flatten()
            .filter_map(|r| r.get("slug").and_then(Value::as_str).map(String::from))
            .collect();
        let estimate = self.used.load(Ordering::Relaxed) + slugs.len();
        let max = self.ctx.max_requests;
        if max > 0 && estimate > max {
            return Err(ext(TableError::Budget {
                table: self.def.name,
                estimate,
                repos: slugs.len(),
                max,
            }));
        }
        Ok(slugs)
    }
}

/// Marks each row with its repository so `RepositorySlug` can be read like any path.
fn tag(rows: Vec<Value>, repo: &str) -> Vec<Value> {
    rows.into_iter()
        .map(|mut r| {
            if let Value::Object(o) = &mut r {
                o.insert(REPO_PATH.into(), Value::String(repo.to_string()));
            }
            r
        })
        .collect()
}

impl PartitionStream for ScanPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let shared = Arc::new(Shared {
            def: self.def,
            cols: self.cols.clone(),
            schema: self.schema.clone(),
            workspace: self.workspace.clone().unwrap_or_default(),
            ctx: self.ctx.clone(),
            used: AtomicUsize::new(0),
        });
        let batches: BoxStream<'static, DfResult<RecordBatch>> = match self.repos.clone() {
            RepoChoice::None => single(shared),
            RepoChoice::One(repo) => shared.repo_batches(repo, false),
            RepoChoice::All => {
                let concurrent = shared.ctx.max_concurrent;
                let s = shared.clone();
                stream::once(s.clone().repositories())
                    .map_ok(move |slugs| {
                        stream::iter(slugs)
                            .map({
                                let s = s.clone();
                                move |slug| s.repo_batches(slug, true)
                            })
                            .flatten_unordered(concurrent)
                    })
                    .try_flatten()
                    .boxed()
            }
        };
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), batches))
    }
}

/// A global or workspace-level list, with per-row detail objects when selected.
fn single(shared: Arc<Shared>) -> BoxStream<'static, DfResult<RecordBatch>> {
    let url = shared.list_url(None);
    let need_detail = shared.cols.iter().any(|c| c.is_detail());
    let me = shared.clone();
    shared
        .pages(url)
        .and_then(move |rows| {
            let me = me.clone();
            async move {
                let rows = match (&me.def.detail, need_detail) {
                    (Some(d), true) => with_details(&me, d, rows).await?,
                    _ => rows,
                };
                me.to_batch(rows)
            }
        })
        .boxed()
}

/// Fetches each row's single-object endpoint concurrently and stores it under `detail`.
async fn with_details(me: &Arc<Shared>, d: &super::defs::DetailDef, rows: Vec<Value>) -> DfResult<Vec<Value>> {
    let client = me.ctx.client.clone();
    stream::iter(rows.into_iter().map(|mut row| {
        let client = client.clone();
        let me = me.clone();
        async move {
            if let Some(key) = arrow_build::lookup(&row, d.key_path).and_then(Value::as_str) {
                me.spend()?;
                let url = client.url(&d.path.replace("{key}", &encode_segment(key)), &[]);
                let detail = client.get_json(&url).await.map_err(ext)?;
                if let Value::Object(o) = &mut row {
                    o.insert("detail".into(), detail);
                }
            }
            Ok::<_, DataFusionError>(row)
        }
    }))
    .buffered(me.ctx.max_concurrent)
    .try_collect()
    .await
}
