//! API routing: the raw path is split into percent-decoded segments and matched here, so
//! `{uuid}` works raw or encoded and unknown paths get Bitbucket's own 404.
//! To add an endpoint: a variant, a match arm, its scope, and a handler function.

mod activity;
mod comments;
mod commits;
mod deployments;
mod hooks;
mod issues;
mod members;
mod permissions;
mod pipelines;
mod pullrequests;
mod refs;
mod repositories;
mod statuses;
mod user;
mod workspaces;
pub mod write;
mod write_comments;
mod write_issues;
mod write_pipelines;
mod write_projects;
mod write_pullrequests;
mod write_refs;
mod write_repositories;
mod write_restrictions;
mod write_reviewers;

use axum::http::Method;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::auth::{self, Caller, Scope};
use crate::config::Switches;
use crate::data::{Dataset, Repository, Workspace};
use crate::errors::ApiError;
use crate::query::QueryParams;
use crate::render::Links;
use crate::shape::Shapes;

/// Everything a handler may look at.
pub struct Ctx<'a> {
    pub ds: &'a Dataset,
    pub caller: &'a Caller,
    pub query: &'a QueryParams,
    /// Raw request path (still encoded), reused verbatim in `next`/`previous`.
    pub raw_path: &'a str,
    pub links: &'a Links,
    pub switches: &'a Switches,
    pub shapes: &'a Shapes,
}

impl Ctx<'_> {
    /// A workspace the caller may see; unknown or private-and-not-a-member → 404.
    pub fn workspace(&self, ident: &str) -> Result<&Workspace, ApiError> {
        match self.ds.find_workspace(ident) {
            Some(w) if self.caller.can_see_workspace(self.ds, w) => Ok(w),
            _ => Err(ApiError::workspace_not_found(ident)),
        }
    }

    /// A repository the caller may see; unknown or private-and-not-a-member → 404.
    pub fn repository(&self, ws: &str, repo: &str) -> Result<&Repository, ApiError> {
        match self.ds.find_repository(ws, repo) {
            Some(r) if self.caller.can_see_repo(self.ds, r) => Ok(r),
            _ => Err(ApiError::repo_not_found()),
        }
    }

    /// Commits and pipelines have no BBQL: `q` is ignored, or a 400 with the switch on.
    pub fn unsupported_q(&self) -> Result<(), ApiError> {
        match self.query.single("q")? {
            Some(q) if self.switches.reject_unsupported_q && !q.trim().is_empty() => {
                Err(ApiError::invalid_query("this endpoint does not support BBQL filtering"))
            }
            _ => Ok(()),
        }
    }
}

/// A repository-scoped endpoint: workspace and repository identifiers from the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoRef {
    pub ws: String,
    pub repo: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    User,
    UserWorkspaces,
    Workspace {
        ws: String,
    },
    Projects {
        ws: String,
    },
    Project {
        ws: String,
        key: String,
    },
    Members {
        ws: String,
    },
    Permissions {
        ws: String,
    },
    Repositories {
        ws: String,
    },
    Repository {
        ws: String,
        repo: String,
    },
    Branches(RepoRef),
    /// The name may contain `/` (`refs/branches/feature/login` or `feature%2Flogin`).
    Branch(RepoRef, String),
    Tags(RepoRef),
    Tag(RepoRef, String),
    /// `/commits` (all refs) or `/commits/{revision}`.
    Commits(RepoRef, Option<String>),
    PullRequests(RepoRef),
    PullRequest(RepoRef, String),
    Pipelines(RepoRef),
    Pipeline(RepoRef, String),
    Issues(RepoRef),
    Issue(RepoRef, String),
    Environments(RepoRef),
    Deployments(RepoRef),
    PrComments(RepoRef, String),
    /// `/pullrequests/{id}/activity` (`Some`) or repository-wide `/pullrequests/activity`.
    PrActivity(RepoRef, Option<String>),
    PrCommits(RepoRef, String),
    /// Answers 302 to `Diffstat`.
    PrDiffstat(RepoRef, String),
    Diffstat(RepoRef, String),
    CommitStatuses(RepoRef, String),
    CommitComments(RepoRef, String),
    PipelineSteps(RepoRef, String),
    IssueComments(RepoRef, String),
    RepoHooks(RepoRef),
    BranchRestrictions(RepoRef),
    DefaultReviewers(RepoRef),
    EffectiveDefaultReviewers(RepoRef),
    /// `/workspaces/{ws}/permissions/repositories[/{repo}]`.
    RepoPermissions {
        ws: String,
        repo: Option<String>,
    },
    /// `/user/workspaces/{ws}/permissions/repositories`.
    UserRepoPermissions {
        ws: String,
    },
    /// `permissions-config/users` (`groups: false`) or `/groups`.
    ProjectPermissions {
        ws: String,
        key: String,
        groups: bool,
    },
    WorkspaceHooks {
        ws: String,
    },
}

