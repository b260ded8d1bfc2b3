//! Evaluates a parsed BBQL expression against a JSON document.
//!
//! A path through arrays yields every element ("any element matches"). Negative operators
//! (`!=`, `!~`, `NOT IN`) are the negation of their positive twin, so `reviewers.uuid != X`
//! means "no reviewer is X". Datetimes compare as instants, `~` is case-insensitive, and
//! known enumerations (permission, priority) compare in their semantic order.

use std::cmp::Ordering;

use serde_json::Value;

use super::lexer::{parse_datetime, Op};
use super::parser::{Expr, Literal};

pub fn matches(expr: &Expr, doc: &Value) -> bool {
    match expr {
        Expr::And(a, b) => matches(a, doc) && matches(b, doc),
        Expr::Or(a, b) => matches(a, doc) || matches(b, doc),
        Expr::Cmp { path, op, value } => {
            let vals = resolve(doc, path);
            let field = path.last().map(String::as_str).unwrap_or("");
            match op {
                Op::Ne => !vals.iter().any(|v| equals(v, value, field)),
                Op::NotContains => !vals.iter().any(|v| contains(v, value)),
                Op::Eq => vals.iter().any(|v| equals(v, value, field)),
                Op::Contains => vals.iter().any(|v| contains(v, value)),
                Op::Gt | Op::Ge | Op::Lt | Op::Le => vals.iter().any(|v| {
                    compare(v, value, field).is_some_and(|o| match op {
                        Op::Gt => o == Ordering::Greater,
                        Op::Ge => o != Ordering::Less,
                        Op::Lt => o == Ordering::Less,
                        _ => o != Ordering::Greater,
                    })
                }),
            }
        }
        Expr::In { path, negated, values } => {
            let vals = resolve(doc, path);
            let field = path.last().map(String::as_str).unwrap_or("");
            let hit = vals.iter().any(|v| values.iter().any(|lit| equals(v, lit, field)));
            hit != *negated
        }
    }
}

/// All values at `path`; arrays along the way (and at the end) are flattened. A missing
/// field counts as null.
pub fn resolve<'a>(doc: &'a Value, path: &[String]) -> Vec<&'a Value> {
    static NULL: Value = Value::Null;
    let mut cur: Vec<&Value> = vec![doc];
    for seg in path {
        let mut next = Vec::new();
        for v in cur {
            descend(v, seg, &mut next);
        }
        cur = next;
    }
    let mut out = Vec::new();
    for v in cur {
        match v {
            Value::Array(items) => out.extend(items.iter()),
            other => out.push(other),
        }
    }
    if out.is_empty() {
        out.push(&NULL);
    }
    out
}

fn descend<'a>(v: &'a Value, seg: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if let Some(c) = m.get(seg) {
                out.push(c);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| descend(i, seg, out)),
        _ => {}
    }
}

fn equals(v: &Value, lit: &Literal, field: &str) -> bool {
    match lit {
        Literal::Null => v.is_null(),
        _ => compare(v, lit, field) == Some(Ordering::Equal),
    }
}

fn contains(v: &Value, lit: &Literal) -> bool {
    let needle = match lit {
        Literal::Str(s) => s.to_lowercase(),
        Literal::Num(n) => n.to_string(),
        _ => return false,
    };
    match v {
        Value::String(s) => s.to_lowercase().contains(&needle),
        Value::Number(n) => n.to_string().contains(&needle),
        _ => false,
    }
}

/// Semantic order of known enumerations (reference 3.1): permissions and issue priority.
fn enum_rank(field: &str, value: &str) -> Option<usize> {
    const PERMISSION: &[&str] = &[
        "none",
        "read",
        "member",
        "collaborator",
        "write",
        "create-repo",
        "create-project",
        "admin",
        "owner",
    ];
    const PRIORITY: &[&str] = &["trivial", "minor", "major", "critical", "blocker"];
    let table = match field {
        "permission" => PERMISSION,
        "priority" => PRIORITY,
        _ => return None,
    };
    table.iter().position(|t| t.eq_ignore_ascii_case(value))
}

/// Orders a document value against a literal; `None` when they cannot be compared.
fn compare(v: &Value, lit: &Literal, field: &str) -> Option<Ordering> {
    match (v, lit) {
        (Value::Null, _) | (_, Literal::Null) => None,
        (Value::Number(n), Literal::Num(l)) => n.as_f64()?.partial_cmp(l),
        (Value::Number(n), Literal::Str(s)) => n.as_f64()?.partial_cmp(&s.trim().parse::<f64>().ok()?),
        (Value::Bool(b), Literal::Bool(l)) => Some(b.cmp(l)),
        (Value::Bool(b), Literal::Str(s)) => Some(b.to_string().as_str().cmp(s.to_ascii_lowercase().as_str())),
        (Value::String(s), Literal::DateTime(l)) => Some(parse_datetime(s)?.cmp(l)),
        (Value::String(s), Literal::Str(l)) => {
            if let (Some(a), Some(b)) = (enum_rank(field, s), enum_rank(field, l)) {
                return Some(a.cmp(&b));
            }
            if let (Some(a), Some(b)) = (looks_like_datetime(s), looks_like_datetime(l)) {
                return Some(a.cmp(&b));
            }
            Some(s.as_str().cmp(l.as_str()))
        }
        (Value::String(s), Literal::Num(l)) => s.trim().parse::<f64>().ok()?.partial_cmp(l),
        (Value::String(s), Literal::Bool(l)) => Some(s.as_str().cmp(if *l { "true" } else { "false" })),
        _ => None,
    }
}

