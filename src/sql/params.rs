//! `?` parameter markers: numbered `$1, $2…` for DataFusion, outside literals, quoted names and
//! comments; bound values are cast to the type the planner inferred for each marker.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;

/// The text with `?` markers numbered, and how many there were.
pub fn number_markers(sql: &str) -> (String, usize) {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let (mut i, mut n, mut last) = (0, 0, 0);
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() {
                    if b[i] == q {
                        if b.get(i + 1) == Some(&q) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'?' => {
                n += 1;
                out.push_str(&sql[last..i]);
                out.push_str(&format!("${n}"));
                i += 1;
                last = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[last.min(sql.len())..]);
    (out, n)
}

/// A bound value in the marker's inferred type; `Err` names what could not be converted.
pub fn coerce(v: ScalarValue, want: Option<&DataType>) -> Result<ScalarValue, String> {
    match want {
        Some(t) if !v.is_null() && v.data_type() != *t => {
            let shown = v.to_string();
            v.cast_to(t).map_err(|_| format!("the value '{shown}' cannot be converted to {t}"))
        }
        Some(t) if v.is_null() => ScalarValue::try_from(t).map_err(|e| e.to_string()),
        _ => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_only_real_markers() {
        let (s, n) = number_markers("SELECT '?', \"a?\" FROM t WHERE a = ? AND b IN (?, ?) -- ?\n AND c = ? /* ? */");
        assert_eq!(n, 4);
        assert_eq!(
            s,
            "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b IN ($2, $3) -- ?\n AND c = $4 /* ? */"
        );
        assert_eq!(number_markers("SELECT 'it''s ?'"), ("SELECT 'it''s ?'".into(), 0));
    }

    #[test]
    fn coerces_to_the_inferred_type() {
        let v = coerce(ScalarValue::Utf8(Some("42".into())), Some(&DataType::Int32)).unwrap();
        assert_eq!(v, ScalarValue::Int32(Some(42)));
        assert!(coerce(ScalarValue::Utf8(Some("x".into())), Some(&DataType::Int32)).is_err());
        assert_eq!(coerce(ScalarValue::Null, Some(&DataType::Int64)).unwrap(), ScalarValue::Int64(None));
    }
}
