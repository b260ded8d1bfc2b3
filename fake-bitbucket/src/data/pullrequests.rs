//! Pull requests of one repository, built on top of the repository's git history.

use super::git::PrBranch;
use super::rng::Rng;
use super::Ts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrState {
    Open,
    Merged,
    Declined,
    Superseded,
}

impl PrState {
    pub const ALL: [PrState; 4] = [PrState::Open, PrState::Merged, PrState::Declined, PrState::Superseded];

    pub fn as_str(self) -> &'static str {
        match self {
            PrState::Open => "OPEN",
            PrState::Merged => "MERGED",
            PrState::Declined => "DECLINED",
            PrState::Superseded => "SUPERSEDED",
        }
    }

    /// Case-insensitive parse of a `state=` value.
    pub fn parse(s: &str) -> Option<PrState> {
        Self::ALL.into_iter().find(|st| st.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipantRole {
    Participant,
    Reviewer,
}

impl ParticipantRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ParticipantRole::Participant => "PARTICIPANT",
            ParticipantRole::Reviewer => "REVIEWER",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub user_uuid: String,
    pub role: ParticipantRole,
    pub approved: bool,
    /// `approved`, `changes_requested` or `None` (JSON null).
    pub state: Option<String>,
    /// `None` (JSON null) for reviewers who have not acted.
    pub participated_on: Option<Ts>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PullRequest {
    pub repo_uuid: String,
    /// 1-based, unique per repository.
    pub id: u64,
    pub title: String,
    pub description: String,
    pub state: PrState,
    pub draft: bool,
    pub author_uuid: String,
    pub source_branch: String,
    /// 12 hex digits, as the API shows them.
    pub source_commit: String,
    pub destination_branch: String,
    pub destination_commit: String,
    /// 12 hex digits; only for merged pull requests.
    pub merge_commit: Option<String>,
    pub close_source_branch: bool,
    /// `None`: JSON null when OPEN, key absent when SUPERSEDED; set for MERGED/DECLINED.
    pub closed_by_uuid: Option<String>,
    /// Decline reason; empty string otherwise.
    pub reason: String,
    pub comment_count: u64,
    pub task_count: u64,
    pub created_on: Ts,
    pub updated_on: Ts,
    /// Reviewers are the participants with role REVIEWER.
    pub participants: Vec<Participant>,
}

impl PullRequest {
    pub fn reviewers(&self) -> impl Iterator<Item = &Participant> {
        self.participants.iter().filter(|p| p.role == ParticipantRole::Reviewer)
    }
}

const TITLES: &[&str] = &[
    "Add login page",
    r#"Fix "quoted" paths in C:\temp handling"#,
    "🚀 Launch the rocket pipeline",
    "Ünïcödé: naïve café support",
    "RTL: دعم اللغة العربية",
    "Refactor auth middleware",
    "Bump dependencies 📦",
    "WIP: 日本語 search",
    "Fix timezone handling for +02:00 offsets",
    "Export reports as CSV",
    "Dark mode 🌙",
    "Remove the legacy API",
];

const DECLINE_REASONS: &[&str] = &[
    "Not needed any more",
    "Superseded by a different approach 🙅",
    "Please split this into smaller changes",
];

/// States of `n` pull requests: mixed, with at least one OPEN and one MERGED.
pub(super) fn states(rng: &mut Rng, n: usize) -> Vec<PrState> {
    let mut s: Vec<PrState> = (0..n)
        .map(|_| match rng.below(100) {
            0..=34 => PrState::Open,
            35..=79 => PrState::Merged,
            80..=93 => PrState::Declined,
            _ => PrState::Superseded,
        })
        .collect();
    if n >= 2 && !s.contains(&PrState::Merged) {
        s[0] = PrState::Merged;
    }
    if n >= 3 && !s.contains(&PrState::Declined) {
        s[1] = PrState::Declined;
    }
    if !s.contains(&PrState::Open) {
        s[n - 1] = PrState::Open;
    }
    s
}

fn short(h: &str) -> String {
    h[..12].to_string()
}

/// Builds the pull requests; `members` are account UUIDs of the workspace's human members.
#[allow(clippy::too_many_arguments)]
pub(super) fn generate(
    rng: &mut Rng,
    repo_uuid: &str,
    mainbranch: &str,
    states: &[PrState],
    keep_branch: &[bool],
    branches: &[PrBranch],
    members: &[String],
) -> Vec<PullRequest> {
    let mut out = Vec::new();
    let mut last_created: Option<Ts> = None;
    for (i, (state, b)) in states.iter().zip(branches).enumerate() {
        let id = i as u64 + 1;
        let author = rng.pick(members).clone();
        let mut created_on = b.tip_date.to_utc().fixed_offset() + chrono::Duration::seconds(60 + rng.below(7200) as i64);
        if let Some(prev) = last_created {
            if created_on <= prev {
                created_on = prev + chrono::Duration::seconds(1 + rng.below(600) as i64);
            }
        }
        created_on += chrono::Duration::microseconds(rng.below(999_999) as i64);
        last_created = Some(created_on);
        let updated_on = match &b.merge {
            Some((_, md)) => md.to_utc().fixed_offset().max(created_on + chrono::Duration::seconds(1)),
            None => created_on + chrono::Duration::seconds(rng.below(5 * 86_400) as i64),
        };
        let title = match i / TITLES.len() {
            0 => TITLES[i % TITLES.len()].to_string(),
            r => format!("{} (part {})", TITLES[i % TITLES.len()], r + 1),
        };
        let description = if rng.chance(20) {
            String::new()
        } else {
            format!("## Summary\n\n{title}\n\n* touches `{}`\n* tested locally ✅", b.name)
        };
        let closer = rng.pick(members).clone();
        let participants = participants(rng, &author, members, created_on, *state);
        out.push(PullRequest {
            repo_uuid: repo_uuid.to_string(),
            id,
            title,
            description,
            state: *state,
            draft: *state == PrState::Open && rng.chance(20),
            author_uuid: author,
            source_branch: b.name.clone(),
            source_commit: short(&b.tip),
            destination_branch: mainbranch.to_string(),
            destination_commit: short(&b.base),
            merge_commit: b.merge.as_ref().map(|(h, _)| short(h)),
            close_source_branch: !keep_branch.get(i).copied().unwrap_or(false),
            closed_by_uuid: matches!(state, PrState::Merged | PrState::Declined).then_some(closer),
            reason: if *state == PrState::Declined {
                (*rng.pick(DECLINE_REASONS)).to_string()
            } else {
                String::new()
            },
            comment_count: rng.below(15),
            task_count: rng.below(4),
            created_on,
            updated_on,
            participants,
        });
    }
    out
}

fn participants(rng: &mut Rng, author: &str, members: &[String], created_on: Ts, state: PrState) -> Vec<Participant> {
    let others: Vec<&String> = members.iter().filter(|m| m.as_str() != author).collect();
    let mut out = Vec::new();
    let n_rev = (rng.below(4) as usize).min(others.len());
    let start = rng.below(others.len().max(1) as u64) as usize;
    for k in 0..others.len().min(n_rev + 1) {
        let user = others[(start + k) % others.len()].clone();
        let role = if k < n_rev {
            ParticipantRole::Reviewer
        } else if rng.chance(50) {
            ParticipantRole::Participant
        } else {
            continue;
        };
        let (approved, st) = match rng.below(10) {
            0..=4 => (true, Some("approved".to_string())),
            5 if state == PrState::Open => (false, Some("changes_requested".to_string())),
            _ => (false, None),
        };
        let acted = approved || st.is_some() || role == ParticipantRole::Participant;
        out.push(Participant {
            user_uuid: user,
            role,
            approved,
            state: st,
            participated_on: acted.then(|| created_on + chrono::Duration::seconds(600 + rng.below(86_400) as i64)),
        });
    }
    out
}
