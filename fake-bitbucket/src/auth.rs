//! Authentication, scopes and visibility (reference 5, 8.17-8.20).
//!
//! API tokens are Basic `email:token` with granular scopes; access/OAuth tokens are Bearer with
//! classic scopes. `?access_token=` and app passwords are refused with 401. No credentials =
//! anonymous: public data only. Bearer tokens minted by the OAuth server (`crate::oauth`) come
//! in through the lookup given to [`authenticate_with`].

use base64::Engine;

use crate::data::{CredentialKind, Dataset, Project, Repository, Workspace, WorkspaceRole};
use crate::errors::ApiError;
use crate::query::QueryParams;

/// How the request tried to authenticate (for the request log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    None,
    Basic,
    Bearer,
    /// `?access_token=` (refused).
    QueryToken,
    /// Any other `Authorization` scheme.
    Other,
}

impl AuthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::None => "none",
            AuthKind::Basic => "basic",
            AuthKind::Bearer => "bearer",
            AuthKind::QueryToken => "query_token",
            AuthKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    Anonymous,
    User {
        user_uuid: String,
    },
    /// Bot of a workspace access token: sees its workspace like a member.
    Bot {
        user_uuid: String,
        workspace_uuid: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Scopes {
    Anonymous,
    Granular(Vec<String>),
    Classic(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub principal: Principal,
    pub scopes: Scopes,
    pub kind: AuthKind,
    /// Bucket for rate limiting (per user for API tokens, per token for access tokens, per
    /// consumer for OAuth tokens).
    pub rate_key: String,
    /// Key of the consumer when the caller is a token from the OAuth server.
    pub oauth_consumer: Option<String>,
}

/// A bearer token minted by the OAuth server, as the authenticator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedToken {
    pub user_uuid: String,
    pub scopes: Vec<String>,
    pub consumer_key: String,
    pub expired: bool,
}

/// Result of looking at the request's credentials; `kind` and `rate_key` exist even on failure.
#[derive(Debug, Clone)]
pub struct AuthOutcome {
    pub kind: AuthKind,
    pub rate_key: String,
    pub result: Result<Caller, ApiError>,
}

/// The scope an endpoint needs, in both families (from the bundled OpenAPI file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// `None` = any classic token will do (e.g. `GET /workspaces/{ws}`).
    pub classic: Option<&'static str>,
    pub granular: &'static str,
}

pub const READ_USER: Scope = Scope {
    classic: Some("account"),
    granular: "read:user:bitbucket",
};
pub const READ_WORKSPACE: Scope = Scope {
    classic: Some("account"),
    granular: "read:workspace:bitbucket",
};
pub const READ_WORKSPACE_ANY: Scope = Scope {
    classic: None,
    granular: "read:workspace:bitbucket",
};
pub const READ_PROJECT: Scope = Scope {
    classic: Some("project"),
    granular: "read:project:bitbucket",
};
pub const READ_REPOSITORY: Scope = Scope {
    classic: Some("repository"),
    granular: "read:repository:bitbucket",
};

pub const READ_PULLREQUEST: Scope = Scope {
    classic: Some("pullrequest"),
    granular: "read:pullrequest:bitbucket",
};
pub const READ_ISSUE: Scope = Scope {
    classic: Some("issue"),
    granular: "read:issue:bitbucket",
};
pub const READ_PIPELINE: Scope = Scope {
    classic: Some("pipeline"),
    granular: "read:pipeline:bitbucket",
};

/// `/workspaces/{ws}/permissions/repositories`.
pub const READ_REPO_PERMISSIONS: Scope = Scope {
    classic: Some("account"),
    granular: "read:repository:bitbucket",
};
/// Project `permissions-config`.
pub const READ_PROJECT_PERMISSIONS: Scope = Scope {
    classic: Some("project:admin"),
    granular: "read:project:bitbucket",
};
pub const READ_WEBHOOK: Scope = Scope {
    classic: Some("webhook"),
    granular: "read:webhook:bitbucket",
};
/// Branch restrictions: only the admin scope lets one read them.
pub const ADMIN_REPOSITORY: Scope = Scope {
    classic: Some("repository:admin"),
    granular: "admin:repository:bitbucket",
};

/// Classic scopes imply lower ones; `repository:admin` famously does not imply `repository`.
/// Granular scopes never imply each other.
fn classic_implies(granted: &str, required: &str) -> bool {
    if granted == required {
        return true;
    }
    let implied: &[&str] = match granted {
        "repository:write" => &["repository"],
        "pullrequest" => &["repository"],
        "pullrequest:write" => &["pullrequest", "repository:write", "repository"],
        "issue:write" => &["issue"],
        "snippet:write" => &["snippet"],
        "account:write" => &["account"],
        "project:write" => &["project"],
        "project:admin" => &["project:write", "project"],
        "pipeline:write" => &["pipeline"],
        "runner:write" => &["runner"],
        _ => &[],
    };
    implied.contains(&required)
}

