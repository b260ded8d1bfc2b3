//! `/pipelines` and `/pipelines/{uuid}` (reference 2.4, 4.11): list pagination, oldest first,
//! no BBQL, `sort` limited to `created_on`, `creator.uuid`, `run_creation_date` (±). With the
//! `pipelines_omit_next` switch (on by default, BCLOUD-20639) `next` is dropped while
//! `page`, `size` and `pagelen` stay.

use serde_json::Value;

use super::{Ctx, RepoRef};
use crate::collection::{respond, respond_one, Collection, Support};
use crate::errors::ApiError;
use crate::render::pipelines::pipeline;
use crate::shape::shape_of;

pub fn list(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    ctx.unsupported_q()?;
    let trigger = ctx.query.single("trigger_type")?;
    let ref_name = ctx.query.single("target.ref_name")?.or(ctx.query.single("target.branch")?);
    let rows: Vec<Value> = ctx
        .ds
        .pipelines(&repo.uuid)
        .into_iter()
        .filter(|p| trigger.is_none_or(|t| p.trigger.eq_ignore_ascii_case(t)))
        .filter(|p| ref_name.is_none_or(|n| p.ref_name == n))
        .map(|p| pipeline(ctx.links, ctx.ds, repo, p))
        .collect();
    let shape = shape_of(&rows);
    let c = Collection {
        limit_key: "pipelines",
        shape: &shape,
        q: Support::Ignored,
        sort: Support::Only(&["created_on", "creator.uuid", "run_creation_date"]),
        aliases: &[("run_creation_date", "created_on")],
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

pub fn get(ctx: &Ctx<'_>, r: &RepoRef, id: &str) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let found = ctx
        .ds
        .pipelines(&repo.uuid)
        .into_iter()
        .find(|p| p.uuid.eq_ignore_ascii_case(id) || p.build_number.to_string() == id);
    match found {
        Some(p) => respond_one(ctx, pipeline(ctx.links, ctx.ds, repo, p), &[]),
        None => Err(ApiError::not_found(format!("Pipeline {id} not found"))),
    }
}
