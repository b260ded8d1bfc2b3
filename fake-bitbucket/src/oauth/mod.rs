//! A minimal OAuth 2.0 server shaped like Bitbucket's (reference 5.2, 8.18): authorization
//! code, client credentials and refresh token grants, access tokens that expire after
//! `expires_in`, refresh tokens that rotate. The rules live here; `endpoints.rs` speaks HTTP.

pub mod consumers;
pub mod endpoints;
pub mod tokens;

use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde_json::{json, Value};
use url::form_urlencoded;

use crate::auth::IssuedToken;
use crate::query::QueryParams;
pub use consumers::{consumer, Consumer, CONSUMERS};
use tokens::{Access, Code, Refresh, Store, CODE_TTL};

pub const DEFAULT_EXPIRES_IN: u64 = 7200;
pub const DEFAULT_CALLBACK: &str = "http://localhost:33333";

/// What the (simulated) user does on the consent page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Consent {
    /// Grants at once: 302 to the callback with a code.
    #[default]
    Approve,
    /// Cancels: 302 to the callback with `error=access_denied`.
    Deny,
    /// Never answers: the consent page, no redirect.
    Page,
}

impl Consent {
    pub fn as_str(self) -> &'static str {
        match self {
            Consent::Approve => "approve",
            Consent::Deny => "deny",
            Consent::Page => "page",
        }
    }

    pub fn parse(s: &str) -> Option<Consent> {
        [Consent::Approve, Consent::Deny, Consent::Page]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// Run-time settings (`/_fake/oauth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthSettings {
    /// Lifetime of new access tokens, in seconds, also sent as `expires_in`.
    pub expires_in: u64,
    pub consent: Consent,
    /// The callback registered on every consumer, used when the client sends no `redirect_uri`.
    pub callback: String,
}

impl Default for OAuthSettings {
    fn default() -> Self {
        OAuthSettings {
            expires_in: DEFAULT_EXPIRES_IN,
            consent: Consent::Approve,
            callback: DEFAULT_CALLBACK.to_string(),
        }
    }
}

/// Read-only counters, zeroed by `/_fake/reset` like the request log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OAuthCounters {
    pub codes_issued: u64,
    /// Access tokens from any grant, refreshes included.
    pub tokens_issued: u64,
    /// Successful `refresh_token` grants.
    pub refreshes: u64,
}

/// An OAuth error answer: `{"error": ..., "error_description": ...}` with this status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    fn new(status: u16, error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            error,
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_request", description)
    }

    fn invalid_client() -> Self {
        Self::new(401, "invalid_client", "Invalid OAuth client credentials")
    }

    fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_grant", description)
    }

    pub fn to_json(&self) -> Value {
        json!({"error": self.error, "error_description": self.description})
    }
}

/// How the token request authenticated the client (the header; form fields are read later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuth {
    Basic {
        key: String,
        secret: String,
    },
    /// An `Authorization` header that is not a decodable Basic `key:secret`.
    Malformed,
    /// No header: `client_id` and `client_secret` form fields.
    Absent,
}

