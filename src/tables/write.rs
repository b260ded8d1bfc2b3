//! INSERT, UPDATE and DELETE on the tables whose declaration lists `writes`: an INSERT is one
//! request per row, an UPDATE or DELETE one request (or two: a PUT and a state action) per key
//! its WHERE clause pins. Requests are built and checked in full before the first is sent, and
//! only run when the plan executes (EXPLAIN and SQLPrepare never write).
//!
//! Row counts: rows Bitbucket created, changed or deleted. A 404 for an UPDATE or DELETE counts
//! 0 rows (the key names no object, as a WHERE matching nothing), never an error.

use super::defs::{Method, TableDef, WriteKind, WriteOp};
use super::provider::{ScanContext, StatementScope, TableError};
use super::write_body::{self as body, Keys};
use crate::bitbucket::ApiError;
use datafusion::arrow::array::{RecordBatch, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::ScalarValue;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::Expr;
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, Distribution, ExecutionPlan, Partitioning, PlanProperties};
use futures::{StreamExt, TryStreamExt};
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("table {table} is read-only{accepts}")]
    ReadOnly { table: String, accepts: String },
    #[error("{0}")]
    Invalid(String),
}

/// Planning-time check that the table accepts this statement at all.
pub fn check(def: Option<&TableDef>, table: &str, kind: WriteKind) -> std::result::Result<(), WriteError> {
    let ops: Vec<&str> = def.map(|d| d.writes.iter().map(|w| w.kind.sql()).collect()).unwrap_or_default();
    if ops.contains(&kind.sql()) {
        return Ok(());
    }
    let accepts = if ops.is_empty() {
        ": Bitbucket offers no writes for it through this driver (sys_tables.IsUpdateable lists the tables that accept INSERT, UPDATE or DELETE)".to_string()
    } else {
        format!(" for {}: it accepts only {}", kind.sql(), ops.join(", "))
    };
    Err(WriteError::ReadOnly {
        table: table.to_string(),
        accepts,
    })
}

/// Where a statement writes: the table and the connection's workspace and repository schema.
#[derive(Debug, Clone)]
pub struct WriteTarget {
    pub def: &'static TableDef,
    pub workspace: Option<String>,
    /// The repository of a repository schema (pins `RepositorySlug`).
    pub repo: Option<String>,
    pub ctx: Arc<ScanContext>,
}

#[derive(Debug, Clone)]
struct Request {
    method: Method,
    path: String,
    body: Option<Value>,
}

/// The requests that change one row; later ones run only if the earlier succeed.
#[derive(Debug, Clone)]
struct Unit(Vec<Request>);

#[derive(Debug, Clone)]
enum Job {
    Insert(Arc<dyn ExecutionPlan>),
    Units(Vec<Unit>),
}

fn invalid(msg: String) -> DataFusionError {
    DataFusionError::External(Box::new(WriteError::Invalid(msg)))
}

