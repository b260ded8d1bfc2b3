//! Commit statuses (build results, reference 4.7) and pipeline steps (4.11).

use super::git::Commit;
use super::pipelines::Pipeline;
use super::rng::Rng;
use super::Ts;

#[derive(Debug, Clone, PartialEq)]
pub struct CommitStatus {
    pub repo_uuid: String,
    /// Full 40-digit hash.
    pub commit_hash: String,
    /// Unique per commit: `build`, `lint`, `deploy`.
    pub key: String,
    /// `SUCCESSFUL`, `FAILED`, `INPROGRESS` or `STOPPED`.
    pub state: String,
    pub name: String,
    pub description: String,
    pub url: String,
    /// `None` renders `refname: null`.
    pub refname: Option<String>,
    pub created_on: Ts,
    pub updated_on: Ts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PipelineStep {
    pub repo_uuid: String,
    pub pipeline_uuid: String,
    pub uuid: String,
    pub name: String,
    /// `PENDING`, `READY`, `IN_PROGRESS` or `COMPLETED`.
    pub state: String,
    /// `SUCCESSFUL`, `FAILED`, `ERROR`, `STOPPED`, `NOT_RUN` or `EXPIRED`, when COMPLETED.
    pub result: Option<String>,
    pub image: String,
    pub started_on: Option<Ts>,
    pub completed_on: Option<Ts>,
    pub duration_in_seconds: u64,
}

const KEYS: &[(&str, &str)] = &[
    ("build", "Build & unit tests"),
    ("lint", "Lint ✨"),
    ("deploy", "Deploy to staging"),
];

/// The three newest commits and about a third of the others get 1–3 statuses.
pub(super) fn statuses(seed: u64, repo_uuid: &str, newest_first: &[&Commit], mainbranch: &str) -> Vec<CommitStatus> {
    let mut rng = Rng::stream(seed, &format!("statuses:{repo_uuid}"));
    let mut out = Vec::new();
    for (k, c) in newest_first.iter().enumerate() {
        if k >= 3 && !rng.chance(33) {
            continue;
        }
        let mut t = c.date.to_utc().fixed_offset();
        for (key, name) in KEYS.iter().take(1 + rng.below(3) as usize) {
            t += chrono::Duration::seconds(30 + rng.below(600) as i64);
            let state = match (k, rng.below(10)) {
                (0, 0..=4) => "INPROGRESS",
                (_, 0..=5) => "SUCCESSFUL",
                (_, 6..=7) => "FAILED",
                (_, 8) => "STOPPED",
                _ => "SUCCESSFUL",
            };
            let created_on = t + chrono::Duration::microseconds(rng.below(999_999) as i64);
            out.push(CommitStatus {
                repo_uuid: repo_uuid.to_string(),
                commit_hash: c.hash.clone(),
                key: key.to_string(),
                state: state.into(),
                name: format!("{name} #{}", 100 + rng.below(900)),
                description: match state {
                    "SUCCESSFUL" => "All checks passed".into(),
                    "FAILED" => "2 tests failed — naïve_date_test".into(),
                    "INPROGRESS" => "Running…".into(),
                    _ => String::new(),
                },
                url: format!("https://ci.example.com/{}/{key}", &c.hash[..12]),
                refname: rng.chance(70).then(|| mainbranch.to_string()),
                created_on,
                updated_on: created_on + chrono::Duration::seconds(rng.below(900) as i64),
            });
        }
    }
    out
}

const STEP_NAMES: &[&str] = &["Build", "Test 🧪", "Lint", "Deploy to Test"];
const IMAGES: &[&str] = &["atlassian/default-image:4", "rust:1.80", "node:20-alpine"];

/// 1–4 steps consistent with the pipeline: every step of a successful run succeeded; a failed
/// or stopped run has one step with that result and NOT_RUN after it; a running one has one
/// IN_PROGRESS step and PENDING after it; a pending run has only PENDING (first READY) steps.
pub(super) fn steps(seed: u64, p: &Pipeline) -> Vec<PipelineStep> {
    let mut rng = Rng::stream(seed, &format!("steps:{}", p.uuid));
    let n = 1 + rng.below(4) as usize;
    let image = rng.pick(IMAGES).to_string();
    let stop_at = rng.below(n as u64) as usize;
    let total = p.build_seconds_used.max(n as u64);
    let mut t = p.created_on + chrono::Duration::seconds(5);
    let mut out = Vec::new();
    for (k, name) in STEP_NAMES.iter().take(n).enumerate() {
        let share = total / n as u64;
        let (state, result) = match (p.state.as_str(), p.result.as_deref()) {
            ("COMPLETED", Some("SUCCESSFUL")) => ("COMPLETED", Some("SUCCESSFUL")),
            ("COMPLETED", Some(r)) if k == stop_at => (
                "COMPLETED",
                Some(if r == "FAILED" && k == 0 && rng.chance(30) { "ERROR" } else { r }),
            ),
            ("COMPLETED", _) if k < stop_at => ("COMPLETED", Some("SUCCESSFUL")),
            ("COMPLETED", _) => ("COMPLETED", Some("NOT_RUN")),
            ("IN_PROGRESS", _) if k < stop_at => ("COMPLETED", Some("SUCCESSFUL")),
            ("IN_PROGRESS", _) if k == stop_at => ("IN_PROGRESS", None),
            (_, _) if k == 0 && p.state == "PENDING" => ("READY", None),
            _ => ("PENDING", None),
        };
        let ran = result.is_some_and(|r| r != "NOT_RUN") || state == "IN_PROGRESS";
        let started_on = ran.then_some(t);
        let (completed_on, secs) = match (state, ran) {
            ("COMPLETED", true) => (Some(t + chrono::Duration::seconds(share as i64)), share),
            ("COMPLETED", false) => (Some(p.completed_on.unwrap_or(t)), 0),
            ("IN_PROGRESS", _) => (None, share / 2),
            _ => (None, 0),
        };
        if ran {
            t += chrono::Duration::seconds(share as i64 + 1);
        }
        out.push(PipelineStep {
            repo_uuid: p.repo_uuid.clone(),
            pipeline_uuid: p.uuid.clone(),
            uuid: rng.uuid(),
            name: name.to_string(),
            state: state.into(),
            result: result.map(str::to_string),
            image: image.clone(),
            started_on,
            completed_on,
            duration_in_seconds: secs,
        });
    }
    out
}
