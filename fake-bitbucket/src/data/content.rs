//! Repository content (git refs, pull requests, pipelines, issues) for every repository, and
//! the `Dataset` accessors tests use to compute expected rows.
//!
//! Each repository has its own random stream keyed by its UUID, so content does not shift when
//! the scale adds repositories. Empty repositories get nothing; issues only where `has_issues`.

use std::collections::{HashMap, HashSet};

use super::git::{self, Branch, Commit, Tag};
use super::issues::{self, Issue};
use super::pipelines::{self, Deployment, Environment, Pipeline};
use super::pullrequests::{self, PullRequest};
use super::rng::Rng;
use super::{AccountKind, Dataset, Index, Membership, RepoRows, Repository, User, Workspace};

#[derive(Default)]
pub(super) struct Content {
    pub commits: Vec<Commit>,
    pub branches: Vec<Branch>,
    pub tags: Vec<Tag>,
    pub pull_requests: Vec<PullRequest>,
    pub pipelines: Vec<Pipeline>,
    pub environments: Vec<Environment>,
    pub deployments: Vec<Deployment>,
    pub issues: Vec<Issue>,
}

pub(super) fn generate(
    seed: u64,
    factor: usize,
    users: &[User],
    workspaces: &[Workspace],
    memberships: &[Membership],
    repos: &[Repository],
) -> Content {
    let mut out = Content::default();
    for r in repos {
        let ws = workspaces.iter().find(|w| w.uuid == r.workspace_uuid);
        let humans: Vec<&User> = memberships
            .iter()
            .filter(|m| ws.is_some_and(|w| w.uuid == m.workspace_uuid))
            .filter_map(|m| users.iter().find(|u| u.uuid == m.user_uuid))
            .filter(|u| u.kind == AccountKind::User)
            .collect();
        let members: Vec<String> = humans.iter().map(|u| u.uuid.clone()).collect();
        let people: Vec<git::Author> = humans
            .iter()
            .map(|u| (format!("{} <{}>", u.display_name, u.email), Some(u.uuid.clone())))
            .collect();
        let mut rng = Rng::stream(seed, &format!("content:{}", r.uuid));
        if r.has_issues && r.mainbranch.is_some() && !members.is_empty() {
            let n = (4 + rng.below(20) as usize) * factor;
            out.issues.extend(issues::generate(&mut rng, &r.uuid, r.created_on, &members, n));
        }
        let Some(mainbranch) = r.mainbranch.as_deref() else {
            continue;
        };
        if members.is_empty() {
            continue;
        }
        let n_pr = (3 + rng.below(23) as usize) * factor;
        let states = pullrequests::states(&mut rng, n_pr);
        let merged: Vec<bool> = states.iter().map(|s| *s == pullrequests::PrState::Merged).collect();
        let keep: Vec<bool> = merged.iter().map(|m| *m && rng.chance(30)).collect();
        let main_len = (20 + rng.below(20) as usize) * factor;
        let start = r.created_on + chrono::Duration::hours(1);
        let g = git::generate(&mut rng, &r.uuid, mainbranch, start, &people, main_len, &merged, &keep);
        let prs = pullrequests::generate(&mut rng, &r.uuid, mainbranch, &states, &keep, &g.pr_branches, &members);
        let by_hash: HashMap<&str, &Commit> = g.commits.iter().map(|c| (c.hash.as_str(), c)).collect();
        let main: Vec<&Commit> = g.main_line.iter().filter_map(|h| by_hash.get(h.as_str()).copied()).collect();
        let feature = g
            .branches
            .iter()
            .find(|b| b.name == "feature/login")
            .and_then(|b| by_hash.get(b.target_hash.as_str()).copied());
        let tags: Vec<(String, String)> = g.tags.iter().map(|t| (t.name.clone(), t.target_hash.clone())).collect();
        let n_pipe = (5 + rng.below(26) as usize) * factor;
        let pipes = pipelines::generate(&mut rng, &r.uuid, mainbranch, &main, feature, &tags, &members, n_pipe);
        let envs = pipelines::environments(&mut rng, &r.uuid);
        let deps = pipelines::deployments(&mut rng, &envs, &pipes, mainbranch);
        out.commits.extend(g.commits);
        out.branches.extend(g.branches);
        out.tags.extend(g.tags);
        out.pull_requests.extend(prs);
        out.pipelines.extend(pipes);
        out.environments.extend(envs);
        out.deployments.extend(deps);
    }
    out
}

