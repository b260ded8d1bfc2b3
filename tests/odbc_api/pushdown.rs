//! Pushdown: what the driver sends for WHERE, LIMIT and the selected columns (from the fake's
//! request log), and differential checks that pushdown on and off give the same rows.

use super::repo_tables::sorted;
use crate::common::*;
use fake_bitbucket::FakeServer;
use odbc_api::{Connection, ConnectionOptions};
use std::collections::HashMap;

fn private(extra: &str) -> (FakeServer, Connection<'static>) {
    let srv = FakeServer::start(Default::default()).unwrap();
    let conn = env()
        .connect_with_connection_string(
            &format!("{}{extra}", conn_string_for(&srv.base_url(), TOKEN)),
            ConnectionOptions::default(),
        )
        .unwrap();
    (srv, conn)
}

/// Query parameters of each request made while `f` ran (path, parameters).
fn requests_during(srv: &FakeServer, f: impl FnOnce()) -> Vec<(String, HashMap<String, Vec<String>>)> {
    let before = srv.request_count();
    f();
    srv.requests()
        .into_iter()
        .skip(before)
        .map(|r| {
            let url = url::Url::parse(&format!("http://x{}", r.url.trim_start_matches(|c| c != '/'))).unwrap();
            let mut params: HashMap<String, Vec<String>> = HashMap::new();
            for (k, v) in url.query_pairs() {
                params.entry(k.into_owned()).or_default().push(v.into_owned());
            }
            (r.path, params)
        })
        .collect()
}

#[test]
fn where_becomes_bbql_with_every_state_inside() {
    let (srv, conn) = private("");
    let ds = srv.dataset();
    let core = ds.find_repository("acme", "core-api").unwrap().clone();
    let merged = ds.pull_requests(&core.uuid).iter().filter(|p| p.state.as_str() == "MERGED").count();
    let mut rows = Vec::new();
    let reqs = requests_during(&srv, || {
        rows = query_text(
            &conn,
            r#"SELECT Id FROM "acme"."core-api"."PullRequests" WHERE State = 'MERGED' AND Id > 2"#,
        );
    });
    let expected = ds
        .pull_requests(&core.uuid)
        .iter()
        .filter(|p| p.state.as_str() == "MERGED" && p.id > 2)
        .count();
    assert!(merged > 0 && rows.len() == expected, "{} rows, expected {expected}", rows.len());
    assert_eq!(reqs.len(), 1, "{reqs:#?}");
    let (path, p) = &reqs[0];
    assert!(path.ends_with("/core-api/pullrequests"), "{path}");
    assert_eq!(
        p["q"],
        [r#"(state IN ("OPEN", "MERGED", "DECLINED", "SUPERSEDED")) AND (state = "MERGED" AND id > 2)"#]
    );
    assert_eq!(p["state"], ["OPEN", "MERGED", "DECLINED", "SUPERSEDED"]);
    assert_eq!(p["fields"], ["next,page,pagelen,size,values.id,values.state"]);
    assert_eq!(p["pagelen"], ["50"]);
}

#[test]
fn limit_becomes_pagelen_and_one_request() {
    let (srv, conn) = private("");
    let mut rows = Vec::new();
    let reqs = requests_during(&srv, || {
        rows = query_text(&conn, r#"SELECT Hash, Message FROM "acme"."core-api"."Commits" LIMIT 7"#);
    });
    assert_eq!(rows.len(), 7);
    assert_eq!(reqs.len(), 1, "{reqs:#?}");
    assert_eq!(reqs[0].1["pagelen"], ["7"]);
    assert_eq!(reqs[0].1["fields"], ["next,page,pagelen,size,values.hash,values.message"]);
}

#[test]
fn excluded_repositories_get_no_request() {
    let (srv, conn) = private("");
    let reqs = requests_during(&srv, || {
        query_text(
            &conn,
            "SELECT Name FROM Branches WHERE RepositorySlug IN ('core-api', 'web-frontend')",
        );
    });
    let mut paths: Vec<String> = reqs.into_iter().map(|(p, _)| p).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/2.0/repositories/acme/core-api/refs/branches",
            "/2.0/repositories/acme/web-frontend/refs/branches"
        ]
    );
}

#[test]
fn values_bbql_cannot_carry_stay_client_side() {
    let (srv, conn) = private("");
    let reqs = requests_during(&srv, || {
        query_text(
            &conn,
            r#"SELECT Id FROM "acme"."core-api"."PullRequests" WHERE Title = 'say "hi"' OR Title > 'M'"#,
        );
    });
    assert_eq!(reqs.len(), 1);
    assert!(!reqs[0].1.contains_key("q"), "{reqs:#?}");
}

