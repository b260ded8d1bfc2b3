//! Repository-scoped tables (Branches, Tags, Commits, PullRequests, Pipelines, Issues,
//! Environments, Deployments): one repository through its schema (`"acme"."core-api"."T"`),
//! the whole workspace through the Information schema (fan-out), against the fake's generated
//! data. Expected rows always come from the generator (`Dataset`), never from the driver.

use crate::common::*;
use chrono::Utc;
use fake_bitbucket::data::{PrState, Repository, Ts};
use fake_bitbucket::{Dataset, FakeConfig, FakeServer};
use odbc_api::handles::{Record, SqlResult, SqlText, Statement};
use odbc_api::parameter::VarChar;
use odbc_api::ConnectionOptions;
use std::collections::BTreeMap;

pub type Rows = Vec<Vec<Option<String>>>;

const REPO_TABLES: [&str; 8] = [
    "Branches",
    "Tags",
    "Commits",
    "PullRequests",
    "Pipelines",
    "Issues",
    "Environments",
    "Deployments",
];

/// A timestamp as the driver's text form shows it: UTC, microseconds only when non-zero.
pub fn ts(t: &Ts) -> String {
    let u = t.with_timezone(&Utc);
    if u.timestamp_subsec_nanos() == 0 {
        u.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        u.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
    }
}

pub fn num(n: u64) -> Option<String> {
    Some(n.to_string())
}

pub fn sorted(mut rows: Rows) -> Rows {
    rows.sort();
    rows
}

/// The selected columns of `table` and the generator's rows for one repository, in that order.
fn spec(table: &str) -> (&'static str, fn(&Dataset, &Repository) -> Rows) {
    match table {
        "Branches" => ("RepositorySlug, Name, TargetHash, TargetDate, DefaultMergeStrategy", |ds, r| {
            ds.branches(&r.uuid)
                .iter()
                .map(|b| {
                    let head = ds.commit(&r.uuid, &b.target_hash).expect("branch head in the fake");
                    vec![
                        s(&r.slug),
                        s(&b.name),
                        s(&b.target_hash),
                        Some(ts(&head.date)),
                        s(&b.default_merge_strategy),
                    ]
                })
                .collect()
        }),
        "Tags" => ("RepositorySlug, Name, TargetHash, Message, Date", |ds, r| {
            ds.tags(&r.uuid)
                .iter()
                .map(|t| {
                    vec![
                        s(&r.slug),
                        s(&t.name),
                        s(&t.target_hash),
                        t.message.clone(),
                        t.date.as_ref().map(ts),
                    ]
                })
                .collect()
        }),
        "Commits" => ("RepositorySlug, Hash, Date, AuthorRaw, ParentHashes", |ds, r| {
            ds.commits(&r.uuid)
                .iter()
                .map(|c| {
                    vec![
                        s(&r.slug),
                        s(&c.hash),
                        Some(ts(&c.date)),
                        s(&c.author.raw),
                        Some(c.parents.join(",")),
                    ]
                })
                .collect()
        }),
        "PullRequests" => ("RepositorySlug, Id, State, Title, SourceBranch", |ds, r| {
            ds.pull_requests(&r.uuid)
                .iter()
                .map(|p| vec![s(&r.slug), num(p.id), s(p.state.as_str()), s(&p.title), s(&p.source_branch)])
                .collect()
        }),
        "Pipelines" => ("RepositorySlug, Uuid, BuildNumber, StateName, ResultName, CreatedOn", |ds, r| {
            ds.pipelines(&r.uuid)
                .iter()
                .map(|p| {
                    vec![
                        s(&r.slug),
                        s(&p.uuid),
                        num(p.build_number),
                        s(&p.state),
                        p.result.clone(),
                        Some(ts(&p.created_on)),
                    ]
                })
                .collect()
        }),
        "Issues" => ("RepositorySlug, Id, Title, State, Priority", |ds, r| {
            ds.issues(&r.uuid)
                .iter()
                .map(|i| vec![s(&r.slug), num(i.id), s(&i.title), s(&i.state), s(&i.priority)])
                .collect()
        }),
        "Environments" => ("RepositorySlug, Uuid, Name, EnvironmentType, Rank", |ds, r| {
            ds.environments(&r.uuid)
                .iter()
                .map(|e| vec![s(&r.slug), s(&e.uuid), s(&e.name), s(&e.name), num(e.rank)])
                .collect()
        }),
        "Deployments" => (
            "RepositorySlug, Uuid, EnvironmentUuid, StatusName, CommitHash, StartedOn",
            |ds, r| {
                ds.deployments(&r.uuid)
                    .iter()
                    .map(|d| {
                        vec![
                            s(&r.slug),
                            s(&d.uuid),
                            s(&d.environment_uuid),
                            s(&d.status),
                            s(&d.commit_hash),
                            Some(ts(&d.start_date)),
                        ]
                    })
                    .collect()
            },
        ),
        other => panic!("no spec for {other}"),
    }
}

