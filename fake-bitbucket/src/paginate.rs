//! List-based (offset) pagination and the envelope (reference 2.1, 2.5, 8.5-8.10).
//!
//! `pagelen` above the maximum is rejected, never clamped. `next`/`previous` are absolute and
//! carry every original parameter with only `page` changed.

use std::ops::Range;

use serde_json::{json, Map, Value};

use crate::config::Limit;
use crate::errors::ApiError;
use crate::query::QueryParams;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based.
    pub page: u64,
    pub pagelen: u64,
}

/// Reads `page` and `pagelen`. Bad `pagelen` (non-integer, negative, above max) → 400
/// "Invalid pagelen"; `pagelen=0` is undefined upstream and is treated as the default here.
pub fn parse_page_request(q: &QueryParams, limit: Limit) -> Result<PageRequest, ApiError> {
    let pagelen = match q.single("pagelen").map_err(|_| ApiError::invalid_pagelen())? {
        None => limit.default as u64,
        Some(s) => {
            let n: i64 = s.trim().parse().map_err(|_| ApiError::invalid_pagelen())?;
            if n < 0 || n > limit.max as i64 {
                return Err(ApiError::invalid_pagelen());
            }
            if n == 0 {
                limit.default as u64
            } else {
                n as u64
            }
        }
    };
    let page = match q.single("page")? {
        None => 1,
        Some(s) => match s.parse::<u64>() {
            Ok(n) if n >= 1 => n,
            _ => return Err(ApiError::bad_request("Invalid page")),
        },
    };
    Ok(PageRequest { page, pagelen })
}

/// Where the envelope's links point: `web_root` + the raw request path + re-encoded query.
#[derive(Debug, Clone, Copy)]
pub struct LinkBase<'a> {
    pub web_root: &'a str,
    pub raw_path: &'a str,
    pub query: &'a QueryParams,
}

impl LinkBase<'_> {
    pub fn page_url(&self, page: u64) -> String {
        // A client may send `{uuid}` raw; the links always carry it encoded.
        let path = self.raw_path.replace('{', "%7B").replace('}', "%7D");
        format!("{}{}?{}", self.web_root, path, self.query.with_page(&page.to_string()))
    }
}

/// Slices `rows` and wraps the page in the envelope. A page past the end gives empty `values`
/// without `next` (or 404 when `past_end_404`).
pub fn envelope(rows: Vec<Value>, req: PageRequest, links: LinkBase<'_>, past_end_404: bool) -> Result<Value, ApiError> {
    let total = rows.len() as u64;
    let range = page_range(total, req);
    let values: Vec<Value> = rows.into_iter().skip(range.start).take(range.len()).collect();
    envelope_page(total, values, req, links, past_end_404)
}

/// Positions of the requested page's rows among `total` rows (empty past the end).
pub fn page_range(total: u64, req: PageRequest) -> Range<usize> {
    let offset = (req.page - 1).saturating_mul(req.pagelen);
    let end = offset.saturating_add(req.pagelen).min(total);
    let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    to_usize(offset.min(total))..to_usize(end)
}

/// The envelope around `values`, the rows of [`page_range`] among `total`.
pub fn envelope_page(total: u64, values: Vec<Value>, req: PageRequest, links: LinkBase<'_>, past_end_404: bool) -> Result<Value, ApiError> {
    let pages = total.div_ceil(req.pagelen.max(1));
    if req.page > pages.max(1) && past_end_404 {
        return Err(ApiError::not_found("Page not found"));
    }
    let mut m = Map::new();
    m.insert("pagelen".into(), json!(req.pagelen));
    m.insert("size".into(), json!(total));
    m.insert("page".into(), json!(req.page));
    if req.page < pages {
        m.insert("next".into(), json!(links.page_url(req.page + 1)));
    }
    if req.page > 1 && req.page <= pages {
        m.insert("previous".into(), json!(links.page_url(req.page - 1)));
    }
    m.insert("values".into(), Value::Array(values));
    Ok(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limit = Limit { default: 10, max: 100 };

    fn req(qs: &str) -> Result<PageRequest, ApiError> {
        parse_page_request(&QueryParams::parse(Some(qs)), L)
    }

    #[test]
    fn pagelen_rules() {
        assert_eq!(req("").unwrap(), PageRequest { page: 1, pagelen: 10 });
        assert_eq!(req("pagelen=1&page=3").unwrap(), PageRequest { page: 3, pagelen: 1 });
        assert_eq!(req("pagelen=100").unwrap().pagelen, 100);
        for bad in ["pagelen=101", "pagelen=-1", "pagelen=abc", "pagelen=1.5", "pagelen=5&pagelen=6"] {
            let e = req(bad).unwrap_err();
            assert_eq!(e.status, 400, "{bad}");
            assert_eq!(e, ApiError::invalid_pagelen());
        }
        for bad in ["page=0", "page=2/", "page=x", "page=-1"] {
            assert_eq!(req(bad).unwrap_err().status, 400, "{bad}");
        }
    }

    fn rows(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!({ "i": i })).collect()
    }

    #[test]
    fn next_carries_all_params_and_previous() {
        let q = QueryParams::parse(Some("q=a%3D%22b%22&pagelen=2&state=X&state=Y&page=2"));
        let links = LinkBase {
            web_root: "http://h:1",
            raw_path: "/2.0/repositories/acme",
            query: &q,
        };
        let env = envelope(rows(5), PageRequest { page: 2, pagelen: 2 }, links, false).unwrap();
        assert_eq!(
            env["next"],
            "http://h:1/2.0/repositories/acme?q=a%3D%22b%22&pagelen=2&state=X&state=Y&page=3"
        );
        assert_eq!(
            env["previous"],
            "http://h:1/2.0/repositories/acme?q=a%3D%22b%22&pagelen=2&state=X&state=Y&page=1"
        );
        assert_eq!(env["size"], 5);
        assert_eq!(env["values"].as_array().unwrap().len(), 2);
        let last = envelope(rows(5), PageRequest { page: 3, pagelen: 2 }, links, false).unwrap();
        assert!(last.get("next").is_none());
        assert_eq!(last["values"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn empty_and_past_end() {
        let q = QueryParams::default();
        let links = LinkBase {
            web_root: "http://h:1",
            raw_path: "/2.0/x",
            query: &q,
        };
        let env = envelope(vec![], PageRequest { page: 1, pagelen: 10 }, links, false).unwrap();
        assert_eq!(env, json!({"pagelen": 10, "size": 0, "page": 1, "values": []}));
        let env = envelope(rows(3), PageRequest { page: 9, pagelen: 10 }, links, false).unwrap();
        assert!(env.get("next").is_none() && env.get("previous").is_none());
        assert_eq!(env["values"], json!([]));
        let e = envelope(rows(3), PageRequest { page: 2, pagelen: 10 }, links, true).unwrap_err();
        assert_eq!(e.status, 404);
        assert!(envelope(vec![], PageRequest { page: 1, pagelen: 10 }, links, true).is_ok());
    }
}