/// The authorize request's parameters.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuthorizeRequest<'a> {
    pub client_id: Option<&'a str>,
    pub response_type: Option<&'a str>,
    pub state: Option<&'a str>,
    pub redirect_uri: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorize {
    /// 302 to this URL (with a code or an error).
    Redirect(String),
    /// 200 consent page for this consumer; nobody ever answers it.
    Page(&'static Consumer),
    /// 400 page with this message (unknown client, bad request); no redirect.
    Refused(&'static str),
}

#[derive(Debug)]
struct Inner {
    settings: OAuthSettings,
    counters: OAuthCounters,
    store: Store,
}

#[derive(Debug)]
pub struct OAuthServer {
    inner: Mutex<Inner>,
}

impl OAuthServer {
    pub fn new(seed: u64) -> Self {
        OAuthServer {
            inner: Mutex::new(Inner {
                settings: OAuthSettings::default(),
                counters: OAuthCounters::default(),
                store: Store::new(seed),
            }),
        }
    }

    pub fn settings(&self) -> OAuthSettings {
        self.inner.lock().settings.clone()
    }

    pub fn set_settings(&self, s: OAuthSettings) {
        self.inner.lock().settings = s;
    }

    /// Changes settings, e.g. `srv.oauth().update(|s| s.expires_in = 1)`.
    pub fn update(&self, f: impl FnOnce(&mut OAuthSettings)) {
        f(&mut self.inner.lock().settings);
    }

    pub fn counters(&self) -> OAuthCounters {
        self.inner.lock().counters
    }

    pub fn reset_counters(&self) {
        self.inner.lock().counters = OAuthCounters::default();
    }

    /// Default settings, zero counters, and every code and token forgotten.
    pub fn reset(&self) {
        let mut g = self.inner.lock();
        g.settings = OAuthSettings::default();
        g.counters = OAuthCounters::default();
        g.store.clear();
    }

    /// Every live access token expires now (refresh tokens stay usable); returns how many.
    pub fn expire_all(&self, now: Instant) -> usize {
        let mut g = self.inner.lock();
        let mut n = 0;
        for a in g.store.access.values_mut() {
            if a.expires.is_none_or(|t| t > now) {
                a.expires = Some(now);
                n += 1;
            }
        }
        n
    }

    /// A token this server minted, live or expired; `None` if it never existed (or was reset).
    pub fn lookup(&self, token: &str, now: Instant) -> Option<IssuedToken> {
        let g = self.inner.lock();
        let a = g.store.access.get(token)?;
        Some(IssuedToken {
            user_uuid: a.user_uuid.clone(),
            scopes: consumer(a.consumer).map(|c| strings(c.scopes)).unwrap_or_default(),
            consumer_key: a.consumer.to_string(),
            expired: a.expires.is_some_and(|t| now >= t),
        })
    }

    /// The authorize page. `user_of` gives the approving user's UUID (the consumer's owner in
    /// test mode).
    pub fn authorize(&self, req: &AuthorizeRequest<'_>, user_of: impl FnOnce(&Consumer) -> String, now: Instant) -> Authorize {
        let Some(c) = req.client_id.and_then(consumer) else {
            return Authorize::Refused("Invalid client_id");
        };
        if req.redirect_uri.is_some_and(|u| !valid_callback(u)) {
            return Authorize::Refused("Invalid redirect_uri");
        }
        if req.response_type != Some("code") {
            return Authorize::Refused("Invalid response_type: only \"code\" is supported");
        }
        let mut g = self.inner.lock();
        let callback = req.redirect_uri.unwrap_or(&g.settings.callback).to_string();
        let mut params: Vec<(&str, String)> = match g.settings.consent {
            Consent::Page => return Authorize::Page(c),
            Consent::Deny => vec![
                ("error", "access_denied".into()),
                ("error_description", "The user denied access to the application.".into()),
            ],
            Consent::Approve => {
                g.store.codes.retain(|_, code| code.expires > now);
                let code = g.store.new_code();
                g.store.codes.insert(
                    code.clone(),
                    Code {
                        consumer: c.key,
                        redirect_uri: req.redirect_uri.map(str::to_string),
                        user_uuid: user_of(c),
                        expires: now + CODE_TTL,
                    },
                );
                g.counters.codes_issued += 1;
                vec![("code", code)]
            }
        };
        if let Some(s) = req.state {
            params.push(("state", s.to_string()));
        }
        Authorize::Redirect(append_query(&callback, &params))
    }

    /// The token endpoint: client authentication, then the grant. `form` is the decoded body;
    /// `user_of` gives a consumer owner's UUID (for `client_credentials`).
    pub fn token(
        &self,
        client: &ClientAuth,
        form: &QueryParams,
        user_of: impl FnOnce(&Consumer) -> String,
        now: Instant,
    ) -> Result<Value, OAuthError> {
        let field = |k: &str| {
            form.single(k)
                .map_err(|_| OAuthError::invalid_request(format!("'{k}' may only be given once")))
        };
        let (key, secret) = match client {
            ClientAuth::Basic { key, secret } => (key.clone(), secret.clone()),
            ClientAuth::Malformed => return Err(OAuthError::invalid_client()),
            ClientAuth::Absent => match (field("client_id")?, field("client_secret")?) {
                (Some(k), Some(s)) => (k.to_string(), s.to_string()),
                _ => return Err(OAuthError::invalid_client()),
            },
        };
        let c = match consumer(&key) {
            Some(c) if c.secret == secret => c,
            _ => return Err(OAuthError::invalid_client()),
        };
        let mut g = self.inner.lock();
        let (user_uuid, state) = match field("grant_type")? {
            None => return Err(OAuthError::invalid_request("Missing grant_type")),
            Some("authorization_code") => {
                let code = field("code")?.ok_or_else(|| OAuthError::invalid_request("Missing code"))?;
                let found = g.store.codes.get(code).cloned();
                let found = match found {
                    Some(f) if f.expires > now => f,
                    Some(_) => {
                        g.store.codes.remove(code);
                        return Err(OAuthError::invalid_grant("The specified code has expired."));
                    }
                    None => return Err(OAuthError::invalid_grant("The specified code is not valid.")),
                };
                if found.consumer != c.key {
                    return Err(OAuthError::invalid_grant("The specified code was issued to another client."));
                }
                if found.redirect_uri.is_some() && found.redirect_uri.as_deref() != field("redirect_uri")? {
                    return Err(OAuthError::invalid_grant(
                        "redirect_uri does not match the one of the authorization request.",
                    ));
                }
                g.store.codes.remove(code);
                (found.user_uuid, "authorization_code")
            }
            Some("client_credentials") if !c.private => {
                return Err(OAuthError::new(
                    400,
                    "unauthorized_client",
                    "Only private consumers may use the client_credentials grant.",
                ))
            }
            Some("client_credentials") => (user_of(c), "client_credentials"),
            Some("refresh_token") => {
                let token = field("refresh_token")?.ok_or_else(|| OAuthError::invalid_request("Missing refresh_token"))?;
                match g.store.refresh.get(token) {
                    Some(r) if r.consumer == c.key => {}
                    Some(_) => return Err(OAuthError::invalid_grant("The refresh_token was issued to another client.")),
                    None => return Err(OAuthError::invalid_grant("Invalid refresh_token")),
                }
                // Rotation: the old refresh token dies now; live access tokens are untouched.
                let old = g.store.refresh.remove(token).map(|r| r.user_uuid).unwrap_or_default();
                g.counters.refreshes += 1;
                (old, "refresh_token")
            }
            Some(other) => {
                return Err(OAuthError::new(
                    400,
                    "unsupported_grant_type",
                    format!("Unsupported grant type: {other}"),
                ))
            }
        };
        let expires_in = g.settings.expires_in;
        let access = g.store.new_access_token();
        let refresh = g.store.new_refresh_token();
        g.store.access.insert(
            access.clone(),
            Access {
                consumer: c.key,
                user_uuid: user_uuid.clone(),
                expires: now.checked_add(Duration::from_secs(expires_in)),
            },
        );
        g.store.refresh.insert(
            refresh.clone(),
            Refresh {
                consumer: c.key,
                user_uuid,
            },
        );
        g.counters.tokens_issued += 1;
        Ok(json!({
            "access_token": access,
            "token_type": "bearer",
            "expires_in": expires_in,
            "refresh_token": refresh,
            "scopes": c.scopes.join(" "),
            "state": state,
        }))
    }
}

/// An absolute URL that can go into a `Location` header as it is.
pub fn valid_callback(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_graphic()) && url::Url::parse(s).is_ok()
}

fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|x| x.to_string()).collect()
}

