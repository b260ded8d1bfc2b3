//! The requests of one scan. A scan is a set of *units*, each one list endpoint read page by
//! page: one for a workspace list, one per repository for repository-scoped tables (fanned
//! out over the workspace's repositories unless pinned), one per parent row for child tables
//! (fanned out over the parent's rows unless the query pins the parent key). Units run
//! concurrently; every HTTP request takes a permit of the connection's `MaxConcurrentRequests`
//! and counts against the query's `MaxRequestsPerQuery`.

use super::arrow_build;
use super::defs::{ColumnDef, TableDef, PARENT_PATH, REPO_PATH, REVISION_PATH};
use super::provider::{encode_segment, ScanContext, StatementScope, TableError};
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
    /// Repositories a filter pinned (`RepositorySlug IN (...)`); a 404 is "no rows".
    Pinned(Vec<String>),
    /// The Information schema: every repository of the workspace; a 404 is "no rows".
    All,
}

/// What a scan pushes into the main list's requests.
#[derive(Debug, Clone, Default)]
pub struct Pushdown {
    /// BBQL of the translatable filters.
    pub q: Option<String>,
    /// `fields` naming only the selected columns' paths (plus the envelope).
    pub fields: Option<String>,
    /// LIMIT (when no filter stays above the scan, or an exact sort took the engine's):
    /// a smaller pagelen, and the scan stops after this many rows.
    pub fetch: Option<usize>,
    /// ORDER BY of one column as Bitbucket's `sort` (`-created_on`).
    pub sort: Option<String>,
    /// Endpoint filter parameters (`kind=push`, `trigger_type=MANUAL`).
    pub params: Vec<(&'static str, String)>,
}

/// Values a query's filters pin, which replace a fan-out by direct requests.
#[derive(Debug, Clone, Default)]
pub struct Pins {
    /// Keys of the parent rows (`PullRequestId IN (1, 2)`).
    pub parents: Option<Vec<Value>>,
    /// Revisions of the filter-only `Revision` column.
    pub revisions: Option<Vec<String>>,
}

#[derive(Clone)]
pub struct ScanPartition {
    pub def: &'static TableDef,
    pub cols: Vec<&'static ColumnDef>,
    pub schema: SchemaRef,
    pub workspace: Option<String>,
    pub repos: RepoChoice,
    pub pins: Pins,
    pub push: Pushdown,
    pub ctx: Arc<ScanContext>,
}

/// The request plan, as EXPLAIN shows it.
impl std::fmt::Debug for ScanPartition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let def = self.def;
        let ws = self.workspace.as_deref().unwrap_or("{workspace}");
        let mut params: Vec<String> = def.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        params.extend(self.push.params.iter().map(|(k, v)| format!("{k}={v}")));
        params.extend(self.push.q.iter().map(|q| format!("q={q}")));
        params.extend(self.push.sort.iter().map(|o| format!("sort={o}")));
        params.extend(self.push.fields.iter().map(|x| format!("fields={x}")));
        params.push(format!("pagelen={}", pagelen(def, &self.ctx, &self.push)));
        let paths: Vec<&str> = std::iter::once(def.list_path).chain(def.also_paths.iter().copied()).collect();
        for (i, p) in paths.iter().enumerate() {
            let sep = if i == 0 { "" } else { " + " };
            write!(f, "{sep}{}: GET {}?{}", def.name, p.replace("{workspace}", ws), params.join("&"))?;
        }
        match &self.repos {
            RepoChoice::None => {}
            RepoChoice::One(r) => write!(f, "; repository {r} only")?,
            RepoChoice::Pinned(v) => write!(f, "; repositories {} only (one list each, no repository listing)", v.join(", "))?,
            RepoChoice::All => write!(
                f,
                "; fan-out: every repository of {ws} (1 request lists them, then one list per repository)"
            )?,
        }
        if let Some(p) = &def.parent {
            match &self.pins.parents {
                Some(keys) => write!(f, "; {} pinned to {} value(s): one list each", p.column, keys.len())?,
                None => write!(
                    f,
                    "; under every {} row (listed first with fields=values.{}), one list per row",
                    p.table.name, p.key_path
                )?,
            }
        }
        if let (Some(revs), Some(_)) = (&self.pins.revisions, def.revision_path) {
            write!(f, "; revisions {}", revs.join(", "))?;
        }
        if let Some(p) = def.per_repo_path {
            write!(f, "; plus {} for every repository", p.replace("{workspace}", ws))?;
        }
        if self.push.fetch.is_some() {
            write!(f, "; stops once LIMIT rows are read")?;
        }
        write!(f, "; at most MaxConcurrentRequests={} at once", self.ctx.max_concurrent)?;
        match self.ctx.max_requests {
            0 => Ok(()),
            n => write!(f, ", MaxRequestsPerQuery={n}"),
        }
    }
}

