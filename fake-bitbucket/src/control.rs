//! `/_fake/*` control endpoints for tests written in other languages (not logged, never
//! rate-limited or failed on purpose).
//!
//! `POST /_fake/config` takes any subset of:
//! `{"latency_ms": 50, "fail_next": {"count": 2, "status": 503} | null,
//!   "fail_path": {"contains": "/projects", "status": 500} | null,
//!   "drop_next": {"count": 2, "at": "headers" | "body", "after": 0} | null,
//!   "drop_path": {"contains": "/commits", "at": "body"} | null,
//!   "rate_limit": {"requests": 5, "window_secs": 60} | null, "retry_after": true,
//!   "past_end_404": false, "escape_unicode": true, "pipelines_omit_next": true,
//!   "reject_unsupported_q": false, "pr_state_with_q": "and" | "ignore_state",
//!   "limits": {"repositories": {"default": 10, "max": 50}}}`
//!
//! `GET|POST /_fake/oauth` reads / merges the OAuth server's settings
//! `{"expires_in": 7200, "consent": "approve" | "deny" | "page", "callback": "http://localhost:33333"}`
//! and shows read-only counters; `POST /_fake/oauth/expire` expires every live access token,
//! `POST /_fake/oauth/reset` restores the defaults and forgets every code and token.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::config::{DropAt, DropNext, DropPath, FailNext, FailPath, Limit, PrStateWithQ, Switches};
use crate::errors::ApiError;
use crate::oauth::endpoints::{AUTHORIZE_PATH, TOKEN_PATH};
use crate::oauth::{Consent, OAuthSettings};
use crate::server::AppState;

pub async fn requests(State(st): State<Arc<AppState>>) -> Response {
    Json(st.log.to_json()).into_response()
}

pub async fn stats(State(st): State<Arc<AppState>>) -> Response {
    let mut v = st.log.stats_json();
    let c = st.cache.stats();
    v["response_cache"] = json!({
        "enabled": st.cache.enabled(),
        "entries": c.entries,
        "bytes": c.bytes,
        "hits": c.hits,
        "misses": c.misses,
        "evictions": c.evictions,
        "invalidations": c.invalidations,
    });
    Json(v).into_response()
}

/// Clears the request log, the concurrency peak, all rate-limit windows and the OAuth counters
/// (accounting only: switches, OAuth settings and issued tokens stay).
pub async fn reset(State(st): State<Arc<AppState>>) -> Response {
    st.log.reset();
    st.rate.reset();
    st.oauth.reset_counters();
    // Undo the tests' writes, so every test starts from the generated data.
    *st.data.write() = st.pristine.clone();
    StatusCode::NO_CONTENT.into_response()
}

pub async fn get_config(State(st): State<Arc<AppState>>) -> Response {
    Json(config_json(&st)).into_response()
}

pub async fn set_config(State(st): State<Arc<AppState>>, body: Bytes) -> Response {
    let patch: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return ApiError::bad_request(format!("Invalid JSON: {e}")).into_response(),
    };
    let mut sw = st.switches.read().clone();
    if let Err(msg) = apply_patch(&mut sw, &patch) {
        return ApiError::bad_request(msg).into_response();
    }
    *st.switches.write() = sw;
    Json(config_json(&st)).into_response()
}

fn config_json(st: &AppState) -> Value {
    let sw = st.switches.read().clone();
    let limits: Map<String, Value> = sw
        .limits
        .per_endpoint
        .iter()
        .map(|(k, l)| (k.clone(), json!({"default": l.default, "max": l.max})))
        .collect();
    json!({
        "base_url": st.links.api,
        "seed": st.seed,
        "latency_ms": sw.faults.latency_ms,
        "fail_next": sw.faults.fail_next.map(|f| json!({"count": f.count, "status": f.status})),
        "fail_path": sw.faults.fail_path.as_ref().map(|f| json!({"contains": f.contains, "status": f.status})),
        "drop_next": sw.faults.drop_next.map(|d| json!({"count": d.count, "at": d.at.as_str(), "after": d.after})),
        "drop_path": sw.faults.drop_path.as_ref().map(|d| json!({"contains": d.contains, "at": d.at.as_str()})),
        "rate_limit": sw.rate_limit.map(|(n, w)| json!({"requests": n, "window_secs": w.as_secs_f64()})),
        "retry_after": sw.retry_after,
        "past_end_404": sw.past_end_404,
        "escape_unicode": sw.escape_unicode,
        "pipelines_omit_next": sw.pipelines_omit_next,
        "reject_unsupported_q": sw.reject_unsupported_q,
        "pr_state_with_q": sw.pr_state_with_q.as_str(),
        "limits": limits,
    })
}

pub async fn get_oauth(State(st): State<Arc<AppState>>) -> Response {
    Json(oauth_json(&st)).into_response()
}

