//! Descriptor functions on the statement's implicit ARD/APD/IRD/IPD: SQLGetDescField,
//! SQLSetDescField, SQLGetDescRec, SQLSetDescRec, SQLCopyDesc.
#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::boundary::{call, Outcome};
use super::buffers::{read_narrow, read_wide, AppPtr, CBuf, OutPtr, WChar};
use super::handles::{self, Kind, Object};
use super::out::{char_buf, set_i16, set_i32, text, Unit};
use crate::odbc::desc::{DescIn, DescVal};
use crate::odbc::desc_fields::{self as df, Access, DescKind, FieldType, KINDS};
use crate::odbc::diag::Diags;
use crate::odbc::stmt::Stmt;
use crate::odbc::text_out::Enc;
use crate::odbc::OdbcError;
use std::ffi::c_void;

type H = *mut c_void;

#[no_mangle]
pub unsafe extern "C" fn SQLGetDescField(h: H, rec: i16, field: i16, value: H, buflen: i32, strlen: *mut i32) -> i16 {
    get_field(h as usize, rec, field, Enc::Narrow, value, buflen, OutPtr::new(strlen))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetDescFieldW(h: H, rec: i16, field: i16, value: H, buflen: i32, strlen: *mut i32) -> i16 {
    get_field(h as usize, rec, field, Enc::Wide, value, buflen, OutPtr::new(strlen))
}
#[no_mangle]
pub unsafe extern "C" fn SQLSetDescField(h: H, rec: i16, field: i16, value: H, buflen: i32) -> i16 {
    let v = value_in(field, value, buflen, Enc::Narrow);
    with_desc(h as usize, |s, kind, _| s.set_desc_field(kind, rec, field, v?).map(|_| Outcome::Ok))
}
#[no_mangle]
pub unsafe extern "C" fn SQLSetDescFieldW(h: H, rec: i16, field: i16, value: H, buflen: i32) -> i16 {
    let v = value_in(field, value, buflen, Enc::Wide);
    with_desc(h as usize, |s, kind, _| s.set_desc_field(kind, rec, field, v?).map(|_| Outcome::Ok))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetDescRec(
    h: H,
    rec: i16,
    name: *mut u8,
    buflen: i16,
    namelen: *mut i16,
    ty: *mut i16,
    sub: *mut i16,
    length: *mut isize,
    precision: *mut i16,
    scale: *mut i16,
    nullable: *mut i16,
) -> i16 {
    let outs = [namelen, ty, sub, precision, scale, nullable].map(|p| OutPtr::new(p));
    get_rec(
        h as usize,
        rec,
        Enc::Narrow,
        CBuf::new(name.cast(), buflen.into()),
        outs,
        OutPtr::new(length),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetDescRecW(
    h: H,
    rec: i16,
    name: *mut WChar,
    buflen: i16,
    namelen: *mut i16,
    ty: *mut i16,
    sub: *mut i16,
    length: *mut isize,
    precision: *mut i16,
    scale: *mut i16,
    nullable: *mut i16,
) -> i16 {
    let outs = [namelen, ty, sub, precision, scale, nullable].map(|p| OutPtr::new(p));
    let name = CBuf::new(name.cast(), char_buf(Enc::Wide, buflen.into()));
    get_rec(h as usize, rec, Enc::Wide, name, outs, OutPtr::new(length))
}
#[no_mangle]
pub unsafe extern "C" fn SQLSetDescRec(
    h: H,
    rec: i16,
    ty: i16,
    sub: i16,
    length: isize,
    precision: i16,
    scale: i16,
    data: H,
    strlen: *mut isize,
    ind: *mut isize,
) -> i16 {
    let ptrs = [
        (df::OCTET_LENGTH_PTR, strlen.cast()),
        (df::INDICATOR_PTR, ind.cast()),
        (df::DATA_PTR, data),
    ]
    .map(|(f, p)| (f, AppPtr::new(p)));
    with_desc(h as usize, |s, kind, _| {
        if kind == DescKind::Ird {
            return Err(OdbcError::DescReadOnly);
        }
        s.set_desc_field(kind, rec, df::TYPE, DescIn::Int(ty.into()))?;
        if ty == 9 {
            s.set_desc_field(kind, rec, df::DATETIME_INTERVAL_CODE, DescIn::Int(sub.into()))?;
        }
        s.set_desc_field(kind, rec, df::OCTET_LENGTH, DescIn::Int(length))?;
        s.set_desc_field(kind, rec, df::PRECISION, DescIn::Int(precision.into()))?;
        s.set_desc_field(kind, rec, df::SCALE, DescIn::Int(scale.into()))?;
        // The deferred fields last: setting any other field unbinds the record.
        for (f, p) in ptrs {
            if access(f, kind) == Access::ReadWrite {
                s.set_desc_field(kind, rec, f, DescIn::Ptr(p))?;
            }
        }
        Ok(Outcome::Ok)
    })
}
#[no_mangle]
pub extern "C" fn SQLCopyDesc(src: H, dst: H) -> i16 {
    copy_desc(src as usize, dst as usize)
}

fn access(field: i16, kind: DescKind) -> Access {
    df::field(field).map_or(Access::Unused, |f| f.access[kind as usize])
}

/// Decodes SQLSetDescField's ValuePtr by the field's type: an integer by value, a pointer, or text.
unsafe fn value_in(field: i16, value: H, buflen: i32, enc: Enc) -> Result<DescIn, OdbcError> {
    Ok(match df::field(field).map(|f| f.ty) {
        Some(FieldType::Ptr) => DescIn::Ptr(AppPtr::new(value)),
        Some(FieldType::Text) => {
            let len = if buflen < 0 { -3 } else { buflen as isize / enc.unit() as isize };
            let t = match enc {
                Enc::Narrow => read_narrow(value as *const u8, len),
                Enc::Wide => read_wide(value as *const WChar, len),
            };
            DescIn::Text(t.ok_or(OdbcError::NullPointer("ValuePtr"))?)
        }
        _ => DescIn::Int(value as isize),
    })
}

/// Runs `f` on the statement that owns descriptor `h`, with the descriptor's type. The
/// statement is found through the registry's parent link, so no descriptor lock is nested.
fn with_desc(h: usize, f: impl FnOnce(&mut Stmt, DescKind, &mut Diags) -> Result<Outcome, OdbcError>) -> i16 {
    call(h, Kind::Desc, |e, _, d| on_stmt(e.parent, h, |s, k| f(s, k, d)))
}

fn on_stmt<R>(stmt: usize, desc: usize, f: impl FnOnce(&mut Stmt, DescKind) -> Result<R, OdbcError>) -> Result<R, OdbcError> {
    let entry = handles::get(stmt, Kind::Stmt).ok_or(OdbcError::General("the descriptor's statement was freed".into()))?;
    let mut obj = entry.obj.lock();
    let Object::Stmt(s) = &mut *obj else {
        return Err(OdbcError::General("statement is not initialised".into()));
    };
    let i = s
        .descs
        .iter()
        .position(|d| *d == desc)
        .ok_or(OdbcError::General("not an implicit descriptor".into()))?;
    f(s, KINDS[i])
}

fn get_field(h: usize, rec: i16, field: i16, enc: Enc, value: H, buflen: i32, strlen: OutPtr<i32>) -> i16 {
    with_desc(h, |s, kind, d| {
        let Some(v) = s.get_desc_field(kind, rec, field)? else {
            return Ok(Outcome::NoData);
        };
        let ty = df::field(field).map_or(FieldType::Len, |f| f.ty);
        // SAFETY of the writes: ValuePtr points to the type the field's definition states.
        match v {
            DescVal::Text(t) => {
                let buf = unsafe { CBuf::new(value, buflen as isize) };
                let (n, tr) = text(enc, &t, buf, Unit::Bytes);
                set_i32(strlen, n);
                if tr && !buf.is_null() {
                    d.warn("01004", "the descriptor field's text was truncated to fit the buffer");
                }
            }
            DescVal::Int(i) => {
                let size = match ty {
                    FieldType::SmallInt => {
                        unsafe { OutPtr::new(value as *mut i16) }.set(i as i16);
                        2
                    }
                    FieldType::Integer => {
                        unsafe { OutPtr::new(value as *mut i32) }.set(i as i32);
                        4
                    }
                    _ => {
                        unsafe { OutPtr::new(value as *mut isize) }.set(i);
                        std::mem::size_of::<isize>()
                    }
                };
                set_i32(strlen, size);
            }
        }
        Ok(Outcome::Ok)
    })
}

fn get_rec(h: usize, rec: i16, enc: Enc, name: CBuf, outs: [OutPtr<i16>; 6], length: OutPtr<isize>) -> i16 {
    let [namelen, ty, sub, precision, scale, nullable] = outs;
    with_desc(h, |s, kind, d| {
        let int = |f: i16| -> Result<Option<isize>, OdbcError> {
            Ok(s.get_desc_field(kind, rec, f)?.map(|v| match v {
                DescVal::Int(i) => i,
                DescVal::Text(_) => 0,
            }))
        };
        let Some(t) = int(df::TYPE)? else {
            return Ok(Outcome::NoData);
        };
        let n = match s.get_desc_field(kind, rec, df::NAME)? {
            Some(DescVal::Text(n)) => n,
            _ => String::new(),
        };
        let (len, tr) = text(enc, &n, name, Unit::Chars);
        set_i16(namelen, len);
        if tr && !name.is_null() {
            d.warn("01004", "the descriptor record's name was truncated to fit the buffer");
        }
        ty.set(t as i16);
        sub.set(int(df::DATETIME_INTERVAL_CODE)?.unwrap_or(0) as i16);
        length.set(int(df::OCTET_LENGTH)?.unwrap_or(0));
        precision.set(int(df::PRECISION)?.unwrap_or(0) as i16);
        scale.set(int(df::SCALE)?.unwrap_or(0) as i16);
        nullable.set(int(df::NULLABLE)?.unwrap_or(0) as i16);
        Ok(Outcome::Ok)
    })
}

/// A descriptor's copyable content: header fields, then each record's fields in set order.
struct Snapshot {
    header: Vec<(i16, DescVal)>,
    count: usize,
    records: Vec<Vec<(i16, DescVal)>>,
}

fn copy_desc(src: usize, dst: usize) -> i16 {
    call(dst, Kind::Desc, |e, _, _| {
        let Some(src_entry) = handles::get(src, Kind::Desc) else {
            return Err(OdbcError::General("SourceDescHandle is not a valid descriptor handle".into()));
        };
        if src == dst {
            return Ok(Outcome::Ok);
        }
        let snap = on_stmt(src_entry.parent, src, |s, kind| {
            let mut header = Vec::new();
            for f in df::FIELDS
                .iter()
                .filter(|f| f.header && f.id != df::COUNT && f.id != df::ALLOC_TYPE)
            {
                if f.access[kind as usize] != Access::Unused {
                    if let Some(v) = s.get_desc_field(kind, 0, f.id)? {
                        header.push((f.id, v));
                    }
                }
            }
            let count = s.desc_count(kind);
            let records = (1..=count).map(|r| s.desc_record(kind, r as i16)).collect::<Result<_, _>>()?;
            Ok(Snapshot { header, count, records })
        })?;
        on_stmt(e.parent, dst, |s, kind| {
            if kind == DescKind::Ird {
                return Err(OdbcError::DescReadOnly);
            }
            let set = |s: &mut Stmt, rec: i16, f: i16, v: DescVal| -> Result<(), OdbcError> {
                if access(f, kind) != Access::ReadWrite {
                    return Ok(());
                }
                let v = match (v, df::field(f).map(|d| d.ty)) {
                    // SAFETY: the address was set into the same field by the application.
                    (DescVal::Int(a), Some(FieldType::Ptr)) => DescIn::Ptr(unsafe { AppPtr::new(a as H) }),
                    (DescVal::Int(i), _) => DescIn::Int(i),
                    (DescVal::Text(_), _) => return Ok(()),
                };
                s.set_desc_field(kind, rec, f, v)
            };
            for (f, v) in snap.header {
                set(s, 0, f, v)?;
            }
            s.set_desc_field(kind, 0, df::COUNT, DescIn::Int(snap.count as isize))?;
            for (i, rec) in snap.records.into_iter().enumerate() {
                for (f, v) in rec {
                    set(s, i as i16 + 1, f, v)?;
                }
            }
            Ok(Outcome::Ok)
        })
    })
}
