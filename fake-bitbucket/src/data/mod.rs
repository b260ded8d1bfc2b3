//! The fake's data set: plain pub structs so tests can compute the rows they expect.
//!
//! Entities refer to each other by braced UUID (like the API does). JSON rendering lives in
//! `render.rs`; generation in `generate.rs`. To add a new entity kind (pull requests, commits…)
//! add a `Vec` here, a generator stream in `generate.rs` and a renderer.

mod activity;
mod comments;
mod content;
mod credentials;
mod diffstat;
mod extras;
mod fixtures;
mod generate;
mod git;
mod hooks;
mod index;
mod issues;
mod permissions;
mod pipelines;
mod pullrequests;
pub(crate) mod rng;
mod statuses;

use chrono::{DateTime, FixedOffset};

pub use activity::PrActivity;
pub use comments::{Comment, Inline, IssueComment, PrComment};
pub use diffstat::Diffstat;
pub use generate::{generate, Scale};
pub use git::{natural_cmp, Branch, Commit, CommitAuthor, Tag};
pub use hooks::{BranchRestriction, DefaultReviewer, Webhook};
pub use index::{Index, RepoRows};
pub use issues::{Issue, ISSUE_KINDS, ISSUE_PRIORITIES, ISSUE_STATES};
pub use permissions::{Group, ProjectPermission, RepoPermission, RepoPermissionLevel};
pub use pipelines::{Deployment, Environment, Pipeline};
pub use pullrequests::{Participant, ParticipantRole, PrState, PullRequest};
pub use rng::Rng;
pub use statuses::{CommitStatus, PipelineStep};

/// Timestamps keep their offset (commit dates may be non-UTC later on).
pub type Ts = DateTime<FixedOffset>;

/// Formats like Bitbucket: microseconds when there is a fraction, none otherwise, `+00:00`.
pub fn fmt_ts(ts: &Ts) -> String {
    if ts.timestamp_subsec_nanos() == 0 {
        ts.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    } else {
        ts.format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    /// A human (`type: "user"`).
    User,
    /// The bot behind an access token (`type: "app_user"`).
    AppUser,
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub uuid: String,
    pub account_id: String,
    pub display_name: String,
    pub nickname: String,
    /// Only ever shown on the members endpoint, to admins, when filtered by e-mail.
    pub email: String,
    pub created_on: Ts,
    pub kind: AccountKind,
    pub has_2fa_enabled: Option<bool>,
    pub is_staff: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    pub uuid: String,
    pub slug: String,
    pub name: String,
    pub is_private: bool,
    pub is_privacy_enforced: bool,
    /// `allow_forks` or `internal_only`.
    pub forking_mode: String,
    pub created_on: Ts,
    pub updated_on: Ts,
}

/// Workspace role, in the semantic order BBQL uses for `>`/`<` (member < collaborator < owner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WorkspaceRole {
    Member,
    Collaborator,
    Owner,
}

impl WorkspaceRole {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkspaceRole::Member => "member",
            WorkspaceRole::Collaborator => "collaborator",
            WorkspaceRole::Owner => "owner",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub workspace_uuid: String,
    pub user_uuid: String,
    pub permission: WorkspaceRole,
    /// Absent for workspaces administered at admin.atlassian.com.
    pub added_on: Option<Ts>,
    /// `None` renders as JSON null (never accessed) when `added_on` is present.
    pub last_accessed: Option<Ts>,
}

