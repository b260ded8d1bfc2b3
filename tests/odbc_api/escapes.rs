//! Tableau-shaped SQL through the driver manager: ODBC escapes (`{fn}`, `{d}`, `{ts}`, `{oj}`,
//! `{escape}`), Tableau's aliases, derived tables and GROUP BY forms, over the fake's pull
//! requests and repositories. Expected values are computed from the fake's dataset.

use crate::common::*;
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, Utc};
use odbc_api::ResultSetMetadata;
use std::collections::BTreeMap;

/// Every acme pull request: (repository slug, id, state, created, updated), UTC.
fn pull_requests() -> Vec<(String, u64, String, NaiveDateTime, NaiveDateTime)> {
    let ds = dataset();
    let mut v = Vec::new();
    for r in acme_repos(&ds) {
        for p in ds.pull_requests(&r.uuid) {
            v.push((
                r.slug.clone(),
                p.id,
                p.state.as_str().to_string(),
                p.created_on.with_timezone(&Utc).naive_utc(),
                p.updated_on.with_timezone(&Utc).naive_utc(),
            ));
        }
    }
    assert!(v.len() > 20, "the fake has pull requests");
    v
}

fn counts<K: Ord>(keys: impl Iterator<Item = K>) -> BTreeMap<K, usize> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_default() += 1;
    }
    m
}

fn names(conn: &Connection<'_>, sql: &str) -> Vec<String> {
    let mut cursor = conn.execute(sql, (), None).unwrap().expect("a result set");
    let n = cursor.num_result_cols().unwrap() as u16;
    (1..=n).map(|c| cursor.col_name(c).unwrap()).collect()
}

fn rows_of(m: BTreeMap<impl ToString, usize>) -> Vec<Vec<Option<String>>> {
    m.into_iter().map(|(k, n)| vec![Some(k.to_string()), Some(n.to_string())]).collect()
}

#[test]
fn year_per_pull_request_with_tableau_aliases() {
    let conn = connect();
    let sql = r#"SELECT {fn YEAR("PullRequests"."CreatedOn")} AS "yr:CreatedOn:ok",
  COUNT(1) AS "TEMP(Test)(2617331766)(0)"
FROM "acme"."Information"."PullRequests" "PullRequests"
GROUP BY 1
ORDER BY 1"#;
    let want = rows_of(counts(pull_requests().iter().map(|p| p.3.year())));
    assert!(want.len() > 1, "pull requests span several years");
    assert_eq!(query_text(&conn, sql), want);
    // Tableau reads its columns back by alias: exactly as written.
    assert_eq!(names(&conn, sql), ["yr:CreatedOn:ok", "TEMP(Test)(2617331766)(0)"]);
}

