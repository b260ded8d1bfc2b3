//! Comments on pull requests and commits (reference 4.7, 4.8), and issue comments (4.9).
//! Generated after the rest of the content from their own streams, so existing rows keep
//! their values.

use super::git::Commit;
use super::issues::Issue;
use super::pullrequests::PullRequest;
use super::rng::Rng;
use super::Ts;

/// `inline{path, from, to}`: `from`/`to` are line numbers in the old/new file (JSON null when
/// the comment sits on an added/removed line only).
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    pub path: String,
    pub from: Option<u64>,
    pub to: Option<u64>,
}

/// A pull-request or commit comment; exactly one of `pr_id` / `commit_hash` is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub repo_uuid: String,
    /// Unique per repository (shared by PR and commit comments).
    pub id: u64,
    pub pr_id: Option<u64>,
    /// Full 40-digit hash for commit comments.
    pub commit_hash: Option<String>,
    /// Markdown; `""` for deleted comments.
    pub raw: String,
    pub user_uuid: String,
    pub created_on: Ts,
    pub updated_on: Ts,
    pub deleted: bool,
    /// Replies only (`parent` is absent from the JSON otherwise).
    pub parent_id: Option<u64>,
    /// Inline comments only (`inline` is absent otherwise).
    pub inline: Option<Inline>,
    pub pending: bool,
}

/// A pull-request comment (same struct as commit comments).
pub type PrComment = Comment;

#[derive(Debug, Clone, PartialEq)]
pub struct IssueComment {
    pub repo_uuid: String,
    pub issue_id: u64,
    pub id: u64,
    pub raw: String,
    /// `None` renders `user: null` (deleted account).
    pub user_uuid: Option<String>,
    pub created_on: Ts,
    /// JSON null when never edited.
    pub updated_on: Option<Ts>,
}

const TEXTS: &[&str] = &[
    "Looks good to me 👍",
    "Could you add a test for the empty case?",
    "Nit: naïve → naive? Or keep the café spelling 😄",
    "Why not use `Option` here?",
    "日本語のコメントです。",
    "هذا تعليق باللغة العربية",
    r#"The path "C:\temp\new" needs escaping"#,
    "Rebased on main, please take another look 🚀",
    "Done.",
    "This breaks the **nightly** job, see the log.",
];

const PATHS: &[&str] = &[
    "src/main.rs",
    "src/café/menu.rs",
    "docs/Read Me.md",
    "src/api/handlers.rs",
    "tests/ünïcode test.py",
];

struct Ids(u64);

impl Ids {
    fn next(&mut self) -> u64 {
        self.0 += 1 + self.0 % 3;
        self.0
    }
}

fn after(rng: &mut Rng, t: Ts, span_secs: u64) -> Ts {
    t + chrono::Duration::seconds(1 + rng.below(span_secs.max(1)) as i64) + chrono::Duration::microseconds(rng.below(999_999) as i64)
}