/// What a handler answers: a JSON document, or a `302` to an absolute URL.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Json(Value),
    /// A JSON document already serialized by serde_json (large lists skip the `Value` tree).
    Text(String),
    Redirect(String),
}

/// Matches an API path (`/2.0/...`). Trailing slashes are accepted, as upstream.
pub fn match_route(method: &Method, raw_path: &str) -> Result<Endpoint, ApiError> {
    let rest = raw_path.strip_prefix("/2.0").ok_or_else(ApiError::unknown_path)?;
    if !rest.starts_with('/') {
        return Err(ApiError::unknown_path());
    }
    let mut segs: Vec<String> = rest[1..]
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8().map(|c| c.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::unknown_path())?;
    if segs.len() > 1 && segs.last().is_some_and(String::is_empty) {
        segs.pop();
    }
    if segs.iter().any(String::is_empty) {
        return Err(ApiError::unknown_path());
    }
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let own = |x: &str| x.to_string();
    let ep = match s.as_slice() {
        ["user"] => Endpoint::User,
        ["user", "workspaces"] => Endpoint::UserWorkspaces,
        ["workspaces", ws] => Endpoint::Workspace { ws: own(ws) },
        ["workspaces", ws, "projects"] => Endpoint::Projects { ws: own(ws) },
        ["workspaces", ws, "projects", key] => Endpoint::Project {
            ws: own(ws),
            key: own(key),
        },
        ["workspaces", ws, "members"] => Endpoint::Members { ws: own(ws) },
        ["workspaces", ws, "permissions"] => Endpoint::Permissions { ws: own(ws) },
        ["workspaces", ws, "permissions", "repositories"] => Endpoint::RepoPermissions { ws: own(ws), repo: None },
        ["workspaces", ws, "permissions", "repositories", repo] => Endpoint::RepoPermissions {
            ws: own(ws),
            repo: Some(own(repo)),
        },
        ["user", "workspaces", ws, "permissions", "repositories"] => Endpoint::UserRepoPermissions { ws: own(ws) },
        ["workspaces", ws, "projects", key, "permissions-config", kind @ ("users" | "groups")] => Endpoint::ProjectPermissions {
            ws: own(ws),
            key: own(key),
            groups: *kind == "groups",
        },
        ["workspaces", ws, "hooks"] => Endpoint::WorkspaceHooks { ws: own(ws) },
        ["repositories", ws] => Endpoint::Repositories { ws: own(ws) },
        ["repositories", ws, repo] => Endpoint::Repository {
            ws: own(ws),
            repo: own(repo),
        },
        ["repositories", ws, repo, rest @ ..] => repo_route(
            RepoRef {
                ws: own(ws),
                repo: own(repo),
            },
            rest,
        )?,
        _ => return Err(ApiError::unknown_path()),
    };
    if method != Method::GET && method != Method::HEAD {
        return Err(ApiError::method_not_allowed());
    }
    Ok(ep)
}

