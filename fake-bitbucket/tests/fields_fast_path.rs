//! The page-only list paths (page selected first, only its rows rendered, `fields` applied to
//! that page's envelope) must answer byte for byte like the generic path (every row rendered,
//! then paged, then `fields`). The `generic_lists` switch forces the generic path.

use fake_bitbucket::{creds, FakeConfig, FakeServer};
use serde_json::Value;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn get(url: &str) -> (u16, String) {
    let mut resp = agent()
        .get(url)
        .header("Authorization", &creds::analyst())
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    (resp.status().as_u16(), resp.body_mut().read_to_string().unwrap())
}

fn with_mode(srv: &FakeServer, generic: bool, url: &str) -> (u16, String) {
    srv.update_switches(|s| s.generic_lists = generic);
    get(url)
}

/// Fetches `path` both ways, follows `next` (up to a few pages) and compares every answer.
fn same(srv: &FakeServer, path: &str) -> usize {
    same_pages(srv, path, 4)
}

/// [`same`] following at most `max` pages.
fn same_pages(srv: &FakeServer, path: &str, max: usize) -> usize {
    let mut url = format!("{}{}", srv.base_url(), path);
    let mut pages = 0;
    loop {
        let fast = with_mode(srv, false, &url);
        let slow = with_mode(srv, true, &url);
        assert_eq!(fast, slow, "{url}");
        pages += 1;
        if fast.0 != 200 || pages >= max {
            return pages;
        }
        let v: Value = serde_json::from_str(&fast.1).unwrap();
        match v.get("next").and_then(Value::as_str) {
            Some(n) => url = n.to_string(),
            None => return pages,
        }
    }
}

fn enc(s: &str) -> String {
    s.replace('+', "%2B").replace(' ', "%20")
}

const COMMON: &[&str] = &[
    "",
    "*",
    "-*",
    "-*,+size",
    "next,page,pagelen,size,previous",
    "values.*",
    "values",
    "-values",
    "-next,-previous",
    "-values.links",
    "-values.links.*",
    "values.links.self.href",
    "+values.nonexistent",
    "nonexistent",
    " values.links",
    "page,values.nope.deeper",
];

const COMMITS: &[&str] = &[
    "next,page,pagelen,size,values.author.raw,values.author.user.display_name,values.author.user.uuid,values.date,values.hash,values.message,values.parents",
    "values.author.raw,values.author.user.display_name,values.author.user.uuid,values.date,values.hash,values.message,values.parents",
    "next,pagelen,values.hash",
    "values.parents.hash,values.repository.full_name",
    "-values.author,-values.parents.links",
    "+values.author.user.uuid,-values.summary",
    "next,values.hash,-values.hash",
];

const PRS: &[&str] = &[
    "next,page,pagelen,size,values.id,values.title,values.state,values.source.branch.name,values.destination.branch.name,values.author.uuid,values.created_on,values.updated_on",
    "values.id,values.title,values.state,values.source.branch.name",
    "+values.participants",
    "+values.reviewers,-values.links",
    "values.participants.user.uuid,values.reviewers,values.id",
    "-values.participants",
    "previous,next,values.id",
    "*,-values.reviewers",
];

const REPOS: &[&str] = &[
    "next,page,pagelen,size,values.uuid,values.slug,values.full_name,values.name,values.is_private,values.project.key,values.mainbranch.name,values.updated_on",
    "values.slug,values.owner.display_name",
    "+values.owner,-values.links.clone",
    "size,values.*",
    "previous,values.slug",
];

fn check(srv: &FakeServer, base: &str, extra: &[&str], params: &[&str]) {
    for spec in COMMON.iter().chain(extra) {
        for p in params {
            let sep = if base.contains('?') { "&" } else { "?" };
            let path = format!("{base}{sep}{p}fields={}", enc(spec));
            same(srv, &path);
        }
        // No `fields` at all, too.
        same(srv, base);
    }
}

