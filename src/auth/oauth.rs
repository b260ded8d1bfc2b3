//! One connection's OAuth state: how its first token is obtained (stored, seeded, browser
//! sign-in, verifier, client credentials) and how it is renewed (before expiry, and once on a
//! 401), with every new token written to the store under its lock.

use super::callback::{Answer, Listener};
use super::grants::{Consumer, Grants};
use super::store::{self, StoreLock, TokenStore};
use super::tokens::Tokens;
use crate::bitbucket::ApiError;
use crate::config::{AuthScheme, Config, ConfigError};
use parking_lot::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initiate {
    GetAndRefresh,
    Refresh,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Authorization code: a user signs in once in a browser.
    Code,
    /// Client credentials: the consumer acts as its owner, no user involved.
    Client,
}

pub struct OAuthSession {
    pub consumer: Consumer,
    flow: Flow,
    initiate: Initiate,
    store: Option<TokenStore>,
    grants: Grants,
    current: Mutex<Option<Tokens>>,
    /// One renewal at a time per connection; the store's lock covers other connections.
    renewing: tokio::sync::Mutex<()>,
    browser_timeout: Duration,
    seed_access: String,
    seed_refresh: String,
    verifier: String,
}

fn auth_err(msg: impl Into<String>) -> ApiError {
    ApiError::Auth(msg.into())
}

impl OAuthSession {
    pub fn from_config(cfg: &Config, scheme: AuthScheme) -> Result<OAuthSession, ConfigError> {
        let flow = if scheme == AuthScheme::Client { Flow::Client } else { Flow::Code };
        let initiate = match cfg.get("InitiateOAuth").trim().to_ascii_uppercase().as_str() {
            "GETANDREFRESH" | "" => Initiate::GetAndRefresh,
            "REFRESH" => Initiate::Refresh,
            "OFF" => Initiate::Off,
            other => {
                return Err(ConfigError(format!(
                    "InitiateOAuth='{other}' is not known: use GETANDREFRESH, REFRESH or OFF"
                )))
            }
        };
        let client_id = cfg.get("OAuthClientId").to_string();
        let client_secret = cfg.get("OAuthClientSecret").to_string();
        let needs_consumer = flow == Flow::Client || initiate != Initiate::Off;
        if needs_consumer && (client_id.is_empty() || client_secret.is_empty()) {
            return Err(ConfigError(match flow {
                Flow::Client => "AuthScheme=Client needs OAuthClientId and OAuthClientSecret: the key and secret of a private OAuth consumer (Workspace settings > OAuth consumers)".into(),
                Flow::Code => "AuthScheme=OAuth needs OAuthClientId and OAuthClientSecret (the OAuth consumer's key and secret), or InitiateOAuth=OFF with OAuthAccessToken".into(),
            }));
        }
        let consumer = Consumer {
            client_id: client_id.clone(),
            client_secret,
            authorize_url: cfg.get("OAuthAuthorizationURL").to_string(),
            token_url: cfg.get("OAuthAccessTokenURL").to_string(),
            callback_url: cfg.get("CallbackURL").to_string(),
        };
        let timeout = cfg.timeout_secs()?;
        let grants = Grants::new(&consumer, timeout, cfg.get("ProxyServer")).map_err(ConfigError)?;
        let store = if client_id.is_empty() {
            None
        } else {
            let kind = if flow == Flow::Client { "-client" } else { "" };
            let name = store::file_name(&client_id, cfg.workspace(), kind);
            Some(TokenStore::new(cfg.get("OAuthSettingsLocation"), &name).map_err(ConfigError)?)
        };
        let browser_secs: u64 = cfg.get("OAuthBrowserTimeout").trim().parse().map_err(|_| {
            ConfigError(format!(
                "OAuthBrowserTimeout={} is not a valid number",
                cfg.get("OAuthBrowserTimeout")
            ))
        })?;
        Ok(OAuthSession {
            consumer,
            flow,
            initiate,
            store,
            grants,
            current: Mutex::new(None),
            renewing: tokio::sync::Mutex::new(()),
            browser_timeout: Duration::from_secs(browser_secs.max(1)),
            seed_access: cfg.get("OAuthAccessToken").to_string(),
            seed_refresh: cfg.get("OAuthRefreshToken").to_string(),
            verifier: cfg.get("OAuthVerifier").to_string(),
        })
    }

    pub fn grants(&self) -> &Grants {
        &self.grants
    }

    pub fn store_path(&self) -> Option<String> {
        self.store.as_ref().map(|s| s.path().display().to_string())
    }

