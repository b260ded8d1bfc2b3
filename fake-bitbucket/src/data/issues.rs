//! Issues of one repository (only where `has_issues` is true).

use super::rng::Rng;
use super::Ts;

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub repo_uuid: String,
    /// 1-based, unique per repository.
    pub id: u64,
    pub title: String,
    /// Markdown source (`content.raw`).
    pub content_raw: String,
    /// `new`, `open`, `resolved`, `on hold`, `invalid`, `duplicate`, `wontfix`, `closed`.
    pub state: String,
    /// `bug`, `enhancement`, `proposal`, `task`.
    pub kind: String,
    /// `trivial` < `minor` < `major` < `critical` < `blocker`.
    pub priority: String,
    pub reporter_uuid: Option<String>,
    /// `None` renders `assignee: null`.
    pub assignee_uuid: Option<String>,
    pub component: Option<String>,
    pub milestone: Option<String>,
    pub version: Option<String>,
    pub votes: u64,
    pub watches: u64,
    pub created_on: Ts,
    pub updated_on: Ts,
    /// JSON null when never edited.
    pub edited_on: Option<Ts>,
}

pub const ISSUE_STATES: &[&str] = &["new", "open", "resolved", "on hold", "invalid", "duplicate", "wontfix", "closed"];
pub const ISSUE_KINDS: &[&str] = &["bug", "enhancement", "proposal", "task"];
pub const ISSUE_PRIORITIES: &[&str] = &["trivial", "minor", "major", "critical", "blocker"];

const TITLES: &[&str] = &[
    "Crash when the list is empty",
    r#"Path "C:\temp" is not escaped"#,
    "Add a 🚀 emoji picker",
    "Café menu shows naïve prices",
    "Support العربية in the search box",
    "Timeouts on large exports",
    "Document the API limits",
    "Login fails after password reset",
];

const COMPONENTS: &[&str] = &["api", "ui", "docs"];
const MILESTONES: &[&str] = &["M1", "M2", "2025-Q1"];
const VERSIONS: &[&str] = &["1.0", "1.1", "2.0"];

pub(super) fn generate(rng: &mut Rng, repo_uuid: &str, start: Ts, members: &[String], count: usize) -> Vec<Issue> {
    let mut out = Vec::new();
    let mut t = start;
    for i in 0..count {
        t += chrono::Duration::seconds(3600 + rng.below(10 * 86_400) as i64);
        let created_on = rng.timestamp(t, 0).max(t);
        let updated_on = created_on + chrono::Duration::seconds(rng.below(30 * 86_400) as i64);
        let opt = |rng: &mut Rng, list: &[&str]| {
            if rng.chance(40) {
                None
            } else {
                Some(rng.pick(list).to_string())
            }
        };
        let title = match i / TITLES.len() {
            0 => TITLES[i].to_string(),
            r => format!("{} ({})", TITLES[i % TITLES.len()], r + 1),
        };
        out.push(Issue {
            repo_uuid: repo_uuid.to_string(),
            id: i as u64 + 1,
            content_raw: format!("Steps to reproduce:\n\n1. open the app\n2. see *{title}*"),
            title,
            state: rng.pick(ISSUE_STATES).to_string(),
            kind: rng.pick(ISSUE_KINDS).to_string(),
            priority: rng.pick(ISSUE_PRIORITIES).to_string(),
            reporter_uuid: if rng.chance(90) { Some(rng.pick(members).clone()) } else { None },
            assignee_uuid: if rng.chance(60) { Some(rng.pick(members).clone()) } else { None },
            component: opt(rng, COMPONENTS),
            milestone: opt(rng, MILESTONES),
            version: opt(rng, VERSIONS),
            votes: rng.below(6),
            watches: 1 + rng.below(4),
            created_on,
            updated_on,
            edited_on: rng.chance(30).then_some(updated_on),
        });
    }
    out
}