/// Only strings shaped like timestamps are compared as instants (not e.g. "2015").
fn looks_like_datetime(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    if s.len() >= 10 && s.as_bytes().get(4) == Some(&b'-') && s.as_bytes().get(7) == Some(&b'-') {
        parse_datetime(s)
    } else {
        None
    }
}

/// Orders two document values for `sort` (same rules as the comparisons above).
pub fn order_values(a: &Value, b: &Value, field: &str) -> Ordering {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            if let (Some(p), Some(q)) = (enum_rank(field, x), enum_rank(field, y)) {
                return p.cmp(&q);
            }
            if let (Some(p), Some(q)) = (looks_like_datetime(x), looks_like_datetime(y)) {
                return p.cmp(&q);
            }
            x.cmp(y)
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => type_rank(a).cmp(&type_rank(b)),
    }
}

fn type_rank(v: &Value) -> u8 {
    match v {
        Value::Bool(_) => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        Value::Array(_) => 3,
        Value::Object(_) => 4,
        Value::Null => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;
    use serde_json::json;

    fn m(q: &str, doc: &Value) -> bool {
        matches(&parse(q).unwrap(), doc)
    }

    fn repo() -> Value {
        json!({
            "name": "Café Ünïcödé", "slug": "cafe-unicode", "is_private": false, "size": 1500,
            "description": r#"He said "hi" C:\x"#,
            "created_on": "2019-05-01T12:00:00+00:00",
            "updated_on": "2020-01-02T03:04:05.123456+00:00",
            "mainbranch": null, "language": "",
            "project": {"key": "WEB"},
            "reviewers": [{"uuid": "{a}"}, {"uuid": "{b}"}],
            "permission": "write",
        })
    }

    #[test]
    fn equality_and_contains() {
        let r = repo();
        assert!(m(r#"slug = "cafe-unicode""#, &r));
        assert!(!m(r#"slug = "CAFE-UNICODE""#, &r));
        assert!(m(r#"name ~ "ünïc""#, &r));
        assert!(m(r#"name ~ "ÜNÏC""#, &r));
        assert!(m(r#"name !~ "zzz""#, &r));
        assert!(m(r#"description = "He said \"hi\" C:\\x""#, &r));
        assert!(m(r#"language = """#, &r));
        assert!(m(r#"project.key != "CORE""#, &r));
    }

    #[test]
    fn null_bool_number() {
        let r = repo();
        assert!(m("mainbranch = null", &r));
        assert!(m("parent = null", &r));
        assert!(!m("project != null AND mainbranch != null", &r));
        assert!(m("is_private = false", &r));
        assert!(m("size > 1000 AND size <= 1500", &r));
        assert!(!m("size < 1000.5", &r));
    }

    #[test]
    fn datetimes_as_instants() {
        let r = repo();
        assert!(m("created_on = 2019-05-01T12:00:00", &r));
        assert!(m("created_on = 2019-05-01T14:00:00+02:00", &r));
        assert!(m("created_on > 2019-05-01", &r));
        assert!(m("updated_on > 2020-01-02T03:04:05.123", &r));
        assert!(m("updated_on < 2020-01-02T03:04:05.124Z", &r));
        assert!(m(r#"created_on >= "2019-05-01T12:00:00.000000+00:00""#, &r));
    }

    #[test]
    fn arrays_any_element_and_negation() {
        let r = repo();
        assert!(m(r#"reviewers.uuid = "{b}""#, &r));
        assert!(!m(r#"reviewers.uuid != "{b}""#, &r));
        assert!(m(r#"reviewers.uuid IN ("{x}", "{a}")"#, &r));
        assert!(m(r#"reviewers.uuid NOT IN ("{x}")"#, &r));
    }

    #[test]
    fn enum_order_and_boolean_logic() {
        let r = repo();
        assert!(m(r#"permission > "read""#, &r));
        assert!(!m(r#"permission >= "admin""#, &r));
        assert!(m(r#"(slug = "x" OR slug = "cafe-unicode") AND is_private = false"#, &r));
        assert!(!m(r#"slug = "x" OR slug = "y""#, &r));
    }
}
