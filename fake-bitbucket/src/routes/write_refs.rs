//! Branches and tags (`POST .../refs/branches|tags`, `DELETE .../refs/branches|tags/{name}`,
//! reference 4.6) and commit statuses (`POST .../commit/{c}/statuses/build`, `PUT
//! .../statuses/build/{key}`, reference 4.7). A name that exists is a 409 conflict.

use super::write::{choice, field_errors, required, text_at, Answer, WCtx};
use crate::data::{Branch, CommitAuthor, CommitStatus, Dataset, Tag};
use crate::errors::ApiError;
use crate::render::git::{branch, tag};
use crate::render::statuses::commit_status;

const STATUS_STATES: &[&str] = &["SUCCESSFUL", "FAILED", "INPROGRESS", "STOPPED"];

/// `name` and the full hash of `target.hash` (a prefix of 7 or more digits is accepted).
fn name_and_target(ds: &Dataset, ctx: &WCtx<'_>) -> Result<(String, String), ApiError> {
    let name = required(ctx.body, "name")?;
    let hash = required(ctx.body, "target.hash")?;
    let full = ds
        .commit(&ctx.repo.uuid, &hash)
        .map(|c| c.hash.clone())
        .ok_or_else(|| field_errors(&[("target", format!("Commit \"{hash}\" not found."))]))?;
    Ok((name, full))
}

fn conflict(kind: &str, name: &str) -> ApiError {
    ApiError::json(409, format!("{kind} \"{name}\" already exists."))
}

pub fn create_branch(ds: &mut Dataset, ctx: &WCtx<'_>) -> Result<Answer, ApiError> {
    let (name, target_hash) = name_and_target(ds, ctx)?;
    if ds.branch(&ctx.repo.uuid, &name).is_some() {
        return Err(conflict("Branch", &name));
    }
    // New branches get the repository's merge settings (those of its other branches).
    let (merge_strategies, default_merge_strategy) = ds
        .branches(&ctx.repo.uuid)
        .first()
        .map(|b| (b.merge_strategies.clone(), b.default_merge_strategy.clone()))
        .unwrap_or_else(|| {
            (
                vec!["merge_commit".into(), "squash".into(), "fast_forward".into()],
                "merge_commit".into(),
            )
        });
    ds.branches.push(Branch {
        repo_uuid: ctx.repo.uuid.clone(),
        name: name.clone(),
        target_hash,
        merge_strategies,
        default_merge_strategy,
    });
    ds.reindex();
    let b = ds.branch(&ctx.repo.uuid, &name).expect("just added");
    Ok((201, Some(branch(ctx.links, ds, &ctx.repo, b))))
}

pub fn delete_branch(ds: &mut Dataset, ctx: &WCtx<'_>, name: &str) -> Result<Answer, ApiError> {
    if ctx.repo.mainbranch.as_deref() == Some(name) {
        return Err(ApiError::bad_request("You can't delete the main branch."));
    }
    let before = ds.branches.len();
    ds.branches.retain(|b| !(b.repo_uuid == ctx.repo.uuid && b.name == name));
    if ds.branches.len() == before {
        return Err(ApiError::not_found(format!("Branch \"{name}\" does not exist.")));
    }
    ds.reindex();
    Ok((204, None))
}

pub fn create_tag(ds: &mut Dataset, ctx: &WCtx<'_>) -> Result<Answer, ApiError> {
    let (name, target_hash) = name_and_target(ds, ctx)?;
    if ds.tag(&ctx.repo.uuid, &name).is_some() {
        return Err(conflict("Tag", &name));
    }
    // A message makes an annotated tag, with its tagger and date.
    let message = text_at(ctx.body, "message")?.flatten().filter(|m| !m.is_empty());
    let tagger = message.as_ref().and_then(|_| {
        let u = ds.user_by_uuid(ctx.caller.user_uuid()?)?;
        Some(CommitAuthor {
            raw: format!("{} <{}>", u.display_name, u.email),
            user_uuid: Some(u.uuid.clone()),
        })
    });
    ds.tags.push(Tag {
        repo_uuid: ctx.repo.uuid.clone(),
        name: name.clone(),
        target_hash,
        date: message.as_ref().map(|_| ctx.now),
        message,
        tagger,
    });
    ds.reindex();
    let t = ds.tag(&ctx.repo.uuid, &name).expect("just added");
    Ok((201, Some(tag(ctx.links, ds, &ctx.repo, t))))
}

