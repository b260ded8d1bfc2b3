//! Lookup tables over a generated data set, built once by `generate` so that every request
//! answers in time proportional to its own rows, not to the size of the whole data set.
//!
//! Entries are positions in the `Dataset` vectors. Where a linear `find` would return the
//! first match, the tables keep the first row too, so answers are the same as a scan. The
//! tables describe the data set as generated: code that edits a `Dataset` afterwards must call
//! [`Dataset::reindex`].

use std::collections::HashMap;

use super::git::natural_cmp;
use super::Dataset;

/// Rows of one repository, as positions in the `Dataset` vectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepoRows {
    /// Commits in data-set order.
    pub commits: Vec<usize>,
    /// Full hash → commit (the last one wins, as in a `collect` into a map).
    pub commit_by_hash: HashMap<String, usize>,
    /// Natural name order.
    pub branches: Vec<usize>,
    /// Natural name order.
    pub tags: Vec<usize>,
    /// Every commit reachable from a branch or tag, newest first (`/commits`).
    pub reachable: Vec<usize>,
    /// By id ascending.
    pub pull_requests: Vec<usize>,
    pub pipelines: Vec<usize>,
    pub issues: Vec<usize>,
    pub environments: Vec<usize>,
    pub deployments: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    /// Lower-cased slug / braced UUID → workspace.
    pub workspace_by_slug: HashMap<String, usize>,
    pub workspace_by_uuid_ci: HashMap<String, usize>,
    pub workspace_by_uuid: HashMap<String, usize>,
    /// Workspace UUID → lower-cased slug / braced UUID → repository.
    pub repo_by_slug: HashMap<String, HashMap<String, usize>>,
    pub repo_by_ws_uuid_ci: HashMap<String, HashMap<String, usize>>,
    pub repo_by_uuid_ci: HashMap<String, usize>,
    pub repo_by_uuid: HashMap<String, usize>,
    pub user_by_uuid: HashMap<String, usize>,
    pub project_by_uuid: HashMap<String, usize>,
    /// Workspace UUID → user UUID → membership.
    pub membership: HashMap<String, HashMap<String, usize>>,
    /// Repository UUID → its rows.
    pub repo_rows: HashMap<String, RepoRows>,
}

/// `map[key] = i` unless the key is taken (a linear `find` returns the first match).
fn first(map: &mut HashMap<String, usize>, key: String, i: usize) {
    map.entry(key).or_insert(i);
}

impl Index {
    pub fn build(ds: &Dataset) -> Index {
        let mut ix = Index::default();
        for (i, w) in ds.workspaces.iter().enumerate() {
            first(&mut ix.workspace_by_slug, w.slug.to_ascii_lowercase(), i);
            first(&mut ix.workspace_by_uuid_ci, w.uuid.to_ascii_lowercase(), i);
            first(&mut ix.workspace_by_uuid, w.uuid.clone(), i);
        }
        for (i, r) in ds.repositories.iter().enumerate() {
            let ws = r.workspace_uuid.clone();
            first(ix.repo_by_slug.entry(ws.clone()).or_default(), r.slug.to_ascii_lowercase(), i);
            first(ix.repo_by_ws_uuid_ci.entry(ws).or_default(), r.uuid.to_ascii_lowercase(), i);
            first(&mut ix.repo_by_uuid_ci, r.uuid.to_ascii_lowercase(), i);
            first(&mut ix.repo_by_uuid, r.uuid.clone(), i);
        }
        for (i, u) in ds.users.iter().enumerate() {
            first(&mut ix.user_by_uuid, u.uuid.clone(), i);
        }
        for (i, p) in ds.projects.iter().enumerate() {
            first(&mut ix.project_by_uuid, p.uuid.clone(), i);
        }
        for (i, m) in ds.memberships.iter().enumerate() {
            let users = ix.membership.entry(m.workspace_uuid.clone()).or_default();
            first(users, m.user_uuid.clone(), i);
        }
        ix.repo_rows = repo_rows(ds);
        ix
    }
}

fn at<'a>(rows: &'a mut HashMap<String, RepoRows>, repo: &str) -> &'a mut RepoRows {
    rows.entry(repo.to_string()).or_default()
}

fn repo_rows(ds: &Dataset) -> HashMap<String, RepoRows> {
    let mut rows: HashMap<String, RepoRows> = HashMap::new();
    for (i, c) in ds.commits.iter().enumerate() {
        let r = at(&mut rows, &c.repo_uuid);
        r.commits.push(i);
        r.commit_by_hash.insert(c.hash.clone(), i);
    }
    for (i, b) in ds.branches.iter().enumerate() {
        at(&mut rows, &b.repo_uuid).branches.push(i);
    }
    for (i, t) in ds.tags.iter().enumerate() {
        at(&mut rows, &t.repo_uuid).tags.push(i);
    }
    for (i, p) in ds.pull_requests.iter().enumerate() {
        at(&mut rows, &p.repo_uuid).pull_requests.push(i);
    }
    for (i, p) in ds.pipelines.iter().enumerate() {
        at(&mut rows, &p.repo_uuid).pipelines.push(i);
    }
    for (i, x) in ds.issues.iter().enumerate() {
        at(&mut rows, &x.repo_uuid).issues.push(i);
    }
    for (i, e) in ds.environments.iter().enumerate() {
        at(&mut rows, &e.repo_uuid).environments.push(i);
    }
    for (i, d) in ds.deployments.iter().enumerate() {
        at(&mut rows, &d.repo_uuid).deployments.push(i);
    }
    for r in rows.values_mut() {
        // Stable sorts, as the accessors did on the filtered rows.
        r.branches.sort_by(|&a, &b| natural_cmp(&ds.branches[a].name, &ds.branches[b].name));
        r.tags.sort_by(|&a, &b| natural_cmp(&ds.tags[a].name, &ds.tags[b].name));
        r.pull_requests.sort_by_key(|&i| ds.pull_requests[i].id);
    }
    rows
}
