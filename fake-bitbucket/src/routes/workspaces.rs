//! `/workspaces/{ws}` and its projects (reference 4.2, 4.4).

use serde_json::Value;

use super::Ctx;
use crate::collection::{respond, respond_one, Collection, Support};
use crate::errors::ApiError;
use crate::render;

pub fn workspace(ctx: &Ctx<'_>, ws: &str) -> Result<Value, ApiError> {
    let w = ctx.workspace(ws)?;
    respond_one(ctx, render::workspace_full(ctx.links, w), &[])
}

/// Projects visible to the caller. `q`/`sort` are undocumented upstream; accepted here.
pub fn projects(ctx: &Ctx<'_>, ws: &str) -> Result<Value, ApiError> {
    let w = ctx.workspace(ws)?;
    let mut list: Vec<_> = ctx
        .ds
        .projects_in(&w.uuid)
        .filter(|p| ctx.caller.can_see_project(ctx.ds, p))
        .collect();
    list.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    let rows = list.into_iter().map(|p| render::project_full(ctx.links, ctx.ds, p)).collect();
    let c = Collection {
        limit_key: "projects",
        shape: &ctx.shapes.project,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}

pub fn project(ctx: &Ctx<'_>, ws: &str, key: &str) -> Result<Value, ApiError> {
    let w = ctx.workspace(ws)?;
    match ctx.ds.find_project(&w.uuid, key) {
        Some(p) if ctx.caller.can_see_project(ctx.ds, p) => respond_one(ctx, render::project_full(ctx.links, ctx.ds, p), &[]),
        _ => Err(ApiError::not_found(format!(
            "No project with key '{key}' in workspace '{}'.",
            w.slug
        ))),
    }
}
