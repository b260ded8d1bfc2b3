//! The `sort` parameter: one field, optional `-` for descending (reference 3.2, 8.14).
//! Nulls sort last ascending and first descending (PostgreSQL-like); ties keep the default
//! order, so results are deterministic.

use std::cmp::Ordering;

use serde_json::Value;

use crate::bbql::{order_values, resolve};
use crate::errors::ApiError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortSpec {
    pub path: Vec<String>,
    pub descending: bool,
}

/// Parses `sort`; a comma (compound sort), an empty name or an unknown field → 400.
pub fn parse_sort(s: &str, known: &dyn Fn(&[String]) -> bool) -> Result<SortSpec, ApiError> {
    let bad = |why: String| ApiError::bad_request(format!("Invalid sort parameter: {why}"));
    if s.contains(',') {
        return Err(bad("only one sort field is supported".into()));
    }
    let (descending, name) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let path: Vec<String> = name.split('.').map(str::to_string).collect();
    if name.is_empty() || path.iter().any(|p| p.is_empty()) || !known(&path) {
        return Err(bad(format!("'{name}' is not a valid field")));
    }
    Ok(SortSpec { path, descending })
}

/// Stable sort of documents by the spec.
pub fn sort_docs(docs: &mut Vec<Value>, spec: &SortSpec) {
    let field = spec.path.last().cloned().unwrap_or_default();
    let key = |d: &Value| -> Value { resolve(d, &spec.path).first().map(|v| (*v).clone()).unwrap_or(Value::Null) };
    let mut keyed: Vec<(Value, Value)> = std::mem::take(docs).into_iter().map(|d| (key(&d), d)).collect();
    keyed.sort_by(|(a, _), (b, _)| {
        let o = match (a.is_null(), b.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => order_values(a, b, &field),
        };
        if spec.descending {
            o.reverse()
        } else {
            o
        }
    });
    *docs = keyed.into_iter().map(|(_, d)| d).collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn any(_: &[String]) -> bool {
        true
    }

    #[test]
    fn parse_rules() {
        assert_eq!(
            parse_sort("-updated_on", &any).unwrap(),
            SortSpec {
                path: vec!["updated_on".into()],
                descending: true
            }
        );
        assert_eq!(parse_sort("name,slug", &any).unwrap_err().status, 400);
        assert_eq!(parse_sort("", &any).unwrap_err().status, 400);
        assert_eq!(parse_sort("-", &any).unwrap_err().status, 400);
        assert_eq!(parse_sort("x", &|_: &[String]| false).unwrap_err().status, 400);
    }

    #[test]
    fn sorts_with_nulls_and_datetimes() {
        let mut docs = vec![
            json!({"n": "b", "t": "2020-01-01T00:00:00+00:00"}),
            json!({"n": null, "t": "2019-12-31T23:00:00-02:00"}),
            json!({"n": "a", "t": "2020-01-01T00:00:00.5+00:00"}),
        ];
        sort_docs(&mut docs, &parse_sort("n", &any).unwrap());
        let names: Vec<&Value> = docs.iter().map(|d| &d["n"]).collect();
        assert_eq!(names, vec![&json!("a"), &json!("b"), &Value::Null]);
        sort_docs(&mut docs, &parse_sort("-t", &any).unwrap());
        // 2019-12-31T23:00-02:00 is 2020-01-01T01:00Z, the latest instant.
        assert_eq!(docs[0]["n"], Value::Null);
        assert_eq!(docs[1]["n"], "a");
    }
}
