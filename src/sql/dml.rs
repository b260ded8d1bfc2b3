//! INSERT, UPDATE and DELETE in the SQL layer: the names DataFusion's planner reads outside
//! expressions, the read-only check at prepare time, and the row count of an executed write.

use super::error::SqlError;
use crate::tables::defs::WriteKind;
use crate::tables::provider::BitbucketTable;
use crate::tables::write::{check as check_write, WriteError};
use datafusion::datasource::source_as_provider;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::logical_expr::{LogicalPlan, WriteOp};
use datafusion::sql::sqlparser::ast::{AssignmentTarget, ObjectName, ObjectNamePart, Statement};
use futures::TryStreamExt;

/// INSERT column lists and SET targets are not expressions, so `canon` does not reach them:
/// they take the catalog's spelling here (`insert into issues (title)` finds `Title`).
pub fn canonicalize_targets(stmt: &mut Statement) {
    let fix = |n: &mut ObjectName| {
        for part in n.0.iter_mut() {
            if let ObjectNamePart::Identifier(id) = part {
                if let Some(c) = canonical(&id.value) {
                    id.value = c.to_string();
                }
            }
        }
    };
    match stmt {
        Statement::Insert(i) => i.columns.iter_mut().for_each(fix),
        Statement::Update(u) => {
            for a in u.assignments.iter_mut() {
                match &mut a.target {
                    AssignmentTarget::ColumnName(n) => fix(n),
                    AssignmentTarget::Tuple(ns) => ns.iter_mut().for_each(fix),
                }
            }
        }
        _ => {}
    }
}

fn canonical(name: &str) -> Option<&'static str> {
    crate::tables::TABLES
        .iter()
        .flat_map(|t| t.columns.iter())
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .map(|c| c.name)
}

/// Whether the plan writes; refuses writes the target table does not accept, before any
/// request, naming the table.
pub fn check(plan: &LogicalPlan) -> Result<bool, SqlError> {
    let LogicalPlan::Dml(d) = plan else { return Ok(false) };
    let kind = match d.op {
        WriteOp::Insert(_) => WriteKind::Insert,
        WriteOp::Update => WriteKind::Update,
        WriteOp::Delete => WriteKind::Delete,
        _ => {
            return Err(SqlError::NotSupported(format!(
                "{:?} is not supported; use INSERT, UPDATE or DELETE",
                d.op
            )))
        }
    };
    let provider = source_as_provider(&d.target)?;
    let def = provider.as_ref().downcast_ref::<BitbucketTable>().map(|t| t.def());
    let table = d.table_name.table().to_string();
    check_write(def, &table, kind).map_err(|e: WriteError| SqlError::Table(e.to_string()))?;
    Ok(true)
}

/// Rows an executed write affected: the sum of its `count` column.
pub async fn rows_affected(stream: SendableRecordBatchStream) -> Result<u64, SqlError> {
    let batches: Vec<_> = stream.try_collect().await?;
    let mut n = 0u64;
    for b in batches {
        if let Some(c) = b.columns().first() {
            if let Some(a) = c.as_any().downcast_ref::<datafusion::arrow::array::UInt64Array>() {
                n += a.iter().flatten().sum::<u64>();
            }
        }
    }
    Ok(n)
}
