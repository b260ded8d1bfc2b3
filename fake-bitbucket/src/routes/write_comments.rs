//! Pull-request and commit comments (reference 4.7, 4.8): `POST .../comments` with
//! `content.raw` and optional `parent.id` and `inline{path, from, to}`; `PUT .../comments/{id}`
//! edits `content.raw` (200 for pull requests, 201 for commits, as the spec says); `DELETE`
//! soft-deletes (the comment stays listed with `deleted: true` and empty content).

use serde_json::Value;

use super::write::{field_errors, required, text_at, Answer, WCtx};
use crate::data::{Comment, Dataset, Inline};
use crate::errors::ApiError;
use crate::render::comments::comment;

/// What a comment hangs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum On {
    Pr(String),
    Commit(String),
}

/// The parent as stored (`pr_id`, full commit hash), or 404.
fn resolve(ds: &Dataset, ctx: &WCtx<'_>, on: &On) -> Result<(Option<u64>, Option<String>), ApiError> {
    match on {
        On::Pr(id) => id
            .parse::<u64>()
            .ok()
            .filter(|n| ds.pull_request(&ctx.repo.uuid, *n).is_some())
            .map(|n| (Some(n), None))
            .ok_or_else(|| ApiError::not_found(format!("Pull request {id} not found"))),
        On::Commit(h) => ds
            .commit(&ctx.repo.uuid, h)
            .map(|c| (None, Some(c.hash.clone())))
            .ok_or_else(|| ApiError::not_found(format!("Commit not found: {h}"))),
    }
}

fn position(ds: &Dataset, ctx: &WCtx<'_>, parent: &(Option<u64>, Option<String>), cid: &str) -> Result<usize, ApiError> {
    let n = cid.parse::<u64>().ok();
    ds.comments
        .iter()
        .position(|c| c.repo_uuid == ctx.repo.uuid && c.pr_id == parent.0 && c.commit_hash == parent.1 && Some(c.id) == n && !c.deleted)
        .ok_or_else(|| ApiError::not_found(format!("Comment {cid} not found")))
}

fn line(body: &Value, key: &str) -> Result<Option<u64>, ApiError> {
    match body.get("inline").and_then(|i| i.get(key)) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| field_errors(&[("inline", format!("{key} must be a line number."))])),
    }
}

pub fn create(ds: &mut Dataset, ctx: &WCtx<'_>, on: &On) -> Result<Answer, ApiError> {
    let parent = resolve(ds, ctx, on)?;
    let raw = required(ctx.body, "content.raw")?;
    let parent_id = match ctx.body.get("parent").and_then(|p| p.get("id")) {
        None | Some(Value::Null) => None,
        Some(v) => {
            let id = v
                .as_u64()
                .ok_or_else(|| field_errors(&[("parent", "Not a valid comment id.".into())]))?;
            position(ds, ctx, &parent, &id.to_string()).map_err(|_| field_errors(&[("parent", format!("Comment {id} not found."))]))?;
            Some(id)
        }
    };
    let inline = match text_at(ctx.body, "inline.path")? {
        Some(Some(path)) => Some(Inline {
            path,
            from: line(ctx.body, "from")?,
            to: line(ctx.body, "to")?,
        }),
        _ => None,
    };
    // Ids are unique per repository, shared by pull-request and commit comments.
    let id = ds
        .comments
        .iter()
        .filter(|c| c.repo_uuid == ctx.repo.uuid)
        .map(|c| c.id)
        .max()
        .unwrap_or(0)
        + 1;
    ds.comments.push(Comment {
        repo_uuid: ctx.repo.uuid.clone(),
        id,
        pr_id: parent.0,
        commit_hash: parent.1,
        raw,
        user_uuid: ctx.caller.user_uuid().unwrap_or_default().to_string(),
        created_on: ctx.now,
        updated_on: ctx.now,
        deleted: false,
        parent_id,
        inline,
        pending: false,
    });
    let c = ds.comments.last().expect("just pushed");
    Ok((201, Some(comment(ctx.links, ds, &ctx.repo, c))))
}

pub fn update(ds: &mut Dataset, ctx: &WCtx<'_>, on: &On, cid: &str) -> Result<Answer, ApiError> {
    let parent = resolve(ds, ctx, on)?;
    let at = position(ds, ctx, &parent, cid)?;
    let raw = required(ctx.body, "content.raw")?;
    let c = &mut ds.comments[at];
    c.raw = raw;
    c.updated_on = ctx.now;
    let status = if matches!(on, On::Commit(_)) { 201 } else { 200 };
    Ok((status, Some(comment(ctx.links, ds, &ctx.repo, &ds.comments[at]))))
}

pub fn delete(ds: &mut Dataset, ctx: &WCtx<'_>, on: &On, cid: &str) -> Result<Answer, ApiError> {
    let parent = resolve(ds, ctx, on)?;
    let at = position(ds, ctx, &parent, cid)?;
    let c = &mut ds.comments[at];
    c.deleted = true;
    c.raw = String::new();
    c.updated_on = ctx.now;
    Ok((204, None))
}
