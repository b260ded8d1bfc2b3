//! One DataFusion table provider for every declaration: a scan becomes a plan of Bitbucket
//! requests (see `scan`), streamed page by page as Arrow batches.

use super::arrow_build;
use super::defs::{ColumnDef, Scope, TableDef};
use super::defs::{REPO_PATH, REVISION_PATH};
use super::exec::BitbucketScanExec;
use super::pins;
use super::scan::{Pins, Pushdown, RepoChoice, ScanPartition};
use super::{arrow_build::plain_paths, bbql};
use crate::bitbucket::{ApiError, Client};
use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableProvider};
use datafusion::datasource::TableType;
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::dml::InsertOp;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::physical_plan::ExecutionPlan;
use parking_lot::Mutex;
use std::sync::Arc;

/// What every scan of one connection shares.
pub struct ScanContext {
    pub client: Arc<Client>,
    pub max_concurrent: usize,
    pub page_size: Option<u32>,
    /// `MaxRequestsPerQuery`; 0 = no cap.
    pub max_requests: usize,
    /// Bounds the HTTP requests in flight on the connection (MaxConcurrentRequests).
    pub permits: tokio::sync::Semaphore,
    /// IncludeDeleted: keep soft-deleted comments.
    pub include_deleted: bool,
    /// PushDown: send q, pagelen and fields (pins of repositories and parents stay on).
    pub push_down: bool,
    /// Rows of the `sys_` tables, computed at connect from the registry.
    pub sys: Vec<(&'static str, datafusion::arrow::record_batch::RecordBatch)>,
}

impl std::fmt::Debug for ScanContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScanContext")
    }
}

/// SQLCancel's signal: set from any thread, awaited by the statement's requests.
#[derive(Debug, Default)]
pub struct CancelSignal {
    flag: std::sync::atomic::AtomicBool,
    notify: tokio::sync::Notify,
}

