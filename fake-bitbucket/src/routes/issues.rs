//! `/issues` and `/issues/{id}` (reference 4.9): q/sort (priority compares in enum order),
//! and `404 "Repository has no issue tracker."` when `has_issues` is false.

use serde_json::Value;

use super::{Ctx, RepoRef};
use crate::collection::{respond, respond_one, Collection, Support};
use crate::data::Repository;
use crate::errors::ApiError;
use crate::render::issues::issue;

pub fn tracker<'a>(ctx: &'a Ctx<'_>, r: &RepoRef) -> Result<&'a Repository, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    if !repo.has_issues {
        return Err(ApiError::not_found("Repository has no issue tracker."));
    }
    Ok(repo)
}

pub fn list(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = tracker(ctx, r)?;
    let rows = ctx
        .ds
        .issues(&repo.uuid)
        .into_iter()
        .map(|i| issue(ctx.links, ctx.ds, repo, i))
        .collect();
    let c = Collection {
        limit_key: "issues",
        shape: &ctx.shapes.issue,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}

pub fn get(ctx: &Ctx<'_>, r: &RepoRef, id: &str) -> Result<Value, ApiError> {
    let repo = tracker(ctx, r)?;
    let found = id
        .parse::<u64>()
        .ok()
        .and_then(|n| ctx.ds.issues(&repo.uuid).into_iter().find(|i| i.id == n));
    match found {
        Some(i) => respond_one(ctx, issue(ctx.links, ctx.ds, repo, i), &[]),
        None => Err(ApiError::not_found(format!("Issue {id} not found"))),
    }
}