pub async fn set_oauth(State(st): State<Arc<AppState>>, body: Bytes) -> Response {
    let patch: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return ApiError::bad_request(format!("Invalid JSON: {e}")).into_response(),
    };
    let mut s = st.oauth.settings();
    if let Err(msg) = apply_oauth_patch(&mut s, &patch) {
        return ApiError::bad_request(msg).into_response();
    }
    st.oauth.set_settings(s);
    Json(oauth_json(&st)).into_response()
}

/// Every live access token expires now, so a test can watch the driver refresh on the 401.
pub async fn expire_oauth(State(st): State<Arc<AppState>>) -> Response {
    let n = st.oauth.expire_all(std::time::Instant::now());
    Json(json!({"expired": n})).into_response()
}

pub async fn reset_oauth(State(st): State<Arc<AppState>>) -> Response {
    st.oauth.reset();
    Json(oauth_json(&st)).into_response()
}

fn oauth_json(st: &AppState) -> Value {
    let s = st.oauth.settings();
    let c = st.oauth.counters();
    json!({
        "expires_in": s.expires_in,
        "consent": s.consent.as_str(),
        "callback": s.callback,
        "codes_issued": c.codes_issued,
        "tokens_issued": c.tokens_issued,
        "refreshes": c.refreshes,
        "authorize_url": format!("{}{AUTHORIZE_PATH}", st.links.web),
        "token_url": format!("{}{TOKEN_PATH}", st.links.web),
    })
}

/// Longest accepted `expires_in` (ten years): keeps `Instant` arithmetic far from overflow.
const MAX_EXPIRES_IN: u64 = 10 * 365 * 24 * 3600;

/// Merges OAuth settings; counters and URLs are read-only and ignored, so a GET answer can be
/// posted back as it is. Unknown keys are an error.
pub fn apply_oauth_patch(s: &mut OAuthSettings, patch: &Value) -> Result<(), String> {
    let obj = patch.as_object().ok_or("the body must be a JSON object")?;
    for (key, v) in obj {
        match key.as_str() {
            "expires_in" => {
                s.expires_in = uint(v, key)?;
                if s.expires_in > MAX_EXPIRES_IN {
                    return Err(format!("'expires_in' must be at most {MAX_EXPIRES_IN}"));
                }
            }
            "consent" => {
                s.consent = v
                    .as_str()
                    .and_then(Consent::parse)
                    .ok_or("'consent' must be \"approve\", \"deny\" or \"page\"")?
            }
            "callback" => {
                let cb = v.as_str().ok_or("'callback' must be a string")?;
                if !crate::oauth::valid_callback(cb) {
                    return Err("'callback' must be an absolute URL without spaces or non-ASCII characters".into());
                }
                s.callback = cb.to_string();
            }
            "codes_issued" | "tokens_issued" | "refreshes" | "authorize_url" | "token_url" => {}
            other => return Err(format!("unknown OAuth setting '{other}'")),
        }
    }
    Ok(())
}

fn uint(v: &Value, what: &str) -> Result<u64, String> {
    v.as_u64().ok_or_else(|| format!("'{what}' must be a non-negative integer"))
}

fn status(v: &Value) -> Result<u16, String> {
    match v.get("status").map(|s| uint(s, "status")).transpose()? {
        Some(s) if (100..=999).contains(&s) => Ok(s as u16),
        Some(_) => Err("'status' must be an HTTP status code".into()),
        None => Ok(500),
    }
}

/// `at` of a dropped connection: `"headers"` or `"body"` (the default).
fn drop_at(v: &Value) -> Result<DropAt, String> {
    match v.get("at") {
        None | Some(Value::Null) => Ok(DropAt::default()),
        Some(a) => a
            .as_str()
            .and_then(DropAt::by_name)
            .ok_or_else(|| "'at' must be \"headers\" or \"body\"".to_string()),
    }
}

fn boolean(v: &Value, what: &str) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| format!("'{what}' must be true or false"))
}

