//! Write requests (POST, PUT, DELETE). Each is sent once: Bitbucket may have acted on a
//! request whose answer was lost, so only a 429 (refused before acting) is retried, and an
//! OAuth 401 renews the token once, like reads.

use super::client::{error_from_body, path_of, Client};
use super::error::ApiError;
use serde_json::Value;
use std::time::{Duration, Instant};

impl Client {
    /// Sends `body` as JSON (an empty body when `None`); the answer's JSON, if any, on 2xx.
    pub async fn send_json(&self, method: reqwest::Method, url: &str, body: Option<&Value>) -> Result<Option<Value>, ApiError> {
        let mut attempt = 0u32;
        loop {
            let auth = self.creds.header().await?;
            let mut r = self.send_once(method.clone(), url, body, auth.as_deref()).await;
            if matches!(r, Err(ApiError::Status { status: 401, .. })) && self.creds.renew_after_401(auth.as_deref()).await? {
                let auth = self.creds.header().await?;
                r = self.send_once(method.clone(), url, body, auth.as_deref()).await;
            }
            match &r {
                Err(ApiError::RateLimited { retry_after, .. }) if attempt < self.max_retries => {
                    let wait = retry_after
                        .map(Duration::from_secs)
                        .unwrap_or_else(|| Duration::from_millis(2000 << attempt.min(6)))
                        .min(Duration::from_secs(120));
                    attempt += 1;
                    tracing::warn!(url = %path_of(url), attempt, "write rate limited; retrying after {:?}", wait);
                    tokio::time::sleep(wait).await;
                }
                _ => return r,
            }
        }
    }

    async fn send_once(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<&Value>,
        auth: Option<&str>,
    ) -> Result<Option<Value>, ApiError> {
        let paused = *self.paused_until.lock();
        if let Some(until) = paused.filter(|u| *u > Instant::now()) {
            tokio::time::sleep_until(until.into()).await;
        }
        let path = path_of(url);
        tracing::debug!(%method, path = %path, "write");
        let mut req = self.http.request(method, url).header("Accept", "application/json");
        if let Some(h) = auth {
            req = req.header("Authorization", h);
        }
        req = match body {
            Some(b) => req.header("Content-Type", "application/json").body(b.to_string()),
            // Bitbucket answers 411 to a body-less POST without Content-Length (reference 6.2).
            None => req.body(Vec::<u8>::new()),
        };
        let resp = req.send().await.map_err(|e| self.transport_error(url, e))?;
        let status = resp.status().as_u16();
        if status == 429 {
            let retry_after = resp
                .headers()
                .get("Retry-After")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            return Err(ApiError::RateLimited { path, retry_after });
        }
        let bytes = resp.bytes().await.map_err(|e| self.transport_error(url, e))?;
        if (200..300).contains(&status) {
            // 204 and some 200s carry no body.
            return Ok(serde_json::from_slice(&bytes).ok());
        }
        Err(error_from_body(status, &bytes, path))
    }
}
