//! Issues (reference 4.9); `watches` is sent as an unlisted field.

use serde_json::{json, Value};

use super::{account, repo_path, repository_condensed, Links};
use crate::data::{fmt_ts, Dataset, Issue, Repository};

fn named(l: &Links, full_name: &str, kind: &str, name: &Option<String>) -> Value {
    match name {
        Some(n) => json!({
            "type": kind,
            "name": n,
            "links": {"self": l.api(&format!("/repositories/{full_name}/{kind}s/{n}"))},
        }),
        None => Value::Null,
    }
}

pub fn issue(l: &Links, ds: &Dataset, r: &Repository, i: &Issue) -> Value {
    let full_name = repo_path(ds, r);
    let user = |u: &Option<String>| {
        u.as_deref()
            .and_then(|u| ds.user_by_uuid(u))
            .map(|u| account(l, u))
            .unwrap_or(Value::Null)
    };
    let a = |s: &str| l.api(&format!("/repositories/{full_name}/issues/{}{s}", i.id));
    let html = format!("<p>{}</p>", i.content_raw.replace('&', "&amp;").replace('<', "&lt;"));
    json!({
        "type": "issue",
        "id": i.id,
        "title": i.title,
        "content": {"type": "rendered", "raw": i.content_raw, "markup": "markdown", "html": html},
        "state": i.state,
        "kind": i.kind,
        "priority": i.priority,
        "reporter": user(&i.reporter_uuid),
        "assignee": user(&i.assignee_uuid),
        "component": named(l, &full_name, "component", &i.component),
        "milestone": named(l, &full_name, "milestone", &i.milestone),
        "version": named(l, &full_name, "version", &i.version),
        "votes": i.votes,
        "watches": i.watches,
        "created_on": fmt_ts(&i.created_on),
        "updated_on": fmt_ts(&i.updated_on),
        "edited_on": i.edited_on.as_ref().map(fmt_ts),
        "repository": repository_condensed(l, ds, r),
        "links": {
            "self": a(""),
            "html": l.web(&format!("/{full_name}/issues/{}", i.id)),
            "comments": a("/comments"),
            "attachments": a("/attachments"),
            "watch": a("/watch"),
            "vote": a("/vote"),
        },
    })
}
