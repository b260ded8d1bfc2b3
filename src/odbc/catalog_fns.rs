//! SQLTables, SQLColumns and SQLGetTypeInfo as result sets built from the table registry.

use super::conn::Session;
use super::error::OdbcError;
use super::types::{self, SqlTypeInfo};
use crate::sql::catalog::INFORMATION;
use crate::tables::{ColumnDef, TableDef, TABLES};
use datafusion::arrow::array::{ArrayRef, Int16Builder, Int32Builder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use futures::TryStreamExt;
use std::sync::Arc;

/// One value of a catalog result row.
#[derive(Clone, Debug)]
pub enum V {
    S(String),
    I16(i16),
    I32(i32),
    Null,
}

pub fn s(v: impl Into<String>) -> V {
    V::S(v.into())
}

/// Column kinds: text, SMALLINT, INTEGER; `false` = NOT NULL.
#[derive(Clone, Copy)]
pub enum K {
    T(bool),
    S(bool),
    I(bool),
}

pub fn batch(cols: &[(&str, K)], rows: &[Vec<V>]) -> (SchemaRef, Vec<RecordBatch>) {
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, k)| match k {
            K::T(nl) => Field::new(*n, DataType::Utf8, *nl).with_metadata([(types_len_key(), "128".to_string())].into()),
            K::S(nl) => Field::new(*n, DataType::Int16, *nl),
            K::I(nl) => Field::new(*n, DataType::Int32, *nl),
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let arrays: Vec<ArrayRef> = cols
        .iter()
        .enumerate()
        .map(|(i, (_, k))| -> ArrayRef {
            match k {
                K::T(_) => {
                    let mut b = StringBuilder::new();
                    rows.iter()
                        .for_each(|r| b.append_option(if let V::S(x) = &r[i] { Some(x.as_str()) } else { None }));
                    Arc::new(b.finish())
                }
                K::S(_) => {
                    let mut b = Int16Builder::new();
                    rows.iter()
                        .for_each(|r| b.append_option(if let V::I16(x) = r[i] { Some(x) } else { None }));
                    Arc::new(b.finish())
                }
                K::I(_) => {
                    let mut b = Int32Builder::new();
                    rows.iter()
                        .for_each(|r| b.append_option(if let V::I32(x) = r[i] { Some(x) } else { None }));
                    Arc::new(b.finish())
                }
            }
        })
        .collect();
    let b = RecordBatch::try_new(schema.clone(), arrays).expect("catalog rows match their schema");
    (schema, vec![b])
}

fn types_len_key() -> String {
    crate::tables::arrow_build::LEN_KEY.to_string()
}

/// ODBC search pattern (`%`, `_`, `\` escape), case-insensitive; None and "%" match all.
pub fn matches(pattern: Option<&str>, value: &str) -> bool {
    let Some(p) = pattern else { return true };
    fn go(p: &[char], v: &[char]) -> bool {
        match p.first() {
            None => v.is_empty(),
            Some('%') => (0..=v.len()).any(|i| go(&p[1..], &v[i..])),
            Some('_') => !v.is_empty() && go(&p[1..], &v[1..]),
            Some('\\') if p.len() > 1 => !v.is_empty() && p[1].to_lowercase().eq(v[0].to_lowercase()) && go(&p[2..], &v[1..]),
            Some(c) => !v.is_empty() && c.to_lowercase().eq(v[0].to_lowercase()) && go(&p[1..], &v[1..]),
        }
    }
    let p: Vec<char> = p.chars().collect();
    let v: Vec<char> = value.chars().collect();
    go(&p, &v)
}

/// The catalog, schema and tables a catalog function addresses.
pub struct Addressed {
    pub cat: String,
    pub schema: String,
    pub tables: Vec<&'static TableDef>,
}

/// A schema pattern that can match `Information` addresses every table; any other literal
/// schema is a repository slug holding the repository-scoped tables. No API call is made.
pub fn resolve(session: &Session, catalog: Option<&str>, schema: Option<&str>, table: Option<&str>) -> Option<Addressed> {
    let cat = match catalog {
        Some(c) if !c.is_empty() && !c.contains(['%', '_']) => c.to_ascii_lowercase(),
        _ => default_catalog(session),
    };
    let schema = schema.filter(|s| !s.is_empty());
    let (schema, repo) = if matches(schema, INFORMATION) {
        (INFORMATION.to_string(), false)
    } else if let Some(r) = schema.filter(|s| !s.contains('%')) {
        // Slugs often hold '_', which as a pattern still matches itself.
        (r.replace("\\_", "_"), true)
    } else {
        return None;
    };
    let tables = TABLES
        .iter()
        .copied()
        .filter(|t| matches(table, t.name) && (!repo || t.scope == crate::tables::Scope::Repository))
        .collect();
    Some(Addressed { cat, schema, tables })
}

const TABLES_COLS: &[(&str, K)] = &[
    ("TABLE_CAT", K::T(true)),
    ("TABLE_SCHEM", K::T(true)),
    ("TABLE_NAME", K::T(true)),
    ("TABLE_TYPE", K::T(true)),
    ("REMARKS", K::T(true)),
];

fn default_catalog(session: &Session) -> String {
    session
        .config
        .workspace()
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| crate::sql::catalog::NO_WORKSPACE.to_string())
}

