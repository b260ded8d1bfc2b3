//! Commits, branches and tags of one repository: a main line with merge commits (one per
//! merged pull request), live branches forked from it, and tags on the main line.

use chrono::{FixedOffset, Timelike};

use super::rng::Rng;
use super::Ts;

/// `author` of a commit: `raw` is `Name <email>`; `user_uuid` only when the e-mail maps to an
/// account (the JSON then has `author.user`, otherwise the key is absent).
#[derive(Debug, Clone, PartialEq)]
pub struct CommitAuthor {
    pub raw: String,
    pub user_uuid: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    pub repo_uuid: String,
    /// 40 lower-case hex digits.
    pub hash: String,
    /// Keeps the author's offset (`+00:00`, `+02:00` or `-05:00`).
    pub date: Ts,
    /// Full message; may be multi-line and non-ASCII.
    pub message: String,
    pub author: CommitAuthor,
    /// Parent hashes, first parent first; empty for the root commit.
    pub parents: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub repo_uuid: String,
    /// May contain `/` (`feature/login`).
    pub name: String,
    pub target_hash: String,
    pub merge_strategies: Vec<String>,
    pub default_merge_strategy: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    pub repo_uuid: String,
    /// `v0.1.0`, `v0.2.0`, … (`sort=name` is natural: v0.9.0 < v0.10.0).
    pub name: String,
    pub target_hash: String,
    /// `None` for lightweight tags (JSON null for message, date and tagger).
    pub message: Option<String>,
    pub date: Option<Ts>,
    pub tagger: Option<CommitAuthor>,
}

/// Something a pull request points at: a branch and its tip, with the history around it.
#[derive(Debug, Clone)]
pub(super) struct PrBranch {
    pub name: String,
    pub tip: String,
    /// Date of the last commit on the branch.
    pub tip_date: Ts,
    /// Main-line commit the branch forked from (PR destination commit).
    pub base: String,
    /// Merge commit on main (merged PRs only).
    pub merge: Option<(String, Ts)>,
}

pub(super) struct RepoGit {
    pub commits: Vec<Commit>,
    pub branches: Vec<Branch>,
    pub tags: Vec<Tag>,
    /// Main-line commits, oldest first.
    pub main_line: Vec<String>,
    /// One per pull request, in id order.
    pub pr_branches: Vec<PrBranch>,
}

const SUBJECTS: &[&str] = &[
    "Fix naïve date parsing in the café module",
    "Add 🚀 launch script",
    r#"Handle "quoted" paths like C:\temp\new"#,
    "Update dependencies",
    "Improve error messages\n\nThe old ones said nothing useful.\n\n* adds context\n* fixes typos",
    "日本語のドキュメントを追加",
    "Support RTL text: مرحبا بالعالم",
    "Refactor configuration loader",
    "Add tests for pagination\n\nCovers the last page and empty collections.",
    "Bump version",
    "Remove dead code",
    "Speed up the nightly job ⚡",
];

const BRANCH_NAMES: &[&str] = &[
    "feature/login",
    "bugfix/null-pointer",
    "feature/ünïcode-search",
    "hotfix/cve-2024-0001",
    "feature/rocket-launch",
    "chore/deps",
    "feature/dark-mode",
    "bugfix/timezone",
    "feature/export-csv",
    "refactor/auth",
];

const STRATEGIES: &[&str] = &["merge_commit", "squash", "fast_forward"];

/// People who commit: (raw, account uuid). Unknown authors have no account.
pub(super) type Author = (String, Option<String>);

pub(super) fn unknown_authors() -> Vec<Author> {
    vec![
        ("Build Bot <ci@build.invalid>".into(), None),
        ("Former Employee <gone@oldcorp.example>".into(), None),
    ]
}

struct Builder<'a> {
    rng: &'a mut Rng,
    repo_uuid: String,
    people: &'a [Author],
    commits: Vec<Commit>,
}

impl Builder<'_> {
    fn author(&mut self) -> CommitAuthor {
        let unknown = unknown_authors();
        let (raw, user) = if self.rng.chance(15) || self.people.is_empty() {
            self.rng.pick(&unknown).clone()
        } else {
            self.rng.pick(self.people).clone()
        };
        CommitAuthor { raw, user_uuid: user }
    }

    fn offset(&mut self) -> FixedOffset {
        let secs = match self.rng.below(10) {
            0..=5 => 0,
            6..=8 => 2 * 3600,
            _ => -5 * 3600,
        };
        FixedOffset::east_opt(secs).unwrap_or(FixedOffset::east_opt(0).unwrap())
    }

    /// A commit after `after` with the given parents; returns (hash, date).
    fn commit(&mut self, after: Ts, parents: Vec<String>, message: Option<String>) -> (String, Ts) {
        let secs = 600 + self.rng.below(3 * 86_400) as i64;
        let date = (after + chrono::Duration::seconds(secs)).with_timezone(&self.offset());
        let hash = self.rng.hex(40);
        let message = message.unwrap_or_else(|| (*self.rng.pick(SUBJECTS)).to_string());
        let author = self.author();
        self.commits.push(Commit {
            repo_uuid: self.repo_uuid.clone(),
            hash: hash.clone(),
            date,
            message,
            author,
            parents,
        });
        (hash, date)
    }

    /// 1-3 commits forked from `base`; returns the tip.
    fn side_chain(&mut self, base: &str, after: Ts) -> (String, Ts) {
        let (mut tip, mut date) = (base.to_string(), after);
        for _ in 0..1 + self.rng.below(3) {
            (tip, date) = self.commit(date, vec![tip.clone()], None);
        }
        (tip, date)
    }
}

