//! Identifiers are case-insensitive for users but DataFusion resolves columns exactly: every
//! identifier matching a known table, schema or column name (ignoring case) takes its
//! canonical spelling. Aliases and other names keep the case they were written with.
//! `SELECT TOP n` becomes `LIMIT n`, which is what DataFusion plans.

use crate::tables::TABLES;
use datafusion::sql::sqlparser::ast::{
    visit_expressions_mut, visit_relations_mut, Expr, Ident, LimitClause, ObjectNamePart, Query, SetExpr, Statement, TopQuantity, VisitMut,
    VisitorMut,
};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::OnceLock;

fn known() -> &'static HashMap<String, &'static str> {
    static KNOWN: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut m = HashMap::new();
        m.insert(super::catalog::INFORMATION.to_ascii_lowercase(), super::catalog::INFORMATION);
        for t in crate::tables::sys::SYS_TABLES {
            m.insert(t.name.to_ascii_lowercase(), t.name);
            for (c, _) in t.columns {
                m.insert(c.to_ascii_lowercase(), *c);
            }
        }
        for t in TABLES {
            m.insert(t.name.to_ascii_lowercase(), t.name);
            for c in t.columns {
                m.insert(c.name.to_ascii_lowercase(), c.name);
            }
        }
        m
    })
}

fn fix(id: &mut Ident) {
    if let Some(c) = known().get(&id.value.to_ascii_lowercase()) {
        id.value = (*c).to_string();
    }
}

pub fn canonicalize(stmt: &mut Statement) {
    let _ = stmt.visit(&mut TopToLimit);
    let _ = visit_relations_mut(stmt, |name| {
        for part in name.0.iter_mut() {
            if let ObjectNamePart::Identifier(id) = part {
                fix(id);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions_mut(stmt, |e| {
        match e {
            Expr::Identifier(id) => fix(id),
            Expr::CompoundIdentifier(ids) => ids.iter_mut().for_each(fix),
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

/// `SELECT TOP n ...` (T-SQL; Tableau's "TOP" row-limiting style) as `... LIMIT n`, in every
/// query whose body is a plain SELECT without its own LIMIT or FETCH. `TOP n PERCENT` and
/// `WITH TIES` stay, and DataFusion reports them as unsupported.
struct TopToLimit;

impl VisitorMut for TopToLimit {
    type Break = ();

    fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
        if q.limit_clause.is_some() || q.fetch.is_some() {
            return ControlFlow::Continue(());
        }
        let SetExpr::Select(select) = q.body.as_mut() else {
            return ControlFlow::Continue(());
        };
        let Some(top) = select.top.as_ref().filter(|t| !t.percent && !t.with_ties) else {
            return ControlFlow::Continue(());
        };
        let n = match &top.quantity {
            Some(TopQuantity::Constant(n)) => Expr::value(datafusion::sql::sqlparser::ast::Value::Number(n.to_string(), false)),
            Some(TopQuantity::Expr(e)) => e.clone(),
            None => return ControlFlow::Continue(()),
        };
        select.top = None;
        q.limit_clause = Some(LimitClause::LimitOffset {
            limit: Some(n),
            offset: None,
            limit_by: Vec::new(),
        });
        ControlFlow::Continue(())
    }
}
