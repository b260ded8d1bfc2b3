//! Result sets: values through the narrow and wide paths, metadata from SQLDescribeCol,
//! NULLs, timestamps, and block cursors.

use crate::common::*;
use chrono::{Datelike, Timelike, Utc};
use odbc_api::buffers::{BufferDesc, ColumnarDynBuffer, TextRowSet};
use odbc_api::sys::Timestamp;
use odbc_api::{Bit, ColumnDescription, Cursor, DataType, Nullability, Nullable, ResultSetMetadata};
use std::num::NonZeroUsize;

const REPO_SQL: &str = "SELECT Slug, Name, ProjectKey FROM Repositories ORDER BY Slug";

fn expected_repo_rows() -> Vec<Vec<Option<String>>> {
    let ds = dataset();
    acme_repos(&ds)
        .iter()
        .map(|r| vec![s(&r.slug), s(&r.name), Some(project_key(&ds, r))])
        .collect()
}

#[test]
fn repositories_as_narrow_text() {
    let expected = expected_repo_rows();
    assert_eq!(expected.len(), 12, "seed-42 small data set has 12 acme repositories");
    assert_eq!(query_text(&connect(), REPO_SQL), expected);
}

#[test]
fn repositories_as_wide_text() {
    assert_eq!(query_wide(&connect(), REPO_SQL), expected_repo_rows());
}

#[test]
fn unicode_and_emoji_round_trip_narrow_and_wide() {
    let conn = connect();
    let ds = dataset();
    let rocket = ds.find_repository("acme", "rocket-launcher").unwrap();
    assert!(rocket.description.contains('🚀'));
    let zoe = ds.user_by_nickname("zoe").unwrap();
    assert_eq!(zoe.display_name, "Zoë Ñúñez 🎸");

    // The literal in the WHERE clause goes in as UTF-8 too.
    let sql = "SELECT Name, Description FROM Repositories WHERE Name = 'Café Ünïcödé' OR Slug = 'rocket-launcher' ORDER BY Slug";
    let cafe = ds.find_repository("acme", "cafe-unicode").unwrap();
    let expected = vec![
        vec![s("Café Ünïcödé"), s(&cafe.description)],
        vec![s(&rocket.name), s(&rocket.description)],
    ];
    assert_eq!(query_text(&conn, sql), expected);
    assert_eq!(query_wide(&conn, sql), expected);

    let sql = "SELECT DisplayName FROM Users WHERE Nickname = 'zoe'";
    assert_eq!(column(query_text(&conn, sql)), vec![s("Zoë Ñúñez 🎸")]);
    assert_eq!(column(query_wide(&conn, sql)), vec![s("Zoë Ñúñez 🎸")]);
}

#[test]
fn piecewise_get_data_reassembles_multibyte_text() {
    // Small buffers make SQLGetData return each value in pieces; the pieces must concatenate to
    // the value whatever byte a piece ends on (odbc-api relies on every truncated piece filling
    // the buffer, as the ODBC spec says).
    let conn = connect();
    let ds = dataset();
    let rocket = ds.find_repository("acme", "rocket-launcher").unwrap();
    let sql = "SELECT Name, Description FROM Repositories WHERE Slug IN ('cafe-unicode', 'rocket-launcher') ORDER BY Slug";
    let expected = [
        (
            "Café Ünïcödé".to_string(),
            ds.find_repository("acme", "cafe-unicode").unwrap().description.clone(),
        ),
        (rocket.name.clone(), rocket.description.clone()),
    ];
    for capacity in 1..=12 {
        let mut cursor = conn.execute(sql, (), None).unwrap().unwrap();
        for (name, description) in &expected {
            let mut row = cursor.next_row().unwrap().expect("a row");
            let mut narrow = Vec::with_capacity(capacity);
            assert!(row.get_text(1, &mut narrow).unwrap());
            assert_eq!(String::from_utf8_lossy(&narrow), *name, "narrow, buffer of {capacity} bytes");
            let mut wide = Vec::with_capacity(capacity);
            assert!(row.get_wide_text(2, &mut wide).unwrap());
            assert_eq!(String::from_utf16_lossy(&wide), *description, "wide, buffer of {capacity} units");
        }
    }
}

