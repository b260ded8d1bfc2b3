//! WHERE predicates → BBQL `q` (reference 3.1). Only what BBQL expresses with the same or
//! looser semantics is translated (the engine re-checks every pushed filter): equality,
//! IN, NULL tests, numeric and datetime ranges, LIKE 'x%' / '%x%' as `~`, AND/OR/NOT.
//! String ranges, NOT LIKE and strings with quotes or backslashes stay client-side.

use super::defs::{ColType, TableDef};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::{InList, Like};
use datafusion::logical_expr::{BinaryExpr, Expr, Operator};

/// BBQL for `e` over `def`'s columns, or None when any part cannot be expressed.
pub fn translate(def: &TableDef, e: &Expr) -> Option<String> {
    if !def.bbql {
        return None;
    }
    if let Some(only) = def.q_only {
        let path = def.column(only)?.path;
        let vals: Option<Vec<String>> = super::pins::pinned(e, only)?.iter().map(|v| v.as_str().and_then(string)).collect();
        return Some(format!("{path} IN ({})", vals?.join(", ")));
    }
    match e {
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::And,
            right,
        }) => Some(format!("({} AND {})", translate(def, left)?, translate(def, right)?)),
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::Or,
            right,
        }) => Some(format!("({} OR {})", translate(def, left)?, translate(def, right)?)),
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
            let (field, ty, op, v) = match (field(def, left), field(def, right)) {
                (Some((f, ty)), None) => (f, ty, *op, literal(right)?),
                (None, Some((f, ty))) => (f, ty, op.swap()?, literal(left)?),
                _ => return None,
            };
            let sym = match op {
                Operator::Eq => "=",
                Operator::NotEq => "!=",
                Operator::Lt => "<",
                Operator::LtEq => "<=",
                Operator::Gt => ">",
                Operator::GtEq => ">=",
                _ => return None,
            };
            // Bitbucket orders strings and enumerations its own way: ranges only on numbers and times.
            if !matches!(op, Operator::Eq | Operator::NotEq)
                && !matches!(ty, ColType::Int | ColType::BigInt | ColType::Double | ColType::Ts)
            {
                return None;
            }
            Some(format!("{field} {sym} {}", value(&v, ty)?))
        }
        Expr::Not(inner) => translate(def, &negate(inner)?),
        Expr::InList(InList { expr, list, negated }) => {
            let (f, ty) = field(def, expr)?;
            let vals: Option<Vec<String>> = list.iter().map(|l| value(&literal(l)?, ty)).collect();
            let not = if *negated { "NOT " } else { "" };
            Some(format!("{f} {not}IN ({})", vals?.join(", ")))
        }
        Expr::IsNull(x) => Some(format!("{} = null", field(def, x)?.0)),
        Expr::IsNotNull(x) => Some(format!("{} != null", field(def, x)?.0)),
        Expr::Like(Like {
            negated: false,
            expr,
            pattern,
            escape_char: None,
            ..
        }) => {
            let (f, ty) = field(def, expr)?;
            let ScalarValue::Utf8(Some(p)) = literal(pattern)? else {
                return None;
            };
            let inner = p.strip_suffix('%')?;
            let inner = inner.strip_prefix('%').unwrap_or(inner);
            if ty != ColType::Text || inner.is_empty() || inner.contains(['%', '_']) {
                return None;
            }
            Some(format!("{f} ~ {}", string(inner)?))
        }
        Expr::Column(_) => {
            let (f, ty) = field(def, e)?;
            (ty == ColType::Bool).then(|| format!("{f} = true"))
        }
        _ => None,
    }
}

/// The negation of a predicate, pushed inwards (BBQL has no NOT).
fn negate(e: &Expr) -> Option<Expr> {
    Some(match e {
        Expr::Not(inner) => inner.as_ref().clone(),
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
            let op = match op {
                Operator::Eq => Operator::NotEq,
                Operator::NotEq => Operator::Eq,
                Operator::Lt => Operator::GtEq,
                Operator::LtEq => Operator::Gt,
                Operator::Gt => Operator::LtEq,
                Operator::GtEq => Operator::Lt,
                Operator::And => return Some(negate(left)?.or(negate(right)?)),
                Operator::Or => return Some(negate(left)?.and(negate(right)?)),
                _ => return None,
            };
            Expr::BinaryExpr(BinaryExpr::new(left.clone(), op, right.clone()))
        }
        Expr::InList(i) => Expr::InList(InList::new(i.expr.clone(), i.list.clone(), !i.negated)),
        Expr::IsNull(x) => Expr::IsNotNull(x.clone()),
        Expr::IsNotNull(x) => Expr::IsNull(x.clone()),
        Expr::Column(_) => e.clone().eq(Expr::Literal(ScalarValue::Boolean(Some(false)), None)),
        _ => return None,
    })
}

/// The BBQL field of a column reference (through casts), when the column reads a plain path.
fn field(def: &TableDef, e: &Expr) -> Option<(&'static str, ColType)> {
    match e {
        Expr::Column(c) => {
            let col = def.column(&c.name)?;
            col.is_plain().then_some((col.path, col.ty))
        }
        Expr::Cast(c) => field(def, &c.expr),
        Expr::TryCast(c) => field(def, &c.expr),
        _ => None,
    }
}

