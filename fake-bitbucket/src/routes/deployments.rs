//! `/environments` and `/deployments` (reference 4.12): plain lists, no q/sort. Like the other
//! pipelines-service lists they drop `next` while `pipelines_omit_next` is on.

use serde_json::Value;

use super::{Ctx, RepoRef};
use crate::collection::{respond, Collection, Support};
use crate::errors::ApiError;
use crate::render::pipelines::{deployment, environment};

fn plain(ctx: &Ctx<'_>, limit_key: &'static str, rows: Vec<Value>) -> Result<Value, ApiError> {
    let shape = Value::Null;
    let c = Collection {
        limit_key,
        shape: &shape,
        q: Support::Ignored,
        sort: Support::Ignored,
        aliases: &[],
        hidden: &[],
    };
    let mut env = respond(ctx, &c, rows)?;
    if ctx.switches.pipelines_omit_next {
        if let Value::Object(m) = &mut env {
            m.remove("next");
        }
    }
    Ok(env)
}

pub fn environments(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let rows = ctx
        .ds
        .environments(&repo.uuid)
        .into_iter()
        .map(|e| environment(ctx.links, ctx.ds, repo, e))
        .collect();
    plain(ctx, "environments", rows)
}

pub fn deployments(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let rows = ctx
        .ds
        .deployments(&repo.uuid)
        .into_iter()
        .map(|d| deployment(ctx.links, ctx.ds, repo, d))
        .collect();
    plain(ctx, "deployments", rows)
}