/// Workspaces the credentials see: sys_catalogs is the one place that lists them.
const ALL_CATALOGS: &str = "SELECT CatalogName FROM sys_catalogs";

/// The first column of a query's rows as text (listing workspaces or repositories).
fn slugs(session: &Session, sql: &str) -> Result<Vec<String>, OdbcError> {
    crate::runtime::block_on(async {
        let p = session.engine.prepare(sql, None).await?;
        let batches: Vec<RecordBatch> = session
            .engine
            .execute(&p, Vec::new(), Default::default())
            .await?
            .try_collect()
            .await
            .map_err(crate::sql::SqlError::from)?;
        let mut out = Vec::new();
        for b in batches {
            let col = b.column(0);
            for r in 0..b.num_rows() {
                if let super::convert::Cell::Str(s) = super::convert::cell(col.as_ref(), r) {
                    out.push(s.to_string());
                }
            }
        }
        Ok::<_, OdbcError>(out)
    })
}

pub fn tables(
    session: &Session,
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    types_: Option<&str>,
) -> Result<(SchemaRef, Vec<RecordBatch>), OdbcError> {
    // NULL counts as empty in the enumeration special cases: applications such as odbc-api
    // pass every zero-length string as a NULL pointer, so SQL_ALL_CATALOGS and friends need it.
    let empty = |x: Option<&str>| x.map(str::is_empty).unwrap_or(true);
    let null = V::Null;
    let rows: Vec<Vec<V>> = if catalog == Some("%") && empty(schema) && empty(table) {
        slugs(session, ALL_CATALOGS)?
            .into_iter()
            .map(|c| vec![s(c), null.clone(), null.clone(), null.clone(), null.clone()])
            .collect()
    } else if schema == Some("%") && empty(catalog) && empty(table) {
        // Information, then one schema per repository (one API call when a workspace is set).
        let cat = default_catalog(session);
        slugs(session, "SELECT SchemaName FROM sys_schemas")?
            .into_iter()
            .map(|sc| vec![s(&cat), s(sc), null.clone(), null.clone(), null.clone()])
            .collect()
    } else if types_ == Some("%") && empty(catalog) && empty(schema) && empty(table) {
        ["TABLE", "SYSTEM TABLE"]
            .iter()
            .map(|t| vec![null.clone(), null.clone(), null.clone(), s(*t), null.clone()])
            .collect()
    } else {
        let wanted = |ty: &str| {
            types_
                .filter(|t| !t.trim().is_empty() && t.trim() != "%")
                .map(|t| t.split(',').any(|x| x.trim().trim_matches('\'').eq_ignore_ascii_case(ty)))
                .unwrap_or(true)
        };
        let mut rows = Vec::new();
        // A catalog pattern reaches every workspace it matches (one API call to list them).
        let catalogs: Vec<Option<String>> = match catalog {
            Some(c) if c.contains(['%', '_']) => slugs(session, ALL_CATALOGS)?
                .into_iter()
                .filter(|w| matches(Some(c), w))
                .map(Some)
                .collect(),
            other => vec![other.map(String::from)],
        };
        for a in catalogs.iter().filter_map(|c| resolve(session, c.as_deref(), schema, table)) {
            if wanted("TABLE") {
                for t in &a.tables {
                    rows.push(vec![s(&a.cat), s(&a.schema), s(t.name), s("TABLE"), s(t.desc)]);
                }
            }
            // The sys_ tables answer in every schema; they are listed once, in Information.
            if wanted("SYSTEM TABLE") && a.schema == INFORMATION {
                for t in crate::tables::sys::SYS_TABLES.iter().filter(|t| matches(table, t.name)) {
                    rows.push(vec![s(&a.cat), s(&a.schema), s(t.name), s("SYSTEM TABLE"), s(t.desc)]);
                }
            }
        }
        rows
    };
    Ok(batch(TABLES_COLS, &rows))
}

