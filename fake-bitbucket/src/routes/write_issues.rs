//! `POST .../issues`, `PUT` (a partial update: `null` clears a field) and `DELETE .../issues/{id}`
//! (reference 4.9), and their comments (`POST .../issues/{id}/comments`, `PUT`/`DELETE
//! .../comments/{cid}`, only `content.raw` editable). A repository without tracker answers 404
//! "Repository has no issue tracker.".

use serde_json::Value;

use super::write::{choice, field_errors, required, text_at, Answer, WCtx};
use crate::data::{Dataset, Issue, IssueComment, ISSUE_KINDS, ISSUE_PRIORITIES, ISSUE_STATES};
use crate::errors::ApiError;
use crate::render::comments::issue_comment;
use crate::render::issues::issue;

fn tracker(ctx: &WCtx<'_>) -> Result<(), ApiError> {
    match ctx.repo.has_issues {
        true => Ok(()),
        false => Err(ApiError::not_found("Repository has no issue tracker.")),
    }
}

fn position(ds: &Dataset, ctx: &WCtx<'_>, id: &str) -> Result<usize, ApiError> {
    let n = id.parse::<u64>().ok();
    ds.issues
        .iter()
        .position(|i| i.repo_uuid == ctx.repo.uuid && Some(i.id) == n)
        .ok_or_else(|| ApiError::not_found(format!("Issue {id} not found")))
}

/// Applies every field the body carries.
fn apply(ds: &Dataset, i: &mut Issue, body: &Value) -> Result<(), ApiError> {
    if let Some(t) = text_at(body, "title")? {
        i.title = t
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| field_errors(&[("title", "This field is required.".into())]))?;
    }
    if let Some(c) = text_at(body, "content.raw")? {
        i.content_raw = c.unwrap_or_default();
    } else if body.get("content").is_some_and(Value::is_null) {
        i.content_raw = String::new();
    }
    for (key, allowed, slot) in [
        ("state", ISSUE_STATES, &mut i.state),
        ("kind", ISSUE_KINDS, &mut i.kind),
        ("priority", ISSUE_PRIORITIES, &mut i.priority),
    ] {
        match text_at(body, key)? {
            Some(Some(v)) => *slot = choice(key, &v, allowed)?,
            Some(None) => return Err(field_errors(&[(key, "This field may not be null.".into())])),
            None => {}
        }
    }
    match body.get("assignee") {
        None => {}
        Some(Value::Null) => i.assignee_uuid = None,
        Some(a) => {
            let by_uuid = a.get("uuid").and_then(Value::as_str).and_then(|u| ds.user_by_uuid(u));
            let by_account = a
                .get("account_id")
                .and_then(Value::as_str)
                .and_then(|id| ds.users.iter().find(|u| u.account_id == id));
            let user = by_uuid
                .or(by_account)
                .ok_or_else(|| field_errors(&[("assignee", "No such user.".into())]))?;
            i.assignee_uuid = Some(user.uuid.clone());
        }
    }
    for (key, slot) in [
        ("component", &mut i.component),
        ("milestone", &mut i.milestone),
        ("version", &mut i.version),
    ] {
        match body.get(key) {
            None => {}
            Some(Value::Null) => *slot = None,
            Some(_) => *slot = text_at(body, &format!("{key}.name"))?.flatten(),
        }
    }
    Ok(())
}

pub fn create(ds: &mut Dataset, ctx: &WCtx<'_>) -> Result<Answer, ApiError> {
    tracker(ctx)?;
    required(ctx.body, "title")?;
    let id = ds.issues(&ctx.repo.uuid).iter().map(|i| i.id).max().unwrap_or(0) + 1;
    let mut i = Issue {
        repo_uuid: ctx.repo.uuid.clone(),
        id,
        title: String::new(),
        content_raw: String::new(),
        state: "new".into(),
        kind: "bug".into(),
        priority: "major".into(),
        reporter_uuid: ctx.caller.user_uuid().map(String::from),
        assignee_uuid: None,
        component: None,
        milestone: None,
        version: None,
        votes: 0,
        watches: 1,
        created_on: ctx.now,
        updated_on: ctx.now,
        edited_on: None,
    };
    apply(ds, &mut i, ctx.body)?;
    ds.issues.push(i);
    ds.reindex();
    let i = ds.issues.last().expect("just pushed");
    Ok((201, Some(issue(ctx.links, ds, &ctx.repo, i))))
}

pub fn update(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str) -> Result<Answer, ApiError> {
    tracker(ctx)?;
    let at = position(ds, ctx, id)?;
    let mut i = ds.issues[at].clone();
    apply(ds, &mut i, ctx.body)?;
    i.updated_on = ctx.now;
    i.edited_on = Some(ctx.now);
    ds.issues[at] = i;
    Ok((200, Some(issue(ctx.links, ds, &ctx.repo, &ds.issues[at]))))
}

pub fn delete(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str) -> Result<Answer, ApiError> {
    tracker(ctx)?;
    let at = position(ds, ctx, id)?;
    ds.issues.remove(at);
    ds.issue_comments
        .retain(|c| !(c.repo_uuid == ctx.repo.uuid && Some(c.issue_id) == id.parse().ok()));
    ds.reindex();
    Ok((204, None))
}

/// The issue's number, or 404 when the repository has no such issue.
fn issue_number(ds: &Dataset, ctx: &WCtx<'_>, id: &str) -> Result<u64, ApiError> {
    tracker(ctx)?;
    position(ds, ctx, id).map(|at| ds.issues[at].id)
}

fn comment_position(ds: &Dataset, ctx: &WCtx<'_>, issue: u64, cid: &str) -> Result<usize, ApiError> {
    let n = cid.parse::<u64>().ok();
    ds.issue_comments
        .iter()
        .position(|c| c.repo_uuid == ctx.repo.uuid && c.issue_id == issue && Some(c.id) == n)
        .ok_or_else(|| ApiError::not_found(format!("Comment {cid} not found")))
}

pub fn create_comment(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str) -> Result<Answer, ApiError> {
    let issue_id = issue_number(ds, ctx, id)?;
    let raw = required(ctx.body, "content.raw")?;
    // Comment ids are unique across Bitbucket, not per issue.
    let next = ds.issue_comments.iter().map(|c| c.id).max().unwrap_or(0) + 1;
    ds.issue_comments.push(IssueComment {
        repo_uuid: ctx.repo.uuid.clone(),
        issue_id,
        id: next,
        raw,
        user_uuid: ctx.caller.user_uuid().map(String::from),
        created_on: ctx.now,
        updated_on: None,
    });
    let c = ds.issue_comments.last().expect("just pushed");
    Ok((201, Some(issue_comment(ctx.links, ds, &ctx.repo, c))))
}

pub fn update_comment(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str, cid: &str) -> Result<Answer, ApiError> {
    let issue_id = issue_number(ds, ctx, id)?;
    let at = comment_position(ds, ctx, issue_id, cid)?;
    let raw = required(ctx.body, "content.raw")?;
    let c = &mut ds.issue_comments[at];
    c.raw = raw;
    c.updated_on = Some(ctx.now);
    Ok((200, Some(issue_comment(ctx.links, ds, &ctx.repo, &ds.issue_comments[at]))))
}

pub fn delete_comment(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str, cid: &str) -> Result<Answer, ApiError> {
    let issue_id = issue_number(ds, ctx, id)?;
    let at = comment_position(ds, ctx, issue_id, cid)?;
    ds.issue_comments.remove(at);
    Ok((204, None))
}
