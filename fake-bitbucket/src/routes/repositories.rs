//! `/repositories/{ws}` and `/repositories/{ws}/{repo}` (reference 4.5).
//! Private repositories the caller cannot see are 404, never 403.

use serde_json::Value;

use super::Ctx;
use crate::collection::{respond_one, respond_with, Collection, Support};
use crate::data::WorkspaceRole;
use crate::errors::ApiError;
use crate::render;

/// `role=` filter: member ⇒ read, contributor ⇒ write, admin/owner ⇒ admin, derived from the
/// caller's workspace role (the fake has no per-repository grants yet).
fn role_allows(role: &str, ws_role: Option<WorkspaceRole>, token: bool) -> Result<bool, ApiError> {
    let level = match ws_role {
        Some(WorkspaceRole::Owner) => 3,
        Some(WorkspaceRole::Collaborator) => 2,
        Some(WorkspaceRole::Member) => 1,
        None if token => 1,
        None => 0,
    };
    let need = match role {
        "member" => 1,
        "contributor" => 2,
        "admin" | "owner" => 3,
        other => return Err(ApiError::bad_request(format!("Invalid role: '{other}'"))),
    };
    Ok(level >= need)
}

pub fn list(ctx: &Ctx<'_>, ws: &str) -> Result<Value, ApiError> {
    let w = ctx.workspace(ws)?;
    let access = ctx.caller.access(ctx.ds, w);
    let role_ok = match ctx.query.single("role")? {
        Some(r) => role_allows(r, access.role, access.token)?,
        None => true,
    };
    let mut list: Vec<_> = if role_ok {
        ctx.ds
            .repositories_in(&w.uuid)
            .filter(|r| ctx.caller.can_see_repo(ctx.ds, r))
            .collect()
    } else {
        Vec::new()
    };
    // Unspecified upstream (and reported unstable); by UUID here so the driver cannot rely on
    // any meaningful order without `sort`.
    list.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    let c = Collection {
        limit_key: "repositories",
        shape: &ctx.shapes.repository,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond_with(ctx, &c, &list, |r| render::repository_full(ctx.links, ctx.ds, r))
}

pub fn get(ctx: &Ctx<'_>, ws: &str, repo: &str) -> Result<Value, ApiError> {
    match ctx.ds.find_repository(ws, repo) {
        Some(r) if ctx.caller.can_see_repo(ctx.ds, r) => respond_one(ctx, render::repository_full(ctx.links, ctx.ds, r), &[]),
        // Unknown workspace in this path also answers with the repository message.
        _ => Err(ApiError::repo_not_found()),
    }
}
