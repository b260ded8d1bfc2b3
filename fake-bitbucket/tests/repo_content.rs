//! End-to-end tests of the repository-scoped endpoints (refs, commits, pull requests,
//! pipelines, issues, environments, deployments).

use fake_bitbucket::data::PrState;
use fake_bitbucket::{creds, FakeConfig, FakeServer, PrStateWithQ};
use serde_json::{json, Value};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn get_url(url: &str, auth: Option<&str>) -> (u16, Value) {
    let mut req = agent().get(url);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    let mut resp = req.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}")),
    )
}

fn analyst(srv: &FakeServer, path: &str) -> (u16, Value) {
    get_url(&format!("{}{}", srv.base_url(), path), Some(&creds::analyst()))
}

fn ok(srv: &FakeServer, path: &str) -> Value {
    let (s, v) = analyst(srv, path);
    assert_eq!(s, 200, "{path}: {v}");
    v
}

fn start() -> FakeServer {
    FakeServer::start(FakeConfig::default()).expect("server starts")
}

const CORE: &str = "/repositories/acme/core-api";

#[test]
fn commits_use_iterator_pagination() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let want: Vec<String> = ds.commits(&repo.uuid).iter().map(|c| c.hash.clone()).collect();
    let first = ok(&srv, &format!("{CORE}/commits"));
    assert_eq!(first["pagelen"], 30);
    for k in ["size", "page", "previous"] {
        assert!(first.get(k).is_none(), "iterator envelope has no {k}");
    }
    let mut url = format!("{}{CORE}/commits?pagelen=7&fields=next,values.hash", srv.base_url());
    let mut got = Vec::new();
    let mut tokens = Vec::new();
    loop {
        let (s, v) = get_url(&url, Some(&creds::analyst()));
        assert_eq!(s, 200, "{url}");
        got.extend(
            v["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["hash"].as_str().unwrap().to_string()),
        );
        match v["next"].as_str() {
            Some(n) => {
                assert!(n.contains("pagelen=7") && n.contains("fields="), "{n}");
                let token = n.rsplit("page=").next().unwrap().to_string();
                assert!(token.parse::<u64>().is_err(), "opaque token: {token}");
                tokens.push(token);
                url = n.to_string();
            }
            None => break,
        }
    }
    assert_eq!(got, want);
    assert!(got.iter().all(|h| h.len() == 40));
    for bad in ["page=2", "page=1", "page=bogus"] {
        let (s, _) = analyst(&srv, &format!("{CORE}/commits?{bad}"));
        assert_eq!(s, 400, "{bad}");
    }
    // A token from one collection is not valid for another.
    let (s, _) = analyst(&srv, &format!("{CORE}/commits/main?page={}", tokens[0]));
    assert_eq!(s, 400);
    assert_eq!(analyst(&srv, &format!("{CORE}/commits?pagelen=101")).0, 400);
    // No BBQL: q ignored by default, rejected with the switch.
    assert_eq!(
        ok(&srv, &format!("{CORE}/commits?q=hash%3D%22x%22&pagelen=1"))["values"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    srv.update_switches(|s| s.reject_unsupported_q = true);
    assert_eq!(analyst(&srv, &format!("{CORE}/commits?q=hash%3D%22x%22")).0, 400);
}

#[test]
fn commits_by_revision_include_exclude() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let main = ds.commits_between(&repo.uuid, &["main"], &[]).unwrap();
    let v = ok(
        &srv,
        &format!("{CORE}/commits/main?pagelen=100&fields=values.hash,values.author,values.date"),
    );
    let hashes: Vec<&str> = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["hash"].as_str().unwrap())
        .collect();
    assert_eq!(hashes, main.iter().map(|c| c.hash.as_str()).collect::<Vec<_>>());
    let only_feature = ds.commits_between(&repo.uuid, &["feature/login"], &["main"]).unwrap();
    assert!(!only_feature.is_empty());
    let v = ok(&srv, &format!("{CORE}/commits?include=feature%2Flogin&exclude=main&pagelen=100"));
    assert_eq!(v["values"].as_array().unwrap().len(), only_feature.len());
    let v = ok(&srv, &format!("{CORE}/commits/feature/login?exclude=main"));
    assert_eq!(v["values"].as_array().unwrap().len(), only_feature.len());
    assert_eq!(analyst(&srv, &format!("{CORE}/commits/no-such-branch")).0, 404);
    // Unknown authors have no `user` key at all.
    let all = ok(&srv, &format!("{CORE}/commits?pagelen=100"));
    let rows = all["values"].as_array().unwrap();
    assert!(rows
        .iter()
        .any(|c| c["author"].get("user").is_none() && c["author"]["raw"].as_str().unwrap().contains('<')));
    assert!(rows
        .iter()
        .all(|c| c["type"] == "commit" && c["links"]["self"]["href"].as_str().unwrap().starts_with(&srv.base_url())));
}

