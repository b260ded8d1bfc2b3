//! Deterministic data set from a seed and a scale.

use super::fixtures::{self, BOT_NICKNAME};
use super::rng::{utc, Rng};
use super::*;

/// How big the data set is. Hand-written rows come first; filler rows make up the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub acme_repos: usize,
    pub globex_repos: usize,
    pub initech_repos: usize,
    /// Generated users added as plain members of both acme and globex.
    pub extra_members: usize,
    /// Generated projects added to both acme and globex.
    pub extra_projects: usize,
    /// Multiplier for per-repository content (pull requests, commits, pipelines, issues).
    pub content_factor: usize,
}

impl Scale {
    /// 12 + 5 + 3 repositories, hand-written rows only.
    pub fn small() -> Self {
        Scale {
            acme_repos: 12,
            globex_repos: 5,
            initech_repos: 3,
            extra_members: 0,
            extra_projects: 0,
            content_factor: 1,
        }
    }

    /// 30 + 12 + 4 repositories: enough for several pages at the default pagelen.
    pub fn medium() -> Self {
        Scale {
            acme_repos: 30,
            globex_repos: 12,
            initech_repos: 4,
            extra_members: 8,
            extra_projects: 2,
            content_factor: 3,
        }
    }

    /// For benchmarks: 1000 + 200 + 20 repositories.
    pub fn large() -> Self {
        Scale {
            acme_repos: 1000,
            globex_repos: 200,
            initech_repos: 20,
            extra_members: 60,
            extra_projects: 10,
            content_factor: 1,
        }
    }

    pub fn by_name(name: &str) -> Option<Self> {
        match name {
            "small" => Some(Self::small()),
            "medium" => Some(Self::medium()),
            "large" => Some(Self::large()),
            _ => None,
        }
    }
}

impl Default for Scale {
    fn default() -> Self {
        Self::small()
    }
}

/// Builds the whole data set. Same seed and scale ⇒ identical result.
pub fn generate(seed: u64, scale: &Scale) -> Dataset {
    let users = gen_users(seed, scale);
    let workspaces = gen_workspaces(seed);
    let memberships = gen_memberships(seed, scale, &users, &workspaces);
    let projects = gen_projects(seed, scale, &workspaces);
    let repositories = gen_repositories(seed, scale, &workspaces, &projects);
    let credentials = super::credentials::credentials(&users, &workspaces);
    let c = super::content::generate(seed, scale.content_factor.max(1), &users, &workspaces, &memberships, &repositories);
    let mut ds = Dataset {
        seed,
        users,
        workspaces,
        memberships,
        projects,
        repositories,
        credentials,
        commits: c.commits,
        branches: c.branches,
        tags: c.tags,
        pull_requests: c.pull_requests,
        pipelines: c.pipelines,
        environments: c.environments,
        deployments: c.deployments,
        issues: c.issues,
        comments: Vec::new(),
        issue_comments: Vec::new(),
        commit_statuses: Vec::new(),
        pipeline_steps: Vec::new(),
        groups: Vec::new(),
        project_permissions: Vec::new(),
        webhooks: Vec::new(),
        branch_restrictions: Vec::new(),
        default_reviewers: Vec::new(),
        index: Default::default(),
    };
    // Before `fill`, which reads through the accessors; it adds no indexed rows.
    ds.reindex();
    super::extras::fill(&mut ds);
    ds
}