impl Dataset {
    /// Builds the lookup tables (`generate` does; call again after editing the rows).
    pub fn reindex(&mut self) {
        self.index = Index::build(self);
        let reachable: Vec<(String, Vec<usize>)> = self
            .index
            .repo_rows
            .keys()
            .map(|repo| {
                let refs = self.ref_names(repo);
                let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
                (repo.clone(), self.commit_ixs_between(repo, &refs, &[]).unwrap_or_default())
            })
            .collect();
        for (repo, v) in reachable {
            if let Some(r) = self.index.repo_rows.get_mut(&repo) {
                r.reachable = v;
            }
        }
    }

    fn rows(&self, repo_uuid: &str) -> &RepoRows {
        static EMPTY: std::sync::OnceLock<RepoRows> = std::sync::OnceLock::new();
        self.index
            .repo_rows
            .get(repo_uuid)
            .unwrap_or_else(|| EMPTY.get_or_init(RepoRows::default))
    }

    /// Branch names then tag names, each in natural order.
    pub fn ref_names(&self, repo_uuid: &str) -> Vec<String> {
        let r = self.rows(repo_uuid);
        let branches = r.branches.iter().map(|&i| self.branches[i].name.clone());
        branches.chain(r.tags.iter().map(|&i| self.tags[i].name.clone())).collect()
    }

    /// Branches of a repository, natural name order (the endpoint's default order).
    pub fn branches(&self, repo_uuid: &str) -> Vec<&Branch> {
        self.rows(repo_uuid).branches.iter().map(|&i| &self.branches[i]).collect()
    }

    pub fn branch(&self, repo_uuid: &str, name: &str) -> Option<&Branch> {
        self.branches(repo_uuid).into_iter().find(|b| b.name == name)
    }

    /// Tags of a repository, natural name order.
    pub fn tags(&self, repo_uuid: &str) -> Vec<&Tag> {
        self.rows(repo_uuid).tags.iter().map(|&i| &self.tags[i]).collect()
    }

    pub fn tag(&self, repo_uuid: &str, name: &str) -> Option<&Tag> {
        self.tags(repo_uuid).into_iter().find(|t| t.name == name)
    }

    /// A commit by full hash or a prefix of at least 7 digits.
    pub fn commit(&self, repo_uuid: &str, hash: &str) -> Option<&Commit> {
        if hash.len() < 7 {
            return None;
        }
        let h = hash.to_ascii_lowercase();
        let rows = self.rows(repo_uuid);
        rows.commits.iter().map(|&i| &self.commits[i]).find(|c| c.hash.starts_with(&h))
    }

    /// A revision: branch name, tag name or commit hash (prefix).
    pub fn resolve_revision(&self, repo_uuid: &str, rev: &str) -> Option<&Commit> {
        let hash = self
            .branch(repo_uuid, rev)
            .map(|b| b.target_hash.as_str())
            .or_else(|| self.tag(repo_uuid, rev).map(|t| t.target_hash.as_str()))
            .unwrap_or(rev);
        self.commit(repo_uuid, hash)
    }

    /// Every commit reachable from any branch or tag, newest first (`/commits`); computed
    /// once by [`Dataset::reindex`].
    pub fn commits(&self, repo_uuid: &str) -> Vec<&Commit> {
        self.rows(repo_uuid).reachable.iter().map(|&i| &self.commits[i]).collect()
    }

    /// Commits reachable from `include` but not from `exclude` (revisions), newest first;
    /// `None` when a revision is unknown. `/commits/{rev}` is `commits_between(r, &[rev], &[])`.
    pub fn commits_between(&self, repo_uuid: &str, include: &[&str], exclude: &[&str]) -> Option<Vec<&Commit>> {
        let v = self.commit_ixs_between(repo_uuid, include, exclude)?;
        Some(v.into_iter().map(|i| &self.commits[i]).collect())
    }

    /// [`Dataset::commits_between`] as positions in `self.commits`.
    fn commit_ixs_between(&self, repo_uuid: &str, include: &[&str], exclude: &[&str]) -> Option<Vec<usize>> {
        let all = &self.rows(repo_uuid).commit_by_hash;
        let walk = |revs: &[&str]| -> Option<HashSet<&str>> {
            let mut seen = HashSet::new();
            let mut stack: Vec<&str> = Vec::new();
            for r in revs {
                stack.push(self.resolve_revision(repo_uuid, r)?.hash.as_str());
            }
            while let Some(h) = stack.pop() {
                if seen.insert(h) {
                    if let Some(&c) = all.get(h) {
                        stack.extend(self.commits[c].parents.iter().map(String::as_str));
                    }
                }
            }
            Some(seen)
        };
        let inc = walk(include)?;
        let exc = walk(exclude)?;
        let mut v: Vec<usize> = inc.difference(&exc).filter_map(|h| all.get(*h).copied()).collect();
        let c = &self.commits;
        v.sort_by(|&a, &b| c[b].date.cmp(&c[a].date).then_with(|| c[a].hash.cmp(&c[b].hash)));
        Some(v)
    }

