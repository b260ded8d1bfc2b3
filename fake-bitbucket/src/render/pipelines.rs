//! Pipelines, environments and deployments (reference 4.11, 4.12). Pipelines carry the
//! extra fields seen in real payloads (`run_number`, `duration_in_seconds`, …).

use serde_json::{json, Value};

use super::{account, repo_path, repository_condensed, Links};
use crate::data::{fmt_ts, Dataset, Deployment, Environment, Pipeline, Repository};

fn user(l: &Links, ds: &Dataset, uuid: Option<&str>) -> Value {
    uuid.and_then(|u| ds.user_by_uuid(u)).map(|u| account(l, u)).unwrap_or(Value::Null)
}

fn state(p: &Pipeline) -> Value {
    match (p.state.as_str(), &p.result) {
        ("COMPLETED", Some(r)) => json!({
            "type": "pipeline_state_completed",
            "name": "COMPLETED",
            "result": {"type": format!("pipeline_state_completed_{}", r.to_lowercase()), "name": r},
        }),
        ("IN_PROGRESS", _) => json!({
            "type": "pipeline_state_in_progress",
            "name": "IN_PROGRESS",
            "stage": {"type": "pipeline_state_in_progress_running", "name": "RUNNING"},
        }),
        (s, _) => json!({"type": "pipeline_state_pending", "name": s}),
    }
}

pub fn pipeline(l: &Links, ds: &Dataset, r: &Repository, p: &Pipeline) -> Value {
    let full_name = repo_path(ds, r);
    let trigger_type = match p.trigger.as_str() {
        "PUSH" => "pipeline_trigger_push",
        "MANUAL" => "pipeline_trigger_manual",
        _ => "pipeline_trigger_schedule",
    };
    let uuid_enc = p.uuid.replace('{', "%7B").replace('}', "%7D");
    json!({
        "type": "pipeline",
        "uuid": p.uuid,
        "build_number": p.build_number,
        "run_number": 1,
        "creator": user(l, ds, p.creator_uuid.as_deref()),
        "repository": repository_condensed(l, ds, r),
        "target": {
            "type": "pipeline_ref_target",
            "ref_type": p.ref_type,
            "ref_name": p.ref_name,
            "commit": {"type": "commit", "hash": p.commit_hash},
            "selector": {"type": if p.ref_type == "tag" { "tags" } else { "branches" }, "pattern": p.ref_name},
        },
        "trigger": {"type": trigger_type, "name": p.trigger},
        "state": state(p),
        "created_on": fmt_ts(&p.created_on),
        "completed_on": p.completed_on.as_ref().map(fmt_ts),
        "build_seconds_used": p.build_seconds_used,
        "duration_in_seconds": p.build_seconds_used,
        "first_successful": false,
        "expired": false,
        "has_variables": false,
        "links": {
            "self": l.api(&format!("/repositories/{full_name}/pipelines/{uuid_enc}")),
            "steps": l.api(&format!("/repositories/{full_name}/pipelines/{uuid_enc}/steps")),
            "html": l.web(&format!("/{full_name}/pipelines/results/{}", p.build_number)),
        },
    })
}

pub fn environment(l: &Links, ds: &Dataset, r: &Repository, e: &Environment) -> Value {
    let full_name = repo_path(ds, r);
    json!({
        "type": "deployment_environment",
        "uuid": e.uuid,
        "name": e.name,
        "slug": e.slug,
        "rank": e.rank,
        "hidden": false,
        "category": {"name": e.name},
        "environment_type": {"type": "deployment_environment_type", "name": e.name, "rank": e.rank},
        "lock": {"type": "deployment_environment_lock_open", "name": "OPEN"},
        "restrictions": {"type": "deployment_restrictions_configuration", "admin_only": e.rank == 2},
        "links": {
            "self": l.api(&format!("/repositories/{full_name}/environments/{}", e.uuid.replace('{', "%7B").replace('}', "%7D"))),
        },
    })
}

pub fn deployment(l: &Links, ds: &Dataset, r: &Repository, d: &Deployment) -> Value {
    let full_name = repo_path(ds, r);
    let env_name = ds
        .environments(&r.uuid)
        .into_iter()
        .find(|e| e.uuid == d.environment_uuid)
        .map(|e| e.name.clone());
    json!({
        "type": "deployment",
        "uuid": d.uuid,
        "state": {
            "type": "deployment_state_completed",
            "name": d.state,
            "status": {"type": format!("deployment_state_completed_status_{}", d.status.to_lowercase()), "name": d.status},
            "url": l.web(&format!("/{full_name}/deployments"))["href"],
            "deployer": user(l, ds, d.deployer_uuid.as_deref()),
            "start_date": fmt_ts(&d.start_date),
            "completion_date": fmt_ts(&d.completion_date),
        },
        "environment": {"type": "deployment_environment", "uuid": d.environment_uuid, "name": env_name},
        "release": {
            "type": "deployment_release",
            "uuid": d.pipeline_uuid,
            "name": d.release_name,
            "url": l.web(&format!("/{full_name}/pipelines/results/{}", d.release_name.trim_start_matches('#')))["href"],
            "commit": {"type": "commit", "hash": d.commit_hash},
            "created_on": fmt_ts(&d.start_date),
        },
        "links": {
            "self": l.api(&format!("/repositories/{full_name}/deployments/{}", d.uuid.replace('{', "%7B").replace('}', "%7D"))),
        },
    })
}