/// pagelen of the main list: the endpoint's maximum, PageSize, or a pushed LIMIT if smaller.
fn pagelen(def: &TableDef, ctx: &ScanContext, push: &Pushdown) -> u32 {
    let p = ctx.page_size.unwrap_or(def.max_pagelen).min(def.max_pagelen);
    push.fetch.and_then(|l| u32::try_from(l).ok()).map_or(p, |l| p.min(l.max(1)))
}

type DfResult<T> = Result<T, DataFusionError>;

/// At most this many already-arrived pages are joined into one batch.
const PAGES_PER_BATCH: usize = 8;
type Rows = BoxStream<'static, DfResult<Vec<Value>>>;

fn ext<E: std::error::Error + Send + Sync + 'static>(e: E) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

fn status_of(e: &DataFusionError) -> Option<(u16, String)> {
    match e {
        DataFusionError::External(b) => b.downcast_ref::<ApiError>().and_then(|a| match a {
            ApiError::Status { status, message, .. } => Some((*status, message.clone())),
            _ => None,
        }),
        _ => None,
    }
}

/// Which list a unit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `list_path` and `also_paths` (or `revision_path` with a revision).
    Main,
    /// `per_repo_path` of a workspace-level table.
    PerRepo,
}

/// One list endpoint to read, with the values its rows are tagged with.
#[derive(Debug, Clone)]
struct Unit {
    kind: Kind,
    repo: Option<String>,
    parent: Option<Value>,
    revision: Option<String>,
    /// A 404/410 means "no rows" rather than an error.
    soft: bool,
}

/// Everything the streams of one scan share.
struct Shared {
    def: &'static TableDef,
    cols: Vec<&'static ColumnDef>,
    schema: SchemaRef,
    workspace: String,
    pins: Pins,
    push: Pushdown,
    ctx: Arc<ScanContext>,
    scope: Arc<StatementScope>,
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

    fn fill(&self, template: &str, u: &Unit) -> String {
        let mut path = template.replace("{workspace}", &encode_segment(&self.workspace));
        if let Some(r) = &u.repo {
            path = path.replace("{repo}", &encode_segment(r));
        }
        if let Some(p) = &u.parent {
            let key = p.as_str().map(String::from).unwrap_or_else(|| p.to_string());
            path = path.replace("{parent}", &encode_segment(&key));
        }
        if let Some(r) = &u.revision {
            path = path.replace("{revision}", &encode_segment(r));
        }
        path
    }

    fn url(&self, def: &TableDef, path: &str, extra: &[(&str, String)]) -> String {
        let is_main = std::ptr::eq(def, self.def);
        let pagelen = match is_main {
            true => pagelen(def, &self.ctx, &self.push),
            false => self.ctx.page_size.unwrap_or(def.max_pagelen).min(def.max_pagelen),
        };
        let mut extra = extra.to_vec();
        if is_main {
            extra.extend(self.push.params.iter().cloned());
            extra.extend(self.push.q.iter().map(|q| ("q", q.clone())));
            extra.extend(self.push.sort.iter().map(|o| ("sort", o.clone())));
            extra.extend(self.push.fields.iter().map(|f| ("fields", f.clone())));
        }
        let mut q: Vec<(&str, String)> = def.query.iter().map(|(k, v)| (*k, v.to_string())).collect();
        q.extend(extra.iter().cloned());
        q.push(("pagelen", pagelen.to_string()));
        self.ctx.client.url(path, &q)
    }