impl WriteTarget {
    fn op(&self, kind: WriteKind) -> Result<&'static WriteOp> {
        self.def.write(kind).ok_or_else(|| {
            let e = check(Some(self.def), self.def.name, kind).expect_err("no such write");
            DataFusionError::External(Box::new(e))
        })
    }

    fn workspace(&self) -> Result<&str> {
        self.workspace
            .as_deref()
            .ok_or_else(|| DataFusionError::External(Box::new(TableError::NoWorkspace { table: self.def.name })))
    }

    pub fn insert(self, input: Arc<dyn ExecutionPlan>) -> Result<Arc<dyn ExecutionPlan>> {
        self.op(WriteKind::Insert)?;
        self.workspace()?;
        Ok(Arc::new(WriteExec::new(self, Job::Insert(input))))
    }

    pub fn delete(self, filters: &[Expr]) -> Result<Arc<dyn ExecutionPlan>> {
        let op = self.op(WriteKind::Delete)?;
        let ws = self.workspace()?.to_string();
        let units = body::key_sets(self.def, op, self.repo.as_deref(), filters)
            .map_err(invalid)?
            .iter()
            .map(|k| self.request(op.method, op.path, &ws, k, None).map(|r| Unit(vec![r])))
            .collect::<Result<_>>()?;
        Ok(Arc::new(WriteExec::new(self, Job::Units(units))))
    }

    pub fn update(self, assignments: &[(String, Expr)], filters: &[Expr]) -> Result<Arc<dyn ExecutionPlan>> {
        let op = self.op(WriteKind::Update)?;
        let ws = self.workspace()?.to_string();
        let def = self.def;
        let mut fields = Map::new();
        let mut action = None;
        for (name, e) in assignments {
            let v = body::constant(e).map_err(|m| invalid(format!("UPDATE {} SET {name}: {m}", def.name)))?;
            let actions: Vec<_> = op.actions.iter().filter(|a| a.column.eq_ignore_ascii_case(name)).collect();
            if !actions.is_empty() {
                let text = body::segment_of(&body::json_of(&v)).unwrap_or_default();
                let a = actions.iter().find(|a| a.value.eq_ignore_ascii_case(&text)).ok_or_else(|| {
                    let allowed: Vec<&str> = actions.iter().map(|a| a.value).collect();
                    invalid(format!(
                        "{}.{name} can only be set to {} (Bitbucket changes it by merging or declining), not '{text}'",
                        def.name,
                        allowed.join(" or ")
                    ))
                })?;
                action = Some(*a);
                continue;
            }
            let col = body::column_of(def, name).filter(|c| op.columns.contains(&c.name)).ok_or_else(|| {
                invalid(format!(
                    "column {name} of {} cannot be changed by UPDATE; the updatable columns are {}",
                    def.name,
                    body::writable_list(op)
                ))
            })?;
            body::set_path(&mut fields, col.path, body::json_of(&v));
        }
        if fields.is_empty() && action.is_none() {
            return Err(invalid(format!(
                "UPDATE {} sets no column; the updatable columns are {}",
                def.name,
                body::writable_list(op)
            )));
        }
        let mut units = Vec::new();
        for k in body::key_sets(def, op, self.repo.as_deref(), filters).map_err(invalid)? {
            let mut steps = Vec::new();
            if !fields.is_empty() {
                steps.push(self.request(op.method, op.path, &ws, &k, Some(Value::Object(fields.clone())))?);
            }
            if let Some(a) = action {
                steps.push(self.request(a.method, a.path, &ws, &k, None)?);
            }
            units.push(Unit(steps));
        }
        Ok(Arc::new(WriteExec::new(self, Job::Units(units))))
    }

    fn request(&self, method: Method, template: &str, ws: &str, keys: &Keys, json: Option<Value>) -> Result<Request> {
        let path = body::fill(template, ws, keys).map_err(|m| invalid(format!("{} on {}: {m}", method_name(method), self.def.name)))?;
        Ok(Request { method, path, body: json })
    }

    /// One POST per inserted row, all built (and checked) before the first is sent.
    fn insert_requests(&self, batches: &[RecordBatch]) -> Result<Vec<Unit>> {
        let op = self.op(WriteKind::Insert)?;
        let ws = self.workspace()?;
        let def = self.def;
        let mut out = Vec::new();
        for b in batches {
            for row in 0..b.num_rows() {
                let mut keys = Keys::new();
                let mut fields = Map::new();
                for (i, f) in b.schema().fields().iter().enumerate() {
                    let Some(col) = body::column_of(def, f.name()) else { continue };
                    let v = body::json_of(&ScalarValue::try_from_array(b.column(i), row)?);
                    let is_key = op.path_columns().any(|k| k == col.name);
                    if is_key {
                        let v = match (col.name, self.repo.as_deref(), body::segment_of(&v)) {
                            ("RepositorySlug", Some(r), None) => Some(r.to_string()),
                            (_, _, v) => v,
                        };
                        if let Some(v) = v {
                            keys.insert(col.name, v);
                        }
                    }
                    if op.columns.contains(&col.name) {
                        if !v.is_null() {
                            body::set_path(&mut fields, col.path, v);
                        }
                    } else if !is_key && !v.is_null() {
                        return Err(invalid(format!(
                            "column {} of {} cannot be set by INSERT (Bitbucket fills it); the insertable columns are {}",
                            col.name,
                            def.name,
                            insertable(op).join(", ")
                        )));
                    }
                }
                let missing: Vec<&str> = op
                    .path_columns()
                    .filter(|k| !keys.contains_key(k))
                    .chain(op.required.iter().copied().filter(|r| {
                        let path = body::column_of(def, r).map(|c| c.path).unwrap_or("");
                        lookup(&fields, path).is_none()
                    }))
                    .collect();
                if !missing.is_empty() {
                    return Err(invalid(format!(
                        "INSERT into {} needs a value for {} (row {}); the insertable columns are {}",
                        def.name,
                        missing.join(", "),
                        out.len() + 1,
                        insertable(op).join(", ")
                    )));
                }
                out.push(Unit(vec![self.request(
                    op.method,
                    op.path,
                    ws,
                    &keys,
                    Some(Value::Object(fields)),
                )?]));
            }
        }
        Ok(out)
    }
}

