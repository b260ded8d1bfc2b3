//! End-to-end tests of the pull-request, commit, pipeline and issue sub-collections:
//! comments, activity, PR commits, diffstat (302), commit statuses, pipeline steps.

use fake_bitbucket::data::PrState;
use fake_bitbucket::{creds, FakeConfig, FakeServer};
use serde_json::{json, Value};

struct Reply {
    status: u16,
    location: Option<String>,
    body: Value,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn call(url: &str, auth: Option<&str>) -> Reply {
    let mut req = agent().get(url);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    let mut resp = req.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = resp.status().as_u16();
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::Null)
    };
    Reply { status, location, body }
}

fn analyst(srv: &FakeServer, path: &str) -> Reply {
    call(&format!("{}{}", srv.base_url(), path), Some(&creds::analyst()))
}

fn ok(srv: &FakeServer, path: &str) -> Value {
    let r = analyst(srv, path);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

/// Follows `next` and returns every row; asserts the envelope is iterator-style when `iter`.
fn scan(srv: &FakeServer, path: &str, iter: bool) -> Vec<Value> {
    let mut url = format!("{}{}", srv.base_url(), path);
    let mut rows = Vec::new();
    loop {
        let r = call(&url, Some(&creds::analyst()));
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        if iter {
            for k in ["size", "page", "previous"] {
                assert!(r.body.get(k).is_none(), "{url}: iterator envelope has {k}");
            }
        }
        rows.extend(r.body["values"].as_array().unwrap().iter().cloned());
        match r.body["next"].as_str() {
            Some(n) => url = n.to_string(),
            None => return rows,
        }
    }
}

fn start() -> FakeServer {
    FakeServer::start(FakeConfig::default()).expect("server starts")
}

const CORE: &str = "/repositories/acme/core-api";

#[test]
fn pr_comments_iterate_and_match_the_dataset() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let pr = ds
        .pull_requests(&repo.uuid)
        .into_iter()
        .max_by_key(|p| ds.pr_comments(&repo.uuid, p.id).len())
        .unwrap();
    let want = ds.pr_comments(&repo.uuid, pr.id);
    assert!(want.len() >= 3);
    let rows = scan(&srv, &format!("{CORE}/pullrequests/{}/comments?pagelen=2", pr.id), true);
    let ids: Vec<u64> = rows.iter().map(|r| r["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, want.iter().map(|c| c.id).collect::<Vec<_>>());
    let live = rows.iter().filter(|r| r["deleted"] == false).count() as u64;
    assert_eq!(live, pr.comment_count);
    for (row, c) in rows.iter().zip(&want) {
        assert_eq!(row["type"], "pullrequest_comment");
        assert_eq!(row["content"]["raw"], c.raw.as_str());
        assert_eq!(row["content"]["markup"], "markdown");
        assert_eq!(row["user"]["type"], "user");
        assert_eq!(row["pullrequest"]["id"], pr.id);
        assert_eq!(row["pullrequest"]["type"], "pullrequest");
        assert_eq!(row["pending"], c.pending);
        assert_eq!(row.get("parent").is_some(), c.parent_id.is_some());
        assert_eq!(row.get("inline").is_some(), c.inline.is_some());
        if let Some(p) = c.parent_id {
            assert_eq!(row["parent"]["id"], p);
        }
        if let Some(i) = &c.inline {
            assert_eq!(row["inline"], json!({"path": i.path, "from": i.from, "to": i.to}));
        }
    }
    // Integer page and foreign tokens are refused; q/sort work; pagelen max 100.
    assert_eq!(analyst(&srv, &format!("{CORE}/pullrequests/{}/comments?page=2", pr.id)).status, 400);
    assert_eq!(
        analyst(&srv, &format!("{CORE}/pullrequests/{}/comments?pagelen=101", pr.id)).body,
        json!({"type": "error", "error": {"message": "Invalid pagelen"}})
    );
    let v = ok(
        &srv,
        &format!("{CORE}/pullrequests/{}/comments?q=deleted%3Dtrue&sort=-id&pagelen=100", pr.id),
    );
    assert!(v["values"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["deleted"] == true && r["content"]["raw"] == ""));
    assert_eq!(
        analyst(&srv, &format!("{CORE}/pullrequests/{}/comments?q=nope%3D1", pr.id)).status,
        400
    );
    assert_eq!(analyst(&srv, &format!("{CORE}/pullrequests/9999/comments")).status, 404);
    // Unicode somewhere in the repository's comments.
    assert!(ds.comments.iter().any(|c| c.repo_uuid == repo.uuid && !c.raw.is_ascii()));
}

#[test]
fn pr_activity_uses_ctx_tokens() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let pr = ds
        .pull_requests(&repo.uuid)
        .into_iter()
        .find(|p| p.state == PrState::Merged)
        .unwrap();
    let want = ds.pr_activity(&repo.uuid, pr.id);
    let first = ok(&srv, &format!("{CORE}/pullrequests/{}/activity?pagelen=1", pr.id));
    let next = first["next"].as_str().unwrap();
    assert!(next.contains("ctx=") && !next.contains("page="), "{next}");
    let rows = scan(&srv, &format!("{CORE}/pullrequests/{}/activity?pagelen=1", pr.id), true);
    assert_eq!(rows.len(), want.len());
    for (row, a) in rows.iter().zip(&want) {
        let keys: Vec<&str> = ["update", "approval", "changes_requested", "comment"]
            .into_iter()
            .filter(|k| row.get(*k).is_some())
            .collect();
        assert_eq!(keys, vec![a.kind()], "{row}");
        assert_eq!(row["pull_request"]["id"], pr.id);
        assert_eq!(row["pull_request"]["type"], "pullrequest");
    }
    let update = rows.iter().find(|r| r.get("update").is_some()).unwrap();
    assert_eq!(update["update"]["state"], "MERGED", "newest update first");
    assert!(update["update"]["source"]["commit"]["hash"].is_string());
    assert_eq!(ok(&srv, &format!("{CORE}/pullrequests/{}/activity", pr.id))["pagelen"], 20);
    assert_eq!(
        analyst(&srv, &format!("{CORE}/pullrequests/{}/activity?pagelen=51", pr.id)).status,
        400
    );
    assert_eq!(analyst(&srv, &format!("{CORE}/pullrequests/{}/activity?ctx=3", pr.id)).status, 400);
    let all = scan(&srv, &format!("{CORE}/pullrequests/activity?pagelen=50"), true);
    assert_eq!(all.len(), ds.repo_pr_activity(&repo.uuid).len());
    let total: usize = ds
        .pull_requests(&repo.uuid)
        .iter()
        .map(|p| ds.pr_activity(&repo.uuid, p.id).len())
        .sum();
    assert_eq!(all.len(), total);
}

#[test]
fn pr_commits_render_like_commits() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    for pr in ds.pull_requests(&repo.uuid).into_iter().take(4) {
        let want = ds.pr_commits(&repo.uuid, pr.id);
        assert!(!want.is_empty());
        let rows = scan(&srv, &format!("{CORE}/pullrequests/{}/commits?pagelen=1", pr.id), true);
        let hashes: Vec<&str> = rows.iter().map(|r| r["hash"].as_str().unwrap()).collect();
        assert_eq!(hashes, want.iter().map(|c| c.hash.as_str()).collect::<Vec<_>>());
        let direct = ok(&srv, &format!("{CORE}/commits/{}?pagelen=1", want[0].hash));
        assert_eq!(rows[0], direct["values"][0], "same renderer as /commits");
    }
}