    /// Every page of one list, lazily, as raw rows; a 403 on the first page switches to
    /// `fallback` when there is one. When the first page reports the list's size, the later
    /// pages are fetched concurrently (in order); iterator lists are followed page by page.
    fn pages(self: &Arc<Self>, first: String, fallback: Option<String>) -> Rows {
        let me = self.clone();
        let head = async move {
            match me.get_page(&first).await {
                Err(e) if fallback.is_some() && status_of(&e).is_some_and(|(s, _)| s == 403) => {
                    me.get_page(fallback.as_deref().unwrap_or_default()).await
                }
                // A field this endpoint cannot filter on: filter client-side instead.
                // (403: a filter only administrators may use, such as members by e-mail.)
                Err(e) if status_of(&e).is_some_and(|(s, _)| s == 400 || s == 403) && first.contains("q=") => {
                    tracing::info!(error = %e, "Bitbucket rejected the pushed filter; filtering client-side");
                    me.get_page(&without_q(&first)).await
                }
                other => other,
            }
        };
        let me = self.clone();
        stream::once(head)
            .map_ok(move |page| {
                let tail: Rows = if page.rest.is_empty() {
                    me.follow(page.next)
                } else {
                    let (me, n) = (me.clone(), me.ctx.max_concurrent.max(1));
                    stream::iter(page.rest)
                        .map(move |u| {
                            let me = me.clone();
                            async move { me.get_page(&u).await.map(|p| p.values) }
                        })
                        .buffered(n)
                        .boxed()
                };
                stream::once(futures::future::ready(Ok(page.values))).chain(tail)
            })
            .try_flatten()
            .boxed()
    }

    /// Follows `next` links one page at a time.
    fn follow(self: &Arc<Self>, next: Option<String>) -> Rows {
        let me = self.clone();
        stream::try_unfold(next, move |next| {
            let me = me.clone();
            async move {
                let Some(url) = next else { return Ok(None) };
                let page = me.get_page(&url).await?;
                Ok(Some((page.values, page.next)))
            }
        })
        .boxed()
    }

    async fn get_page(&self, url: &str) -> DfResult<paginate::Page> {
        self.spend()?;
        let (ctx, url) = (self.ctx.clone(), url.to_string());
        // Its own task, so that the pages in flight are received and parsed on every worker
        // thread at once instead of in turn inside the task that drives the scan.
        let fetch = Spawned(tokio::spawn(async move {
            let _permit = ctx.permits.acquire().await.map_err(|_| ApiError::Cancelled)?;
            paginate::get_page(&ctx.client, &url).await
        }));
        self.scope.guard(fetch).await.map_err(ext)
    }

    /// Turns an error of a list into "no rows" when the rules of `rules` say so.
    fn soften(&self, e: DataFusionError, rules: &TableDef, u: &Unit) -> DfResult<Vec<Value>> {
        if let (Some(w), true, Some(repo)) = (rules.forbidden_warning, u.soft, &u.repo) {
            if status_of(&e).is_some_and(|(s, _)| s == 403) {
                self.scope.warn(format!("{}/{}: {}", self.workspace, repo, w));
                return Ok(Vec::new());
            }
        }
        let Some((status, message)) = status_of(&e).filter(|(s, _)| *s == 404 || *s == 410) else {
            return Err(e);
        };
        if let Some(s) = &rules.soft_missing {
            if message.to_ascii_lowercase().contains(s.message_contains) || status == 410 || message.is_empty() {
                let place = u.repo.as_deref().unwrap_or_default();
                self.scope.warn(format!("{}/{}: {}", self.workspace, place, s.warning));
                return Ok(Vec::new());
            }
        }
        if u.soft {
            Ok(Vec::new())
        } else {
            Err(e)
        }
    }

