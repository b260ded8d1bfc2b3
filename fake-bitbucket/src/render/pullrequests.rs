//! Pull requests (reference 4.8). `queued`, `summary` and `rendered` are sent too.

use serde_json::{json, Map, Value};

use super::{account, repo_path, repository_condensed, Links};
use crate::data::{fmt_ts, Dataset, Participant, PrState, PullRequest, Repository};

fn user(l: &Links, ds: &Dataset, uuid: &str) -> Value {
    ds.user_by_uuid(uuid).map(|u| account(l, u)).unwrap_or(Value::Null)
}

fn participant(l: &Links, ds: &Dataset, p: &Participant) -> Value {
    json!({
        "type": "participant",
        "user": user(l, ds, &p.user_uuid),
        "role": p.role.as_str(),
        "approved": p.approved,
        "state": p.state,
        "participated_on": p.participated_on.as_ref().map(fmt_ts),
    })
}

pub(crate) fn endpoint(l: &Links, ds: &Dataset, r: &Repository, branch: &str, hash: &str) -> Value {
    let full_name = repo_path(ds, r);
    json!({
        "branch": {"name": branch},
        "commit": {
            "type": "commit",
            "hash": hash,
            "links": {
                "self": l.api(&format!("/repositories/{full_name}/commit/{hash}")),
                "html": l.web(&format!("/{full_name}/commits/{hash}")),
            },
        },
        "repository": repository_condensed(l, ds, r),
    })
}

/// Full pull request including `participants` and `reviewers` (lists hide them by default).
pub fn pull_request(l: &Links, ds: &Dataset, r: &Repository, p: &PullRequest) -> Value {
    pull_request_with(l, ds, r, p, true)
}

/// [`pull_request`]; without `people` the (hidden by default) `participants` and
/// `reviewers` are left out instead of being built and removed again.
pub fn pull_request_with(l: &Links, ds: &Dataset, r: &Repository, p: &PullRequest, people: bool) -> Value {
    let full_name = repo_path(ds, r);
    let a = |s: &str| l.api(&format!("/repositories/{full_name}/pullrequests/{}{s}", p.id));
    let html = format!("<p>{}</p>", p.description.replace('&', "&amp;").replace('<', "&lt;"));
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("type", json!("pullrequest"));
    put("id", json!(p.id));
    put("title", json!(p.title));
    put("description", json!(p.description));
    put(
        "summary",
        json!({"type": "rendered", "raw": p.description, "markup": "markdown", "html": html}),
    );
    put("state", json!(p.state.as_str()));
    put("draft", json!(p.draft));
    put("queued", json!(false));
    put("author", user(l, ds, &p.author_uuid));
    put("source", endpoint(l, ds, r, &p.source_branch, &p.source_commit));
    put("destination", endpoint(l, ds, r, &p.destination_branch, &p.destination_commit));
    put(
        "merge_commit",
        p.merge_commit
            .as_ref()
            .map(|h| json!({"type": "commit", "hash": h}))
            .unwrap_or(Value::Null),
    );
    put("close_source_branch", json!(p.close_source_branch));
    match (&p.closed_by_uuid, p.state) {
        (Some(u), _) => put("closed_by", user(l, ds, u)),
        (None, PrState::Superseded) => {}
        (None, _) => put("closed_by", Value::Null),
    }
    put("reason", json!(p.reason));
    put("comment_count", json!(p.comment_count));
    put("task_count", json!(p.task_count));
    put("created_on", json!(fmt_ts(&p.created_on)));
    put("updated_on", json!(fmt_ts(&p.updated_on)));
    if people {
        put(
            "reviewers",
            json!(p.reviewers().map(|x| user(l, ds, &x.user_uuid)).collect::<Vec<_>>()),
        );
        put(
            "participants",
            json!(p.participants.iter().map(|x| participant(l, ds, x)).collect::<Vec<_>>()),
        );
    }
    put(
        "links",
        json!({
            "self": a(""),
            "html": l.web(&format!("/{full_name}/pull-requests/{}", p.id)),
            "commits": a("/commits"),
            "approve": a("/approve"),
            "diff": a("/diff"),
            "diffstat": a("/diffstat"),
            "comments": a("/comments"),
            "activity": a("/activity"),
            "statuses": a("/statuses"),
        }),
    );
    Value::Object(m)
}