#[test]
fn describe_col_reports_names_types_and_nullability() {
    let conn = connect();
    let mut cursor = conn
        .execute("SELECT Slug, Size, IsPrivate, CreatedOn, MainBranch FROM Repositories", (), None)
        .unwrap()
        .unwrap();
    assert_eq!(cursor.num_result_cols().unwrap(), 5);
    let described: Vec<(String, DataType, Nullability)> = (1..=5)
        .map(|i| {
            let mut d = ColumnDescription::default();
            cursor.describe_col(i, &mut d).unwrap();
            (d.name_to_string().unwrap(), d.data_type, d.nullability)
        })
        .collect();
    let text255 = DataType::WVarchar {
        length: NonZeroUsize::new(255),
    };
    assert_eq!(
        described,
        vec![
            // The key column: text, NOT NULL.
            ("Slug".to_string(), text255, Nullability::NoNulls),
            ("Size".to_string(), DataType::BigInt, Nullability::Nullable),
            ("IsPrivate".to_string(), DataType::Bit, Nullability::Nullable),
            // SQL_TYPE_TIMESTAMP with 6 fractional digits: microseconds.
            ("CreatedOn".to_string(), DataType::Timestamp { precision: 6 }, Nullability::Nullable),
            ("MainBranch".to_string(), text255, Nullability::Nullable),
        ]
    );
}

#[test]
fn null_main_branch_of_the_empty_repository() {
    let conn = connect();
    let ds = dataset();
    let expected: Vec<Vec<Option<String>>> = acme_repos(&ds).iter().map(|r| vec![s(&r.slug), r.mainbranch.clone()]).collect();
    assert!(expected.iter().any(|r| r[0] == s("empty-repo") && r[1].is_none()));
    assert!(expected.iter().filter(|r| r[1].is_some()).count() > 1);
    let sql = "SELECT Slug, MainBranch FROM Repositories ORDER BY Slug";
    assert_eq!(query_text(&conn, sql), expected);
    assert_eq!(query_wide(&conn, sql), expected);

    // The indicator says SQL_NULL_DATA for a fixed-size target too.
    let mut cursor = conn
        .execute("SELECT MainBranch, Size FROM Repositories WHERE Slug = 'empty-repo'", (), None)
        .unwrap()
        .unwrap();
    let mut row = cursor.next_row().unwrap().expect("one row");
    let mut branch = Vec::new();
    assert!(!row.get_text(1, &mut branch).unwrap(), "MainBranch must be NULL");
    let mut size = Nullable::<i64>::null();
    row.get_data(2, &mut size).unwrap();
    assert_eq!(size.into_opt(), Some(0), "an empty repository has size 0");
}

fn ts_of(t: &fake_bitbucket::data::Ts) -> Timestamp {
    let u = t.with_timezone(&Utc);
    Timestamp {
        year: u.year() as i16,
        month: u.month() as u16,
        day: u.day() as u16,
        hour: u.hour() as u16,
        minute: u.minute() as u16,
        second: u.second() as u16,
        // ODBC fractions are nanoseconds.
        fraction: u.nanosecond(),
    }
}

#[test]
fn timestamps_in_utc_with_microseconds() {
    let conn = connect();
    let ds = dataset();
    let repos = acme_repos(&ds);
    let expected: Vec<(String, Timestamp)> = repos.iter().map(|r| (r.slug.clone(), ts_of(&r.created_on))).collect();
    // core-api's created_on is 2019-03-14T09:26:53.589793+00:00: microseconds must survive.
    let core = expected.iter().find(|(s, _)| s == "core-api").unwrap();
    assert_eq!(core.1.fraction, 589_793_000);

    let mut cursor = conn
        .execute("SELECT Slug, CreatedOn FROM Repositories ORDER BY Slug", (), None)
        .unwrap()
        .unwrap();
    let mut got = Vec::new();
    let mut slug = Vec::new();
    while let Some(mut row) = cursor.next_row().unwrap() {
        row.get_text(1, &mut slug).unwrap();
        let mut ts = Timestamp::default();
        row.get_data(2, &mut ts).unwrap();
        got.push((String::from_utf8(slug.clone()).unwrap(), ts));
    }
    assert_eq!(got, expected);

    // The text form carries the microseconds as well.
    let text = query_text(&conn, "SELECT CreatedOn FROM Repositories WHERE Slug = 'core-api'");
    assert_eq!(text, vec![vec![s("2019-03-14 09:26:53.589793")]]);
}