    /// Pull requests of a repository, by id ascending (all states).
    pub fn pull_requests(&self, repo_uuid: &str) -> Vec<&PullRequest> {
        self.rows(repo_uuid).pull_requests.iter().map(|&i| &self.pull_requests[i]).collect()
    }

    pub fn pull_request(&self, repo_uuid: &str, id: u64) -> Option<&PullRequest> {
        self.pull_requests(repo_uuid).into_iter().find(|p| p.id == id)
    }

    /// Commits of a pull request: on the source commit but not on the destination commit,
    /// newest first (= `/pullrequests/{id}/commits`).
    pub fn pr_commits(&self, repo_uuid: &str, pr_id: u64) -> Vec<&Commit> {
        self.pull_request(repo_uuid, pr_id)
            .and_then(|p| self.commits_between(repo_uuid, &[&p.source_commit], &[&p.destination_commit]))
            .unwrap_or_default()
    }

    /// Pipelines, `created_on` ascending (= build number order).
    pub fn pipelines(&self, repo_uuid: &str) -> Vec<&Pipeline> {
        self.rows(repo_uuid).pipelines.iter().map(|&i| &self.pipelines[i]).collect()
    }

    /// Issues by id ascending; empty when the tracker is disabled (the API then answers 404).
    pub fn issues(&self, repo_uuid: &str) -> Vec<&Issue> {
        self.rows(repo_uuid).issues.iter().map(|&i| &self.issues[i]).collect()
    }

    /// Test, Staging, Production.
    pub fn environments(&self, repo_uuid: &str) -> Vec<&Environment> {
        self.rows(repo_uuid).environments.iter().map(|&i| &self.environments[i]).collect()
    }

    pub fn deployments(&self, repo_uuid: &str) -> Vec<&Deployment> {
        self.rows(repo_uuid).deployments.iter().map(|&i| &self.deployments[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{generate, PrState, Scale};

    #[test]
    fn every_repository_has_consistent_content() {
        let ds = generate(42, &Scale::small());
        for r in &ds.repositories {
            let prs = ds.pull_requests(&r.uuid);
            if r.mainbranch.is_none() {
                assert!(prs.is_empty() && ds.branches(&r.uuid).is_empty() && ds.commits(&r.uuid).is_empty());
                assert!(ds.pipelines(&r.uuid).is_empty() && ds.tags(&r.uuid).is_empty());
                continue;
            }
            assert!((3..=25).contains(&prs.len()), "{}: {}", r.slug, prs.len());
            assert!(prs.iter().any(|p| p.state == PrState::Open));
            let main = ds.branch(&r.uuid, r.mainbranch.as_deref().unwrap()).expect("main branch");
            assert!(ds.branch(&r.uuid, "feature/login").is_some(), "{}", r.slug);
            let commits = ds.commits(&r.uuid);
            assert!(commits.iter().any(|c| c.hash == main.target_hash));
            assert!(commits.windows(2).all(|w| w[0].date >= w[1].date), "newest first");
            for p in &prs {
                assert_eq!(p.merge_commit.is_some(), p.state == PrState::Merged, "{} #{}", r.slug, p.id);
                let merged = p.merge_commit.as_deref().map(|h| ds.commit(&r.uuid, h).expect("merge commit"));
                if let Some(m) = merged {
                    assert_eq!(m.parents.len(), 2);
                }
                assert!(ds.commit(&r.uuid, &p.source_commit).is_some());
            }
            assert!(prs.windows(2).all(|w| w[0].created_on < w[1].created_on));
            let pipes = ds.pipelines(&r.uuid);
            assert!(pipes.windows(2).all(|w| w[0].created_on < w[1].created_on));
            assert_eq!(ds.issues(&r.uuid).is_empty(), !r.has_issues || r.mainbranch.is_none());
        }
        assert!(ds.commits.iter().any(|c| c.date.offset().local_minus_utc() == 7200));
        assert!(ds.commits.iter().any(|c| c.author.user_uuid.is_none()));
    }

    #[test]
    fn medium_scale_has_more() {
        let small = generate(42, &Scale::small());
        let medium = generate(42, &Scale::medium());
        assert!(medium.pull_requests.len() > 2 * small.pull_requests.len());
    }
}
