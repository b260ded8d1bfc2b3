//! Partial responses: the `fields` parameter (reference 3.4, 2.6, 8.11).
//!
//! `-a.b` removes, `+a.b` adds (also fields hidden by default), a bare `a.b` switches to
//! "only what is listed", `*` matches every key of one level. Paths go through arrays.
//! A raw `+` arrives as a space: such an entry matches nothing, like upstream.

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Only(Vec<String>),
    Add(Vec<String>),
    Remove(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSpec {
    entries: Vec<Entry>,
}

fn split(path: &str) -> Vec<String> {
    path.split('.').map(str::to_string).collect()
}

impl FieldSpec {
    pub fn parse(s: &str) -> Self {
        let entries = s
            .split(',')
            .filter(|e| !e.is_empty())
            .map(|e| {
                if let Some(p) = e.strip_prefix('-') {
                    Entry::Remove(split(p))
                } else if let Some(p) = e.strip_prefix('+') {
                    Entry::Add(split(p))
                } else {
                    Entry::Only(split(e))
                }
            })
            .collect();
        FieldSpec { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// [`FieldSpec::apply`] on a document the caller no longer needs: without a spec only the
    /// hidden fields are removed, in place, instead of copying the whole document.
    pub fn apply_owned(&self, mut full: Value, hidden: &[String]) -> Value {
        if !self.entries.is_empty() {
            return self.apply(&full, hidden);
        }
        for h in hidden {
            remove(&mut full, &split(h));
        }
        full
    }

    /// Applies the spec. `full` holds every field including `hidden` ones (dotted paths
    /// relative to the document root) that only appear when asked for.
    pub fn apply(&self, full: &Value, hidden: &[String]) -> Value {
        // With a bare entry the result starts empty: skip copying (and pruning) the document.
        let mut out = if self.entries.iter().any(|e| matches!(e, Entry::Only(_))) {
            Value::Object(Map::new())
        } else {
            let mut out = full.clone();
            for h in hidden {
                remove(&mut out, &split(h));
            }
            out
        };
        for e in &self.entries {
            match e {
                Entry::Only(p) | Entry::Add(p) => {
                    if let Some(sel) = select(full, p) {
                        merge(&mut out, sel);
                    }
                }
                Entry::Remove(p) => remove(&mut out, p),
            }
        }
        out
    }
}

/// A copy of `v` pruned to `path`; `None` when nothing matches.
fn select(v: &Value, path: &[String]) -> Option<Value> {
    let Some((head, rest)) = path.split_first() else {
        return Some(v.clone());
    };
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, child) in m {
                if head == "*" || k == head {
                    if let Some(s) = select(child, rest) {
                        out.insert(k.clone(), s);
                    }
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        // Keep array positions aligned so later merges pair up the same elements.
        Value::Array(a) => Some(Value::Array(
            a.iter()
                .map(|e| select(e, path).unwrap_or_else(|| Value::Object(Map::new())))
                .collect(),
        )),
        _ => None,
    }
}

fn merge(dst: &mut Value, src: Value) {
    match (dst, src) {
        (Value::Object(d), Value::Object(s)) => {
            for (k, v) in s {
                match d.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        d.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(d), Value::Array(s)) if d.len() == s.len() => {
            for (de, se) in d.iter_mut().zip(s) {
                merge(de, se);
            }
        }
        (d, s) => *d = s,
    }
}

fn remove(v: &mut Value, path: &[String]) {
    let Some((head, rest)) = path.split_first() else {
        return;
    };
    match v {
        Value::Object(m) => {
            if rest.is_empty() {
                if head == "*" {
                    m.clear();
                } else {
                    m.remove(head);
                }
            } else {
                for (k, child) in m.iter_mut() {
                    if head == "*" || k == head {
                        remove(child, rest);
                    }
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|e| remove(e, path)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "pagelen": 10, "size": 2, "page": 1, "next": "n",
            "values": [
                {"slug": "a", "name": "A", "links": {"self": {"href": "x"}, "html": {"href": "y"}},
                 "user": {"uuid": "u1", "email": "a@x"}},
                {"slug": "b", "name": "B", "links": {"self": {"href": "z"}},
                 "user": {"uuid": "u2", "email": "b@x"}}
            ]
        })
    }

    fn apply(spec: &str) -> Value {
        FieldSpec::parse(spec).apply(&doc(), &["values.user.email".to_string()])
    }

    #[test]
    fn default_hides_hidden_fields() {
        let v = apply("");
        assert!(v["values"][0]["user"].get("email").is_none());
        assert_eq!(v["size"], 2);
    }

    #[test]
    fn restrictive_list_drops_envelope() {
        assert_eq!(apply("values.slug"), json!({"values": [{"slug": "a"}, {"slug": "b"}]}));
        let v = apply("next,size,values.slug,values.user.uuid");
        assert_eq!(
            v,
            json!({"next": "n", "size": 2, "values": [
            {"slug": "a", "user": {"uuid": "u1"}}, {"slug": "b", "user": {"uuid": "u2"}}]})
        );
    }

    #[test]
    fn remove_and_add() {
        let v = apply("-values.links");
        assert!(v["values"][0].get("links").is_none());
        assert_eq!(v["pagelen"], 10);
        let v = apply("+values.user.email");
        assert_eq!(v["values"][1]["user"]["email"], "b@x");
        assert_eq!(v["values"][1]["name"], "B");
        let v = apply("-values.links.*");
        assert_eq!(v["values"][0]["links"], json!({}));
    }

    #[test]
    fn wildcards() {
        let v = apply("-*,+size");
        assert_eq!(v, json!({"size": 2}));
        let v = apply("*");
        assert_eq!(v["values"][0]["user"]["email"], "a@x");
    }

    #[test]
    fn raw_plus_decoded_as_space_matches_nothing() {
        assert_eq!(apply(" values.user.email"), json!({}));
    }

    #[test]
    fn single_object() {
        let obj = json!({"name": "n", "owner": {"display_name": "d", "uuid": "u"}, "links": {}});
        let v = FieldSpec::parse("owner.display_name,name").apply(&obj, &[]);
        assert_eq!(v, json!({"name": "n", "owner": {"display_name": "d"}}));
    }
}