fn insertable(op: &WriteOp) -> Vec<&'static str> {
    let mut cols: Vec<&'static str> = op.path_columns().collect();
    for c in op.columns {
        if !cols.contains(c) {
            cols.push(c);
        }
    }
    cols
}

fn lookup<'a>(obj: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut v = obj.get(parts.next()?)?;
    for p in parts {
        v = v.get(p)?;
    }
    (!v.is_null()).then_some(v)
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
    }
}

fn http_method(m: Method) -> reqwest::Method {
    match m {
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// Sends the units in order; the count of rows they changed.
async fn run(target: &WriteTarget, kind: WriteKind, units: Vec<Unit>, scope: &StatementScope) -> std::result::Result<u64, ApiError> {
    let ctx = &target.ctx;
    let mut done = 0u64;
    'units: for Unit(steps) in units {
        for r in steps {
            let url = ctx.client.url(&r.path, &[]);
            let send = async {
                let _permit = ctx.permits.acquire().await.map_err(|_| ApiError::Cancelled)?;
                ctx.client.send_json(http_method(r.method), &url, r.body.as_ref()).await
            };
            match scope.guard(send).await {
                Ok(_) => {}
                Err(ApiError::Status { status: 404, .. }) if kind != WriteKind::Insert => continue 'units,
                Err(mut e) => {
                    if let ApiError::Status { message, .. } = &mut e {
                        if done > 0 {
                            message.push_str(&format!(" ({done} row(s) of this statement were already written)"));
                        }
                    }
                    return Err(e);
                }
            }
        }
        done += 1;
    }
    Ok(done)
}

/// The one-row `count` result of a write, as DataFusion's DML plans produce.
pub fn count_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("count", DataType::UInt64, false)]))
}

#[derive(Debug)]
pub struct WriteExec {
    target: WriteTarget,
    kind: WriteKind,
    job: Job,
    props: Arc<PlanProperties>,
}

impl WriteExec {
    fn new(target: WriteTarget, job: Job) -> Self {
        let kind = match &job {
            Job::Insert(_) => WriteKind::Insert,
            Job::Units(u) if u.iter().any(|Unit(s)| s.iter().any(|r| r.method != Method::Delete)) => WriteKind::Update,
            Job::Units(_) => WriteKind::Delete,
        };
        let props = PlanProperties::new(
            EquivalenceProperties::new(count_schema()),
            Partitioning::UnknownPartitioning(1),
            EmissionType::Final,
            Boundedness::Bounded,
        );
        WriteExec {
            target,
            kind,
            job,
            props: Arc::new(props),
        }
    }
}

impl DisplayAs for WriteExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match &self.job {
            Job::Insert(_) => write!(f, "BitbucketWriteExec: {} INSERT, one POST per row", self.target.def.name),
            Job::Units(units) => {
                let reqs: Vec<String> = units
                    .iter()
                    .flat_map(|Unit(s)| s.iter().map(|r| format!("{} {}", method_name(r.method), r.path)))
                    .collect();
                write!(
                    f,
                    "BitbucketWriteExec: {} {}: {}",
                    self.target.def.name,
                    self.kind.sql(),
                    reqs.join(", ")
                )
            }
        }
    }
}

