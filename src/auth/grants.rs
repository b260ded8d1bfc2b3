//! The three OAuth grants Bitbucket supports (authorization code, client credentials, refresh
//! token) through the `oauth2` crate, sent with the driver's own reqwest client.

use super::tokens::Tokens;
use oauth2::basic::{BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, ExtraTokenFields, RedirectUrl,
    RefreshToken, RequestTokenError, StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::time::Duration;

/// Bitbucket names the granted scopes `scopes`, not the standard `scope`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BitbucketFields {
    #[serde(default)]
    scopes: Option<String>,
}
impl ExtraTokenFields for BitbucketFields {}

type TokenResp = StandardTokenResponse<BitbucketFields, BasicTokenType>;
type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    TokenResp,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What identifies the consumer and where its endpoints are.
#[derive(Clone)]
pub struct Consumer {
    pub client_id: String,
    pub client_secret: String,
    pub authorize_url: String,
    pub token_url: String,
    pub callback_url: String,
}

pub struct Grants {
    client: OAuthClient,
    http: reqwest::Client,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

async fn send(http: reqwest::Client, req: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, HttpError> {
    let req = reqwest::Request::try_from(req).map_err(|e| HttpError(e.to_string()))?;
    let resp = http.execute(req).await.map_err(|e| HttpError(innermost(&e)))?;
    let mut b = http::Response::builder().status(resp.status());
    for (k, v) in resp.headers() {
        b = b.header(k, v);
    }
    let body = resp.bytes().await.map_err(|e| HttpError(innermost(&e)))?;
    b.body(body.to_vec()).map_err(|e| HttpError(e.to_string()))
}

fn innermost(e: &dyn std::error::Error) -> String {
    let mut reason = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        reason = s.to_string();
        src = s.source();
    }
    reason
}

impl Grants {
    pub fn new(c: &Consumer, timeout_secs: u64, proxy: &str) -> Result<Grants, String> {
        let url_err = |what: &str, v: &str, e: url::ParseError| format!("{what}='{v}' is not a valid URL: {e}");
        let client = oauth2::Client::new(ClientId::new(c.client_id.clone()))
            .set_client_secret(ClientSecret::new(c.client_secret.clone()))
            .set_auth_uri(AuthUrl::new(c.authorize_url.clone()).map_err(|e| url_err("OAuthAuthorizationURL", &c.authorize_url, e))?)
            .set_token_uri(TokenUrl::new(c.token_url.clone()).map_err(|e| url_err("OAuthAccessTokenURL", &c.token_url, e))?)
            .set_redirect_uri(RedirectUrl::new(c.callback_url.clone()).map_err(|e| url_err("CallbackURL", &c.callback_url, e))?);
        // The token endpoint must not redirect: following one could leak the client secret.
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(timeout_secs.max(1)))
            .user_agent(concat!("bitbucket-odbc/", env!("CARGO_PKG_VERSION")));
        if !proxy.is_empty() {
            b = b.proxy(reqwest::Proxy::all(proxy).map_err(|e| format!("invalid ProxyServer: {e}"))?);
        }
        let http = b.build().map_err(|e| e.to_string())?;
        Ok(Grants { client, http })
    }

    /// The URL the user opens to grant access; `state` comes back with the code.
    pub fn authorize_url(&self, state: &str, callback: Option<&str>) -> Result<String, String> {
        let state = state.to_string();
        let mut req = self.client.authorize_url(move || CsrfToken::new(state));
        if let Some(cb) = callback {
            let cb = RedirectUrl::new(cb.to_string()).map_err(|e| format!("CallbackURL='{cb}' is not a valid URL: {e}"))?;
            req = req.set_redirect_uri(Cow::Owned(cb));
        }
        Ok(req.url().0.to_string())
    }

    pub async fn exchange_code(&self, code: &str, callback: Option<&str>) -> Result<Tokens, String> {
        let http = self.http.clone();
        let f = move |r| send(http.clone(), r);
        let mut req = self.client.exchange_code(AuthorizationCode::new(code.trim().to_string()));
        if let Some(cb) = callback {
            let cb = RedirectUrl::new(cb.to_string()).map_err(|e| format!("CallbackURL='{cb}' is not a valid URL: {e}"))?;
            req = req.set_redirect_uri(Cow::Owned(cb));
        }
        to_tokens(req.request_async(&f).await, "exchanging the authorization code")
    }

    pub async fn client_credentials(&self) -> Result<Tokens, String> {
        let http = self.http.clone();
        let f = move |r| send(http.clone(), r);
        to_tokens(
            self.client.exchange_client_credentials().request_async(&f).await,
            "asking for a client-credentials token",
        )
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, String> {
        let http = self.http.clone();
        let f = move |r| send(http.clone(), r);
        let rt = RefreshToken::new(refresh_token.to_string());
        to_tokens(
            self.client.exchange_refresh_token(&rt).request_async(&f).await,
            "refreshing the access token",
        )
    }
}

fn to_tokens(r: Result<TokenResp, RequestTokenError<HttpError, BasicErrorResponse>>, doing: &str) -> Result<Tokens, String> {
    match r {
        Ok(t) => Ok(Tokens::new(
            t.access_token().secret().clone(),
            t.refresh_token().map(|r| r.secret().clone()),
            t.expires_in().map(|d| d.as_secs()),
            t.extra_fields().scopes.clone(),
        )),
        Err(RequestTokenError::ServerResponse(e)) => {
            let code = e.error().to_string();
            let desc = e.error_description().map(|d| format!(" ({d})")).unwrap_or_default();
            let hint = match code.as_str() {
                "invalid_client" | "unauthorized_client" => {
                    ". Check OAuthClientId and OAuthClientSecret (the consumer's key and secret); client credentials need a private consumer"
                }
                "invalid_grant" => ". The code or refresh token was already used, has expired or was revoked: sign in again (remove the stored tokens or set a new OAuthVerifier)",
                _ => "",
            };
            Err(format!("Bitbucket refused {doing}: {code}{desc}{hint}"))
        }
        Err(RequestTokenError::Request(e)) => Err(format!(
            "cannot reach the OAuth token endpoint while {doing}: {e}. Check OAuthAccessTokenURL, the network and any proxy"
        )),
        // The body is not quoted: it may hold tokens.
        Err(RequestTokenError::Parse(e, _)) => Err(format!(
            "the OAuth token endpoint sent an unreadable answer while {doing}: {e}. Check OAuthAccessTokenURL"
        )),
        Err(RequestTokenError::Other(e)) => Err(format!("OAuth error while {doing}: {e}")),
    }
}