pub fn authenticate(ds: &Dataset, header: Option<&str>, query: &QueryParams) -> AuthOutcome {
    authenticate_with(ds, header, query, |_| None)
}

/// Like [`authenticate`]; bearer tokens missing from the credential table are looked up with
/// `issued` (the OAuth server's tokens).
pub fn authenticate_with(
    ds: &Dataset,
    header: Option<&str>,
    query: &QueryParams,
    issued: impl FnOnce(&str) -> Option<IssuedToken>,
) -> AuthOutcome {
    let fail = |kind, key: String, e| AuthOutcome {
        kind,
        rate_key: key,
        result: Err(e),
    };
    if query.has("access_token") {
        // Query-string tokens are refused since 2026-05-04 (reference 1).
        return fail(AuthKind::QueryToken, "query-token".into(), ApiError::token_invalid());
    }
    let Some(header) = header.map(str::trim) else {
        return AuthOutcome {
            kind: AuthKind::None,
            rate_key: "anonymous".into(),
            result: Ok(Caller {
                principal: Principal::Anonymous,
                scopes: Scopes::Anonymous,
                kind: AuthKind::None,
                rate_key: "anonymous".into(),
                oauth_consumer: None,
            }),
        };
    };
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("basic") {
        let key = format!("basic:{rest}");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        let Some((user, secret)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
            return fail(AuthKind::Basic, key, ApiError::token_invalid());
        };
        let found = ds.credentials.iter().find(|c| match &c.kind {
            CredentialKind::ApiToken { email, token } => email.eq_ignore_ascii_case(user) && token == secret,
            CredentialKind::AppPassword { username, password } => username == user && password == secret,
            CredentialKind::AccessToken { .. } => false,
        });
        // A username that is not an e-mail is an app password: always refused now.
        let cred = match found {
            Some(c) if c.usable && !c.expired && user.contains('@') => c,
            _ => return fail(AuthKind::Basic, key, ApiError::token_invalid()),
        };
        let rate_key = format!("user:{}", cred.user_uuid);
        return AuthOutcome {
            kind: AuthKind::Basic,
            rate_key: rate_key.clone(),
            result: Ok(Caller {
                principal: Principal::User {
                    user_uuid: cred.user_uuid.clone(),
                },
                scopes: Scopes::Granular(cred.scopes.clone()),
                kind: AuthKind::Basic,
                rate_key,
                oauth_consumer: None,
            }),
        };
    }
    if scheme.eq_ignore_ascii_case("bearer") {
        let key = format!("bearer:{rest}");
        let found = ds
            .credentials
            .iter()
            .find(|c| matches!(&c.kind, CredentialKind::AccessToken { token } if token == rest));
        if found.is_none() {
            if let Some(t) = issued(rest) {
                // OAuth is rate-limited per consumer, whoever the user (reference 6.3).
                let key = format!("oauth:{}", t.consumer_key);
                if t.expired {
                    return fail(AuthKind::Bearer, key, ApiError::token_expired());
                }
                return AuthOutcome {
                    kind: AuthKind::Bearer,
                    rate_key: key.clone(),
                    result: Ok(Caller {
                        principal: Principal::User { user_uuid: t.user_uuid },
                        scopes: Scopes::Classic(t.scopes),
                        kind: AuthKind::Bearer,
                        rate_key: key,
                        oauth_consumer: Some(t.consumer_key),
                    }),
                };
            }
        }
        let cred = match found {
            Some(c) if c.expired => return fail(AuthKind::Bearer, key, ApiError::token_expired()),
            Some(c) if c.usable => c,
            _ => return fail(AuthKind::Bearer, key, ApiError::token_invalid()),
        };
        let principal = match &cred.workspace_uuid {
            Some(ws) => Principal::Bot {
                user_uuid: cred.user_uuid.clone(),
                workspace_uuid: ws.clone(),
            },
            None => Principal::User {
                user_uuid: cred.user_uuid.clone(),
            },
        };
        return AuthOutcome {
            kind: AuthKind::Bearer,
            rate_key: key.clone(),
            result: Ok(Caller {
                principal,
                scopes: Scopes::Classic(cred.scopes.clone()),
                kind: AuthKind::Bearer,
                rate_key: key,
                oauth_consumer: None,
            }),
        };
    }
    fail(AuthKind::Other, format!("other:{header}"), ApiError::token_invalid())
}

/// What a caller may do in one workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Access {
    /// Sees everything in the workspace (member or the workspace's own access token).
    pub member: bool,
    /// Workspace administrator (owner role).
    pub admin: bool,
    pub role: Option<WorkspaceRole>,
    /// The caller is the workspace's access token.
    pub token: bool,
}

impl Caller {
    pub fn is_anonymous(&self) -> bool {
        self.principal == Principal::Anonymous
    }

    pub fn user_uuid(&self) -> Option<&str> {
        match &self.principal {
            Principal::Anonymous => None,
            Principal::User { user_uuid } | Principal::Bot { user_uuid, .. } => Some(user_uuid),
        }
    }

