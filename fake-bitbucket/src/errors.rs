//! Error answers in the exact shapes Bitbucket Cloud sends (reference sections 6.1 and 8).
//!
//! Most errors are `{"type":"error","error":{"message":..., "detail"?: ...}}`; a few (429,
//! some 5xx from the edge) are plain text, so the body is an enum.

use std::fmt::Write as _;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

pub const MSG_TOKEN_INVALID: &str = "Token is invalid, expired, or not supported for this endpoint.";
pub const MSG_TOKEN_EXPIRED: &str = "Access token expired. Use your refresh token to obtain a new access token.";
pub const MSG_MISSING_SCOPE: &str = "Your credentials lack one or more required privilege scopes.";
pub const MSG_RATE_LIMITED: &str = "Rate limit for this resource has been exceeded";
pub const MSG_INVALID_PAGELEN: &str = "Invalid pagelen";
pub const MSG_RESOURCE_NOT_FOUND: &str = "Resource not found";
pub const DETAIL_NO_API: &str = "There is no API hosted at this URL.\n\nFor information about our API's, please refer to the documentation at: https://developer.atlassian.com/bitbucket/api/2/reference/";
pub const MSG_REPO_NOT_FOUND: &str = "You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.";

/// What goes into the body of an error answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody {
    Json(Value),
    Text { content_type: &'static str, text: String },
}

/// An error answer: status, body and any extra headers (e.g. `Retry-After`).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
    pub headers: Vec<(&'static str, String)>,
}

impl ApiError {
    /// The standard JSON error with only a message.
    pub fn json(status: u16, message: impl Into<String>) -> Self {
        let message: String = message.into();
        ApiError {
            status,
            body: ErrorBody::Json(json!({"type": "error", "error": {"message": message}})),
            headers: Vec::new(),
        }
    }

    /// The standard JSON error with a `detail` (a string or an object, depending on the case).
    pub fn with_detail(status: u16, message: impl Into<String>, detail: Value) -> Self {
        let message: String = message.into();
        ApiError {
            status,
            body: ErrorBody::Json(json!({"type": "error", "error": {"message": message, "detail": detail}})),
            headers: Vec::new(),
        }
    }

    pub fn text(status: u16, content_type: &'static str, text: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody::Text {
                content_type,
                text: text.into(),
            },
            headers: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::json(400, message)
    }

    pub fn invalid_pagelen() -> Self {
        Self::json(400, MSG_INVALID_PAGELEN)
    }

    /// BBQL errors all start with "Invalid query: " (the real text is not stable anyway).
    pub fn invalid_query(reason: impl std::fmt::Display) -> Self {
        Self::json(400, format!("Invalid query: {reason}"))
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::json(404, message)
    }

    /// Unknown API path (reference 6.2 / 8.3).
    pub fn unknown_path() -> Self {
        Self::with_detail(404, MSG_RESOURCE_NOT_FOUND, Value::String(DETAIL_NO_API.into()))
    }

    /// Unknown repository, or a private one the caller cannot see (never 403).
    pub fn repo_not_found() -> Self {
        Self::json(404, MSG_REPO_NOT_FOUND)
    }

    pub fn workspace_not_found(ident: &str) -> Self {
        Self::json(404, format!("No workspace with identifier '{ident}'."))
    }

    pub fn token_invalid() -> Self {
        Self::json(401, MSG_TOKEN_INVALID)
    }

    pub fn token_expired() -> Self {
        Self::json(401, MSG_TOKEN_EXPIRED)
    }

    /// Anonymous caller on an endpoint that needs credentials.
    pub fn unauthenticated() -> Self {
        Self::json(401, "Unauthorized")
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::json(403, message)
    }

    /// 403 with `detail` as an object, as observed for missing scopes (reference 6.2).
    pub fn missing_scope(required: &[&str], granted: &[String]) -> Self {
        Self::with_detail(403, MSG_MISSING_SCOPE, json!({"required": required, "granted": granted}))
    }

    pub fn method_not_allowed() -> Self {
        Self::json(405, "Method not allowed")
    }

    /// The classic plain-text 429 (reference 6.3), optionally with `Retry-After`.
    pub fn rate_limited(retry_after_secs: Option<u64>) -> Self {
        let mut e = Self::text(429, "text/plain", MSG_RATE_LIMITED);
        if let Some(s) = retry_after_secs {
            e.headers.push(("retry-after", s.to_string()));
        }
        e
    }

    /// An injected failure. 502/503 look like an edge proxy (plain text); the others are JSON.
    pub fn injected(status: u16) -> Self {
        match status {
            502 => Self::text(502, "text/plain", "Bad Gateway"),
            503 => Self::text(503, "text/plain", "Service Unavailable"),
            555 => Self::json(555, "The operation timed out. Please try again later."),
            500 => Self::json(500, "Something went wrong"),
            s => Self::json(s, format!("Injected failure ({s})")),
        }
    }

    /// Renders the error; `escape_unicode` mirrors the JSON encoding switch of the server.
    pub fn into_response_with(self, escape_unicode: bool) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = match self.body {
            ErrorBody::Json(v) => json_response(status, &v, escape_unicode),
            ErrorBody::Text { content_type, text } => {
                let mut r = (status, text).into_response();
                r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
                r
            }
        };
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                resp.headers_mut().insert(name, v);
            }
        }
        resp
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.into_response_with(false)
    }
}

/// Serialises JSON, optionally as pure ASCII with `\uXXXX` escapes (surrogate pairs for the
/// astral plane), as Python-based servers do by default; this exercises client unescaping.
pub fn json_response(status: StatusCode, v: &Value, escape_unicode: bool) -> Response {
    json_text_response(status, v.to_string(), escape_unicode)
}

/// Like [`json_response`] for a document already serialized by serde_json.
pub fn json_text_response(status: StatusCode, json: String, escape_unicode: bool) -> Response {
    let text = if escape_unicode { ascii_json(json) } else { json };
    let mut r = (status, text).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    r
}

/// serde_json only emits non-ASCII inside string literals, so escaping every such char is safe.
pub fn to_ascii_json(v: &Value) -> String {
    ascii_json(v.to_string())
}

/// Serialized JSON with every non-ASCII char as `\uXXXX` (surrogate pairs above U+FFFF).
pub fn ascii_json(raw: String) -> String {
    if raw.is_ascii() {
        return raw;
    }
    let mut out = String::with_capacity(raw.len() + raw.len() / 8);
    let mut rest = raw.as_str();
    while let Some(pos) = rest.find(|c: char| !c.is_ascii()) {
        out.push_str(&rest[..pos]);
        let c = rest[pos..].chars().next().unwrap_or_default();
        let mut buf = [0u16; 2];
        for unit in c.encode_utf16(&mut buf) {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{:04x}", unit);
        }
        rest = &rest[pos + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_json_uses_surrogate_pairs() {
        let v = json!({"d": "é🚀"});
        let s = to_ascii_json(&v);
        assert_eq!(s, r#"{"d":"\u00e9\ud83d\ude80"}"#);
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn missing_scope_detail_is_an_object() {
        let e = ApiError::missing_scope(&["read:repository:bitbucket"], &["read:user:bitbucket".into()]);
        assert_eq!(e.status, 403);
        let ErrorBody::Json(v) = e.body else { panic!() };
        assert_eq!(v["error"]["detail"]["required"][0], "read:repository:bitbucket");
        assert_eq!(v["error"]["detail"]["granted"][0], "read:user:bitbucket");
    }
}
