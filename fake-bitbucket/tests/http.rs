//! End-to-end: start the server in-process (and once as a binary) and talk plain HTTP to it.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::time::Duration;

use fake_bitbucket::{creds, FailNext, FailPath, FakeConfig, FakeServer, Faults, Scale};
use serde_json::{json, Value};

struct Reply {
    status: u16,
    content_type: String,
    retry_after: Option<String>,
    headers: Vec<(String, String)>,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    fn message(&self) -> String {
        self.json()["error"]["message"].as_str().unwrap_or_default().to_string()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// GET an absolute URL with an optional `Authorization` header.
fn get_url(url: &str, auth: Option<&str>) -> Reply {
    let mut req = agent().get(url);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    let mut resp = req.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let h = |n: &str| resp.headers().get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
    let content_type = h("content-type").unwrap_or_default();
    let retry_after = h("retry-after");
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let text = resp.body_mut().read_to_string().unwrap();
    Reply {
        status: resp.status().as_u16(),
        content_type,
        retry_after,
        headers,
        text,
    }
}

fn get(srv: &FakeServer, path: &str, auth: Option<&str>) -> Reply {
    get_url(&format!("{}{}", srv.base_url(), path), auth)
}

fn analyst(srv: &FakeServer, path: &str) -> Reply {
    get(srv, path, Some(&creds::analyst()))
}

fn start() -> FakeServer {
    FakeServer::start(FakeConfig::default()).expect("server starts")
}

/// Follows `next` from `path` and returns every row plus the number of pages.
fn scan(srv: &FakeServer, path: &str) -> (Vec<Value>, usize) {
    let mut url = format!("{}{}", srv.base_url(), path);
    let (mut rows, mut pages) = (Vec::new(), 0);
    loop {
        let r = get_url(&url, Some(&creds::analyst()));
        assert_eq!(r.status, 200, "{url}: {}", r.text);
        let v = r.json();
        pages += 1;
        rows.extend(v["values"].as_array().unwrap().iter().cloned());
        match v.get("next").and_then(Value::as_str) {
            Some(n) => url = n.to_string(),
            None => return (rows, pages),
        }
    }
}

#[test]
fn full_scan_follows_next_with_all_params() {
    let srv = start();
    let ds = srv.dataset();
    let acme = ds.find_workspace("acme").unwrap();
    let want: BTreeSet<String> = ds.repositories_in(&acme.uuid).map(|r| r.slug.clone()).collect();
    let (rows, pages) = scan(
        &srv,
        "/repositories/acme?pagelen=5&sort=-created_on&fields=%2Bvalues.slug,-values.links",
    );
    assert_eq!(pages, 3);
    let got: BTreeSet<String> = rows.iter().map(|r| r["slug"].as_str().unwrap().to_string()).collect();
    assert_eq!(got, want);
    assert!(rows.iter().all(|r| r.get("links").is_none()));
    let created: Vec<&str> = rows.iter().map(|r| r["created_on"].as_str().unwrap()).collect();
    let mut sorted = created.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted, "sorted descending by created_on");

    let first = analyst(
        &srv,
        "/repositories/acme?pagelen=5&q=scm%3D%22git%22&sort=uuid&fields=%2Bvalues.slug",
    )
    .json();
    let next = first["next"].as_str().unwrap();
    assert_eq!(
        next,
        format!(
            "{}/repositories/acme?pagelen=5&q=scm%3D%22git%22&sort=uuid&fields=%2Bvalues.slug&page=2",
            srv.base_url()
        )
    );
    let second = get_url(next, Some(&creds::analyst())).json();
    assert!(second["previous"].as_str().unwrap().ends_with("&page=1"));
    assert_eq!(second["page"], 2);
    assert_eq!(second["pagelen"], 5);
    assert_eq!(second["size"], 12);
    // Every log entry is an API call with the params the driver sent.
    assert!(srv.requests().iter().any(|r| r.url.ends_with("page=2") && r.auth == "basic"));
}

#[test]
fn pagelen_and_page_rules() {
    let srv = start();
    for bad in ["pagelen=101", "pagelen=-1", "pagelen=ten"] {
        let r = analyst(&srv, &format!("/repositories/acme?{bad}"));
        assert_eq!(r.status, 400);
        assert_eq!(r.json(), json!({"type": "error", "error": {"message": "Invalid pagelen"}}));
    }
    let r = analyst(&srv, "/repositories/acme?page=99").json();
    assert_eq!(r["values"], json!([]));
    assert!(r.get("next").is_none());
    srv.update_switches(|s| s.past_end_404 = true);
    assert_eq!(analyst(&srv, "/repositories/acme?page=99").status, 404);
    srv.update_switches(|s| s.limits.set("repositories", fake_bitbucket::Limit { default: 3, max: 4 }));
    let r = analyst(&srv, "/repositories/acme").json();
    assert_eq!(r["pagelen"], 3);
    assert_eq!(analyst(&srv, "/repositories/acme?pagelen=5").status, 400);
}

#[test]
fn fields_restrictive_list_drops_envelope() {
    let srv = start();
    let v = analyst(&srv, "/repositories/acme?fields=values.slug").json();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), vec!["values"]);
    assert!(v["values"][0].as_object().unwrap().keys().eq(["slug"].iter()));
    let v = analyst(&srv, "/repositories/acme/core-api?fields=owner.display_name,name").json();
    assert_eq!(v, json!({"name": "Core API", "owner": {"display_name": "Acme Corporation"}}));
}

