//! Repository permissions (`/workspaces/{ws}/permissions/repositories[/{repo}]`, admins only;
//! `/user/workspaces/{ws}/permissions/repositories`, the caller's own rows) and explicit
//! project permissions (`permissions-config/users|groups`, no BBQL). Reference 4.3, 4.4.

use serde_json::Value;

use super::Ctx;
use crate::collection::{respond, Collection, Support};
use crate::data::{RepoPermission, Workspace};
use crate::errors::ApiError;
use crate::render::permissions::{project_permission, repo_permission};

/// A workspace whose administrator the caller is; 403 otherwise.
pub fn admin_workspace<'a>(ctx: &'a Ctx<'_>, ws: &str) -> Result<&'a Workspace, ApiError> {
    let w = ctx.workspace(ws)?;
    if !ctx.caller.access(ctx.ds, w).admin {
        return Err(ApiError::forbidden(
            "Your credentials lack the administrator privileges this resource requires.",
        ));
    }
    Ok(w)
}

fn respond_perms(ctx: &Ctx<'_>, rows: Vec<RepoPermission>) -> Result<Value, ApiError> {
    let rows = rows.iter().map(|p| repo_permission(ctx.links, ctx.ds, p)).collect();
    let c = Collection {
        limit_key: "repo_permissions",
        shape: &ctx.shapes.repo_permission,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}

pub fn repositories(ctx: &Ctx<'_>, ws: &str, repo: Option<&str>) -> Result<Value, ApiError> {
    let w = admin_workspace(ctx, ws)?;
    let mut rows = ctx.ds.repo_permissions(&w.uuid);
    if let Some(slug) = repo {
        let r = ctx.repository(&w.slug, slug)?;
        rows.retain(|p| p.repo_uuid == r.uuid);
    }
    respond_perms(ctx, rows)
}

pub fn mine(ctx: &Ctx<'_>, ws: &str) -> Result<Value, ApiError> {
    let w = ctx.workspace(ws)?;
    let me = ctx.caller.user_uuid().unwrap_or("");
    let mut rows = ctx.ds.repo_permissions(&w.uuid);
    rows.retain(|p| p.user_uuid == me);
    respond_perms(ctx, rows)
}

/// `groups = false`: `permissions-config/users`.
pub fn project(ctx: &Ctx<'_>, ws: &str, key: &str, groups: bool) -> Result<Value, ApiError> {
    let w = admin_workspace(ctx, ws)?;
    let p = ctx
        .ds
        .find_project(&w.uuid, key)
        .ok_or_else(|| ApiError::not_found(format!("Project {key} not found")))?;
    if ctx.query.single("q")?.is_some_and(|q| !q.trim().is_empty()) {
        return Err(ApiError::invalid_query("this endpoint does not support BBQL"));
    }
    let perms = if groups {
        ctx.ds.project_group_permissions(&p.uuid)
    } else {
        ctx.ds.project_user_permissions(&p.uuid)
    };
    let rows = perms.into_iter().map(|x| project_permission(ctx.links, ctx.ds, p, x)).collect();
    let c = Collection {
        limit_key: "project_permissions",
        shape: &Value::Null,
        q: Support::Ignored,
        sort: Support::Ignored,
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}