fn busiest(srv: &FakeServer) -> Vec<String> {
    let ds = srv.dataset();
    let mut repos: Vec<(usize, String)> = ds
        .repositories
        .iter()
        .map(|r| {
            let ws = ds.workspaces.iter().find(|w| w.uuid == r.workspace_uuid).unwrap();
            let n = ds.pull_requests.iter().filter(|p| p.repo_uuid == r.uuid).count();
            (n, format!("{}/{}", ws.slug, r.slug))
        })
        .collect();
    repos.sort();
    let mut picks: Vec<String> = repos.iter().rev().take(2).map(|r| r.1.clone()).collect();
    picks.push(repos[0].1.clone());
    picks
}

fn repo_uuid(srv: &FakeServer, full: &str) -> String {
    let (ws, slug) = full.split_once('/').unwrap();
    srv.dataset().find_repository(ws, slug).unwrap().uuid.clone()
}

#[test]
fn commits_fields_fast_path_is_byte_identical() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    for repo in busiest(&srv) {
        let base = format!("/repositories/{repo}/commits");
        check(&srv, &base, COMMITS, &["", "pagelen=7&", "pagelen=100&", "pagelen=1&"]);
        // Every page (and the end of the list, where `next` stops) with the driver's fields,
        // including a page length that divides the list exactly.
        let n = srv.dataset().commits(&repo_uuid(&srv, &repo)).len();
        for pagelen in [3, n.max(1), (n / 2).max(1)] {
            let path = format!("{base}?pagelen={pagelen}&fields={}", enc(COMMITS[0]));
            same_pages(&srv, &path, usize::MAX);
            let path = format!("{base}?pagelen={pagelen}&fields=-values.links");
            same_pages(&srv, &path, usize::MAX);
        }
        same(&srv, &format!("{base}?page=zzz&fields=values.hash"));
        same(&srv, &format!("{base}?pagelen=101&fields=values.hash"));
        same(&srv, &format!("{base}?fields=values.hash&fields=values.date"));
    }
}

#[test]
fn pullrequests_fields_fast_path_is_byte_identical() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    for repo in busiest(&srv) {
        let base = format!("/repositories/{repo}/pullrequests");
        check(&srv, &base, PRS, &["", "pagelen=3&", "pagelen=2&page=2&", "page=999&"]);
        for state in ["state=MERGED", "state=OPEN&state=DECLINED&pagelen=5", "q=&state=SUPERSEDED"] {
            check(&srv, &format!("{base}?{state}"), PRS, &["", "page=2&"]);
        }
        same(&srv, &format!("{base}?pagelen=abc&fields=values.id"));
        same(&srv, &format!("{base}?fields=values.id&fields=values.title"));
    }
    srv.update_switches(|s| s.past_end_404 = true);
    let repo = &busiest(&srv)[0];
    same(&srv, &format!("/repositories/{repo}/pullrequests?page=999&fields=values.id"));
    same(
        &srv,
        &format!("/repositories/{repo}/pullrequests?pagelen=2&page=2&fields=-values.links"),
    );
    // Every page of every state, to the end of each list.
    for repo in busiest(&srv) {
        for pagelen in [1, 2, 4] {
            let path = format!(
                "/repositories/{repo}/pullrequests?state=MERGED&state=OPEN&state=DECLINED&pagelen={pagelen}&fields={}",
                enc(PRS[0])
            );
            same_pages(&srv, &path, usize::MAX);
        }
    }
}

#[test]
fn repositories_fields_fast_path_is_byte_identical() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let ds = srv.dataset();
    for w in &ds.workspaces {
        let base = format!("/repositories/{}", w.slug);
        check(
            &srv,
            &base,
            REPOS,
            &["", "pagelen=2&", "pagelen=3&page=2&", "role=member&", "page=50&"],
        );
        for pagelen in [1, 2, 5] {
            let path = format!("{base}?pagelen={pagelen}&fields={}", enc(REPOS[0]));
            same_pages(&srv, &path, usize::MAX);
        }
    }
}
