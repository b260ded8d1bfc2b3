//! The catalog model of contract section 3: catalog = workspace, schema `Information` with
//! every table; names resolve case-insensitively.

use super::sys_live::LiveSys;
use crate::tables::provider::{BitbucketTable, ScanContext};
use crate::tables::{find_table, Scope, TABLES};
use async_trait::async_trait;
use datafusion::catalog::{CatalogProvider, CatalogProviderList, SchemaProvider, TableProvider};
use datafusion::datasource::MemTable;
use datafusion::error::{DataFusionError, Result};
use std::sync::Arc;

pub const INFORMATION: &str = "Information";
/// Name of the default catalog when no `Workspace` is set.
pub const NO_WORKSPACE: &str = "Bitbucket";

#[derive(Debug)]
pub struct Catalogs {
    default: String,
    workspace: Option<String>,
    ctx: Arc<ScanContext>,
}

impl Catalogs {
    pub fn new(workspace: Option<String>, ctx: Arc<ScanContext>) -> Self {
        let default = workspace.clone().unwrap_or_else(|| NO_WORKSPACE.to_string());
        Catalogs { default, workspace, ctx }
    }
    pub fn default_catalog(&self) -> &str {
        &self.default
    }
}

impl CatalogProviderList for Catalogs {
    fn register_catalog(&self, _name: String, _catalog: Arc<dyn CatalogProvider>) -> Option<Arc<dyn CatalogProvider>> {
        None
    }
    fn catalog_names(&self) -> Vec<String> {
        vec![self.default.clone()]
    }
    fn catalog(&self, name: &str) -> Option<Arc<dyn CatalogProvider>> {
        // Any name may be a workspace; Bitbucket itself says whether it exists.
        let ws = if name == self.default {
            self.workspace.clone()
        } else {
            Some(name.to_ascii_lowercase())
        };
        Some(Arc::new(WorkspaceCatalog {
            cat: name.to_string(),
            workspace: ws,
            ctx: self.ctx.clone(),
        }))
    }
}

#[derive(Debug)]
struct WorkspaceCatalog {
    cat: String,
    workspace: Option<String>,
    ctx: Arc<ScanContext>,
}

impl CatalogProvider for WorkspaceCatalog {
    fn schema_names(&self) -> Vec<String> {
        vec![INFORMATION.to_string()]
    }
    fn schema(&self, name: &str) -> Option<Arc<dyn SchemaProvider>> {
        // Any other name is a repository slug; Bitbucket says whether it exists.
        let repo = (!name.eq_ignore_ascii_case(INFORMATION)).then(|| name.to_string());
        Some(Arc::new(BitbucketSchema {
            cat: self.cat.clone(),
            workspace: self.workspace.clone(),
            repo,
            ctx: self.ctx.clone(),
        }))
    }
}

#[derive(Debug)]
struct BitbucketSchema {
    cat: String,
    workspace: Option<String>,
    /// None = `Information`: every table, workspace-wide.
    repo: Option<String>,
    ctx: Arc<ScanContext>,
}

impl BitbucketSchema {
    fn find(&self, name: &str) -> Option<&'static crate::tables::TableDef> {
        find_table(name).filter(|t| self.repo.is_none() || t.scope == Scope::Repository)
    }
}

#[async_trait]
impl SchemaProvider for BitbucketSchema {
    fn table_names(&self) -> Vec<String> {
        TABLES
            .iter()
            .filter(|t| self.repo.is_none() || t.scope == Scope::Repository)
            .map(|t| t.name.to_string())
            .collect()
    }
    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>, DataFusionError> {
        if let Some(live) = LiveSys::new(name, self.cat.clone(), self.workspace.clone(), self.ctx.clone()) {
            return Ok(Some(Arc::new(live)));
        }
        if let Some((_, b)) = self.ctx.sys.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return Ok(Some(Arc::new(MemTable::try_new(b.schema(), vec![vec![b.clone()]])?)));
        }
        Ok(self.find(name).map(|def| {
            Arc::new(BitbucketTable::new(
                def,
                self.workspace.clone(),
                self.repo.clone(),
                self.ctx.clone(),
            )) as Arc<dyn TableProvider>
        }))
    }
    fn table_exist(&self, name: &str) -> bool {
        self.find(name).is_some() || crate::tables::sys::find_sys(name).is_some()
    }
}
