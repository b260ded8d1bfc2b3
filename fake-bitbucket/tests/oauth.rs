//! End-to-end tests of the fake OAuth server: `/site/oauth2/authorize`,
//! `/site/oauth2/access_token`, tokens on the API, and the `/_fake/oauth` control endpoint.

use std::time::Duration;

use fake_bitbucket::{creds, FakeConfig, FakeServer};
use serde_json::{json, Value};

struct Reply {
    status: u16,
    content_type: String,
    location: Option<String>,
    headers: Vec<(String, String)>,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `(error, status)` of an OAuth error answer.
    fn oauth_error(&self) -> (u16, String) {
        let v = self.json();
        assert!(v["error_description"].is_string(), "{}", self.text);
        (self.status, v["error"].as_str().unwrap_or_default().to_string())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn reply(mut resp: ureq::http::Response<ureq::Body>) -> Reply {
    let h = |n: &str| resp.headers().get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
    let content_type = h("content-type").unwrap_or_default();
    let location = h("location");
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    Reply {
        status: resp.status().as_u16(),
        content_type,
        location,
        headers,
        text,
    }
}

fn get(url: &str, auth: Option<&str>) -> Reply {
    let mut req = agent().get(url);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    reply(req.call().unwrap_or_else(|e| panic!("GET {url}: {e}")))
}

fn api(srv: &FakeServer, path: &str, token: &str) -> Reply {
    get(&format!("{}{path}", srv.base_url()), Some(&creds::bearer(token)))
}

/// POST a form to the token endpoint with optional `Authorization`.
fn token_req(srv: &FakeServer, auth: Option<&str>, form: &[(&str, &str)]) -> Reply {
    let mut req = agent().post(&srv.oauth_token_url());
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    reply(req.send_form(form.iter().copied()).expect("token request"))
}

fn private() -> String {
    creds::basic(creds::CONSUMER_KEY, creds::CONSUMER_SECRET)
}

fn public() -> String {
    creds::basic(creds::PUBLIC_CONSUMER_KEY, creds::PUBLIC_CONSUMER_SECRET)
}

fn control(srv: &FakeServer, path: &str, body: Option<Value>) -> Value {
    let url = format!("{}{path}", srv.web_root());
    let r = match body {
        Some(b) => reply(
            agent()
                .post(&url)
                .header("content-type", "application/json")
                .send(b.to_string())
                .unwrap(),
        ),
        None => get(&url, None),
    };
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.json()
}

fn authorize(srv: &FakeServer, query: &str) -> Reply {
    get(&format!("{}?{query}", srv.oauth_authorize_url()), None)
}

/// The value of `key` in the query of a redirect target.
fn param(location: &str, key: &str) -> Option<String> {
    let q = location.split_once('?')?.1;
    url_pairs(q).into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn url_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), percent_decode(&v.replace('+', " "))))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(x) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(x);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn start() -> FakeServer {
    FakeServer::start(FakeConfig::default()).expect("server starts")
}

/// Authorize (approve mode) and return the code.
fn code(srv: &FakeServer, extra: &str) -> String {
    let r = authorize(srv, &format!("client_id={}&response_type=code{extra}", creds::CONSUMER_KEY));
    assert_eq!(r.status, 302, "{}", r.text);
    param(r.location.as_deref().unwrap(), "code").expect("code in the redirect")
}