pub fn delete_tag(ds: &mut Dataset, ctx: &WCtx<'_>, name: &str) -> Result<Answer, ApiError> {
    let before = ds.tags.len();
    ds.tags.retain(|t| !(t.repo_uuid == ctx.repo.uuid && t.name == name));
    if ds.tags.len() == before {
        return Err(ApiError::not_found(format!("Tag \"{name}\" does not exist.")));
    }
    ds.reindex();
    Ok((204, None))
}

fn full_hash(ds: &Dataset, ctx: &WCtx<'_>, hash: &str) -> Result<String, ApiError> {
    ds.commit(&ctx.repo.uuid, hash)
        .map(|c| c.hash.clone())
        .ok_or_else(|| ApiError::not_found(format!("Commit not found: {hash}")))
}

/// Sets the status fields the body carries.
fn apply(s: &mut CommitStatus, ctx: &WCtx<'_>) -> Result<(), ApiError> {
    if let Some(v) = text_at(ctx.body, "state")? {
        s.state = choice("state", &v.unwrap_or_default(), STATUS_STATES)?;
    }
    for (key, slot) in [("name", &mut s.name), ("description", &mut s.description), ("url", &mut s.url)] {
        if let Some(v) = text_at(ctx.body, key)? {
            *slot = v.unwrap_or_default();
        }
    }
    if let Some(v) = text_at(ctx.body, "refname")? {
        s.refname = v;
    }
    s.updated_on = ctx.now;
    Ok(())
}

/// Creates the status, or replaces the commit's status with the same key (as Bitbucket does).
pub fn create_status(ds: &mut Dataset, ctx: &WCtx<'_>, hash: &str) -> Result<Answer, ApiError> {
    let commit_hash = full_hash(ds, ctx, hash)?;
    let key = required(ctx.body, "key")?;
    required(ctx.body, "state")?;
    let existing = ds
        .commit_statuses
        .iter()
        .position(|s| s.repo_uuid == ctx.repo.uuid && s.commit_hash == commit_hash && s.key == key);
    let mut s = match existing {
        Some(at) => ds.commit_statuses[at].clone(),
        None => CommitStatus {
            repo_uuid: ctx.repo.uuid.clone(),
            commit_hash,
            key,
            state: String::new(),
            name: String::new(),
            description: String::new(),
            url: String::new(),
            refname: None,
            created_on: ctx.now,
            updated_on: ctx.now,
        },
    };
    apply(&mut s, ctx)?;
    let at = match existing {
        Some(at) => {
            ds.commit_statuses[at] = s;
            at
        }
        None => {
            ds.commit_statuses.push(s);
            ds.commit_statuses.len() - 1
        }
    };
    Ok((201, Some(commit_status(ctx.links, ds, &ctx.repo, &ds.commit_statuses[at]))))
}

pub fn update_status(ds: &mut Dataset, ctx: &WCtx<'_>, hash: &str, key: &str) -> Result<Answer, ApiError> {
    let commit_hash = full_hash(ds, ctx, hash)?;
    let at = ds
        .commit_statuses
        .iter()
        .position(|s| s.repo_uuid == ctx.repo.uuid && s.commit_hash == commit_hash && s.key == key)
        .ok_or_else(|| ApiError::not_found(format!("Status \"{key}\" not found for commit {hash}")))?;
    let mut s = ds.commit_statuses[at].clone();
    apply(&mut s, ctx)?;
    ds.commit_statuses[at] = s;
    Ok((200, Some(commit_status(ctx.links, ds, &ctx.repo, &ds.commit_statuses[at]))))
}
