//! Credentials and the Authorization header they produce; OAuth tokens come from `oauth`.

pub mod browser;
pub mod callback;
pub mod grants;
pub mod oauth;
pub mod store;
pub mod tokens;

use crate::bitbucket::ApiError;
use crate::config::{AuthScheme, Config, ConfigError};
use oauth::OAuthSession;
use std::sync::Arc;

#[derive(Clone)]
pub enum Credentials {
    None,
    Basic { user: String, token: String },
    Bearer(String),
    OAuth(Arc<OAuthSession>),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret, even in debug output.
        match self {
            Credentials::None => write!(f, "None"),
            Credentials::Basic { user, .. } => write!(f, "Basic({user}, ********)"),
            Credentials::Bearer(_) => write!(f, "Bearer(********)"),
            Credentials::OAuth(s) => write!(f, "OAuth({})", s.consumer.client_id),
        }
    }
}

impl Credentials {
    pub fn from_config(cfg: &Config) -> Result<Credentials, ConfigError> {
        match cfg.auth_scheme()? {
            AuthScheme::None => Ok(Credentials::None),
            AuthScheme::Basic => {
                let user = cfg.get("User");
                let token = cfg.get("Password");
                if user.is_empty() || token.is_empty() {
                    return Err(ConfigError(
                        "AuthScheme=Basic needs User (your Atlassian account e-mail) and Password (an API token with Bitbucket scopes)"
                            .into(),
                    ));
                }
                Ok(Credentials::Basic {
                    user: user.into(),
                    token: token.into(),
                })
            }
            AuthScheme::AccessToken => {
                let t = cfg.get("AccessToken");
                if t.is_empty() {
                    return Err(ConfigError("AuthScheme=AccessToken needs the AccessToken property".into()));
                }
                Ok(Credentials::Bearer(t.into()))
            }
            s @ (AuthScheme::OAuth | AuthScheme::Client) => Ok(Credentials::OAuth(Arc::new(OAuthSession::from_config(cfg, s)?))),
        }
    }

    /// Obtains the first OAuth token (stored, refreshed, or through the browser); others: nothing to do.
    pub async fn start(&self) -> Result<(), ApiError> {
        match self {
            Credentials::OAuth(s) => s.start().await,
            _ => Ok(()),
        }
    }

    pub fn oauth(&self) -> Option<&Arc<OAuthSession>> {
        match self {
            Credentials::OAuth(s) => Some(s),
            _ => None,
        }
    }

    pub async fn header(&self) -> Result<Option<String>, ApiError> {
        use base64::Engine as _;
        let encode = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        Ok(match self {
            Credentials::None => None,
            Credentials::Basic { user, token } => Some(format!("Basic {}", encode(format!("{user}:{token}").as_bytes()))),
            Credentials::Bearer(t) => Some(format!("Bearer {t}")),
            Credentials::OAuth(s) => Some(s.header().await?),
        })
    }

    /// After a 401: true when a renewed OAuth token makes a retry worthwhile.
    pub async fn renew_after_401(&self, used_header: Option<&str>) -> Result<bool, ApiError> {
        let (Credentials::OAuth(s), Some(h)) = (self, used_header) else {
            return Ok(false);
        };
        s.renew(h.trim_start_matches("Bearer ")).await?;
        Ok(true)
    }
}