#[test]
fn authorize_approve_deny_page_and_unknown_client() {
    let srv = start();
    let r = authorize(&srv, "client_id=consumer-key-0001&response_type=code&state=st%20%261");
    assert_eq!(r.status, 302);
    let loc = r.location.unwrap();
    assert!(loc.starts_with("http://localhost:33333?code="), "{loc}");
    assert!(loc.ends_with("&state=st+%261"), "{loc}");
    let r = authorize(&srv, "client_id=consumer-key-0001&response_type=code");
    let loc = r.location.unwrap();
    assert!(param(&loc, "code").is_some() && !loc.contains("state="), "{loc}");

    // redirect_uri wins over the registered callback; an existing query is kept.
    let r = authorize(
        &srv,
        "client_id=public-key-0002&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcb%3Fx%3D1",
    );
    assert!(r.location.unwrap().starts_with("http://127.0.0.1:5000/cb?x=1&code="));
    control(&srv, "/_fake/oauth", Some(json!({"callback": "http://localhost:7777/done"})));
    let r = authorize(&srv, "client_id=consumer-key-0001&response_type=code");
    assert!(r.location.unwrap().starts_with("http://localhost:7777/done?code="));

    let v = control(&srv, "/_fake/oauth", Some(json!({"consent": "deny"})));
    assert_eq!(v["consent"], "deny");
    let r = authorize(&srv, "client_id=consumer-key-0001&response_type=code&state=abc");
    assert_eq!(r.status, 302);
    let loc = r.location.unwrap();
    assert!(
        loc.starts_with("http://localhost:7777/done?error=access_denied&error_description="),
        "{loc}"
    );
    assert_eq!(param(&loc, "state").as_deref(), Some("abc"));
    assert!(param(&loc, "code").is_none());
    assert!(!param(&loc, "error_description").unwrap().is_empty());

    control(&srv, "/_fake/oauth", Some(json!({"consent": "page"})));
    let r = authorize(&srv, "client_id=consumer-key-0001&response_type=code&state=abc");
    assert_eq!((r.status, r.location.is_none()), (200, true));
    assert!(r.content_type.starts_with("text/html"));
    assert!(r.text.contains("Grant access"));

    let r = authorize(&srv, "client_id=nobody&response_type=code");
    assert_eq!(r.status, 400);
    assert!(r.text.contains("Invalid client_id"), "{}", r.text);
    assert!(r.location.is_none());
    assert_eq!(authorize(&srv, "response_type=code").status, 400);
    assert_eq!(authorize(&srv, "client_id=consumer-key-0001&response_type=token").status, 400);

    let log: Vec<u16> = srv
        .requests()
        .iter()
        .filter(|r| r.path == "/site/oauth2/authorize" && r.method == "GET")
        .map(|r| r.status)
        .collect();
    assert_eq!(log, vec![302, 302, 302, 302, 302, 200, 400, 400, 400]);
    assert_eq!(control(&srv, "/_fake/oauth", None)["codes_issued"], 4);
}

#[test]
fn code_exchange_then_api_calls() {
    let srv = start();
    let cb = "http://127.0.0.1:4567/callback";
    let c = code(&srv, &format!("&redirect_uri={}", cb.replace(':', "%3A").replace('/', "%2F")));
    // The redirect_uri of the authorize request must come back, and the right client.
    let r = token_req(&srv, Some(&private()), &[("grant_type", "authorization_code"), ("code", &c)]);
    assert_eq!(r.oauth_error(), (400, "invalid_grant".into()));
    let r = token_req(
        &srv,
        Some(&public()),
        &[("grant_type", "authorization_code"), ("code", &c), ("redirect_uri", cb)],
    );
    assert_eq!(r.oauth_error(), (400, "invalid_grant".into()));
    let r = token_req(
        &srv,
        Some(&private()),
        &[("grant_type", "authorization_code"), ("code", &c), ("redirect_uri", cb)],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.content_type.starts_with("application/json"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let t = r.json();
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 7200);
    assert_eq!(t["state"], "authorization_code");
    let scopes: Vec<&str> = t["scopes"].as_str().unwrap().split(' ').collect();
    assert_eq!(scopes, creds::ACCESS_TOKEN_SCOPES);
    let access = t["access_token"].as_str().unwrap();
    assert_ne!(access, t["refresh_token"].as_str().unwrap());

    let me = api(&srv, "/user", access);
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["nickname"], "analyst");
    // Every table the analyst reads, including admin-only ones (same scopes as oauth-analyst-0001).
    for path in [
        "/repositories/acme",
        "/repositories/acme/core-api/pullrequests",
        "/repositories/acme/core-api/branch-restrictions",
        "/workspaces/acme/permissions/repositories",
    ] {
        let r = api(&srv, path, access);
        assert_eq!(r.status, 200, "{path}: {}", r.text);
    }
    // OAuth gets no X-RateLimit-* headers (reference 6.3).
    assert!(api(&srv, "/repositories/acme", access).header("x-ratelimit-limit").is_none());

    // Single use.
    let r = token_req(
        &srv,
        Some(&private()),
        &[("grant_type", "authorization_code"), ("code", &c), ("redirect_uri", cb)],
    );
    assert_eq!(r.oauth_error(), (400, "invalid_grant".into()));

    // Client authentication by form fields works too; a code without redirect_uri needs none.
    let c2 = code(&srv, "");
    let r = token_req(
        &srv,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("code", &c2),
            ("client_id", creds::CONSUMER_KEY),
            ("client_secret", creds::CONSUMER_SECRET),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text);

    // The log has the token requests, with grant_type but never the body, codes or tokens.
    let log = srv.requests();
    let tokens: Vec<_> = log.iter().filter(|r| r.path == "/site/oauth2/access_token").collect();
    assert_eq!(tokens.len(), 5);
    assert!(tokens
        .iter()
        .all(|r| r.method == "POST" && r.grant_type.as_deref() == Some("authorization_code")));
    assert_eq!(tokens.iter().map(|r| r.status).collect::<Vec<_>>(), vec![400, 400, 200, 400, 200]);
    let dump = serde_json::to_string(&control(&srv, "/_fake/requests", None)).unwrap();
    for secret in [c.as_str(), c2.as_str(), access, creds::CONSUMER_SECRET] {
        assert!(!dump.contains(secret), "{secret} logged");
    }
    assert!(dump.contains("\"grant_type\":\"authorization_code\""));
}