    /// The rows of one unit, tagged, exploded and filtered.
    fn unit_rows(self: &Arc<Self>, u: Unit) -> Rows {
        let def = self.def;
        let templates: Vec<&'static str> = match (u.kind, &u.revision) {
            (Kind::PerRepo, _) => def.per_repo_path.into_iter().collect(),
            (Kind::Main, Some(_)) => def.revision_path.into_iter().collect(),
            (Kind::Main, None) => std::iter::once(def.list_path).chain(def.also_paths.iter().copied()).collect(),
        };
        let lists: Vec<Rows> = templates
            .into_iter()
            .map(|t| {
                let fallback = def
                    .fallback_path
                    .filter(|_| u.kind == Kind::Main)
                    .map(|f| self.url(def, &self.fill(f, &u), &[]));
                let (me, u2) = (self.clone(), u.clone());
                self.pages(self.url(def, &self.fill(t, &u), &[]), fallback)
                    .or_else(move |e| futures::future::ready(me.soften(e, def, &u2)))
                    .boxed()
            })
            .collect();
        let me = self.clone();
        let need_detail = def.detail.is_some() && self.cols.iter().any(|c| c.is_detail());
        stream::iter(lists)
            .flatten()
            .and_then(move |rows| {
                let (me, u) = (me.clone(), u.clone());
                async move {
                    let rows = me.shape(rows, &u);
                    if need_detail {
                        with_details(&me, rows).await
                    } else {
                        Ok(rows)
                    }
                }
            })
            .boxed()
    }

    /// Explodes nested rows, tags each with its repository, parent and revision, and hides
    /// soft-deleted rows unless IncludeDeleted is set.
    fn shape(&self, rows: Vec<Value>, u: &Unit) -> Vec<Value> {
        let rows: Vec<Value> = match &self.def.explode {
            None => rows,
            Some(x) => rows
                .into_iter()
                .flat_map(|r| {
                    let key = arrow_build::lookup(&r, x.key_path).cloned().unwrap_or(Value::Null);
                    let items = r.get(x.array).and_then(Value::as_array).cloned().unwrap_or_default();
                    items.into_iter().map(move |mut i| {
                        set(&mut i, PARENT_PATH, key.clone());
                        i
                    })
                })
                .collect(),
        };
        rows.into_iter()
            .filter(|r| match self.def.deleted_path {
                Some(p) if !self.ctx.include_deleted => !arrow_build::lookup(r, p).and_then(Value::as_bool).unwrap_or(false),
                _ => true,
            })
            .map(|mut r| {
                if let Some(repo) = &u.repo {
                    set(&mut r, REPO_PATH, Value::String(repo.clone()));
                }
                if let Some(p) = &u.parent {
                    set(&mut r, PARENT_PATH, p.clone());
                }
                if let Some(rev) = &u.revision {
                    set(&mut r, REVISION_PATH, Value::String(rev.clone()));
                }
                r
            })
            .collect()
    }

    fn to_batch(&self, rows: Vec<Value>) -> DfResult<RecordBatch> {
        let refs: Vec<&Value> = rows.iter().collect();
        Ok(arrow_build::build(&self.schema, &self.cols, &refs)?)
    }

    /// The workspace's repository slugs (the fan-out list), within the budget.
    async fn repositories(self: Arc<Self>) -> DfResult<Vec<String>> {
        let url = strings_url(&self.ctx, &format!("/repositories/{}", encode_segment(&self.workspace)), "slug");
        let pages: Vec<Vec<Value>> = self.pages(url, None).try_collect().await?;
        let slugs = strings_of(pages.iter().flatten(), "slug");
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

    /// Keys of the parent rows of one repository (or of the workspace), as units.
    fn parent_units(self: &Arc<Self>, repo: Option<String>, soft: bool) -> BoxStream<'static, DfResult<Unit>> {
        let parent = self.def.parent.as_ref().expect("called for child tables only");
        let unit = move |key: Value| Unit {
            kind: Kind::Main,
            repo: repo.clone(),
            parent: Some(key),
            revision: None,
            soft: true,
        };
        if let Some(keys) = &self.pins.parents {
            return stream::iter(keys.clone().into_iter().map(unit).map(Ok)).boxed();
        }
        let lister = Unit {
            kind: Kind::Main,
            repo: unit(Value::Null).repo,
            parent: None,
            revision: None,
            soft,
        };
        let fields = format!("next,page,pagelen,size,values.{}", parent.key_path);
        let url = self.url(parent.table, &self.fill(parent.table.list_path, &lister), &[("fields", fields)]);
        let me = self.clone();
        self.pages(url, None)
            .or_else(move |e| futures::future::ready(me.soften(e, parent.table, &lister)))
            .map_ok(move |rows| {
                let keys: Vec<DfResult<Unit>> = rows
                    .iter()
                    .filter_map(|r| arrow_build::lookup(r, parent.key_path).cloned())
                    .map(|k| Ok(unit(k)))
                    .collect();
                stream::iter(keys)
            })
            .try_flatten()
            .boxed()
    }

    /// The units of one repository (None for workspace-level tables).
    fn repo_units(self: &Arc<Self>, repo: Option<String>, soft: bool) -> BoxStream<'static, DfResult<Unit>> {
        if self.def.parent.is_some() {
            return self.parent_units(repo, soft);
        }
        let revisions: Vec<Option<String>> = match (&self.pins.revisions, self.def.revision_path) {
            (Some(revs), Some(_)) => revs.iter().cloned().map(Some).collect(),
            _ => vec![None],
        };
        let units = revisions.into_iter().map(move |revision| {
            Ok(Unit {
                kind: Kind::Main,
                repo: repo.clone(),
                parent: None,
                revision,
                soft,
            })
        });
        stream::iter(units).boxed()
    }

    /// Every unit of the scan.
    fn units(self: &Arc<Self>, repos: RepoChoice) -> BoxStream<'static, DfResult<Unit>> {
        let concurrent = self.ctx.max_concurrent.max(1);
        let over = move |me: &Arc<Self>, slugs: Vec<String>| {
            let me = me.clone();
            stream::iter(slugs)
                .map(move |s| me.repo_units(Some(s), true))
                .flatten_unordered(concurrent)
                .boxed()
        };
        match repos {
            RepoChoice::None => {
                let own = self.repo_units(None, false);
                match self.def.per_repo_path {
                    None => own,
                    Some(_) => {
                        let per_repo = stream::once(self.clone().repositories())
                            .map_ok(move |slugs| {
                                stream::iter(slugs.into_iter().map(|s| {
                                    Ok(Unit {
                                        kind: Kind::PerRepo,
                                        repo: Some(s),
                                        parent: None,
                                        revision: None,
                                        soft: true,
                                    })
                                }))
                            })
                            .try_flatten();
                        own.chain(per_repo).boxed()
                    }
                }
            }
            RepoChoice::One(r) => self.repo_units(Some(r), false),
            RepoChoice::Pinned(slugs) => over(self, slugs),
            RepoChoice::All => {
                let me = self.clone();
                stream::once(self.clone().repositories())
                    .map_ok(move |slugs| over(&me, slugs))
                    .try_flatten()
                    .boxed()
            }
        }
    }

    /// Raw rows of the whole scan, units read concurrently.
    fn rows(self: &Arc<Self>, repos: RepoChoice) -> Rows {
        let me = self.clone();
        let concurrent = self.ctx.max_concurrent.max(1);
        self.units(repos)
            .map(move |u| match u {
                Ok(u) => me.unit_rows(u),
                Err(e) => stream::once(futures::future::ready(Err(e))).boxed(),
            })
            .flatten_unordered(concurrent)
            .boxed()
    }
}

