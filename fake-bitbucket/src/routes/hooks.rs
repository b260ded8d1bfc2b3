//! Webhooks (workspace and repository, reference 4.14), branch restrictions and default
//! reviewers (4.15). Hooks need workspace/repository admin (or the workspace's access
//! token); branch restrictions need repository admin; default reviewers only read access.

use serde_json::Value;

use super::permissions::admin_workspace;
use super::{Ctx, RepoRef};
use crate::collection::{respond, Collection, Support};
use crate::data::{RepoPermissionLevel, Repository};
use crate::errors::ApiError;
use crate::render::account;
use crate::render::permissions::{branch_restriction, effective_reviewer, webhook};
use crate::shape::shape_of;

fn plain<'a>(limit_key: &'static str, shape: &'a Value) -> Collection<'a> {
    Collection {
        limit_key,
        shape,
        q: Support::Ignored,
        sort: Support::Ignored,
        aliases: &[],
        hidden: &[],
    }
}

/// A visible repository the caller administers (repository permission `admin`); 403
/// otherwise. `token_ok` lets the workspace's own access token through.
fn admin_repository<'a>(ctx: &'a Ctx<'_>, r: &RepoRef, token_ok: bool) -> Result<&'a Repository, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let admin = ctx
        .caller
        .user_uuid()
        .and_then(|u| ctx.ds.repo_permission(&repo.uuid, u))
        .is_some_and(|p| p == RepoPermissionLevel::Admin);
    let token = token_ok
        && ctx
            .ds
            .workspace_by_uuid(&repo.workspace_uuid)
            .is_some_and(|w| ctx.caller.access(ctx.ds, w).token);
    if !(admin || token) {
        return Err(ApiError::forbidden(
            "Your credentials lack the administrator privileges this resource requires.",
        ));
    }
    Ok(repo)
}

pub fn workspace_hooks(ctx: &Ctx<'_>, ws: &str) -> Result<Value, ApiError> {
    let w = ctx.workspace(ws)?;
    if !ctx.caller.access(ctx.ds, w).token {
        admin_workspace(ctx, ws)?;
    }
    let rows: Vec<Value> = ctx
        .ds
        .workspace_hooks(&w.uuid)
        .into_iter()
        .map(|h| webhook(ctx.links, ctx.ds, h))
        .collect();
    let shape = shape_of(&rows);
    respond(ctx, &plain("hooks", &shape), rows)
}

pub fn repo_hooks(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = admin_repository(ctx, r, true)?;
    let rows: Vec<Value> = ctx
        .ds
        .repo_hooks(&repo.uuid)
        .into_iter()
        .map(|h| webhook(ctx.links, ctx.ds, h))
        .collect();
    let shape = shape_of(&rows);
    respond(ctx, &plain("hooks", &shape), rows)
}

pub fn branch_restrictions(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = admin_repository(ctx, r, false)?;
    let kind = ctx.query.single("kind")?;
    let pattern = ctx.query.single("pattern")?;
    let rows: Vec<Value> = ctx
        .ds
        .branch_restrictions(&repo.uuid)
        .into_iter()
        .filter(|b| kind.is_none_or(|k| b.kind == k))
        .filter(|b| pattern.is_none_or(|p| b.pattern == p))
        .map(|b| branch_restriction(ctx.links, ctx.ds, b))
        .collect();
    let shape = shape_of(&rows);
    respond(ctx, &plain("branch_restrictions", &shape), rows)
}

pub fn default_reviewers(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let rows: Vec<Value> = ctx
        .ds
        .default_reviewers(&repo.uuid)
        .into_iter()
        .filter_map(|u| ctx.ds.user_by_uuid(u))
        .map(|u| account(ctx.links, u))
        .collect();
    let shape = shape_of(&rows);
    respond(ctx, &plain("default_reviewers", &shape), rows)
}

pub fn effective_default_reviewers(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let rows: Vec<Value> = ctx
        .ds
        .effective_default_reviewers(&repo.uuid)
        .into_iter()
        .map(|(u, t)| effective_reviewer(ctx.links, ctx.ds, u, t))
        .collect();
    let shape = shape_of(&rows);
    respond(ctx, &plain("default_reviewers", &shape), rows)
}
