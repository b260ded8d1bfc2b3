//! Writes over HTTP: status codes, error bodies with `fields`, scopes, the data set swap (the
//! response cache must not serve the old rows), the request log's method and body, and reset.

use fake_bitbucket::{creds, FakeConfig, FakeServer};
use serde_json::{json, Value};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn writer() -> String {
    creds::basic(creds::ANALYST_EMAIL, creds::WRITER_TOKEN)
}

/// Sends `method` with an optional JSON body; (status, JSON or Null).
fn send(srv: &FakeServer, method: &str, path: &str, body: Option<Value>, auth: Option<&str>) -> (u16, Value) {
    let url = format!("{}{}", srv.base_url(), path);
    let a = agent();
    let mut resp = match (method, body) {
        ("GET", _) => {
            let mut r = a.get(&url);
            if let Some(h) = auth {
                r = r.header("Authorization", h);
            }
            r.call()
        }
        ("DELETE", _) => {
            let mut r = a.delete(&url);
            if let Some(h) = auth {
                r = r.header("Authorization", h);
            }
            r.call()
        }
        (m, b) => {
            let mut r = if m == "PUT" { a.put(&url) } else { a.post(&url) };
            if let Some(h) = auth {
                r = r.header("Authorization", h);
            }
            r.header("Content-Type", "application/json")
                .send(b.unwrap_or(json!({})).to_string())
        }
    }
    .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn tracker_repo(srv: &FakeServer) -> String {
    let ds = srv.dataset();
    let acme = ds.find_workspace("acme").unwrap();
    let slug = ds
        .repositories_in(&acme.uuid)
        .find(|r| r.has_issues && r.mainbranch.is_some())
        .unwrap()
        .slug
        .clone();
    slug
}

#[test]
fn issue_create_update_delete() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let w = writer();
    let repo = tracker_repo(&srv);
    let base = format!("/repositories/acme/{repo}/issues");
    let (_, list) = send(&srv, "GET", &format!("{base}?pagelen=100"), None, Some(&w));
    let before = list["size"].as_u64().unwrap();
    let next_id = list["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_u64().unwrap())
        .max()
        .unwrap()
        + 1;

    let (st, v) = send(
        &srv,
        "POST",
        &base,
        Some(json!({"title": "New", "content": {"raw": "text"}, "kind": "task"})),
        Some(&w),
    );
    assert_eq!(st, 201, "{v}");
    assert_eq!(
        (v["id"].as_u64(), v["title"].as_str(), v["kind"].as_str(), v["state"].as_str()),
        (Some(next_id), Some("New"), Some("task"), Some("new"))
    );
    assert_eq!(v["content"]["raw"], "text");
    // The cached list is not served again: the data set changed.
    let (_, list) = send(&srv, "GET", &format!("{base}?pagelen=100"), None, Some(&w));
    assert_eq!(list["size"].as_u64(), Some(before + 1));

    let (st, v) = send(
        &srv,
        "PUT",
        &format!("{base}/{next_id}"),
        Some(json!({"title": "Renamed", "assignee": null})),
        Some(&w),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (v["title"].as_str(), v["kind"].as_str(), &v["assignee"]),
        (Some("Renamed"), Some("task"), &Value::Null)
    );

    assert_eq!(send(&srv, "DELETE", &format!("{base}/{next_id}"), None, Some(&w)).0, 204);
    let (st, v) = send(&srv, "DELETE", &format!("{base}/{next_id}"), None, Some(&w));
    assert_eq!(
        (st, v["error"]["message"].as_str()),
        (404, Some(format!("Issue {next_id} not found").as_str()))
    );
    assert_eq!(send(&srv, "GET", &format!("{base}/{next_id}"), None, Some(&w)).0, 404);

    let log: Vec<(String, u16, Option<String>)> = srv
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method, r.status, r.body))
        .collect();
    assert_eq!(log[0].0, "POST");
    assert_eq!(serde_json::from_str::<Value>(log[0].2.as_deref().unwrap()).unwrap()["title"], "New");
    assert_eq!(log.iter().map(|l| l.1).collect::<Vec<_>>(), vec![201, 200, 204, 404]);

    srv.reset_data();
    let (_, list) = send(&srv, "GET", &format!("{base}?pagelen=100"), None, Some(&w));
    assert_eq!(list["size"].as_u64(), Some(before), "reset puts the generated data back");
}

#[test]
fn validation_errors_name_the_fields() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let w = writer();
    let base = format!("/repositories/acme/{}/issues", tracker_repo(&srv));
    let (st, v) = send(&srv, "POST", &base, Some(json!({"kind": "bug"})), Some(&w));
    assert_eq!(st, 400);
    assert_eq!(v["error"]["fields"]["title"], json!(["This field is required."]));
    let (st, v) = send(&srv, "POST", &base, Some(json!({"title": "x", "kind": "nonsense"})), Some(&w));
    assert_eq!(st, 400);
    assert_eq!(v["error"]["fields"]["kind"], json!(["\"nonsense\" is not a valid choice."]));
    assert_eq!(v["type"], "error");
}

