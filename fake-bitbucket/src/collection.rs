//! The shared pipeline of every list endpoint: `q` → `sort` → page → `fields`.
//! Handlers only build the visible rows in their default order and describe what the endpoint
//! supports; this keeps new endpoints to a few lines.

use serde_json::Value;

use percent_encoding::percent_decode_str;

use crate::bbql;
use crate::cursor;
use crate::errors::ApiError;
use crate::fields::FieldSpec;
use crate::paginate::{envelope, envelope_page, page_range, parse_page_request, LinkBase};
use crate::routes::Ctx;
use crate::shape::has_path;
use crate::sort::{parse_sort, sort_docs};

/// Which fields `q` or `sort` may name.
#[derive(Debug, Clone, Copy)]
pub enum Support {
    /// Any field of the resource's shape.
    AnyField,
    /// Only these (public) names, e.g. `slug` on `/user/workspaces`.
    Only(&'static [&'static str]),
    /// Not applied here: `q` was handled by the endpoint itself / `sort` is silently ignored.
    Ignored,
}

pub struct Collection<'a> {
    /// Key into the page-limit table.
    pub limit_key: &'static str,
    /// Union shape of the row type (to reject unknown fields).
    pub shape: &'a Value,
    pub q: Support,
    pub sort: Support,
    /// Public name → row path (e.g. `slug` → `workspace.slug`).
    pub aliases: &'static [(&'static str, &'static str)],
    /// Row paths present in the rows but shown only when asked for with `fields`.
    pub hidden: &'static [&'static str],
}

impl Collection<'_> {
    fn known(&self, support: Support, path: &[String]) -> bool {
        match support {
            Support::AnyField => has_path(self.shape, path),
            Support::Only(names) => names.contains(&path.join(".").as_str()),
            Support::Ignored => true,
        }
    }

    fn alias(&self, path: &[String]) -> Vec<String> {
        let joined = path.join(".");
        match self.aliases.iter().find(|(public, _)| *public == joined) {
            Some((_, real)) => real.split('.').map(str::to_string).collect(),
            None => path.to_vec(),
        }
    }
}

/// `q` then `sort` (as the collection allows).
fn filter_sort(ctx: &Ctx<'_>, c: &Collection<'_>, rows: &mut Vec<Value>) -> Result<(), ApiError> {
    if !matches!(c.q, Support::Ignored) {
        if let Some(q) = ctx.query.single("q")? {
            if !q.trim().is_empty() {
                let mut expr = bbql::parse(q).map_err(ApiError::invalid_query)?;
                bbql::validate(&expr, &|p| c.known(c.q, p)).map_err(ApiError::invalid_query)?;
                expr.map_paths(&|p| c.alias(p));
                rows.retain(|r| bbql::matches(&expr, r));
            }
        }
    }
    if !matches!(c.sort, Support::Ignored) {
        if let Some(s) = ctx.query.single("sort")? {
            let mut spec = parse_sort(s, &|p| c.known(c.sort, p))?;
            spec.path = c.alias(&spec.path);
            sort_docs(rows, &spec);
        }
    }
    Ok(())
}

/// Filters, sorts and pages `rows` (already visible to the caller, in default order).
pub fn respond(ctx: &Ctx<'_>, c: &Collection<'_>, mut rows: Vec<Value>) -> Result<Value, ApiError> {
    let req = parse_page_request(ctx.query, ctx.switches.limits.get(c.limit_key))?;
    let fields = ctx.query.single("fields")?.map(FieldSpec::parse).unwrap_or_default();
    filter_sort(ctx, c, &mut rows)?;
    let links = LinkBase {
        web_root: &ctx.links.web,
        raw_path: ctx.raw_path,
        query: ctx.query,
    };
    let env = envelope(rows, req, links, ctx.switches.past_end_404)?;
    let hidden: Vec<String> = c.hidden.iter().map(|h| format!("values.{h}")).collect();
    Ok(fields.apply_owned(env, &hidden))
}

