//! HTTP side of the OAuth server: `GET /site/oauth2/authorize` and
//! `POST /site/oauth2/access_token`. Like API calls they get the latency switch, "fail path"
//! faults and a request-log entry, but no rate limit and no "fail next". Codes, tokens and the
//! form body never reach the log; the token endpoint logs its `grant_type`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use url::form_urlencoded;

use super::{Authorize, AuthorizeRequest, ClientAuth, Consumer, OAuthError};
use crate::errors::ApiError;
use crate::log::LoggedRequest;
use crate::query::QueryParams;
use crate::server::{redirect, AppState};

pub const AUTHORIZE_PATH: &str = "/site/oauth2/authorize";
pub const TOKEN_PATH: &str = "/site/oauth2/access_token";

/// Token requests are a few hundred bytes; anything huge is a client bug.
const MAX_BODY: usize = 64 * 1024;

/// Query keys whose values are masked in the logged URL should a client put them there.
const SECRET_KEYS: &[&str] = &["code", "refresh_token", "access_token", "client_secret", "password"];

pub async fn authorize(State(st): State<Arc<AppState>>, req: Request) -> Response {
    logged(&st, req, |st, parts, _| (authorize_reply(st, parts), None)).await
}

pub async fn access_token(State(st): State<Arc<AppState>>, req: Request) -> Response {
    logged(&st, req, token_reply).await
}

/// Latency, path faults and the log entry around one OAuth request.
async fn logged(st: &AppState, req: Request, handle: impl FnOnce(&AppState, &Parts, &[u8]) -> (Response, Option<String>)) -> Response {
    let flight = st.log.begin();
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, MAX_BODY).await;
    let path = parts.uri.path().to_string();
    let latency = st.switches.read().faults.latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let (resp, grant_type) = match (st.take_path_fault(&path), body) {
        (Some(status), _) => {
            let esc = st.switches.read().escape_unicode;
            (ApiError::injected(status).into_response_with(esc), None)
        }
        (None, Ok(body)) => handle(st, &parts, &body),
        (None, Err(_)) => (oauth_error(&OAuthError::invalid_request("Request body too large"), false), None),
    };
    st.log.record(LoggedRequest {
        body: None,
        seq: flight.seq,
        method: parts.method.to_string(),
        url: loggable_url(&path, parts.uri.query()),
        path,
        status: resp.status().as_u16(),
        auth: auth_kind(&parts).to_string(),
        grant_type,
        dropped: false,
        start: flight.start,
        end: Instant::now(),
    });
    drop(flight);
    resp
}