#[test]
fn writes_need_credentials_and_write_scopes() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let base = format!("/repositories/acme/{}/issues", tracker_repo(&srv));
    assert_eq!(send(&srv, "POST", &base, Some(json!({"title": "x"})), None).0, 401);
    let (st, v) = send(&srv, "POST", &base, Some(json!({"title": "x"})), Some(&creds::analyst()));
    assert_eq!(st, 403);
    assert_eq!(v["error"]["detail"]["required"], json!(["write:issue:bitbucket"]));
    let (st, v) = send(&srv, "DELETE", &format!("{base}/1"), None, Some(&creds::analyst()));
    assert_eq!((st, &v["error"]["detail"]["required"]), (403, &json!(["delete:issue:bitbucket"])));
    // Paths without a write route keep Bitbucket's 405.
    assert_eq!(send(&srv, "DELETE", "/user", None, Some(&writer())).0, 405);
}

#[test]
fn branches_tags_pull_requests_and_statuses() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let w = writer();
    let ds = srv.dataset();
    let acme = ds.find_workspace("acme").unwrap();
    let repo = ds.repositories_in(&acme.uuid).find(|r| r.mainbranch.is_some()).unwrap().clone();
    let main = repo.mainbranch.clone().unwrap();
    let head = ds.branch(&repo.uuid, &main).unwrap().target_hash.clone();
    let other = ds.branches(&repo.uuid).into_iter().find(|b| b.name != main).unwrap().name.clone();
    let r = format!("/repositories/acme/{}", repo.slug);

    let body = json!({"name": "odbc/x", "target": {"hash": head}});
    let (st, v) = send(&srv, "POST", &format!("{r}/refs/branches"), Some(body.clone()), Some(&w));
    assert_eq!(
        (st, v["name"].as_str(), v["target"]["hash"].as_str()),
        (201, Some("odbc/x"), Some(head.as_str()))
    );
    let (st, v) = send(&srv, "POST", &format!("{r}/refs/branches"), Some(body), Some(&w));
    assert_eq!(
        (st, v["error"]["message"].as_str()),
        (409, Some("Branch \"odbc/x\" already exists."))
    );
    assert_eq!(send(&srv, "GET", &format!("{r}/refs/branches/odbc%2Fx"), None, Some(&w)).0, 200);
    assert_eq!(send(&srv, "DELETE", &format!("{r}/refs/branches/odbc%2Fx"), None, Some(&w)).0, 204);
    assert_eq!(send(&srv, "GET", &format!("{r}/refs/branches/odbc%2Fx"), None, Some(&w)).0, 404);
    let (st, v) = send(
        &srv,
        "POST",
        &format!("{r}/refs/branches"),
        Some(json!({"name": "y", "target": {"hash": "0000000"}})),
        Some(&w),
    );
    assert_eq!(
        (st, v["error"]["fields"]["target"][0].as_str()),
        (400, Some("Commit \"0000000\" not found."))
    );

    let (st, v) = send(
        &srv,
        "POST",
        &format!("{r}/refs/tags"),
        Some(json!({"name": "v9", "target": {"hash": head}, "message": "m"})),
        Some(&w),
    );
    assert_eq!((st, v["message"].as_str()), (201, Some("m")));
    assert_eq!(send(&srv, "DELETE", &format!("{r}/refs/tags/v9"), None, Some(&w)).0, 204);

    let pr = json!({"title": "T", "source": {"branch": {"name": other}}, "destination": {"branch": {"name": main}}});
    let (st, v) = send(&srv, "POST", &format!("{r}/pullrequests"), Some(pr), Some(&w));
    assert_eq!((st, v["state"].as_str()), (201, Some("OPEN")), "{v}");
    let id = v["id"].as_u64().unwrap();
    let (st, v) = send(&srv, "POST", &format!("{r}/pullrequests/{id}/merge"), None, Some(&w));
    assert_eq!((st, v["state"].as_str()), (200, Some("MERGED")));
    let (st, v) = send(&srv, "POST", &format!("{r}/pullrequests/{id}/decline"), None, Some(&w));
    assert_eq!(
        (st, v["error"]["message"].as_str()),
        (400, Some("You can't decline a pull request that is merged."))
    );

    let s = format!("{r}/commit/{head}/statuses/build");
    let (st, v) = send(&srv, "POST", &s, Some(json!({"key": "ci", "state": "INPROGRESS"})), Some(&w));
    assert_eq!((st, v["state"].as_str()), (201, Some("INPROGRESS")), "{v}");
    let (st, v) = send(
        &srv,
        "PUT",
        &format!("{s}/ci"),
        Some(json!({"state": "FAILED", "name": "CI"})),
        Some(&w),
    );
    assert_eq!((st, v["state"].as_str(), v["name"].as_str()), (200, Some("FAILED"), Some("CI")));
    assert_eq!(
        send(&srv, "PUT", &format!("{s}/nope"), Some(json!({"state": "FAILED"})), Some(&w)).0,
        404
    );
}
