//! Credentials and the Authorization header they produce. OAuth flows come later; the
//! schemes here need no token exchange.

use crate::config::{AuthScheme, Config, ConfigError};

#[derive(Clone)]
pub enum Credentials {
    None,
    Basic { user: String, token: String },
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret, even in debug output.
        match self {
            Credentials::None => write!(f, "None"),
            Credentials::Basic { user, .. } => write!(f, "Basic({user}, ********)"),
            Credentials::Bearer(_) => write!(f, "Bearer(********)"),
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
            AuthScheme::OAuth | AuthScheme::Client => {
                let t = cfg.get("OAuthAccessToken");
                if t.is_empty() {
                    return Err(ConfigError(
                        "OAuth sign-in is not available in this build yet: set OAuthAccessToken, or use AuthScheme=Basic or AccessToken"
                            .into(),
                    ));
                }
                Ok(Credentials::Bearer(t.into()))
            }
        }
    }

    pub fn header(&self) -> Option<String> {
        use base64::Engine as _;
        let encode = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        match self {
            Credentials::None => None,
            Credentials::Basic { user, token } => Some(format!("Basic {}", encode(format!("{user}:{token}").as_bytes()))),
            Credentials::Bearer(t) => Some(format!("Bearer {t}")),
        }
    }
}
