//! Pull-request activity (reference 4.8), derived from the pull request and its comments:
//! an `update` for creation (state OPEN) and one for the final state when it is not OPEN, an
//! `approval` per approving participant, a `changes_requested` per participant in that state,
//! and a `comment` per non-deleted comment. Newest first.

use super::comments::Comment;
use super::pullrequests::{PrState, PullRequest};
use super::{Dataset, Ts};

#[derive(Debug, Clone, PartialEq)]
pub enum PrActivity<'a> {
    Update {
        pr: &'a PullRequest,
        state: PrState,
        author_uuid: &'a str,
        date: Ts,
    },
    Approval {
        pr: &'a PullRequest,
        user_uuid: &'a str,
        date: Ts,
    },
    ChangesRequested {
        pr: &'a PullRequest,
        user_uuid: &'a str,
        date: Ts,
    },
    Comment {
        pr: &'a PullRequest,
        comment: &'a Comment,
    },
}

impl<'a> PrActivity<'a> {
    pub fn pr(&self) -> &'a PullRequest {
        match self {
            PrActivity::Update { pr, .. }
            | PrActivity::Approval { pr, .. }
            | PrActivity::ChangesRequested { pr, .. }
            | PrActivity::Comment { pr, .. } => pr,
        }
    }

    pub fn date(&self) -> Ts {
        match self {
            PrActivity::Update { date, .. } | PrActivity::Approval { date, .. } | PrActivity::ChangesRequested { date, .. } => *date,
            PrActivity::Comment { comment, .. } => comment.created_on,
        }
    }

    /// `update`, `approval`, `changes_requested` or `comment` (the item's one key).
    pub fn kind(&self) -> &'static str {
        match self {
            PrActivity::Update { .. } => "update",
            PrActivity::Approval { .. } => "approval",
            PrActivity::ChangesRequested { .. } => "changes_requested",
            PrActivity::Comment { .. } => "comment",
        }
    }
}

fn newest_first(v: &mut [PrActivity<'_>]) {
    v.sort_by(|a, b| {
        b.date()
            .cmp(&a.date())
            .then_with(|| b.pr().id.cmp(&a.pr().id))
            .then_with(|| a.kind().cmp(b.kind()))
    });
}

impl Dataset {
    /// Activity of one pull request, newest first (= `/pullrequests/{id}/activity`).
    pub fn pr_activity(&self, repo_uuid: &str, pr_id: u64) -> Vec<PrActivity<'_>> {
        let Some(pr) = self.pull_request(repo_uuid, pr_id) else {
            return Vec::new();
        };
        let mut v = vec![PrActivity::Update {
            pr,
            state: PrState::Open,
            author_uuid: &pr.author_uuid,
            date: pr.created_on,
        }];
        if pr.state != PrState::Open {
            v.push(PrActivity::Update {
                pr,
                state: pr.state,
                author_uuid: pr.closed_by_uuid.as_deref().unwrap_or(&pr.author_uuid),
                date: pr.updated_on,
            });
        }
        for p in &pr.participants {
            let date = p.participated_on.unwrap_or(pr.created_on);
            if p.approved {
                v.push(PrActivity::Approval {
                    pr,
                    user_uuid: &p.user_uuid,
                    date,
                });
            }
            if p.state.as_deref() == Some("changes_requested") {
                v.push(PrActivity::ChangesRequested {
                    pr,
                    user_uuid: &p.user_uuid,
                    date,
                });
            }
        }
        for c in self.pr_comments(repo_uuid, pr_id) {
            if !c.deleted {
                v.push(PrActivity::Comment { pr, comment: c });
            }
        }
        newest_first(&mut v);
        v
    }

    /// Activity of every pull request of the repository, newest first
    /// (= `/pullrequests/activity`).
    pub fn repo_pr_activity(&self, repo_uuid: &str) -> Vec<PrActivity<'_>> {
        let mut v: Vec<PrActivity<'_>> = self
            .pull_requests(repo_uuid)
            .iter()
            .flat_map(|p| self.pr_activity(repo_uuid, p.id))
            .collect();
        newest_first(&mut v);
        v
    }
}