#[test]
fn repository_payload_and_identifiers() {
    let srv = start();
    let v = analyst(&srv, "/repositories/acme/core-api-fork").json();
    assert_eq!(v["parent"]["full_name"], "acme/core-api");
    assert!(v["links"]["clone"].is_array());
    assert!(v["links"]["self"]["href"].as_str().unwrap().starts_with(&srv.base_url()));
    assert!(v.get("override_settings").is_some(), "unknown extra field");
    let empty = analyst(&srv, "/repositories/acme/empty-repo").json();
    assert_eq!(empty["mainbranch"], Value::Null);
    assert_eq!(empty["size"], 0);
    let uuid = v["uuid"].as_str().unwrap().replace('{', "%7B").replace('}', "%7D");
    let ws_uuid = v["workspace"]["uuid"].as_str().unwrap().replace('{', "%7B").replace('}', "%7D");
    for path in [
        format!("/repositories/%7B%7D/{uuid}"),
        format!("/repositories/{ws_uuid}/{uuid}"),
        format!("/repositories/acme/{uuid}"),
    ] {
        let r = analyst(&srv, &path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.json()["slug"], "core-api-fork");
    }
    let rocket = analyst(&srv, "/repositories/acme/rocket-launcher").json();
    assert!(rocket["description"].as_str().unwrap().contains('🚀'));
    let r = analyst(&srv, "/repositories/acme?q=description%20~%20%22%5C%22hello%5C%22%22");
    assert_eq!(r.json()["values"][0]["slug"], "quote-escape", "{}", r.text);
}

#[test]
fn not_found_cases() {
    let srv = start();
    let r = analyst(&srv, "/no/such/api");
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json(),
        json!({"type": "error", "error": {"message": "Resource not found", "detail": "There is no API hosted at this URL.\n\nFor information about our API's, please refer to the documentation at: https://developer.atlassian.com/bitbucket/api/2/reference/"}})
    );
    assert_eq!(analyst(&srv, "/repositories/nobody").status, 404);
    assert_eq!(analyst(&srv, "/repositories/acme/nothing").status, 404);
    // initech's repositories are private and the analyst is not a member: 404, never 403.
    let r = analyst(&srv, "/repositories/initech/tps-reports");
    assert_eq!(r.status, 404);
    assert!(r.message().starts_with("You may not have access"));
    assert_eq!(analyst(&srv, "/repositories/initech").json()["size"], 0);
    assert_eq!(analyst(&srv, "/workspaces/acme/projects/NOPE").status, 404);
}

#[test]
fn bbql_and_sort_errors_are_400() {
    let srv = start();
    for q in ["name%20%3D", "nope%20%3D%201", "name%20%3D%3D%20%22x%22", "(name%20%3D%20%22x%22"] {
        let r = analyst(&srv, &format!("/repositories/acme?q={q}"));
        assert_eq!(r.status, 400, "{q}");
        assert!(r.message().starts_with("Invalid query"), "{}", r.text);
    }
    assert_eq!(analyst(&srv, "/repositories/acme?sort=name,slug").status, 400);
    assert_eq!(analyst(&srv, "/repositories/acme?sort=bogus").status, 400);
    assert_eq!(analyst(&srv, "/repositories/acme?q=a%3D1&q=b%3D2").status, 400);
    let r = analyst(
        &srv,
        "/repositories/acme?q=created_on%20%3E%3D%202019-03-14T09:26:53.589793%20AND%20created_on%20%3C%202019-03-14T10:00:00%2B00:00",
    )
    .json();
    assert_eq!(r["values"][0]["slug"], "core-api");
    assert_eq!(r["size"], 1);
}

