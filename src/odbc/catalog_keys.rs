//! SQLPrimaryKeys, SQLForeignKeys, SQLStatistics and SQLSpecialColumns from the registry.

use super::catalog_fns::{batch, resolve, s, K, V};
use super::conn::Session;
use super::types;
use crate::tables::registry::foreign_keys;
use crate::tables::{ColumnDef, TableDef};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;

type Result = (SchemaRef, Vec<RecordBatch>);

fn key_columns(t: &TableDef) -> impl Iterator<Item = &ColumnDef> {
    t.columns.iter().filter(|c| c.key)
}

const PK_COLS: &[(&str, K)] = &[
    ("TABLE_CAT", K::T(true)),
    ("TABLE_SCHEM", K::T(true)),
    ("TABLE_NAME", K::T(false)),
    ("COLUMN_NAME", K::T(false)),
    ("KEY_SEQ", K::S(false)),
    ("PK_NAME", K::T(true)),
];

fn exact(name: Option<&str>) -> Option<&str> {
    // Table names of these functions are not patterns: escape characters are literal.
    name.filter(|n| !n.is_empty())
}

pub fn primary_keys(session: &Session, catalog: Option<&str>, schema: Option<&str>, table: Option<&str>) -> Result {
    let mut rows = Vec::new();
    if let (Some(a), Some(name)) = (resolve(session, catalog, schema, None), exact(table)) {
        for t in a.tables.iter().filter(|t| t.name.eq_ignore_ascii_case(name)) {
            for (i, c) in key_columns(t).enumerate() {
                rows.push(vec![
                    s(&a.cat),
                    s(&a.schema),
                    s(t.name),
                    s(c.name),
                    V::I16(i as i16 + 1),
                    s(format!("PK_{}", t.name)),
                ]);
            }
        }
    }
    batch(PK_COLS, &rows)
}

const FK_COLS: &[(&str, K)] = &[
    ("PKTABLE_CAT", K::T(true)),
    ("PKTABLE_SCHEM", K::T(true)),
    ("PKTABLE_NAME", K::T(false)),
    ("PKCOLUMN_NAME", K::T(false)),
    ("FKTABLE_CAT", K::T(true)),
    ("FKTABLE_SCHEM", K::T(true)),
    ("FKTABLE_NAME", K::T(false)),
    ("FKCOLUMN_NAME", K::T(false)),
    ("KEY_SEQ", K::S(false)),
    ("UPDATE_RULE", K::S(true)),
    ("DELETE_RULE", K::S(true)),
    ("FK_NAME", K::T(true)),
    ("PK_NAME", K::T(true)),
    ("DEFERRABILITY", K::S(true)),
];

/// `pk` and/or `fk` are (catalog, schema, table); at least one table is given.
pub fn foreign_keys_of(session: &Session, pk: [Option<&str>; 3], fk: [Option<&str>; 3]) -> Result {
    const SQL_NO_ACTION: i16 = 3;
    const SQL_NOT_DEFERRABLE: i16 = 7;
    let pk_name = exact(pk[2]);
    let fk_name = exact(fk[2]);
    // Referenced tables live in Information; a repository schema's tables reference it too.
    let fk_addr = resolve(session, fk[0], fk[1], None);
    let pk_addr = resolve(session, pk[0], pk[1], None);
    let mut rows = Vec::new();
    for k in foreign_keys() {
        if pk_name.is_some_and(|n| !k.references.name.eq_ignore_ascii_case(n))
            || fk_name.is_some_and(|n| !k.table.name.eq_ignore_ascii_case(n))
        {
            continue;
        }
        let (Some(fa), Some(pa)) = (&fk_addr, &pk_addr) else { continue };
        if !fa.tables.iter().any(|t| t.name == k.table.name) {
            continue;
        }
        let pk_cols: Vec<&ColumnDef> = key_columns(k.references).collect();
        for (i, (fc, pc)) in k.columns.iter().zip(pk_cols).enumerate() {
            rows.push(vec![
                s(&pa.cat),
                s(super::super::sql::catalog::INFORMATION),
                s(k.references.name),
                s(pc.name),
                s(&fa.cat),
                s(&fa.schema),
                s(k.table.name),
                s(*fc),
                V::I16(i as i16 + 1),
                V::I16(SQL_NO_ACTION),
                V::I16(SQL_NO_ACTION),
                s(format!("FK_{}_{}", k.table.name, k.references.name)),
                s(format!("PK_{}", k.references.name)),
                V::I16(SQL_NOT_DEFERRABLE),
            ]);
        }
    }
    batch(FK_COLS, &rows)
}

