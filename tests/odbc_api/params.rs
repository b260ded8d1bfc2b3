//! Prepared statements with `?` markers through odbc-api: SQLNumParams, SQLDescribeParam from
//! the planner's inferred types, execution with bound values, and 07002 for a missing one.

use crate::common::*;
use odbc_api::{Cursor, DataType, IntoParameter};

#[test]
fn markers_are_counted_and_described() {
    let conn = connect();
    let mut p = conn
        .prepare(r#"SELECT Slug FROM Repositories WHERE Slug = ? AND IsPrivate = ? AND CreatedOn > ?"#)
        .unwrap();
    assert_eq!(p.num_params().unwrap(), 3);
    let types: Vec<DataType> = (1..=3).map(|i| p.describe_param(i).unwrap().data_type).collect();
    assert!(
        matches!(types[0], DataType::Varchar { .. } | DataType::WVarchar { .. }),
        "{types:?}"
    );
    assert_eq!(types[1], DataType::Bit);
    assert!(matches!(types[2], DataType::Timestamp { .. }), "{types:?}");
    assert!(p.describe_param(4).is_err(), "parameter 4 does not exist");
}

#[test]
fn bound_values_filter_rows() {
    let conn = connect();
    let mut p = conn.prepare("SELECT Slug FROM Repositories WHERE Slug = ?").unwrap();
    for slug in ["core-api", "web-frontend"] {
        let mut cursor = p.execute(&slug.into_parameter()).unwrap().expect("a result set");
        let mut row = cursor.next_row().unwrap().expect("one row");
        let mut buf = Vec::new();
        row.get_text(1, &mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), slug);
    }
}

#[test]
fn a_missing_value_is_07002() {
    let conn = connect();
    let mut p = conn.prepare("SELECT Slug FROM Repositories WHERE Slug = ?").unwrap();
    let Err(e) = p.execute(()) else {
        panic!("executing without the parameter must fail");
    };
    let (state, message) = diag(e);
    assert_eq!(state, "07002", "{message}");
    assert!(message.contains("SQLBindParameter"), "{message}");
}
