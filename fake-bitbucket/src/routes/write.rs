//! Writes (POST, PUT, DELETE) on issues, comments, pull requests, branches, tags and commit statuses,
//! with Bitbucket's status codes: 201 and the new object, 200 and the changed one, 204 for a
//! delete; 400 with `fields` for validation errors, 404 for a missing object, 409 for a name
//! that exists. A write edits a copy of the data set and swaps it in, so readers never see half
//! a change and the response cache (keyed on the data set's pointer) starts over.

use std::sync::Arc;

use axum::http::Method;
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

use super::write_comments::{self, On};
use super::write_projects::{self, ProjectOp};
use super::write_repositories::{self, RepoOp};
use super::{write_issues, write_pipelines, write_pullrequests, write_refs, write_restrictions, write_reviewers};
use crate::auth::{Caller, Scope, ADMIN_REPOSITORY, READ_PULLREQUEST, READ_REPOSITORY};
use crate::data::{Dataset, Repository, Ts, Workspace};
use crate::errors::{ApiError, ErrorBody};
use crate::render::Links;
use crate::server::AppState;

pub const WRITE_ISSUE: Scope = Scope {
    classic: Some("issue:write"),
    granular: "write:issue:bitbucket",
};
pub const DELETE_ISSUE: Scope = Scope {
    classic: Some("issue:write"),
    granular: "delete:issue:bitbucket",
};
pub const WRITE_PULLREQUEST: Scope = Scope {
    classic: Some("pullrequest:write"),
    granular: "write:pullrequest:bitbucket",
};
pub const WRITE_PIPELINE: Scope = Scope {
    classic: Some("pipeline:write"),
    granular: "write:pipeline:bitbucket",
};
pub const WRITE_REPOSITORY: Scope = Scope {
    classic: Some("repository:write"),
    granular: "write:repository:bitbucket",
};

/// What a write does, below `/repositories/{ws}/{repo}/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    IssueCreate,
    IssueUpdate(String),
    IssueDelete(String),
    PrCreate,
    PrUpdate(String),
    PrMerge(String),
    PrDecline(String),
    PrApprove(String),
    PrUnapprove(String),
    PipelineRun,
    PipelineStop(String),
    BranchCreate,
    BranchDelete(String),
    TagCreate,
    TagDelete(String),
    StatusCreate(String),
    IssueCommentCreate(String),
    IssueCommentUpdate(String, String),
    IssueCommentDelete(String, String),
    RestrictionCreate,
    RestrictionUpdate(String),
    RestrictionDelete(String),
    ReviewerAdd(String),
    ReviewerRemove(String),
    CommentCreate(On),
    CommentUpdate(On, String),
    CommentDelete(On, String),
    StatusUpdate(String, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteEp {
    pub ws: String,
    pub repo: String,
    pub op: Op,
}

/// A write route: below a repository, or a workspace's project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Repo(WriteEp),
    Project { ws: String, op: ProjectOp },
    Repository { ws: String, slug: String, op: RepoOp },
}

impl Op {
    /// Scopes from the bundled OpenAPI file; commit statuses need only read access (reference 4.7).
    fn scope(&self) -> Scope {
        match self {
            Op::IssueCreate | Op::IssueUpdate(_) => WRITE_ISSUE,
            Op::IssueCommentCreate(_) | Op::IssueCommentUpdate(..) | Op::IssueCommentDelete(..) => WRITE_ISSUE,
            Op::IssueDelete(_) => DELETE_ISSUE,
            Op::PrCreate | Op::PrUpdate(_) | Op::PrMerge(_) | Op::PrDecline(_) => WRITE_PULLREQUEST,
            Op::PrApprove(_) | Op::PrUnapprove(_) => WRITE_PULLREQUEST,
            Op::PipelineRun | Op::PipelineStop(_) => WRITE_PIPELINE,
            Op::BranchCreate | Op::BranchDelete(_) | Op::TagCreate | Op::TagDelete(_) => WRITE_REPOSITORY,
            Op::StatusCreate(_) | Op::StatusUpdate(..) => READ_REPOSITORY,
            Op::ReviewerAdd(_) | Op::ReviewerRemove(_) => ADMIN_REPOSITORY,
            Op::RestrictionCreate | Op::RestrictionUpdate(_) | Op::RestrictionDelete(_) => ADMIN_REPOSITORY,
            // The spec asks only read scopes to comment (reference 4.7, 4.8).
            Op::CommentCreate(on) | Op::CommentUpdate(on, _) | Op::CommentDelete(on, _) => match on {
                On::Pr(_) => READ_PULLREQUEST,
                On::Commit(_) => READ_REPOSITORY,
            },
        }
    }
}

