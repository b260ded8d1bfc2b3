//! Statement functions: prepare, execute, describe, bind, fetch, SQLGetData, attributes.
#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::boundary::{call, Outcome};
use super::buffers::{read_narrow, read_wide, CBuf, InPtr, OutPtr, WChar};
use super::handles::{Entry, Kind, Object};
use super::out::{char_buf, set_i16, set_i32, text, Unit};
use crate::odbc::diag::Diags;
use crate::odbc::stmt::{self as st, AttrValue, FetchOutcome, Stmt, StmtAttrIn};
use crate::odbc::text_out::Enc;
use crate::odbc::OdbcError;
use std::ffi::c_void;
use std::sync::Arc;

type H = *mut c_void;

#[no_mangle]
pub unsafe extern "C" fn SQLExecDirect(h: H, sql: *const u8, len: i32) -> i16 {
    exec_direct(h as usize, read_narrow(sql, len as isize))
}
#[no_mangle]
pub unsafe extern "C" fn SQLExecDirectW(h: H, sql: *const WChar, len: i32) -> i16 {
    exec_direct(h as usize, read_wide(sql, len as isize))
}
#[no_mangle]
pub unsafe extern "C" fn SQLPrepare(h: H, sql: *const u8, len: i32) -> i16 {
    prepare(h as usize, read_narrow(sql, len as isize))
}
#[no_mangle]
pub unsafe extern "C" fn SQLPrepareW(h: H, sql: *const WChar, len: i32) -> i16 {
    prepare(h as usize, read_wide(sql, len as isize))
}
#[no_mangle]
pub extern "C" fn SQLExecute(h: H) -> i16 {
    with_stmt(h as usize, |s, d| s.execute(d).map(|_| executed(s)))
}