#[test]
fn auth_outcomes_over_http() {
    let srv = start();
    assert_eq!(get(&srv, "/user", None).status, 401);
    let me = analyst(&srv, "/user").json();
    assert_eq!(me["nickname"], "analyst");
    // Anonymous: public data only.
    let anon = get(&srv, "/repositories/acme?pagelen=100", None).json();
    assert!(anon["values"].as_array().unwrap().iter().all(|r| r["is_private"] == false));
    assert_eq!(anon["size"], 5);
    assert_eq!(get(&srv, "/repositories/acme/core-api", None).status, 404);

    let r = get(&srv, "/repositories/acme", Some(&creds::viewer()));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["error"]["detail"],
        json!({"required": ["read:repository:bitbucket"], "granted": ["read:user:bitbucket"]})
    );
    let r = get(&srv, "/user", Some(&creds::bearer(creds::EXPIRED_TOKEN)));
    assert_eq!(
        (r.status, r.message().as_str()),
        (401, "Access token expired. Use your refresh token to obtain a new access token.")
    );
    for bad in [
        creds::basic(creds::LEGACY_USERNAME, creds::LEGACY_APP_PASSWORD),
        creds::basic(creds::ANALYST_EMAIL, "bad-token"),
        creds::bearer("who-knows"),
    ] {
        let r = get(&srv, "/user", Some(&bad));
        assert_eq!(
            (r.status, r.message().as_str()),
            (401, "Token is invalid, expired, or not supported for this endpoint.")
        );
    }
    assert_eq!(get(&srv, &format!("/user?access_token={}", creds::OAUTH_TOKEN), None).status, 401);

    let wat = get(&srv, "/repositories/acme?pagelen=1", Some(&creds::bearer(creds::WORKSPACE_TOKEN)));
    assert_eq!(wat.status, 200);
    assert_eq!(wat.json()["size"], 12);
    assert_eq!(wat.header("x-ratelimit-resource"), Some("api"));
    assert!(analyst(&srv, "/repositories/acme").header("x-ratelimit-limit").is_none());
}

#[test]
fn workspaces_members_permissions() {
    let srv = start();
    let v = analyst(&srv, "/user/workspaces?sort=slug").json();
    let slugs: Vec<&str> = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["workspace"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, vec!["acme", "globex"]);
    let v = analyst(&srv, "/user/workspaces?administrator=true").json();
    assert_eq!(v["size"], 1);
    assert_eq!(v["values"][0]["workspace"]["slug"], "acme");
    assert_eq!(analyst(&srv, "/user/workspaces?q=workspace.uuid%3D%22x%22").status, 400);

    let w = analyst(&srv, "/workspaces/acme").json();
    assert_eq!(w["type"], "workspace");
    assert_eq!(w["name"], "Acme Corporation");

    let m = analyst(&srv, "/workspaces/acme/members").json();
    assert!(m["size"].as_u64().unwrap() >= 5);
    assert!(m["values"].as_array().unwrap().iter().all(|r| r["user"].get("email").is_none()));
    let q = "q=user.email%20IN%20(%22zoe@example.com%22)";
    let m = analyst(&srv, &format!("/workspaces/acme/members?{q}&fields=%2Bvalues.user.email")).json();
    assert_eq!(m["size"], 1);
    assert_eq!(m["values"][0]["user"]["email"], "zoe@example.com");
    assert!(m["values"][0]["user"]["display_name"].as_str().unwrap().contains('🎸'));
    // Filter but no +fields: no e-mail; non-admin (globex): refused.
    let m = analyst(&srv, &format!("/workspaces/acme/members?{q}")).json();
    assert!(m["values"][0]["user"].get("email").is_none());
    assert_eq!(analyst(&srv, &format!("/workspaces/globex/members?{q}")).status, 403);
    assert_eq!(analyst(&srv, "/workspaces/acme/members?q=user.uuid%3D%22x%22").status, 400);

    let p = analyst(&srv, "/workspaces/acme/permissions?q=permission%3D%22owner%22").json();
    assert_eq!(p["size"], 2);
    assert!(p["values"][0]["added_on"].is_string());
    let projects = analyst(&srv, "/workspaces/acme/projects?pagelen=100").json();
    assert_eq!(projects["size"], 5);
    let lab = analyst(&srv, "/workspaces/acme/projects/LAB").json();
    assert!(lab.get("description").is_none());
    assert_eq!(analyst(&srv, "/workspaces/acme/projects/OPS").json()["description"], "");
}