/// A write route, or None (then the read router answers, with 405 for a wrong method).
pub fn match_write(method: &Method, raw_path: &str) -> Option<Route> {
    if let Some(rest) = raw_path.strip_prefix("/2.0/workspaces/") {
        let s: Vec<String> = rest
            .trim_end_matches('/')
            .split('/')
            .map(|x| percent_decode_str(x).decode_utf8_lossy().into_owned())
            .collect();
        let s: Vec<&str> = s.iter().map(String::as_str).collect();
        let op = match (method.as_str(), s.as_slice()) {
            ("POST", [_, "projects"]) => ProjectOp::Create,
            ("PUT", [_, "projects", key]) => ProjectOp::Update(key.to_string()),
            ("DELETE", [_, "projects", key]) => ProjectOp::Delete(key.to_string()),
            _ => return None,
        };
        return Some(Route::Project { ws: s[0].to_string(), op });
    }
    if let Some(rest) = raw_path.strip_prefix("/2.0/repositories/") {
        let s: Vec<String> = rest
            .trim_end_matches('/')
            .split('/')
            .map(|x| percent_decode_str(x).decode_utf8_lossy().into_owned())
            .collect();
        if let [ws, slug] = s.as_slice() {
            let op = match method.as_str() {
                "POST" => RepoOp::Create,
                "PUT" => RepoOp::Update,
                "DELETE" => RepoOp::Delete,
                _ => return None,
            };
            return Some(Route::Repository {
                ws: ws.clone(),
                slug: slug.clone(),
                op,
            });
        }
    }
    match_repo_write(method, raw_path).map(Route::Repo)
}

fn match_repo_write(method: &Method, raw_path: &str) -> Option<WriteEp> {
    let rest = raw_path.strip_prefix("/2.0/repositories/")?;
    let mut segs: Vec<String> = rest
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8().map(|c| c.into_owned()).ok())
        .collect::<Option<_>>()?;
    if segs.len() > 1 && segs.last().is_some_and(String::is_empty) {
        segs.pop();
    }
    if segs.iter().any(String::is_empty) {
        return None;
    }
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let [ws, repo, rest @ ..] = s.as_slice() else { return None };
    let own = |x: &str| x.to_string();
    let m = method.as_str();
    let op = match (m, rest) {
        ("POST", ["issues"]) => Op::IssueCreate,
        ("PUT", ["issues", id]) => Op::IssueUpdate(own(id)),
        ("DELETE", ["issues", id]) => Op::IssueDelete(own(id)),
        ("POST", ["issues", id, "comments"]) => Op::IssueCommentCreate(own(id)),
        ("PUT", ["issues", id, "comments", cid]) => Op::IssueCommentUpdate(own(id), own(cid)),
        ("DELETE", ["issues", id, "comments", cid]) => Op::IssueCommentDelete(own(id), own(cid)),
        ("POST", ["pullrequests", id, "comments"]) => Op::CommentCreate(On::Pr(own(id))),
        ("PUT", ["pullrequests", id, "comments", cid]) => Op::CommentUpdate(On::Pr(own(id)), own(cid)),
        ("DELETE", ["pullrequests", id, "comments", cid]) => Op::CommentDelete(On::Pr(own(id)), own(cid)),
        ("POST", ["commit", hash, "comments"]) => Op::CommentCreate(On::Commit(own(hash))),
        ("PUT", ["commit", hash, "comments", cid]) => Op::CommentUpdate(On::Commit(own(hash)), own(cid)),
        ("DELETE", ["commit", hash, "comments", cid]) => Op::CommentDelete(On::Commit(own(hash)), own(cid)),
        ("POST", ["branch-restrictions"]) => Op::RestrictionCreate,
        ("PUT", ["branch-restrictions", id]) => Op::RestrictionUpdate(own(id)),
        ("DELETE", ["branch-restrictions", id]) => Op::RestrictionDelete(own(id)),
        ("PUT", ["default-reviewers", user]) => Op::ReviewerAdd(own(user)),
        ("DELETE", ["default-reviewers", user]) => Op::ReviewerRemove(own(user)),
        ("POST", ["pullrequests"]) => Op::PrCreate,
        ("PUT", ["pullrequests", id]) => Op::PrUpdate(own(id)),
        ("POST", ["pullrequests", id, "merge"]) => Op::PrMerge(own(id)),
        ("POST", ["pullrequests", id, "decline"]) => Op::PrDecline(own(id)),
        ("POST", ["pullrequests", id, "approve"]) => Op::PrApprove(own(id)),
        ("DELETE", ["pullrequests", id, "approve"]) => Op::PrUnapprove(own(id)),
        ("POST", ["pipelines"]) => Op::PipelineRun,
        ("POST", ["pipelines", uuid, "stopPipeline"]) => Op::PipelineStop(own(uuid)),
        ("POST", ["refs", "branches"]) => Op::BranchCreate,
        ("DELETE", ["refs", "branches", name @ ..]) if !name.is_empty() => Op::BranchDelete(name.join("/")),
        ("POST", ["refs", "tags"]) => Op::TagCreate,
        ("DELETE", ["refs", "tags", name @ ..]) if !name.is_empty() => Op::TagDelete(name.join("/")),
        ("POST", ["commit", hash, "statuses", "build"]) => Op::StatusCreate(own(hash)),
        ("PUT", ["commit", hash, "statuses", "build", key]) => Op::StatusUpdate(own(hash), own(key)),
        _ => return None,
    };
    Some(WriteEp {
        ws: own(ws),
        repo: own(repo),
        op,
    })
}

