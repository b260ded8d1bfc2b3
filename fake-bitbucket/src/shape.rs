//! The "shape" of a resource kind: the union of every key seen in its JSON documents, with
//! arrays collapsed to one element. BBQL and `sort` use it to reject unknown fields with 400
//! even on an empty collection.

use serde_json::{Map, Value};

/// Folds `v` into the shape `acc` (start from `Value::Null`).
pub fn merge_shape(acc: &mut Value, v: &Value) {
    match v {
        Value::Object(m) => {
            if !acc.is_object() {
                *acc = Value::Object(Map::new());
            }
            if let Value::Object(a) = acc {
                for (k, child) in m {
                    merge_shape(a.entry(k.clone()).or_insert(Value::Null), child);
                }
            }
        }
        Value::Array(items) => {
            if !acc.is_array() {
                *acc = Value::Array(vec![Value::Null]);
            }
            if let Value::Array(a) = acc {
                if a.is_empty() {
                    a.push(Value::Null);
                }
                for item in items {
                    merge_shape(&mut a[0], item);
                }
            }
        }
        Value::Null => {}
        scalar => {
            if acc.is_null() {
                *acc = scalar.clone();
            }
        }
    }
}

/// Shape of many documents.
pub fn shape_of<'a>(docs: impl IntoIterator<Item = &'a Value>) -> Value {
    let mut acc = Value::Null;
    for d in docs {
        merge_shape(&mut acc, d);
    }
    acc
}

/// `true` when `path` names a field of the shape (arrays are traversed transparently).
pub fn has_path(shape: &Value, path: &[String]) -> bool {
    let Some((head, rest)) = path.split_first() else {
        return true;
    };
    match shape {
        Value::Object(m) => m.get(head).is_some_and(|c| has_path(c, rest)),
        Value::Array(a) => a.first().is_some_and(|e| has_path(e, path)),
        _ => false,
    }
}

/// Shapes of every row type the routes serve, computed once from the data set.
#[derive(Debug, Clone, Default)]
pub struct Shapes {
    pub repository: Value,
    pub project: Value,
    pub membership: Value,
    pub permission: Value,
    pub workspace_access: Value,
    pub branch: Value,
    pub tag: Value,
    pub pullrequest: Value,
    pub issue: Value,
    pub pr_comment: Value,
    pub commit_comment: Value,
    pub issue_comment: Value,
    pub commit_status: Value,
    pub repo_permission: Value,
}

impl Shapes {
    pub fn compute(ds: &crate::data::Dataset) -> Self {
        use crate::render;
        let l = render::Links::new("http://shape.invalid");
        let repos: Vec<Value> = ds.repositories.iter().map(|r| render::repository_full(&l, ds, r)).collect();
        let projects: Vec<Value> = ds.projects.iter().map(|p| render::project_full(&l, ds, p)).collect();
        let members: Vec<Value> = ds.memberships.iter().map(|m| render::membership(&l, ds, m, true)).collect();
        let perms: Vec<Value> = ds.memberships.iter().map(|m| render::workspace_permission(&l, ds, m)).collect();
        let access: Vec<Value> = ds.workspaces.iter().map(|w| render::workspace_access(&l, w, true)).collect();
        let mut branch = Value::Null;
        let mut tag = Value::Null;
        let mut pullrequest = Value::Null;
        let mut issue = Value::Null;
        let (mut pr_comment, mut commit_comment, mut issue_comment) = (Value::Null, Value::Null, Value::Null);
        let mut commit_status = Value::Null;
        let mut repo_permission = Value::Null;
        // Content rows are uniform in structure: the hand-written repositories (first) and
        // some filler are enough, and keep start-up fast at the large scale.
        for r in ds.repositories.iter().take(40) {
            for b in ds.branches(&r.uuid) {
                merge_shape(&mut branch, &render::git::branch(&l, ds, r, b));
            }
            for t in ds.tags(&r.uuid) {
                merge_shape(&mut tag, &render::git::tag(&l, ds, r, t));
            }
            for p in ds.pull_requests(&r.uuid) {
                merge_shape(&mut pullrequest, &render::pullrequests::pull_request(&l, ds, r, p));
            }
            for i in ds.issues(&r.uuid) {
                merge_shape(&mut issue, &render::issues::issue(&l, ds, r, i));
            }
        }
        let by_uuid: std::collections::HashMap<&str, &crate::data::Repository> =
            ds.repositories.iter().take(40).map(|r| (r.uuid.as_str(), r)).collect();
        for c in &ds.comments {
            if let Some(r) = by_uuid.get(c.repo_uuid.as_str()) {
                let target = if c.pr_id.is_some() { &mut pr_comment } else { &mut commit_comment };
                merge_shape(target, &render::comments::comment(&l, ds, r, c));
            }
        }
        for c in &ds.issue_comments {
            if let Some(r) = by_uuid.get(c.repo_uuid.as_str()) {
                merge_shape(&mut issue_comment, &render::comments::issue_comment(&l, ds, r, c));
            }
        }
        for s in &ds.commit_statuses {
            if let Some(r) = by_uuid.get(s.repo_uuid.as_str()) {
                merge_shape(&mut commit_status, &render::statuses::commit_status(&l, ds, r, s));
            }
        }
        for w in &ds.workspaces {
            for p in ds.repo_permissions(&w.uuid).iter().take(200) {
                merge_shape(&mut repo_permission, &render::permissions::repo_permission(&l, ds, p));
            }
        }
        Shapes {
            branch,
            tag,
            pullrequest,
            issue,
            pr_comment,
            commit_comment,
            issue_comment,
            commit_status,
            repo_permission,
            repository: shape_of(&repos),
            project: shape_of(&projects),
            membership: shape_of(&members),
            permission: shape_of(&perms),
            workspace_access: shape_of(&access),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn union_and_lookup() {
        let a = json!({"mainbranch": null, "links": {"clone": [{"href": "x"}]}, "tags": ["a"]});
        let b = json!({"mainbranch": {"name": "main"}, "parent": {"full_name": "p"}});
        let s = shape_of([&a, &b]);
        let p = |s: &str| s.split('.').map(String::from).collect::<Vec<_>>();
        assert!(has_path(&s, &p("mainbranch.name")));
        assert!(has_path(&s, &p("parent.full_name")));
        assert!(has_path(&s, &p("links.clone.href")));
        assert!(has_path(&s, &p("tags")));
        assert!(!has_path(&s, &p("nope")));
        assert!(!has_path(&s, &p("tags.x")));
    }
}