fn repo_route(r: RepoRef, rest: &[&str]) -> Result<Endpoint, ApiError> {
    let join = |s: &[&str]| s.join("/");
    Ok(match rest {
        ["refs", "branches"] => Endpoint::Branches(r),
        ["refs", "branches", name @ ..] => Endpoint::Branch(r, join(name)),
        ["refs", "tags"] => Endpoint::Tags(r),
        ["refs", "tags", name @ ..] => Endpoint::Tag(r, join(name)),
        ["commits"] => Endpoint::Commits(r, None),
        ["commits", rev @ ..] => Endpoint::Commits(r, Some(join(rev))),
        ["pullrequests"] => Endpoint::PullRequests(r),
        ["pullrequests", "activity"] => Endpoint::PrActivity(r, None),
        ["pullrequests", id] => Endpoint::PullRequest(r, id.to_string()),
        ["pullrequests", id, "comments"] => Endpoint::PrComments(r, id.to_string()),
        ["pullrequests", id, "activity"] => Endpoint::PrActivity(r, Some(id.to_string())),
        ["pullrequests", id, "commits"] => Endpoint::PrCommits(r, id.to_string()),
        ["pullrequests", id, "diffstat"] => Endpoint::PrDiffstat(r, id.to_string()),
        ["diffstat", spec @ ..] if !spec.is_empty() => Endpoint::Diffstat(r, join(spec)),
        ["commit", hash, "statuses"] => Endpoint::CommitStatuses(r, hash.to_string()),
        ["commit", hash, "comments"] => Endpoint::CommitComments(r, hash.to_string()),
        ["pipelines", id, "steps"] => Endpoint::PipelineSteps(r, id.to_string()),
        ["issues", id, "comments"] => Endpoint::IssueComments(r, id.to_string()),
        ["hooks"] => Endpoint::RepoHooks(r),
        ["branch-restrictions"] => Endpoint::BranchRestrictions(r),
        ["default-reviewers"] => Endpoint::DefaultReviewers(r),
        ["effective-default-reviewers"] => Endpoint::EffectiveDefaultReviewers(r),
        ["pipelines"] => Endpoint::Pipelines(r),
        ["pipelines", id] => Endpoint::Pipeline(r, id.to_string()),
        ["issues"] => Endpoint::Issues(r),
        ["issues", id] => Endpoint::Issue(r, id.to_string()),
        ["environments"] => Endpoint::Environments(r),
        ["deployments"] => Endpoint::Deployments(r),
        _ => return Err(ApiError::unknown_path()),
    })
}

impl Endpoint {
    /// Scope from the bundled OpenAPI file (`security` / `x-atlassian-oauth2-scopes`).
    pub fn scope(&self) -> Scope {
        match self {
            Endpoint::User => auth::READ_USER,
            Endpoint::UserWorkspaces | Endpoint::Members { .. } | Endpoint::Permissions { .. } => auth::READ_WORKSPACE,
            Endpoint::Workspace { .. } => auth::READ_WORKSPACE_ANY,
            Endpoint::Projects { .. } | Endpoint::Project { .. } => auth::READ_PROJECT,
            Endpoint::Repositories { .. }
            | Endpoint::Repository { .. }
            | Endpoint::Branches(_)
            | Endpoint::Branch(..)
            | Endpoint::Tags(_)
            | Endpoint::Tag(..)
            | Endpoint::Commits(..)
            | Endpoint::Diffstat(..)
            | Endpoint::CommitStatuses(..)
            | Endpoint::CommitComments(..)
            | Endpoint::UserRepoPermissions { .. }
            | Endpoint::RepoPermissions { repo: Some(_), .. } => auth::READ_REPOSITORY,
            Endpoint::RepoPermissions { repo: None, .. } => auth::READ_REPO_PERMISSIONS,
            Endpoint::PullRequests(_)
            | Endpoint::PullRequest(..)
            | Endpoint::PrComments(..)
            | Endpoint::PrActivity(..)
            | Endpoint::PrCommits(..)
            | Endpoint::PrDiffstat(..)
            | Endpoint::DefaultReviewers(_)
            | Endpoint::EffectiveDefaultReviewers(_) => auth::READ_PULLREQUEST,
            Endpoint::Issues(_) | Endpoint::Issue(..) | Endpoint::IssueComments(..) => auth::READ_ISSUE,
            Endpoint::Pipelines(_)
            | Endpoint::Pipeline(..)
            | Endpoint::PipelineSteps(..)
            | Endpoint::Environments(_)
            | Endpoint::Deployments(_) => auth::READ_PIPELINE,
            Endpoint::ProjectPermissions { .. } => auth::READ_PROJECT_PERMISSIONS,
            Endpoint::WorkspaceHooks { .. } | Endpoint::RepoHooks(_) => auth::READ_WEBHOOK,
            Endpoint::BranchRestrictions(_) => auth::ADMIN_REPOSITORY,
        }
    }