impl CancelSignal {
    pub fn cancel(&self) {
        self.flag.store(true, std::sync::atomic::Ordering::SeqCst);
        self.notify.notify_waiters();
    }
    pub fn reset(&self) {
        self.flag.store(false, std::sync::atomic::Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(std::sync::atomic::Ordering::SeqCst)
    }
    pub async fn cancelled(&self) {
        loop {
            let n = self.notify.notified();
            if self.is_cancelled() {
                return;
            }
            n.await;
        }
    }
}

/// What one statement's scans share with the statement: warnings (01000) for that statement
/// only, SQLCancel and SQL_ATTR_QUERY_TIMEOUT. It rides in the task context of the execution.
#[derive(Debug, Default)]
pub struct StatementScope {
    pub warnings: Mutex<Vec<String>>,
    pub cancel: Arc<CancelSignal>,
    /// SQL_ATTR_QUERY_TIMEOUT: (when the statement gives up, the seconds set).
    pub deadline: Option<(tokio::time::Instant, u64)>,
}

impl StatementScope {
    /// Runs one request unless the statement is cancelled or out of time first.
    pub async fn guard<T>(&self, f: impl std::future::Future<Output = Result<T, ApiError>>) -> Result<T, ApiError> {
        if self.cancel.is_cancelled() {
            return Err(ApiError::Cancelled);
        }
        let timeout = async {
            match self.deadline {
                Some((at, _)) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            r = f => r,
            _ = self.cancel.cancelled() => Err(ApiError::Cancelled),
            _ = timeout => Err(ApiError::QueryTimeout { secs: self.deadline.map(|d| d.1).unwrap_or_default() }),
        }
    }

    pub fn warn(&self, w: String) {
        self.warnings.lock().push(w);
    }
    pub fn drain(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock())
    }
}

/// Errors of the table layer that are not HTTP errors.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("table {table} needs a workspace: set the Workspace connection property, or qualify the table as \"<workspace>\".\"Information\".\"{table}\"")]
    NoWorkspace { table: &'static str },
    #[error("this query would need about {estimate} Bitbucket API requests ({table} over {repos} repositories), more than MaxRequestsPerQuery={max}. Filter on RepositorySlug, query a repository schema (\"<workspace>\".\"<repo>\".\"{table}\"), or raise MaxRequestsPerQuery (0 = no cap)")]
    Budget {
        table: &'static str,
        estimate: usize,
        repos: usize,
        max: usize,
    },
    #[error("the query stopped after MaxRequestsPerQuery={max} Bitbucket API requests while reading {table}. Narrow the query or raise MaxRequestsPerQuery (0 = no cap)")]
    BudgetSpent { table: &'static str, max: usize },
}

#[derive(Debug)]
pub struct BitbucketTable {
    def: &'static TableDef,
    workspace: Option<String>,
    /// The repository of a repository schema; None = fan out (Information schema).
    repo: Option<String>,
    schema: SchemaRef,
    ctx: Arc<ScanContext>,
}

impl BitbucketTable {
    pub fn new(def: &'static TableDef, workspace: Option<String>, repo: Option<String>, ctx: Arc<ScanContext>) -> Self {
        let cols: Vec<&ColumnDef> = def.columns.iter().collect();
        BitbucketTable {
            def,
            workspace,
            repo,
            schema: arrow_build::schema_of(&cols),
            ctx,
        }
    }

    /// Columns whose pins replace a fan-out: the repository, the parent key, the revision.
    fn pin_columns(&self) -> [Option<&'static str>; 3] {
        let by_path = |p: &str| self.def.columns.iter().find(|c| c.path == p).map(|c| c.name);
        [
            by_path(REPO_PATH).filter(|_| self.def.scope == Scope::Repository),
            self.def.parent.as_ref().map(|p| p.column),
            by_path(REVISION_PATH).filter(|_| self.def.revision_path.is_some()),
        ]
    }

    /// Builds the scan (also used by tests to read the raw payload rows).
    pub fn partition(&self, cols: Vec<&'static ColumnDef>, filters: &[Expr], limit: Option<usize>) -> Result<ScanPartition> {
        let push = match self.ctx.push_down {
            true => Pushdown {
                q: self.q(filters),
                fields: fields_of(self.def, &cols),
                fetch: limit,
                sort: None,
                params: params_of(self.def, filters),
            },
            false => Pushdown::default(),
        };
        let schema = arrow_build::schema_of(&cols);
        let [repo_col, parent_col, rev_col] = self.pin_columns();
        let pinned = |c: Option<&str>| c.and_then(|c| pins::find(filters, c));
        let (workspace, repos) = match self.def.scope {
            Scope::Global => (None, RepoChoice::None),
            Scope::Workspace => (Some(self.workspace()?.to_string()), RepoChoice::None),
            Scope::Repository => (
                Some(self.workspace()?.to_string()),
                match (&self.repo, pinned(repo_col)) {
                    (Some(r), _) => RepoChoice::One(r.clone()),
                    (None, Some(slugs)) => RepoChoice::Pinned(pins::as_strings(slugs)),
                    (None, None) => RepoChoice::All,
                },
            ),
        };
        Ok(ScanPartition {
            def: self.def,
            cols,
            schema,
            workspace,
            repos,
            pins: Pins {
                parents: pinned(parent_col),
                revisions: pinned(rev_col).map(pins::as_strings),
            },
            push,
            ctx: self.ctx.clone(),
        })
    }

    /// The BBQL of every translatable filter, with the table's base condition.
    fn q(&self, filters: &[Expr]) -> Option<String> {
        let parts: Vec<String> = filters.iter().filter_map(|f| bbql::translate(self.def, f)).collect();
        if parts.is_empty() {
            return None;
        }
        let all = parts.join(" AND ");
        Some(match self.def.q_base {
            Some(base) => format!("({base}) AND ({all})"),
            None => all,
        })
    }

    pub fn def(&self) -> &'static TableDef {
        self.def
    }

    fn write_target(&self) -> super::write::WriteTarget {
        super::write::WriteTarget {
            def: self.def,
            workspace: self.workspace.clone(),
            repo: self.repo.clone(),
            ctx: self.ctx.clone(),
        }
    }

    fn workspace(&self) -> Result<&str> {
        self.workspace
            .as_deref()
            .ok_or_else(|| DataFusionError::External(Box::new(TableError::NoWorkspace { table: self.def.name })))
    }
}

/// One parameter per column at most: the first equality on it.
fn params_of(def: &TableDef, filters: &[Expr]) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (k, v) in filters.iter().filter_map(|f| pins::param(def, f)) {
        if !out.iter().any(|(k2, _)| *k2 == k) {
            out.push((k, v));
        }
    }
    out
}