#[test]
fn branches_and_tags() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let v = ok(&srv, &format!("{CORE}/refs/branches?pagelen=100"));
    assert_eq!(v["size"], ds.branches(&repo.uuid).len());
    for path in ["feature/login", "feature%2Flogin"] {
        let b = ok(&srv, &format!("{CORE}/refs/branches/{path}"));
        assert_eq!(b["name"], "feature/login");
        assert_eq!(b["type"], "branch");
        assert_eq!(b["target"]["hash"].as_str().unwrap().len(), 40);
        assert!(b["merge_strategies"].is_array());
    }
    assert_eq!(analyst(&srv, &format!("{CORE}/refs/branches/feature/nope")).0, 404);
    let q = ok(&srv, &format!("{CORE}/refs/branches?q=name%20~%20%22feature%2F%22&pagelen=100"));
    assert!(q["values"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["name"].as_str().unwrap().starts_with("feature/")));
    let tags = ok(&srv, &format!("{CORE}/refs/tags?sort=name&pagelen=100&fields=values.name"));
    let names: Vec<&str> = tags["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let nine = names.iter().position(|n| *n == "v0.9.0").unwrap();
    let ten = names.iter().position(|n| *n == "v0.10.0").unwrap();
    assert!(nine < ten, "natural order: {names:?}");
    let desc = ok(&srv, &format!("{CORE}/refs/tags?sort=-name&pagelen=1"));
    assert_eq!(desc["values"][0]["name"], *names.last().unwrap());
    let empty = ok(&srv, "/repositories/acme/empty-repo/refs/branches");
    assert_eq!(empty, json!({"pagelen": 10, "size": 0, "page": 1, "values": []}));
    assert_eq!(ok(&srv, "/repositories/acme/empty-repo/commits")["values"], json!([]));
}