#[test]
fn pr_diffstat_redirects_to_the_repository_diffstat() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let pr = ds.pull_request(&repo.uuid, 1).unwrap();
    let r = analyst(&srv, &format!("{CORE}/pullrequests/1/diffstat"));
    assert_eq!(r.status, 302);
    let loc = r.location.unwrap();
    assert_eq!(
        loc,
        format!(
            "{}/repositories/acme/core-api/diffstat/{}..{}?from_pullrequest_id=1&topic=true",
            srv.base_url(),
            pr.source_commit,
            pr.destination_commit
        )
    );
    assert!(srv
        .requests()
        .iter()
        .any(|q| q.status == 302 && q.path.ends_with("/pullrequests/1/diffstat")));
    let v = call(&loc, Some(&creds::analyst())).body;
    assert_eq!(v["pagelen"], 500);
    let want = ds.pr_diffstat(&repo.uuid, 1);
    let rows = v["values"].as_array().unwrap();
    assert_eq!(rows.len(), want.len());
    for (row, d) in rows.iter().zip(&want) {
        assert_eq!(row["type"], "diffstat");
        assert_eq!(row["status"], d.status.as_str());
        assert_eq!(row["lines_added"], d.lines_added);
        assert_eq!(row["old"].is_null(), d.status == "added");
        assert_eq!(row["new"].is_null(), d.status == "removed");
        for side in ["old", "new"] {
            if !row[side].is_null() {
                assert_eq!(row[side]["type"], "commit_file");
                assert!(row[side]["links"]["self"]["href"].as_str().unwrap().starts_with(&srv.base_url()));
            }
        }
    }
    // Every status shows up somewhere in the repository.
    let mut seen = std::collections::BTreeSet::new();
    for p in ds.pull_requests(&repo.uuid) {
        for d in ds.pr_diffstat(&repo.uuid, p.id) {
            seen.insert(d.status.clone());
            if let Some(p) = d.new_path.as_ref().or(d.old_path.as_ref()) {
                assert!(p.contains('/') || p == "README.md");
            }
        }
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(ds
        .pull_requests(&repo.uuid)
        .iter()
        .flat_map(|p| ds.pr_diffstat(&repo.uuid, p.id))
        .any(|d| d.new_path.as_deref().is_some_and(|p| p.contains(' ') && !p.is_ascii())));
    assert_eq!(
        analyst(
            &srv,
            &format!("{CORE}/diffstat/{}..{}?pagelen=501", pr.source_commit, pr.destination_commit)
        )
        .body["error"]["message"],
        "Invalid pagelen"
    );
    assert_eq!(analyst(&srv, &format!("{CORE}/diffstat/deadbeef..cafebabe")).status, 404);
    assert_eq!(analyst(&srv, &format!("{CORE}/pullrequests/999/diffstat")).status, 404);
    assert_eq!(analyst(&srv, "/repositories/acme/empty-repo/diffstat/main").status, 404);
}

