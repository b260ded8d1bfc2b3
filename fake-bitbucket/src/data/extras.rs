//! Second pass over a generated data set: comments, commit statuses, pipeline steps, groups,
//! project permissions, webhooks, branch restrictions and default reviewers. Every kind has
//! its own random streams, so this adds rows without shifting any existing value.

use std::collections::HashMap;

use super::comments::{self, Comment, IssueComment};
use super::hooks;
use super::permissions;
use super::statuses::{self, CommitStatus, PipelineStep};
use super::{AccountKind, Commit, Dataset, Issue, Pipeline, PullRequest};

/// Human members (account UUIDs) of a workspace, membership order.
fn humans(ds: &Dataset, ws_uuid: &str) -> Vec<String> {
    ds.members_of(ws_uuid)
        .filter(|m| ds.user_by_uuid(&m.user_uuid).is_some_and(|u| u.kind == AccountKind::User))
        .map(|m| m.user_uuid.clone())
        .collect()
}

pub(super) fn fill(ds: &mut Dataset) {
    let seed = ds.seed;
    ds.groups = permissions::groups(&ds.workspaces);
    ds.project_permissions = permissions::project_permissions(seed, &ds.projects, &ds.memberships, &ds.users, &ds.groups);
    ds.webhooks = hooks::webhooks(seed, &ds.workspaces, &ds.repositories);
    let mut out = Extras::default();
    // Indexes by repository: the per-repository accessors scan everything, which is too slow
    // for the large scale.
    let mut prs: HashMap<&str, Vec<&PullRequest>> = HashMap::new();
    for p in &ds.pull_requests {
        prs.entry(&p.repo_uuid).or_default().push(p);
    }
    let mut commits: HashMap<&str, Vec<&Commit>> = HashMap::new();
    for c in &ds.commits {
        commits.entry(&c.repo_uuid).or_default().push(c);
    }
    let mut pipes: HashMap<&str, Vec<&Pipeline>> = HashMap::new();
    for p in &ds.pipelines {
        pipes.entry(&p.repo_uuid).or_default().push(p);
    }
    let mut issues: HashMap<&str, Vec<&Issue>> = HashMap::new();
    for i in &ds.issues {
        issues.entry(&i.repo_uuid).or_default().push(i);
    }
    let none = Vec::new();
    for p in &ds.projects {
        let members = humans(ds, &p.workspace_uuid);
        out.reviewers.extend(hooks::default_reviewers(seed, None, Some(p), &members));
    }
    for r in &ds.repositories {
        let members = humans(ds, &r.workspace_uuid);
        if members.is_empty() || r.mainbranch.is_none() {
            continue;
        }
        let groups: Vec<String> = ds.groups(&r.workspace_uuid).iter().map(|g| g.slug.clone()).collect();
        out.restrictions.extend(hooks::branch_restrictions(seed, r, &members, &groups));
        out.reviewers.extend(hooks::default_reviewers(seed, Some(r), None, &members));
        let mut prs = prs.get(r.uuid.as_str()).unwrap_or(&none).clone();
        prs.sort_by_key(|p| p.id);
        // Newest first, like `/commits`.
        let mut commits = commits.get(r.uuid.as_str()).cloned().unwrap_or_default();
        commits.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.hash.cmp(&b.hash)));
        out.comments.extend(comments::generate(seed, &r.uuid, &prs, &commits, &members));
        let main = r.mainbranch.as_deref().unwrap_or("main");
        out.statuses.extend(statuses::statuses(seed, &r.uuid, &commits, main));
        for p in pipes.get(r.uuid.as_str()).cloned().unwrap_or_default() {
            out.steps.extend(statuses::steps(seed, p));
        }
        let issues = issues.get(r.uuid.as_str()).cloned().unwrap_or_default();
        out.issue_comments
            .extend(comments::issue_comments(seed, &r.uuid, &issues, &members));
    }
    ds.comments = out.comments;
    ds.issue_comments = out.issue_comments;
    ds.commit_statuses = out.statuses;
    ds.pipeline_steps = out.steps;
    ds.branch_restrictions = out.restrictions;
    ds.default_reviewers = out.reviewers;
}

#[derive(Default)]
struct Extras {
    comments: Vec<Comment>,
    issue_comments: Vec<IssueComment>,
    statuses: Vec<CommitStatus>,
    steps: Vec<PipelineStep>,
    restrictions: Vec<hooks::BranchRestriction>,
    reviewers: Vec<hooks::DefaultReviewer>,
}

impl Dataset {
    /// Comments of a pull request, id ascending, deleted ones included (= `/comments`).
    pub fn pr_comments(&self, repo_uuid: &str, pr_id: u64) -> Vec<&Comment> {
        self.comments
            .iter()
            .filter(|c| c.repo_uuid == repo_uuid && c.pr_id == Some(pr_id))
            .collect()
    }