#[test]
fn pull_requests_pagelen_and_states() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let all = ds.pull_requests(&repo.uuid);
    let open = all.iter().filter(|p| p.state == PrState::Open).count();
    assert_eq!(analyst(&srv, &format!("{CORE}/pullrequests?pagelen=50")).0, 200);
    let (s, v) = analyst(&srv, &format!("{CORE}/pullrequests?pagelen=51"));
    assert_eq!((s, v), (400, json!({"type": "error", "error": {"message": "Invalid pagelen"}})));
    let v = ok(&srv, &format!("{CORE}/pullrequests"));
    assert_eq!(v["pagelen"], 10);
    assert_eq!(v["size"], open);
    let v = ok(&srv, &format!("{CORE}/pullrequests?state=MERGED&state=DECLINED&pagelen=50"));
    let want = all
        .iter()
        .filter(|p| matches!(p.state, PrState::Merged | PrState::Declined))
        .count();
    assert_eq!(v["size"], want);
    let rows = v["values"].as_array().unwrap();
    assert!(rows.iter().all(|p| p["state"] == "MERGED" || p["state"] == "DECLINED"));
    assert!(rows.iter().all(|p| p.get("participants").is_none() && p.get("reviewers").is_none()));
    let merged = rows.iter().find(|p| p["state"] == "MERGED").unwrap();
    assert_eq!(merged["merge_commit"]["hash"].as_str().unwrap().len(), 12);
    // q naming state lifts the default OPEN filter.
    let v = ok(&srv, &format!("{CORE}/pullrequests?q=state%20!%3D%20%22OPEN%22&pagelen=50"));
    assert_eq!(v["size"], all.len() - open);
    // state + q: AND by default, state ignored with the switch.
    let q = "q=id%20%3E%200&state=MERGED&pagelen=50";
    let merged_n = all.iter().filter(|p| p.state == PrState::Merged).count();
    assert_eq!(ok(&srv, &format!("{CORE}/pullrequests?{q}"))["size"], merged_n);
    srv.update_switches(|s| s.pr_state_with_q = PrStateWithQ::IgnoreState);
    assert_eq!(ok(&srv, &format!("{CORE}/pullrequests?{q}"))["size"], all.len());
    let v = ok(&srv, &format!("{CORE}/pullrequests?state=OPEN&fields=%2Bvalues.participants"));
    assert!(v["values"][0]["participants"].is_array());
    let one = ok(&srv, &format!("{CORE}/pullrequests/1"));
    assert!(one["participants"].is_array() && one["reviewers"].is_array());
    assert_eq!(one["source"]["commit"]["hash"].as_str().unwrap().len(), 12);
    assert_eq!(one["destination"]["repository"]["full_name"], "acme/core-api");
    assert_eq!(analyst(&srv, &format!("{CORE}/pullrequests/999")).0, 404);
    assert_eq!(analyst(&srv, &format!("{CORE}/pullrequests?state=BOGUS")).0, 400);
    // A title with `"` and `\` is reachable through BBQL escaping.
    let v = ok(&srv, &format!("{CORE}/pullrequests?state=MERGED&state=OPEN&state=DECLINED&state=SUPERSEDED&q=title%20~%20%22%5C%22quoted%5C%22%20paths%20in%20C%3A%5C%5Ctemp%22"));
    let rows = v["values"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|p| p["title"].as_str().unwrap().starts_with(r#"Fix "quoted" paths in C:\temp"#)));
}

#[test]
fn pipelines_omit_next_but_keep_page_and_size() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let n = ds.pipelines(&repo.uuid).len();
    assert!(n > 2);
    let v = ok(&srv, &format!("{CORE}/pipelines?pagelen=2"));
    assert!(v.get("next").is_none());
    assert_eq!(
        (v["page"].clone(), v["pagelen"].clone(), v["size"].clone()),
        (json!(1), json!(2), json!(n))
    );
    assert_eq!(v["values"][0]["build_number"], 1, "oldest first");
    let v = ok(&srv, &format!("{CORE}/pipelines?pagelen=2&page=2"));
    assert_eq!(v["values"][0]["build_number"], 3);
    let v = ok(&srv, &format!("{CORE}/pipelines?sort=-created_on&pagelen=1"));
    assert_eq!(v["values"][0]["build_number"], n);
    assert_eq!(analyst(&srv, &format!("{CORE}/pipelines?sort=name")).0, 400);
    assert_eq!(analyst(&srv, &format!("{CORE}/pipelines?pagelen=101")).0, 400);
    srv.update_switches(|s| s.pipelines_omit_next = false);
    let v = ok(&srv, &format!("{CORE}/pipelines?pagelen=2"));
    assert!(v["next"].as_str().unwrap().ends_with("page=2"));
    let p = &v["values"][0];
    assert!(p["state"]["name"].is_string() && p["target"]["commit"]["hash"].is_string());
}

#[test]
fn issues_and_tracker_404() {
    let srv = start();
    for path in [
        "/repositories/acme/legacy-tracker/issues",
        "/repositories/acme/legacy-tracker/issues/1",
    ] {
        let (s, v) = analyst(&srv, path);
        assert_eq!(s, 404);
        assert_eq!(
            v,
            json!({"type": "error", "error": {"message": "Repository has no issue tracker."}})
        );
    }
    let v = ok(&srv, &format!("{CORE}/issues?q=priority%20%3E%3D%20%22critical%22&pagelen=100"));
    assert!(v["values"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["priority"] == "critical" || i["priority"] == "blocker"));
    let v = ok(&srv, &format!("{CORE}/issues?sort=-priority&pagelen=100"));
    assert!(v["size"].as_u64().unwrap() > 0);
    assert_eq!(ok(&srv, "/repositories/acme/empty-repo/issues")["size"], 0);
}

#[test]
fn private_repos_are_404_everywhere() {
    let srv = start();
    for suffix in [
        "refs/branches",
        "refs/tags",
        "commits",
        "pullrequests",
        "pipelines",
        "issues",
        "environments",
        "deployments",
    ] {
        let (s, v) = analyst(&srv, &format!("/repositories/initech/tps-reports/{suffix}"));
        assert_eq!(s, 404, "{suffix}");
        assert!(v["error"]["message"].as_str().unwrap().starts_with("You may not have access"));
        let (s, _) = get_url(&format!("{}{CORE}/{suffix}", srv.base_url()), None);
        assert_eq!(s, 404, "anonymous {suffix}");
    }
    let env = ok(&srv, &format!("{CORE}/environments"));
    assert_eq!(env["size"], 3);
    assert!(ok(&srv, &format!("{CORE}/deployments"))["size"].as_u64().unwrap() > 0);
}
