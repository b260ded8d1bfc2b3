//! Commits, branches and tags (reference 4.6, 4.7).

use serde_json::{json, Value};

use super::{account, repo_path, repository_condensed, Links};
use crate::data::{fmt_ts, Branch, Commit, CommitAuthor, Dataset, Repository, Tag};

/// `{type: author, raw, user?}`: `user` is absent (not null) for unmapped e-mails.
pub fn author(l: &Links, ds: &Dataset, a: &CommitAuthor) -> Value {
    let mut v = json!({"type": "author", "raw": a.raw});
    if let Some(u) = a.user_uuid.as_deref().and_then(|u| ds.user_by_uuid(u)) {
        v["user"] = account(l, u);
    }
    v
}

fn commit_links(l: &Links, full_name: &str, hash: &str) -> Value {
    let a = |p: &str| l.api(&format!("/repositories/{full_name}{p}"));
    json!({
        "self": a(&format!("/commit/{hash}")),
        "html": l.web(&format!("/{full_name}/commits/{hash}")),
        "diff": a(&format!("/diff/{hash}")),
        "approve": a(&format!("/commit/{hash}/approve")),
        "comments": a(&format!("/commit/{hash}/comments")),
        "statuses": a(&format!("/commit/{hash}/statuses")),
        "patch": a(&format!("/patch/{hash}")),
    })
}

/// Full commit row of `/commits`; `rendered` is a field the reference does not list.
pub fn commit(l: &Links, ds: &Dataset, r: &Repository, c: &Commit) -> Value {
    let full_name = repo_path(ds, r);
    let parents: Vec<Value> = c
        .parents
        .iter()
        .map(|h| {
            json!({
                "type": "commit",
                "hash": h,
                "links": {
                    "self": l.api(&format!("/repositories/{full_name}/commit/{h}")),
                    "html": l.web(&format!("/{full_name}/commits/{h}")),
                },
            })
        })
        .collect();
    let html = format!(
        "<p>{}</p>",
        c.message.replace('&', "&amp;").replace('<', "&lt;").replace('\n', "<br>")
    );
    json!({
        "type": "commit",
        "hash": c.hash,
        "date": fmt_ts(&c.date),
        "message": c.message,
        "summary": {"type": "rendered", "raw": c.message, "markup": "markdown", "html": html},
        "rendered": {"message": {"type": "rendered", "raw": c.message, "markup": "markdown", "html": html}},
        "author": author(l, ds, &c.author),
        "parents": parents,
        "repository": repository_condensed(l, ds, r),
        "links": commit_links(l, &full_name, &c.hash),
    })
}

fn target(l: &Links, ds: &Dataset, r: &Repository, hash: &str) -> Value {
    match ds.commit(&r.uuid, hash) {
        Some(c) => commit(l, ds, r, c),
        None => json!({"type": "commit", "hash": hash}),
    }
}

fn ref_links(l: &Links, full_name: &str, kind: &str, name: &str) -> Value {
    json!({
        "self": l.api(&format!("/repositories/{full_name}/refs/{kind}/{name}")),
        "commits": l.api(&format!("/repositories/{full_name}/commits/{name}")),
        "html": l.web(&format!("/{full_name}/branch/{name}")),
    })
}

pub fn branch(l: &Links, ds: &Dataset, r: &Repository, b: &Branch) -> Value {
    let full_name = repo_path(ds, r);
    json!({
        "type": "branch",
        "name": b.name,
        "target": target(l, ds, r, &b.target_hash),
        "merge_strategies": b.merge_strategies,
        "default_merge_strategy": b.default_merge_strategy,
        "links": ref_links(l, &full_name, "branches", &b.name),
    })
}

pub fn tag(l: &Links, ds: &Dataset, r: &Repository, t: &Tag) -> Value {
    let full_name = repo_path(ds, r);
    json!({
        "type": "tag",
        "name": t.name,
        "target": target(l, ds, r, &t.target_hash),
        "message": t.message,
        "date": t.date.as_ref().map(fmt_ts),
        "tagger": t.tagger.as_ref().map(|a| author(l, ds, a)),
        "links": ref_links(l, &full_name, "tags", &t.name),
    })
}
