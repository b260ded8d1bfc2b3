//! Walking a collection: follow `next` verbatim; when the server rejects `pagelen`, halve it
//! (floor 10) and try again once per halving.

use super::{ApiError, Client};
use serde_json::Value;

/// One page: its rows and where the next page is.
pub struct Page {
    pub values: Vec<Value>,
    pub next: Option<String>,
    /// On the first page of a list-based collection that reports `size`: the URLs of every
    /// later page, which may be fetched concurrently instead of following `next`.
    pub rest: Vec<String>,
}

pub fn parse_page(v: Value, url: &str) -> Result<Page, ApiError> {
    let Value::Object(mut o) = v else {
        return Err(ApiError::Decode {
            path: super::client::path_of(url),
            reason: "expected a JSON object".into(),
        });
    };
    let values = match o.remove("values") {
        Some(Value::Array(a)) => a,
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            return Err(ApiError::Decode {
                path: super::client::path_of(url),
                reason: "`values` is not an array".into(),
            })
        }
    };
    let next = o.remove("next").and_then(|n| n.as_str().map(String::from));
    let next = next.or_else(|| missing_next(&o, url));
    let rest = next.as_deref().map(|n| later_pages(&o, n)).unwrap_or_default();
    Ok(Page { values, next, rest })
}

/// Pages 2..N of a list whose first page says `page: 1` and `size`, built from `next` (which
/// must carry an integer `page=2`; iterator tokens are opaque and only followed).
fn later_pages(o: &serde_json::Map<String, Value>, next: &str) -> Vec<String> {
    let num = |k: &str| o.get(k).and_then(Value::as_u64);
    let (Some(1), Some(pagelen), Some(size)) = (num("page"), num("pagelen"), num("size")) else {
        return Vec::new();
    };
    let Ok(u) = url::Url::parse(next) else { return Vec::new() };
    if pagelen == 0 || !u.query_pairs().any(|(k, v)| k == "page" && v == "2") {
        return Vec::new();
    }
    let pages = size.div_ceil(pagelen);
    (2..=pages).map(|p| with_page(&u, p)).collect()
}

fn with_page(u: &url::Url, page: u64) -> String {
    let mut u = u.clone();
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .into_owned()
        .map(|(k, v)| if k == "page" { (k, page.to_string()) } else { (k, v) })
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

/// Pipelines lists may send `page`, `pagelen` and `size` but no `next` (BCLOUD-20639): when
/// the counts say more pages exist, the next URL is the same one with `page + 1`.
fn missing_next(o: &serde_json::Map<String, Value>, url: &str) -> Option<String> {
    let num = |k: &str| o.get(k).and_then(Value::as_u64);
    let (page, pagelen, size) = (num("page")?, num("pagelen")?, num("size")?);
    if pagelen == 0 || page * pagelen >= size {
        return None;
    }
    let mut u = url::Url::parse(url).ok()?;
    let pairs: Vec<(String, String)> = u.query_pairs().into_owned().filter(|(k, _)| k != "page").collect();
    u.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("page", &(page + 1).to_string());
    Some(u.to_string())
}

/// GET one page, shrinking `pagelen` on 400 "Invalid pagelen".
pub async fn get_page(client: &Client, url: &str) -> Result<Page, ApiError> {
    let mut url = url.to_string();
    loop {
        match client.get_json(&url).await {
            Ok(v) => return parse_page(v, &url),
            Err(ApiError::Status {
                status: 400, ref message, ..
            }) if message.contains("pagelen") => match halve_pagelen(&url) {
                Some(u) => {
                    tracing::info!("server rejected pagelen; retrying with a smaller one");
                    url = u;
                }
                None => {
                    return Err(ApiError::Status {
                        status: 400,
                        message: message.clone(),
                        detail: None,
                        path: super::client::path_of(&url),
                    })
                }
            },
            Err(e) => return Err(e),
        }
    }
}

fn halve_pagelen(url: &str) -> Option<String> {
    let mut u = url::Url::parse(url).ok()?;
    let pairs: Vec<(String, String)> = u.query_pairs().into_owned().collect();
    let cur: u32 = pairs.iter().find(|(k, _)| k == "pagelen")?.1.parse().ok()?;
    if cur <= 10 {
        return None;
    }
    let new = (cur / 2).max(10);
    u.query_pairs_mut().clear();
    for (k, v) in pairs {
        let v = if k == "pagelen" { new.to_string() } else { v };
        u.query_pairs_mut().append_pair(&k, &v);
    }
    Some(u.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn halves_pagelen_keeping_other_params() {
        let u = super::halve_pagelen("http://h/2.0/x?q=a%3D%22b%22&pagelen=100&state=OPEN&state=MERGED").unwrap();
        assert!(u.contains("pagelen=50"));
        assert!(u.contains("state=OPEN&state=MERGED"));
        assert!(super::halve_pagelen("http://h/x?pagelen=10").is_none());
    }

    #[test]
    fn synthesises_the_missing_next_of_pipelines() {
        let v = serde_json::json!({"page": 1, "pagelen": 10, "size": 25, "values": []});
        let p = super::parse_page(v, "http://h/2.0/p?pagelen=10&sort=-created_on").unwrap();
        assert_eq!(p.next.as_deref(), Some("http://h/2.0/p?pagelen=10&sort=-created_on&page=2"));
        let v = serde_json::json!({"page": 3, "pagelen": 10, "size": 25, "values": []});
        assert!(super::parse_page(v, "http://h/2.0/p?page=3").unwrap().next.is_none());
    }
}