    /// Endpoints about the caller or a workspace's people need credentials; the rest serve
    /// public data to anonymous callers.
    pub fn needs_auth(&self) -> bool {
        matches!(
            self,
            Endpoint::User
                | Endpoint::UserWorkspaces
                | Endpoint::Members { .. }
                | Endpoint::Permissions { .. }
                | Endpoint::RepoPermissions { .. }
                | Endpoint::UserRepoPermissions { .. }
                | Endpoint::ProjectPermissions { .. }
                | Endpoint::WorkspaceHooks { .. }
                | Endpoint::RepoHooks(_)
                | Endpoint::BranchRestrictions(_)
        )
    }

    pub fn is_repositories(&self) -> bool {
        matches!(self, Endpoint::Repositories { .. } | Endpoint::Repository { .. })
    }
}

/// Auth checks then the handler.
pub fn handle(ep: &Endpoint, ctx: &Ctx<'_>) -> Result<Reply, ApiError> {
    if ep.needs_auth() && ctx.caller.is_anonymous() {
        return Err(ApiError::unauthenticated());
    }
    ctx.caller.check_scope(ep.scope())?;
    match ep {
        Endpoint::PrDiffstat(r, id) => activity::pr_diffstat_location(ctx, r, id).map(Reply::Redirect),
        Endpoint::Commits(r, rev) => commits::list(ctx, r, rev.as_deref()),
        _ => json(ep, ctx).map(Reply::Json),
    }
}

