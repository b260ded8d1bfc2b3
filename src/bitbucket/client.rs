//! One reqwest client per connection: auth header, timeout, retries with backoff for GETs,
//! and one rate-limit pause shared by every request of the connection.

use super::error::ApiError;
use crate::auth::Credentials;
use parking_lot::Mutex;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Longest single wait for a 429, whatever Retry-After says.
const MAX_RATE_WAIT: Duration = Duration::from_secs(120);

pub struct Client {
    pub(super) http: reqwest::Client,
    base: String,
    pub(super) creds: Credentials,
    timeout_secs: u64,
    pub(super) max_retries: u32,
    /// After a 429 no request of this connection starts before this instant.
    pub(super) paused_until: Mutex<Option<Instant>>,
}

pub struct ClientOptions {
    pub base_url: String,
    pub creds: Credentials,
    pub timeout_secs: u64,
    pub max_retries: u32,
    pub proxy: Option<String>,
}

impl Client {
    pub fn new(o: ClientOptions) -> Result<Client, ApiError> {
        let mut b = reqwest::Client::builder()
            .timeout(Duration::from_secs(o.timeout_secs.max(1)))
            .connect_timeout(Duration::from_secs(o.timeout_secs.clamp(1, 30)))
            .user_agent(concat!("bitbucket-odbc/", env!("CARGO_PKG_VERSION")));
        if let Some(p) = o.proxy.filter(|p| !p.is_empty()) {
            let proxy = reqwest::Proxy::all(&p).map_err(|e| ApiError::Connect {
                url: p.clone(),
                reason: format!("invalid ProxyServer: {e}"),
            })?;
            b = b.proxy(proxy);
        }
        let http = b.build().map_err(|e| ApiError::Connect {
            url: o.base_url.clone(),
            reason: e.to_string(),
        })?;
        Ok(Client {
            http,
            base: o.base_url.trim_end_matches('/').to_string(),
            creds: o.creds,
            timeout_secs: o.timeout_secs,
            max_retries: o.max_retries,
            paused_until: Mutex::new(None),
        })
    }

    pub fn creds(&self) -> &Credentials {
        &self.creds
    }

    /// An absolute URL for `path` (already percent-encoded segments) and query pairs.
    pub fn url(&self, path: &str, query: &[(&str, String)]) -> String {
        let mut u = format!("{}{}", self.base, path);
        if !query.is_empty() {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in query {
                ser.append_pair(k, v);
            }
            u.push('?');
            u.push_str(&ser.finish().replace('+', "%20"));
        }
        u
    }