/// What a write handler is given: the data set to edit, the repository and the caller.
pub struct WCtx<'a> {
    pub repo: Repository,
    pub caller: &'a Caller,
    pub links: &'a Links,
    pub body: &'a Value,
    pub now: Ts,
}

/// Status and body (None = empty, for 204).
pub type Answer = (u16, Option<Value>);

/// Runs a write: auth, scope, repository, then the handler on a copy of the data set.
pub fn handle(st: &AppState, route: &Route, body: &[u8], caller: &Caller) -> Result<Answer, ApiError> {
    if caller.is_anonymous() {
        return Err(ApiError::unauthenticated());
    }
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("Invalid JSON: {e}")))?
    };
    let ep = match route {
        Route::Project { ws, op } => return write_projects::handle(st, ws, op, &body, caller),
        Route::Repository { ws, slug, op } => return write_repositories::handle(st, ws, slug, op, &body, caller),
        Route::Repo(ep) => ep,
    };
    caller.check_scope(ep.op.scope())?;
    // One writer at a time: the copy is made and swapped under the lock.
    let mut guard = st.data.write();
    let ds: &Dataset = &guard;
    let repo = match ds.find_repository(&ep.ws, &ep.repo) {
        Some(r) if caller.can_see_repo(ds, r) => r.clone(),
        _ => return Err(ApiError::repo_not_found()),
    };
    let member = ds
        .workspace_by_uuid(&repo.workspace_uuid)
        .is_some_and(|w| caller.access(ds, w).member);
    if !member {
        return Err(ApiError::forbidden("You do not have write access to this repository."));
    }
    let mut copy = ds.clone();
    let ctx = WCtx {
        repo,
        caller,
        links: &st.links,
        body: &body,
        now: chrono::Utc::now().fixed_offset(),
    };
    let answer = match &ep.op {
        Op::IssueCreate => write_issues::create(&mut copy, &ctx),
        Op::IssueUpdate(id) => write_issues::update(&mut copy, &ctx, id),
        Op::IssueDelete(id) => write_issues::delete(&mut copy, &ctx, id),
        Op::IssueCommentCreate(id) => write_issues::create_comment(&mut copy, &ctx, id),
        Op::IssueCommentUpdate(id, cid) => write_issues::update_comment(&mut copy, &ctx, id, cid),
        Op::IssueCommentDelete(id, cid) => write_issues::delete_comment(&mut copy, &ctx, id, cid),
        Op::CommentCreate(on) => write_comments::create(&mut copy, &ctx, on),
        Op::CommentUpdate(on, cid) => write_comments::update(&mut copy, &ctx, on, cid),
        Op::CommentDelete(on, cid) => write_comments::delete(&mut copy, &ctx, on, cid),
        Op::RestrictionCreate => write_restrictions::create(&mut copy, &ctx),
        Op::RestrictionUpdate(id) => write_restrictions::update(&mut copy, &ctx, id),
        Op::RestrictionDelete(id) => write_restrictions::delete(&mut copy, &ctx, id),
        Op::ReviewerAdd(u) => write_reviewers::add(&mut copy, &ctx, u),
        Op::ReviewerRemove(u) => write_reviewers::remove(&mut copy, &ctx, u),
        Op::PrCreate => write_pullrequests::create(&mut copy, &ctx),
        Op::PrUpdate(id) => write_pullrequests::update(&mut copy, &ctx, id),
        Op::PrMerge(id) => write_pullrequests::close(&mut copy, &ctx, id, true),
        Op::PrDecline(id) => write_pullrequests::close(&mut copy, &ctx, id, false),
        Op::PrApprove(id) => write_pullrequests::approve(&mut copy, &ctx, id, true),
        Op::PrUnapprove(id) => write_pullrequests::approve(&mut copy, &ctx, id, false),
        Op::PipelineRun => write_pipelines::run(&mut copy, &ctx),
        Op::PipelineStop(uuid) => write_pipelines::stop(&mut copy, &ctx, uuid),
        Op::BranchCreate => write_refs::create_branch(&mut copy, &ctx),
        Op::BranchDelete(name) => write_refs::delete_branch(&mut copy, &ctx, name),
        Op::TagCreate => write_refs::create_tag(&mut copy, &ctx),
        Op::TagDelete(name) => write_refs::delete_tag(&mut copy, &ctx, name),
        Op::StatusCreate(hash) => write_refs::create_status(&mut copy, &ctx, hash),
        Op::StatusUpdate(hash, key) => write_refs::update_status(&mut copy, &ctx, hash, key),
    }?;
    *guard = Arc::new(copy);
    Ok(answer)
}