/// ODBC 3: a write that changed no row returns SQL_NO_DATA (SQLRowCount still says 0).
fn executed(s: &crate::odbc::stmt::Stmt) -> Outcome {
    if s.wrote_nothing() {
        Outcome::NoData
    } else {
        Outcome::Ok
    }
}
#[no_mangle]
pub unsafe extern "C" fn SQLNumResultCols(h: H, out: *mut i16) -> i16 {
    let out = OutPtr::new(out);
    with_stmt(h as usize, |s, _| {
        nonnull(!out.is_null(), "ColumnCountPtr")?;
        set_i16(out, s.num_result_cols());
        Ok(Outcome::Ok)
    })
}
#[no_mangle]
pub unsafe extern "C" fn SQLDescribeCol(
    h: H,
    col: u16,
    name: *mut u8,
    buflen: i16,
    namelen: *mut i16,
    ty: *mut i16,
    size: *mut usize,
    digits: *mut i16,
    nullable: *mut i16,
) -> i16 {
    describe_col(
        h as usize,
        col,
        Enc::Narrow,
        CBuf::new(name.cast(), buflen.into()),
        [OutPtr::new(namelen), OutPtr::new(ty), OutPtr::new(digits), OutPtr::new(nullable)],
        OutPtr::new(size),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLDescribeColW(
    h: H,
    col: u16,
    name: *mut WChar,
    buflen: i16,
    namelen: *mut i16,
    ty: *mut i16,
    size: *mut usize,
    digits: *mut i16,
    nullable: *mut i16,
) -> i16 {
    describe_col(
        h as usize,
        col,
        Enc::Wide,
        CBuf::new(name.cast(), char_buf(Enc::Wide, buflen.into())),
        [OutPtr::new(namelen), OutPtr::new(ty), OutPtr::new(digits), OutPtr::new(nullable)],
        OutPtr::new(size),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLColAttribute(h: H, col: u16, field: u16, cbuf: H, buflen: i16, strlen: *mut i16, num: *mut isize) -> i16 {
    col_attribute(
        h as usize,
        col,
        field,
        Enc::Narrow,
        CBuf::new(cbuf, buflen.into()),
        OutPtr::new(strlen),
        OutPtr::new(num),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLColAttributeW(h: H, col: u16, field: u16, cbuf: H, buflen: i16, strlen: *mut i16, num: *mut isize) -> i16 {
    col_attribute(
        h as usize,
        col,
        field,
        Enc::Wide,
        CBuf::new(cbuf, buflen.into()),
        OutPtr::new(strlen),
        OutPtr::new(num),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLBindCol(h: H, col: u16, c_type: i16, buf: H, buflen: isize, ind: *mut isize) -> i16 {
    let (buf, ind) = (CBuf::new(buf, buflen), OutPtr::new(ind));
    with_stmt(h as usize, |s, _| {
        if buflen < 0 {
            return Err(OdbcError::BufferLength(buflen));
        }
        s.bind_col(col, c_type, buf, ind).map(|_| Outcome::Ok)
    })
}
#[no_mangle]
pub unsafe extern "C" fn SQLBindParameter(
    h: H,
    num: u16,
    io_type: i16,
    c_type: i16,
    sql_type: i16,
    _col_size: usize,
    _digits: i16,
    value: H,
    _buflen: isize,
    ind: *mut isize,
) -> i16 {
    let binding = crate::odbc::params::ParamBinding {
        c_type,
        sql_type,
        buf: super::buffers::InBuf::new(value),
        ind: InPtr::new(ind),
    };
    with_stmt(h as usize, |s, _| {
        crate::odbc::params::check(io_type, c_type)?;
        s.bind_param(num, binding).map(|_| Outcome::Ok)
    })
}
#[no_mangle]
pub unsafe extern "C" fn SQLNumParams(h: H, count: *mut i16) -> i16 {
    let count = OutPtr::new(count);
    with_stmt(h as usize, |s, _| {
        count.set(i16::try_from(s.num_params()?).unwrap_or(i16::MAX));
        Ok(Outcome::Ok)
    })
}
#[no_mangle]
pub unsafe extern "C" fn SQLDescribeParam(h: H, num: u16, ty: *mut i16, size: *mut usize, digits: *mut i16, nullable: *mut i16) -> i16 {
    let (ty, size, digits, nullable) = (OutPtr::new(ty), OutPtr::new(size), OutPtr::new(digits), OutPtr::new(nullable));
    with_stmt(h as usize, |s, _| {
        let t = s.describe_param(num)?;
        ty.set(t.sql_type);
        size.set(t.size as usize);
        digits.set(t.decimal_digits);
        // SQL_NULLABLE: any parameter may be bound to NULL.
        nullable.set(1);
        Ok(Outcome::Ok)
    })
}
#[no_mangle]
pub extern "C" fn SQLFetch(h: H) -> i16 {
    with_stmt(h as usize, fetch)
}
#[no_mangle]
pub extern "C" fn SQLFetchScroll(h: H, orientation: i16, _offset: isize) -> i16 {
    with_stmt(h as usize, |s, d| match orientation {
        1 => fetch(s, d),
        _ => Err(OdbcError::FetchType(format!(
            "fetch orientation {orientation}: cursors are forward-only, only SQL_FETCH_NEXT (1) is available"
        ))),
    })
}
/// ODBC 2's block fetch: SQL_ROWSET_SIZE rows, the count in `pcrow`, statuses in `status`.
#[no_mangle]
pub unsafe extern "C" fn SQLExtendedFetch(h: H, orientation: u16, _offset: isize, pcrow: *mut usize, status: *mut u16) -> i16 {
    let (rows, status) = (OutPtr::new(pcrow), OutPtr::new(status));
    with_stmt(h as usize, |s, d| {
        Ok(match s.extended_fetch(orientation, rows, status, d)? {
            FetchOutcome::Rows => Outcome::Ok,
            FetchOutcome::NoData => Outcome::NoData,
        })
    })
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetData(h: H, col: u16, c_type: i16, buf: H, buflen: isize, ind: *mut isize) -> i16 {
    let (buf, ind) = (CBuf::new(buf, buflen), OutPtr::new(ind));
    with_stmt(h as usize, |s, d| {
        if buflen < 0 {
            return Err(OdbcError::BufferLength(buflen));
        }
        Ok(match s.get_data(col, c_type, buf, ind, d)? {
            FetchOutcome::Rows => Outcome::Ok,
            FetchOutcome::NoData => Outcome::NoData,
        })
    })
}
#[no_mangle]
pub unsafe extern "C" fn SQLRowCount(h: H, out: *mut isize) -> i16 {
    let out = OutPtr::new(out);
    with_stmt(h as usize, |s, _| {
        nonnull(!out.is_null(), "RowCountPtr")?;
        out.set(s.row_count());
        Ok(Outcome::Ok)
    })
}
#[no_mangle]
pub extern "C" fn SQLMoreResults(h: H) -> i16 {
    with_stmt(h as usize, |s, _| {
        s.close_cursor(false)?;
        Ok(Outcome::NoData)
    })
}
#[no_mangle]
pub extern "C" fn SQLCloseCursor(h: H) -> i16 {
    with_stmt(h as usize, |s, _| s.close_cursor(true).map(|_| Outcome::Ok))
}
#[no_mangle]
pub extern "C" fn SQLFreeStmt(h: H, option: u16) -> i16 {
    free_stmt(h as usize, option)
}
#[no_mangle]
pub extern "C" fn SQLCancel(h: H) -> i16 {
    cancel(h as usize)
}
#[no_mangle]
pub unsafe extern "C" fn SQLSetStmtAttr(h: H, attr: i32, v: H, _len: i32) -> i16 {
    set_stmt_attr(h as usize, attr, attr_in(attr, v))
}
#[no_mangle]
pub unsafe extern "C" fn SQLSetStmtAttrW(h: H, attr: i32, v: H, _len: i32) -> i16 {
    set_stmt_attr(h as usize, attr, attr_in(attr, v))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetStmtAttr(h: H, attr: i32, v: H, _buflen: i32, strlen: *mut i32) -> i16 {
    get_stmt_attr(h as usize, attr, OutPtr::new(v as *mut isize), OutPtr::new(strlen))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetStmtAttrW(h: H, attr: i32, v: H, _buflen: i32, strlen: *mut i32) -> i16 {
    get_stmt_attr(h as usize, attr, OutPtr::new(v as *mut isize), OutPtr::new(strlen))
}

/// Pointer-valued statement attributes become typed pointers here, where `unsafe` lives.
unsafe fn attr_in(attr: i32, v: H) -> StmtAttrIn {
    match attr {
        st::SQL_ATTR_ROWS_FETCHED_PTR => StmtAttrIn::RowsFetched(OutPtr::new(v as *mut usize)),
        st::SQL_ATTR_ROW_STATUS_PTR => StmtAttrIn::RowStatus(OutPtr::new(v as *mut u16)),
        st::SQL_ATTR_ROW_BIND_OFFSET_PTR => StmtAttrIn::BindOffset(InPtr::new(v as *const isize)),
        _ => StmtAttrIn::Int(v as isize),
    }
}

fn nonnull(ok: bool, what: &'static str) -> Result<(), OdbcError> {
    if ok {
        Ok(())
    } else {
        Err(OdbcError::NullPointer(what))
    }
}

pub fn with_stmt(h: usize, f: impl FnOnce(&mut Stmt, &mut Diags) -> Result<Outcome, OdbcError>) -> i16 {
    with_stmt_entry(h, |_, s, d| f(s, d))
}

pub fn with_stmt_entry(h: usize, f: impl FnOnce(&Arc<Entry>, &mut Stmt, &mut Diags) -> Result<Outcome, OdbcError>) -> i16 {
    call(h, Kind::Stmt, |e, o, d| match o {
        Object::Stmt(s) => {
            e.cancel.reset();
            s.cancel = e.cancel.clone();
            f(e, s, d)
        }
        _ => Err(OdbcError::General("statement is not initialised".into())),
    })
}

fn exec_direct(h: usize, sql: Option<String>) -> i16 {
    with_stmt(h, |s, d| {
        let sql = sql.ok_or(OdbcError::NullPointer("StatementText"))?;
        s.close_cursor(false)?;
        s.prepare(&sql)?;
        s.execute(d)?;
        Ok(executed(s))
    })
}

fn prepare(h: usize, sql: Option<String>) -> i16 {
    with_stmt(h, |s, _| {
        let sql = sql.ok_or(OdbcError::NullPointer("StatementText"))?;
        s.prepare(&sql).map(|_| Outcome::Ok)
    })
}

fn fetch(s: &mut Stmt, d: &mut Diags) -> Result<Outcome, OdbcError> {
    Ok(match s.fetch(d)? {
        FetchOutcome::Rows => Outcome::Ok,
        FetchOutcome::NoData => Outcome::NoData,
    })
}

fn describe_col(h: usize, col: u16, enc: Enc, name: CBuf, outs: [OutPtr<i16>; 4], size: OutPtr<usize>) -> i16 {
    let [namelen, ty, digits, nullable] = outs;
    with_stmt(h, |s, d| {
        let c = s.describe_col(col)?;
        let (n, t) = text(enc, &c.name, name, Unit::Chars);
        set_i16(namelen, n);
        if t && !name.is_null() {
            d.warn("01004", "the column name was truncated to fit the buffer");
        }
        ty.set(c.info.sql_type);
        size.set(c.info.size as usize);
        digits.set(c.info.decimal_digits);
        nullable.set(i16::from(c.nullable));
        Ok(Outcome::Ok)
    })
}

fn col_attribute(h: usize, col: u16, field: u16, enc: Enc, buf: CBuf, strlen: OutPtr<i16>, num: OutPtr<isize>) -> i16 {
    with_stmt(h, |s, d| {
        match s.col_attribute(col, field)? {
            AttrValue::Int(v) => num.set(v),
            AttrValue::Text(t) => {
                let (n, tr) = text(enc, &t, buf, Unit::Bytes);
                set_i16(strlen, n);
                if tr && !buf.is_null() {
                    d.warn("01004", "the attribute value was truncated to fit the buffer");
                }
            }
        }
        Ok(Outcome::Ok)
    })
}

fn free_stmt(h: usize, option: u16) -> i16 {
    const SQL_CLOSE: u16 = 0;
    const SQL_DROP: u16 = 1;
    const SQL_UNBIND: u16 = 2;
    const SQL_RESET_PARAMS: u16 = 3;
    if option == SQL_DROP {
        return super::exports_handles::SQLFreeHandle(3, h as H);
    }
    with_stmt(h, |s, _| {
        match option {
            SQL_CLOSE => s.close_cursor(false)?,
            SQL_UNBIND => s.unbind(),
            SQL_RESET_PARAMS => s.reset_params(),
            other => {
                return Err(OdbcError::BadAttributeValue {
                    attr: 0,
                    value: other as isize,
                })
            }
        }
        Ok(Outcome::Ok)
    })
}

fn cancel(h: usize) -> i16 {
    // No lock on the statement: SQLCancel comes from another thread while it works.
    match super::handles::get(h, Kind::Stmt) {
        Some(e) => {
            e.cancel.cancel();
            super::boundary::SQL_SUCCESS
        }
        None => super::boundary::SQL_INVALID_HANDLE,
    }
}

fn set_stmt_attr(h: usize, attr: i32, v: StmtAttrIn) -> i16 {
    with_stmt(h, |s, d| s.set_attr(attr, v, d).map(|_| Outcome::Ok))
}

fn get_stmt_attr(h: usize, attr: i32, out: OutPtr<isize>, strlen: OutPtr<i32>) -> i16 {
    with_stmt(h, |s, _| {
        let v = s.get_attr(attr)?;
        // Descriptor handles and SQLULEN values are pointer-sized; smaller ones still fit.
        out.set(v);
        set_i32(strlen, std::mem::size_of::<isize>());
        Ok(Outcome::Ok)
    })
}
