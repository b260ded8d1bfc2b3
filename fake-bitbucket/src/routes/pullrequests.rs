//! `/pullrequests` and `/pullrequests/{id}` (reference 4.8, 3.3, 8.11, 8.15).
//!
//! Lists show only OPEN pull requests unless `state=` (repeatable) is given or `q` names
//! `state`. With both `state=` and `q`, the `pr_state_with_q` switch decides: AND (default)
//! or ignore `state=`. Lists hide `participants`/`reviewers` unless asked for with `fields`.

use serde_json::Value;

use super::{Ctx, RepoRef};
use crate::bbql;
use crate::collection::{is_plain, respond_one, respond_with, Collection, Support};
use crate::config::PrStateWithQ;
use crate::data::PrState;
use crate::errors::ApiError;
use crate::render::pullrequests::{pull_request, pull_request_with};

/// States the list keeps before `q` runs; `None` = all.
fn state_filter(ctx: &Ctx<'_>) -> Result<Option<Vec<PrState>>, ApiError> {
    let mut states = Vec::new();
    for s in ctx.query.get_all("state") {
        states.push(PrState::parse(s).ok_or_else(|| ApiError::bad_request(format!("Invalid state: '{s}'")))?);
    }
    let q = ctx.query.single("q")?.filter(|q| !q.trim().is_empty());
    let q_names_state = match q {
        Some(q) => bbql::parse(q)
            .map_err(ApiError::invalid_query)?
            .paths()
            .iter()
            .any(|p| p.len() == 1 && p[0] == "state"),
        None => false,
    };
    Ok(match (states.is_empty(), q.is_some()) {
        (false, true) if ctx.switches.pr_state_with_q == PrStateWithQ::IgnoreState => None,
        (false, _) => Some(states),
        (true, _) if q_names_state => None,
        (true, _) => Some(vec![PrState::Open]),
    })
}

pub fn list(ctx: &Ctx<'_>, r: &RepoRef) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let filter = state_filter(ctx)?;
    let mut prs = ctx.ds.pull_requests(&repo.uuid);
    prs.retain(|p| filter.as_ref().is_none_or(|f| f.contains(&p.state)));
    // Newest first by default.
    prs.reverse();
    let c = Collection {
        limit_key: "pullrequests",
        shape: &ctx.shapes.pullrequest,
        q: Support::AnyField,
        sort: Support::AnyField,
        aliases: &[],
        hidden: &["participants", "reviewers"],
    };
    // `participants`/`reviewers` are hidden unless `fields` asks for them (or `q`/`sort` use them).
    let people = !is_plain(ctx, &c);
    respond_with(ctx, &c, &prs, |p| pull_request_with(ctx.links, ctx.ds, repo, p, people))
}

pub fn get(ctx: &Ctx<'_>, r: &RepoRef, id: &str) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    let pr = id.parse::<u64>().ok().and_then(|n| ctx.ds.pull_request(&repo.uuid, n));
    match pr {
        Some(p) => respond_one(ctx, pull_request(ctx.links, ctx.ds, repo, p), &[]),
        None => Err(ApiError::not_found(format!("Pull request {id} not found"))),
    }
}
