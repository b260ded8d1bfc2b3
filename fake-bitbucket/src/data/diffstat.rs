//! Diffstat of `src..dst` (reference 4.7): computed on demand from a stream keyed by the two
//! full hashes, so a pull request and the spec it redirects to give the same rows.

use super::rng::Rng;
use super::Dataset;

#[derive(Debug, Clone, PartialEq)]
pub struct Diffstat {
    /// `added`, `removed`, `modified` or `renamed`.
    pub status: String,
    pub lines_added: u64,
    pub lines_removed: u64,
    /// `None` (JSON null) for added files.
    pub old_path: Option<String>,
    /// `None` (JSON null) for removed files.
    pub new_path: Option<String>,
}

const FILES: &[&str] = &[
    "src/main.rs",
    "src/café/menu.rs",
    "docs/Read Me.md",
    "src/api/handlers.rs",
    "tests/ünïcode test.py",
    "config/settings 🚀.yaml",
    "README.md",
    "src/日本語/mod.rs",
];

/// One to eight files; the first is always `modified`, and added/removed/renamed rows appear
/// often enough to show up in every repository.
fn rows(seed: u64, repo_uuid: &str, src: &str, dst: &str) -> Vec<Diffstat> {
    let mut rng = Rng::stream(seed, &format!("diffstat:{repo_uuid}:{src}..{dst}"));
    let n = 1 + rng.below(8) as usize;
    let start = rng.below(FILES.len() as u64) as usize;
    (0..n)
        .map(|k| {
            let path = FILES[(start + k) % FILES.len()].to_string();
            let status = match (k, rng.below(10)) {
                (0, _) => "modified",
                (_, 0..=1) => "added",
                (_, 2) => "removed",
                (_, 3) => "renamed",
                _ => "modified",
            };
            let (a, r) = (rng.below(200), rng.below(80));
            match status {
                "added" => Diffstat {
                    status: status.into(),
                    lines_added: a + 1,
                    lines_removed: 0,
                    old_path: None,
                    new_path: Some(path),
                },
                "removed" => Diffstat {
                    status: status.into(),
                    lines_added: 0,
                    lines_removed: r + 1,
                    old_path: Some(path),
                    new_path: None,
                },
                "renamed" => Diffstat {
                    status: status.into(),
                    lines_added: a / 10,
                    lines_removed: r / 10,
                    new_path: Some(format!("archive/{path}")),
                    old_path: Some(path),
                },
                _ => Diffstat {
                    status: status.into(),
                    lines_added: a,
                    lines_removed: r,
                    old_path: Some(path.clone()),
                    new_path: Some(path),
                },
            }
        })
        .collect()
}

impl Dataset {
    /// Full hashes of a diffstat spec (`src..dst`, or one commit = against its first parent);
    /// `None` when a side is unknown.
    pub fn diffstat_spec(&self, repo_uuid: &str, spec: &str) -> Option<(String, String)> {
        match spec.split_once("..") {
            Some((a, b)) => {
                let a = self.resolve_revision(repo_uuid, a)?;
                let b = self.resolve_revision(repo_uuid, b)?;
                Some((a.hash.clone(), b.hash.clone()))
            }
            None => {
                let c = self.resolve_revision(repo_uuid, spec)?;
                let parent = c.parents.first().cloned().unwrap_or_default();
                Some((c.hash.clone(), parent))
            }
        }
    }

    /// Rows of `/diffstat/{spec}`; `None` for an unknown spec (404).
    pub fn diffstat(&self, repo_uuid: &str, spec: &str) -> Option<Vec<Diffstat>> {
        let (src, dst) = self.diffstat_spec(repo_uuid, spec)?;
        Some(rows(self.seed, repo_uuid, &src, &dst))
    }

    /// Rows the pull request's diffstat redirect leads to (`{source}..{destination}`).
    pub fn pr_diffstat(&self, repo_uuid: &str, pr_id: u64) -> Vec<Diffstat> {
        self.pull_request(repo_uuid, pr_id)
            .and_then(|p| self.diffstat(repo_uuid, &format!("{}..{}", p.source_commit, p.destination_commit)))
            .unwrap_or_default()
    }
}
