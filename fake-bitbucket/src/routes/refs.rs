//! `/refs/branches[/{name}]` and `/refs/tags[/{name}]` (reference 4.6): list pagination, q and
//! sort; default and `sort=name` order is natural (`v0.9.0` before `v0.10.0`).

use serde_json::Value;

use super::{Ctx, RepoRef};
use crate::collection::{respond, respond_one, Collection, Support};
use crate::data::natural_cmp;
use crate::errors::ApiError;
use crate::render::git;

/// Rows in natural name order; `sort=name` / `-name` handled here, other fields by the pipeline.
fn respond_refs(ctx: &Ctx<'_>, limit_key: &'static str, shape: &Value, mut rows: Vec<Value>) -> Result<Value, ApiError> {
    let name = |v: &Value| v["name"].as_str().unwrap_or_default().to_string();
    rows.sort_by(|a, b| natural_cmp(&name(a), &name(b)));
    let sort = ctx.query.single("sort")?;
    let natural = matches!(sort, Some("name") | Some("-name"));
    if sort == Some("-name") {
        rows.reverse();
    }
    let c = Collection {
        limit_key,
        shape,
        q: Support::AnyField,
        sort: if natural { Support::Ignored } else { Support::AnyField },
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}

pub fn branches(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let rows = ctx
        .ds
        .branches(&repo.uuid)
        .into_iter()
        .map(|b| git::branch(ctx.links, ctx.ds, repo, b))
        .collect();
    respond_refs(ctx, "branches", &ctx.shapes.branch, rows)
}

pub fn branch(ctx: &Ctx<'_>, r: &RepoRef, name: &str) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    match ctx.ds.branch(&repo.uuid, name) {
        Some(b) => respond_one(ctx, git::branch(ctx.links, ctx.ds, repo, b), &[]),
        None => Err(ApiError::not_found(format!("Branch \"{name}\" does not exist."))),
    }
}

pub fn tags(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let rows = ctx
        .ds
        .tags(&repo.uuid)
        .into_iter()
        .map(|t| git::tag(ctx.links, ctx.ds, repo, t))
        .collect();
    respond_refs(ctx, "tags", &ctx.shapes.tag, rows)
}

pub fn tag(ctx: &Ctx<'_>, r: &RepoRef, name: &str) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    match ctx.ds.tag(&repo.uuid, name) {
        Some(t) => respond_one(ctx, git::tag(ctx.links, ctx.ds, repo, t), &[]),
        None => Err(ApiError::not_found(format!("Tag \"{name}\" does not exist."))),
    }
}
