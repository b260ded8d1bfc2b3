//! `/workspaces/{ws}/members` and `/workspaces/{ws}/permissions` (reference 4.3).
//!
//! Members accept only `q=user.email IN (...)` (≤ 90 addresses), from an administrator or the
//! workspace's access token; e-mails then appear with `fields=+values.user.email`.
//! Non-members get 403 (upstream behaviour unverified).

use serde_json::Value;

use super::Ctx;
use crate::bbql::{self, Expr, Literal};
use crate::collection::{respond, Collection, Support};
use crate::data::{Membership, Workspace};
use crate::errors::ApiError;
use crate::render;

const MAX_EMAILS: usize = 90;

fn member_workspace<'a>(ctx: &'a Ctx<'_>, ws: &str) -> Result<(&'a Workspace, Vec<&'a Membership>), ApiError> {
    let w = ctx.workspace(ws)?;
    if !ctx.caller.access(ctx.ds, w).member {
        return Err(ApiError::forbidden("You do not have access to this workspace."));
    }
    let mut list: Vec<&Membership> = ctx.ds.members_of(&w.uuid).collect();
    list.sort_by(|a, b| a.user_uuid.cmp(&b.user_uuid));
    Ok((w, list))
}

/// The e-mail list of `user.email IN (...)`, or 400 for any other query.
fn email_filter(q: &str) -> Result<Vec<String>, ApiError> {
    let expr = bbql::parse(q).map_err(ApiError::invalid_query)?;
    let only = || ApiError::invalid_query("only 'user.email IN (...)' is supported on this endpoint");
    let Expr::In {
        path,
        negated: false,
        values,
    } = expr
    else {
        return Err(only());
    };
    if path != ["user", "email"] {
        return Err(only());
    }
    if values.len() > MAX_EMAILS {
        return Err(ApiError::invalid_query(format!(
            "at most {MAX_EMAILS} e-mail addresses may be given"
        )));
    }
    values
        .into_iter()
        .map(|v| match v {
            Literal::Str(s) => Ok(s.to_lowercase()),
            _ => Err(only()),
        })
        .collect()
}

pub fn members(ctx: &Ctx<'_>, ws: &str) -> Result<Value, ApiError> {
    let (w, list) = member_workspace(ctx, ws)?;
    let filter = match ctx.query.single("q")? {
        Some(q) if !q.trim().is_empty() => {
            let emails = email_filter(q)?;
            let access = ctx.caller.access(ctx.ds, w);
            if !(access.admin || access.token) {
                return Err(ApiError::forbidden("Only workspace administrators can filter members by e-mail."));
            }
            Some(emails)
        }
        _ => None,
    };
    let rows = list
        .into_iter()
        .filter(|m| match &filter {
            None => true,
            Some(emails) => ctx
                .ds
                .user_by_uuid(&m.user_uuid)
                .is_some_and(|u| emails.contains(&u.email.to_lowercase())),
        })
        .map(|m| render::membership(ctx.links, ctx.ds, m, filter.is_some()))
        .collect();
    let c = Collection {
        limit_key: "members",
        shape: &ctx.shapes.membership,
        q: Support::Ignored,
        sort: Support::Ignored,
        aliases: &[],
        hidden: &["user.email"],
    };
    respond(ctx, &c, rows)
}

pub fn permissions(ctx: &Ctx<'_>, ws: &str) -> Result<Value, ApiError> {
    let (_, list) = member_workspace(ctx, ws)?;
    let rows = list
        .into_iter()
        .map(|m| render::workspace_permission(ctx.links, ctx.ds, m))
        .collect();
    let c = Collection {
        limit_key: "permissions",
        shape: &ctx.shapes.permission,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}