impl Membership {
    /// `administrator` in `/user/workspaces`.
    pub fn is_admin(&self) -> bool {
        self.permission == WorkspaceRole::Owner
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub uuid: String,
    pub workspace_uuid: String,
    /// Upper-case, unique within the workspace.
    pub key: String,
    pub name: String,
    /// `None` = the key is absent from the JSON.
    pub description: Option<String>,
    pub is_private: bool,
    pub created_on: Ts,
    pub updated_on: Ts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Repository {
    pub uuid: String,
    pub workspace_uuid: String,
    pub project_uuid: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// May be the empty string.
    pub language: String,
    /// `None` renders as null.
    pub website: Option<String>,
    pub is_private: bool,
    pub has_issues: bool,
    pub has_wiki: bool,
    pub fork_policy: String,
    pub scm: String,
    pub size: u64,
    pub created_on: Ts,
    pub updated_on: Ts,
    /// `None` for empty repositories (JSON null).
    pub mainbranch: Option<String>,
    /// UUID of the parent for forks.
    pub parent_uuid: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CredentialKind {
    /// `Authorization: Basic base64(email:token)`.
    ApiToken { email: String, token: String },
    /// `Authorization: Bearer token` (workspace/repository access token or OAuth token).
    AccessToken { token: String },
    /// Legacy `Basic username:app_password`: always refused.
    AppPassword { username: String, password: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    pub kind: CredentialKind,
    /// The user (or bot) the credential acts as.
    pub user_uuid: String,
    /// Granular scopes for API tokens, classic scopes for access tokens.
    pub scopes: Vec<String>,
    pub expired: bool,
    /// `false` for tokens the server refuses outright (unscoped API token, app password).
    pub usable: bool,
    /// Access tokens bound to one workspace.
    pub workspace_uuid: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub seed: u64,
    pub users: Vec<User>,
    pub workspaces: Vec<Workspace>,
    pub memberships: Vec<Membership>,
    pub projects: Vec<Project>,
    pub repositories: Vec<Repository>,
    pub credentials: Vec<Credential>,
    /// Repository content, all repositories together (each row has `repo_uuid`); prefer the
    /// per-repository accessors (`branches`, `commits`, `pull_requests`, …) in `content.rs`.
    pub commits: Vec<Commit>,
    pub branches: Vec<Branch>,
    pub tags: Vec<Tag>,
    pub pull_requests: Vec<PullRequest>,
    pub pipelines: Vec<Pipeline>,
    pub environments: Vec<Environment>,
    pub deployments: Vec<Deployment>,
    pub issues: Vec<Issue>,
    /// Pull-request and commit comments (see `pr_comments`, `commit_comments`).
    pub comments: Vec<Comment>,
    pub issue_comments: Vec<IssueComment>,
    pub commit_statuses: Vec<CommitStatus>,
    pub pipeline_steps: Vec<PipelineStep>,
    pub groups: Vec<Group>,
    pub project_permissions: Vec<ProjectPermission>,
    pub webhooks: Vec<Webhook>,
    pub branch_restrictions: Vec<BranchRestriction>,
    pub default_reviewers: Vec<DefaultReviewer>,
    /// Lookup tables over the rows above (see `index.rs`); rebuild with [`Dataset::reindex`].
    pub index: Index,
}

/// `{...}` identifiers are UUIDs (compared case-insensitively), anything else is a slug.
pub fn is_uuid_ident(ident: &str) -> bool {
    ident.starts_with('{') && ident.ends_with('}')
}

impl Dataset {
    /// Workspace by slug or `{uuid}`.
    pub fn find_workspace(&self, ident: &str) -> Option<&Workspace> {
        let map = if is_uuid_ident(ident) {
            &self.index.workspace_by_uuid_ci
        } else {
            &self.index.workspace_by_slug
        };
        map.get(&ident.to_ascii_lowercase()).map(|&i| &self.workspaces[i])
    }

    /// Repository by workspace and repo identifiers; `{}` as workspace with a repo UUID works.
    pub fn find_repository(&self, ws_ident: &str, repo_ident: &str) -> Option<&Repository> {
        let key = repo_ident.to_ascii_lowercase();
        if ws_ident == "{}" {
            if !is_uuid_ident(repo_ident) || repo_ident == "{}" {
                return None;
            }
            return self.index.repo_by_uuid_ci.get(&key).map(|&i| &self.repositories[i]);
        }
        let ws = self.find_workspace(ws_ident)?;
        let map = if is_uuid_ident(repo_ident) {
            &self.index.repo_by_ws_uuid_ci
        } else {
            &self.index.repo_by_slug
        };
        map.get(&ws.uuid)?.get(&key).map(|&i| &self.repositories[i])
    }

    pub fn workspace_by_uuid(&self, uuid: &str) -> Option<&Workspace> {
        self.index.workspace_by_uuid.get(uuid).map(|&i| &self.workspaces[i])
    }

    pub fn user_by_uuid(&self, uuid: &str) -> Option<&User> {
        self.index.user_by_uuid.get(uuid).map(|&i| &self.users[i])
    }

    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| !u.email.is_empty() && u.email.eq_ignore_ascii_case(email))
    }

    pub fn project_by_uuid(&self, uuid: &str) -> Option<&Project> {
        self.index.project_by_uuid.get(uuid).map(|&i| &self.projects[i])
    }

    pub fn repository_by_uuid(&self, uuid: &str) -> Option<&Repository> {
        self.index.repo_by_uuid.get(uuid).map(|&i| &self.repositories[i])
    }

    /// Project by key (case-insensitive) or `{uuid}` within a workspace.
    pub fn find_project(&self, ws_uuid: &str, ident: &str) -> Option<&Project> {
        self.projects.iter().find(|p| {
            p.workspace_uuid == ws_uuid
                && if is_uuid_ident(ident) {
                    p.uuid.eq_ignore_ascii_case(ident)
                } else {
                    p.key.eq_ignore_ascii_case(ident)
                }
        })
    }

    pub fn membership(&self, ws_uuid: &str, user_uuid: &str) -> Option<&Membership> {
        let i = self.index.membership.get(ws_uuid)?.get(user_uuid)?;
        Some(&self.memberships[*i])
    }

    pub fn members_of<'a>(&'a self, ws_uuid: &'a str) -> impl Iterator<Item = &'a Membership> {
        self.memberships.iter().filter(move |m| m.workspace_uuid == ws_uuid)
    }

    pub fn projects_in<'a>(&'a self, ws_uuid: &'a str) -> impl Iterator<Item = &'a Project> {
        self.projects.iter().filter(move |p| p.workspace_uuid == ws_uuid)
    }

    pub fn repositories_in<'a>(&'a self, ws_uuid: &'a str) -> impl Iterator<Item = &'a Repository> {
        self.repositories.iter().filter(move |r| r.workspace_uuid == ws_uuid)
    }

    /// Workspaces a user belongs to, with their membership.
    pub fn workspaces_of<'a>(&'a self, user_uuid: &'a str) -> impl Iterator<Item = (&'a Workspace, &'a Membership)> {
        self.memberships
            .iter()
            .filter(move |m| m.user_uuid == user_uuid)
            .filter_map(move |m| self.workspace_by_uuid(&m.workspace_uuid).map(|w| (w, m)))
    }

    /// `true` when the project holds at least one public repository.
    pub fn has_public_repos(&self, project_uuid: &str) -> bool {
        self.repositories.iter().any(|r| r.project_uuid == project_uuid && !r.is_private)
    }

    pub fn user_by_nickname(&self, nickname: &str) -> Option<&User> {
        self.users.iter().find(|u| u.nickname == nickname)
    }
}