/// `callback` plus form-encoded parameters, after any query it already has (and before a
/// fragment), without otherwise touching how the callback is spelled.
fn append_query(callback: &str, params: &[(&str, String)]) -> String {
    let (base, fragment) = match callback.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (callback, None),
    };
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        ser.append_pair(k, v);
    }
    let sep = match base.find('?') {
        None => "?",
        Some(_) if base.ends_with('?') || base.ends_with('&') => "",
        Some(_) => "&",
    };
    let mut out = format!("{base}{sep}{}", ser.finish());
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds;

    fn form(pairs: &[(&str, &str)]) -> QueryParams {
        QueryParams::from_pairs(pairs)
    }

    fn private() -> ClientAuth {
        ClientAuth::Basic {
            key: creds::CONSUMER_KEY.into(),
            secret: creds::CONSUMER_SECRET.into(),
        }
    }

    fn code_of(a: Authorize) -> String {
        let Authorize::Redirect(loc) = a else { panic!("{a:?}") };
        let q = url::Url::parse(&loc).unwrap();
        let code = q.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
        code
    }

    #[test]
    fn append_query_keeps_the_callback() {
        let p = [("code", "a b".to_string())];
        assert_eq!(append_query("http://localhost:33333", &p), "http://localhost:33333?code=a+b");
        assert_eq!(append_query("http://h/cb?x=1#frag", &p), "http://h/cb?x=1&code=a+b#frag");
        assert_eq!(append_query("http://h/cb?", &p), "http://h/cb?code=a+b");
    }

    #[test]
    fn code_flow_rules() {
        let o = OAuthServer::new(1);
        let t0 = Instant::now();
        let req = AuthorizeRequest {
            client_id: Some(creds::CONSUMER_KEY),
            response_type: Some("code"),
            state: Some("s1"),
            redirect_uri: Some("http://127.0.0.1:4000/cb"),
        };
        let user = |_: &Consumer| "{u}".to_string();
        let code = code_of(o.authorize(&req, user, t0));
        let exchange = |code: &str, uri: Option<&str>, at| {
            let mut f = vec![("grant_type", "authorization_code"), ("code", code)];
            f.extend(uri.map(|u| ("redirect_uri", u)));
            o.token(&private(), &form(&f), user, at)
        };
        assert_eq!(exchange(&code, None, t0).unwrap_err().error, "invalid_grant");
        let v = exchange(&code, Some("http://127.0.0.1:4000/cb"), t0).unwrap();
        assert_eq!(v["state"], "authorization_code");
        assert_eq!(
            exchange(&code, Some("http://127.0.0.1:4000/cb"), t0).unwrap_err().error,
            "invalid_grant"
        );
        // Codes last five minutes.
        let late = code_of(o.authorize(&req, user, t0));
        let e = exchange(&late, Some("http://127.0.0.1:4000/cb"), t0 + CODE_TTL).unwrap_err();
        assert_eq!(e.error, "invalid_grant");
        let c = o.counters();
        assert_eq!((c.codes_issued, c.tokens_issued), (2, 1));
    }

    #[test]
    fn access_tokens_expire_and_refresh_rotates() {
        let o = OAuthServer::new(2);
        o.update(|s| s.expires_in = 10);
        let t0 = Instant::now();
        let user = |_: &Consumer| "{u}".to_string();
        let v = o
            .token(&private(), &form(&[("grant_type", "client_credentials")]), user, t0)
            .unwrap();
        let at = v["access_token"].as_str().unwrap();
        assert!(!o.lookup(at, t0 + Duration::from_secs(9)).unwrap().expired);
        assert!(o.lookup(at, t0 + Duration::from_secs(10)).unwrap().expired);
        let rt = v["refresh_token"].as_str().unwrap();
        let refresh = |rt: &str| {
            o.token(
                &private(),
                &form(&[("grant_type", "refresh_token"), ("refresh_token", rt)]),
                user,
                t0,
            )
        };
        let v2 = refresh(rt).unwrap();
        assert_eq!(refresh(rt).unwrap_err().error, "invalid_grant");
        assert!(refresh(v2["refresh_token"].as_str().unwrap()).is_ok());
        assert!(!o.lookup(at, t0).unwrap().expired, "refreshing leaves live tokens alone");
        assert_eq!(o.expire_all(t0), 3);
        assert!(o.lookup(at, t0).unwrap().expired);
        o.reset();
        assert!(o.lookup(at, t0).is_none());
    }
}