/// A spawned request, aborted when dropped (SQLCancel, a query timeout, a closed cursor or a
/// LIMIT that is satisfied drop it like any other future of the scan).
struct Spawned<T>(tokio::task::JoinHandle<Result<T, ApiError>>);

impl<T> Drop for Spawned<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> std::future::Future for Spawned<T> {
    type Output = Result<T, ApiError>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx).map(|r| match r {
            Ok(r) => r,
            // A panic in the request is the scan's panic (the cursor reports it as such).
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(ApiError::Cancelled),
        })
    }
}

fn without_q(url: &str) -> String {
    let Ok(mut u) = url::Url::parse(url) else { return url.to_string() };
    let pairs: Vec<(String, String)> = u.query_pairs().into_owned().filter(|(k, _)| k != "q").collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

fn set(row: &mut Value, key: &str, v: Value) {
    if let Value::Object(o) = row {
        o.insert(key.into(), v);
    }
}

impl ScanPartition {
    /// The rows come from one list in the API's order (no fan-out, parents or extra lists).
    pub fn is_single_list(&self) -> bool {
        let one_repo = match &self.repos {
            RepoChoice::None => self.def.per_repo_path.is_none(),
            RepoChoice::One(_) => true,
            RepoChoice::Pinned(v) => v.len() == 1,
            RepoChoice::All => false,
        };
        let one_revision = self.pins.revisions.as_ref().is_none_or(|r| r.len() <= 1);
        one_repo && one_revision && self.def.parent.is_none() && self.def.explode.is_none() && self.def.also_paths.is_empty()
    }

    fn shared(&self, scope: Arc<StatementScope>) -> Arc<Shared> {
        Arc::new(Shared {
            scope,
            def: self.def,
            cols: self.cols.clone(),
            schema: self.schema.clone(),
            workspace: self.workspace.clone().unwrap_or_default(),
            pins: self.pins.clone(),
            push: self.push.clone(),
            ctx: self.ctx.clone(),
            used: AtomicUsize::new(0),
        })
    }

    /// The raw JSON rows the scan reads, before conversion (for checks against payloads).
    pub async fn raw_rows(&self) -> DfResult<Vec<Value>> {
        let pages: Vec<Vec<Value>> = self.shared(Default::default()).rows(self.repos.clone()).try_collect().await?;
        Ok(pages.into_iter().flatten().collect())
    }
}

impl PartitionStream for ScanPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, task: Arc<TaskContext>) -> SendableRecordBatchStream {
        let scope = task.session_config().get_extension::<StatementScope>().unwrap_or_default();
        let shared = self.shared(scope);
        let me = shared.clone();
        let rows = shared.rows(self.repos.clone());
        if self.push.fetch.is_some() {
            // A pushed LIMIT reads page by page: the scan must not ask for a page it may
            // not need just because the previous one arrived.
            let batches = rows
                .try_filter(|rows| futures::future::ready(!rows.is_empty()))
                .and_then(move |rows| futures::future::ready(me.to_batch(rows)));
            return Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), batches));
        }
        // Pages that have already arrived (a fan-out over small repositories delivers many
        // short ones at once) become one batch: the per-batch costs (builders, engine, the
        // hand-over to the application thread) are paid once per group, and nothing waits.
        let batches = rows.ready_chunks(PAGES_PER_BATCH).flat_map(move |pages| {
            let mut out = Vec::new();
            let mut rows = Vec::new();
            for page in pages {
                match page {
                    Ok(r) => rows.extend(r),
                    Err(e) => {
                        if !rows.is_empty() {
                            out.push(me.to_batch(std::mem::take(&mut rows)));
                        }
                        out.push(Err(e));
                        break;
                    }
                }
            }
            if !rows.is_empty() {
                out.push(me.to_batch(rows));
            }
            stream::iter(out)
        });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), batches))
    }
}

