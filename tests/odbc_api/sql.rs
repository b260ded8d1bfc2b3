//! SQL through the driver: filters, aggregates, joins, limits and every way of naming a table.

use crate::common::*;
use std::collections::BTreeMap;

fn acme_slugs() -> Vec<Option<String>> {
    acme_repos(&dataset()).iter().map(|r| s(&r.slug)).collect()
}

#[test]
fn where_filters_rows() {
    let conn = connect();
    let ds = dataset();
    let public: Vec<Option<String>> = acme_repos(&ds).iter().filter(|r| !r.is_private).map(|r| s(&r.slug)).collect();
    assert!(
        !public.is_empty() && public.len() < acme_repos(&ds).len(),
        "the filter must drop some rows"
    );
    let got = column(query_text(
        &conn,
        "SELECT Slug FROM Repositories WHERE IsPrivate = false ORDER BY Slug",
    ));
    assert_eq!(got, public);

    let got = query_text(&conn, "SELECT Slug, Name FROM Repositories WHERE Slug = 'cafe-unicode'");
    assert_eq!(got, vec![vec![s("cafe-unicode"), s("Café Ünïcödé")]]);
}

#[test]
fn group_by_counts_per_project() {
    let conn = connect();
    let ds = dataset();
    let mut expected: BTreeMap<String, usize> = BTreeMap::new();
    for r in acme_repos(&ds) {
        *expected.entry(project_key(&ds, &r)).or_default() += 1;
    }
    let expected: Vec<Vec<Option<String>>> = expected.into_iter().map(|(k, n)| vec![Some(k), Some(n.to_string())]).collect();
    assert!(expected.len() > 1);
    let got = query_text(
        &conn,
        "SELECT ProjectKey, COUNT(*) AS N FROM Repositories GROUP BY ProjectKey ORDER BY ProjectKey",
    );
    assert_eq!(got, expected);
}

#[test]
fn join_repositories_and_projects() {
    let conn = connect();
    let ds = dataset();
    let expected: Vec<Vec<Option<String>>> = acme_repos(&ds)
        .iter()
        .map(|r| {
            let p = ds.project_by_uuid(&r.project_uuid).unwrap();
            vec![s(&r.slug), s(&p.key), s(&p.name)]
        })
        .collect();
    let got = query_text(
        &conn,
        "SELECT r.Slug, p.Key, p.Name FROM Repositories r JOIN Projects p ON r.ProjectKey = p.Key ORDER BY r.Slug",
    );
    assert_eq!(got, expected);
}

#[test]
fn limit_after_order_by() {
    let conn = connect();
    let expected: Vec<Option<String>> = acme_slugs().into_iter().take(3).collect();
    assert_eq!(
        column(query_text(&conn, "SELECT Slug FROM Repositories ORDER BY Slug LIMIT 3")),
        expected
    );
}

#[test]
fn quoted_identifiers() {
    let conn = connect();
    let got = column(query_text(
        &conn,
        r#"SELECT "Repositories"."Slug" FROM "Repositories" ORDER BY "Repositories"."Slug""#,
    ));
    assert_eq!(got, acme_slugs());
}

#[test]
fn lower_case_unquoted_identifiers() {
    let conn = connect();
    assert_eq!(
        column(query_text(&conn, "select slug from repositories order by slug")),
        acme_slugs()
    );
    // The result column keeps the catalog's spelling.
    let mut cursor = conn.execute("select slug from repositories", (), None).unwrap().unwrap();
    use odbc_api::ResultSetMetadata;
    assert_eq!(cursor.col_name(1).unwrap(), "Slug");
}

#[test]
fn fully_qualified_names() {
    let conn = connect();
    let got = column(query_text(
        &conn,
        r#"SELECT "Slug" FROM "acme"."Information"."Repositories" ORDER BY "Slug""#,
    ));
    assert_eq!(got, acme_slugs());

    // Another workspace than the connection's default one.
    let ds = dataset();
    let globex = ds.find_workspace("globex").unwrap();
    let mut expected: Vec<Vec<Option<String>>> = ds.projects_in(&globex.uuid).map(|p| vec![s(&p.key), s(&p.name)]).collect();
    expected.sort();
    assert!(!expected.is_empty());
    let got = query_text(&conn, "SELECT Key, Name FROM globex.Information.Projects ORDER BY Key");
    assert_eq!(got, expected);
}

#[test]
fn offset_and_top() {
    let conn = connect();
    let mut slugs: Vec<String> = acme_repos(&dataset()).into_iter().map(|r| r.slug).collect();
    slugs.sort();
    let got = |sql: &str| -> Vec<String> { column(query_text(&conn, sql)).into_iter().flatten().collect() };
    assert_eq!(
        got("SELECT Slug FROM Repositories ORDER BY Slug LIMIT 2 OFFSET 1"),
        slugs[1..3].to_vec()
    );
    // The API order with an OFFSET: the skipped row must stay skipped when LIMIT reaches the scan.
    let all = got("SELECT Slug FROM Repositories");
    assert_eq!(got("SELECT Slug FROM Repositories LIMIT 2 OFFSET 1"), all[1..3].to_vec());
    assert_eq!(got("SELECT TOP 2 Slug FROM Repositories ORDER BY Slug"), slugs[..2].to_vec());
    assert_eq!(
        got("SELECT Slug FROM (SELECT TOP 3 Slug FROM Repositories ORDER BY Slug DESC) t ORDER BY Slug"),
        slugs[slugs.len() - 3..].to_vec()
    );
    let (state, message) = query_error(&conn, "SELECT TOP 2 Slug FROM Repositories LIMIT 3");
    assert_eq!(state, "42000", "{message}");
}
