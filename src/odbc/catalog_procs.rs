//! SQLProcedures and SQLProcedureColumns from the procedure list. Procedures live in the
//! Information schema of every catalog.

use super::catalog_fns::{batch, matches, resolve, s, type_columns, K, V};
use super::conn::Session;
use super::types;
use crate::sql::catalog::INFORMATION;
use crate::tables::procedures::{ProcColumn, ProcDef, PROCEDURES};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;

type Result = (SchemaRef, Vec<RecordBatch>);

const SQL_PT_PROCEDURE: i16 = 1;
pub const SQL_PARAM_INPUT: i16 = 1;
pub const SQL_RESULT_COL: i16 = 3;

const PROC_COLS: &[(&str, K)] = &[
    ("PROCEDURE_CAT", K::T(true)),
    ("PROCEDURE_SCHEM", K::T(true)),
    ("PROCEDURE_NAME", K::T(false)),
    ("NUM_INPUT_PARAMS", K::I(true)),
    ("NUM_OUTPUT_PARAMS", K::I(true)),
    ("NUM_RESULT_SETS", K::I(true)),
    ("REMARKS", K::T(true)),
    ("PROCEDURE_TYPE", K::S(true)),
];

/// The procedures a catalog/schema/name search reaches, with the catalog they are in.
fn reached(session: &Session, catalog: Option<&str>, schema: Option<&str>, name: Option<&str>) -> Vec<(String, &'static ProcDef)> {
    let Some(a) = resolve(session, catalog, schema, None).filter(|a| a.schema == INFORMATION) else {
        return Vec::new();
    };
    PROCEDURES
        .iter()
        .filter(|p| matches(name, p.name))
        .map(|p| (a.cat.clone(), p))
        .collect()
}

pub fn procedures(session: &Session, catalog: Option<&str>, schema: Option<&str>, name: Option<&str>) -> Result {
    let rows: Vec<Vec<V>> = reached(session, catalog, schema, name)
        .into_iter()
        .map(|(cat, p)| {
            vec![
                s(cat),
                s(INFORMATION),
                s(p.name),
                V::I32(p.inputs.len() as i32),
                V::I32(0),
                V::I32(1),
                s(p.desc),
                V::I16(SQL_PT_PROCEDURE),
            ]
        })
        .collect();
    batch(PROC_COLS, &rows)
}

const PROC_COLUMN_COLS: &[(&str, K)] = &[
    ("PROCEDURE_CAT", K::T(true)),
    ("PROCEDURE_SCHEM", K::T(true)),
    ("PROCEDURE_NAME", K::T(false)),
    ("COLUMN_NAME", K::T(false)),
    ("COLUMN_TYPE", K::S(false)),
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

/// Inputs (SQL_PARAM_INPUT, ordinals from 1) then result columns (SQL_RESULT_COL, from 1).
pub fn parameters(p: &ProcDef) -> impl Iterator<Item = (i16, usize, &ProcColumn)> {
    let ins = p.inputs.iter().enumerate().map(|(i, c)| (SQL_PARAM_INPUT, i + 1, c));
    let outs = p.outputs.iter().enumerate().map(|(i, c)| (SQL_RESULT_COL, i + 1, c));
    ins.chain(outs)
}

pub fn procedure_columns(
    session: &Session,
    catalog: Option<&str>,
    schema: Option<&str>,
    name: Option<&str>,
    column: Option<&str>,
) -> Result {
    let mut rows = Vec::new();
    for (cat, p) in reached(session, catalog, schema, name) {
        for (kind, ordinal, c) in parameters(p).filter(|(_, _, c)| matches(column, c.name)) {
            let ti = types::of_col_type(c.ty, 255);
            let (head, tail) = type_columns(&ti);
            let nullable = !(kind == SQL_PARAM_INPUT && c.required);
            let mut row = vec![s(&cat), s(INFORMATION), s(p.name), s(c.name), V::I16(kind)];
            row.extend(head);
            row.extend([V::I16(i16::from(nullable)), s(c.desc), V::Null]);
            row.extend(tail);
            row.extend([V::I32(ordinal as i32), s(if nullable { "YES" } else { "NO" })]);
            rows.push(row);
        }
    }
    batch(PROC_COLUMN_COLS, &rows)
}