impl ExecutionPlan for WriteExec {
    fn name(&self) -> &str {
        "BitbucketWriteExec"
    }
    fn properties(&self) -> &Arc<PlanProperties> {
        &self.props
    }
    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        match &self.job {
            Job::Insert(input) => vec![input],
            Job::Units(_) => Vec::new(),
        }
    }
    fn required_input_distribution(&self) -> Vec<Distribution> {
        match &self.job {
            Job::Insert(_) => vec![Distribution::SinglePartition],
            Job::Units(_) => Vec::new(),
        }
    }
    fn apply_expressions(&self, _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }
    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        let is_insert = matches!(self.job, Job::Insert(_));
        match children.into_iter().next() {
            Some(input) if is_insert => Ok(Arc::new(WriteExec::new(self.target.clone(), Job::Insert(input)))),
            _ => Ok(self),
        }
    }

    fn execute(&self, _partition: usize, task: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let scope = task.session_config().get_extension::<StatementScope>().unwrap_or_default();
        let target = self.target.clone();
        let kind = self.kind;
        let job = self.job.clone();
        let fut = async move {
            let units = match job {
                Job::Units(u) => u,
                Job::Insert(input) => {
                    let batches: Vec<RecordBatch> = datafusion::physical_plan::execute_stream(input, task)?.try_collect().await?;
                    target.insert_requests(&batches)?
                }
            };
            let n = run(&target, kind, units, &scope)
                .await
                .map_err(|e| DataFusionError::External(Box::new(e)))?;
            Ok::<_, DataFusionError>(RecordBatch::try_new(count_schema(), vec![Arc::new(UInt64Array::from(vec![n]))])?)
        };
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            count_schema(),
            futures::stream::once(fut).boxed(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::TABLES;

    /// Every declared write names real, plainly-pathed columns, and its path's placeholders
    /// are columns too (they are what an UPDATE or DELETE must pin).
    #[test]
    fn write_declarations_are_well_formed() {
        let mut declared = Vec::new();
        for t in TABLES {
            for w in t.writes {
                declared.push((t.name, w.kind.sql()));
                for c in w.columns.iter().chain(w.required).chain(w.actions.iter().map(|a| &a.column)) {
                    let col = t
                        .column(c)
                        .unwrap_or_else(|| panic!("{}.{c} is declared writable but is no column", t.name));
                    assert!(
                        col.is_plain() && !col.path.starts_with('$'),
                        "{}.{c} needs a plain JSON path",
                        t.name
                    );
                }
                for r in w.required {
                    assert!(w.columns.contains(r), "{}: required {r} is also a body column", t.name);
                }
                for k in w.path_columns() {
                    let parent = t.parent.as_ref().is_some_and(|p| p.column == k);
                    assert!(
                        t.column(k).is_some_and(|c| c.key || parent),
                        "{}: placeholder {k} is a key or parent column",
                        t.name
                    );
                }
                assert_eq!(
                    w.path.starts_with("/repositories/{workspace}/{repo}/"),
                    t.scope == crate::tables::Scope::Repository
                );
            }
        }
        // The part of contract section 4's "Writes" column this version implements.
        let want = [
            ("Branches", "INSERT"),
            ("Branches", "DELETE"),
            ("Tags", "INSERT"),
            ("Tags", "DELETE"),
            ("CommitStatuses", "INSERT"),
            ("CommitStatuses", "UPDATE"),
            ("PullRequests", "INSERT"),
            ("PullRequests", "UPDATE"),
            ("Issues", "INSERT"),
            ("Issues", "UPDATE"),
            ("Issues", "DELETE"),
            ("IssueComments", "INSERT"),
            ("IssueComments", "UPDATE"),
            ("IssueComments", "DELETE"),
            ("PullRequestComments", "INSERT"),
            ("PullRequestComments", "UPDATE"),
            ("PullRequestComments", "DELETE"),
            ("CommitComments", "INSERT"),
            ("CommitComments", "UPDATE"),
            ("CommitComments", "DELETE"),
            ("Projects", "INSERT"),
            ("Projects", "UPDATE"),
            ("Projects", "DELETE"),
            ("DefaultReviewers", "INSERT"),
            ("DefaultReviewers", "DELETE"),
            ("BranchRestrictions", "INSERT"),
            ("BranchRestrictions", "UPDATE"),
            ("BranchRestrictions", "DELETE"),
            ("Repositories", "INSERT"),
            ("Repositories", "UPDATE"),
            ("Repositories", "DELETE"),
        ];
        declared.sort();
        let mut want = want.to_vec();
        want.sort();
        assert_eq!(declared, want);
    }

    #[test]
    fn read_only_and_unsupported_statements_name_the_table() {
        let e = check(None, "sys_tables", WriteKind::Insert).unwrap_err().to_string();
        assert!(e.starts_with("table sys_tables is read-only:"), "{e}");
        let branches = TABLES.iter().find(|t| t.name == "Branches").copied();
        let e = check(branches, "Branches", WriteKind::Update).unwrap_err().to_string();
        assert_eq!(e, "table Branches is read-only for UPDATE: it accepts only INSERT, DELETE");
        assert!(check(branches, "Branches", WriteKind::Delete).is_ok());
    }
}
