//! Groups, repository permissions (effective, per member and repository) and explicit project
//! permissions (reference 4.3, 4.4).

use super::rng::Rng;
use super::{AccountKind, Dataset, Membership, Project, User, Workspace, WorkspaceRole};

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub workspace_uuid: String,
    pub slug: String,
    pub name: String,
}

/// `read` < `write` < `admin` (BBQL compares in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RepoPermissionLevel {
    Read,
    Write,
    Admin,
}

impl RepoPermissionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RepoPermissionLevel::Read => "read",
            RepoPermissionLevel::Write => "write",
            RepoPermissionLevel::Admin => "admin",
        }
    }
}

/// One row of `/workspaces/{ws}/permissions/repositories`.
#[derive(Debug, Clone, PartialEq)]
pub struct RepoPermission {
    pub repo_uuid: String,
    pub user_uuid: String,
    pub permission: RepoPermissionLevel,
}

/// Explicit project permission of a user or a group (`read`, `write`, `create-repo`, `admin`).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectPermission {
    pub project_uuid: String,
    /// Exactly one of `user_uuid` / `group_slug`.
    pub user_uuid: Option<String>,
    pub group_slug: Option<String>,
    pub permission: String,
}

const GROUPS: &[(&str, &str)] = &[
    ("developers", "Developers"),
    ("qa-team", "QA Team"),
    ("unicode-group", "Ünïcode Group"),
];

pub(super) fn groups(workspaces: &[Workspace]) -> Vec<Group> {
    workspaces
        .iter()
        .flat_map(|w| {
            GROUPS.iter().map(|(slug, name)| Group {
                workspace_uuid: w.uuid.clone(),
                slug: slug.to_string(),
                name: name.to_string(),
            })
        })
        .collect()
}

const PROJECT_LEVELS: &[&str] = &["read", "write", "create-repo", "admin"];

/// Owners get `admin` on every project; about half of the other members get an explicit
/// grant; each group gets a grant on about two projects in three.
pub(super) fn project_permissions(
    seed: u64,
    projects: &[Project],
    memberships: &[Membership],
    users: &[User],
    groups: &[Group],
) -> Vec<ProjectPermission> {
    let mut rng = Rng::stream(seed, "project-permissions");
    let mut out = Vec::new();
    for p in projects {
        for m in memberships.iter().filter(|m| m.workspace_uuid == p.workspace_uuid) {
            let human = users.iter().any(|u| u.uuid == m.user_uuid && u.kind == AccountKind::User);
            let level = match m.permission {
                WorkspaceRole::Owner => "admin",
                _ if !human || !rng.chance(50) => continue,
                _ => rng.pick(&PROJECT_LEVELS[..3]),
            };
            out.push(ProjectPermission {
                project_uuid: p.uuid.clone(),
                user_uuid: Some(m.user_uuid.clone()),
                group_slug: None,
                permission: level.to_string(),
            });
        }
        for g in groups.iter().filter(|g| g.workspace_uuid == p.workspace_uuid) {
            if rng.chance(66) {
                out.push(ProjectPermission {
                    project_uuid: p.uuid.clone(),
                    user_uuid: None,
                    group_slug: Some(g.slug.clone()),
                    permission: rng.pick(PROJECT_LEVELS).to_string(),
                });
            }
        }
    }
    out
}

impl Dataset {
    /// Groups of a workspace, slug order.
    pub fn groups(&self, ws_uuid: &str) -> Vec<&Group> {
        let mut v: Vec<&Group> = self.groups.iter().filter(|g| g.workspace_uuid == ws_uuid).collect();
        v.sort_by(|a, b| a.slug.cmp(&b.slug));
        v
    }

    /// Effective permission of a user on a repository: workspace owners `admin`,
    /// collaborators `write`, members `read` or (about one in three pairs) `write`;
    /// `None` for non-members and bots.
    pub fn repo_permission(&self, repo_uuid: &str, user_uuid: &str) -> Option<RepoPermissionLevel> {
        let r = self.repository_by_uuid(repo_uuid)?;
        self.level(repo_uuid, self.membership(&r.workspace_uuid, user_uuid)?)
    }

    fn level(&self, repo_uuid: &str, m: &Membership) -> Option<RepoPermissionLevel> {
        if self.user_by_uuid(&m.user_uuid)?.kind != AccountKind::User {
            return None;
        }
        Some(match m.permission {
            WorkspaceRole::Owner => RepoPermissionLevel::Admin,
            WorkspaceRole::Collaborator => RepoPermissionLevel::Write,
            WorkspaceRole::Member => {
                let mut rng = Rng::stream(self.seed, &format!("repo-permission:{repo_uuid}:{}", m.user_uuid));
                if rng.chance(33) {
                    RepoPermissionLevel::Write
                } else {
                    RepoPermissionLevel::Read
                }
            }
        })
    }

    /// Rows of `/workspaces/{ws}/permissions/repositories`: every (member, repository) pair,
    /// by repository full name then user UUID.
    pub fn repo_permissions(&self, ws_uuid: &str) -> Vec<RepoPermission> {
        let mut repos: Vec<_> = self.repositories_in(ws_uuid).collect();
        repos.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut members: Vec<&Membership> = self.members_of(ws_uuid).collect();
        members.sort_by(|a, b| a.user_uuid.cmp(&b.user_uuid));
        let mut out = Vec::new();
        for r in repos {
            for m in &members {
                if let Some(permission) = self.level(&r.uuid, m) {
                    out.push(RepoPermission {
                        repo_uuid: r.uuid.clone(),
                        user_uuid: m.user_uuid.clone(),
                        permission,
                    });
                }
            }
        }
        out
    }

    /// Explicit user grants of a project, by user UUID.
    pub fn project_user_permissions(&self, project_uuid: &str) -> Vec<&ProjectPermission> {
        let mut v: Vec<&ProjectPermission> = self
            .project_permissions
            .iter()
            .filter(|p| p.project_uuid == project_uuid && p.user_uuid.is_some())
            .collect();
        v.sort_by(|a, b| a.user_uuid.cmp(&b.user_uuid));
        v
    }

    /// Explicit group grants of a project, by group slug.
    pub fn project_group_permissions(&self, project_uuid: &str) -> Vec<&ProjectPermission> {
        let mut v: Vec<&ProjectPermission> = self
            .project_permissions
            .iter()
            .filter(|p| p.project_uuid == project_uuid && p.group_slug.is_some())
            .collect();
        v.sort_by(|a, b| a.group_slug.cmp(&b.group_slug));
        v
    }
}