/// Queries whose results must not depend on pushdown.
const DIFFERENTIAL: &[&str] = &[
    r#"SELECT RepositorySlug, Id, State FROM PullRequests WHERE State = 'MERGED'"#,
    r#"SELECT RepositorySlug, Id FROM PullRequests WHERE State IN ('DECLINED', 'SUPERSEDED') OR Id = 1"#,
    r#"SELECT RepositorySlug, Id FROM PullRequests WHERE NOT (State = 'OPEN') AND Id BETWEEN 2 AND 9"#,
    r#"SELECT RepositorySlug, Id FROM PullRequests WHERE MergeCommitHash IS NULL"#,
    r#"SELECT RepositorySlug, Id FROM PullRequests WHERE ClosedByUuid IS NOT NULL AND Draft = false"#,
    r#"SELECT RepositorySlug, Id, Title FROM PullRequests WHERE Title LIKE '%e%'"#,
    r#"SELECT RepositorySlug, Id, Title FROM PullRequests WHERE Title LIKE 'Fix%'"#,
    r#"SELECT RepositorySlug, Id FROM PullRequests WHERE CreatedOn >= '2023-01-01' AND CreatedOn < TIMESTAMP '2024-06-30 12:00:00'"#,
    r#"SELECT RepositorySlug, Id FROM PullRequests WHERE Draft"#,
    r#"SELECT Slug FROM Repositories WHERE Language = 'rust' OR IsPrivate = false"#,
    r#"SELECT Slug FROM Repositories WHERE Name = 'Café Ünïcödé'"#,
    r#"SELECT Slug FROM Repositories WHERE Description IS NULL"#,
    r#"SELECT RepositorySlug, Id FROM Issues WHERE State = 'on hold' OR Priority IN ('major', 'critical')"#,
    r#"SELECT RepositorySlug, Name FROM Branches WHERE Name = 'feature/login' OR Name LIKE 'release%'"#,
    r#"SELECT RepositorySlug, Id FROM PullRequestComments WHERE RepositorySlug = 'core-api' AND Deleted = false AND CreatedOn > '2020-01-01'"#,
    r#"SELECT UserUuid FROM WorkspacePermissions WHERE Permission = 'owner'"#,
    r#"SELECT RepositorySlug, Uuid FROM Pipelines WHERE TriggerType = 'MANUAL' OR TargetRefName = 'main'"#,
    r#"SELECT RepositorySlug, Uuid FROM Pipelines WHERE TriggerType = 'push' AND TargetRefName = 'main'"#,
    r#"SELECT RepositorySlug, Id FROM BranchRestrictions WHERE Kind = 'push' AND Pattern = 'main'"#,
    r#"SELECT RepositorySlug, UserUuid FROM RepositoryPermissions WHERE Permission != 'read'"#,
];

/// Ordered queries: the sequence itself must not depend on pushdown.
const ORDERED: &[&str] = &[
    r#"SELECT Id, Title FROM "acme"."core-api"."PullRequests" ORDER BY Id DESC LIMIT 5"#,
    r#"SELECT Id FROM "acme"."core-api"."PullRequests" ORDER BY Id LIMIT 4 OFFSET 2"#,
    r#"SELECT Id, CreatedOn FROM "acme"."core-api"."PullRequests" WHERE State != 'OPEN' ORDER BY CreatedOn, Id"#,
    r#"SELECT RepositorySlug, Id FROM PullRequests ORDER BY Id DESC, RepositorySlug LIMIT 7"#,
    r#"SELECT Hash FROM "acme"."core-api"."Commits" ORDER BY Date DESC, Hash LIMIT 5"#,
    r#"SELECT Name FROM "acme"."core-api"."Branches" ORDER BY Name"#,
];

#[test]
fn pushdown_on_and_off_give_the_same_rows() {
    let on = connect();
    let off = env()
        .connect_with_connection_string(&format!("{}PushDown=false;", conn_string()), ConnectionOptions::default())
        .unwrap();
    let mut nonempty = 0;
    for sql in DIFFERENTIAL {
        let a = sorted(query_text(&on, sql));
        let b = sorted(query_text(&off, sql));
        assert_eq!(a, b, "{sql}");
        nonempty += usize::from(!a.is_empty());
    }
    for sql in ORDERED {
        assert_eq!(query_text(&on, sql), query_text(&off, sql), "{sql}");
    }
    // A few are empty on purpose (a lower-case trigger: SQL compares case-sensitively).
    assert!(
        nonempty >= DIFFERENTIAL.len() - 4,
        "most differential queries have rows: {nonempty}"
    );
}