fn gen_users(seed: u64, scale: &Scale) -> Vec<User> {
    let mut rng = Rng::stream(seed, "users");
    let since = utc(2012, 1, 1, 0, 0, 0, 0);
    let mut out = Vec::new();
    let mut push = |rng: &mut Rng, nickname: String, display_name: String, email: String, kind| {
        let has_2fa = match rng.below(3) {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        out.push(User {
            uuid: rng.uuid(),
            account_id: rng.account_id(),
            display_name,
            nickname,
            email,
            created_on: rng.timestamp(since, 3000),
            kind,
            has_2fa_enabled: has_2fa,
            is_staff: false,
        });
    };
    for u in fixtures::USERS {
        push(
            &mut rng,
            u.nickname.into(),
            u.display_name.into(),
            u.email.into(),
            AccountKind::User,
        );
    }
    push(
        &mut rng,
        BOT_NICKNAME.into(),
        "Acme workspace token".into(),
        String::new(),
        AccountKind::AppUser,
    );
    for i in 1..=scale.extra_members {
        push(
            &mut rng,
            format!("member-{i:03}"),
            format!("Member {i:03}"),
            format!("member{i:03}@example.com"),
            AccountKind::User,
        );
    }
    out
}

fn gen_workspaces(seed: u64) -> Vec<Workspace> {
    let mut rng = Rng::stream(seed, "workspaces");
    let since = utc(2014, 1, 1, 0, 0, 0, 0);
    fixtures::WORKSPACES
        .iter()
        .map(|w| {
            let created_on = rng.timestamp(since, 1500);
            let updated_on = rng.timestamp(created_on, 1500);
            Workspace {
                uuid: rng.uuid(),
                slug: w.slug.into(),
                name: w.name.into(),
                is_private: w.is_private,
                is_privacy_enforced: w.is_privacy_enforced,
                forking_mode: w.forking_mode.into(),
                created_on,
                updated_on,
            }
        })
        .collect()
}

pub(super) fn ws_uuid(workspaces: &[Workspace], slug: &str) -> String {
    workspaces
        .iter()
        .find(|w| w.slug == slug)
        .map(|w| w.uuid.clone())
        .unwrap_or_default()
}

fn gen_memberships(seed: u64, scale: &Scale, users: &[User], workspaces: &[Workspace]) -> Vec<Membership> {
    let mut rng = Rng::stream(seed, "memberships");
    let since = utc(2018, 1, 1, 0, 0, 0, 0);
    let user_uuid = |nick: &str| {
        users
            .iter()
            .find(|u| u.nickname == nick)
            .map(|u| u.uuid.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    let mut add = |rng: &mut Rng, ws: &str, user: String, role, accessed: bool| {
        let added_on = rng.timestamp(since, 1800);
        let last_accessed = accessed.then(|| rng.timestamp(added_on, 300));
        out.push(Membership {
            workspace_uuid: ws_uuid(workspaces, ws),
            user_uuid: user,
            permission: role,
            added_on: Some(added_on),
            last_accessed,
        });
    };
    for (ws, nick, role, accessed) in fixtures::MEMBERS {
        add(&mut rng, ws, user_uuid(nick), *role, *accessed);
    }
    for i in 1..=scale.extra_members {
        for ws in ["acme", "globex"] {
            let u = user_uuid(&format!("member-{i:03}"));
            add(&mut rng, ws, u, WorkspaceRole::Member, true);
        }
    }
    out
}

fn gen_projects(seed: u64, scale: &Scale, workspaces: &[Workspace]) -> Vec<Project> {
    let mut rng = Rng::stream(seed, "projects");
    let since = utc(2018, 6, 1, 0, 0, 0, 0);
    let mut out = Vec::new();
    let mut add = |rng: &mut Rng, ws: &str, key: String, name: String, desc: Option<String>, private| {
        let created_on = rng.timestamp(since, 1200);
        let updated_on = rng.timestamp(created_on, 400);
        out.push(Project {
            uuid: rng.uuid(),
            workspace_uuid: ws_uuid(workspaces, ws),
            key,
            name,
            description: desc,
            is_private: private,
            created_on,
            updated_on,
        });
    };
    for p in fixtures::PROJECTS {
        add(
            &mut rng,
            p.workspace,
            p.key.into(),
            p.name.into(),
            p.description.map(str::to_string),
            p.is_private,
        );
    }
    for i in 1..=scale.extra_projects {
        for ws in ["acme", "globex"] {
            add(
                &mut rng,
                ws,
                format!("P{i:02}"),
                format!("Project {i:02}"),
                Some(format!("Generated project {i}")),
                true,
            );
        }
    }
    out
}

fn gen_repositories(seed: u64, scale: &Scale, workspaces: &[Workspace], projects: &[Project]) -> Vec<Repository> {
    let mut rng = Rng::stream(seed, "repositories");
    let since = utc(2019, 1, 1, 0, 0, 0, 0);
    let specs = fixtures::repos();
    let mut out: Vec<Repository> = Vec::new();
    for (ws, count, filler) in [
        ("acme", scale.acme_repos, "service"),
        ("globex", scale.globex_repos, "globex-svc"),
        ("initech", scale.initech_repos, "initech-app"),
    ] {
        let wsu = ws_uuid(workspaces, ws);
        let ws_projects: Vec<&Project> = projects.iter().filter(|p| p.workspace_uuid == wsu).collect();
        let project_uuid = |key: &str| {
            ws_projects
                .iter()
                .find(|p| p.key == key)
                .map(|p| p.uuid.clone())
                .unwrap_or_default()
        };
        let hand: Vec<&fixtures::RepoSpec> = specs.iter().filter(|s| s.workspace == ws).take(count).collect();
        let start = out.len();
        for s in &hand {
            let created_on = s.created_on.unwrap_or_else(|| rng.timestamp(since, 1500));
            let updated_on = rng.timestamp(created_on, 400);
            out.push(Repository {
                uuid: rng.uuid(),
                workspace_uuid: wsu.clone(),
                project_uuid: project_uuid(s.project),
                slug: s.slug.into(),
                name: s.name.into(),
                description: s.description.into(),
                language: s.language.into(),
                website: s.website.map(str::to_string),
                is_private: s.is_private,
                has_issues: s.has_issues,
                has_wiki: s.has_wiki,
                fork_policy: s.fork_policy.into(),
                scm: "git".into(),
                size: if s.empty { 0 } else { 40_000 + rng.below(50_000_000) },
                created_on,
                updated_on,
                mainbranch: if s.empty {
                    None
                } else if s.slug == "legacy-tracker" {
                    Some("master".into())
                } else {
                    Some("main".into())
                },
                parent_uuid: None,
            });
        }
        // Forks point at a parent in the same workspace, resolved once all exist.
        for s in &hand {
            if let Some(parent) = s.parent {
                let parent_uuid = out[start..].iter().find(|r| r.slug == parent).map(|r| r.uuid.clone());
                if let Some(r) = out[start..].iter_mut().find(|r| r.slug == s.slug) {
                    r.parent_uuid = parent_uuid;
                }
            }
        }
        for i in hand.len() + 1..=count {
            let p = *rng.pick(&ws_projects);
            let created_on = rng.timestamp(since, 1500);
            let updated_on = rng.timestamp(created_on, 400);
            out.push(Repository {
                uuid: rng.uuid(),
                workspace_uuid: wsu.clone(),
                project_uuid: p.uuid.clone(),
                slug: format!("{filler}-{i:03}"),
                name: format!("{} {i:03}", capitalize(filler)),
                description: format!("Generated repository number {i}"),
                language: (*rng.pick(fixtures::LANGUAGES)).to_string(),
                website: None,
                // Private projects cannot hold public repositories.
                is_private: p.is_private || rng.chance(50),
                has_issues: rng.chance(80),
                has_wiki: rng.chance(30),
                fork_policy: "allow_forks".into(),
                scm: "git".into(),
                size: 40_000 + rng.below(80_000_000),
                created_on,
                updated_on,
                mainbranch: Some(if rng.chance(25) { "master" } else { "main" }.into()),
                parent_uuid: None,
            });
        }
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>().replace('-', " "),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data() {
        assert_eq!(generate(1, &Scale::small()), generate(1, &Scale::small()));
        assert_ne!(
            generate(1, &Scale::small()).repositories[0].uuid,
            generate(2, &Scale::small()).repositories[0].uuid
        );
    }

    #[test]
    fn small_and_medium_counts() {
        for (scale, acme, globex) in [(Scale::small(), 12, 5), (Scale::medium(), 30, 12)] {
            let ds = generate(42, &scale);
            let ws = ds.find_workspace("acme").unwrap();
            assert_eq!(ds.repositories_in(&ws.uuid).count(), acme);
            let ws = ds.find_workspace("globex").unwrap();
            assert_eq!(ds.repositories_in(&ws.uuid).count(), globex);
        }
    }

    #[test]
    fn slugs_unique_and_lowercase() {
        let ds = generate(42, &Scale::large());
        let mut seen = std::collections::HashSet::new();
        for r in &ds.repositories {
            assert!(seen.insert((r.workspace_uuid.clone(), r.slug.clone())), "{}", r.slug);
            assert!(r.slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            assert!(!r.project_uuid.is_empty());
            let p = ds.project_by_uuid(&r.project_uuid).unwrap();
            assert!(!p.is_private || r.is_private, "public repo in private project");
        }
    }

    #[test]
    fn notable_rows_exist() {
        let ds = generate(42, &Scale::small());
        let empty = ds.find_repository("acme", "empty-repo").unwrap();
        assert!(empty.mainbranch.is_none() && empty.size == 0);
        let fork = ds.find_repository("acme", "core-api-fork").unwrap();
        let parent = ds.find_repository("acme", "core-api").unwrap();
        assert_eq!(fork.parent_uuid.as_deref(), Some(parent.uuid.as_str()));
        assert_eq!(fmt_ts(&parent.created_on), "2019-03-14T09:26:53.589793+00:00");
        let cafe = ds.find_repository("acme", "cafe-unicode").unwrap();
        assert_eq!(fmt_ts(&cafe.created_on), "2019-05-01T12:00:00+00:00");
        assert!(ds.repositories.iter().any(|r| r.description.contains('🚀')));
        assert!(ds.members_of(&ds.find_workspace("acme").unwrap().uuid).count() >= 5);
    }
}
