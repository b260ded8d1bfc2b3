//! `POST .../pullrequests`, `PUT .../pullrequests/{id}` (open pull requests only) and
//! `POST .../{id}/merge` / `.../decline`, `POST` / `DELETE .../{id}/approve` (reference 4.8).

use super::write::{bool_at, field_errors, required, text_at, Answer, WCtx};
use crate::data::{Dataset, Participant, ParticipantRole, PrState, PullRequest};
use crate::errors::ApiError;
use crate::render::pullrequests::pull_request;

fn position(ds: &Dataset, ctx: &WCtx<'_>, id: &str) -> Result<usize, ApiError> {
    let n = id.parse::<u64>().ok();
    ds.pull_requests
        .iter()
        .position(|p| p.repo_uuid == ctx.repo.uuid && Some(p.id) == n)
        .ok_or_else(|| ApiError::not_found(format!("Pull request {id} not found")))
}

/// The branch's tip as the API abbreviates it, or a field error naming `field`.
fn tip(ds: &Dataset, ctx: &WCtx<'_>, field: &str, branch: &str) -> Result<String, ApiError> {
    ds.branch(&ctx.repo.uuid, branch)
        .map(|b| b.target_hash.chars().take(12).collect())
        .ok_or_else(|| field_errors(&[(field, format!("Branch \"{branch}\" not found."))]))
}

fn answer(ds: &Dataset, ctx: &WCtx<'_>, at: usize, status: u16) -> Result<Answer, ApiError> {
    Ok((status, Some(pull_request(ctx.links, ds, &ctx.repo, &ds.pull_requests[at]))))
}

pub fn create(ds: &mut Dataset, ctx: &WCtx<'_>) -> Result<Answer, ApiError> {
    let title = required(ctx.body, "title")?;
    let source = required(ctx.body, "source.branch.name")?;
    let destination = text_at(ctx.body, "destination.branch.name")?
        .flatten()
        .or_else(|| ctx.repo.mainbranch.clone())
        .ok_or_else(|| field_errors(&[("destination", "This field is required.".into())]))?;
    let source_commit = tip(ds, ctx, "source", &source)?;
    let destination_commit = tip(ds, ctx, "destination", &destination)?;
    if source == destination {
        return Err(ApiError::bad_request("There are no changes to be pulled"));
    }
    let id = ds.pull_requests(&ctx.repo.uuid).iter().map(|p| p.id).max().unwrap_or(0) + 1;
    ds.pull_requests.push(PullRequest {
        repo_uuid: ctx.repo.uuid.clone(),
        id,
        title,
        description: text_at(ctx.body, "description")?.flatten().unwrap_or_default(),
        state: PrState::Open,
        draft: bool_at(ctx.body, "draft")?.unwrap_or(false),
        author_uuid: ctx.caller.user_uuid().unwrap_or_default().to_string(),
        source_branch: source,
        source_commit,
        destination_branch: destination,
        destination_commit,
        merge_commit: None,
        close_source_branch: bool_at(ctx.body, "close_source_branch")?.unwrap_or(false),
        closed_by_uuid: None,
        reason: String::new(),
        comment_count: 0,
        task_count: 0,
        created_on: ctx.now,
        updated_on: ctx.now,
        participants: Vec::new(),
    });
    ds.reindex();
    let at = ds.pull_requests.len() - 1;
    answer(ds, ctx, at, 201)
}

fn open(ds: &Dataset, at: usize, what: &str) -> Result<(), ApiError> {
    match ds.pull_requests[at].state {
        PrState::Open => Ok(()),
        s => Err(ApiError::bad_request(format!(
            "You can't {what} a pull request that is {}.",
            s.as_str().to_ascii_lowercase()
        ))),
    }
}

pub fn update(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str) -> Result<Answer, ApiError> {
    let at = position(ds, ctx, id)?;
    open(ds, at, "edit")?;
    let mut p = ds.pull_requests[at].clone();
    if let Some(t) = text_at(ctx.body, "title")? {
        p.title = t
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| field_errors(&[("title", "This field is required.".into())]))?;
    }
    if let Some(d) = text_at(ctx.body, "description")? {
        p.description = d.unwrap_or_default();
    }
    if let Some(Some(b)) = text_at(ctx.body, "destination.branch.name")? {
        p.destination_commit = tip(ds, ctx, "destination", &b)?;
        p.destination_branch = b;
    }
    if let Some(d) = bool_at(ctx.body, "draft")? {
        p.draft = d;
    }
    if let Some(c) = bool_at(ctx.body, "close_source_branch")? {
        p.close_source_branch = c;
    }
    p.updated_on = ctx.now;
    ds.pull_requests[at] = p;
    answer(ds, ctx, at, 200)
}

/// Merge (`merged`) or decline an open pull request.
pub fn close(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str, merged: bool) -> Result<Answer, ApiError> {
    let at = position(ds, ctx, id)?;
    open(ds, at, if merged { "merge" } else { "decline" })?;
    let close_source = bool_at(ctx.body, "close_source_branch")?;
    let reason = text_at(ctx.body, "reason")?.flatten();
    let p = &mut ds.pull_requests[at];
    p.closed_by_uuid = ctx.caller.user_uuid().map(String::from);
    p.updated_on = ctx.now;
    if merged {
        p.state = PrState::Merged;
        // A stable made-up merge commit: the fake does not rewrite history.
        p.merge_commit = Some(format!("{:012x}", (p.id * 0x9e37_79b9) & 0xffff_ffff_ffff));
        if let Some(c) = close_source {
            p.close_source_branch = c;
        }
    } else {
        p.state = PrState::Declined;
        p.reason = reason.unwrap_or_default();
    }
    answer(ds, ctx, at, 200)
}

/// Approve (200 and the caller's participant) or withdraw the approval (204) of an open pull
/// request; the caller becomes a participant if they were not one, as on Bitbucket.
pub fn approve(ds: &mut Dataset, ctx: &WCtx<'_>, id: &str, approved: bool) -> Result<Answer, ApiError> {
    let at = position(ds, ctx, id)?;
    open(ds, at, if approved { "approve" } else { "unapprove" })?;
    let me = ctx.caller.user_uuid().unwrap_or_default().to_string();
    let p = &mut ds.pull_requests[at];
    let k = match p.participants.iter().position(|x| x.user_uuid == me) {
        Some(k) => k,
        None => {
            p.participants.push(Participant {
                user_uuid: me.clone(),
                role: ParticipantRole::Participant,
                approved: false,
                state: None,
                participated_on: None,
            });
            p.participants.len() - 1
        }
    };
    let x = &mut p.participants[k];
    x.approved = approved;
    x.state = approved.then(|| "approved".to_string());
    x.participated_on = Some(ctx.now);
    if !approved {
        return Ok((204, None));
    }
    // The participant exactly as the pull request renders it.
    let pr = pull_request(ctx.links, ds, &ctx.repo, &ds.pull_requests[at]);
    Ok((200, pr.get("participants").and_then(|v| v.get(k)).cloned()))
}