#[test]
fn block_cursor_text_row_set() {
    let conn = connect();
    let mut cursor = conn.execute(REPO_SQL, (), None).unwrap().unwrap();
    // 5 rows per SQLFetch: 12 repositories arrive as 5 + 5 + 2.
    let buffer = TextRowSet::for_cursor(5, &mut cursor, Some(1024)).unwrap();
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let mut rows = Vec::new();
    let mut batch_sizes = Vec::new();
    while let Some(batch) = block.fetch().unwrap() {
        batch_sizes.push(batch.num_rows());
        for r in 0..batch.num_rows() {
            rows.push(
                (0..batch.num_cols())
                    .map(|c| batch.at_as_str(c, r).unwrap().map(String::from))
                    .collect::<Vec<_>>(),
            );
        }
    }
    assert_eq!(batch_sizes, vec![5, 5, 2]);
    assert_eq!(rows, expected_repo_rows());
}

#[test]
fn block_cursor_reports_truncation() {
    let conn = connect();
    let cursor = conn
        .execute("SELECT Name FROM Repositories WHERE Slug = 'cafe-unicode'", (), None)
        .unwrap()
        .unwrap();
    // Room for 4 bytes: the indicator must still give the full length so the application can
    // tell the value was cut (and SQLFetch says SQL_SUCCESS_WITH_INFO, 01004).
    let buffer = TextRowSet::from_max_str_lens(3, [4usize]).unwrap();
    let mut block = cursor.bind_buffer(buffer).unwrap();
    match block.fetch_with_truncation_check(true) {
        Err(odbc_api::Error::TooLargeValueForBuffer { indicator, buffer_index }) => {
            assert_eq!(indicator, Some("Café Ünïcödé".len()));
            assert_eq!(buffer_index, 0);
        }
        Err(e) => panic!("expected a truncation error, got {e}"),
        Ok(_) => panic!("a 4-byte buffer cannot hold 'Café Ünïcödé' untruncated"),
    }
}

#[test]
fn block_cursor_typed_columns() {
    let conn = connect();
    let ds = dataset();
    let repos = acme_repos(&ds);
    let cursor = conn
        .execute(
            "SELECT Slug, Size, IsPrivate, CreatedOn, Name, MainBranch FROM Repositories ORDER BY Slug",
            (),
            None,
        )
        .unwrap()
        .unwrap();
    // `ColumnarAnyBuffer` is called `ColumnarDynBuffer` since odbc-api 29.
    let descs = [
        BufferDesc::Text { max_str_len: 1020 },
        BufferDesc::I64 { nullable: true },
        BufferDesc::Bit { nullable: true },
        BufferDesc::Timestamp { nullable: true },
        BufferDesc::WText { max_str_len: 255 },
        BufferDesc::WText { max_str_len: 255 },
    ];
    let buffer = ColumnarDynBuffer::from_descs(4, descs);
    let mut block = cursor.bind_buffer(buffer).unwrap();
    let mut i = 0;
    while let Some(batch) = block.fetch().unwrap() {
        assert!(batch.num_rows() <= 4);
        let slugs = batch.column(0).as_text().unwrap();
        let sizes = batch.column(1).as_nullable_slice::<i64>().unwrap();
        let private = batch.column(2).as_nullable_slice::<Bit>().unwrap();
        let created = batch.column(3).as_nullable_slice::<Timestamp>().unwrap();
        let names = batch.column(4).as_wide_text().unwrap();
        let branches = batch.column(5).as_wide_text().unwrap();
        for r in 0..batch.num_rows() {
            let e = &repos[i];
            assert_eq!(slugs.get(r), Some(e.slug.as_bytes()));
            assert_eq!(sizes.get(r).copied(), Some(e.size as i64), "{}", e.slug);
            assert_eq!(private.get(r).map(|b| b.as_bool()), Some(e.is_private), "{}", e.slug);
            assert_eq!(created.get(r).copied(), Some(ts_of(&e.created_on)), "{}", e.slug);
            assert_eq!(names.get(r).map(String::from_utf16_lossy), Some(e.name.clone()));
            assert_eq!(branches.get(r).map(String::from_utf16_lossy), e.mainbranch.clone(), "{}", e.slug);
            i += 1;
        }
    }
    assert_eq!(i, repos.len());
}