fn json(ep: &Endpoint, ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    match ep {
        Endpoint::User => user::me(ctx),
        Endpoint::UserWorkspaces => user::workspaces(ctx),
        Endpoint::Workspace { ws } => workspaces::workspace(ctx, ws),
        Endpoint::Projects { ws } => workspaces::projects(ctx, ws),
        Endpoint::Project { ws, key } => workspaces::project(ctx, ws, key),
        Endpoint::Members { ws } => members::members(ctx, ws),
        Endpoint::Permissions { ws } => members::permissions(ctx, ws),
        Endpoint::Repositories { ws } => repositories::list(ctx, ws),
        Endpoint::Repository { ws, repo } => repositories::get(ctx, ws, repo),
        Endpoint::Branches(r) => refs::branches(ctx, r),
        Endpoint::Branch(r, name) => refs::branch(ctx, r, name),
        Endpoint::Tags(r) => refs::tags(ctx, r),
        Endpoint::Tag(r, name) => refs::tag(ctx, r, name),
        Endpoint::PullRequests(r) => pullrequests::list(ctx, r),
        Endpoint::PullRequest(r, id) => pullrequests::get(ctx, r, id),
        Endpoint::Pipelines(r) => pipelines::list(ctx, r),
        Endpoint::Pipeline(r, id) => pipelines::get(ctx, r, id),
        Endpoint::Issues(r) => issues::list(ctx, r),
        Endpoint::Issue(r, id) => issues::get(ctx, r, id),
        Endpoint::Environments(r) => deployments::environments(ctx, r),
        Endpoint::Deployments(r) => deployments::deployments(ctx, r),
        Endpoint::PrComments(r, id) => comments::pr_comments(ctx, r, id),
        Endpoint::PrActivity(r, id) => activity::list(ctx, r, id.as_deref()),
        Endpoint::PrCommits(r, id) => activity::commits(ctx, r, id),
        // Answered by `handle`.
        Endpoint::PrDiffstat(..) | Endpoint::Commits(..) => Err(ApiError::unknown_path()),
        Endpoint::Diffstat(r, spec) => activity::diffstat(ctx, r, spec),
        Endpoint::CommitStatuses(r, h) => statuses::commit_statuses(ctx, r, h),
        Endpoint::CommitComments(r, h) => comments::commit_comments(ctx, r, h),
        Endpoint::PipelineSteps(r, id) => statuses::steps(ctx, r, id),
        Endpoint::IssueComments(r, id) => comments::issue_comments(ctx, r, id),
        Endpoint::RepoHooks(r) => hooks::repo_hooks(ctx, r),
        Endpoint::BranchRestrictions(r) => hooks::branch_restrictions(ctx, r),
        Endpoint::DefaultReviewers(r) => hooks::default_reviewers(ctx, r),
        Endpoint::EffectiveDefaultReviewers(r) => hooks::effective_default_reviewers(ctx, r),
        Endpoint::RepoPermissions { ws, repo } => permissions::repositories(ctx, ws, repo.as_deref()),
        Endpoint::UserRepoPermissions { ws } => permissions::mine(ctx, ws),
        Endpoint::ProjectPermissions { ws, key, groups } => permissions::project(ctx, ws, key, *groups),
        Endpoint::WorkspaceHooks { ws } => hooks::workspace_hooks(ctx, ws),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str) -> Result<Endpoint, ApiError> {
        match_route(&Method::GET, p)
    }

    #[test]
    fn identifiers_raw_or_encoded() {
        let want = Endpoint::Repository {
            ws: "{abc}".into(),
            repo: "{def}".into(),
        };
        assert_eq!(m("/2.0/repositories/%7Babc%7D/%7Bdef%7D").unwrap(), want);
        assert_eq!(m("/2.0/repositories/{abc}/{def}").unwrap(), want);
        assert_eq!(m("/2.0/repositories/acme/").unwrap(), Endpoint::Repositories { ws: "acme".into() });
    }

    #[test]
    fn unknown_paths() {
        for p in [
            "/2.0",
            "/2.0/",
            "/2.0/nope",
            "/2.0x/user",
            "/user",
            "/2.0/repositories//x",
            "/2.0/user/workspaces/x/y/z",
        ] {
            assert_eq!(m(p).unwrap_err(), ApiError::unknown_path(), "{p}");
        }
        assert_eq!(match_route(&Method::DELETE, "/2.0/user").unwrap_err().status, 405);
    }

    #[test]
    fn repository_scoped_routes() {
        let r = || RepoRef {
            ws: "acme".into(),
            repo: "core-api".into(),
        };
        let want = Endpoint::Branch(r(), "feature/login".into());
        assert_eq!(m("/2.0/repositories/acme/core-api/refs/branches/feature/login").unwrap(), want);
        assert_eq!(m("/2.0/repositories/acme/core-api/refs/branches/feature%2Flogin").unwrap(), want);
        assert_eq!(m("/2.0/repositories/acme/core-api/commits/").unwrap(), Endpoint::Commits(r(), None));
        assert_eq!(
            m("/2.0/repositories/acme/core-api/commits/release/1.x").unwrap(),
            Endpoint::Commits(r(), Some("release/1.x".into()))
        );
        assert_eq!(
            m("/2.0/repositories/acme/core-api/pullrequests/7").unwrap(),
            Endpoint::PullRequest(r(), "7".into())
        );
        assert_eq!(m("/2.0/repositories/acme/core-api/nope").unwrap_err(), ApiError::unknown_path());
    }
}
