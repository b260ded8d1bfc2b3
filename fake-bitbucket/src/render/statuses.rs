//! Commit statuses, pipeline steps and diffstat rows (reference 4.7, 4.11).

use serde_json::{json, Value};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::{repo_path, Links};

/// Path segments keep `.`, `-`, `_` and `~` readable.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'-').remove(b'_').remove(b'~');
use crate::data::{fmt_ts, CommitStatus, Dataset, Diffstat, PipelineStep, Repository};

pub fn commit_status(l: &Links, ds: &Dataset, r: &Repository, s: &CommitStatus) -> Value {
    let full_name = repo_path(ds, r);
    let commit = format!("/repositories/{full_name}/commit/{}", s.commit_hash);
    json!({
        "type": "build",
        "key": s.key,
        "state": s.state,
        "name": s.name,
        "description": s.description,
        "url": s.url,
        "refname": s.refname,
        "created_on": fmt_ts(&s.created_on),
        "updated_on": fmt_ts(&s.updated_on),
        "commit": {"type": "commit", "hash": s.commit_hash, "links": {"self": l.api(&commit)}},
        "links": {
            "self": l.api(&format!("{commit}/statuses/build/{}", s.key)),
            "commit": l.api(&commit),
        },
    })
}

fn step_state(s: &PipelineStep) -> Value {
    let lower = s.state.to_lowercase();
    match &s.result {
        Some(res) if s.state == "COMPLETED" => json!({
            "type": "pipeline_step_state_completed",
            "name": "COMPLETED",
            "result": {"type": format!("pipeline_step_state_completed_{}", res.to_lowercase()), "name": res},
        }),
        _ => json!({"type": format!("pipeline_step_state_{lower}"), "name": s.state}),
    }
}

pub fn step(s: &PipelineStep) -> Value {
    json!({
        "type": "pipeline_step",
        "uuid": s.uuid,
        "name": s.name,
        "started_on": s.started_on.as_ref().map(fmt_ts),
        "completed_on": s.completed_on.as_ref().map(fmt_ts),
        "state": step_state(s),
        "image": {"name": s.image},
        "duration_in_seconds": s.duration_in_seconds,
        "pipeline": {"type": "pipeline", "uuid": s.pipeline_uuid},
    })
}

fn commit_file(l: &Links, full_name: &str, hash: &str, path: &Option<String>) -> Value {
    match path {
        None => Value::Null,
        Some(p) => {
            let enc: String = p
                .split('/')
                .map(|seg| utf8_percent_encode(seg, SEGMENT).to_string())
                .collect::<Vec<_>>()
                .join("/");
            json!({
                "path": p,
                "escaped_path": p,
                "type": "commit_file",
                "links": {"self": l.api(&format!("/repositories/{full_name}/src/{hash}/{enc}"))},
            })
        }
    }
}

/// `old` lives on the destination (`dst`) side, `new` on the source side.
pub fn diffstat(l: &Links, ds: &Dataset, r: &Repository, src: &str, dst: &str, d: &Diffstat) -> Value {
    let full_name = repo_path(ds, r);
    json!({
        "type": "diffstat",
        "status": d.status,
        "lines_added": d.lines_added,
        "lines_removed": d.lines_removed,
        "old": commit_file(l, &full_name, dst, &d.old_path),
        "new": commit_file(l, &full_name, src, &d.new_path),
    })
}
