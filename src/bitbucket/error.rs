//! What can go wrong talking to Bitbucket, with Bitbucket's own words kept for the user.

use serde_json::Value;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The connection could not be opened, or broke before the answer was complete.
    #[error("no working connection to Bitbucket at {url}: {reason}. Check BaseURL, the network and any proxy (ProxyServer)")]
    Connect { url: String, reason: String },
    #[error("Bitbucket did not answer {url} within {secs} s (Timeout property)")]
    Timeout { url: String, secs: u64 },
    #[error("{}", status_message(*status, message, detail, path))]
    Status {
        status: u16,
        message: String,
        detail: Option<Value>,
        path: String,
    },
    #[error("Bitbucket's rate limit is exhausted for these credentials ({path}); retries gave up. {}", retry_hint(*retry_after))]
    RateLimited { path: String, retry_after: Option<u64> },
    #[error("Bitbucket sent a response the driver cannot read ({path}): {reason}")]
    Decode { path: String, reason: String },
    #[error("the query ran longer than its timeout of {secs} s (SQL_ATTR_QUERY_TIMEOUT) and was stopped")]
    QueryTimeout { secs: u64 },
    #[error("the operation was cancelled")]
    Cancelled,
    /// OAuth sign-in, token exchange or refresh failed; the text says what to do.
    #[error("{0}")]
    Auth(String),
}

fn status_message(status: u16, message: &str, detail: &Option<Value>, path: &str) -> String {
    let detail = match detail {
        Some(Value::String(s)) if !s.is_empty() => format!(" ({})", s.lines().next().unwrap_or("")),
        _ => String::new(),
    };
    let hint = match status {
        401 => ". Check the credentials: AuthScheme=Basic needs your Atlassian account e-mail as User and an API token created with Bitbucket scopes as Password (app passwords no longer work); AuthScheme=AccessToken needs a valid access token",
        403 => ". The credentials are valid but lack a permission or scope for this data",
        404 => ". Check the workspace and repository names, and that these credentials can see them",
        _ => "",
    };
    // Bitbucket's messages usually end with a period; the hint brings its own.
    let said = format!("{message}{detail}");
    let said = if hint.is_empty() {
        said.as_str()
    } else {
        said.trim_end_matches('.')
    };
    format!("Bitbucket answered HTTP {status} for {path}: {said}{hint}")
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Scopes from a 403 `detail` object, when Bitbucket sent them.
    pub fn scopes(&self) -> Option<(Vec<String>, Vec<String>)> {
        let ApiError::Status {
            detail: Some(Value::Object(d)),
            ..
        } = self
        else {
            return None;
        };
        let list = |k: &str| -> Vec<String> {
            d.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        Some((list("required"), list("granted")))
    }
}

fn retry_hint(retry_after: Option<u64>) -> String {
    match retry_after {
        Some(s) => format!("Bitbucket asks to wait {s} s before retrying; run the query again after that, or raise MaxRetries"),
        None => {
            "Wait a few minutes (the limit is about 1,000 requests per rolling hour) and run the query again, or raise MaxRetries".into()
        }
    }
}