#[test]
fn quarter_day_of_week_and_names() {
    let conn = connect();
    // GROUP BY repeats the expressions, as Tableau writes it.
    let got = query_text(
        &conn,
        r#"SELECT {fn QUARTER("PullRequests"."CreatedOn")} AS "qr_CreatedOn_ok",
  {fn DAYOFWEEK("PullRequests"."CreatedOn")} AS "dw_CreatedOn_ok",
  COUNT(1) AS "cnt_Number_of_Records_ok"
FROM "PullRequests" "PullRequests"
GROUP BY {fn QUARTER("PullRequests"."CreatedOn")}, {fn DAYOFWEEK("PullRequests"."CreatedOn")}
ORDER BY 1, 2"#,
    );
    let want: Vec<Vec<Option<String>>> = counts(
        pull_requests()
            .iter()
            .map(|p| (p.3.month0() / 3 + 1, p.3.weekday().num_days_from_sunday() + 1)),
    )
    .into_iter()
    .map(|((q, d), n)| vec![Some(q.to_string()), Some(d.to_string()), Some(n.to_string())])
    .collect();
    assert_eq!(got, want);

    let got = query_text(
        &conn,
        r#"SELECT "PullRequests"."RepositorySlug", "PullRequests"."Id",
  {fn DAYNAME("PullRequests"."CreatedOn")}, {fn MONTHNAME("PullRequests"."CreatedOn")},
  {fn DAYOFMONTH("PullRequests"."CreatedOn")}, {fn DAYOFYEAR("PullRequests"."CreatedOn")},
  {fn HOUR("PullRequests"."CreatedOn")}, {fn WEEK("PullRequests"."CreatedOn")}
FROM "PullRequests" "PullRequests" ORDER BY 1, 2"#,
    );
    let mut prs = pull_requests();
    prs.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let want: Vec<Vec<Option<String>>> = prs
        .iter()
        .map(|(slug, id, _, c, _)| {
            let jan1 = NaiveDate::from_ymd_opt(c.year(), 1, 1).unwrap();
            let week = (c.ordinal0() + jan1.weekday().num_days_from_sunday()) / 7 + 1;
            [
                slug.clone(),
                id.to_string(),
                c.format("%A").to_string(),
                c.format("%B").to_string(),
                c.day().to_string(),
                c.ordinal().to_string(),
                c.format("%-H").to_string(),
                week.to_string(),
            ]
            .into_iter()
            .map(Some)
            .collect()
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn timestampadd_date_filters() {
    let conn = connect();
    let prs = pull_requests();
    // A relative-date filter ("last three months") anchored on the newest pull request.
    let newest = prs.iter().map(|p| p.3).max().unwrap();
    let day = newest.date();
    let from = (day - Months::new(3)).and_hms_opt(0, 0, 0).unwrap();
    let to = (day + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap();
    let want = prs.iter().filter(|p| p.3 >= from && p.3 < to).count();
    assert!(want > 0 && want < prs.len(), "the filter keeps some rows");
    let anchor = newest.format("%Y-%m-%d %H:%M:%S");
    let sql = format!(
        r#"SELECT COUNT(1) AS "cnt:PullRequests:ok"
FROM "PullRequests" "PullRequests"
WHERE (("PullRequests"."CreatedOn" >= {{fn TIMESTAMPADD(SQL_TSI_MONTH,-3,CAST({{ts '{anchor}'}} AS DATE))}})
  AND ("PullRequests"."CreatedOn" < {{fn TIMESTAMPADD(SQL_TSI_DAY,1,CAST({{ts '{anchor}'}} AS DATE))}}))
HAVING (COUNT(1) > 0)"#
    );
    assert_eq!(query_text(&conn, &sql), vec![vec![Some(want.to_string())]]);

    // The shape Tableau sends for "last N days": relative to CURRENT_TIMESTAMP(0).
    assert!(newest < Utc::now().naive_utc(), "the fake's pull requests are in the past");
    let sql = r#"SELECT COUNT(1) FROM "PullRequests" "PullRequests"
WHERE (("PullRequests"."CreatedOn" >= {fn TIMESTAMPADD(SQL_TSI_YEAR,-100,CAST({fn CURRENT_TIMESTAMP(0)} AS DATE))})
  AND ("PullRequests"."CreatedOn" < {fn TIMESTAMPADD(SQL_TSI_DAY,1,CAST({fn CURRENT_TIMESTAMP(0)} AS DATE))}))"#;
    assert_eq!(query_text(&conn, sql), vec![vec![Some(prs.len().to_string())]]);

    // Date literals as Tableau writes them.
    let sql = format!(
        r#"SELECT COUNT(1) FROM "PullRequests" "PullRequests" WHERE (CAST("PullRequests"."CreatedOn" AS DATE) >= {{d '{}'}})"#,
        from.format("%Y-%m-%d")
    );
    let want = prs.iter().filter(|p| p.3.date() >= from.date()).count();
    assert_eq!(query_text(&conn, &sql), vec![vec![Some(want.to_string())]]);
}

#[test]
fn timestampdiff_counts_days() {
    let conn = connect();
    let got = query_text(
        &conn,
        r#"SELECT "PullRequests"."RepositorySlug", "PullRequests"."Id",
  {fn TIMESTAMPDIFF(SQL_TSI_DAY,CAST("PullRequests"."CreatedOn" AS DATE),CAST("PullRequests"."UpdatedOn" AS DATE))} AS "Calculation_503558746242125826",
  {fn TIMESTAMPDIFF(SQL_TSI_MONTH,"PullRequests"."CreatedOn","PullRequests"."UpdatedOn")} AS "Calculation_2"
FROM "PullRequests" "PullRequests" ORDER BY 1, 2"#,
    );
    let mut prs = pull_requests();
    prs.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let months = |d: NaiveDateTime| i64::from(d.year()) * 12 + i64::from(d.month0());
    let want: Vec<Vec<Option<String>>> = prs
        .iter()
        .map(|(slug, id, _, c, u)| {
            vec![
                s(slug),
                Some(id.to_string()),
                Some((u.date() - c.date()).num_days().to_string()),
                Some((months(*u) - months(*c)).to_string()),
            ]
        })
        .collect();
    assert!(want.iter().any(|r| r[2] != s("0")), "some pull requests were updated later");
    assert_eq!(got, want);
}

#[test]
fn convert_to_varchar_and_bigint() {
    let conn = connect();
    let mut want: Vec<Option<String>> = pull_requests()
        .iter()
        .filter(|p| p.0 == "core-api")
        .map(|p| Some(p.1.to_string()))
        .collect();
    want.sort();
    let sql = r#"SELECT {fn CONVERT("PullRequests"."Id", SQL_VARCHAR)} AS "none_Id_nk"
FROM "PullRequests" "PullRequests"
WHERE ("PullRequests"."RepositorySlug" = 'core-api')
GROUP BY 1
ORDER BY 1"#;
    assert_eq!(column(query_text(&conn, sql)), want);
    let mut cursor = conn.execute(sql, (), None).unwrap().unwrap();
    assert!(
        matches!(cursor.col_data_type(1).unwrap(), odbc_api::DataType::WVarchar { .. }),
        "CONVERT(x, SQL_VARCHAR) is text"
    );
    drop(cursor);

    // Number of Records, as Tableau counts it.
    let n = pull_requests().len();
    assert_eq!(
        query_text(
            &conn,
            r#"SELECT SUM({fn CONVERT(1, SQL_BIGINT)}) AS "sum_Number_of_Records_ok" FROM "PullRequests" "PullRequests" HAVING (COUNT(1) > 0)"#
        ),
        vec![vec![Some(n.to_string())]]
    );
    // ... and on no rows, no row at all.
    assert!(query_text(
        &conn,
        r#"SELECT SUM({fn CONVERT(1, SQL_BIGINT)}) AS "sum_Number_of_Records_ok" FROM "PullRequests" "PullRequests" WHERE (1 = 0) HAVING (COUNT(1) > 0)"#
    )
    .is_empty());
}

#[test]
fn custom_sql_query_derived_tables() {
    let conn = connect();
    let want = rows_of(counts(pull_requests().into_iter().map(|p| p.2)));
    for alias in ["\"Custom SQL Query\"", "\"TableauSQL\"", "\"カスタム SQL クエリー\""] {
        let sql = format!(
            r#"SELECT {alias}."State" AS "none_State_nk", COUNT(1) AS "cnt:Custom SQL Query:ok"
FROM (SELECT RepositorySlug, Id, State FROM PullRequests) {alias}
GROUP BY 1 ORDER BY 1"#
        );
        assert_eq!(query_text(&conn, &sql), want, "{alias}");
    }
    // The metadata probe: columns, no rows, no API call needed.
    let probe = r#"SELECT * FROM (SELECT Slug, Name FROM Repositories) "Custom SQL Query" WHERE (0 = 1)"#;
    assert!(query_text(&conn, probe).is_empty());
    assert_eq!(names(&conn, probe), ["Slug", "Name"]);
}

#[test]
fn null_safe_join_to_an_aggregated_subquery() {
    let conn = connect();
    let ds = dataset();
    let repos = acme_repos(&ds);
    let per_parent = counts(repos.iter().map(|r| r.parent_uuid.clone()));
    assert!(per_parent.contains_key(&None), "some repositories are not forks");
    let want: Vec<Vec<Option<String>>> = repos
        .iter()
        .map(|r| vec![s(&r.slug), Some(per_parent[&r.parent_uuid].to_string())])
        .collect();
    let got = query_text(
        &conn,
        r#"SELECT "Repositories"."Slug" AS "slug", "t0"."x_measure__0" AS "calculation_845269395859349504"
FROM "Repositories" "Repositories"
  JOIN (
  SELECT "Repositories"."ParentFullName" AS "ParentFullName", COUNT(1) AS "x_measure__0"
  FROM "Repositories" "Repositories"
  GROUP BY 1
) "t0" ON ("Repositories"."ParentFullName" IS NOT DISTINCT FROM "t0"."ParentFullName")
ORDER BY 1"#,
    );
    assert_eq!(got, want);
}

#[test]
fn group_by_alias_constant_and_top_n() {
    let conn = connect();
    let per_state = counts(pull_requests().into_iter().map(|p| p.2));
    let mut top: Vec<(usize, String)> = per_state.iter().map(|(s, n)| (*n, s.clone())).collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let want: Vec<Vec<Option<String>>> = top.iter().take(2).map(|(n, st)| vec![s(st), Some(n.to_string())]).collect();
    // GROUP BY an output alias, ORDER BY a measure alias, LIMIT (Tableau's Top N).
    let got = query_text(
        &conn,
        r#"SELECT "PullRequests"."State" AS "state", COUNT(1) AS "$__alias__0"
FROM "PullRequests" "PullRequests"
GROUP BY "state"
ORDER BY "$__alias__0" DESC, "state" ASC
LIMIT 2"#,
    );
    assert_eq!(got, want);
    // An alias that is no column.
    let got = query_text(
        &conn,
        r#"SELECT {fn YEAR("PullRequests"."CreatedOn")} AS "yr", COUNT(1) AS "n" FROM "PullRequests" "PullRequests" GROUP BY "yr" ORDER BY "yr""#,
    );
    assert_eq!(got, rows_of(counts(pull_requests().iter().map(|p| p.3.year()))));
    // GROUP BY a float constant means one group, not ordinal 1.
    let got = query_text(
        &conn,
        r#"SELECT COUNT(1) AS "TEMP(TEMP(TC_)(4001152001)(0))(105357904)(0)" FROM "PullRequests" "PullRequests" GROUP BY 1.1000000000000001"#,
    );
    assert_eq!(got, vec![vec![Some(pull_requests().len().to_string())]]);
    // SELECT TOP n is LIMIT n.
    let slugs: Vec<Option<String>> = acme_repos(&dataset()).iter().take(3).map(|r| s(&r.slug)).collect();
    assert_eq!(
        column(query_text(&conn, "SELECT TOP 3 Slug FROM Repositories ORDER BY Slug")),
        slugs
    );
}

#[test]
fn outer_join_and_like_escapes() {
    let conn = connect();
    let ds = dataset();
    let want: Vec<Vec<Option<String>>> = acme_repos(&ds)
        .iter()
        .map(|r| vec![s(&r.slug), s(&ds.project_by_uuid(&r.project_uuid).unwrap().name)])
        .collect();
    let got = query_text(
        &conn,
        r#"SELECT "r"."Slug", "p"."Name" FROM {oj "Repositories" "r" LEFT OUTER JOIN "Projects" "p" ON ("r"."ProjectKey" = "p"."Key")} ORDER BY 1"#,
    );
    assert_eq!(got, want);
    assert!(acme_repos(&ds).iter().any(|r| r.slug == "core-api"));
    // `_` matches any character unless escaped.
    assert_eq!(
        column(query_text(&conn, "SELECT Slug FROM Repositories WHERE Slug LIKE 'core_api'")),
        [s("core-api")]
    );
    assert!(query_text(&conn, r"SELECT Slug FROM Repositories WHERE Slug LIKE 'core\_api' {escape '\'}").is_empty());
}

#[test]
fn date_time_literals_and_current_values() {
    let conn = connect();
    let got = query_text(
        &conn,
        "SELECT {d '2024-02-29'}, {ts '2024-02-29 10:11:12.5'}, {fn TIMESTAMPADD(SQL_TSI_YEAR, 1, {d '2024-02-29'})}, {fn DATABASE()}, {fn USER()}",
    );
    assert_eq!(
        got,
        vec![vec![
            s("2024-02-29"),
            s("2024-02-29 10:11:12.500000"),
            s("2025-02-28 00:00:00"),
            s("acme"),
            s(USER)
        ]]
    );
    let now = query_text(&conn, "SELECT {fn CURRENT_TIMESTAMP(0)}, {fn CURDATE()}, {fn NOW()}");
    let ts = NaiveDateTime::parse_from_str(now[0][0].as_deref().unwrap(), "%Y-%m-%d %H:%M:%S").expect("no fraction at precision 0");
    let drift = (Utc::now().naive_utc() - ts).num_seconds().abs();
    assert!(drift < 60, "CURRENT_TIMESTAMP is UTC now: {ts}");
    let today = NaiveDate::parse_from_str(now[0][1].as_deref().unwrap(), "%Y-%m-%d").unwrap();
    assert!((today - ts.date()).num_days().abs() <= 1, "CURDATE is UTC today: {today}");
    assert!(now[0][2].is_some());
}

#[link(name = "odbc")]
extern "C" {
    fn SQLNativeSqlW(dbc: odbc_api::sys::HDbc, text: *const u16, len: i32, out: *mut u16, max: i32, out_len: *mut i32) -> i16;
}

#[test]
fn native_sql_returns_the_rewritten_text() {
    let conn = connect();
    let mut handle = conn.into_handle();
    let sql = "SELECT {fn UCASE(Slug)}, {fn CONVERT(Size, SQL_DOUBLE)} FROM Repositories WHERE CreatedOn > {ts '2020-01-02 03:04:05'} AND Name <> '{fn x}'";
    let text: Vec<u16> = sql.encode_utf16().collect();
    let mut out = vec![0u16; 512];
    let mut len = 0i32;
    let rc = unsafe {
        SQLNativeSqlW(
            handle.as_sys(),
            text.as_ptr(),
            text.len() as i32,
            out.as_mut_ptr(),
            out.len() as i32,
            &mut len,
        )
    };
    assert_eq!(rc, 0, "SQL_SUCCESS");
    // The bare handle is freed on drop, which needs a disconnected connection.
    assert!(matches!(handle.disconnect(), odbc_api::handles::SqlResult::Success(())));
    let got = String::from_utf16(&out[..len as usize]).unwrap();
    assert_eq!(
        got,
        "SELECT UCASE(Slug), CAST(Size AS DOUBLE) FROM Repositories WHERE CreatedOn > CAST('2020-01-02 03:04:05' AS TIMESTAMP(6)) AND Name <> '{fn x}'"
    );
}
