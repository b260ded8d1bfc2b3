//! JSON rows of one page into an Arrow batch with the declared column types.

use super::defs::{ColType, ColumnDef};
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use serde_json::Value;
use std::borrow::Cow;

/// Field metadata key for a text column's declared length (read by the ODBC layer).
pub const LEN_KEY: &str = "odbc.length";
use std::sync::Arc;

pub fn arrow_type(t: ColType) -> DataType {
    match t {
        ColType::Text => DataType::Utf8,
        ColType::Int => DataType::Int32,
        ColType::BigInt => DataType::Int64,
        ColType::Bool => DataType::Boolean,
        ColType::Ts => DataType::Timestamp(TimeUnit::Microsecond, None),
        ColType::Double => DataType::Float64,
    }
}

pub fn schema_of(cols: &[&ColumnDef]) -> SchemaRef {
    // Key columns are NOT NULL; everything else may be absent in a payload.
    // The declared text length rides along in field metadata so SQLDescribeCol can report it.
    let field = |c: &&ColumnDef| {
        let f = Field::new(c.name, arrow_type(c.ty), !c.not_null);
        if c.ty == ColType::Text {
            f.with_metadata([(LEN_KEY.to_string(), c.len.to_string())].into())
        } else {
            f
        }
    };
    Arc::new(Schema::new(cols.iter().map(field).collect::<Vec<_>>()))
}

/// Follows a dotted path; a missing step or JSON null is SQL NULL.
pub fn lookup<'a>(row: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = row;
    for part in path.split('.') {
        v = v.get(part)?;
    }
    (!v.is_null()).then_some(v)
}

/// Evaluates a column path (grammar on `ColumnDef::path`); NULL when nothing is there.
pub fn eval_path<'a>(row: &'a Value, path: &str) -> Option<Cow<'a, Value>> {
    if let Some(keys) = path.strip_prefix("=which:") {
        return keys
            .split(',')
            .find(|k| lookup(row, k).is_some())
            .map(|k| Cow::Owned(Value::String(k.to_string())));
    }
    if let Some(c) = path.strip_prefix("=const:") {
        return Some(Cow::Owned(Value::String(c.to_string())));
    }
    if let Some(p) = path.strip_prefix("=tail:") {
        let s = lookup(row, p)?.as_str()?;
        return Some(Cow::Owned(Value::String(s.rsplit('/').next().unwrap_or(s).to_string())));
    }
    if path.contains('|') {
        return path.split('|').find_map(|p| eval_path(row, p));
    }
    if path.contains("[].") {
        return list_text(row, path).map(|s| Cow::Owned(Value::String(s)));
    }
    lookup(row, path).map(Cow::Borrowed)
}

/// The plain JSON paths a column path reads (for checks against real payloads).
pub fn plain_paths(path: &str) -> Vec<&str> {
    if path.starts_with("=const:") {
        return Vec::new();
    }
    if let Some(keys) = path.strip_prefix("=which:") {
        return keys.split(',').collect();
    }
    path.strip_prefix("=tail:").unwrap_or(path).split('|').collect()
}

/// ISO-8601 with any fraction and offset (or `Z`) to UTC microseconds.
pub fn parse_ts(s: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_micros());
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc().timestamp_micros())
}

fn as_i64(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .or_else(|| v.as_f64().map(|f| f as i64))
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().map(String::from).unwrap_or_else(|| x.to_string()))
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

/// `list[].field`: the field of every element, comma-separated (NULL when the list is absent).
fn list_text(row: &Value, path: &str) -> Option<String> {
    let (list, field) = path.split_once("[].")?;
    let items = lookup(row, list)?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(|i| lookup(i, field).map(as_text))
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// A column path parsed once per batch instead of once per cell (same grammar and results
/// as [`eval_path`]).
enum Compiled<'p> {
    Plain(Vec<&'p str>),
    Which(Vec<(&'p str, Vec<&'p str>)>),
    Const(&'p str),
    Tail(Vec<&'p str>),
    Alt(Vec<Compiled<'p>>),
    List(Vec<&'p str>, Vec<&'p str>),
}

fn segments(path: &str) -> Vec<&str> {
    path.split('.').collect()
}

fn lookup_in<'a>(row: &'a Value, segs: &[&str]) -> Option<&'a Value> {
    let mut v = row;
    for part in segs {
        v = v.get(part)?;
    }
    (!v.is_null()).then_some(v)
}

impl<'p> Compiled<'p> {
    fn new(path: &'p str) -> Self {
        if let Some(keys) = path.strip_prefix("=which:") {
            return Compiled::Which(keys.split(',').map(|k| (k, segments(k))).collect());
        }
        if let Some(c) = path.strip_prefix("=const:") {
            return Compiled::Const(c);
        }
        if let Some(p) = path.strip_prefix("=tail:") {
            return Compiled::Tail(segments(p));
        }
        if path.contains('|') {
            return Compiled::Alt(path.split('|').map(Compiled::new).collect());
        }
        if let Some((list, field)) = path.split_once("[].") {
            return Compiled::List(segments(list), segments(field));
        }
        Compiled::Plain(segments(path))
    }

    fn eval<'a>(&self, row: &'a Value) -> Option<Cow<'a, Value>> {
        match self {
            Compiled::Plain(segs) => lookup_in(row, segs).map(Cow::Borrowed),
            Compiled::Which(keys) => keys
                .iter()
                .find(|(_, segs)| lookup_in(row, segs).is_some())
                .map(|(k, _)| Cow::Owned(Value::String(k.to_string()))),
            Compiled::Const(c) => Some(Cow::Owned(Value::String(c.to_string()))),
            Compiled::Tail(segs) => {
                let s = lookup_in(row, segs)?.as_str()?;
                Some(Cow::Owned(Value::String(s.rsplit('/').next().unwrap_or(s).to_string())))
            }
            Compiled::Alt(alts) => alts.iter().find_map(|a| a.eval(row)),
            Compiled::List(list, field) => {
                let items = lookup_in(row, list)?.as_array()?;
                let mut out = String::new();
                for (i, text) in items.iter().filter_map(|i| lookup_in(i, field)).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_text(&mut out, text);
                }
                Some(Cow::Owned(Value::String(out)))
            }
        }
    }
}