    /// Comments of a commit (full hash or prefix), id ascending, deleted ones included.
    pub fn commit_comments(&self, repo_uuid: &str, hash: &str) -> Vec<&Comment> {
        let Some(c) = self.commit(repo_uuid, hash) else {
            return Vec::new();
        };
        self.comments
            .iter()
            .filter(|x| x.repo_uuid == repo_uuid && x.commit_hash.as_deref() == Some(c.hash.as_str()))
            .collect()
    }

    /// Comments of an issue, id ascending.
    pub fn issue_comments(&self, repo_uuid: &str, issue_id: u64) -> Vec<&IssueComment> {
        self.issue_comments
            .iter()
            .filter(|c| c.repo_uuid == repo_uuid && c.issue_id == issue_id)
            .collect()
    }

    /// Statuses of a commit (full hash or prefix), creation order.
    pub fn commit_statuses(&self, repo_uuid: &str, hash: &str) -> Vec<&CommitStatus> {
        let Some(c) = self.commit(repo_uuid, hash) else {
            return Vec::new();
        };
        self.commit_statuses
            .iter()
            .filter(|s| s.repo_uuid == repo_uuid && s.commit_hash == c.hash)
            .collect()
    }

    /// Steps of a pipeline (braced UUID, case-insensitive), run order.
    pub fn pipeline_steps(&self, repo_uuid: &str, pipeline_uuid: &str) -> Vec<&PipelineStep> {
        self.pipeline_steps
            .iter()
            .filter(|s| s.repo_uuid == repo_uuid && s.pipeline_uuid.eq_ignore_ascii_case(pipeline_uuid))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{generate, PrState, Scale};

    #[test]
    fn extras_are_consistent() {
        let ds = generate(42, &Scale::small());
        let repo = ds.find_repository("acme", "core-api").unwrap();
        let mut ids = std::collections::HashSet::new();
        for p in ds.pull_requests(&repo.uuid) {
            let c = ds.pr_comments(&repo.uuid, p.id);
            assert_eq!(c.iter().filter(|c| !c.deleted).count() as u64, p.comment_count);
            assert!(c.iter().all(|c| ids.insert(c.id)), "ids unique per repo");
            assert!(!ds.pr_commits(&repo.uuid, p.id).is_empty(), "#{}", p.id);
            let act = ds.pr_activity(&repo.uuid, p.id);
            let updates = act.iter().filter(|a| a.kind() == "update").count();
            assert_eq!(updates, if p.state == PrState::Open { 1 } else { 2 });
            assert!(act.windows(2).all(|w| w[0].date() >= w[1].date()));
            assert!(!ds.pr_diffstat(&repo.uuid, p.id).is_empty());
        }
        let all: Vec<_> = ds.comments.iter().filter(|c| c.repo_uuid == repo.uuid).collect();
        assert!(all.iter().any(|c| c.deleted && c.raw.is_empty()));
        assert!(all.iter().any(|c| c.parent_id.is_some()));
        assert!(all.iter().any(|c| c.inline.is_some()));
        assert!(all.iter().any(|c| c.pending));
        let cc: Vec<_> = all.iter().filter(|c| c.commit_hash.is_some()).collect();
        assert!(cc.iter().any(|c| c.deleted) && cc.iter().any(|c| c.parent_id.is_some()));
        let newest = ds.commits(&repo.uuid)[0];
        assert!(!ds.commit_statuses(&repo.uuid, &newest.hash).is_empty());
        for p in ds.pipelines(&repo.uuid) {
            let steps = ds.pipeline_steps(&repo.uuid, &p.uuid);
            assert!((1..=4).contains(&steps.len()));
            if p.result.as_deref() == Some("SUCCESSFUL") {
                assert!(steps.iter().all(|s| s.result.as_deref() == Some("SUCCESSFUL")));
            }
            if p.state != "COMPLETED" {
                assert!(steps
                    .iter()
                    .all(|s| s.state != "COMPLETED" || s.result.as_deref() == Some("SUCCESSFUL")));
            }
        }
        assert!(ds.branch_restrictions(&repo.uuid).len() >= 2);
        assert_eq!(ds.repo_hooks(&repo.uuid).len(), 2);
        let acme = ds.find_workspace("acme").unwrap();
        assert!((1..=2).contains(&ds.workspace_hooks(&acme.uuid).len()));
        assert_eq!(ds.groups(&acme.uuid).len(), 3);
        assert!(ds.repo_permissions(&acme.uuid).iter().any(|p| p.permission.as_str() == "read"));
        assert_eq!(generate(42, &Scale::small()), ds, "deterministic");
    }
}
