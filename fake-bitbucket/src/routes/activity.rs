//! Pull-request activity (`ctx=<token>` iterator pagination, default 20, max 50), commits
//! (iterator) and diffstat (`302` to the repository diffstat, which is list-paginated with
//! default and maximum 500). Reference 4.7, 4.8, 8.4a.

use serde_json::Value;

use super::comments::pull_request;
use super::{Ctx, RepoRef};
use crate::collection::{respond, respond_iter, Collection, Support};
use crate::errors::ApiError;
use crate::render::comments::activity;
use crate::render::{git, statuses};
use crate::shape::shape_of;

fn no_filter<'a>(limit_key: &'static str, shape: &'a Value) -> Collection<'a> {
    Collection {
        limit_key,
        shape,
        q: Support::Ignored,
        sort: Support::Ignored,
        aliases: &[],
        hidden: &[],
    }
}

/// `/pullrequests/{id}/activity` (`Some(id)`) or the repository-wide `/pullrequests/activity`.
pub fn list(ctx: &Ctx<'_>, r: &RepoRef, id: Option<&str>) -> Result<Value, ApiError> {
    let (repo, items) = match id {
        Some(id) => {
            let (repo, pr) = pull_request(ctx, r, id)?;
            (repo, ctx.ds.pr_activity(&repo.uuid, pr.id))
        }
        None => {
            let repo = ctx.repository(&r.ws, &r.repo)?;
            (repo, ctx.ds.repo_pr_activity(&repo.uuid))
        }
    };
    let rows = items.iter().map(|a| activity(ctx.links, ctx.ds, repo, a)).collect();
    respond_iter(ctx, &no_filter("activity", &Value::Null), rows, "ctx")
}

pub fn commits(ctx: &Ctx<'_>, r: &RepoRef, id: &str) -> Result<Value, ApiError> {
    let (repo, pr) = pull_request(ctx, r, id)?;
    let rows = ctx
        .ds
        .pr_commits(&repo.uuid, pr.id)
        .into_iter()
        .map(|c| git::commit(ctx.links, ctx.ds, repo, c))
        .collect();
    respond_iter(ctx, &no_filter("pr_commits", &Value::Null), rows, "page")
}

/// The `Location` of a pull request's diffstat.
pub fn pr_diffstat_location(ctx: &Ctx<'_>, r: &RepoRef, id: &str) -> Result<String, ApiError> {
    let (repo, pr) = pull_request(ctx, r, id)?;
    let ws = ctx
        .ds
        .workspace_by_uuid(&repo.workspace_uuid)
        .map(|w| w.slug.as_str())
        .unwrap_or("");
    Ok(format!(
        "{}/repositories/{ws}/{}/diffstat/{}..{}?from_pullrequest_id={}&topic=true",
        ctx.links.api, repo.slug, pr.source_commit, pr.destination_commit, pr.id
    ))
}

pub fn diffstat(ctx: &Ctx<'_>, r: &RepoRef, spec: &str) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let not_found = || ApiError::not_found(format!("Commit not found: {spec}"));
    let (src, dst) = ctx.ds.diffstat_spec(&repo.uuid, spec).ok_or_else(not_found)?;
    let rows: Vec<Value> = ctx
        .ds
        .diffstat(&repo.uuid, spec)
        .ok_or_else(not_found)?
        .iter()
        .map(|d| statuses::diffstat(ctx.links, ctx.ds, repo, &src, &dst, d))
        .collect();
    let shape = shape_of(&rows);
    respond(ctx, &no_filter("diffstat", &shape), rows)
}
