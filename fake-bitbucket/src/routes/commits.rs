//! `/commits` and `/commits/{revision}` (reference 4.7): iterator pagination (opaque `page`
//! tokens, no `size`/`previous`), `include`/`exclude` (repeatable), no BBQL, no sort.

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::{Ctx, Reply, RepoRef};
use crate::cursor;
use crate::errors::ApiError;
use crate::fields::FieldSpec;
use crate::paginate::LinkBase;
use crate::render::git::{self, CommitRow, RepoCtx};

pub fn list(ctx: &Ctx<'_>, r: &RepoRef, rev: Option<&str>) -> Result<Reply, ApiError> {
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
    let links = LinkBase {
        web_root: &ctx.links.web,
        raw_path: ctx.raw_path,
        query: ctx.query,
    };
    let fields = ctx.query.single("fields")?.map(FieldSpec::parse).unwrap_or_default();
    if ctx.switches.generic_lists && !fields.is_empty() {
        // The reference path (tests compare the page-only path below against it).
        let rows = commits.into_iter().map(|c| git::commit(ctx.links, ctx.ds, repo, c)).collect();
        let env = cursor::envelope(rows, offset, pagelen, links, &salt);
        return Ok(Reply::Json(fields.apply(&env, &[])));
    }
    let repo_ctx = RepoCtx::new(ctx.links, ctx.ds, repo);
    let page = commits
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(pagelen as usize);
    let total = commits.len() as u64;
    if !fields.is_empty() {
        // `fields` only prunes the envelope of this page: render the page's rows alone.
        let rows = page
            .map(|c| serde_json::to_value(CommitRow::new(ctx.links, ctx.ds, &repo_ctx, c)).unwrap_or(Value::Null))
            .collect();
        let env = cursor::envelope_page(total, rows, offset, pagelen, links, &salt, "page");
        return Ok(Reply::Json(fields.apply_owned(env, &[])));
    }
    // Without `fields` the page is the whole answer: serialize only its rows, straight away.
    let rows: Vec<CommitRow> = page.map(|c| CommitRow::new(ctx.links, ctx.ds, &repo_ctx, c)).collect();
    let doc = cursor::Page {
        next: cursor::next_url(total, offset, pagelen, links, &salt, "page"),
        pagelen,
        values: &rows,
    };
    serde_json::to_string(&doc)
        .map(Reply::Text)
        .map_err(|e| ApiError::json(500, e.to_string()))
}
