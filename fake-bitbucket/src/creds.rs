//! Credentials known to the fake, with helpers to build `Authorization` headers.
//!
//! | Credential | Header | Outcome |
//! | --- | --- | --- |
//! | `analyst@example.com` / `bbtoken-analyst-0001` | Basic | the default user, all read scopes |
//! | `analyst@example.com` / `bbtoken-writer-0004` | Basic | the analyst with read and write scopes (INSERT/UPDATE/DELETE tests) |
//! | `viewer@example.com` / `bbtoken-viewer-0002` | Basic | only `read:user:bitbucket` → 403 elsewhere |
//! | `analyst@example.com` / `unscoped-token-0003` | Basic | 401 (unscoped API token) |
//! | `wat-acme-0001` | Bearer | workspace access token for acme (bot `app_user`) |
//! | `oauth-analyst-0001` | Bearer | OAuth-style token acting as the analyst |
//! | `expired-token-0001` | Bearer | 401 "Access token expired…" |
//! | `legacy-user` / `app-password-1` | Basic | 401 (app passwords are gone) |
//! | `consumer-key-0001` / `consumer-secret-0001` | Basic, token endpoint only | private OAuth consumer of the analyst (all grants) |
//! | `public-key-0002` / `public-secret-0002` | Basic, token endpoint only | OAuth consumer that is not private: no `client_credentials` |
//!
//! Tokens minted by `/site/oauth2/access_token` are Bearer credentials acting as the analyst with
//! [`ACCESS_TOKEN_SCOPES`] (see `crate::oauth`).

use base64::Engine;

pub const ANALYST_EMAIL: &str = "analyst@example.com";
pub const ANALYST_TOKEN: &str = "bbtoken-analyst-0001";
/// The analyst's token that may also write (issues, pull requests, refs).
pub const WRITER_TOKEN: &str = "bbtoken-writer-0004";
pub const VIEWER_EMAIL: &str = "viewer@example.com";
pub const VIEWER_TOKEN: &str = "bbtoken-viewer-0002";
/// A real but unscoped Atlassian API token: Bitbucket refuses it with 401.
pub const UNSCOPED_TOKEN: &str = "unscoped-token-0003";
/// Workspace access token bound to `acme`.
pub const WORKSPACE_TOKEN: &str = "wat-acme-0001";
/// OAuth-style bearer token of the analyst.
pub const OAUTH_TOKEN: &str = "oauth-analyst-0001";
pub const EXPIRED_TOKEN: &str = "expired-token-0001";
pub const LEGACY_USERNAME: &str = "legacy-user";
pub const LEGACY_APP_PASSWORD: &str = "app-password-1";
/// Private OAuth consumer owned by the analyst: every grant, including `client_credentials`.
pub const CONSUMER_KEY: &str = "consumer-key-0001";
pub const CONSUMER_SECRET: &str = "consumer-secret-0001";
/// A consumer that is not private: `client_credentials` is refused (`unauthorized_client`).
pub const PUBLIC_CONSUMER_KEY: &str = "public-key-0002";
pub const PUBLIC_CONSUMER_SECRET: &str = "public-secret-0002";

/// Granular read scopes held by the analyst's API token.
pub const ALL_READ_SCOPES: &[&str] = &[
    "read:user:bitbucket",
    "read:workspace:bitbucket",
    "read:project:bitbucket",
    "read:repository:bitbucket",
    "read:pullrequest:bitbucket",
    "read:issue:bitbucket",
    "read:pipeline:bitbucket",
    "read:webhook:bitbucket",
    "read:permission:bitbucket",
    "read:snippet:bitbucket",
    "read:runner:bitbucket",
    // Branch restrictions can only be read with the admin scope (reference 4.15).
    "admin:repository:bitbucket",
];

/// Granular write scopes held, with the read ones, by the writer token.
pub const WRITE_SCOPES: &[&str] = &[
    "write:issue:bitbucket",
    "delete:issue:bitbucket",
    "write:pullrequest:bitbucket",
    "write:repository:bitbucket",
    "admin:project:bitbucket",
    "delete:repository:bitbucket",
    "write:pipeline:bitbucket",
];

/// Classic scopes held by the bearer tokens and the OAuth consumers.
pub const ACCESS_TOKEN_SCOPES: &[&str] = &[
    "account",
    "project",
    "repository",
    "pullrequest",
    "issue",
    "pipeline",
    "webhook",
    "snippet",
    "wiki",
    // Workspace tokens carry the admin scopes (reference 5.1): branch restrictions and
    // project permissions need them.
    "repository:admin",
    "project:admin",
];

/// `Basic base64(user:secret)`.
pub fn basic(user: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"))
    )
}

/// `Bearer token`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// The default user's header.
pub fn analyst() -> String {
    basic(ANALYST_EMAIL, ANALYST_TOKEN)
}

pub fn viewer() -> String {
    basic(VIEWER_EMAIL, VIEWER_TOKEN)
}
