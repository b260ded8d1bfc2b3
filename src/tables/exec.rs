//! The physical scan node of every Bitbucket table. Besides running the scan's requests it
//! takes DataFusion's LIMIT (`with_fetch`) and ORDER BY (`try_pushdown_sort`): a single-column
//! sort becomes Bitbucket's `sort` parameter, and where the API's order is provably SQL's
//! (one list, a NOT NULL number or timestamp) the engine's sort is dropped, so
//! `ORDER BY CreatedOn DESC LIMIT 10` is one request of ten rows.

use super::defs::ColType;
use super::scan::ScanPartition;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::error::Result;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::expressions::Column;
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr, PhysicalSortExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties, SortOrderPushdownResult};
use futures::{stream, StreamExt};
use std::sync::Arc;

#[derive(Debug)]
pub struct BitbucketScanExec {
    part: ScanPartition,
    props: Arc<PlanProperties>,
}

impl BitbucketScanExec {
    pub fn new(part: ScanPartition, ordering: Option<PhysicalSortExpr>) -> Self {
        let schema = part.schema.clone();
        let eq = match ordering {
            Some(o) => EquivalenceProperties::new_with_orderings(schema, [[o]]),
            None => EquivalenceProperties::new(schema),
        };
        let props = PlanProperties::new(
            eq,
            Partitioning::UnknownPartitioning(1),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        BitbucketScanExec {
            part,
            props: Arc::new(props),
        }
    }

    pub fn partition(&self) -> &ScanPartition {
        &self.part
    }

    /// The sort Bitbucket can apply: one plain, sortable column of a BBQL endpoint.
    fn api_sort(&self, order: &[PhysicalSortExpr]) -> Option<(String, bool)> {
        let [o] = order else { return None };
        let name = o.expr.downcast_ref::<Column>()?.name();
        let def = self.part.def;
        let col = def.column(name)?;
        if !def.bbql || def.q_only.is_some() || !col.is_plain() || !self.part.ctx.push_down {
            return None;
        }
        let sort = format!("{}{}", if o.options.descending { "-" } else { "" }, col.path);
        // Exact only for one ordered list of non-null numbers or times: text collations and
        // the place of NULLs may differ from SQL's, and a fan-out interleaves lists.
        let exact =
            self.part.is_single_list() && col.not_null && matches!(col.ty, ColType::Int | ColType::BigInt | ColType::Ts | ColType::Double);
        Some((sort, exact))
    }
}

impl DisplayAs for BitbucketScanExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "BitbucketScanExec: {:?}", self.part)
    }
}

impl ExecutionPlan for BitbucketScanExec {
    fn name(&self) -> &str {
        "BitbucketScanExec"
    }
    fn properties(&self) -> &Arc<PlanProperties> {
        &self.props
    }
    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        Vec::new()
    }
    fn apply_expressions(&self, _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }
    fn with_new_children(self: Arc<Self>, _children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(&self, _partition: usize, ctx: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let batches = self.part.execute(ctx);
        let Some(n) = self.part.push.fetch else { return Ok(batches) };
        // Stop after `n` rows: later pages are never requested.
        let limited = stream::unfold((batches, n), |(mut s, left)| async move {
            if left == 0 {
                return None;
            }
            match s.next().await? {
                Ok(b) => {
                    let b: RecordBatch = b.slice(0, b.num_rows().min(left));
                    let rest = left - b.num_rows();
                    Some((Ok(b), (s, rest)))
                }
                Err(e) => Some((Err(e), (s, 0))),
            }
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(self.part.schema.clone(), limited)))
    }

    fn fetch(&self) -> Option<usize> {
        self.part.push.fetch
    }
    fn with_fetch(&self, limit: Option<usize>) -> Option<Arc<dyn ExecutionPlan>> {
        let mut part = self.part.clone();
        part.push.fetch = limit;
        let ordering = self.props.output_ordering().map(|o| o.first().clone());
        Some(Arc::new(BitbucketScanExec::new(part, ordering)))
    }

    fn try_pushdown_sort(&self, order: &[PhysicalSortExpr]) -> Result<SortOrderPushdownResult<Arc<dyn ExecutionPlan>>> {
        let Some((sort, exact)) = self.api_sort(order) else {
            return Ok(SortOrderPushdownResult::Unsupported);
        };
        let mut part = self.part.clone();
        part.push.sort = Some(sort);
        Ok(if exact {
            SortOrderPushdownResult::Exact {
                inner: Arc::new(BitbucketScanExec::new(part, Some(order[0].clone()))),
            }
        } else {
            SortOrderPushdownResult::Inexact {
                inner: Arc::new(BitbucketScanExec::new(part, None)),
            }
        })
    }
}