/// `true` when neither `q`, `sort` nor `fields` changes the rows: the page can then be
/// rendered alone. Malformed parameters answer `false` so that [`respond`] reports them.
pub fn is_plain(ctx: &Ctx<'_>, c: &Collection<'_>) -> bool {
    keeps_order(ctx, c) && matches!(ctx.query.single("fields"), Ok(None))
}

/// `true` when neither `q` nor `sort` changes which rows make up a page (and the `fields`
/// parameter is well-formed): the requested page can be selected before rendering, and
/// `fields` applied to that page's envelope alone. The envelope [`respond`] builds is exactly
/// this page under the same envelope keys, so the answer is the same.
pub fn keeps_order(ctx: &Ctx<'_>, c: &Collection<'_>) -> bool {
    if ctx.switches.generic_lists {
        return false;
    }
    let q = ctx.query.single("q");
    let q_plain = matches!(c.q, Support::Ignored) || matches!(q, Ok(None)) || matches!(q, Ok(Some(q)) if q.trim().is_empty());
    let sort_plain = matches!(c.sort, Support::Ignored) || matches!(ctx.query.single("sort"), Ok(None));
    q_plain && sort_plain && ctx.query.single("fields").is_ok()
}

/// [`respond`] for rows rendered on demand: in the [`keeps_order`] case only the requested
/// page's rows are rendered, then `fields` (if any) is applied to that page's envelope.
pub fn respond_with<T>(ctx: &Ctx<'_>, c: &Collection<'_>, items: &[T], render: impl Fn(&T) -> Value) -> Result<Value, ApiError> {
    if !keeps_order(ctx, c) {
        return respond(ctx, c, items.iter().map(render).collect());
    }
    // Same order of checks as `respond`: page parameters, then `fields`.
    let req = parse_page_request(ctx.query, ctx.switches.limits.get(c.limit_key))?;
    let fields = ctx.query.single("fields")?.map(FieldSpec::parse).unwrap_or_default();
    let total = items.len() as u64;
    let values = items[page_range(total, req)].iter().map(render).collect();
    let links = LinkBase {
        web_root: &ctx.links.web,
        raw_path: ctx.raw_path,
        query: ctx.query,
    };
    let env = envelope_page(total, values, req, links, ctx.switches.past_end_404)?;
    let hidden: Vec<String> = c.hidden.iter().map(|h| format!("values.{h}")).collect();
    Ok(fields.apply_owned(env, &hidden))
}

/// Iterator pagination (reference 2.2): `q`/`sort` as the collection allows, then an opaque
/// cursor in `param` (`page` for comments and commits, `ctx` for activity); no `size`,
/// `page` or `previous` in the envelope.
pub fn respond_iter(ctx: &Ctx<'_>, c: &Collection<'_>, mut rows: Vec<Value>, param: &str) -> Result<Value, ApiError> {
    let salt = percent_decode_str(ctx.raw_path).decode_utf8_lossy().to_lowercase();
    let (offset, pagelen) = cursor::parse_param(ctx.query, ctx.switches.limits.get(c.limit_key), &salt, param)?;
    let fields = ctx.query.single("fields")?.map(FieldSpec::parse).unwrap_or_default();
    filter_sort(ctx, c, &mut rows)?;
    let links = LinkBase {
        web_root: &ctx.links.web,
        raw_path: ctx.raw_path,
        query: ctx.query,
    };
    let env = cursor::envelope_param(rows, offset, pagelen, links, &salt, param);
    let hidden: Vec<String> = c.hidden.iter().map(|h| format!("values.{h}")).collect();
    Ok(fields.apply_owned(env, &hidden))
}

/// A single object: only `fields` applies.
pub fn respond_one(ctx: &Ctx<'_>, doc: Value, hidden: &[&str]) -> Result<Value, ApiError> {
    let fields = ctx.query.single("fields")?.map(FieldSpec::parse).unwrap_or_default();
    let hidden: Vec<String> = hidden.iter().map(|h| h.to_string()).collect();
    Ok(fields.apply_owned(doc, &hidden))
}
