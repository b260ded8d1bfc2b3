//! End-to-end tests of the admin-flavoured endpoints: repository and project permissions,
//! webhooks, branch restrictions and default reviewers.

use fake_bitbucket::{creds, FakeConfig, FakeServer};
use serde_json::{json, Value};

fn get(srv: &FakeServer, path: &str, auth: Option<&str>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let url = format!("{}{}", srv.base_url(), path);
    let mut req = agent.get(&url);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    let mut resp = req.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}")))
}

fn analyst(srv: &FakeServer, path: &str) -> (u16, Value) {
    get(srv, path, Some(&creds::analyst()))
}

fn ok(srv: &FakeServer, path: &str) -> Value {
    let (s, v) = analyst(srv, path);
    assert_eq!(s, 200, "{path}: {v}");
    v
}

fn start() -> FakeServer {
    FakeServer::start(FakeConfig::default()).expect("server starts")
}

#[test]
fn repository_permissions_are_admin_only() {
    let srv = start();
    let ds = srv.dataset();
    let acme = ds.find_workspace("acme").unwrap();
    let want = ds.repo_permissions(&acme.uuid);
    let v = ok(&srv, "/workspaces/acme/permissions/repositories?pagelen=100");
    assert_eq!(v["size"], want.len());
    let row = &v["values"][0];
    assert_eq!(row["type"], "repository_permission");
    assert_eq!(row["permission"], want[0].permission.as_str());
    assert_eq!(row["user"]["uuid"], want[0].user_uuid.as_str());
    assert_eq!(row["repository"]["uuid"], want[0].repo_uuid.as_str());
    assert_eq!(row["repository"]["type"], "repository");
    assert!(row["repository"].get("slug").is_none(), "condensed repository has no slug");
    assert!(row["repository"]["full_name"].as_str().unwrap().starts_with("acme/"));
    // Admins of the workspace are admin everywhere; q compares permissions in order.
    let analyst_uuid = ds.user_by_nickname("analyst").unwrap().uuid.clone();
    assert!(want
        .iter()
        .filter(|p| p.user_uuid == analyst_uuid)
        .all(|p| p.permission.as_str() == "admin"));
    let v = ok(
        &srv,
        "/workspaces/acme/permissions/repositories?q=permission%3D%22read%22&pagelen=100",
    );
    assert_eq!(v["size"], want.iter().filter(|p| p.permission.as_str() == "read").count());
    let v = ok(&srv, "/workspaces/acme/permissions/repositories/core-api?sort=-permission");
    let core = ds.find_repository("acme", "core-api").unwrap();
    assert_eq!(v["size"], want.iter().filter(|p| p.repo_uuid == core.uuid).count());
    assert_eq!(analyst(&srv, "/workspaces/acme/permissions/repositories/nope").0, 404);
    assert_eq!(analyst(&srv, "/workspaces/acme/permissions/repositories?pagelen=101").0, 400);
    // The analyst is only a member of globex: 403 with the standard error body.
    let (s, v) = analyst(&srv, "/workspaces/globex/permissions/repositories");
    assert_eq!(s, 403);
    assert_eq!(v["type"], "error");
    assert!(v["error"]["message"].is_string());
    // …but may list their own rows there.
    let mine = ok(&srv, "/user/workspaces/globex/permissions/repositories?pagelen=100");
    let globex = ds.find_workspace("globex").unwrap();
    let own = ds
        .repo_permissions(&globex.uuid)
        .into_iter()
        .filter(|p| p.user_uuid == analyst_uuid)
        .count();
    assert_eq!(mine["size"], own);
    assert!(mine["values"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["user"]["uuid"] == analyst_uuid.as_str()));
    assert_eq!(get(&srv, "/workspaces/acme/permissions/repositories", None).0, 401);
}

#[test]
fn project_permissions_have_no_bbql() {
    let srv = start();
    let ds = srv.dataset();
    let acme = ds.find_workspace("acme").unwrap();
    let core = ds.find_project(&acme.uuid, "CORE").unwrap();
    let users = ok(&srv, "/workspaces/acme/projects/CORE/permissions-config/users");
    let want = ds.project_user_permissions(&core.uuid);
    assert_eq!(users["size"], want.len());
    let row = &users["values"][0];
    assert_eq!(row["type"], "project_user_permission");
    assert_eq!(row["permission"], want[0].permission.as_str());
    assert_eq!(row["user"]["type"], "user");
    assert_eq!(row["project"]["key"], "CORE");
    assert_eq!(row["project"]["type"], "project");
    let groups = ok(&srv, "/workspaces/acme/projects/CORE/permissions-config/groups");
    let want = ds.project_group_permissions(&core.uuid);
    assert_eq!(groups["size"], want.len());
    for r in groups["values"].as_array().unwrap() {
        assert_eq!(r["type"], "project_group_permission");
        assert_eq!(r["group"]["type"], "group");
        let slug = r["group"]["slug"].as_str().unwrap();
        assert_eq!(r["group"]["full_slug"], format!("acme:{slug}"));
    }
    let names: Vec<&str> = ds.groups(&acme.uuid).iter().map(|g| g.name.as_str()).collect();
    assert!(names.contains(&"Ünïcode Group"));
    let (s, v) = analyst(
        &srv,
        "/workspaces/acme/projects/CORE/permissions-config/users?q=permission%3D%22admin%22",
    );
    assert_eq!(s, 400);
    assert!(v["error"]["message"].as_str().unwrap().contains("BBQL"));
    assert_eq!(analyst(&srv, "/workspaces/acme/projects/NOPE/permissions-config/users").0, 404);
    assert_eq!(analyst(&srv, "/workspaces/globex/projects/GLX/permissions-config/users").0, 403);
}

