//! Pipelines, deployment environments and deployments of one repository.

use super::git::Commit;
use super::rng::Rng;
use super::Ts;

#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub repo_uuid: String,
    pub uuid: String,
    /// 1, 2, 3… in `created_on` order.
    pub build_number: u64,
    /// Account UUID; `None` renders `creator: null` (scheduled runs, unknown pushers).
    pub creator_uuid: Option<String>,
    /// `branch` or `tag`.
    pub ref_type: String,
    pub ref_name: String,
    /// 40 hex digits.
    pub commit_hash: String,
    /// `PUSH`, `MANUAL` or `SCHEDULE`.
    pub trigger: String,
    /// `COMPLETED`, `IN_PROGRESS` or `PENDING`.
    pub state: String,
    /// `SUCCESSFUL`, `FAILED` or `STOPPED` when COMPLETED.
    pub result: Option<String>,
    pub created_on: Ts,
    pub completed_on: Option<Ts>,
    pub build_seconds_used: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub repo_uuid: String,
    pub uuid: String,
    /// `Test`, `Staging`, `Production`.
    pub name: String,
    pub slug: String,
    /// 0, 1, 2.
    pub rank: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    pub repo_uuid: String,
    pub uuid: String,
    pub environment_uuid: String,
    pub pipeline_uuid: String,
    pub commit_hash: String,
    /// `#<build_number>`.
    pub release_name: String,
    /// Always `COMPLETED` here.
    pub state: String,
    /// `SUCCESSFUL` or `FAILED`.
    pub status: String,
    pub deployer_uuid: Option<String>,
    pub start_date: Ts,
    pub completion_date: Ts,
}

/// `count` pipelines over the main line (`main` = commits oldest first); the last one or two may
/// still be running.
#[allow(clippy::too_many_arguments)]
pub(super) fn generate(
    rng: &mut Rng,
    repo_uuid: &str,
    mainbranch: &str,
    main: &[&Commit],
    feature_tip: Option<&Commit>,
    tags: &[(String, String)],
    members: &[String],
    count: usize,
) -> Vec<Pipeline> {
    let mut out: Vec<Pipeline> = Vec::new();
    let mut prev: Option<Ts> = None;
    for i in 0..count {
        let c = main[(i * main.len() / count.max(1)).min(main.len() - 1)];
        let (ref_type, ref_name, hash) = match rng.below(10) {
            0 if feature_tip.is_some() => {
                let f = feature_tip.unwrap();
                ("branch", "feature/login".to_string(), f.hash.clone())
            }
            1 if !tags.is_empty() => {
                let (n, h) = rng.pick(tags).clone();
                ("tag", n, h)
            }
            _ => ("branch", mainbranch.to_string(), c.hash.clone()),
        };
        let trigger = match rng.below(10) {
            0..=6 => "PUSH",
            7 | 8 => "MANUAL",
            _ => "SCHEDULE",
        };
        let mut created_on = c.date.to_utc().fixed_offset() + chrono::Duration::seconds(30 + rng.below(600) as i64);
        if let Some(p) = prev {
            if created_on <= p {
                created_on = p + chrono::Duration::seconds(60 + rng.below(3600) as i64);
            }
        }
        created_on += chrono::Duration::microseconds(1 + rng.below(999_998) as i64);
        prev = Some(created_on);
        let creator_uuid = match trigger {
            "SCHEDULE" => None,
            "MANUAL" => Some(rng.pick(members).clone()),
            _ => c.author.user_uuid.clone(),
        };
        let last = i + 1 == count;
        let (state, result) = if last && rng.chance(50) {
            ("IN_PROGRESS", None)
        } else if last && rng.chance(50) {
            ("PENDING", None)
        } else {
            let r = match rng.below(100) {
                0..=74 => "SUCCESSFUL",
                75..=92 => "FAILED",
                _ => "STOPPED",
            };
            ("COMPLETED", Some(r.to_string()))
        };
        let secs = 40 + rng.below(900);
        let (completed_on, used) = match state {
            "COMPLETED" => (Some(created_on + chrono::Duration::seconds(secs as i64)), secs),
            "IN_PROGRESS" => (None, secs / 3),
            _ => (None, 0),
        };
        out.push(Pipeline {
            repo_uuid: repo_uuid.to_string(),
            uuid: rng.uuid(),
            build_number: i as u64 + 1,
            creator_uuid,
            ref_type: ref_type.into(),
            ref_name,
            commit_hash: hash,
            trigger: trigger.into(),
            state: state.into(),
            result,
            created_on,
            completed_on,
            build_seconds_used: used,
        });
    }
    out
}

pub(super) fn environments(rng: &mut Rng, repo_uuid: &str) -> Vec<Environment> {
    ["Test", "Staging", "Production"]
        .iter()
        .enumerate()
        .map(|(rank, name)| Environment {
            repo_uuid: repo_uuid.to_string(),
            uuid: rng.uuid(),
            name: name.to_string(),
            slug: name.to_lowercase(),
            rank: rank as u64,
        })
        .collect()
}

/// Successful main-branch pipelines deploy to Test; every third also to Staging, every sixth
/// to Production.
pub(super) fn deployments(rng: &mut Rng, envs: &[Environment], pipelines: &[Pipeline], mainbranch: &str) -> Vec<Deployment> {
    let mut out = Vec::new();
    let ok = pipelines
        .iter()
        .filter(|p| p.ref_name == mainbranch && p.result.as_deref() == Some("SUCCESSFUL"));
    for (k, p) in ok.enumerate() {
        for env in envs {
            let wanted = match env.rank {
                0 => true,
                1 => k % 3 == 0,
                _ => k % 6 == 0,
            };
            if !wanted {
                continue;
            }
            let start = p.completed_on.unwrap_or(p.created_on) + chrono::Duration::seconds(5 + 60 * env.rank as i64);
            out.push(Deployment {
                repo_uuid: p.repo_uuid.clone(),
                uuid: rng.uuid(),
                environment_uuid: env.uuid.clone(),
                pipeline_uuid: p.uuid.clone(),
                commit_hash: p.commit_hash.clone(),
                release_name: format!("#{}", p.build_number),
                state: "COMPLETED".into(),
                status: if rng.chance(90) { "SUCCESSFUL" } else { "FAILED" }.into(),
                deployer_uuid: p.creator_uuid.clone(),
                start_date: start,
                completion_date: start + chrono::Duration::seconds(20 + rng.below(200) as i64),
            });
        }
    }
    out
}