/// Applies a partial configuration; unknown keys are an error so typos do not go unnoticed.
pub fn apply_patch(sw: &mut Switches, patch: &Value) -> Result<(), String> {
    let obj = patch.as_object().ok_or("the body must be a JSON object")?;
    for (key, v) in obj {
        match key.as_str() {
            "latency_ms" => sw.faults.latency_ms = uint(v, key)?,
            "fail_next" if v.is_null() => sw.faults.fail_next = None,
            "fail_next" => {
                let count = uint(v.get("count").unwrap_or(&json!(1)), "count")?;
                let count = u32::try_from(count).map_err(|_| "'count' is too large")?;
                sw.faults.fail_next = (count > 0).then_some(FailNext { count, status: status(v)? });
            }
            "fail_path" if v.is_null() => sw.faults.fail_path = None,
            "fail_path" => {
                let contains = v
                    .get("contains")
                    .and_then(Value::as_str)
                    .ok_or("'fail_path.contains' must be a string")?;
                sw.faults.fail_path = Some(FailPath {
                    contains: contains.to_string(),
                    status: status(v)?,
                });
            }
            "drop_next" if v.is_null() => sw.faults.drop_next = None,
            "drop_next" => {
                let count = uint(v.get("count").unwrap_or(&json!(1)), "count")?;
                let count = u32::try_from(count).map_err(|_| "'count' is too large")?;
                let after = uint(v.get("after").unwrap_or(&json!(0)), "after")?;
                let after = u32::try_from(after).map_err(|_| "'after' is too large")?;
                sw.faults.drop_next = (count > 0).then_some(DropNext {
                    count,
                    at: drop_at(v)?,
                    after,
                });
            }
            "drop_path" if v.is_null() => sw.faults.drop_path = None,
            "drop_path" => {
                let contains = v
                    .get("contains")
                    .and_then(Value::as_str)
                    .ok_or("'drop_path.contains' must be a string")?;
                sw.faults.drop_path = Some(DropPath {
                    contains: contains.to_string(),
                    at: drop_at(v)?,
                });
            }
            "rate_limit" if v.is_null() => sw.rate_limit = None,
            "rate_limit" => {
                let n = uint(v.get("requests").unwrap_or(&Value::Null), "requests")?;
                let secs = v.get("window_secs").and_then(Value::as_f64).unwrap_or(3600.0);
                if !(secs > 0.0 && secs < 1e9) {
                    return Err("'window_secs' must be a positive number".into());
                }
                let n = u32::try_from(n).map_err(|_| "'requests' is too large")?;
                sw.rate_limit = Some((n, Duration::from_secs_f64(secs)));
            }
            "retry_after" => sw.retry_after = boolean(v, key)?,
            "past_end_404" => sw.past_end_404 = boolean(v, key)?,
            "escape_unicode" => sw.escape_unicode = boolean(v, key)?,
            "pipelines_omit_next" => sw.pipelines_omit_next = boolean(v, key)?,
            "reject_unsupported_q" => sw.reject_unsupported_q = boolean(v, key)?,
            "pr_state_with_q" => {
                sw.pr_state_with_q = match v.as_str() {
                    Some("and") => PrStateWithQ::And,
                    Some("ignore_state") => PrStateWithQ::IgnoreState,
                    _ => return Err("'pr_state_with_q' must be \"and\" or \"ignore_state\"".into()),
                }
            }
            "limits" => {
                let m = v.as_object().ok_or("'limits' must be an object")?;
                for (name, l) in m {
                    let cur = sw.limits.get(name);
                    let default = l
                        .get("default")
                        .map(|d| uint(d, "default"))
                        .transpose()?
                        .unwrap_or(cur.default as u64);
                    let max = l.get("max").map(|d| uint(d, "max")).transpose()?.unwrap_or(cur.max as u64);
                    let (Ok(default), Ok(max)) = (u32::try_from(default), u32::try_from(max)) else {
                        return Err("limits are too large".into());
                    };
                    sw.limits.set(name, Limit { default, max });
                }
            }
            other => return Err(format!("unknown setting '{other}'")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FakeConfig;

    #[test]
    fn patch_roundtrip() {
        let mut sw = FakeConfig::default().switches();
        apply_patch(
            &mut sw,
            &json!({"latency_ms": 5, "fail_next": {"count": 2, "status": 503},
                    "rate_limit": {"requests": 3, "window_secs": 60}, "retry_after": true,
                    "limits": {"repositories": {"max": 20}}}),
        )
        .unwrap();
        assert_eq!(sw.faults.latency_ms, 5);
        assert_eq!(sw.faults.fail_next, Some(FailNext { count: 2, status: 503 }));
        assert_eq!(sw.rate_limit, Some((3, Duration::from_secs(60))));
        assert_eq!(sw.limits.get("repositories"), Limit { default: 10, max: 20 });
        apply_patch(&mut sw, &json!({"fail_next": null, "rate_limit": null})).unwrap();
        assert_eq!(sw.faults.fail_next, None);
        assert_eq!(sw.rate_limit, None);
        apply_patch(
            &mut sw,
            &json!({"drop_next": {"count": 2}, "drop_path": {"contains": "/commits", "at": "headers"}}),
        )
        .unwrap();
        assert_eq!(
            sw.faults.drop_next,
            Some(DropNext {
                count: 2,
                at: DropAt::Body,
                after: 0
            })
        );
        assert_eq!(sw.faults.drop_path.as_ref().map(|d| d.at), Some(DropAt::Headers));
        assert!(apply_patch(&mut sw, &json!({"drop_next": {"at": "later"}})).is_err());
        apply_patch(&mut sw, &json!({"drop_next": null, "drop_path": null})).unwrap();
        assert_eq!((sw.faults.drop_next, sw.faults.drop_path.clone()), (None, None));
        assert!(apply_patch(&mut sw, &json!({"typo": 1})).is_err());
        assert!(apply_patch(&mut sw, &json!({"latency_ms": -1})).is_err());
    }
}
