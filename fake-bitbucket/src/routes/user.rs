//! `/user` and `/user/workspaces` (reference 4.1, 4.2).

use serde_json::Value;

use super::Ctx;
use crate::auth::Principal;
use crate::collection::{respond, respond_one, Collection, Support};
use crate::errors::ApiError;
use crate::render;

pub fn me(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let user = ctx
        .caller
        .user_uuid()
        .and_then(|u| ctx.ds.user_by_uuid(u))
        .ok_or_else(ApiError::unauthenticated)?;
    respond_one(ctx, render::user_full(ctx.links, user), &[])
}

/// Workspaces the caller can access. Filter and sort on `slug` only, plus `administrator=`.
pub fn workspaces(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let admin_filter = match ctx.query.single("administrator")? {
        None => None,
        Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
        Some(v) => return Err(ApiError::bad_request(format!("Invalid value for administrator: '{v}'"))),
    };
    let mut list: Vec<(&crate::data::Workspace, bool)> = match &ctx.caller.principal {
        Principal::Anonymous => Vec::new(),
        Principal::User { user_uuid } => ctx.ds.workspaces_of(user_uuid).map(|(w, m)| (w, m.is_admin())).collect(),
        Principal::Bot { workspace_uuid, .. } => ctx.ds.workspace_by_uuid(workspace_uuid).map(|w| (w, false)).into_iter().collect(),
    };
    // Unspecified upstream; deterministic here, and deliberately not by slug.
    list.sort_by(|a, b| a.0.uuid.cmp(&b.0.uuid));
    let rows = list
        .into_iter()
        .filter(|(_, admin)| admin_filter.is_none_or(|want| want == *admin))
        .map(|(w, admin)| render::workspace_access(ctx.links, w, admin))
        .collect();
    let c = Collection {
        limit_key: "user_workspaces",
        shape: &ctx.shapes.workspace_access,
        q: Support::Only(&["slug"]),
        sort: Support::Only(&["slug"]),
        aliases: &[("slug", "workspace.slug")],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}