pub fn core_api(ds: &Dataset) -> Repository {
    ds.find_repository("acme", "core-api").expect("core-api in the fake").clone()
}

#[test]
fn repository_schema_and_fan_out_equal_the_generated_rows() {
    let conn = connect();
    let ds = dataset();
    let core = core_api(&ds);
    // The analyst owns acme: the fan-out covers every acme repository.
    let repos = acme_repos(&ds);
    for table in REPO_TABLES {
        let (cols, rows_of) = spec(table);
        assert_both_schemas(&conn, &ds, &core, &repos, table, cols, rows_of);
    }
}

/// `table` read through one repository's schema and workspace-wide (fan-out) equals the
/// generator's rows for that repository and for every repository.
pub fn assert_both_schemas(
    conn: &Connection<'_>,
    ds: &Dataset,
    one: &Repository,
    all: &[Repository],
    table: &str,
    cols: &str,
    rows_of: fn(&Dataset, &Repository) -> Rows,
) {
    let expected = sorted(rows_of(ds, one));
    assert!(!expected.is_empty(), "{} has {table} in the fake", one.slug);
    let got = sorted(query_text(conn, &format!(r#"SELECT {cols} FROM "acme"."{}"."{table}""#, one.slug)));
    assert_eq!(got.len(), expected.len(), "{table} of {}: row count", one.slug);
    assert_eq!(got, expected, "{table} of {}", one.slug);

    let expected: Rows = sorted(all.iter().flat_map(|r| rows_of(ds, r)).collect());
    let got = sorted(query_text(conn, &format!("SELECT {cols} FROM {table}")));
    assert_eq!(got.len(), expected.len(), "{table} workspace-wide: row count");
    assert_eq!(got, expected, "{table} workspace-wide");
}

#[test]
fn pull_requests_in_every_state_with_the_generated_counts() {
    let conn = connect();
    let ds = dataset();
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for r in acme_repos(&ds) {
        for p in ds.pull_requests(&r.uuid) {
            *expected.entry(p.state.as_str().to_string()).or_default() += 1;
        }
    }
    let mut got: BTreeMap<String, usize> = BTreeMap::new();
    for state in column(query_text(&conn, "SELECT State FROM PullRequests")) {
        *got.entry(state.expect("State is never NULL")).or_default() += 1;
    }
    for st in PrState::ALL {
        assert!(
            got.get(st.as_str()).is_some_and(|n| *n > 0),
            "no {} pull request: {got:?}",
            st.as_str()
        );
    }
    assert_eq!(got, expected);

    // GROUP BY gives the same counts.
    let grouped: BTreeMap<String, usize> = query_text(&conn, "SELECT State, COUNT(*) FROM PullRequests GROUP BY State")
        .into_iter()
        .map(|r| (r[0].clone().unwrap(), r[1].as_deref().unwrap().parse().unwrap()))
        .collect();
    assert_eq!(grouped, expected);
}

#[test]
fn merge_commit_parents_and_dates_in_utc() {
    let conn = connect();
    let ds = dataset();
    let core = core_api(&ds);
    let commits = ds.commits(&core.uuid);

    let merge = commits.iter().find(|c| c.parents.len() == 2).expect("core-api has a merge commit");
    let sql = format!(
        r#"SELECT ParentHashes FROM "acme"."core-api"."Commits" WHERE Hash = '{}'"#,
        merge.hash
    );
    assert_eq!(
        column(query_text(&conn, &sql)),
        vec![Some(format!("{},{}", merge.parents[0], merge.parents[1]))],
        "both parents, comma-separated, in API order"
    );

    // A commit dated with a +02:00 offset comes back in UTC (two hours earlier on the clock).
    let (repo, plus2) = acme_repos(&ds)
        .into_iter()
        .find_map(|r| {
            let c = ds
                .commits(&r.uuid)
                .into_iter()
                .find(|c| c.date.offset().local_minus_utc() == 7200)?
                .clone();
            Some((r, c))
        })
        .expect("a +02:00 commit in acme");
    let utc = ts(&plus2.date);
    assert_ne!(
        utc,
        plus2.date.format("%Y-%m-%d %H:%M:%S").to_string(),
        "the offset changes the clock time"
    );
    let sql = format!(r#"SELECT Date FROM "acme"."{}"."Commits" WHERE Hash = '{}'"#, repo.slug, plus2.hash);
    assert_eq!(column(query_text(&conn, &sql)), vec![Some(utc)]);
}

/// Runs `sql` through the raw statement handle to the end; returns the rows fetched and every
/// diagnostic (SQLSTATE, message) of SQLExecDirect and the SQLFetch calls.
pub fn warnings_of(conn: &Connection<'_>, sql: &str) -> (usize, Vec<(String, String)>) {
    let mut stmt = conn.preallocate().unwrap().into_handle();
    let mut diags = Vec::new();
    let collect = |stmt: &odbc_api::handles::StatementImpl<'_>, diags: &mut Vec<(String, String)>| {
        let mut rec = Record::default();
        let mut n = 1;
        while rec.fill_from(stmt, n) {
            diags.push((rec.state.as_str().to_string(), String::from_utf8_lossy(&rec.message).into_owned()));
            n += 1;
        }
    };
    // SAFETY: a fresh statement handle; no buffers are bound.
    let res = unsafe { stmt.exec_direct(&SqlText::new(sql)) };
    collect(&stmt, &mut diags);
    assert!(
        matches!(res, SqlResult::Success(()) | SqlResult::SuccessWithInfo(())),
        "`{sql}` failed: {diags:?}"
    );
    let mut rows = 0;
    loop {
        // SAFETY: no buffers are bound; SQLFetch only moves the cursor.
        match unsafe { stmt.fetch() } {
            SqlResult::Success(()) => rows += 1,
            SqlResult::SuccessWithInfo(()) => {
                rows += 1;
                collect(&stmt, &mut diags);
            }
            SqlResult::NoData => break,
            _ => {
                collect(&stmt, &mut diags);
                panic!("SQLFetch failed: {diags:?}");
            }
        }
    }
    (rows, diags)
}

#[test]
fn issues_skip_a_repository_without_tracker_with_a_warning() {
    let conn = connect();
    let ds = dataset();
    let legacy = ds.find_repository("acme", "legacy-tracker").expect("legacy-tracker in the fake");
    assert!(!legacy.has_issues);
    let expected: usize = acme_repos(&ds).iter().map(|r| ds.issues(&r.uuid).len()).sum();
    assert!(expected > 0);

    let slugs = column(query_text(&conn, "SELECT RepositorySlug FROM Issues"));
    assert_eq!(slugs.len(), expected);
    assert!(!slugs.contains(&s("legacy-tracker")), "legacy-tracker contributes no rows");

    let (rows, diags) = warnings_of(&conn, "SELECT RepositorySlug, Id FROM Issues");
    assert_eq!(rows, expected);
    let warning = diags
        .iter()
        .find(|(state, _)| state == "01000")
        .unwrap_or_else(|| panic!("no 01000 warning: {diags:?}"));
    assert!(warning.1.contains("issue tracker"), "{warning:?}");
    assert!(
        warning.1.contains("legacy-tracker"),
        "the warning names the repository: {warning:?}"
    );
}

#[test]
fn empty_repository_tables_have_no_rows() {
    let conn = connect();
    let ds = dataset();
    let empty = ds.find_repository("acme", "empty-repo").expect("empty-repo in the fake");
    assert!(empty.mainbranch.is_none());
    for table in REPO_TABLES {
        let rows = query_text(&conn, &format!(r#"SELECT * FROM "acme"."empty-repo"."{table}""#));
        assert!(rows.is_empty(), "{table} of empty-repo: {rows:?}");
    }
}

#[test]
fn unknown_repository_schema_is_a_404_error() {
    let conn = connect();
    let (state, message) = query_error(&conn, r#"SELECT * FROM "acme"."no-such-repo"."Branches""#);
    assert_eq!(state, "HY000", "{message}");
    assert!(message.contains("404"), "{message}");
    // The same table over the whole workspace is fine, and the connection is still usable.
    let ds = dataset();
    let expected: usize = acme_repos(&ds).iter().map(|r| ds.branches(&r.uuid).len()).sum();
    assert_eq!(query_text(&conn, "SELECT RepositorySlug, Name FROM Branches").len(), expected);
}

#[test]
fn max_requests_per_query_caps_the_fan_out() {
    let conn = env()
        .connect_with_connection_string(&format!("{}MaxRequestsPerQuery=3;", conn_string()), ConnectionOptions::default())
        .unwrap();
    let ds = dataset();
    let repos = acme_repos(&ds).len();
    let (state, message) = query_error(&conn, "SELECT * FROM PullRequests");
    assert_eq!(state, "HY000", "{message}");
    assert!(message.contains("MaxRequestsPerQuery"), "{message}");
    // One request for the repository list plus one per repository.
    assert!(message.contains(&format!("about {} ", repos + 1)), "the estimate: {message}");

    // One repository's pull requests fit a single page (pagelen 50): within the cap.
    let core = core_api(&ds);
    let got = query_text(&conn, r#"SELECT * FROM "acme"."core-api"."PullRequests""#);
    assert_eq!(got.len(), ds.pull_requests(&core.uuid).len());
}

/// A private server (its request log is ours alone) and a connection with `PageSize=5`.
fn small_pages() -> (FakeServer, Connection<'static>) {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let conn = env()
        .connect_with_connection_string(
            &format!("{}PageSize=5;", conn_string_for(&srv.base_url(), TOKEN)),
            ConnectionOptions::default(),
        )
        .unwrap();
    (srv, conn)
}

fn requests_to(srv: &FakeServer, since: usize, path_end: &str) -> Vec<String> {
    srv.requests()
        .into_iter()
        .skip(since)
        .filter(|r| r.path.ends_with(path_end))
        .map(|r| r.url)
        .collect()
}

#[test]
fn pipelines_without_next_links_are_read_to_the_end() {
    let (srv, conn) = small_pages();
    let ds = srv.dataset();
    let core = core_api(&ds);
    let mut expected: Vec<Option<String>> = ds.pipelines(&core.uuid).iter().map(|p| s(&p.uuid)).collect();
    assert!(expected.len() > 5, "more pipelines than one page");
    expected.sort();
    let before = srv.request_count();
    let rows = query_text(&conn, r#"SELECT * FROM "acme"."core-api"."Pipelines""#);
    let mut got: Vec<Option<String>> = rows.into_iter().map(|r| r[1].clone()).collect();
    got.sort();
    assert_eq!(got, expected);
    let urls = requests_to(&srv, before, "/core-api/pipelines");
    assert!(urls.len() > 1, "several pages: {urls:#?}");
    assert_eq!(urls.len(), expected.len().div_ceil(5), "{urls:#?}");
}

#[test]
fn commits_iterator_pagination_is_read_to_the_end() {
    let (srv, conn) = small_pages();
    let ds = srv.dataset();
    let core = core_api(&ds);
    let expected: Vec<Option<String>> = ds.commits(&core.uuid).iter().map(|c| s(&c.hash)).collect();
    let before = srv.request_count();
    let got = column(query_text(&conn, r#"SELECT Hash FROM "acme"."core-api"."Commits""#));
    // The list is newest first; the driver keeps the API's order.
    assert_eq!(sorted_opt(got), sorted_opt(expected.clone()));
    let urls = requests_to(&srv, before, "/core-api/commits");
    assert!(urls.len() > 1, "several pages: {urls:#?}");
    assert_eq!(urls.len(), expected.len().div_ceil(5), "{urls:#?}");
}

fn sorted_opt(mut v: Vec<Option<String>>) -> Vec<Option<String>> {
    v.sort();
    v
}

fn text<const N: usize>(v: &VarChar<[u8; N]>) -> Option<String> {
    v.as_str().expect("catalog text is UTF-8").map(String::from)
}

#[test]
fn columns_of_a_repository_table() {
    let conn = connect();
    let rows: Vec<odbc_api::ColumnsRow> = conn
        .columns("acme", "core-api", "PullRequests", "")
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let names: Vec<String> = rows.iter().map(|r| text(&r.column_name).unwrap()).collect();
    assert!(names.len() >= 2, "{names:?}");
    assert_eq!(names[..2], ["RepositorySlug", "Id"]);
    for r in &rows {
        assert_eq!(text(&r.schema).as_deref(), Some("core-api"));
        assert_eq!(text(&r.table).as_deref(), Some("PullRequests"));
    }
}
