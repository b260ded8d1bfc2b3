//! `/commits` and `/commits/{revision}` (reference 4.7): iterator pagination (opaque `page`
//! tokens, no `size`/`previous`), `include`/`exclude` (repeatable), no BBQL, no sort.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::{Ctx, RepoRef};
use crate::cursor;
use crate::errors::ApiError;
use crate::fields::FieldSpec;
use crate::paginate::LinkBase;
use crate::render::git;

pub fn list(ctx: &Ctx<'_>, r: &RepoRef, rev: Option<&str>) -> Result<Value, ApiError> {
    let repo = ctx.repository(&r.ws, &r.repo)?;
    ctx.unsupported_q()?;
    let salt = percent_decode_str(ctx.raw_path).decode_utf8_lossy().to_lowercase();
    let (offset, pagelen) = cursor::parse(ctx.query, ctx.switches.limits.get("commits"), &salt)?;
    let mut include: Vec<&str> = rev.into_iter().collect();
    include.extend(ctx.query.get_all("include"));
    let exclude = ctx.query.get_all("exclude");
    let commits = if include.is_empty() {
        let all = ctx.ds.commits(&repo.uuid);
        if exclude.is_empty() {
            Some(all)
        } else {
            let refs: Vec<String> = ctx
                .ds
                .branches(&repo.uuid)
                .iter()
                .map(|b| b.name.clone())
                .chain(ctx.ds.tags(&repo.uuid).iter().map(|t| t.name.clone()))
                .collect();
            let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
            ctx.ds.commits_between(&repo.uuid, &refs, &exclude)
        }
    } else {
        ctx.ds.commits_between(&repo.uuid, &include, &exclude)
    };
    let Some(commits) = commits else {
        let what = rev.unwrap_or("include/exclude");
        return Err(ApiError::not_found(format!("Commit not found: {what}")));
    };
    let rows = commits.into_iter().map(|c| git::commit(ctx.links, ctx.ds, repo, c)).collect();
    let links = LinkBase {
        web_root: &ctx.links.web,
        raw_path: ctx.raw_path,
        query: ctx.query,
    };
    let env = cursor::envelope(rows, offset, pagelen, links, &salt);
    let fields = ctx.query.single("fields")?.map(FieldSpec::parse).unwrap_or_default();
    Ok(fields.apply_owned(env, &[]))
}