fn literal(e: &Expr) -> Option<ScalarValue> {
    match e {
        Expr::Literal(v, _) if !v.is_null() => Some(v.clone()),
        Expr::Cast(c) => literal(&c.expr).and_then(|v| v.cast_to(c.field.data_type()).ok()),
        _ => None,
    }
}

fn string(s: &str) -> Option<String> {
    // Escaping inside BBQL strings is undocumented: such values are filtered client-side.
    (!s.contains(['"', '\\']) && !s.chars().any(char::is_control)).then(|| format!("\"{s}\""))
}

/// A literal as BBQL writes it for a column of type `ty`.
fn value(v: &ScalarValue, ty: ColType) -> Option<String> {
    let micros = |v: &ScalarValue| -> Option<i64> {
        Some(match v {
            ScalarValue::TimestampSecond(Some(n), _) => n.checked_mul(1_000_000)?,
            ScalarValue::TimestampMillisecond(Some(n), _) => n.checked_mul(1_000)?,
            ScalarValue::TimestampMicrosecond(Some(n), _) => *n,
            ScalarValue::TimestampNanosecond(Some(n), _) => n / 1_000,
            ScalarValue::Date32(Some(d)) => i64::from(*d) * 86_400_000_000,
            _ => return None,
        })
    };
    match ty {
        ColType::Text => match v {
            ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => string(s),
            _ => None,
        },
        ColType::Bool => match v {
            ScalarValue::Boolean(Some(b)) => Some(b.to_string()),
            _ => None,
        },
        ColType::Int | ColType::BigInt | ColType::Double => match v {
            ScalarValue::Int8(Some(_))
            | ScalarValue::Int16(Some(_))
            | ScalarValue::Int32(Some(_))
            | ScalarValue::Int64(Some(_))
            | ScalarValue::UInt8(Some(_))
            | ScalarValue::UInt16(Some(_))
            | ScalarValue::UInt32(Some(_))
            | ScalarValue::UInt64(Some(_))
            | ScalarValue::Float64(Some(_))
            | ScalarValue::Float32(Some(_)) => Some(v.to_string()),
            _ => None,
        },
        ColType::Ts => {
            let t = chrono::DateTime::from_timestamp_micros(micros(v)?)?;
            Some(t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::find_table;
    use datafusion::prelude::{col, lit};

    fn q(e: Expr) -> Option<String> {
        translate(find_table("PullRequests").unwrap(), &e)
    }

    #[test]
    fn comparisons_lists_nulls_and_likes() {
        assert_eq!(q(col("State").eq(lit("MERGED"))).as_deref(), Some(r#"state = "MERGED""#));
        assert_eq!(q(lit(5).lt(col("Id"))).as_deref(), Some("id > 5"));
        assert_eq!(q(col("Title").gt(lit("M"))), None, "no string ranges");
        assert_eq!(
            q(col("State").in_list(vec![lit("OPEN"), lit("MERGED")], true)).as_deref(),
            Some(r#"state NOT IN ("OPEN", "MERGED")"#)
        );
        assert_eq!(q(col("MergeCommitHash").is_null()).as_deref(), Some("merge_commit.hash = null"));
        assert_eq!(q(col("Title").like(lit("%rocket%"))).as_deref(), Some(r#"title ~ "rocket""#));
        assert_eq!(q(col("Title").like(lit("a_b%"))), None);
        assert_eq!(q(col("Title").not_like(lit("a%"))), None, "NOT LIKE is not !~");
        assert_eq!(q(col("Title").eq(lit("say \"hi\""))), None, "quotes stay client-side");
        assert_eq!(q(col("Draft")).as_deref(), Some("draft = true"));
        assert_eq!(q(col("RepositorySlug").eq(lit("x"))), None, "pins are not BBQL");
    }

    #[test]
    fn boolean_structure_and_negation() {
        let e = col("State")
            .eq(lit("OPEN"))
            .or(col("Id").gt_eq(lit(3)).and(col("Draft").eq(lit(false))));
        assert_eq!(q(e).as_deref(), Some(r#"(state = "OPEN" OR (id >= 3 AND draft = false))"#));
        let e = !(col("Id").lt(lit(3)).or(col("State").eq(lit("OPEN"))));
        assert_eq!(q(e).as_deref(), Some(r#"(id >= 3 AND state != "OPEN")"#));
        assert_eq!(
            q(col("State").eq(lit("OPEN")).or(col("Title").gt(lit("x")))),
            None,
            "all or nothing under OR"
        );
    }

    #[test]
    fn restricted_endpoints_get_in_lists_only() {
        let users = find_table("Users").unwrap();
        let or = col("Email").eq(lit("a@x.io")).or(col("Email").eq(lit("b@x.io")));
        assert_eq!(translate(users, &or).as_deref(), Some(r#"user.email IN ("a@x.io", "b@x.io")"#));
        assert_eq!(translate(users, &col("DisplayName").eq(lit("A"))), None);
        assert_eq!(translate(users, &col("Email").like(lit("a%"))), None);
    }

    #[test]
    fn timestamps_in_utc() {
        let t = ScalarValue::TimestampMicrosecond(Some(1_704_067_200_000_001), None);
        let e = col("CreatedOn").gt_eq(Expr::Literal(t, None));
        assert_eq!(q(e).as_deref(), Some("created_on >= 2024-01-01T00:00:00.000001+00:00"));
    }
}