/// `live` non-deleted comments plus `dead` deleted ones, in id (= creation) order.
#[allow(clippy::too_many_arguments)]
fn thread(
    rng: &mut Rng,
    ids: &mut Ids,
    repo_uuid: &str,
    target: (Option<u64>, Option<String>),
    start: Ts,
    span_secs: u64,
    members: &[String],
    live: usize,
    dead: usize,
    may_be_pending: bool,
) -> Vec<Comment> {
    let mut kinds: Vec<bool> = vec![false; live];
    for _ in 0..dead {
        let at = rng.below(kinds.len() as u64 + 1) as usize;
        kinds.insert(at, true);
    }
    let mut out: Vec<Comment> = Vec::new();
    let mut t = start;
    for (k, deleted) in kinds.into_iter().enumerate() {
        t = after(rng, t, span_secs / (live + dead + 1) as u64 + 60);
        let parent_id = if !out.is_empty() && (k % 3 == 2 || rng.chance(25)) {
            Some(out[rng.below(out.len() as u64) as usize].id)
        } else {
            None
        };
        let inline = (parent_id.is_none() && rng.chance(35)).then(|| {
            let line = 1 + rng.below(300);
            let (from, to) = match rng.below(3) {
                0 => (Some(line), None),
                1 => (None, Some(line)),
                _ => (Some(line), Some(line + rng.below(3))),
            };
            Inline {
                path: rng.pick(PATHS).to_string(),
                from,
                to,
            }
        });
        let created_on = t;
        let updated_on = if rng.chance(30) || deleted {
            after(rng, created_on, 3600)
        } else {
            created_on
        };
        out.push(Comment {
            repo_uuid: repo_uuid.to_string(),
            id: ids.next(),
            pr_id: target.0,
            commit_hash: target.1.clone(),
            raw: if deleted { String::new() } else { rng.pick(TEXTS).to_string() },
            user_uuid: rng.pick(members).clone(),
            created_on,
            updated_on,
            deleted,
            parent_id,
            inline,
            pending: may_be_pending && !deleted && rng.chance(10),
        });
    }
    out
}

/// Comments of every pull request (exactly `comment_count` live ones each, plus 0–2 deleted)
/// and of about one commit in five (the first commented commit has a reply and a deleted one).
pub(super) fn generate(seed: u64, repo_uuid: &str, prs: &[&PullRequest], commits: &[&Commit], members: &[String]) -> Vec<Comment> {
    let mut rng = Rng::stream(seed, &format!("comments:{repo_uuid}"));
    let mut ids = Ids(1_000 + rng.below(400_000));
    let mut out = Vec::new();
    for p in prs {
        let dead = match rng.below(10) {
            0..=5 => 0,
            6..=8 => 1,
            _ => 2,
        };
        let span = (p.updated_on - p.created_on).num_seconds().max(600) as u64;
        let target = (Some(p.id), None);
        out.extend(thread(
            &mut rng,
            &mut ids,
            repo_uuid,
            target,
            p.created_on,
            span,
            members,
            p.comment_count as usize,
            dead,
            true,
        ));
    }
    let mut first = true;
    for c in commits {
        if !(first || rng.chance(20)) {
            continue;
        }
        let (live, dead) = if first { (2, 1) } else { (1 + rng.below(3) as usize, 0) };
        let target = (None, Some(c.hash.clone()));
        let mut t = thread(&mut rng, &mut ids, repo_uuid, target, c.date, 86_400, members, live, dead, false);
        if first && t.len() == 3 && t[2].parent_id.is_none() {
            t[2].parent_id = Some(t[0].id);
            t[2].inline = None;
        }
        first = false;
        out.extend(t);
    }
    out
}

const ISSUE_TEXTS: &[&str] = &[
    "I can reproduce this on 1.1 too.",
    "Fixed in the last release 🎉",
    "Ça marche chez moi.",
    "Can you attach the log?",
    "",
];

/// 0–3 comments per issue; ids are unique per repository.
pub(super) fn issue_comments(seed: u64, repo_uuid: &str, issues: &[&Issue], members: &[String]) -> Vec<IssueComment> {
    let mut rng = Rng::stream(seed, &format!("issue-comments:{repo_uuid}"));
    let mut ids = Ids(50_000_000 + rng.below(1_000_000));
    let mut out = Vec::new();
    for i in issues {
        let mut t = i.created_on;
        for _ in 0..rng.below(4) {
            t = after(&mut rng, t, 5 * 86_400);
            let updated_on = rng.chance(30).then(|| t + chrono::Duration::seconds(300));
            out.push(IssueComment {
                repo_uuid: repo_uuid.to_string(),
                issue_id: i.id,
                id: ids.next(),
                raw: rng.pick(ISSUE_TEXTS).to_string(),
                user_uuid: if rng.chance(90) { Some(rng.pick(members).clone()) } else { None },
                created_on: t,
                updated_on,
            });
        }
    }
    out
}