fn authorize_reply(st: &AppState, parts: &Parts) -> Response {
    if parts.method != Method::GET && parts.method != Method::HEAD {
        return html(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed", "Use GET.");
    }
    let q = QueryParams::parse(parts.uri.query());
    let one = |k| q.single(k).map_err(|_| ());
    let (Ok(client_id), Ok(response_type), Ok(state), Ok(redirect_uri)) =
        (one("client_id"), one("response_type"), one("state"), one("redirect_uri"))
    else {
        return html(StatusCode::BAD_REQUEST, "Invalid request", "A parameter was given more than once.");
    };
    // `scope` is accepted and ignored: tokens carry the permissions ticked on the consumer.
    let req = AuthorizeRequest {
        client_id,
        response_type,
        state,
        redirect_uri,
    };
    let ds = st.data.read().clone();
    let user_of = |c: &Consumer| ds.user_by_email(c.owner_email).map(|u| u.uuid.clone()).unwrap_or_default();
    match st.oauth.authorize(&req, user_of, Instant::now()) {
        Authorize::Redirect(location) => redirect(&location),
        Authorize::Page(c) => consent_page(c),
        Authorize::Refused(msg) => html(
            StatusCode::BAD_REQUEST,
            msg,
            "The application's authorization request is not valid.",
        ),
    }
}

fn token_reply(st: &AppState, parts: &Parts, body: &[u8]) -> (Response, Option<String>) {
    let basic = client_auth(parts);
    let used_basic = matches!(basic, ClientAuth::Basic { .. });
    if parts.method != Method::POST {
        let e = OAuthError::invalid_request("The token endpoint only accepts POST");
        let mut r = oauth_error(&e, false);
        *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        return (r, None);
    }
    let form_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    if !form_type {
        let e = OAuthError::invalid_request("The body must be application/x-www-form-urlencoded");
        return (oauth_error(&e, false), None);
    }
    let form = QueryParams::parse(Some(&String::from_utf8_lossy(body)));
    let grant_type = form.get_all("grant_type").first().map(|g| g.chars().take(64).collect());
    let ds = st.data.read().clone();
    let user_of = |c: &Consumer| ds.user_by_email(c.owner_email).map(|u| u.uuid.clone()).unwrap_or_default();
    let resp = match st.oauth.token(&basic, &form, user_of, Instant::now()) {
        Ok(v) => {
            let mut r = (StatusCode::OK, v.to_string()).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
            r
        }
        Err(e) => oauth_error(&e, used_basic),
    };
    (resp, grant_type)
}

fn client_auth(parts: &Parts) -> ClientAuth {
    let Some(h) = parts.headers.get(header::AUTHORIZATION) else {
        return ClientAuth::Absent;
    };
    let h = String::from_utf8_lossy(h.as_bytes());
    let (scheme, rest) = h.trim().split_once(' ').unwrap_or((h.trim(), ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return ClientAuth::Malformed;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    match decoded.as_deref().and_then(|d| d.split_once(':')) {
        Some((key, secret)) => ClientAuth::Basic {
            key: key.to_string(),
            secret: secret.to_string(),
        },
        None => ClientAuth::Malformed,
    }
}

/// `{"error", "error_description"}`; a 401 after Basic client auth names the scheme (RFC 6749 5.2).
fn oauth_error(e: &OAuthError, used_basic: bool) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = (status, e.to_json().to_string()).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if e.status == 401 && used_basic {
        h.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"Bitbucket.org HTTP\""),
        );
    }
    r
}

fn auth_kind(parts: &Parts) -> &'static str {
    let Some(h) = parts.headers.get(header::AUTHORIZATION) else {
        return "none";
    };
    let h = String::from_utf8_lossy(h.as_bytes()).trim().to_ascii_lowercase();
    if h.starts_with("basic ") {
        "basic"
    } else if h.starts_with("bearer ") {
        "bearer"
    } else {
        "other"
    }
}

/// The URL as sent, unless a secret-looking parameter is in it: then re-encoded with it masked.
fn loggable_url(path: &str, query: Option<&str>) -> String {
    let Some(q) = query else {
        return path.to_string();
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes()).into_owned().collect();
    if !pairs.iter().any(|(k, _)| SECRET_KEYS.contains(&k.as_str())) {
        return format!("{path}?{q}");
    }
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        ser.append_pair(k, if SECRET_KEYS.contains(&k.as_str()) { "***" } else { v });
    }
    format!("{path}?{}", ser.finish())
}

fn html(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html><head><title>{title}</title></head>\
         <body><h1>{title}</h1><p>{text}</p></body></html>\n"
    );
    let mut r = (status, Body::from(body)).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r
}

/// What a user who never answers sees: the grant form, and no redirect.
fn consent_page(c: &Consumer) -> Response {
    let scopes: String = c.scopes.iter().map(|s| format!("<li>{s}</li>")).collect();
    let text = format!(
        "{} is requesting access to your Bitbucket account.</p><ul>{scopes}</ul>\
         <form method=\"post\"><button name=\"decision\" value=\"grant\">Grant access</button>\
         <button name=\"decision\" value=\"cancel\">Cancel</button></form><p>",
        c.name
    );
    html(StatusCode::OK, "Authorize application", &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_in_the_log() {
        assert_eq!(loggable_url("/p", None), "/p");
        assert_eq!(loggable_url("/p", Some("client_id=a%20b&state=x")), "/p?client_id=a%20b&state=x");
        assert_eq!(loggable_url("/p", Some("code=abc&state=x")), "/p?code=***&state=x");
    }
}
