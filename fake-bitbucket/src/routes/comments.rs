//! Comments: `/pullrequests/{id}/comments` (iterator pagination, reference 4.8),
//! `/commit/{hash}/comments` (list, 4.7) and `/issues/{id}/comments` (list, 4.9). All take
//! `q`/`sort` on any field; deleted comments are listed with `deleted: true`.

use serde_json::Value;

use super::{issues, Ctx, RepoRef};
use crate::collection::{respond, respond_iter, Collection, Support};
use crate::data::{PullRequest, Repository};
use crate::errors::ApiError;
use crate::render::comments::{comment, issue_comment};

/// The repository and one of its pull requests; 404 for either.
pub fn pull_request<'a>(ctx: &'a Ctx<'_>, r: &RepoRef, id: &str) -> Result<(&'a Repository, &'a PullRequest), ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    match id.parse::<u64>().ok().and_then(|n| ctx.ds.pull_request(&repo.uuid, n)) {
        Some(p) => Ok((repo, p)),
        None => Err(ApiError::not_found(format!("Pull request {id} not found"))),
    }
}

/// A commit by full hash or prefix (≥ 7 digits, as `ds.commit`); 404 "Commit not found".
pub fn commit_hash(ctx: &Ctx<'_>, repo: &Repository, hash: &str) -> Result<String, ApiError> {
    match ctx.ds.commit(&repo.uuid, hash) {
        Some(c) => Ok(c.hash.clone()),
        None => Err(ApiError::not_found(format!("Commit not found: {hash}"))),
    }
}

pub fn pr_comments(ctx: &Ctx<'_>, r: &RepoRef, id: &str) -> Result<Value, ApiError> {
    let (repo, pr) = pull_request(ctx, r, id)?;
    let rows = ctx
        .ds
        .pr_comments(&repo.uuid, pr.id)
        .into_iter()
        .map(|c| comment(ctx.links, ctx.ds, repo, c))
        .collect();
    let c = Collection {
        limit_key: "comments",
        shape: &ctx.shapes.pr_comment,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond_iter(ctx, &c, rows, "page")
}

pub fn commit_comments(ctx: &Ctx<'_>, r: &RepoRef, hash: &str) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let full = commit_hash(ctx, repo, hash)?;
    let rows = ctx
        .ds
        .commit_comments(&repo.uuid, &full)
        .into_iter()
        .map(|c| comment(ctx.links, ctx.ds, repo, c))
        .collect();
    let c = Collection {
        limit_key: "comments",
        shape: &ctx.shapes.commit_comment,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}

pub fn issue_comments(ctx: &Ctx<'_>, r: &RepoRef, id: &str) -> Result<Value, ApiError> {
    let repo = issues::tracker(ctx, r)?;
    let issue = id
        .parse::<u64>()
        .ok()
        .and_then(|n| ctx.ds.issues(&repo.uuid).into_iter().find(|i| i.id == n))
        .ok_or_else(|| ApiError::not_found(format!("Issue {id} not found")))?;
    let rows = ctx
        .ds
        .issue_comments(&repo.uuid, issue.id)
        .into_iter()
        .map(|c| issue_comment(ctx.links, ctx.ds, repo, c))
        .collect();
    let c = Collection {
        limit_key: "issue_comments",
        shape: &ctx.shapes.issue_comment,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}
