//! Filters that pin a fan-out: `col = literal` or `col IN (literals)` on the repository, the
//! parent key or the revision replace listing every repository or parent row by direct
//! requests. The engine re-checks them, so a pin only ever narrows the requests.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr, Operator};
use serde_json::Value;

/// The literal values `expr` pins `column` to, if it is such a filter.
pub fn pinned(expr: &Expr, column: &str) -> Option<Vec<Value>> {
    // Integer literals of another width arrive as a cast of the column.
    fn is_col(e: &Expr, column: &str) -> bool {
        match e {
            Expr::Column(c) => c.name.eq_ignore_ascii_case(column),
            Expr::Cast(c) => is_col(&c.expr, column),
            Expr::TryCast(c) => is_col(&c.expr, column),
            _ => false,
        }
    }
    let is_col = |e: &Expr| is_col(e, column);
    match expr {
        Expr::BinaryExpr(b) if b.op == Operator::Eq => match (b.left.as_ref(), b.right.as_ref()) {
            (l, Expr::Literal(v, _)) if is_col(l) => Some(vec![json(v)?]),
            (Expr::Literal(v, _), r) if is_col(r) => Some(vec![json(v)?]),
            _ => None,
        },
        // The optimizer turns short IN lists into OR chains of equalities.
        Expr::BinaryExpr(b) if b.op == Operator::Or => {
            let mut v = pinned(&b.left, column)?;
            v.extend(pinned(&b.right, column)?);
            Some(v)
        }
        Expr::InList(i) if !i.negated && is_col(&i.expr) => i
            .list
            .iter()
            .map(|e| match e {
                Expr::Literal(v, _) => json(v),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// `column = 'text'` as (parameter, value) when the column has an endpoint parameter.
pub fn param(def: &crate::tables::TableDef, e: &Expr) -> Option<(&'static str, String)> {
    def.columns
        .iter()
        .filter(|c| c.param.is_some())
        .find_map(|c| match pinned(e, c.name)?.as_slice() {
            [Value::String(v)] => Some((c.param?, v.clone())),
            _ => None,
        })
}

/// The first pin of `column` among the filters.
pub fn find(filters: &[Expr], column: &str) -> Option<Vec<Value>> {
    filters.iter().find_map(|f| pinned(f, column))
}

fn json(v: &ScalarValue) -> Option<Value> {
    match v {
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => Some(Value::String(s.clone())),
        ScalarValue::Int8(Some(n)) => Some((*n).into()),
        ScalarValue::Int16(Some(n)) => Some((*n).into()),
        ScalarValue::Int32(Some(n)) => Some((*n).into()),
        ScalarValue::Int64(Some(n)) => Some((*n).into()),
        ScalarValue::UInt32(Some(n)) => Some((*n).into()),
        ScalarValue::UInt64(Some(n)) => Some((*n).into()),
        _ => None,
    }
}

pub fn as_strings(values: Vec<Value>) -> Vec<String> {
    values
        .into_iter()
        .map(|v| v.as_str().map(String::from).unwrap_or_else(|| v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::prelude::{col, lit};

    #[test]
    fn equality_and_in_lists() {
        assert_eq!(
            pinned(&col("RepositorySlug").eq(lit("a")), "repositoryslug"),
            Some(vec![Value::from("a")])
        );
        assert_eq!(pinned(&lit(5).eq(col("Id")), "Id"), Some(vec![Value::from(5)]));
        let inl = col("Id").in_list(vec![lit(1), lit(2)], false);
        assert_eq!(pinned(&inl, "Id"), Some(vec![Value::from(1), Value::from(2)]));
        assert_eq!(pinned(&col("Id").in_list(vec![lit(1)], true), "Id"), None);
        assert_eq!(pinned(&col("Id").gt(lit(1)), "Id"), None);
        assert_eq!(pinned(&col("Other").eq(lit(1)), "Id"), None);
        let or = col("Id").eq(lit(1)).or(col("Id").eq(lit(2)).or(col("Id").eq(lit(3))));
        assert_eq!(pinned(&or, "Id"), Some(vec![Value::from(1), Value::from(2), Value::from(3)]));
        assert_eq!(pinned(&col("Id").eq(lit(1)).or(col("X").eq(lit(2))), "Id"), None);
        let cast = datafusion::logical_expr::cast(col("Id"), datafusion::arrow::datatypes::DataType::Int64);
        assert_eq!(pinned(&cast.in_list(vec![lit(7i64)], false), "Id"), Some(vec![Value::from(7)]));
        assert_eq!(pinned(&col("Id").in_list(vec![lit(1), col("x")], false), "Id"), None);
    }
}
