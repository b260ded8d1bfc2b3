//! Branch restrictions (reference 4.15): `POST .../branch-restrictions` (the rule object) →
//! 201, `PUT .../branch-restrictions/{id}` → 200, `DELETE` → 204. Validates `kind`,
//! `branch_match_kind` and that a glob rule has a pattern and a model rule a branch type.

use serde_json::Value;

use super::write::{choice, field_errors, text_at, Answer, WCtx};
use crate::data::{BranchRestriction, Dataset};
use crate::errors::ApiError;
use crate::render::permissions::branch_restriction;

const KINDS: &[&str] = &[
    "push",
    "delete",
    "force",
    "restrict_merges",
    "require_approvals_to_merge",
    "require_default_reviewer_approvals_to_merge",
    "require_passing_builds_to_merge",
    "require_tasks_to_be_completed",
    "require_no_changes_requested",
    "require_commits_behind",
    "reset_pullrequest_approvals_on_change",
    "smart_reset_pullrequest_approvals",
    "reset_pullrequest_changes_requested_on_change",
    "require_all_dependencies_merged",
    "enforce_merge_checks",
    "allow_auto_merge_when_builds_pass",
    "require_all_comments_resolved",
    "require_review_group_approvals_to_merge",
];
const BRANCH_TYPES: &[&str] = &["feature", "bugfix", "release", "hotfix", "development", "production"];

fn position(ds: &Dataset, ctx: &WCtx<'_>, id: &str) -> Result<usize, ApiError> {
    let n = id.parse::<u64>().ok();
    ds.branch_restrictions
        .iter()
        .position(|b| b.repo_uuid == ctx.repo.uuid && Some(b.id) == n)
        .ok_or_else(|| ApiError::not_found(format!("Branch restriction {id} not found")))
}

/// Applies the body's fields, then checks the rule is whole.
fn apply(b: &mut BranchRestriction, body: &Value) -> Result<(), ApiError> {
    if let Some(k) = text_at(body, "kind")? {
        b.kind = choice("kind", &k.unwrap_or_default(), KINDS)?;
    }
    if let Some(m) = text_at(body, "branch_match_kind")? {
        b.branch_match_kind = choice("branch_match_kind", &m.unwrap_or_default(), &["glob", "branching_model"])?;
    }
    if let Some(p) = text_at(body, "pattern")? {
        b.pattern = p.unwrap_or_default();
    }
    if let Some(t) = text_at(body, "branch_type")? {
        b.branch_type = t.map(|t| choice("branch_type", &t, BRANCH_TYPES)).transpose()?;
    }
    match body.get("value") {
        None => {}
        Some(Value::Null) => b.value = None,
        Some(v) => {
            b.value = Some(
                v.as_u64()
                    .ok_or_else(|| field_errors(&[("value", "A valid integer is required.".into())]))?,
            )
        }
    }
    if b.kind.is_empty() {
        return Err(field_errors(&[("kind", "This field is required.".into())]));
    }
    match b.branch_match_kind.as_str() {
        "glob" if b.pattern.is_empty() => Err(field_errors(&[("pattern", "A glob rule needs a pattern.".into())])),
        "branching_model" if b.branch_type.is_none() => Err(field_errors(&[(
            "branch_type",
            "A branching model rule needs a branch type.".into(),
        )])),
        _ => Ok(()),
    }
}

pub fn create(ds: &mut Dataset, ctx: &WCtx<'_>) -> Result<Answer, ApiError> {
    let id = ds
        .branch_restrictions
        .iter()
        .filter(|b| b.repo_uuid == ctx.repo.uuid)
        .map(|b| b.id)
        .max()
        .unwrap_or(0)
        + 1;
    let mut b = BranchRestriction {
        repo_uuid: ctx.repo.uuid.clone(),
        id,
        kind: String::new(),
        branch_match_kind: "glob".into(),
        pattern: String::new(),
        branch_type: None,
        value: None,
        user_uuids: Vec::new(),
        group_slugs: Vec::new(),
    };
    apply(&mut b, ctx.body)?;
    ds.branch_restrictions.push(b);
    let b = ds.branch_restrictions.last().expect("just pushed");
    Ok((201, Some(branch_restriction(ctx.links, ds, b))))
}

pub fn update(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str) -> Result<Answer, ApiError> {
    let at = position(ds, ctx, id)?;
    let mut b = ds.branch_restrictions[at].clone();
    apply(&mut b, ctx.body)?;
    ds.branch_restrictions[at] = b;
    Ok((200, Some(branch_restriction(ctx.links, ds, &ds.branch_restrictions[at]))))
}

pub fn delete(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str) -> Result<Answer, ApiError> {
    let at = position(ds, ctx, id)?;
    ds.branch_restrictions.remove(at);
    Ok((204, None))
}
