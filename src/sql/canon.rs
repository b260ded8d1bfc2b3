//! Identifiers are case-insensitive for users but DataFusion resolves columns exactly: every
//! identifier matching a known table, schema or column name (ignoring case) takes its
//! canonical spelling. Aliases and other names keep the case they were written with.

use crate::tables::TABLES;
use datafusion::sql::sqlparser::ast::{
    visit_expressions_mut, visit_relations_mut, Expr, Ident, ObjectNamePart, Select, SelectItem, Statement, TableFactor, Visit, VisitMut,
    Visitor, VisitorMut,
};
use std::collections::{HashMap, HashSet};
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

fn fix(id: &mut Ident, aliases: &HashSet<String>) {
    if aliases.contains(&id.value) {
        return;
    }
    if let Some(c) = known().get(&id.value.to_ascii_lowercase()) {
        id.value = (*c).to_string();
    }
}

/// The names the statement gives its own results: select-item aliases (except a column
/// aliased to its own name in other case, `slug AS slug`) and derived-table column lists.
/// A reference written exactly like one (`"t0"."date"`, `GROUP BY "key"`) means that alias,
/// not the table column of the same name in other case (`Commits.Date`).
#[derive(Default)]
struct Aliases(HashMap<String, usize>);

impl Visitor for Aliases {
    type Break = ();
    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<()> {
        for item in &select.projection {
            if let SelectItem::ExprWithAlias { expr, alias } = item {
                if !own_name(expr, alias) {
                    *self.0.entry(alias.value.clone()).or_default() += 1;
                }
            }
        }
        ControlFlow::Continue(())
    }
    fn pre_visit_table_factor(&mut self, t: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Derived { alias: Some(a), .. } = t {
            for c in &a.columns {
                *self.0.entry(c.name.value.clone()).or_default() += 1;
            }
        }
        ControlFlow::Continue(())
    }
}

/// `x AS x` or `t.x AS X`: a column passed on under its own name.
fn own_name(expr: &Expr, alias: &Ident) -> bool {
    match expr {
        Expr::Identifier(id) => id.value.eq_ignore_ascii_case(&alias.value),
        Expr::CompoundIdentifier(ids) => ids.last().is_some_and(|id| id.value.eq_ignore_ascii_case(&alias.value)),
        _ => false,
    }
}

/// Canonicalises each aliased select item's own expression first, where its alias does not
/// count (`upper(slug) AS slug` reads the column `Slug`).
/// WHERE likewise: a select's own aliases are not visible there (`upper(slug) AS slug ...
/// WHERE slug > 'a'` filters on the column), only those of its derived tables.
struct OwnExpressions<'a>(&'a HashMap<String, usize>);

impl VisitorMut for OwnExpressions<'_> {
    type Break = ();
    fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
        let mut own: HashMap<&str, usize> = HashMap::new();
        for item in &select.projection {
            if let SelectItem::ExprWithAlias { expr, alias } = item {
                if !own_name(expr, alias) {
                    *own.entry(alias.value.as_str()).or_default() += 1;
                }
            }
        }
        let elsewhere: HashSet<String> = self
            .0
            .iter()
            .filter(|(a, n)| **n > own.get(a.as_str()).copied().unwrap_or(0))
            .map(|(a, _)| a.clone())
            .collect();
        if let Some(w) = &mut select.selection {
            fix_expressions(w, &elsewhere);
        }
        for item in &mut select.projection {
            if let SelectItem::ExprWithAlias { expr, alias } = item {
                // `t0.date AS date` reads t0's alias `date`: left to the global pass.
                if own_name(expr, alias) {
                    continue;
                }
                let mut others: HashSet<String> = self.0.keys().cloned().collect();
                others.remove(&alias.value);
                fix_expressions(expr, &others);
            }
        }
        ControlFlow::Continue(())
    }
}

fn fix_expressions<V: VisitMut>(node: &mut V, aliases: &HashSet<String>) {
    let _ = visit_expressions_mut(node, |e| {
        match e {
            Expr::Identifier(id) => fix(id, aliases),
            Expr::CompoundIdentifier(ids) => ids.iter_mut().for_each(|id| fix(id, aliases)),
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

pub fn canonicalize(stmt: &mut Statement) {
    let mut aliases = Aliases::default();
    let _ = Visit::visit(&*stmt, &mut aliases);
    if !aliases.0.is_empty() {
        let _ = VisitMut::visit(stmt, &mut OwnExpressions(&aliases.0));
    }
    let aliases: HashSet<String> = aliases.0.into_keys().collect();
    let _ = visit_relations_mut(stmt, |name| {
        for part in name.0.iter_mut() {
            if let ObjectNamePart::Identifier(id) = part {
                fix(id, &HashSet::new());
            }
        }
        ControlFlow::<()>::Continue(())
    });
    fix_expressions(stmt, &aliases);
}

#[cfg(test)]
mod tests {
    use crate::sql::test_support::engine;

    /// Result columns of `sql`, planned without the network.
    fn columns(sql: &str) -> Vec<String> {
        let p = crate::runtime::block_on(engine().prepare(sql, None)).unwrap_or_else(|e| panic!("{sql}: {e}"));
        p.schema.fields().iter().map(|f| f.name().clone()).collect()
    }

    #[test]
    fn aliases_written_like_other_columns_stay_aliases() {
        // `date` and `key` are no columns here, though Commits.Date and Projects.Key exist.
        assert_eq!(
            columns("SELECT t0.date, t0.key FROM (SELECT CreatedOn AS date, Slug AS key FROM Repositories) t0 GROUP BY t0.date, t0.key"),
            ["date", "key"]
        );
        assert_eq!(
            columns("SELECT CAST(CreatedOn AS DATE) AS date FROM Repositories GROUP BY date"),
            ["date"]
        );
        // An alias's own expression still reads the column, whatever its case.
        assert_eq!(columns("SELECT upper(slug) AS slug FROM repositories ORDER BY slug"), ["slug"]);
        assert_eq!(columns("SELECT slug AS slug FROM repositories WHERE slug > 'a'"), ["slug"]);
        assert_eq!(columns("SELECT upper(slug) AS slug FROM repositories WHERE slug > 'a'"), ["slug"]);
        // ... but a derived table's alias is visible in WHERE.
        assert_eq!(
            columns("SELECT t.date FROM (SELECT CreatedOn AS date FROM Repositories) t WHERE t.date > DATE '2000-01-01'"),
            ["date"]
        );
        assert_eq!(columns("SELECT slug, createdon FROM repositories"), ["Slug", "CreatedOn"]);
    }
}
