//! Webhook subscriptions (reference 4.14), branch restrictions and default reviewers (4.15).

use super::rng::Rng;
use super::{Dataset, Project, Repository, Ts, Workspace};

#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub uuid: String,
    pub workspace_uuid: String,
    /// `None` for workspace hooks (`subject_type: "workspace"`).
    pub repo_uuid: Option<String>,
    pub url: String,
    pub description: String,
    pub active: bool,
    pub created_at: Ts,
    pub events: Vec<String>,
    pub secret_set: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BranchRestriction {
    pub repo_uuid: String,
    /// Unique per repository.
    pub id: u64,
    pub kind: String,
    /// `glob` or `branching_model`.
    pub branch_match_kind: String,
    /// `""` for `branching_model`.
    pub pattern: String,
    /// Only for `branching_model` (absent from the JSON otherwise).
    pub branch_type: Option<String>,
    /// JSON null when the kind takes no value.
    pub value: Option<u64>,
    /// Exempted accounts and group slugs.
    pub user_uuids: Vec<String>,
    pub group_slugs: Vec<String>,
}

/// A default reviewer of a repository (`repo_uuid`) or of a project (`project_uuid`).
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultReviewer {
    pub repo_uuid: Option<String>,
    pub project_uuid: Option<String>,
    pub user_uuid: String,
}

const EVENTS: &[&str] = &[
    "repo:push",
    "pullrequest:created",
    "pullrequest:fulfilled",
    "pullrequest:rejected",
    "issue:created",
    "repo:commit_status_updated",
];

fn hook(rng: &mut Rng, ws: &Workspace, repo: Option<&Repository>, k: usize, after: Ts) -> Webhook {
    let n = 1 + rng.below(EVENTS.len() as u64) as usize;
    let start = rng.below(EVENTS.len() as u64) as usize;
    let mut events: Vec<String> = (0..n).map(|i| EVENTS[(start + i) % EVENTS.len()].to_string()).collect();
    events.sort();
    let target = repo.map(|r| r.slug.as_str()).unwrap_or(&ws.slug);
    Webhook {
        uuid: rng.uuid(),
        workspace_uuid: ws.uuid.clone(),
        repo_uuid: repo.map(|r| r.uuid.clone()),
        url: if k == 0 {
            format!("https://ci.example.com/hooks/{target}")
        } else {
            format!("https://chat.example.com/notify?room={target}&lang=fr")
        },
        description: if k == 0 {
            "CI trigger".into()
        } else {
            "Chat notifications 💬".into()
        },
        active: k == 0 || rng.chance(50),
        created_at: rng.timestamp(after, 400),
        events,
        secret_set: rng.chance(50),
    }
}

/// Workspaces get 1–2 hooks; repositories 0, 1 or 2 (the first repository of a workspace 2).
pub(super) fn webhooks(seed: u64, workspaces: &[Workspace], repos: &[Repository]) -> Vec<Webhook> {
    let mut rng = Rng::stream(seed, "webhooks");
    let mut out = Vec::new();
    for w in workspaces {
        for k in 0..1 + rng.below(2) as usize {
            out.push(hook(&mut rng, w, None, k, w.created_on));
        }
        for (i, r) in repos.iter().filter(|r| r.workspace_uuid == w.uuid).enumerate() {
            let n = if i == 0 { 2 } else { rng.below(3) as usize };
            for k in 0..n {
                out.push(hook(&mut rng, w, Some(r), k, r.created_on));
            }
        }
    }
    out
}

/// (kind, branch_match_kind, pattern, branch_type, value)
type Rule = (&'static str, &'static str, &'static str, Option<&'static str>, Option<u64>);

const RULES: &[Rule] = &[
    ("push", "glob", "main", None, None),
    ("delete", "glob", "release/*", None, None),
    ("force", "glob", "*", None, None),
    ("require_approvals_to_merge", "glob", "main", None, Some(2)),
    ("require_passing_builds_to_merge", "branching_model", "", Some("release"), Some(1)),
    ("restrict_merges", "branching_model", "", Some("production"), None),
    ("require_tasks_to_be_completed", "glob", "feature/*", None, None),
];