/// 400 with per-field messages, as Bitbucket answers invalid POST/PUT bodies (reference 6.1).
pub fn field_errors(fields: &[(&str, String)]) -> ApiError {
    let map: Map<String, Value> = fields.iter().map(|(k, m)| (k.to_string(), json!([m]))).collect();
    ApiError {
        status: 400,
        body: ErrorBody::Json(json!({"type": "error", "error": {"message": "Bad request", "fields": map}})),
        headers: Vec::new(),
    }
}

/// A field of the body at a dotted path: absent (None), null (Some(None)) or text.
pub fn text_at(body: &Value, path: &str) -> Result<Option<Option<String>>, ApiError> {
    let mut v = body;
    for p in path.split('.') {
        match v.get(p) {
            Some(x) => v = x,
            None => return Ok(None),
        }
        if v.is_null() {
            return Ok(Some(None));
        }
    }
    match v {
        Value::String(s) => Ok(Some(Some(s.clone()))),
        _ => Err(field_errors(&[(
            path.split('.').next().unwrap_or(path),
            "Not a valid string.".into(),
        )])),
    }
}

pub fn bool_at(body: &Value, key: &str) -> Result<Option<bool>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(field_errors(&[(key, "Must be a valid boolean.".into())])),
    }
}

/// A required, non-empty text field.
pub fn required(body: &Value, path: &str) -> Result<String, ApiError> {
    match text_at(body, path)? {
        Some(Some(s)) if !s.trim().is_empty() => Ok(s),
        _ => Err(field_errors(&[(
            path.split('.').next().unwrap_or(path),
            "This field is required.".into(),
        )])),
    }
}

/// One of a fixed list of values.
pub fn choice(field: &str, v: &str, allowed: &[&str]) -> Result<String, ApiError> {
    match allowed.contains(&v) {
        true => Ok(v.to_string()),
        false => Err(field_errors(&[(field, format!("\"{v}\" is not a valid choice."))])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The procedure routes: a wrong method falls through to the read router (405 there).
    const ROUTES: &[(&str, &str, Option<fn() -> Op>)] = &[
        (
            "POST",
            "/2.0/repositories/acme/web/pullrequests/7/approve",
            Some(|| Op::PrApprove("7".into())),
        ),
        (
            "DELETE",
            "/2.0/repositories/acme/web/pullrequests/7/approve",
            Some(|| Op::PrUnapprove("7".into())),
        ),
        ("PUT", "/2.0/repositories/acme/web/pullrequests/7/approve", None),
        ("POST", "/2.0/repositories/acme/web/pipelines/", Some(|| Op::PipelineRun)),
        ("POST", "/2.0/repositories/acme/web/pipelines", Some(|| Op::PipelineRun)),
        (
            "POST",
            "/2.0/repositories/acme/web/pipelines/%7Bab-1%7D/stopPipeline",
            Some(|| Op::PipelineStop("{ab-1}".into())),
        ),
        ("DELETE", "/2.0/repositories/acme/web/pipelines/%7Bab-1%7D", None),
    ];

    #[test]
    fn procedure_routes_match() {
        for (method, path, want) in ROUTES {
            let got = match_write(&Method::from_bytes(method.as_bytes()).unwrap(), path);
            let want = want.map(|op| {
                Route::Repo(WriteEp {
                    ws: "acme".into(),
                    repo: "web".into(),
                    op: op(),
                })
            });
            assert_eq!(got, want, "{method} {path}");
        }
    }
}

/// The workspace a workspace-level write (projects, repositories) targets: 404 when the caller
/// cannot see it, 403 unless the caller is a member.
pub fn member_workspace(ds: &Dataset, ws: &str, caller: &Caller) -> Result<Workspace, ApiError> {
    let w = match ds.find_workspace(ws) {
        Some(w) if caller.can_see_workspace(ds, w) => w.clone(),
        _ => return Err(ApiError::workspace_not_found(ws)),
    };
    if !caller.access(ds, &w).member {
        return Err(ApiError::forbidden("You do not have admin access to this workspace."));
    }
    Ok(w)
}