#[test]
fn commit_statuses_and_comments() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let newest = ds.commits(&repo.uuid)[0];
    let want = ds.commit_statuses(&repo.uuid, &newest.hash);
    assert!((1..=3).contains(&want.len()));
    for h in [newest.hash.as_str(), &newest.hash[..12]] {
        let v = ok(&srv, &format!("{CORE}/commit/{h}/statuses"));
        assert_eq!(v["size"], want.len());
        let row = &v["values"][0];
        assert_eq!(row["type"], "build");
        assert_eq!(row["key"], want[0].key.as_str());
        assert_eq!(row["state"], want[0].state.as_str());
        assert_eq!(row["refname"], json!(want[0].refname));
        assert_eq!(row["commit"]["hash"], newest.hash.as_str());
        assert_eq!(row["commit"]["type"], "commit");
    }
    let v = ok(&srv, &format!("{CORE}/commit/{}/statuses?q=state%3D%22NOPE%22", newest.hash));
    assert_eq!(v["size"], 0);
    let nf = analyst(&srv, &format!("{CORE}/commit/0000000000000000000000000000000000000000/statuses"));
    assert_eq!(nf.status, 404);
    assert!(nf.body["error"]["message"].as_str().unwrap().starts_with("Commit not found"));
    let with_status = ds
        .commits(&repo.uuid)
        .iter()
        .filter(|c| !ds.commit_statuses(&repo.uuid, &c.hash).is_empty())
        .count();
    assert!(with_status * 5 >= ds.commits(&repo.uuid).len(), "about a third of commits");

    let commented: Vec<_> = ds
        .comments
        .iter()
        .filter(|c| c.repo_uuid == repo.uuid && c.commit_hash.is_some())
        .collect();
    let hash = commented.iter().find(|c| c.deleted).unwrap().commit_hash.clone().unwrap();
    let want = ds.commit_comments(&repo.uuid, &hash);
    let v = ok(&srv, &format!("{CORE}/commit/{hash}/comments"));
    assert_eq!(v["size"], want.len());
    let rows = v["values"].as_array().unwrap();
    assert!(rows
        .iter()
        .all(|r| r["type"] == "commit_comment" && r["commit"]["hash"] == hash.as_str()));
    assert!(rows.iter().all(|r| r.get("pullrequest").is_none()));
    assert!(rows.iter().any(|r| r["deleted"] == true));
    assert!(rows.iter().any(|r| r.get("parent").is_some()));
    let v = ok(&srv, &format!("{CORE}/commit/{hash}/comments?sort=-created_on&q=deleted%3Dfalse"));
    assert_eq!(v["size"], want.iter().filter(|c| !c.deleted).count());
}