/// `merged[i]` tells whether pull request `i + 1` is merged; `keep_branch[i]` whether its
/// source branch still exists afterwards.
#[allow(clippy::too_many_arguments)]
pub(super) fn generate(
    rng: &mut Rng,
    repo_uuid: &str,
    mainbranch: &str,
    start: Ts,
    people: &[Author],
    main_len: usize,
    merged: &[bool],
    keep_branch: &[bool],
) -> RepoGit {
    let mut b = Builder {
        rng,
        repo_uuid: repo_uuid.to_string(),
        people,
        commits: Vec::new(),
    };
    let n_pr = merged.len();
    let names = pr_branch_names(n_pr, merged);
    // PR i is anchored after main commit anchor[i].
    let anchor = |i: usize| ((i + 1) * main_len / (n_pr + 1)).clamp(1, main_len) - 1;
    let mut main_line: Vec<String> = Vec::new();
    let mut main_dates: Vec<Ts> = Vec::new();
    let mut pr_branches: Vec<Option<PrBranch>> = vec![None; n_pr];
    // Git dates have whole seconds.
    let start = start.with_nanosecond(0).unwrap_or(start);
    let (mut tip, mut date) = b.commit(start, vec![], Some("Initial commit".into()));
    main_line.push(tip.clone());
    main_dates.push(date);
    for at in 0..main_len.saturating_sub(1) {
        for i in (0..n_pr).filter(|&i| anchor(i) == at) {
            let (side, side_date) = b.side_chain(&tip, date);
            if merged[i] {
                let msg = format!("Merged in {} (pull request #{})", names[i], i + 1);
                let (m, md) = b.commit(side_date, vec![tip.clone(), side.clone()], Some(msg));
                pr_branches[i] = Some(PrBranch {
                    name: names[i].clone(),
                    tip: side,
                    tip_date: side_date,
                    base: tip.clone(),
                    merge: Some((m.clone(), md)),
                });
                (tip, date) = (m, md);
                main_line.push(tip.clone());
                main_dates.push(date);
            } else {
                pr_branches[i] = Some(PrBranch {
                    name: names[i].clone(),
                    tip: side,
                    tip_date: side_date,
                    base: tip.clone(),
                    merge: None,
                });
            }
        }
        (tip, date) = b.commit(date, vec![tip.clone()], None);
        main_line.push(tip.clone());
        main_dates.push(date);
    }
    let pr_branches: Vec<PrBranch> = pr_branches.into_iter().flatten().collect();
    let mut branches = vec![branch(repo_uuid, mainbranch, &tip, b.rng)];
    for (i, p) in pr_branches.iter().enumerate() {
        if p.merge.is_none() || keep_branch.get(i).copied().unwrap_or(false) {
            branches.push(branch(repo_uuid, &p.name, &p.tip, b.rng));
        }
    }
    if !branches.iter().any(|x| x.name == "feature/login") {
        let base = main_line[main_line.len() / 2].clone();
        let (t, _) = b.side_chain(&base, main_dates[main_line.len() / 2]);
        branches.push(branch(repo_uuid, "feature/login", &t, b.rng));
    }
    let (t, _) = b.side_chain(&main_line[main_line.len() * 3 / 4], main_dates[main_line.len() * 3 / 4]);
    branches.push(branch(repo_uuid, "release/1.x", &t, b.rng));
    let mut tags = Vec::new();
    for (k, idx) in (1..main_line.len()).step_by(2).enumerate() {
        let name = format!("v0.{}.0", k + 1);
        let annotated = k % 2 == 0;
        let tagger = annotated.then(|| b.author());
        tags.push(Tag {
            repo_uuid: repo_uuid.to_string(),
            message: annotated.then(|| format!("Release {name} 🎉\n")),
            date: annotated.then(|| main_dates[idx] + chrono::Duration::minutes(30)),
            tagger,
            name,
            target_hash: main_line[idx].clone(),
        });
    }
    RepoGit {
        commits: b.commits,
        branches,
        tags,
        main_line,
        pr_branches,
    }
}

fn branch(repo_uuid: &str, name: &str, tip: &str, rng: &mut Rng) -> Branch {
    let default = if rng.chance(70) { "merge_commit" } else { "squash" };
    Branch {
        repo_uuid: repo_uuid.to_string(),
        name: name.to_string(),
        target_hash: tip.to_string(),
        merge_strategies: STRATEGIES.iter().map(|s| s.to_string()).collect(),
        default_merge_strategy: default.to_string(),
    }
}

/// Unique source-branch names; the first open PR gets `feature/login`.
fn pr_branch_names(n: usize, merged: &[bool]) -> Vec<String> {
    let first_open = merged.iter().position(|m| !m);
    let others: Vec<&str> = BRANCH_NAMES[1..].to_vec();
    let mut k = 0;
    (0..n)
        .map(|i| {
            if Some(i) == first_open {
                return BRANCH_NAMES[0].to_string();
            }
            let base = others[k % others.len()];
            let round = k / others.len();
            k += 1;
            if round == 0 {
                base.to_string()
            } else {
                format!("{base}-{}", round + 1)
            }
        })
        .collect()
}

/// Natural order for ref names: digit runs compare as numbers (`v0.9.0` < `v0.10.0`).
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let mut p = String::new();
                while let Some(c) = x.peek().copied().filter(char::is_ascii_digit) {
                    p.push(c);
                    x.next();
                }
                let mut q = String::new();
                while let Some(d) = y.peek().copied().filter(char::is_ascii_digit) {
                    q.push(d);
                    y.next();
                }
                let (p2, q2) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                let o = p2.len().cmp(&q2.len()).then_with(|| p2.cmp(q2)).then_with(|| p.cmp(&q));
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["v0.10.0", "v0.9.0", "v0.1.0", "main", "feature/login"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, vec!["feature/login", "main", "v0.1.0", "v0.9.0", "v0.10.0"]);
    }
}
