//! One DataFusion table provider for every declaration: turns a scan into paginated
//! Bitbucket requests and streams each page as an Arrow batch.

use super::arrow_build;
use super::defs::{ColumnDef, Scope, TableDef};
use crate::bitbucket::{paginate, ApiError, Client};
use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableProvider};
use datafusion::datasource::TableType;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::Expr;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::{PartitionStream, StreamingTableExec};
use datafusion::physical_plan::ExecutionPlan;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use std::sync::Arc;

/// What every scan of one connection shares.
pub struct ScanContext {
    pub client: Arc<Client>,
    pub max_concurrent: usize,
    pub page_size: Option<u32>,
}

/// Errors of the table layer that are not HTTP errors.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("table {table} needs a workspace: set the Workspace connection property, or qualify the table as \"<workspace>\".\"Information\".\"{table}\"")]
    NoWorkspace { table: &'static str },
}

#[derive(Debug)]
pub struct BitbucketTable {
    def: &'static TableDef,
    workspace: Option<String>,
    schema: SchemaRef,
    ctx: Arc<ScanContext>,
}

impl std::fmt::Debug for ScanContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScanContext")
    }
}

impl BitbucketTable {
    pub fn new(def: &'static TableDef, workspace: Option<String>, ctx: Arc<ScanContext>) -> Self {
        let cols: Vec<&ColumnDef> = def.columns.iter().collect();
        BitbucketTable {
            def,
            workspace,
            schema: arrow_build::schema_of(&cols),
            ctx,
        }
    }

    fn list_url(&self) -> Result<String> {
        let path = match self.def.scope {
            Scope::Global => self.def.list_path.to_string(),
            Scope::Workspace => {
                let ws = self
                    .workspace
                    .as_deref()
                    .ok_or_else(|| DataFusionError::External(Box::new(TableError::NoWorkspace { table: self.def.name })))?;
                self.def.list_path.replace("{workspace}", &encode_segment(ws))
            }
        };
        let pagelen = self.ctx.page_size.unwrap_or(self.def.max_pagelen).min(self.def.max_pagelen);
        Ok(self.ctx.client.url(&path, &[("pagelen", pagelen.to_string())]))
    }
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

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let cols: Vec<&'static ColumnDef> = match projection {
            Some(p) => p.iter().map(|i| &self.def.columns[*i]).collect(),
            None => self.def.columns.iter().collect(),
        };
        let schema = arrow_build::schema_of(&cols);
        let part = ScanPartition {
            def: self.def,
            cols,
            schema: schema.clone(),
            url: self.list_url()?,
            ctx: self.ctx.clone(),
        };
        Ok(Arc::new(StreamingTableExec::try_new(
            schema,
            vec![Arc::new(part)],
            None,
            Vec::new(),
            false,
            limit,
        )?))
    }
}

struct ScanPartition {
    def: &'static TableDef,
    cols: Vec<&'static ColumnDef>,
    schema: SchemaRef,
    url: String,
    ctx: Arc<ScanContext>,
}

impl std::fmt::Debug for ScanPartition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Bitbucket scan of {} ({})",
            self.def.name,
            crate::bitbucket::client::path_of(&self.url)
        )
    }
}

fn ext(e: ApiError) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

impl PartitionStream for ScanPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let ctx = self.ctx.clone();
        let def = self.def;
        let cols = self.cols.clone();
        let schema = self.schema.clone();
        let need_detail = cols.iter().any(|c| c.is_detail());
        // Pages are fetched only as the consumer pulls; the exec's own limit stops the pull.
        let pages = paginate::pages(ctx.client.clone(), self.url.clone()).map_err(ext);
        let batches = pages.and_then(move |mut rows| {
            let ctx = ctx.clone();
            let cols = cols.clone();
            let schema = schema.clone();
            async move {
                if need_detail {
                    if let Some(d) = &def.detail {
                        rows = with_details(&ctx, d, rows).await.map_err(ext)?;
                    }
                }
                let refs: Vec<&Value> = rows.iter().collect();
                Ok(arrow_build::build(&schema, &cols, &refs)?)
            }
        });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), batches))
    }
}

/// Fetches each row's single-object endpoint concurrently and stores it under `detail`.
async fn with_details(ctx: &ScanContext, d: &super::defs::DetailDef, rows: Vec<Value>) -> std::result::Result<Vec<Value>, ApiError> {
    let client = ctx.client.clone();
    futures::stream::iter(rows.into_iter().map(|mut row| {
        let client = client.clone();
        async move {
            if let Some(key) = arrow_build::lookup(&row, d.key_path).and_then(Value::as_str) {
                let url = client.url(&d.path.replace("{key}", &encode_segment(key)), &[]);
                let detail = client.get_json(&url).await?;
                if let Value::Object(o) = &mut row {
                    o.insert("detail".into(), detail);
                }
            }
            Ok(row)
        }
    }))
    .buffered(ctx.max_concurrent)
    .try_collect()
    .await
}