#[test]
fn rate_limit_with_and_without_retry_after() {
    let srv = FakeServer::start(FakeConfig {
        rate_limit: Some((2, Duration::from_secs(60))),
        ..FakeConfig::default()
    })
    .unwrap();
    assert_eq!(analyst(&srv, "/user").status, 200);
    assert_eq!(analyst(&srv, "/user").status, 200);
    let r = analyst(&srv, "/user");
    assert_eq!(r.status, 429);
    assert!(r.content_type.starts_with("text/plain"));
    assert_eq!(r.text, "Rate limit for this resource has been exceeded");
    assert!(r.retry_after.is_none());
    // Another credential has its own bucket.
    assert_eq!(get(&srv, "/user", Some(&creds::bearer(creds::OAUTH_TOKEN))).status, 200);
    srv.update_switches(|s| s.retry_after = true);
    let r = analyst(&srv, "/user");
    assert_eq!(r.status, 429);
    assert!(r.retry_after.unwrap().parse::<u64>().unwrap() >= 1);
}

#[test]
fn fault_injection_and_concurrency() {
    let srv = start();
    srv.set_faults(Faults {
        fail_next: Some(FailNext { count: 2, status: 503 }),
        ..Faults::default()
    });
    assert_eq!(analyst(&srv, "/user").status, 503);
    assert_eq!(analyst(&srv, "/user").status, 503);
    assert_eq!(analyst(&srv, "/user").status, 200);
    srv.set_faults(Faults {
        fail_path: Some(FailPath {
            contains: "/projects".into(),
            status: 555,
        }),
        ..Faults::default()
    });
    assert_eq!(analyst(&srv, "/workspaces/acme/projects").status, 555);
    assert_eq!(analyst(&srv, "/workspaces/acme").status, 200);

    srv.set_faults(Faults {
        latency_ms: 300,
        ..Faults::default()
    });
    srv.reset_log();
    let base = srv.base_url();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = format!("{base}/user");
            std::thread::spawn(move || get_url(&url, Some(&creds::analyst())).status)
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    assert_eq!(srv.request_count(), 4);
    assert!(srv.max_concurrency() >= 2, "peak {}", srv.max_concurrency());
    let r = &srv.requests()[0];
    assert!(r.end.duration_since(r.start) >= Duration::from_millis(300));
}

#[test]
fn control_endpoints() {
    let srv = start();
    let root = srv.web_root();
    let post = |path: &str, body: &str| {
        let mut r = agent()
            .post(&format!("{root}{path}"))
            .header("content-type", "application/json")
            .send(body)
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    let (s, body) = post("/_fake/config", r#"{"fail_next": {"count": 1, "status": 502}, "latency_ms": 1}"#);
    assert_eq!(s, 200, "{body}");
    let r = analyst(&srv, "/user");
    assert_eq!((r.status, r.text.as_str()), (502, "Bad Gateway"));
    assert_eq!(analyst(&srv, "/user").status, 200);
    let log: Value = serde_json::from_str(&get_url(&format!("{root}/_fake/requests"), None).text).unwrap();
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert_eq!(log[0]["status"], 502);
    let stats: Value = serde_json::from_str(&get_url(&format!("{root}/_fake/stats"), None).text).unwrap();
    assert_eq!(stats["count"], 2);
    assert_eq!(post("/_fake/reset", "").0, 204);
    assert_eq!(srv.request_count(), 0);
    assert_eq!(post("/_fake/config", r#"{"nope": 1}"#).0, 400);
}

#[test]
fn medium_scale_pages() {
    let srv = FakeServer::start(FakeConfig {
        scale: Scale::medium(),
        seed: 7,
        ..FakeConfig::default()
    })
    .unwrap();
    let (rows, pages) = scan(&srv, "/repositories/acme");
    assert_eq!(rows.len(), 30);
    assert_eq!(pages, 3);
}

#[test]
fn binary_prints_one_line_and_serves() {
    let dir = std::env::temp_dir().join(format!("fbb-port-{}", std::process::id()));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fake-bitbucket"))
        .args(["--port", "0", "--seed", "3", "--scale", "small", "--latency-ms", "0", "--port-file"])
        .arg(&dir)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("listening on ").expect("listening line").to_string();
    let port = std::fs::read_to_string(&dir).unwrap();
    assert_eq!(base, format!("http://127.0.0.1:{}/2.0", port.trim()));
    let r = get_url(&format!("{base}/user"), Some(&creds::analyst()));
    assert_eq!(r.status, 200);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(dir);
}
