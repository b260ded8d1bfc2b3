//! `POST .../pipelines` (201 and the new PENDING pipeline) and `POST .../pipelines/{uuid}/stopPipeline`
//! (204; 400 once the pipeline has completed), reference 4.11.

use super::write::{choice, required, text_at, Answer, WCtx};
use crate::data::{Dataset, Pipeline};
use crate::errors::ApiError;
use crate::render::pipelines::pipeline;

pub fn run(ds: &mut Dataset, ctx: &WCtx<'_>) -> Result<Answer, ApiError> {
    let kind = required(ctx.body, "target.type")?;
    choice("target", &kind, &["pipeline_ref_target"])?;
    let ref_type = choice("target", &required(ctx.body, "target.ref_type")?, &["branch", "tag"])?;
    let ref_name = required(ctx.body, "target.ref_name")?;
    let hash = match ref_type.as_str() {
        "branch" => ds.branch(&ctx.repo.uuid, &ref_name).map(|b| b.target_hash.clone()),
        _ => ds.tag(&ctx.repo.uuid, &ref_name).map(|t| t.target_hash.clone()),
    }
    .ok_or_else(|| ApiError::bad_request(format!("The {ref_type} {ref_name} does not exist.")))?;
    // A custom selector runs by hand; anything else is what a push would have run.
    let custom = text_at(ctx.body, "target.selector.type")?.flatten().as_deref() == Some("custom");
    let build_number = ds.pipelines(&ctx.repo.uuid).iter().map(|p| p.build_number).max().unwrap_or(0) + 1;
    ds.pipelines.push(Pipeline {
        repo_uuid: ctx.repo.uuid.clone(),
        // Stable and unique: the fake's generated uuids are random-looking, these count up.
        uuid: format!("{{00000000-0000-4000-8000-{:012x}}}", ds.pipelines.len() + 1),
        build_number,
        creator_uuid: ctx.caller.user_uuid().map(String::from),
        ref_type,
        ref_name,
        commit_hash: hash,
        trigger: if custom { "MANUAL" } else { "PUSH" }.to_string(),
        state: "PENDING".to_string(),
        result: None,
        created_on: ctx.now,
        completed_on: None,
        build_seconds_used: 0,
    });
    ds.reindex();
    let p = ds.pipelines.last().expect("just pushed");
    Ok((201, Some(pipeline(ctx.links, ds, &ctx.repo, p))))
}

pub fn stop(ds: &mut Dataset, ctx: &WCtx<'_>, uuid: &str) -> Result<Answer, ApiError> {
    let p = ds
        .pipelines
        .iter_mut()
        .find(|p| p.repo_uuid == ctx.repo.uuid && p.uuid.eq_ignore_ascii_case(uuid))
        .ok_or_else(|| ApiError::not_found(format!("Pipeline {uuid} not found")))?;
    if p.state == "COMPLETED" {
        return Err(ApiError::bad_request("The pipeline has already completed."));
    }
    p.state = "COMPLETED".to_string();
    p.result = Some("STOPPED".to_string());
    p.completed_on = Some(ctx.now);
    Ok((204, None))
}