    /// True when the connection may open without a token (only the OAuth procedures work).
    pub fn may_start_without_token(&self) -> bool {
        self.initiate == Initiate::Off && self.seed_access.is_empty()
    }

    /// Gets the connection's first token, as InitiateOAuth says.
    pub async fn start(&self) -> Result<(), ApiError> {
        if self.initiate == Initiate::Off {
            if !self.seed_access.is_empty() {
                self.adopt(Tokens::new(self.seed_access.clone(), Some(self.seed_refresh.clone()), None, None));
            }
            return Ok(());
        }
        let _lock = self.lock_store().await?;
        let stored = self.store.as_ref().and_then(TokenStore::load);
        if let Some(t) = stored.as_ref().filter(|t| t.is_fresh()) {
            tracing::info!("using the stored OAuth token");
            self.adopt(t.clone());
            return Ok(());
        }
        let mut last_err = None;
        if let Some(rt) = stored.and_then(|t| t.refresh_token) {
            match self.grants.refresh(&rt).await {
                Ok(t) => return self.keep(t),
                Err(e) => {
                    tracing::warn!("refreshing the stored OAuth token failed: {e}");
                    last_err = Some(e);
                }
            }
        }
        // After the store: a verifier left in the DSN must not break later connections.
        if !self.verifier.is_empty() && self.flow == Flow::Code {
            let t = self
                .grants
                .exchange_code(&self.verifier, Some(&self.consumer.callback_url))
                .await
                .map_err(|e| {
                    auth_err(format!(
                        "{e}. An OAuthVerifier code works once and for a few minutes: obtain a new one with GetOAuthAuthorizationURL"
                    ))
                })?;
            return self.keep(t);
        }
        if !self.seed_refresh.is_empty() {
            match self.grants.refresh(&self.seed_refresh).await {
                Ok(t) => return self.keep(t),
                Err(e) => {
                    tracing::warn!("refreshing OAuthRefreshToken failed: {e}");
                    last_err = Some(e);
                }
            }
        }
        if !self.seed_access.is_empty() && last_err.is_none() {
            self.adopt(Tokens::new(self.seed_access.clone(), None, None, None));
            return Ok(());
        }
        match (self.flow, self.initiate) {
            (Flow::Client, _) => {
                let t = self.grants.client_credentials().await.map_err(auth_err)?;
                self.keep(t)
            }
            (Flow::Code, Initiate::GetAndRefresh) => {
                let t = self.browser_sign_in().await?;
                self.keep(t)
            }
            (Flow::Code, _) => Err(auth_err(match last_err {
                Some(e) => format!("{e}. InitiateOAuth=REFRESH never opens a browser: sign in again (InitiateOAuth=GETANDREFRESH) or set a new OAuthRefreshToken"),
                None => "InitiateOAuth=REFRESH needs a stored token or OAuthRefreshToken, and there is neither: sign in once with InitiateOAuth=GETANDREFRESH, or use OAuthVerifier".into(),
            })),
        }
    }

    /// The Authorization header value, renewing a token about to expire first.
    pub async fn header(&self) -> Result<String, ApiError> {
        let cur = self.current.lock().clone();
        match cur {
            Some(t) if t.is_fresh() || self.initiate == Initiate::Off => Ok(format!("Bearer {}", t.access_token)),
            Some(t) => {
                self.renew(&t.access_token).await?;
                self.current_header()
            }
            None => Err(auth_err(
                "this connection has no OAuth access token yet: set OAuthAccessToken, or call GetOAuthAuthorizationURL and then GetOAuthAccessToken with the code (or connect with InitiateOAuth=GETANDREFRESH to sign in in a browser)",
            )),
        }
    }

    fn current_header(&self) -> Result<String, ApiError> {
        self.current
            .lock()
            .as_ref()
            .map(|t| format!("Bearer {}", t.access_token))
            .ok_or_else(|| auth_err("no OAuth access token"))
    }

