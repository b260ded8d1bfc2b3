//! SQLTables and SQLColumns through odbc-api's typed catalog rows.

use crate::common::*;
use odbc_api::parameter::VarChar;

fn text<const N: usize>(v: &VarChar<[u8; N]>) -> Option<String> {
    v.as_str().expect("catalog text is UTF-8").map(String::from)
}

#[test]
fn tables_lists_every_registry_table() {
    let conn = connect();
    // (catalog, schema, table, type, remarks)
    type Row = (Option<String>, Option<String>, String, Option<String>, String);
    let mut rows: Vec<Row> = conn
        .tables("acme", "Information", "%", "TABLE")
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            (
                text(&r.catalog),
                text(&r.schema),
                text(&r.table).unwrap(),
                text(&r.table_type),
                text(&r.remarks).unwrap_or_default(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.2.cmp(&b.2));
    let names: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    let mut expected: Vec<&str> = bitbucket_odbc::tables::TABLES.iter().map(|t| t.name).collect();
    expected.sort();
    assert_eq!(names, expected);
    assert!(names.contains(&"Repositories") && names.contains(&"PullRequests"));
    for (cat, schema, table, ty, remarks) in &rows {
        assert_eq!(cat.as_deref(), Some("acme"), "{table}");
        assert_eq!(schema.as_deref(), Some("Information"), "{table}");
        assert_eq!(ty.as_deref(), Some("TABLE"), "{table}");
        assert!(!remarks.is_empty(), "{table} has no REMARKS");
    }

    // A pattern narrows the list.
    let only: Vec<String> = conn
        .tables("acme", "Information", "Repo%", "")
        .unwrap()
        .map(|r| text(&r.unwrap().table).unwrap())
        .collect();
    assert_eq!(only, ["Repositories", "RepositoryPermissions"]);
    let only: Vec<String> = conn
        .tables("acme", "Information", "Repositor_es", "")
        .unwrap()
        .map(|r| text(&r.unwrap().table).unwrap())
        .collect();
    assert_eq!(only, ["Repositories"]);
}

#[test]
fn tables_with_all_catalogs_lists_workspaces() {
    let conn = connect();
    let ds = dataset();
    let analyst = ds.user_by_email(USER).expect("analyst in the fake");
    let mut expected: Vec<String> = ds.workspaces_of(&analyst.uuid).map(|(w, _)| w.slug.clone()).collect();
    expected.sort();
    assert!(expected.contains(&"acme".to_string()) && expected.contains(&"globex".to_string()));
    // SQL_ALL_CATALOGS: CatalogName "%", SchemaName and TableName empty.
    let got: Vec<String> = conn
        .tables("%", "", "", "")
        .unwrap()
        .map(|r| text(&r.unwrap().catalog).unwrap())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn tables_enumerates_schemas_and_table_types() {
    let conn = connect();
    // SQL_ALL_SCHEMAS: SchemaName "%", the others empty: Information, then every repository.
    let schemas: Vec<Option<String>> = conn.tables("", "%", "", "").unwrap().map(|r| text(&r.unwrap().schema)).collect();
    let mut repos: Vec<String> = acme_repos(&dataset()).into_iter().map(|r| r.slug).collect();
    repos.sort();
    let expected: Vec<Option<String>> = std::iter::once(s("Information")).chain(repos.into_iter().map(Some)).collect();
    assert_eq!(schemas, expected);
    // SQL_ALL_TABLE_TYPES: TableType "%", the others empty.
    let types: Vec<Option<String>> = conn
        .tables("", "", "", "%")
        .unwrap()
        .map(|r| text(&r.unwrap().table_type))
        .collect();
    assert_eq!(types, [s("TABLE"), s("SYSTEM TABLE")]);
}

#[test]
fn columns_of_repositories() {
    let conn = connect();
    let rows: Vec<odbc_api::ColumnsRow> = conn
        .columns("acme", "Information", "Repositories", "%")
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let names: Vec<String> = rows.iter().map(|r| text(&r.column_name).unwrap()).collect();
    // Contract section 4, in declaration order.
    let required = [
        "Uuid",
        "Slug",
        "FullName",
        "Name",
        "Description",
        "ProjectKey",
        "ProjectName",
        "IsPrivate",
        "ForkPolicy",
        "Language",
        "Size",
        "MainBranch",
        "HasIssues",
        "HasWiki",
        "ParentFullName",
        "CreatedOn",
        "UpdatedOn",
    ];
    assert_eq!(names, required);
    let col = |name: &str| rows.iter().find(|r| text(&r.column_name).as_deref() == Some(name)).unwrap();

    let slug = col("Slug");
    assert_eq!(text(&slug.table).as_deref(), Some("Repositories"));
    assert_eq!(text(&slug.catalog).as_deref(), Some("acme"));
    assert_eq!(slug.data_type, -9, "SQL_WVARCHAR");
    assert_eq!(slug.nullable, 0, "the key column is NOT NULL");
    assert_eq!(text(&slug.is_nullable).as_deref(), Some("NO"));
    assert!(text(&slug.remarks).is_some_and(|r| !r.is_empty()), "Slug has REMARKS");
    assert_eq!(slug.ordinal_position, 2);

    assert_eq!(col("Size").data_type, -5, "SQL_BIGINT");
    assert_eq!(col("IsPrivate").data_type, -7, "SQL_BIT");
    let created = col("CreatedOn");
    assert_eq!(created.data_type, 93, "SQL_TYPE_TIMESTAMP");
    assert_eq!(created.sql_data_type, 9, "SQL_DATETIME");
    assert_eq!(created.decimal_digits.into_opt(), Some(6));
    assert_eq!(col("MainBranch").nullable, 1);
    assert!(
        rows.iter().all(|r| text(&r.remarks).is_some_and(|t| !t.is_empty())),
        "every column has REMARKS"
    );
}