const STAT_COLS: &[(&str, K)] = &[
    ("TABLE_CAT", K::T(true)),
    ("TABLE_SCHEM", K::T(true)),
    ("TABLE_NAME", K::T(false)),
    ("NON_UNIQUE", K::S(true)),
    ("INDEX_QUALIFIER", K::T(true)),
    ("INDEX_NAME", K::T(true)),
    ("TYPE", K::S(false)),
    ("ORDINAL_POSITION", K::S(true)),
    ("COLUMN_NAME", K::T(true)),
    ("ASC_OR_DESC", K::T(true)),
    ("CARDINALITY", K::I(true)),
    ("PAGES", K::I(true)),
    ("FILTER_CONDITION", K::T(true)),
];

/// The primary key reported as a unique index (the API has no other indexes).
pub fn statistics(session: &Session, catalog: Option<&str>, schema: Option<&str>, table: Option<&str>) -> Result {
    const SQL_INDEX_OTHER: i16 = 3;
    let mut rows = Vec::new();
    if let (Some(a), Some(name)) = (resolve(session, catalog, schema, None), exact(table)) {
        for t in a.tables.iter().filter(|t| t.name.eq_ignore_ascii_case(name)) {
            for (i, c) in key_columns(t).enumerate() {
                rows.push(vec![
                    s(&a.cat),
                    s(&a.schema),
                    s(t.name),
                    V::I16(0),
                    V::Null,
                    s(format!("PK_{}", t.name)),
                    V::I16(SQL_INDEX_OTHER),
                    V::I16(i as i16 + 1),
                    s(c.name),
                    s("A"),
                    V::Null,
                    V::Null,
                    V::Null,
                ]);
            }
        }
    }
    batch(STAT_COLS, &rows)
}

const SPECIAL_COLS: &[(&str, K)] = &[
    ("SCOPE", K::S(true)),
    ("COLUMN_NAME", K::T(false)),
    ("DATA_TYPE", K::S(false)),
    ("TYPE_NAME", K::T(false)),
    ("COLUMN_SIZE", K::I(true)),
    ("BUFFER_LENGTH", K::I(true)),
    ("DECIMAL_DIGITS", K::S(true)),
    ("PSEUDO_COLUMN", K::S(true)),
];

/// SQL_BEST_ROWID is the primary key; there is no row-version column (SQL_ROWVER).
pub fn special_columns(
    session: &Session,
    identifier_type: u16,
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
) -> Result {
    const SQL_BEST_ROWID: u16 = 1;
    const SQL_SCOPE_SESSION: i16 = 2;
    const SQL_PC_NOT_PSEUDO: i16 = 1;
    let mut rows = Vec::new();
    if let (true, Some(a), Some(name)) = (
        identifier_type == SQL_BEST_ROWID,
        resolve(session, catalog, schema, None),
        exact(table),
    ) {
        for t in a.tables.iter().filter(|t| t.name.eq_ignore_ascii_case(name)) {
            for c in key_columns(t) {
                let ti = types::of_col_type(c.ty, c.len);
                rows.push(vec![
                    V::I16(SQL_SCOPE_SESSION),
                    s(c.name),
                    V::I16(ti.sql_type),
                    s(ti.name),
                    V::I32(ti.size as i32),
                    V::I32(ti.octet_len as i32),
                    V::I16(ti.decimal_digits),
                    V::I16(SQL_PC_NOT_PSEUDO),
                ]);
            }
        }
    }
    batch(SPECIAL_COLS, &rows)
}
