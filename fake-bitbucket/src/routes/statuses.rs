//! `/commit/{hash}/statuses` (list, q/sort, reference 4.7) and `/pipelines/{uuid}/steps`
//! (list, `next` dropped like pipelines, 4.11).

use serde_json::Value;

use super::comments::commit_hash;
use super::{Ctx, RepoRef};
use crate::collection::{respond, Collection, Support};
use crate::errors::ApiError;
use crate::render::statuses::{commit_status, step};
use crate::shape::shape_of;

pub fn commit_statuses(ctx: &Ctx<'_>, r: &RepoRef, hash: &str) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let full = commit_hash(ctx, repo, hash)?;
    let refname = ctx.query.single("refname")?;
    let rows = ctx
        .ds
        .commit_statuses(&repo.uuid, &full)
        .into_iter()
        .filter(|s| refname.is_none_or(|n| s.refname.as_deref() == Some(n)))
        .map(|s| commit_status(ctx.links, ctx.ds, repo, s))
        .collect();
    let c = Collection {
        limit_key: "statuses",
        shape: &ctx.shapes.commit_status,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &[],
    };
    respond(ctx, &c, rows)
}

pub fn steps(ctx: &Ctx<'_>, r: &RepoRef, id: &str) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let pipe = ctx
        .ds
        .pipelines(&repo.uuid)
        .into_iter()
        .find(|p| p.uuid.trim_matches(['{', '}']).eq_ignore_ascii_case(id.trim_matches(['{', '}'])))
        .ok_or_else(|| ApiError::not_found(format!("Pipeline {id} not found")))?;
    ctx.unsupported_q()?;
    let rows: Vec<Value> = ctx.ds.pipeline_steps(&repo.uuid, &pipe.uuid).into_iter().map(step).collect();
    let shape = shape_of(&rows);
    let c = Collection {
        limit_key: "steps",
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