/// 2–6 rules per non-empty repository; `push` exempts a user and a group.
pub(super) fn branch_restrictions(seed: u64, repo: &Repository, members: &[String], group_slugs: &[String]) -> Vec<BranchRestriction> {
    let mut rng = Rng::stream(seed, &format!("branch-restrictions:{}", repo.uuid));
    let n = 2 + rng.below(5) as usize;
    let mut id = 10 + rng.below(1000);
    RULES
        .iter()
        .take(n)
        .map(|(kind, bmk, pattern, bt, value)| {
            id += 1 + rng.below(5);
            let exempt = *kind == "push" && !members.is_empty();
            BranchRestriction {
                repo_uuid: repo.uuid.clone(),
                id,
                kind: kind.to_string(),
                branch_match_kind: bmk.to_string(),
                pattern: if *pattern == "main" {
                    repo.mainbranch.clone().unwrap_or_else(|| "main".into())
                } else {
                    pattern.to_string()
                },
                branch_type: bt.map(str::to_string),
                value: *value,
                user_uuids: if exempt { vec![rng.pick(members).clone()] } else { Vec::new() },
                group_slugs: if exempt {
                    group_slugs.iter().take(1).cloned().collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

/// 0–2 reviewers per repository, 0–1 per project.
pub(super) fn default_reviewers(
    seed: u64,
    repo: Option<&Repository>,
    project: Option<&Project>,
    members: &[String],
) -> Vec<DefaultReviewer> {
    let key = repo.map(|r| r.uuid.as_str()).or(project.map(|p| p.uuid.as_str())).unwrap_or("");
    let mut rng = Rng::stream(seed, &format!("default-reviewers:{key}"));
    let max = if repo.is_some() { 3 } else { 2 };
    let n = (rng.below(max) as usize).min(members.len());
    let start = rng.below(members.len().max(1) as u64) as usize;
    (0..n)
        .map(|k| DefaultReviewer {
            repo_uuid: repo.map(|r| r.uuid.clone()),
            project_uuid: project.map(|p| p.uuid.clone()),
            user_uuid: members[(start + k) % members.len()].clone(),
        })
        .collect()
}

impl Dataset {
    /// Hooks of a workspace itself (not its repositories), creation order.
    pub fn workspace_hooks(&self, ws_uuid: &str) -> Vec<&Webhook> {
        self.webhooks
            .iter()
            .filter(|h| h.workspace_uuid == ws_uuid && h.repo_uuid.is_none())
            .collect()
    }

    pub fn repo_hooks(&self, repo_uuid: &str) -> Vec<&Webhook> {
        self.webhooks.iter().filter(|h| h.repo_uuid.as_deref() == Some(repo_uuid)).collect()
    }

    /// Branch restrictions of a repository, id ascending.
    pub fn branch_restrictions(&self, repo_uuid: &str) -> Vec<&BranchRestriction> {
        self.branch_restrictions.iter().filter(|b| b.repo_uuid == repo_uuid).collect()
    }

    /// Repository-level default reviewers (account UUIDs), by UUID.
    pub fn default_reviewers(&self, repo_uuid: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .default_reviewers
            .iter()
            .filter(|d| d.repo_uuid.as_deref() == Some(repo_uuid))
            .map(|d| d.user_uuid.as_str())
            .collect();
        v.sort();
        v
    }

    /// `(user_uuid, reviewer_type)`: the repository's reviewers, then the project's reviewers
    /// that are not already repository reviewers.
    pub fn effective_default_reviewers(&self, repo_uuid: &str) -> Vec<(&str, &'static str)> {
        let mut v: Vec<(&str, &'static str)> = self.default_reviewers(repo_uuid).into_iter().map(|u| (u, "repository")).collect();
        let project = self.repository_by_uuid(repo_uuid).map(|r| r.project_uuid.as_str());
        let mut extra: Vec<&str> = self
            .default_reviewers
            .iter()
            .filter(|d| d.project_uuid.is_some() && d.project_uuid.as_deref() == project)
            .map(|d| d.user_uuid.as_str())
            .filter(|u| !v.iter().any(|(x, _)| x == u))
            .collect();
        extra.sort();
        v.extend(extra.into_iter().map(|u| (u, "project")));
        v
    }
}