const COLUMNS_COLS: &[(&str, K)] = &[
    ("TABLE_CAT", K::T(true)),
    ("TABLE_SCHEM", K::T(true)),
    ("TABLE_NAME", K::T(false)),
    ("COLUMN_NAME", K::T(false)),
    ("DATA_TYPE", K::S(false)),
    ("TYPE_NAME", K::T(false)),
    ("COLUMN_SIZE", K::I(true)),
    ("BUFFER_LENGTH", K::I(true)),
    ("DECIMAL_DIGITS", K::S(true)),
    ("NUM_PREC_RADIX", K::S(true)),
    ("NULLABLE", K::S(false)),
    ("REMARKS", K::T(true)),
    ("COLUMN_DEF", K::T(true)),
    ("SQL_DATA_TYPE", K::S(false)),
    ("SQL_DATETIME_SUB", K::S(true)),
    ("CHAR_OCTET_LENGTH", K::I(true)),
    ("ORDINAL_POSITION", K::I(false)),
    ("IS_NULLABLE", K::T(true)),
];

/// The type columns SQLColumns and SQLProcedureColumns share, around NULLABLE, REMARKS and
/// COLUMN_DEF: DATA_TYPE … NUM_PREC_RADIX, then SQL_DATA_TYPE … CHAR_OCTET_LENGTH.
pub fn type_columns(ti: &SqlTypeInfo) -> ([V; 6], [V; 3]) {
    let is_text = ti.sql_type == types::SQL_WVARCHAR;
    let opt16 = |b: bool, v: i16| if b { V::I16(v) } else { V::Null };
    (
        [
            V::I16(ti.sql_type),
            s(ti.name),
            V::I32(ti.size as i32),
            V::I32(ti.octet_len as i32),
            opt16(!is_text && ti.sql_type != types::SQL_BIT, ti.decimal_digits),
            opt16(ti.radix != 0, ti.radix),
        ],
        [
            V::I16(ti.verbose),
            opt16(ti.datetime_sub != 0, ti.datetime_sub),
            if is_text { V::I32(ti.octet_len as i32) } else { V::Null },
        ],
    )
}

fn column_row(cat: &str, schema: &str, t: &TableDef, i: usize, c: &ColumnDef) -> Vec<V> {
    let ti: SqlTypeInfo = types::of_col_type(c.ty, c.len);
    let (head, tail) = type_columns(&ti);
    let mut row = vec![s(cat), s(schema), s(t.name), s(c.name)];
    row.extend(head);
    row.extend([V::I16(if c.not_null { 0 } else { 1 }), s(c.desc), V::Null]);
    row.extend(tail);
    row.extend([V::I32(i as i32 + 1), s(if c.not_null { "NO" } else { "YES" })]);
    row
}