/// `fields` for the selected columns: the envelope plus each column's JSON paths, so pages
/// carry only what the query reads. None where the declaration fixes its own `fields`.
fn fields_of(def: &TableDef, cols: &[&ColumnDef]) -> Option<String> {
    if def.explode.is_some() || def.query.iter().any(|(k, _)| *k == "fields") {
        return None;
    }
    let mut paths: Vec<String> = cols
        .iter()
        .filter(|c| !c.is_detail())
        .flat_map(|c| plain_paths(c.path))
        .filter(|p| !p.starts_with('$'))
        // `parents[].hash` asks for `parents.hash`: paths go through arrays (Bitbucket's own
        // example is `values.reviewers.nickname`), so unread fields of the elements (each
        // parent's links) are neither sent nor parsed.
        .map(|p| p.replacen("[].", ".", 1))
        .collect();
    paths.extend(def.deleted_path.map(String::from));
    if let Some(d) = def.detail.as_ref().filter(|_| cols.iter().any(|c| c.is_detail())) {
        paths.push(d.key_path.to_string());
    }
    if paths.is_empty() {
        // COUNT(*) and pseudo-columns still need one field per row to count the rows.
        paths.extend(
            def.columns
                .iter()
                .filter(|c| c.key)
                .flat_map(|c| plain_paths(c.path))
                .filter(|p| !p.starts_with('$'))
                .take(1)
                .map(String::from),
        );
    }
    if paths.is_empty() {
        return None;
    }
    paths.sort_unstable();
    paths.dedup();
    let values: Vec<String> = paths.iter().map(|p| format!("values.{p}")).collect();
    Some(format!("next,page,pagelen,size,{}", values.join(",")))
}

pub fn encode_segment(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[async_trait]
impl TableProvider for BitbucketTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(&self, filters: &[&Expr]) -> Result<Vec<TableProviderFilterPushDown>> {
        let cols = self.pin_columns();
        Ok(filters
            .iter()
            .map(|f| {
                match cols.iter().flatten().any(|c| pins::pinned(f, c).is_some())
                    || (self.ctx.push_down && (bbql::translate(self.def, f).is_some() || pins::param(self.def, f).is_some()))
                {
                    true => TableProviderFilterPushDown::Inexact,
                    false => TableProviderFilterPushDown::Unsupported,
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let cols: Vec<&'static ColumnDef> = match projection {
            Some(p) => p.iter().map(|i| &self.def.columns[*i]).collect(),
            None => self.def.columns.iter().collect(),
        };
        let part = self.partition(cols, filters, limit)?;
        Ok(Arc::new(BitbucketScanExec::new(part, None)))
    }
    // Writes (contract section 5): see `write.rs`.
    async fn insert_into(&self, _state: &dyn Session, input: Arc<dyn ExecutionPlan>, _op: InsertOp) -> Result<Arc<dyn ExecutionPlan>> {
        self.write_target().insert(input)
    }
    async fn delete_from(&self, _state: &dyn Session, filters: Vec<Expr>) -> Result<Arc<dyn ExecutionPlan>> {
        self.write_target().delete(&filters)
    }
    async fn update(&self, _state: &dyn Session, assignments: Vec<(String, Expr)>, filters: Vec<Expr>) -> Result<Arc<dyn ExecutionPlan>> {
        self.write_target().update(&assignments, &filters)
    }
}