#[test]
fn pipeline_steps_follow_the_pipeline() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    for p in ds.pipelines(&repo.uuid) {
        let enc = p.uuid.replace('{', "%7B").replace('}', "%7D");
        for id in [enc.as_str(), p.uuid.as_str()] {
            let v = ok(&srv, &format!("{CORE}/pipelines/{id}/steps?pagelen=1"));
            let want = ds.pipeline_steps(&repo.uuid, &p.uuid);
            assert_eq!(v["size"], want.len());
            assert!(v.get("next").is_none(), "next dropped like pipelines");
            let row = &v["values"][0];
            assert_eq!(row["type"], "pipeline_step");
            assert_eq!(row["uuid"], want[0].uuid.as_str());
            assert_eq!(row["pipeline"], json!({"type": "pipeline", "uuid": p.uuid}));
            assert_eq!(row["state"]["name"], want[0].state.as_str());
            assert_eq!(row["state"].get("result").is_some(), want[0].state == "COMPLETED");
            assert!(row["image"]["name"].is_string());
        }
    }
    srv.update_switches(|s| s.pipelines_omit_next = false);
    let p = ds
        .pipelines(&repo.uuid)
        .into_iter()
        .find(|p| ds.pipeline_steps(&repo.uuid, &p.uuid).len() > 1)
        .unwrap();
    assert!(ok(&srv, &format!("{CORE}/pipelines/{}/steps?pagelen=1", p.uuid))["next"].is_string());
    assert_eq!(
        analyst(&srv, &format!("{CORE}/pipelines/%7B00000000-0000-4000-8000-000000000000%7D/steps")).status,
        404
    );
    assert_eq!(analyst(&srv, &format!("{CORE}/pipelines/{}/steps?pagelen=101", p.uuid)).status, 400);
}

#[test]
fn issue_comments_follow_tracker_rules() {
    let srv = start();
    let ds = srv.dataset();
    let repo = ds.find_repository("acme", "core-api").unwrap();
    let issue = ds
        .issues(&repo.uuid)
        .into_iter()
        .find(|i| !ds.issue_comments(&repo.uuid, i.id).is_empty())
        .unwrap();
    let want = ds.issue_comments(&repo.uuid, issue.id);
    let v = ok(&srv, &format!("{CORE}/issues/{}/comments", issue.id));
    assert_eq!(v["size"], want.len());
    let row = &v["values"][0];
    assert_eq!(row["type"], "issue_comment");
    assert_eq!(row["id"], want[0].id);
    assert_eq!(row["issue"]["id"], issue.id);
    assert_eq!(row["issue"]["type"], "issue");
    assert_eq!(row["issue"]["title"], issue.title.as_str());
    assert_eq!(row["updated_on"].is_null(), want[0].updated_on.is_none());
    let v = ok(&srv, &format!("{CORE}/issues/{}/comments?q=id%3D{}", issue.id, want[0].id));
    assert_eq!(v["size"], 1);
    let r = analyst(&srv, "/repositories/acme/legacy-tracker/issues/1/comments");
    assert_eq!(
        (r.status, r.body["error"]["message"].as_str()),
        (404, Some("Repository has no issue tracker."))
    );
    assert_eq!(analyst(&srv, &format!("{CORE}/issues/9999/comments")).status, 404);
}

#[test]
fn private_repositories_stay_hidden() {
    let srv = start();
    for p in [
        "pullrequests/1/comments",
        "pullrequests/1/activity",
        "pullrequests/activity",
        "pullrequests/1/commits",
        "pullrequests/1/diffstat",
        "hooks",
        "default-reviewers",
    ] {
        let r = call(&format!("{}{CORE}/{p}", srv.base_url()), None);
        assert!(r.status == 404 || r.status == 401, "{p}: {}", r.status);
    }
    let r = call(&format!("{}{CORE}/pullrequests/1/comments", srv.base_url()), None);
    assert_eq!(r.status, 404);
    // Scopes: the viewer token only has read:user.
    let r = call(&format!("{}{CORE}/pullrequests/1/comments", srv.base_url()), Some(&creds::viewer()));
    assert_eq!(r.status, 403);
    assert_eq!(r.body["error"]["detail"]["required"], json!(["read:pullrequest:bitbucket"]));
}