    /// GET returning JSON, retrying 429, 5xx, 555 and connection failures.
    pub async fn get_json(&self, url: &str) -> Result<Value, ApiError> {
        let mut attempt = 0u32;
        loop {
            let r = self.get_once(url).await;
            let retry = match &r {
                Err(ApiError::Status { status, .. }) => *status >= 500,
                Err(ApiError::Connect { .. }) | Err(ApiError::Timeout { .. }) => true,
                Err(ApiError::RateLimited { .. }) => true,
                _ => false,
            };
            if !retry || attempt >= self.max_retries {
                return r;
            }
            let wait = match &r {
                Err(ApiError::RateLimited { retry_after, .. }) => {
                    let wait = retry_after
                        .map(Duration::from_secs)
                        .unwrap_or_else(|| jitter(Duration::from_millis(2000 << attempt.min(6))))
                        .min(MAX_RATE_WAIT);
                    // Every request of the connection waits, not only this one.
                    let until = Instant::now() + wait;
                    let mut p = self.paused_until.lock();
                    *p = Some(p.map_or(until, |old| old.max(until)));
                    wait
                }
                _ => jitter(Duration::from_millis(250 << attempt.min(6))),
            };
            attempt += 1;
            tracing::warn!(url = %redact(url), attempt, "retrying after {:?}", wait);
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt, no retries (the connect-time check: a refused connection should fail fast),
    /// except that an OAuth 401 renews the token once and asks again.
    pub async fn get_once(&self, url: &str) -> Result<Value, ApiError> {
        let auth = self.creds.header().await?;
        let r = self.attempt(url, auth.as_deref()).await;
        if matches!(r, Err(ApiError::Status { status: 401, .. })) && self.creds.renew_after_401(auth.as_deref()).await? {
            tracing::info!("OAuth token renewed after a 401; asking again");
            let auth = self.creds.header().await?;
            return self.attempt(url, auth.as_deref()).await;
        }
        r
    }

    async fn attempt(&self, url: &str, auth: Option<&str>) -> Result<Value, ApiError> {
        let paused = *self.paused_until.lock();
        if let Some(until) = paused.filter(|u| *u > Instant::now()) {
            tokio::time::sleep_until(until.into()).await;
        }
        tracing::debug!(url = %redact(url), "GET");
        let mut req = self.http.get(url).header("Accept", "application/json");
        if let Some(h) = auth {
            req = req.header("Authorization", h);
        }
        let resp = req.send().await.map_err(|e| self.transport_error(url, e))?;
        let status = resp.status().as_u16();
        let path = path_of(url);
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        if header("X-RateLimit-NearLimit").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
            tracing::warn!(path = %path, "Bitbucket says this connection's rate limit is nearly used up");
        }
        if status == 429 {
            let retry_after = header("Retry-After").and_then(|v| v.trim().parse::<u64>().ok());
            return Err(ApiError::RateLimited { path, retry_after });
        }
        let body = resp.bytes().await.map_err(|e| self.transport_error(url, e))?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&body).map_err(|e| ApiError::Decode {
                path,
                reason: e.to_string(),
            });
        }
        Err(error_from_body(status, &body, path))
    }

    pub(super) fn transport_error(&self, url: &str, e: reqwest::Error) -> ApiError {
        if e.is_timeout() {
            ApiError::Timeout {
                url: path_of(url),
                secs: self.timeout_secs,
            }
        } else {
            // The innermost cause ("Connection refused") is what tells the user what to fix.
            let mut reason = e.to_string();
            let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
            while let Some(s) = src {
                reason = s.to_string();
                src = s.source();
            }
            if e.is_body() || e.is_decode() {
                // Bitbucket was reached and had started answering: say the connection broke.
                reason = format!("the connection broke before the whole answer arrived ({reason})");
            }
            ApiError::Connect {
                url: self.base.clone(),
                reason,
            }
        }
    }
}

/// Up to a quarter more, so that clients backing off together do not retry together.
fn jitter(d: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|t| t.subsec_nanos())
        .unwrap_or(0);
    d + d.mul_f64(f64::from(nanos % 1000) / 4000.0)
}

/// Bitbucket's `{"type":"error","error":{"message","detail"}}`, or the raw text.
pub fn error_from_body(status: u16, body: &[u8], path: String) -> ApiError {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let err = json.as_ref().and_then(|j| j.get("error"));
    let message = err
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .map(String::from)
        .unwrap_or_else(|| {
            String::from_utf8_lossy(body)
                .chars()
                .take(300)
                .collect::<String>()
                .trim()
                .to_string()
        });
    // Validation errors of a POST/PUT name the fields: `{"title": ["This field is required."]}`.
    let message = match err.and_then(|e| e.get("fields")).and_then(Value::as_object) {
        Some(f) if !f.is_empty() => {
            let fields: Vec<String> = f
                .iter()
                .map(|(k, v)| match v {
                    Value::Array(a) => format!(
                        "{k}: {}",
                        a.iter()
                            .map(|x| x.as_str().map(String::from).unwrap_or_else(|| x.to_string()))
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                    Value::String(s) => format!("{k}: {s}"),
                    other => format!("{k}: {other}"),
                })
                .collect();
            format!("{}. Field errors: {}", message.trim_end_matches('.'), fields.join("; "))
        }
        _ => message,
    };
    let detail = err.and_then(|e| e.get("detail")).cloned();
    ApiError::Status {
        status,
        message,
        detail,
        path,
    }
}

/// The URL's path, for messages: queries can be long and are not needed to act.
pub fn path_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => u.path().to_string(),
        Err(_) => url.split('?').next().unwrap_or("").to_string(),
    }
}

fn redact(url: &str) -> String {
    // URLs carry no credentials (the header does), but strip userinfo defensively.
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_password(None);
            let _ = u.set_username("");
            u.to_string()
        }
        Err(_) => path_of(url),
    }
}
