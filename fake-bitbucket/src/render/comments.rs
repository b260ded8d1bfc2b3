//! Pull-request, commit and issue comments, and pull-request activity (reference 4.7-4.9).

use serde_json::{json, Map, Value};

use super::pullrequests::endpoint;
use super::{account, repo_path, Links};
use crate::data::{fmt_ts, Comment, Dataset, IssueComment, PrActivity, PullRequest, Repository};

fn user(l: &Links, ds: &Dataset, uuid: &str) -> Value {
    ds.user_by_uuid(uuid).map(|u| account(l, u)).unwrap_or(Value::Null)
}

fn content(raw: &str) -> Value {
    let html = if raw.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", raw.replace('&', "&amp;").replace('<', "&lt;"))
    };
    json!({"type": "rendered", "raw": raw, "markup": "markdown", "html": html})
}

/// `{type: pullrequest, id, title, links}` as embedded in comments and activity.
pub fn pr_ref(l: &Links, full_name: &str, p: &PullRequest) -> Value {
    json!({
        "type": "pullrequest",
        "id": p.id,
        "title": p.title,
        "links": {
            "self": l.api(&format!("/repositories/{full_name}/pullrequests/{}", p.id)),
            "html": l.web(&format!("/{full_name}/pull-requests/{}", p.id)),
        },
    })
}

/// A pull-request comment (`pr` given) or a commit comment.
pub fn comment(l: &Links, ds: &Dataset, r: &Repository, c: &Comment) -> Value {
    let full_name = repo_path(ds, r);
    let (base, html) = match (&c.pr_id, &c.commit_hash) {
        (Some(id), _) => (
            format!("/repositories/{full_name}/pullrequests/{id}/comments"),
            format!("/{full_name}/pull-requests/{id}/_/diff#comment-"),
        ),
        (None, h) => {
            let h = h.as_deref().unwrap_or("");
            (
                format!("/repositories/{full_name}/commit/{h}/comments"),
                format!("/{full_name}/commits/{h}#comment-"),
            )
        }
    };
    let mut m = Map::new();
    m.insert("id".into(), json!(c.id));
    m.insert("content".into(), content(&c.raw));
    m.insert("user".into(), user(l, ds, &c.user_uuid));
    m.insert("created_on".into(), json!(fmt_ts(&c.created_on)));
    m.insert("updated_on".into(), json!(fmt_ts(&c.updated_on)));
    m.insert("deleted".into(), json!(c.deleted));
    if let Some(p) = c.parent_id {
        m.insert(
            "parent".into(),
            json!({"id": p, "links": {"self": l.api(&format!("{base}/{p}")), "html": l.web(&format!("{html}{p}"))}}),
        );
    }
    if let Some(i) = &c.inline {
        m.insert("inline".into(), json!({"path": i.path, "from": i.from, "to": i.to}));
    }
    m.insert("pending".into(), json!(c.pending));
    match (&c.pr_id, &c.commit_hash) {
        (Some(id), _) => {
            let pr = ds.pull_request(&r.uuid, *id);
            m.insert("pullrequest".into(), pr.map(|p| pr_ref(l, &full_name, p)).unwrap_or(Value::Null));
            m.insert("type".into(), json!("pullrequest_comment"));
        }
        (None, h) => {
            let h = h.as_deref().unwrap_or("");
            m.insert(
                "commit".into(),
                json!({
                    "type": "commit",
                    "hash": h,
                    "links": {
                        "self": l.api(&format!("/repositories/{full_name}/commit/{h}")),
                        "html": l.web(&format!("/{full_name}/commits/{h}")),
                    },
                }),
            );
            m.insert("type".into(), json!("commit_comment"));
        }
    }
    m.insert(
        "links".into(),
        json!({"self": l.api(&format!("{base}/{}", c.id)), "html": l.web(&format!("{html}{}", c.id))}),
    );
    Value::Object(m)
}

pub fn issue_comment(l: &Links, ds: &Dataset, r: &Repository, c: &IssueComment) -> Value {
    let full_name = repo_path(ds, r);
    let issue = ds.issues(&r.uuid).into_iter().find(|i| i.id == c.issue_id);
    let base = format!("/repositories/{full_name}/issues/{}", c.issue_id);
    json!({
        "type": "issue_comment",
        "id": c.id,
        "content": content(&c.raw),
        "user": c.user_uuid.as_deref().map(|u| user(l, ds, u)).unwrap_or(Value::Null),
        "created_on": fmt_ts(&c.created_on),
        "updated_on": c.updated_on.as_ref().map(fmt_ts),
        "issue": {
            "type": "issue",
            "id": c.issue_id,
            "title": issue.map(|i| i.title.clone()),
            "links": {"self": l.api(&base)},
        },
        "links": {
            "self": l.api(&format!("{base}/comments/{}", c.id)),
            "html": l.web(&format!("/{full_name}/issues/{}#comment-{}", c.issue_id, c.id)),
        },
    })
}

/// One activity item: exactly one of `update`, `approval`, `changes_requested`, `comment`,
/// plus `pull_request`.
pub fn activity(l: &Links, ds: &Dataset, r: &Repository, a: &PrActivity<'_>) -> Value {
    let full_name = repo_path(ds, r);
    let pr = a.pr();
    let body = match a {
        PrActivity::Update {
            state, author_uuid, date, ..
        } => json!({
            "state": state.as_str(),
            "title": pr.title,
            "description": pr.description,
            "reason": if state.as_str() == "DECLINED" { pr.reason.as_str() } else { "" },
            "author": user(l, ds, author_uuid),
            "date": fmt_ts(date),
            "source": endpoint(l, ds, r, &pr.source_branch, &pr.source_commit),
            "destination": endpoint(l, ds, r, &pr.destination_branch, &pr.destination_commit),
        }),
        PrActivity::Approval { user_uuid, date, .. } | PrActivity::ChangesRequested { user_uuid, date, .. } => json!({
            "date": fmt_ts(date),
            "user": user(l, ds, user_uuid),
            "pullrequest": pr_ref(l, &full_name, pr),
        }),
        PrActivity::Comment { comment: c, .. } => comment(l, ds, r, c),
    };
    let mut m = Map::new();
    m.insert(a.kind().into(), body);
    m.insert("pull_request".into(), pr_ref(l, &full_name, pr));
    Value::Object(m)
}
