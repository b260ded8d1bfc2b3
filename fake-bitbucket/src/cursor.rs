//! Iterator-based (cursor) pagination (reference 2.2, 8.7): `next` carries an opaque
//! `page=<token>`; there is no `size`, `page` or `previous`, and integer `page` values are
//! rejected with 400 so that a client cannot compute page URLs.

use serde_json::{json, Map, Value};

use crate::config::Limit;
use crate::errors::ApiError;
use crate::paginate::{parse_page_request, LinkBase};
use crate::query::QueryParams;

const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MASK: u64 = 0x5dee_ce66_da3b_1f27;

fn check(offset: u64, salt: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ offset;
    for b in salt.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h & 0xffff
}

/// An opaque token for `offset`; `salt` (the request path) ties it to one collection.
pub fn encode(offset: u64, salt: &str) -> String {
    let mut v = ((offset << 16) | check(offset, salt)) ^ MASK;
    let mut s = Vec::new();
    while v > 0 {
        s.push(ALPHABET[(v % 62) as usize]);
        v /= 62;
    }
    // Always starts with a letter, so a token is never an integer.
    let lead = ALPHABET[10 + (check(offset, salt) % 52) as usize];
    s.push(lead);
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

pub fn decode(token: &str, salt: &str) -> Option<u64> {
    let body = token.get(1..)?;
    let mut v: u64 = 0;
    for c in body.bytes() {
        let d = ALPHABET.iter().position(|&a| a == c)? as u64;
        v = v.checked_mul(62)?.checked_add(d)?;
    }
    let v = v ^ MASK;
    let offset = v >> 16;
    (v & 0xffff == check(offset, salt) && encode(offset, salt) == token).then_some(offset)
}

/// Reads `pagelen` (list rules: above max → 400) and the cursor (absent = start).
pub fn parse(q: &QueryParams, limit: Limit, salt: &str) -> Result<(u64, u64), ApiError> {
    parse_param(q, limit, salt, "page")
}

/// Like [`parse`] with the cursor in `param` (`ctx` on pull-request activity).
pub fn parse_param(q: &QueryParams, limit: Limit, salt: &str, param: &str) -> Result<(u64, u64), ApiError> {
    let without_page: Vec<(&str, &str)> = q
        .pairs()
        .iter()
        .filter(|(k, _)| k != "page" && k != param)
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let req = parse_page_request(&QueryParams::from_pairs(&without_page), limit)?;
    let offset = match q.single(param)? {
        None => 0,
        Some(t) => decode(t, salt).ok_or_else(|| ApiError::bad_request("Invalid page"))?,
    };
    Ok((offset, req.pagelen))
}

/// `{pagelen, values, next?}` for the rows from `offset`.
pub fn envelope(rows: Vec<Value>, offset: u64, pagelen: u64, links: LinkBase<'_>, salt: &str) -> Value {
    envelope_param(rows, offset, pagelen, links, salt, "page")
}

/// Like [`envelope`] with the cursor in `param`.
pub fn envelope_param(rows: Vec<Value>, offset: u64, pagelen: u64, links: LinkBase<'_>, salt: &str, param: &str) -> Value {
    let total = rows.len() as u64;
    let values: Vec<Value> = rows.into_iter().skip(offset as usize).take(pagelen as usize).collect();
    envelope_page(total, values, offset, pagelen, links, salt, param)
}

/// The envelope of [`envelope_param`] around `values`, the rows from `offset` among `total`.
pub fn envelope_page(total: u64, values: Vec<Value>, offset: u64, pagelen: u64, links: LinkBase<'_>, salt: &str, param: &str) -> Value {
    let mut m = Map::new();
    m.insert("pagelen".into(), json!(pagelen));
    m.insert("values".into(), Value::Array(values));
    if let Some(next) = next_url(total, offset, pagelen, links, salt, param) {
        m.insert("next".into(), json!(next));
    }
    Value::Object(m)
}

/// `next` of the page at `offset` when rows remain after it.
pub fn next_url(total: u64, offset: u64, pagelen: u64, links: LinkBase<'_>, salt: &str, param: &str) -> Option<String> {
    if offset + pagelen >= total {
        return None;
    }
    let path = links.raw_path.replace('{', "%7B").replace('}', "%7D");
    let token = encode(offset + pagelen, salt);
    Some(format!("{}{}?{}", links.web_root, path, links.query.with_param(param, &token)))
}

/// The envelope of [`envelope`] as a typed document, for rows that serialize themselves.
/// Keys are in sorted order, like a serialized `Value` object.
#[derive(serde::Serialize)]
pub struct Page<'a, T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    pub pagelen: u64,
    pub values: &'a [T],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_roundtrip_and_reject_integers() {
        for off in [0, 1, 30, 99, 12345] {
            let t = encode(off, "/2.0/x");
            assert!(!t.chars().all(|c| c.is_ascii_digit()), "{t}");
            assert_eq!(decode(&t, "/2.0/x"), Some(off));
            assert_eq!(decode(&t, "/2.0/y"), None, "bound to its collection");
        }
        for bad in ["1", "2", "30", "", "abc"] {
            assert_eq!(decode(bad, "/2.0/x"), None, "{bad}");
        }
    }
}