#[test]
fn client_authentication_and_grant_types() {
    let srv = start();
    let cc = [("grant_type", "client_credentials")];
    let r = token_req(&srv, Some(&creds::basic(creds::CONSUMER_KEY, "wrong")), &cc);
    assert_eq!(r.oauth_error(), (401, "invalid_client".into()));
    assert!(r.header("www-authenticate").is_some());
    assert_eq!(token_req(&srv, None, &cc).oauth_error(), (401, "invalid_client".into()));
    let r = token_req(&srv, Some(&creds::basic("nobody", "x")), &cc);
    assert_eq!(r.oauth_error(), (401, "invalid_client".into()));

    let r = token_req(&srv, Some(&private()), &cc);
    assert_eq!(r.status, 200, "{}", r.text);
    let t = r.json();
    assert_eq!(t["state"], "client_credentials");
    assert!(t["refresh_token"].is_string());
    assert_eq!(
        api(&srv, "/user", t["access_token"].as_str().unwrap()).json()["nickname"],
        "analyst"
    );

    let r = token_req(&srv, Some(&public()), &cc);
    assert_eq!(r.oauth_error(), (400, "unauthorized_client".into()));
    let r = token_req(&srv, Some(&private()), &[("grant_type", "password"), ("username", "u")]);
    assert_eq!(r.oauth_error(), (400, "unsupported_grant_type".into()));
    let r = token_req(&srv, Some(&private()), &[]);
    assert_eq!(r.oauth_error(), (400, "invalid_request".into()));

    // A JSON body is not a form.
    let r = reply(
        agent()
            .post(&srv.oauth_token_url())
            .header("Authorization", &private())
            .header("content-type", "application/json")
            .send(r#"{"grant_type":"client_credentials"}"#)
            .unwrap(),
    );
    assert_eq!(r.oauth_error(), (400, "invalid_request".into()));
    // Only POST.
    assert_eq!(get(&srv.oauth_token_url(), Some(&private())).status, 405);
}

#[test]
fn refresh_rotates_the_refresh_token() {
    let srv = start();
    let t = token_req(&srv, Some(&private()), &[("grant_type", "client_credentials")]).json();
    let (a1, r1) = (t["access_token"].as_str().unwrap(), t["refresh_token"].as_str().unwrap());
    let refresh = |rt: &str, who: &str| token_req(&srv, Some(who), &[("grant_type", "refresh_token"), ("refresh_token", rt)]);

    // Another consumer cannot use it (and does not burn it).
    assert_eq!(refresh(r1, &public()).oauth_error(), (400, "invalid_grant".into()));
    let r = refresh(r1, &private());
    assert_eq!(r.status, 200, "{}", r.text);
    let t2 = r.json();
    let (a2, r2) = (t2["access_token"].as_str().unwrap(), t2["refresh_token"].as_str().unwrap());
    assert_eq!(t2["state"], "refresh_token");
    assert!(a2 != a1 && r2 != r1);
    // The old refresh token is dead at once; the new one works.
    assert_eq!(refresh(r1, &private()).oauth_error(), (400, "invalid_grant".into()));
    assert_eq!(refresh("never-issued", &private()).oauth_error(), (400, "invalid_grant".into()));
    // Both access tokens stay live.
    assert_eq!(api(&srv, "/user", a1).status, 200);
    assert_eq!(api(&srv, "/user", a2).status, 200);
    let r3 = refresh(r2, &private());
    assert_eq!(r3.status, 200, "{}", r3.text);

    let v = control(&srv, "/_fake/oauth", None);
    assert_eq!((v["tokens_issued"].as_u64(), v["refreshes"].as_u64()), (Some(3), Some(2)));
    let grants: Vec<String> = srv.requests().iter().filter_map(|r| r.grant_type.clone()).collect();
    assert_eq!(grants.iter().filter(|g| *g == "refresh_token").count(), 5);
}

#[test]
fn access_tokens_expire_after_expires_in() {
    let srv = start();
    let v = control(&srv, "/_fake/oauth", Some(json!({"expires_in": 1})));
    assert_eq!(v["expires_in"], 1);
    let t = token_req(&srv, Some(&private()), &[("grant_type", "client_credentials")]).json();
    assert_eq!(t["expires_in"], 1);
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(api(&srv, "/user", access).status, 200);
    std::thread::sleep(Duration::from_millis(1500));
    let r = api(&srv, "/user", access);
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json(),
        json!({"type": "error", "error": {"message": "Access token expired. Use your refresh token to obtain a new access token."}})
    );
    let r = token_req(
        &srv,
        Some(&private()),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", t["refresh_token"].as_str().unwrap()),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(api(&srv, "/user", r.json()["access_token"].as_str().unwrap()).status, 200);

    // Expire on demand (no waiting): live tokens die, refresh tokens survive.
    control(&srv, "/_fake/oauth", Some(json!({"expires_in": 7200})));
    let t = token_req(&srv, Some(&private()), &[("grant_type", "client_credentials")]).json();
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(control(&srv, "/_fake/oauth/expire", Some(json!({})))["expired"], 2);
    assert_eq!(api(&srv, "/user", access).status, 401);
    let r = token_req(
        &srv,
        Some(&private()),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", t["refresh_token"].as_str().unwrap()),
        ],
    );
    assert_eq!(r.status, 200);
}

