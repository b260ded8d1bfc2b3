//! `sys_catalogs` and `sys_schemas` read Bitbucket when queried (the workspaces the
//! credentials see, the workspace's repositories), so they list exactly what SQLTables'
//! SQL_ALL_CATALOGS and SQL_ALL_SCHEMAS list.

use super::catalog::INFORMATION;
use crate::bitbucket::ApiError;
use crate::tables::provider::{encode_segment, ScanContext};
use crate::tables::scan::list_strings;
use crate::tables::sys::{find_sys, schema_of};
use async_trait::async_trait;
use datafusion::arrow::array::{ArrayRef, StringArray};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{Session, TableProvider};
use datafusion::datasource::{MemTable, TableType};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::Expr;
use datafusion::physical_plan::ExecutionPlan;
use std::sync::Arc;

pub const LIVE: &[&str] = &["sys_catalogs", "sys_schemas"];

#[derive(Debug)]
pub struct LiveSys {
    name: &'static str,
    cat: String,
    workspace: Option<String>,
    ctx: Arc<ScanContext>,
}

impl LiveSys {
    pub fn new(name: &str, cat: String, workspace: Option<String>, ctx: Arc<ScanContext>) -> Option<Self> {
        let name = LIVE.iter().copied().find(|n| n.eq_ignore_ascii_case(name))?;
        Some(LiveSys { name, cat, workspace, ctx })
    }

    async fn rows(&self) -> Result<Vec<Vec<String>>> {
        if self.name == "sys_catalogs" {
            // Anonymous connections cannot list workspaces: they see the current catalog only.
            let mut slugs = match list_strings(&self.ctx, "/user/workspaces", "workspace.slug").await {
                Err(DataFusionError::External(e)) if matches!(e.downcast_ref::<ApiError>(), Some(ApiError::Status { status: 401, .. })) => {
                    vec![self.cat.clone()]
                }
                other => other?,
            };
            slugs.sort();
            return Ok(slugs.into_iter().map(|s| vec![s]).collect());
        }
        let mut schemas = Vec::new();
        if let Some(ws) = &self.workspace {
            schemas = list_strings(&self.ctx, &format!("/repositories/{}", encode_segment(ws)), "slug").await?;
            schemas.sort();
        }
        schemas.insert(0, INFORMATION.to_string());
        Ok(schemas.into_iter().map(|s| vec![self.cat.clone(), s]).collect())
    }
}

#[async_trait]
impl TableProvider for LiveSys {
    fn schema(&self) -> SchemaRef {
        schema_of(find_sys(self.name).expect("live sys tables are declared"))
    }
    fn table_type(&self) -> TableType {
        TableType::Base
    }
    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let rows = self.rows().await?;
        let schema = self.schema();
        let arrays: Vec<ArrayRef> = (0..schema.fields().len())
            .map(|i| Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r[i].as_str()))) as ArrayRef)
            .collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays)?;
        MemTable::try_new(schema, vec![vec![batch]])?
            .scan(state, projection, filters, limit)
            .await
    }
}
