//! Catalog functions: SQLTables, SQLColumns, SQLGetTypeInfo.
#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::boundary::Outcome;
use super::buffers::{read_narrow, read_wide, WChar};
use super::exports_stmt::with_stmt;
use crate::odbc::catalog_fns;
use crate::odbc::conn::Session;
use crate::odbc::OdbcError;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use std::ffi::c_void;

type H = *mut c_void;

#[no_mangle]
pub unsafe extern "C" fn SQLTables(
    h: H,
    c: *const u8,
    cl: i16,
    s: *const u8,
    sl: i16,
    t: *const u8,
    tl: i16,
    ty: *const u8,
    tyl: i16,
) -> i16 {
    tables(
        h as usize,
        [
            read_narrow(c, cl.into()),
            read_narrow(s, sl.into()),
            read_narrow(t, tl.into()),
            read_narrow(ty, tyl.into()),
        ],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLTablesW(
    h: H,
    c: *const WChar,
    cl: i16,
    s: *const WChar,
    sl: i16,
    t: *const WChar,
    tl: i16,
    ty: *const WChar,
    tyl: i16,
) -> i16 {
    tables(
        h as usize,
        [
            read_wide(c, cl.into()),
            read_wide(s, sl.into()),
            read_wide(t, tl.into()),
            read_wide(ty, tyl.into()),
        ],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLColumns(
    h: H,
    c: *const u8,
    cl: i16,
    s: *const u8,
    sl: i16,
    t: *const u8,
    tl: i16,
    col: *const u8,
    coll: i16,
) -> i16 {
    columns(
        h as usize,
        [
            read_narrow(c, cl.into()),
            read_narrow(s, sl.into()),
            read_narrow(t, tl.into()),
            read_narrow(col, coll.into()),
        ],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLColumnsW(
    h: H,
    c: *const WChar,
    cl: i16,
    s: *const WChar,
    sl: i16,
    t: *const WChar,
    tl: i16,
    col: *const WChar,
    coll: i16,
) -> i16 {
    columns(
        h as usize,
        [
            read_wide(c, cl.into()),
            read_wide(s, sl.into()),
            read_wide(t, tl.into()),
            read_wide(col, coll.into()),
        ],
    )
}
#[no_mangle]
pub extern "C" fn SQLGetTypeInfo(h: H, data_type: i16) -> i16 {
    type_info(h as usize, data_type)
}
#[no_mangle]
pub extern "C" fn SQLGetTypeInfoW(h: H, data_type: i16) -> i16 {
    type_info(h as usize, data_type)
}

/// Replaces any open result with one the driver computed.
fn open_result(h: usize, f: impl FnOnce(&Session) -> Result<(SchemaRef, Vec<RecordBatch>), OdbcError>) -> i16 {
    with_stmt(h, |s, _| {
        s.close_cursor(false)?;
        let (schema, batches) = f(&s.session)?;
        s.set_result(schema, batches);
        Ok(Outcome::Ok)
    })
}

fn tables(h: usize, a: [Option<String>; 4]) -> i16 {
    open_result(h, |s| {
        catalog_fns::tables(s, a[0].as_deref(), a[1].as_deref(), a[2].as_deref(), a[3].as_deref())
    })
}

fn columns(h: usize, a: [Option<String>; 4]) -> i16 {
    open_result(h, |s| {
        Ok(catalog_fns::columns(
            s,
            a[0].as_deref(),
            a[1].as_deref(),
            a[2].as_deref(),
            a[3].as_deref(),
        ))
    })
}

fn type_info(h: usize, data_type: i16) -> i16 {
    // ODBC 2 type codes as an ODBC 3 driver receives them.
    let t = match data_type {
        9 => 91,
        10 => 92,
        11 => 93,
        t => t,
    };
    open_result(h, |_| Ok(catalog_fns::type_info(t)))
}