#[test]
fn control_reset_and_rate_limit_per_consumer() {
    let srv = start();
    let v = control(&srv, "/_fake/oauth", None);
    assert_eq!(v["expires_in"], 7200);
    assert_eq!(v["consent"], "approve");
    assert_eq!(v["callback"], "http://localhost:33333");
    assert_eq!(v["token_url"], srv.oauth_token_url());
    let post = |body: &str| {
        let r = agent()
            .post(&format!("{}/_fake/oauth", srv.web_root()))
            .header("content-type", "application/json")
            .send(body.to_string())
            .unwrap();
        r.status().as_u16()
    };
    assert_eq!(post(r#"{"consent": "maybe"}"#), 400);
    assert_eq!(post(r#"{"callback": "not a url"}"#), 400);
    assert_eq!(post(r#"{"nope": 1}"#), 400);
    // A GET answer can be posted back as it is (read-only keys are ignored).
    assert_eq!(post(&v.to_string()), 200);

    control(&srv, "/_fake/oauth", Some(json!({"expires_in": 60, "consent": "page"})));
    let access = token_req(&srv, Some(&private()), &[("grant_type", "client_credentials")]).json()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    // /_fake/reset zeroes the counters (like the log) but keeps settings and tokens.
    let r = agent().post(&format!("{}/_fake/reset", srv.web_root())).send_empty().unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let v = control(&srv, "/_fake/oauth", None);
    assert_eq!((v["tokens_issued"].as_u64(), v["expires_in"].as_u64()), (Some(0), Some(60)));
    assert_eq!(api(&srv, "/user", &access).status, 200);
    // /_fake/oauth/reset restores the defaults and forgets every token.
    let v = control(&srv, "/_fake/oauth/reset", Some(json!({})));
    assert_eq!((v["expires_in"].as_u64(), v["consent"].as_str()), (Some(7200), Some("approve")));
    let r = api(&srv, "/user", &access);
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json()["error"]["message"],
        "Token is invalid, expired, or not supported for this endpoint."
    );

    // OAuth is rate-limited per consumer: two tokens of one consumer share a bucket.
    srv.update_switches(|s| s.rate_limit = Some((2, Duration::from_secs(60))));
    let mint = || {
        token_req(&srv, Some(&private()), &[("grant_type", "client_credentials")]).json()["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (t1, t2) = (mint(), mint());
    assert_eq!(api(&srv, "/user", &t1).status, 200);
    assert_eq!(api(&srv, "/user", &t2).status, 200);
    assert_eq!(api(&srv, "/user", &t1).status, 429);
    // The token endpoint itself is not rate-limited.
    assert_eq!(
        token_req(&srv, Some(&private()), &[("grant_type", "client_credentials")]).status,
        200
    );
}
