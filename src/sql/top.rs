//! `SELECT TOP n` (contract section 5; SQL Server-style tools send it) as the `LIMIT n`
//! DataFusion plans, in every query of the statement.

use super::error::SqlError;
use datafusion::sql::sqlparser::ast::{Expr, LimitClause, Query, SetExpr, Statement, TopQuantity, Value, VisitMut, VisitorMut};
use std::ops::ControlFlow;

struct TopToLimit;

impl VisitorMut for TopToLimit {
    type Break = SqlError;

    fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<SqlError> {
        let SetExpr::Select(select) = q.body.as_mut() else {
            return ControlFlow::Continue(());
        };
        let Some(top) = select.top.take() else {
            return ControlFlow::Continue(());
        };
        if top.percent || top.with_ties {
            return ControlFlow::Break(SqlError::NotSupported("TOP … PERCENT and WITH TIES: use LIMIT".into()));
        }
        let n = match top.quantity {
            Some(TopQuantity::Constant(n)) => Expr::value(Value::Number(n.to_string(), false)),
            Some(TopQuantity::Expr(e)) => e,
            None => return ControlFlow::Break(SqlError::Syntax("TOP needs a number of rows".into())),
        };
        match &mut q.limit_clause {
            None => {
                q.limit_clause = Some(LimitClause::LimitOffset {
                    limit: Some(n),
                    offset: None,
                    limit_by: vec![],
                })
            }
            Some(_) => return ControlFlow::Break(SqlError::Syntax("use either TOP or LIMIT, not both".into())),
        }
        ControlFlow::Continue(())
    }
}

pub fn rewrite(stmt: &mut Statement) -> Result<(), SqlError> {
    match stmt.visit(&mut TopToLimit) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}