pub fn columns(
    session: &Session,
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    column: Option<&str>,
) -> (SchemaRef, Vec<RecordBatch>) {
    let mut rows = Vec::new();
    if let Some(a) = resolve(session, catalog, schema, table) {
        for t in &a.tables {
            for (i, c) in t.columns.iter().enumerate().filter(|(_, c)| matches(column, c.name)) {
                rows.push(column_row(&a.cat, &a.schema, t, i, c));
            }
        }
    }
    batch(COLUMNS_COLS, &rows)
}

const TYPE_INFO_COLS: &[(&str, K)] = &[
    ("TYPE_NAME", K::T(false)),
    ("DATA_TYPE", K::S(false)),
    ("COLUMN_SIZE", K::I(true)),
    ("LITERAL_PREFIX", K::T(true)),
    ("LITERAL_SUFFIX", K::T(true)),
    ("CREATE_PARAMS", K::T(true)),
    ("NULLABLE", K::S(false)),
    ("CASE_SENSITIVE", K::S(false)),
    ("SEARCHABLE", K::S(false)),
    ("UNSIGNED_ATTRIBUTE", K::S(true)),
    ("FIXED_PREC_SCALE", K::S(false)),
    ("AUTO_UNIQUE_VALUE", K::S(true)),
    ("LOCAL_TYPE_NAME", K::T(true)),
    ("MINIMUM_SCALE", K::S(true)),
    ("MAXIMUM_SCALE", K::S(true)),
    ("SQL_DATA_TYPE", K::S(false)),
    ("SQL_DATETIME_SUB", K::S(true)),
    ("NUM_PREC_RADIX", K::I(true)),
    ("INTERVAL_PRECISION", K::S(true)),
];

/// The types columns can report, in DATA_TYPE order as ODBC requires.
pub fn type_infos() -> Vec<SqlTypeInfo> {
    types::TYPE_INFOS.to_vec()
}

pub fn type_info(data_type: i16) -> (SchemaRef, Vec<RecordBatch>) {
    let rows: Vec<Vec<V>> = type_infos()
        .into_iter()
        .filter(|t| data_type == 0 || t.sql_type == data_type)
        .map(|t| {
            let text = t.sql_type == types::SQL_WVARCHAR;
            let dt = t.sql_type == types::SQL_TYPE_TIMESTAMP || t.sql_type == types::SQL_TYPE_DATE || t.sql_type == types::SQL_TYPE_TIME;
            let numeric = t.radix == 10;
            vec![
                s(t.name),
                V::I16(t.sql_type),
                V::I32(t.size as i32),
                if text || dt { s("'") } else { V::Null },
                if text || dt { s("'") } else { V::Null },
                if t.sql_type == types::SQL_DECIMAL {
                    s("precision,scale")
                } else {
                    V::Null
                },
                V::I16(1),
                V::I16(i16::from(text)),
                V::I16(if text { 3 } else { 2 }),
                if numeric { V::I16(0) } else { V::Null },
                V::I16(0),
                if numeric { V::I16(0) } else { V::Null },
                s(t.name),
                // DECIMAL takes any scale up to its largest; the others have a fixed one.
                if t.sql_type == types::SQL_DECIMAL {
                    V::I16(0)
                } else if numeric || dt {
                    V::I16(t.decimal_digits)
                } else {
                    V::Null
                },
                if numeric || dt { V::I16(t.decimal_digits) } else { V::Null },
                V::I16(t.verbose),
                if t.datetime_sub != 0 { V::I16(t.datetime_sub) } else { V::Null },
                if t.radix != 0 { V::I32(t.radix.into()) } else { V::Null },
                V::Null,
            ]
        })
        .collect();
    batch(TYPE_INFO_COLS, &rows)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn search_patterns() {
        assert!(matches(Some("Repo%"), "Repositories"));
        assert!(matches(Some("repositories"), "Repositories"));
        assert!(matches(Some("U_ers"), "Users"));
        assert!(!matches(Some("Users\\_"), "UsersX"));
        assert!(matches(None, "x"));
        assert!(!matches(Some("Proj"), "Projects"));
    }
}
