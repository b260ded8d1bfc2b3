//! Connecting, connection attributes, SQLGetInfo, SQLGetFunctions, SQLEndTran, SQLNativeSql.
#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::boundary::{call, handle_kind, Outcome, SQL_INVALID_HANDLE};
use super::buffers::{read_narrow, read_wide, CBuf, OutPtr, WChar};
use super::handles::{Kind, Object};
use super::out::{char_buf, set_i16, set_i32, text, Unit};
use crate::config::{parse_connection_string, Config};
use crate::odbc::conn::{AttrOut, Dbc};
use crate::odbc::diag::Diags;
use crate::odbc::functions;
use crate::odbc::info::{self, Info};
use crate::odbc::text_out::Enc;
use crate::odbc::OdbcError;
use std::ffi::c_void;

type H = *mut c_void;

#[no_mangle]
pub unsafe extern "C" fn SQLConnect(dbc: H, dsn: *const u8, dl: i16, uid: *const u8, ul: i16, pwd: *const u8, pl: i16) -> i16 {
    connect(
        dbc as usize,
        read_narrow(dsn, dl.into()),
        read_narrow(uid, ul.into()),
        read_narrow(pwd, pl.into()),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLConnectW(dbc: H, dsn: *const WChar, dl: i16, uid: *const WChar, ul: i16, pwd: *const WChar, pl: i16) -> i16 {
    connect(
        dbc as usize,
        read_wide(dsn, dl.into()),
        read_wide(uid, ul.into()),
        read_wide(pwd, pl.into()),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLDriverConnect(dbc: H, _w: H, cin: *const u8, cl: i16, out: *mut u8, omax: i16, olen: *mut i16, _c: u16) -> i16 {
    driver_connect(
        dbc as usize,
        read_narrow(cin, cl.into()),
        Enc::Narrow,
        CBuf::new(out.cast(), omax.into()),
        OutPtr::new(olen),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLDriverConnectW(
    dbc: H,
    _w: H,
    cin: *const WChar,
    cl: i16,
    out: *mut WChar,
    omax: i16,
    olen: *mut i16,
    _c: u16,
) -> i16 {
    driver_connect(
        dbc as usize,
        read_wide(cin, cl.into()),
        Enc::Wide,
        CBuf::new(out.cast(), char_buf(Enc::Wide, omax.into())),
        OutPtr::new(olen),
    )
}
#[no_mangle]
pub extern "C" fn SQLDisconnect(dbc: H) -> i16 {
    call(dbc as usize, Kind::Dbc, |_, o, _| disconnect(dbc as usize, o))
}
#[no_mangle]
pub extern "C" fn SQLSetConnectAttr(dbc: H, attr: i32, v: H, _len: i32) -> i16 {
    set_connect_attr(dbc as usize, attr, v as isize)
}
#[no_mangle]
pub extern "C" fn SQLSetConnectAttrW(dbc: H, attr: i32, v: H, _len: i32) -> i16 {
    set_connect_attr(dbc as usize, attr, v as isize)
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetConnectAttr(dbc: H, attr: i32, v: H, buflen: i32, strlen: *mut i32) -> i16 {
    get_connect_attr(dbc as usize, attr, Enc::Narrow, CBuf::new(v, buflen as isize), OutPtr::new(strlen))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetConnectAttrW(dbc: H, attr: i32, v: H, buflen: i32, strlen: *mut i32) -> i16 {
    get_connect_attr(dbc as usize, attr, Enc::Wide, CBuf::new(v, buflen as isize), OutPtr::new(strlen))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetInfo(dbc: H, ty: u16, v: H, buflen: i16, strlen: *mut i16) -> i16 {
    get_info(dbc as usize, ty, Enc::Narrow, CBuf::new(v, buflen.into()), OutPtr::new(strlen))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetInfoW(dbc: H, ty: u16, v: H, buflen: i16, strlen: *mut i16) -> i16 {
    get_info(dbc as usize, ty, Enc::Wide, CBuf::new(v, buflen.into()), OutPtr::new(strlen))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetFunctions(dbc: H, id: u16, supported: *mut u16) -> i16 {
    let n = match id {
        functions::SQL_API_ODBC3_ALL_FUNCTIONS => functions::ODBC3_ALL_FUNCTIONS_SIZE,
        functions::SQL_API_ALL_FUNCTIONS => 100,
        _ => 1,
    };
    get_functions(dbc as usize, id, CBuf::new(supported.cast(), (n * 2) as isize))
}
#[no_mangle]
pub extern "C" fn SQLEndTran(handle_type: i16, handle: H, _completion: i16) -> i16 {
    match handle_kind(handle_type) {
        Some(k @ (Kind::Env | Kind::Dbc)) => call(handle as usize, k, |_, _, _| Ok(Outcome::Ok)),
        _ => SQL_INVALID_HANDLE,
    }
}
#[no_mangle]
pub unsafe extern "C" fn SQLNativeSql(dbc: H, sql: *const u8, len: i32, out: *mut u8, omax: i32, olen: *mut i32) -> i16 {
    native_sql(
        dbc as usize,
        read_narrow(sql, len as isize),
        Enc::Narrow,
        CBuf::new(out.cast(), omax as isize),
        OutPtr::new(olen),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLNativeSqlW(dbc: H, sql: *const WChar, len: i32, out: *mut WChar, omax: i32, olen: *mut i32) -> i16 {
    native_sql(
        dbc as usize,
        read_wide(sql, len as isize),
        Enc::Wide,
        CBuf::new(out.cast(), char_buf(Enc::Wide, omax as isize)),
        OutPtr::new(olen),
    )
}

// The value is read as an integer: the only text attribute (SQL_ATTR_CURRENT_CATALOG) is
// refused without being read.
fn set_connect_attr(h: usize, attr: i32, v: isize) -> i16 {
    call(h, Kind::Dbc, |_, o, d| dbc_of(o).set_attr(attr, v, d).map(|_| Outcome::Ok))
}

fn dbc_of(o: &mut Object) -> &mut Dbc {
    match o {
        Object::Dbc(d) => d,
        _ => unreachable!("kind checked by the registry"),
    }
}

fn connect(h: usize, dsn: Option<String>, uid: Option<String>, pwd: Option<String>) -> i16 {
    call(h, Kind::Dbc, |_, o, d| {
        let dsn = dsn.filter(|s| !s.is_empty());
        let dsn_pairs = dsn.as_deref().map(super::odbcinst::dsn_pairs).unwrap_or_default();
        let mut given = Vec::new();
        if let Some(u) = uid.filter(|s| !s.is_empty()) {
            given.push(("User".to_string(), u));
        }
        if let Some(p) = pwd.filter(|s| !s.is_empty()) {
            given.push(("Password".to_string(), p));
        }
        let cfg = Config::from_pairs(&given, &dsn_pairs);
        dbc_of(o).connect(cfg, dsn, d)?;
        Ok(Outcome::Ok)
    })
}

fn driver_connect(h: usize, conn_str: Option<String>, enc: Enc, out: CBuf, olen: OutPtr<i16>) -> i16 {
    call(h, Kind::Dbc, |_, o, d: &mut Diags| {
        let pairs = parse_connection_string(conn_str.as_deref().unwrap_or(""));
        let dsn = pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("DSN"))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty());
        let dsn_pairs = dsn.as_deref().map(super::odbcinst::dsn_pairs).unwrap_or_default();
        let cfg = Config::from_pairs(&pairs, &dsn_pairs);
        let out_string = match &dsn {
            Some(name) => {
                // Keep what the caller gave, so a saved string reconnects the same way.
                let given = Config::from_pairs(&pairs, &[]);
                given.out_string(Some(name))
            }
            None => cfg.out_string(None),
        };
        dbc_of(o).connect(cfg, dsn, d)?;
        let (n, truncated) = text(enc, &out_string, out, Unit::Chars);
        set_i16(olen, n);
        if truncated && !out.is_null() {
            d.warn("01004", "the completed connection string was truncated to fit the buffer");
        }
        Ok(Outcome::Ok)
    })
}

fn disconnect(h: usize, o: &mut Object) -> Result<Outcome, OdbcError> {
    let dbc = dbc_of(o);
    if dbc.session.is_none() {
        return Err(OdbcError::NotConnected);
    }
    for s in super::handles::children(h) {
        super::exports_handles::free_tree(s);
    }
    dbc.session = None;
    Ok(Outcome::Ok)
}

fn get_connect_attr(h: usize, attr: i32, enc: Enc, buf: CBuf, strlen: OutPtr<i32>) -> i16 {
    call(h, Kind::Dbc, |_, o, d| {
        match dbc_of(o).get_attr(attr)? {
            AttrOut::Int(v) => buf.write_fixed(&v.to_ne_bytes()),
            AttrOut::Text(s) => {
                let (n, t) = text(enc, &s, buf, Unit::Bytes);
                set_i32(strlen, n);
                if t {
                    d.warn("01004", "the attribute value was truncated to fit the buffer");
                }
            }
        }
        Ok(Outcome::Ok)
    })
}

fn get_info(h: usize, ty: u16, enc: Enc, buf: CBuf, strlen: OutPtr<i16>) -> i16 {
    call(h, Kind::Dbc, |_, o, d| {
        let dbc = dbc_of(o);
        let value = info::lookup(ty).ok_or(OdbcError::BadInfoType(ty))?;
        let dynamic = |ty: u16| -> String {
            let Some(s) = dbc.session.as_ref() else { return String::new() };
            info::dynamic(ty, s.dsn.as_deref(), &s.config)
        };
        match value {
            Info::U16(v) => {
                buf.write_fixed(&v.to_ne_bytes());
                strlen.set(2);
            }
            Info::U32(v) => {
                buf.write_fixed(&v.to_ne_bytes());
                strlen.set(4);
            }
            Info::Str(s) => put_info_text(enc, s, buf, strlen, d),
            Info::Dynamic => put_info_text(enc, &dynamic(ty), buf, strlen, d),
        }
        Ok(Outcome::Ok)
    })
}

fn put_info_text(enc: Enc, s: &str, buf: CBuf, strlen: OutPtr<i16>, d: &mut Diags) {
    let (n, t) = text(enc, s, buf, Unit::Bytes);
    set_i16(strlen, n);
    if t && !buf.is_null() {
        d.warn("01004", "the information value was truncated to fit the buffer");
    }
}

fn get_functions(h: usize, id: u16, out: CBuf) -> i16 {
    call(h, Kind::Dbc, |_, _, _| {
        let words: Vec<u16> = match id {
            functions::SQL_API_ODBC3_ALL_FUNCTIONS => functions::odbc3_bitmap().to_vec(),
            functions::SQL_API_ALL_FUNCTIONS => functions::odbc2_array().to_vec(),
            other => vec![u16::from(functions::supported(other))],
        };
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_ne_bytes()).collect();
        out.write(&bytes);
        Ok(Outcome::Ok)
    })
}

fn native_sql(h: usize, sql: Option<String>, enc: Enc, out: CBuf, olen: OutPtr<i32>) -> i16 {
    call(h, Kind::Dbc, |_, _, d| {
        let sql = sql.ok_or(OdbcError::NullPointer("InStatementText"))?;
        // What the engine runs: ODBC escapes rewritten.
        let sql = crate::sql::escapes::rewrite(&sql)?;
        let (n, t) = text(enc, &sql, out, Unit::Chars);
        set_i32(olen, n);
        if t && !out.is_null() {
            d.warn("01004", "the statement text was truncated to fit the buffer");
        }
        Ok(Outcome::Ok)
    })
}