    /// After a 401 or near expiry: a new token, unless another statement or process already
    /// got one. `used` is the token that failed.
    pub async fn renew(&self, used: &str) -> Result<(), ApiError> {
        let _one = self.renewing.lock().await;
        if let Some(t) = self.current.lock().as_ref() {
            if t.access_token != used && t.is_fresh() {
                return Ok(());
            }
        }
        if self.initiate == Initiate::Off {
            return Err(auth_err(
                "Bitbucket rejected OAuthAccessToken (expired or revoked), and InitiateOAuth=OFF never renews it: set a new OAuthAccessToken, or use InitiateOAuth=REFRESH with OAuthRefreshToken",
            ));
        }
        let _lock = self.lock_store().await?;
        let stored = self.store.as_ref().and_then(TokenStore::load);
        if let Some(t) = stored.as_ref().filter(|t| t.access_token != used && t.is_fresh()) {
            self.adopt(t.clone());
            return Ok(());
        }
        let refresh = stored
            .and_then(|t| t.refresh_token)
            .or_else(|| self.current.lock().as_ref().and_then(|t| t.refresh_token.clone()));
        let renewed = match (refresh, self.flow) {
            (Some(rt), flow) => match self.grants.refresh(&rt).await {
                Ok(t) => Ok(t),
                Err(e) if flow == Flow::Client => {
                    tracing::warn!("refresh failed, asking for a new client-credentials token: {e}");
                    self.grants.client_credentials().await
                }
                Err(e) => Err(format!(
                    "{e}. Sign in again: delete the token store {} and connect with InitiateOAuth=GETANDREFRESH, or use OAuthVerifier",
                    self.store_path().unwrap_or_default()
                )),
            },
            (None, Flow::Client) => self.grants.client_credentials().await,
            (None, Flow::Code) => Err("the OAuth access token expired and there is no refresh token to renew it: sign in again".into()),
        };
        self.keep(renewed.map_err(auth_err)?)
    }

    /// Exchanges a code obtained elsewhere (GetOAuthAccessToken); the tokens are kept and stored.
    pub async fn exchange_verifier(&self, code: &str, callback: Option<&str>) -> Result<Tokens, ApiError> {
        let t = self.grants.exchange_code(code, callback).await.map_err(auth_err)?;
        let _lock = self.lock_store().await?;
        self.keep(t.clone())?;
        Ok(t)
    }

    /// RefreshOAuthAccessToken: exchanges the given refresh token; the tokens are kept and stored.
    pub async fn refresh_with(&self, refresh_token: &str) -> Result<Tokens, ApiError> {
        let _lock = self.lock_store().await?;
        let t = self.grants.refresh(refresh_token).await.map_err(auth_err)?;
        self.keep(t.clone())?;
        Ok(t)
    }

    async fn browser_sign_in(&self) -> Result<Tokens, ApiError> {
        let cb = &self.consumer.callback_url;
        let listener = Listener::bind(cb).await.map_err(auth_err)?;
        let state = oauth2::CsrfToken::new_random().secret().clone();
        let url = self.grants.authorize_url(&state, Some(cb)).map_err(auth_err)?;
        let headless = |why: &str| {
            auth_err(format!(
                "{why}. Open this URL in a browser, sign in and grant access: {url} . On a machine without a browser, copy the `code` parameter of the page you are sent to into OAuthVerifier, or call GetOAuthAccessToken with it (connect with InitiateOAuth=OFF to call the procedures)"
            ))
        };
        super::browser::open(&url).map_err(|e| headless(&format!("cannot open a browser for the Bitbucket sign-in: {e}")))?;
        tracing::info!(port = listener.port(), "waiting for the browser sign-in");
        let answer = tokio::time::timeout(self.browser_timeout, listener.wait(&state))
            .await
            .map_err(|_| {
                headless(&format!(
                    "the browser sign-in did not finish within {} s (OAuthBrowserTimeout)",
                    self.browser_timeout.as_secs()
                ))
            })?
            .map_err(auth_err)?;
        match answer {
            Answer::Code(code) => self.grants.exchange_code(&code, Some(cb)).await.map_err(auth_err),
            Answer::Denied(why) => Err(auth_err(format!(
                "access was not granted in the browser ({why}): connect again and choose Grant access, or check the consumer's permissions"
            ))),
        }
    }

    async fn lock_store(&self) -> Result<Option<StoreLock>, ApiError> {
        let Some(store) = self.store.clone() else {
            return Ok(None);
        };
        tokio::task::spawn_blocking(move || store.lock())
            .await
            .map_err(|e| auth_err(e.to_string()))?
            .map(Some)
            .map_err(auth_err)
    }

    /// Uses the tokens from now on and writes them to the store (the caller holds its lock).
    fn keep(&self, t: Tokens) -> Result<(), ApiError> {
        if let Some(s) = &self.store {
            s.save(&t).map_err(auth_err)?;
        }
        self.adopt(t);
        Ok(())
    }

    fn adopt(&self, t: Tokens) {
        *self.current.lock() = Some(t);
    }
}
