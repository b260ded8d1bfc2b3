//! One DataFusion session per connection over the Bitbucket catalogs.

use super::catalog::Catalogs;
use super::error::SqlError;
use crate::tables::exec::BitbucketScanExec;
use crate::tables::provider::ScanContext;
use crate::tables::provider::StatementScope;
use datafusion::arrow::array::StringArray;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::DataFusionError;
use datafusion::execution::context::SQLOptions;
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{LogicalPlan, LogicalPlanBuilder};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion::sql::parser::{DFParser, Statement as DFStatement};
use datafusion::sql::sqlparser::dialect::GenericDialect;
use std::sync::Arc;

pub struct Engine {
    ctx: SessionContext,
}

/// A planned statement: its result columns are known before any API call.
#[derive(Clone)]
pub struct Prepared {
    pub plan: LogicalPlan,
    pub schema: SchemaRef,
    /// The type the planner inferred for each `?` marker, in order (`None`: any).
    pub params: Vec<Option<datafusion::arrow::datatypes::DataType>>,
    /// INSERT, UPDATE or DELETE: no result set (`schema` is empty); SQLRowCount gives the rows.
    pub dml: bool,
}

impl Engine {
    pub fn new(workspace: Option<String>, schema: &str, scan: Arc<ScanContext>) -> Engine {
        let catalogs = Arc::new(Catalogs::new(workspace, scan));
        let mut config = SessionConfig::new()
            .with_default_catalog_and_schema(catalogs.default_catalog(), schema)
            .with_create_default_catalog_and_schema(false)
            .with_information_schema(false)
            .with_target_partitions(2);
        // Column names are PascalCase; `canon` makes unquoted names case-insensitive instead.
        config.options_mut().sql_parser.enable_ident_normalization = false;
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_catalog_list(catalogs)
            .with_default_features()
            .build();
        let ctx = SessionContext::new_with_state(state);
        super::odbc_functions::register(&ctx);
        Engine { ctx }
    }

    /// What `{fn DATABASE()}` and `{fn USER()}` answer on this connection.
    pub fn set_names(&self, database: &str, user: &str) {
        super::odbc_functions::register_names(&self.ctx, database, user);
    }

    /// Parses and plans without touching the network.
    pub async fn prepare(&self, sql: &str, max_rows: Option<usize>) -> Result<Prepared, SqlError> {
        let sql = super::escapes::rewrite(sql)?;
        let (sql, markers) = super::params::number_markers(&sql);
        let mut stmts = DFParser::parse_sql_with_dialect(&sql, &GenericDialect {})?;
        if stmts.len() != 1 {
            return Err(SqlError::Syntax(format!("expected one statement, found {}", stmts.len())));
        }
        let mut stmt = stmts.pop_front().expect("one statement");
        match &mut stmt {
            DFStatement::Explain(ex) => match ex.statement.as_mut() {
                DFStatement::Statement(s) => check_statement(s)?,
                _ => return Err(SqlError::NotSupported("EXPLAIN works on SELECT statements".into())),
            },
            DFStatement::Statement(s) => check_statement(s)?,
            _ => {
                return Err(SqlError::NotSupported(
                    "only SELECT, INSERT, UPDATE, DELETE and EXPLAIN statements are supported".into(),
                ))
            }
        }
        let state = self.ctx.state();
        let plan = state.statement_to_plan(stmt).await?;
        SQLOptions::new()
            .with_allow_ddl(false)
            .with_allow_dml(true)
            .with_allow_statements(false)
            .verify_plan(&plan)?;
        let dml = super::dml::check(&plan)?;
        let plan = match &plan {
            LogicalPlan::Explain(ex) => self.explain_with_requests(&plan, &ex.plan).await?,
            _ => plan,
        };
        let plan = match max_rows {
            Some(n) if !dml => LogicalPlanBuilder::from(plan).limit(0, Some(n))?.build()?,
            _ => plan,
        };
        let schema = match dml {
            true => Arc::new(datafusion::arrow::datatypes::Schema::empty()),
            false => Arc::new(plan.schema().as_arrow().clone()),
        };
        let types = plan.get_parameter_types()?;
        let params = (1..=markers).map(|i| types.get(&format!("${i}")).cloned().flatten()).collect();
        Ok(Prepared { plan, schema, params, dml })
    }

    /// EXPLAIN's rows plus one `bitbucket_requests` row: the API requests each scan will make.
    /// Planning makes no request, so EXPLAIN stays free.
    async fn explain_with_requests(&self, explain: &LogicalPlan, inner: &LogicalPlan) -> Result<LogicalPlan, SqlError> {
        let batches = self.ctx.execute_logical_plan(explain.clone()).await?.collect().await?;
        let physical = self.ctx.state().create_physical_plan(inner).await?;
        let mut scans = Vec::new();
        collect_scans(&physical, &mut scans);
        let schema = explain.schema().as_arrow().clone();
        let text = if scans.is_empty() {
            "no Bitbucket requests".to_string()
        } else {
            scans.join("\n")
        };
        let extra = RecordBatch::try_new(
            Arc::new(schema.clone()),
            vec![
                Arc::new(StringArray::from(vec!["bitbucket_requests"])),
                Arc::new(StringArray::from(vec![text])),
            ],
        )
        .map_err(DataFusionError::from)?;
        let mut all = batches;
        all.push(extra);
        let batch = datafusion::arrow::compute::concat_batches(&Arc::new(schema), &all).map_err(DataFusionError::from)?;
        Ok(self.ctx.read_batch(batch)?.logical_plan().clone())
    }

    /// Runs the plan; the scans report their warnings to `scope`.
    /// `params` are the bound values of the `?` markers, already in their inferred types.
    pub async fn execute(
        &self,
        p: &Prepared,
        params: Vec<datafusion::common::ScalarValue>,
        scope: Arc<StatementScope>,
    ) -> Result<SendableRecordBatchStream, SqlError> {
        let plan = if params.is_empty() {
            p.plan.clone()
        } else {
            p.plan.clone().with_param_values(params)?
        };
        let df = self.ctx.execute_logical_plan(plan).await?;
        let (state, plan) = df.into_parts();
        let physical = state.create_physical_plan(&plan).await?;
        let config = state.config().clone().with_extension(scope);
        let task = TaskContext::from(&state).with_session_config(config);
        Ok(datafusion::physical_plan::execute_stream(physical, Arc::new(task))?)
    }
}

/// Canonicalizes identifiers and lets only queries through.
fn check_statement(s: &mut Box<datafusion::sql::sqlparser::ast::Statement>) -> Result<(), SqlError> {
    super::canon::canonicalize(s);
    super::dml::canonicalize_targets(s);
    super::top::rewrite(s)?;
    use datafusion::sql::sqlparser::ast::Statement as S;
    match s.as_ref() {
        S::Query(_) | S::Explain { .. } | S::Insert(_) | S::Update { .. } | S::Delete(_) => Ok(()),
        other => Err(SqlError::NotSupported(format!(
            "only SELECT, INSERT, UPDATE, DELETE and EXPLAIN statements are supported, not: {}",
            first_words(&other.to_string())
        ))),
    }
}

/// The request plans of every Bitbucket scan in a physical plan (their Debug form).
fn collect_scans(plan: &Arc<dyn ExecutionPlan>, out: &mut Vec<String>) {
    if let Some(s) = plan.downcast_ref::<BitbucketScanExec>() {
        out.push(format!("{:?}", s.partition()));
    }
    for c in plan.children() {
        collect_scans(c, out);
    }
}

fn first_words(s: &str) -> String {
    s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}