/// Fetches each row's single-object endpoint concurrently and stores it under `detail`.
async fn with_details(me: &Arc<Shared>, rows: Vec<Value>) -> DfResult<Vec<Value>> {
    let Some(d) = &me.def.detail else { return Ok(rows) };
    stream::iter(rows.into_iter().map(|mut row| {
        let me = me.clone();
        async move {
            if let Some(key) = arrow_build::lookup(&row, d.key_path).and_then(Value::as_str) {
                me.spend()?;
                let url = me.ctx.client.url(&d.path.replace("{key}", &encode_segment(key)), &[]);
                let fetch = async {
                    let _permit = me.ctx.permits.acquire().await.map_err(|_| ApiError::Cancelled)?;
                    me.ctx.client.get_json(&url).await
                };
                let detail = me.scope.guard(fetch).await.map_err(ext)?;
                set(&mut row, "detail", detail);
            }
            Ok::<_, DataFusionError>(row)
        }
    }))
    .buffered(me.ctx.max_concurrent.max(1))
    .try_collect()
    .await
}

/// A list's first page asking for one field of each row (plus the envelope), 100 a page.
fn strings_url(ctx: &ScanContext, path: &str, field: &str) -> String {
    let fields = format!("next,page,pagelen,size,values.{field}");
    ctx.client.url(path, &[("pagelen", "100".into()), ("fields", fields)])
}

fn strings_of<'a>(rows: impl Iterator<Item = &'a Value>, field: &str) -> Vec<String> {
    rows.filter_map(|r| arrow_build::lookup(r, field)?.as_str().map(String::from))
        .collect()
}

/// One text field of every row of a list (`values.<field>` only), for catalog enumerations.
pub async fn list_strings(ctx: &ScanContext, path: &str, field: &str) -> DfResult<Vec<String>> {
    let mut next = Some(strings_url(ctx, path, field));
    let mut out = Vec::new();
    while let Some(url) = next {
        let page = {
            let _permit = ctx.permits.acquire().await.map_err(ext)?;
            paginate::get_page(&ctx.client, &url).await.map_err(ext)?
        };
        out.extend(strings_of(page.values.iter(), field));
        next = page.next;
    }
    Ok(out)
}
