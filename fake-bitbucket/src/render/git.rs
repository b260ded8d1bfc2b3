//! Commits, branches and tags (reference 4.6, 4.7).

use serde::Serialize;
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

/// `{"href": ...}`.
#[derive(Serialize)]
struct Href {
    href: String,
}

fn href(s: String) -> Href {
    Href { href: s }
}

/// A rendered markdown text (`summary`, `rendered.message`).
#[derive(Serialize)]
struct Rendered<'a> {
    html: String,
    markup: &'static str,
    raw: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct RenderedMessage<'a> {
    message: Rendered<'a>,
}

#[derive(Serialize)]
struct CommitLinks {
    approve: Href,
    comments: Href,
    diff: Href,
    html: Href,
    patch: Href,
    #[serde(rename = "self")]
    self_: Href,
    statuses: Href,
}

#[derive(Serialize)]
struct ParentLinks {
    html: Href,
    #[serde(rename = "self")]
    self_: Href,
}

#[derive(Serialize)]
struct Parent<'a> {
    hash: &'a str,
    links: ParentLinks,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Full commit row of `/commits`; `rendered` is a field the reference does not list.
///
/// Typed so that long lists serialize without building a `Value` per row. Fields are declared
/// in sorted key order, the order of serde_json's `Value` objects, so both ways give the same
/// bytes (see the test below).
#[derive(Serialize)]
pub struct CommitRow<'a> {
    author: Value,
    date: String,
    hash: &'a str,
    links: CommitLinks,
    message: &'a str,
    parents: Vec<Parent<'a>>,
    rendered: RenderedMessage<'a>,
    repository: &'a Value,
    summary: Rendered<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// What the commit rows of one repository share.
pub struct RepoCtx {
    pub full_name: String,
    pub condensed: Value,
}

impl RepoCtx {
    pub fn new(l: &Links, ds: &Dataset, r: &Repository) -> RepoCtx {
        RepoCtx {
            full_name: repo_path(ds, r),
            condensed: repository_condensed(l, ds, r),
        }
    }
}

impl<'a> CommitRow<'a> {
    pub fn new(l: &Links, ds: &Dataset, repo: &'a RepoCtx, c: &'a Commit) -> CommitRow<'a> {
        let full_name = &repo.full_name;
        let api = |p: String| href(format!("{}/repositories/{full_name}{p}", l.api));
        let web = |h: &str| href(format!("{}/{full_name}/commits/{h}", l.web));
        let hash = c.hash.as_str();
        let html = format!(
            "<p>{}</p>",
            c.message.replace('&', "&amp;").replace('<', "&lt;").replace('\n', "<br>")
        );
        let rendered = |html| Rendered {
            html,
            markup: "markdown",
            raw: &c.message,
            kind: "rendered",
        };
        let parents = c.parents.iter().map(|h| Parent {
            hash: h,
            links: ParentLinks {
                html: web(h),
                self_: api(format!("/commit/{h}")),
            },
            kind: "commit",
        });
        CommitRow {
            author: author(l, ds, &c.author),
            date: fmt_ts(&c.date),
            hash,
            links: CommitLinks {
                approve: api(format!("/commit/{hash}/approve")),
                comments: api(format!("/commit/{hash}/comments")),
                diff: api(format!("/diff/{hash}")),
                html: web(hash),
                patch: api(format!("/patch/{hash}")),
                self_: api(format!("/commit/{hash}")),
                statuses: api(format!("/commit/{hash}/statuses")),
            },
            message: &c.message,
            parents: parents.collect(),
            rendered: RenderedMessage {
                message: rendered(html.clone()),
            },
            repository: &repo.condensed,
            summary: rendered(html),
            kind: "commit",
        }
    }
}

/// Full commit row of `/commits` as a `Value` (for `fields`, and embedded in refs).
pub fn commit(l: &Links, ds: &Dataset, r: &Repository, c: &Commit) -> Value {
    let repo = RepoCtx::new(l, ds, r);
    serde_json::to_value(CommitRow::new(l, ds, &repo, c)).unwrap_or(Value::Null)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{generate, Scale};

    /// The row as it was built with `json!` before it was typed.
    fn commit_json(l: &Links, ds: &Dataset, r: &Repository, c: &Commit) -> Value {
        let full_name = repo_path(ds, r);
        let a = |p: &str| l.api(&format!("/repositories/{full_name}{p}"));
        let parents: Vec<Value> = c
            .parents
            .iter()
            .map(|h| json!({"type": "commit", "hash": h, "links": {"self": a(&format!("/commit/{h}")), "html": l.web(&format!("/{full_name}/commits/{h}"))}}))
            .collect();
        let html = format!(
            "<p>{}</p>",
            c.message.replace('&', "&amp;").replace('<', "&lt;").replace('\n', "<br>")
        );
        let h = &c.hash;
        json!({
            "type": "commit", "hash": h, "date": fmt_ts(&c.date), "message": c.message,
            "summary": {"type": "rendered", "raw": c.message, "markup": "markdown", "html": html},
            "rendered": {"message": {"type": "rendered", "raw": c.message, "markup": "markdown", "html": html}},
            "author": author(l, ds, &c.author), "parents": parents, "repository": repository_condensed(l, ds, r),
            "links": {
                "self": a(&format!("/commit/{h}")), "html": l.web(&format!("/{full_name}/commits/{h}")),
                "diff": a(&format!("/diff/{h}")), "approve": a(&format!("/commit/{h}/approve")),
                "comments": a(&format!("/commit/{h}/comments")), "statuses": a(&format!("/commit/{h}/statuses")),
                "patch": a(&format!("/patch/{h}")),
            },
        })
    }

    #[test]
    fn typed_commit_row_serializes_like_the_value() {
        let ds = generate(42, &Scale::small());
        let l = Links::new("http://127.0.0.1:1");
        for r in &ds.repositories {
            let repo = RepoCtx::new(&l, &ds, r);
            for c in ds.commits(&r.uuid) {
                let want = commit_json(&l, &ds, r, c);
                let typed = serde_json::to_string(&CommitRow::new(&l, &ds, &repo, c)).unwrap();
                assert_eq!(typed, want.to_string(), "{}", c.hash);
                assert_eq!(commit(&l, &ds, r, c), want);
            }
        }
    }
}