/// [`as_text`] appended to `out` (no copy of the value first).
fn push_text(out: &mut String, v: &Value) {
    match v {
        Value::String(s) => out.push_str(s),
        other => out.push_str(&as_text(other)),
    }
}

fn column<'a>(c: &ColumnDef, rows: &[&'a Value]) -> ArrayRef {
    let path = Compiled::new(c.path);
    let get = |r: &&'a Value| path.eval(r);
    match c.ty {
        ColType::Text => {
            let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 16);
            for r in rows {
                match get(r) {
                    None => b.append_null(),
                    // Strings go straight from the JSON into the column.
                    Some(v) => match v.as_ref() {
                        Value::String(s) => b.append_value(s),
                        other => b.append_value(as_text(other)),
                    },
                }
            }
            Arc::new(b.finish())
        }
        ColType::Int => {
            let mut b = Int32Builder::with_capacity(rows.len());
            rows.iter()
                .for_each(|r| b.append_option(get(r).and_then(|v| as_i64(&v)).and_then(|n| i32::try_from(n).ok())));
            Arc::new(b.finish())
        }
        ColType::BigInt => {
            let mut b = Int64Builder::with_capacity(rows.len());
            rows.iter().for_each(|r| b.append_option(get(r).and_then(|v| as_i64(&v))));
            Arc::new(b.finish())
        }
        ColType::Bool => {
            let mut b = BooleanBuilder::with_capacity(rows.len());
            rows.iter().for_each(|r| b.append_option(get(r).and_then(|v| v.as_bool())));
            Arc::new(b.finish())
        }
        ColType::Ts => {
            let mut b = TimestampMicrosecondBuilder::with_capacity(rows.len());
            rows.iter()
                .for_each(|r| b.append_option(get(r).and_then(|v| v.as_str().and_then(parse_ts))));
            Arc::new(b.finish())
        }
        ColType::Double => {
            let mut b = Float64Builder::with_capacity(rows.len());
            rows.iter().for_each(|r| b.append_option(get(r).and_then(|v| v.as_f64())));
            Arc::new(b.finish())
        }
    }
}

/// Builds the batch; a key column that comes back null fails it (Bitbucket always sends keys).
pub fn build(schema: &SchemaRef, cols: &[&ColumnDef], rows: &[&Value]) -> Result<RecordBatch, ArrowError> {
    let arrays: Vec<ArrayRef> = cols.iter().map(|c| column(c, rows)).collect();
    let opts = RecordBatchOptions::new().with_row_count(Some(rows.len()));
    RecordBatch::try_new_with_options(schema.clone(), arrays, &opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_of_every_shape() {
        let base = parse_ts("2024-01-02T03:04:05+00:00").unwrap();
        assert_eq!(parse_ts("2024-01-02T03:04:05Z"), Some(base));
        assert_eq!(parse_ts("2024-01-02T05:04:05+02:00"), Some(base));
        assert_eq!(parse_ts("2024-01-02T03:04:05.123456+00:00"), Some(base + 123_456));
        assert_eq!(parse_ts("2024-01-02T03:04:05.5"), Some(base + 500_000));
    }

    #[test]
    fn paths_and_nulls() {
        let v: Value = serde_json::json!({"a": {"b": 1, "n": null}, "l": ["x", "y"]});
        assert_eq!(lookup(&v, "a.b"), Some(&Value::from(1)));
        assert_eq!(lookup(&v, "a.n"), None);
        assert_eq!(lookup(&v, "a.c.d"), None);
        assert_eq!(as_text(lookup(&v, "l").unwrap()), "x,y");
        let text = |p: &str| eval_path(&v, p).map(|c| as_text(&c));
        assert_eq!(text("a.n|a.b"), Some("1".into()));
        assert_eq!(text("a.c|a.n"), None);
        assert_eq!(text("=which:x,a,l"), Some("a".into()));
        let r: Value = serde_json::json!({"repo": {"full_name": "acme/core-api"}, "ps": [{"h": "1"}, {"h": "2"}]});
        assert_eq!(eval_path(&r, "=tail:repo.full_name").unwrap().as_str(), Some("core-api"));
        assert_eq!(eval_path(&r, "ps[].h").unwrap().as_str(), Some("1,2"));
        for p in [
            "a.b",
            "a.n",
            "a.c.d",
            "l",
            "a.n|a.b",
            "a.c|a.n",
            "=which:x,a,l",
            "=const:k",
            "=tail:l",
            "l[].x",
            "x[].y",
            "a",
        ] {
            assert_eq!(Compiled::new(p).eval(&v), eval_path(&v, p), "{p}");
        }
        for p in ["=tail:repo.full_name", "ps[].h", "ps[].h|x", "ps", "=which:ps,repo"] {
            assert_eq!(Compiled::new(p).eval(&r), eval_path(&r, p), "{p}");
        }
        assert_eq!(plain_paths("=which:a,b"), vec!["a", "b"]);
        assert_eq!(plain_paths("=tail:x.y"), vec!["x.y"]);
    }
}
