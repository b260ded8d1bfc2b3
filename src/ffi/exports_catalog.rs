//! Catalog functions: SQLTables, SQLColumns, SQLGetTypeInfo.
#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::boundary::Outcome;
use super::buffers::{read_narrow, read_wide, WChar};
use super::exports_stmt::with_stmt;
use crate::odbc::conn::Session;
use crate::odbc::OdbcError;
use crate::odbc::{catalog_fns, catalog_keys, catalog_procs};
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

#[no_mangle]
pub unsafe extern "C" fn SQLProcedures(h: H, c: *const u8, cl: i16, s: *const u8, sl: i16, p: *const u8, pl: i16) -> i16 {
    procedures(
        h as usize,
        [read_narrow(c, cl.into()), read_narrow(s, sl.into()), read_narrow(p, pl.into())],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLProceduresW(h: H, c: *const WChar, cl: i16, s: *const WChar, sl: i16, p: *const WChar, pl: i16) -> i16 {
    procedures(
        h as usize,
        [read_wide(c, cl.into()), read_wide(s, sl.into()), read_wide(p, pl.into())],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLProcedureColumns(
    h: H,
    c: *const u8,
    cl: i16,
    s: *const u8,
    sl: i16,
    p: *const u8,
    pl: i16,
    col: *const u8,
    coll: i16,
) -> i16 {
    procedure_columns(
        h as usize,
        [
            read_narrow(c, cl.into()),
            read_narrow(s, sl.into()),
            read_narrow(p, pl.into()),
            read_narrow(col, coll.into()),
        ],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLProcedureColumnsW(
    h: H,
    c: *const WChar,
    cl: i16,
    s: *const WChar,
    sl: i16,
    p: *const WChar,
    pl: i16,
    col: *const WChar,
    coll: i16,
) -> i16 {
    procedure_columns(
        h as usize,
        [
            read_wide(c, cl.into()),
            read_wide(s, sl.into()),
            read_wide(p, pl.into()),
            read_wide(col, coll.into()),
        ],
    )
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

#[no_mangle]
pub unsafe extern "C" fn SQLPrimaryKeys(h: H, c: *const u8, cl: i16, s: *const u8, sl: i16, t: *const u8, tl: i16) -> i16 {
    primary_keys(
        h as usize,
        [read_narrow(c, cl.into()), read_narrow(s, sl.into()), read_narrow(t, tl.into())],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLPrimaryKeysW(h: H, c: *const WChar, cl: i16, s: *const WChar, sl: i16, t: *const WChar, tl: i16) -> i16 {
    primary_keys(
        h as usize,
        [read_wide(c, cl.into()), read_wide(s, sl.into()), read_wide(t, tl.into())],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLForeignKeys(
    h: H,
    pc: *const u8,
    pcl: i16,
    ps: *const u8,
    psl: i16,
    pt: *const u8,
    ptl: i16,
    fc: *const u8,
    fcl: i16,
    fs: *const u8,
    fsl: i16,
    ft: *const u8,
    ftl: i16,
) -> i16 {
    let pk = [
        read_narrow(pc, pcl.into()),
        read_narrow(ps, psl.into()),
        read_narrow(pt, ptl.into()),
    ];
    foreign_keys(
        h as usize,
        pk,
        [
            read_narrow(fc, fcl.into()),
            read_narrow(fs, fsl.into()),
            read_narrow(ft, ftl.into()),
        ],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLForeignKeysW(
    h: H,
    pc: *const WChar,
    pcl: i16,
    ps: *const WChar,
    psl: i16,
    pt: *const WChar,
    ptl: i16,
    fc: *const WChar,
    fcl: i16,
    fs: *const WChar,
    fsl: i16,
    ft: *const WChar,
    ftl: i16,
) -> i16 {
    let pk = [read_wide(pc, pcl.into()), read_wide(ps, psl.into()), read_wide(pt, ptl.into())];
    foreign_keys(
        h as usize,
        pk,
        [read_wide(fc, fcl.into()), read_wide(fs, fsl.into()), read_wide(ft, ftl.into())],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLStatistics(
    h: H,
    c: *const u8,
    cl: i16,
    s: *const u8,
    sl: i16,
    t: *const u8,
    tl: i16,
    _unique: u16,
    _reserved: u16,
) -> i16 {
    statistics(
        h as usize,
        [read_narrow(c, cl.into()), read_narrow(s, sl.into()), read_narrow(t, tl.into())],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLStatisticsW(
    h: H,
    c: *const WChar,
    cl: i16,
    s: *const WChar,
    sl: i16,
    t: *const WChar,
    tl: i16,
    _unique: u16,
    _reserved: u16,
) -> i16 {
    statistics(
        h as usize,
        [read_wide(c, cl.into()), read_wide(s, sl.into()), read_wide(t, tl.into())],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLSpecialColumns(
    h: H,
    id: u16,
    c: *const u8,
    cl: i16,
    s: *const u8,
    sl: i16,
    t: *const u8,
    tl: i16,
    _scope: u16,
    _nullable: u16,
) -> i16 {
    special_columns(
        h as usize,
        id,
        [read_narrow(c, cl.into()), read_narrow(s, sl.into()), read_narrow(t, tl.into())],
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLSpecialColumnsW(
    h: H,
    id: u16,
    c: *const WChar,
    cl: i16,
    s: *const WChar,
    sl: i16,
    t: *const WChar,
    tl: i16,
    _scope: u16,
    _nullable: u16,
) -> i16 {
    special_columns(
        h as usize,
        id,
        [read_wide(c, cl.into()), read_wide(s, sl.into()), read_wide(t, tl.into())],
    )
}

fn primary_keys(h: usize, a: [Option<String>; 3]) -> i16 {
    open_result(h, |s| {
        Ok(catalog_keys::primary_keys(s, a[0].as_deref(), a[1].as_deref(), a[2].as_deref()))
    })
}

fn foreign_keys(h: usize, pk: [Option<String>; 3], fk: [Option<String>; 3]) -> i16 {
    open_result(h, |s| {
        let p = [pk[0].as_deref(), pk[1].as_deref(), pk[2].as_deref()];
        let f = [fk[0].as_deref(), fk[1].as_deref(), fk[2].as_deref()];
        if p[2].is_none_or(str::is_empty) && f[2].is_none_or(str::is_empty) {
            return Err(OdbcError::NullPointer("PKTableName and FKTableName"));
        }
        Ok(catalog_keys::foreign_keys_of(s, p, f))
    })
}

fn statistics(h: usize, a: [Option<String>; 3]) -> i16 {
    open_result(h, |s| {
        Ok(catalog_keys::statistics(s, a[0].as_deref(), a[1].as_deref(), a[2].as_deref()))
    })
}

fn special_columns(h: usize, id: u16, a: [Option<String>; 3]) -> i16 {
    open_result(h, |s| {
        Ok(catalog_keys::special_columns(
            s,
            id,
            a[0].as_deref(),
            a[1].as_deref(),
            a[2].as_deref(),
        ))
    })
}

fn procedures(h: usize, a: [Option<String>; 3]) -> i16 {
    open_result(h, |s| {
        Ok(catalog_procs::procedures(s, a[0].as_deref(), a[1].as_deref(), a[2].as_deref()))
    })
}

fn procedure_columns(h: usize, a: [Option<String>; 4]) -> i16 {
    open_result(h, |s| {
        Ok(catalog_procs::procedure_columns(
            s,
            a[0].as_deref(),
            a[1].as_deref(),
            a[2].as_deref(),
            a[3].as_deref(),
        ))
    })
}