#[test]
fn explain_shows_the_requests_and_makes_none() {
    let (srv, conn) = private("");
    let mut rows = Vec::new();
    let reqs = requests_during(&srv, || {
        rows = query_text(
            &conn,
            "EXPLAIN SELECT Id FROM PullRequests WHERE State = 'MERGED' AND RepositorySlug IN ('core-api', 'web-frontend') LIMIT 5",
        );
    });
    assert!(reqs.is_empty(), "EXPLAIN made requests: {reqs:#?}");
    let kinds: Vec<String> = rows.iter().map(|r| r[0].clone().unwrap()).collect();
    assert_eq!(kinds.last().map(String::as_str), Some("bitbucket_requests"), "{kinds:?}");
    assert!(kinds.contains(&"physical_plan".to_string()));
    let text = rows.last().unwrap()[1].clone().unwrap();
    assert!(text.contains("GET /repositories/acme/{repo}/pullrequests?"), "{text}");
    assert!(text.contains(r#"state = "MERGED""#), "{text}");
    assert!(text.contains("repositories core-api, web-frontend only"), "{text}");
    assert!(text.contains("fields=next,page,pagelen,size,values.id,values.state"), "{text}");
}

#[test]
fn endpoint_parameters_for_tables_without_bbql() {
    let (srv, conn) = private("");
    let ds = srv.dataset();
    let core = ds.find_repository("acme", "core-api").unwrap().clone();
    let pipelines = ds.pipelines(&core.uuid);
    let manual = pipelines.iter().filter(|p| p.trigger.eq_ignore_ascii_case("MANUAL")).count();
    let mut rows = Vec::new();
    let reqs = requests_during(&srv, || {
        rows = query_text(
            &conn,
            r#"SELECT Uuid FROM "acme"."core-api"."Pipelines" WHERE TriggerType = 'MANUAL'"#,
        );
    });
    assert_eq!(rows.len(), manual);
    assert!(
        reqs.iter().all(|(_, p)| p.get("trigger_type").is_some_and(|v| v == &["MANUAL"])),
        "{reqs:#?}"
    );

    let kind = ds.branch_restrictions(&core.uuid)[0].kind.clone();
    let expected = ds.branch_restrictions(&core.uuid).iter().filter(|b| b.kind == kind).count();
    let sql = format!(r#"SELECT Id FROM "acme"."core-api"."BranchRestrictions" WHERE Kind = '{kind}'"#);
    let reqs = requests_during(&srv, || rows = query_text(&conn, &sql));
    assert_eq!(rows.len(), expected);
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].1["kind"], [kind]);
}

#[test]
fn order_by_becomes_sort_and_an_exact_one_stops_early() {
    let (srv, conn) = private("");
    let ds = srv.dataset();
    let core = ds.find_repository("acme", "core-api").unwrap().clone();
    let mut prs: Vec<_> = ds.pull_requests(&core.uuid).into_iter().cloned().collect();
    prs.sort_by_key(|p| std::cmp::Reverse(p.id));
    assert!(prs.len() > 3);

    // One list, a NOT NULL number: Bitbucket's order is SQL's, so 3 rows in one request.
    let mut rows = Vec::new();
    let reqs = requests_during(&srv, || {
        rows = query_text(
            &conn,
            r#"SELECT Title FROM "acme"."core-api"."PullRequests" ORDER BY Id DESC LIMIT 3"#,
        );
    });
    let want_titles: Vec<Option<String>> = prs.iter().take(3).map(|p| Some(p.title.clone())).collect();
    assert_eq!(column(rows.clone()), want_titles);
    assert_eq!(reqs.len(), 1, "{reqs:#?}");
    assert_eq!(reqs[0].1["sort"], ["-id"]);
    assert_eq!(reqs[0].1["pagelen"], ["3"]);
    // A nullable timestamp: the API sorts, the engine still sorts too (NULLs may sit elsewhere).
    let mut by_date = prs.clone();
    by_date.sort_by_key(|p| std::cmp::Reverse(p.created_on));
    let reqs = requests_during(&srv, || {
        rows = query_text(
            &conn,
            r#"SELECT Id FROM "acme"."core-api"."PullRequests" ORDER BY CreatedOn DESC LIMIT 3"#,
        );
    });
    let want: Vec<Option<String>> = by_date.iter().take(3).map(|p| Some(p.id.to_string())).collect();
    assert_eq!(column(rows.clone()), want);
    assert_eq!(reqs[0].1["sort"], ["-created_on"]);

    // Text: sent as a hint, but the engine still sorts (collations may differ).
    let mut titles: Vec<String> = prs.iter().map(|p| p.title.clone()).collect();
    titles.sort();
    let reqs = requests_during(&srv, || {
        rows = query_text(&conn, r#"SELECT Title FROM "acme"."core-api"."PullRequests" ORDER BY Title"#);
    });
    assert_eq!(column(rows.clone()), titles.into_iter().map(Some).collect::<Vec<_>>());
    assert_eq!(reqs[0].1["sort"], ["title"]);

    // A fan-out interleaves repositories: the engine sorts the union.
    let mut all: Vec<(u64, String)> = acme_repos(&ds)
        .iter()
        .flat_map(|r| {
            ds.pull_requests(&r.uuid)
                .into_iter()
                .map(|p| (p.id, r.slug.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    all.sort_by(|a, b| b.cmp(a));
    let got = query_text(
        &conn,
        "SELECT Id, RepositorySlug FROM PullRequests ORDER BY Id DESC, RepositorySlug DESC LIMIT 5",
    );
    let want: Vec<Vec<Option<String>>> = all
        .iter()
        .take(5)
        .map(|(i, r)| vec![Some(i.to_string()), Some(r.clone())])
        .collect();
    assert_eq!(got, want);
    let got = query_text(&conn, "SELECT Id FROM PullRequests ORDER BY Id DESC LIMIT 4");
    assert_eq!(
        column(got),
        all.iter().take(4).map(|(i, _)| Some(i.to_string())).collect::<Vec<_>>()
    );
}