#[test]
fn webhooks_of_workspaces_and_repositories() {
    let srv = start();
    let ds = srv.dataset();
    let acme = ds.find_workspace("acme").unwrap();
    let v = ok(&srv, "/workspaces/acme/hooks");
    let want = ds.workspace_hooks(&acme.uuid);
    assert_eq!(v["size"], want.len());
    let row = &v["values"][0];
    assert_eq!(row["type"], "webhook_subscription");
    assert_eq!(row["uuid"], want[0].uuid.as_str());
    assert_eq!(row["subject_type"], "workspace");
    assert_eq!(row["subject"]["slug"], "acme");
    assert!(row["created_at"].is_string() && row.get("created_on").is_none());
    assert!(row["events"].as_array().unwrap().iter().all(Value::is_string));
    assert!(row["secret_set"].is_boolean() && row["active"].is_boolean());
    let core = ds.find_repository("acme", "core-api").unwrap();
    let v = ok(&srv, "/repositories/acme/core-api/hooks");
    assert_eq!(v["size"], 2);
    assert_eq!(v["values"][0]["subject_type"], "repository");
    assert_eq!(v["values"][0]["subject"]["uuid"], core.uuid.as_str());
    let counts: Vec<usize> = ds.repositories_in(&acme.uuid).map(|r| ds.repo_hooks(&r.uuid).len()).collect();
    assert!(counts.contains(&0) && counts.contains(&2), "{counts:?}");
    // The workspace's access token may read its hooks; a non-admin member may not.
    let (s, _) = get(&srv, "/workspaces/acme/hooks", Some(&creds::bearer(creds::WORKSPACE_TOKEN)));
    assert_eq!(s, 200);
    assert_eq!(analyst(&srv, "/workspaces/globex/hooks").0, 403);
    assert_eq!(analyst(&srv, "/repositories/globex/globex-billing/hooks").0, 403);
}

#[test]
fn branch_restrictions_need_repository_admin() {
    let srv = start();
    let ds = srv.dataset();
    let core = ds.find_repository("acme", "core-api").unwrap();
    let want = ds.branch_restrictions(&core.uuid);
    let v = ok(&srv, "/repositories/acme/core-api/branch-restrictions");
    assert_eq!(v["size"], want.len());
    for (row, b) in v["values"].as_array().unwrap().iter().zip(&want) {
        assert_eq!(row["type"], "branchrestriction");
        assert_eq!(row["id"], b.id);
        assert_eq!(row["kind"], b.kind.as_str());
        assert_eq!(row["branch_match_kind"], b.branch_match_kind.as_str());
        assert_eq!(row["value"], json!(b.value));
        assert_eq!(row.get("branch_type").is_some(), b.branch_match_kind == "branching_model");
        if b.branch_match_kind == "branching_model" {
            assert_eq!(row["pattern"], "");
        }
        assert!(row["users"].is_array() && row["groups"].is_array());
    }
    let v = ok(&srv, "/repositories/acme/core-api/branch-restrictions?kind=push");
    assert_eq!(v["size"], 1);
    assert_eq!(v["values"][0]["users"][0]["type"], "user");
    assert_eq!(v["values"][0]["groups"][0]["type"], "group");
    let v = ok(&srv, "/repositories/acme/core-api/branch-restrictions?pattern=main");
    assert_eq!(v["size"], want.iter().filter(|b| b.pattern == "main").count());
    let (s, v) = analyst(&srv, "/repositories/globex/globex-billing/branch-restrictions");
    assert_eq!(s, 403, "{v}");
    let (s, _) = get(
        &srv,
        "/repositories/acme/core-api/branch-restrictions",
        Some(&creds::bearer(creds::WORKSPACE_TOKEN)),
    );
    assert_eq!(s, 403, "the bot is no repository admin");
    let (s, v) = get(&srv, "/repositories/acme/core-api/branch-restrictions", Some(&creds::viewer()));
    assert_eq!(s, 403);
    assert_eq!(v["error"]["detail"]["required"], json!(["admin:repository:bitbucket"]));
    assert_eq!(analyst(&srv, "/repositories/acme/core-api/branch-restrictions?pagelen=101").0, 400);
}

#[test]
fn default_reviewers_and_effective_ones() {
    let srv = start();
    let ds = srv.dataset();
    let acme = ds.find_workspace("acme").unwrap();
    let mut saw_project = false;
    for r in ds.repositories_in(&acme.uuid) {
        let path = format!("/repositories/acme/{}", r.slug);
        let v = ok(&srv, &format!("{path}/default-reviewers"));
        let want = ds.default_reviewers(&r.uuid);
        assert_eq!(v["size"], want.len());
        for (row, u) in v["values"].as_array().unwrap().iter().zip(&want) {
            assert_eq!(row["type"], "user");
            assert_eq!(row["uuid"], *u);
        }
        let v = ok(&srv, &format!("{path}/effective-default-reviewers"));
        let want = ds.effective_default_reviewers(&r.uuid);
        assert_eq!(v["size"], want.len());
        for (row, (u, t)) in v["values"].as_array().unwrap().iter().zip(&want) {
            assert_eq!(row["type"], "default_reviewer");
            assert_eq!(row["reviewer_type"], *t);
            assert_eq!(row["user"]["uuid"], *u);
            saw_project |= *t == "project";
        }
    }
    assert!(saw_project);
    assert_eq!(analyst(&srv, "/repositories/acme/nope/default-reviewers").0, 404);
}
