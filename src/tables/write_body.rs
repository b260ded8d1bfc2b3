//! Pieces of a write request: SQL values as JSON, JSON bodies from column paths, request
//! paths from templates, and the key pins an UPDATE or DELETE must carry.

use super::defs::{ColumnDef, TableDef, WriteOp};
use super::pins;
use super::provider::encode_segment;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::Schema;
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::execution_props::ExecutionProps;
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::logical_expr::{ColumnarValue, Expr};
use datafusion::physical_expr::create_physical_expr;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Values of the path placeholders, by column name (`RepositorySlug` for `{repo}`).
pub type Keys = BTreeMap<&'static str, String>;

/// A SQL value as Bitbucket's JSON takes it.
pub fn json_of(v: &ScalarValue) -> Value {
    use ScalarValue as S;
    match v {
        S::Utf8(Some(s)) | S::LargeUtf8(Some(s)) | S::Utf8View(Some(s)) => Value::String(s.clone()),
        S::Boolean(Some(b)) => Value::Bool(*b),
        S::Int8(Some(n)) => (*n).into(),
        S::Int16(Some(n)) => (*n).into(),
        S::Int32(Some(n)) => (*n).into(),
        S::Int64(Some(n)) => (*n).into(),
        S::UInt8(Some(n)) => (*n).into(),
        S::UInt16(Some(n)) => (*n).into(),
        S::UInt32(Some(n)) => (*n).into(),
        S::UInt64(Some(n)) => (*n).into(),
        S::Float32(Some(f)) => serde_json::Number::from_f64(f64::from(*f))
            .map(Value::Number)
            .unwrap_or(Value::Null),
        S::Float64(Some(f)) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        S::TimestampMicrosecond(Some(us), _) => chrono::DateTime::from_timestamp_micros(*us)
            .map(|t| Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Micros, false)))
            .unwrap_or(Value::Null),
        v if v.is_null() => Value::Null,
        other => Value::String(other.to_string()),
    }
}

/// A value as it goes into a URL segment.
pub fn segment_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Puts `v` at the column's dotted path. A NULL for a nested path clears the whole object
/// (`assignee: null`), which is how Bitbucket unsets a reference.
pub fn set_path(body: &mut Map<String, Value>, path: &str, v: Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or(path);
    if v.is_null() && !parts.is_empty() {
        body.insert(parts[0].to_string(), Value::Null);
        return;
    }
    let mut obj = body;
    for p in parts {
        let entry = obj.entry(p.to_string()).or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        obj = entry.as_object_mut().expect("made an object above");
    }
    obj.insert(last.to_string(), v);
}

/// The template with `{workspace}` and every key filled in, each as one encoded segment.
pub fn fill(template: &str, workspace: &str, keys: &Keys) -> Result<String, String> {
    let mut out = template.replace("{workspace}", &encode_segment(workspace));
    for name in placeholders_of(template) {
        let col = if name == "repo" { "RepositorySlug" } else { name };
        let v = keys.get(col).ok_or_else(|| format!("no value for {col}"))?;
        out = out.replace(&format!("{{{name}}}"), &encode_segment(v));
    }
    Ok(out)
}

fn placeholders_of(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n))
        .filter(|n| *n != "workspace")
        .collect()
}

/// Evaluates an assignment: a constant or a bound parameter, never another column.
pub fn constant(e: &Expr) -> Result<ScalarValue, String> {
    let schema = DFSchema::empty();
    let phys = create_physical_expr(e, &schema, &ExecutionProps::new(), &PhysicalPlanningContext::default())
        .map_err(|_| "only constants and ? parameters can be assigned".to_string())?;
    let one_row = RecordBatch::try_new_with_options(
        Arc::new(Schema::empty()),
        vec![],
        &datafusion::arrow::array::RecordBatchOptions::new().with_row_count(Some(1)),
    )
    .map_err(|e| e.to_string())?;
    match phys.evaluate(&one_row).map_err(|e| e.to_string())? {
        ColumnarValue::Scalar(s) => Ok(s),
        ColumnarValue::Array(a) => ScalarValue::try_from_array(&a, 0).map_err(|e| e.to_string()),
    }
}

/// Every combination of the key values the filters pin (`Id IN (1, 2)` is two requests).
/// Every filter must pin a key of the path; anything else is refused rather than read and
/// matched, so a statement never touches rows its WHERE clause did not name.
pub fn key_sets(def: &TableDef, op: &WriteOp, schema_repo: Option<&str>, filters: &[Expr]) -> Result<Vec<Keys>, String> {
    let keys: Vec<&'static str> = op.path_columns().collect();
    let hint = || {
        let list: Vec<String> = keys.iter().map(|k| format!("{k} = ...")).collect();
        format!(
            "{} on {} needs a WHERE clause of the form {}{} and nothing else: Bitbucket changes one object per request, so rows are never searched for",
            op.kind.sql(),
            def.name,
            list.join(" AND "),
            if keys.contains(&"RepositorySlug") {
                " (a repository schema, \"<workspace>\".\"<repo>\".\"<table>\", pins RepositorySlug)"
            } else {
                ""
            }
        )
    };
    for f in filters {
        if !keys.iter().any(|k| pins::pinned(f, k).is_some()) {
            return Err(hint());
        }
    }
    let mut sets: Vec<Keys> = vec![Keys::new()];
    for k in &keys {
        let pinned: Option<Vec<String>> = pins::find(filters, k).map(|v| v.iter().filter_map(segment_of).collect());
        let values: Vec<String> = match (*k, schema_repo, pinned) {
            // A repository schema pins the repository; a WHERE on another one matches nothing.
            ("RepositorySlug", Some(r), Some(p)) => p.into_iter().filter(|x| x.eq_ignore_ascii_case(r)).map(|_| r.to_string()).collect(),
            ("RepositorySlug", Some(r), None) => vec![r.to_string()],
            (_, _, Some(p)) => p,
            (_, _, None) => return Err(hint()),
        };
        sets = sets
            .into_iter()
            .flat_map(|s| {
                values.iter().map(move |v| {
                    let mut s = s.clone();
                    s.insert(*k, v.clone());
                    s
                })
            })
            .collect();
    }
    Ok(sets)
}

/// The writable columns of a statement, for messages.
pub fn writable_list(op: &WriteOp) -> String {
    let mut cols: Vec<&str> = op.columns.to_vec();
    cols.extend(op.actions.iter().map(|a| a.column));
    cols.dedup();
    cols.join(", ")
}

pub fn column_of(def: &'static TableDef, name: &str) -> Option<&'static ColumnDef> {
    def.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_paths_and_null_references() {
        let mut b = Map::new();
        set_path(&mut b, "title", json!("t"));
        set_path(&mut b, "content.raw", json!("body"));
        set_path(&mut b, "source.branch.name", json!("feature/x"));
        set_path(&mut b, "assignee.uuid", Value::Null);
        assert_eq!(
            Value::Object(b),
            json!({"title": "t", "content": {"raw": "body"}, "source": {"branch": {"name": "feature/x"}}, "assignee": null})
        );
    }

    #[test]
    fn paths_fill_encoded_segments() {
        let mut k = Keys::new();
        k.insert("RepositorySlug", "core-api".into());
        k.insert("Name", "feature/login x".into());
        assert_eq!(
            fill("/repositories/{workspace}/{repo}/refs/branches/{Name}", "acme", &k).unwrap(),
            "/repositories/acme/core-api/refs/branches/feature%2Flogin%20x"
        );
        assert!(fill("/x/{Id}", "acme", &k).is_err());
    }
}