    /// True for bearer tokens of the credential table: they get `X-RateLimit-*` headers.
    /// Tokens from the OAuth server do not (reference 6.3: OAuth gets none).
    pub fn is_access_token(&self) -> bool {
        self.kind == AuthKind::Bearer && self.oauth_consumer.is_none()
    }

    /// 403 with required/granted scopes when the credential lacks the endpoint's scope.
    pub fn check_scope(&self, need: Scope) -> Result<(), ApiError> {
        match &self.scopes {
            Scopes::Anonymous => Ok(()),
            Scopes::Granular(g) => {
                if g.iter().any(|s| s == need.granular) {
                    Ok(())
                } else {
                    Err(ApiError::missing_scope(&[need.granular], g))
                }
            }
            Scopes::Classic(g) => match need.classic {
                None => Ok(()),
                Some(req) if g.iter().any(|s| classic_implies(s, req)) => Ok(()),
                Some(req) => Err(ApiError::missing_scope(&[req], g)),
            },
        }
    }

    pub fn access(&self, ds: &Dataset, ws: &Workspace) -> Access {
        match &self.principal {
            Principal::Anonymous => Access::default(),
            Principal::User { user_uuid } => match ds.membership(&ws.uuid, user_uuid) {
                Some(m) => Access {
                    member: true,
                    admin: m.is_admin(),
                    role: Some(m.permission),
                    token: false,
                },
                None => Access::default(),
            },
            Principal::Bot { workspace_uuid, .. } if *workspace_uuid == ws.uuid => Access {
                member: true,
                admin: false,
                role: None,
                token: true,
            },
            Principal::Bot { .. } => Access::default(),
        }
    }

    pub fn can_see_workspace(&self, ds: &Dataset, ws: &Workspace) -> bool {
        !ws.is_private || self.access(ds, ws).member
    }

    pub fn can_see_project(&self, ds: &Dataset, p: &Project) -> bool {
        !p.is_private || ds.workspace_by_uuid(&p.workspace_uuid).is_some_and(|w| self.access(ds, w).member)
    }

    pub fn can_see_repo(&self, ds: &Dataset, r: &Repository) -> bool {
        !r.is_private || ds.workspace_by_uuid(&r.workspace_uuid).is_some_and(|w| self.access(ds, w).member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds;
    use crate::data::{generate, Scale};
    use crate::errors::{ErrorBody, MSG_TOKEN_EXPIRED, MSG_TOKEN_INVALID};

    fn auth(h: Option<&str>) -> AuthOutcome {
        authenticate(&generate(1, &Scale::small()), h, &QueryParams::default())
    }

    fn message(e: &ApiError) -> String {
        match &e.body {
            ErrorBody::Json(v) => v["error"]["message"].as_str().unwrap_or("").to_string(),
            ErrorBody::Text { text, .. } => text.clone(),
        }
    }

    #[test]
    fn outcomes() {
        let ok = auth(Some(&creds::analyst())).result.unwrap();
        assert!(matches!(ok.principal, Principal::User { .. }));
        assert!(ok.check_scope(READ_REPOSITORY).is_ok());

        let viewer = auth(Some(&creds::viewer())).result.unwrap();
        let e = viewer.check_scope(READ_REPOSITORY).unwrap_err();
        assert_eq!(e.status, 403);

        let bot = auth(Some(&creds::bearer(creds::WORKSPACE_TOKEN))).result.unwrap();
        assert!(matches!(bot.principal, Principal::Bot { .. }));
        assert!(bot.check_scope(READ_REPOSITORY).is_ok());

        for (h, msg) in [
            (creds::basic(creds::ANALYST_EMAIL, "wrong"), MSG_TOKEN_INVALID),
            (creds::basic(creds::ANALYST_EMAIL, creds::UNSCOPED_TOKEN), MSG_TOKEN_INVALID),
            (creds::basic(creds::LEGACY_USERNAME, creds::LEGACY_APP_PASSWORD), MSG_TOKEN_INVALID),
            (creds::bearer("nope"), MSG_TOKEN_INVALID),
            (creds::bearer(creds::ANALYST_TOKEN), MSG_TOKEN_INVALID),
            (creds::bearer(creds::EXPIRED_TOKEN), MSG_TOKEN_EXPIRED),
            ("Basic !!!notbase64".to_string(), MSG_TOKEN_INVALID),
            ("Digest abc".to_string(), MSG_TOKEN_INVALID),
        ] {
            let e = auth(Some(&h)).result.unwrap_err();
            assert_eq!((e.status, message(&e).as_str()), (401, msg), "{h}");
        }
        assert!(auth(None).result.unwrap().is_anonymous());
        let q = QueryParams::parse(Some("access_token=oauth-analyst-0001"));
        let out = authenticate(&generate(1, &Scale::small()), None, &q);
        assert_eq!(out.result.unwrap_err().status, 401);
    }

    #[test]
    fn classic_scope_implications() {
        assert!(classic_implies("pullrequest", "repository"));
        assert!(classic_implies("repository:write", "repository"));
        assert!(!classic_implies("repository:admin", "repository"));
    }
}
