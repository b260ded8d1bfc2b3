//! SQLGetDiagRec and SQLGetDiagField: read a handle's records without resetting them.
#![allow(non_snake_case, clippy::missing_safety_doc, clippy::too_many_arguments)]

use super::boundary::{contained, handle_kind, SQL_ERROR, SQL_INVALID_HANDLE, SQL_NO_DATA, SQL_SUCCESS, SQL_SUCCESS_WITH_INFO};
use super::buffers::{CBuf, OutPtr, WChar};
use super::handles;
use super::out::{char_buf, set_i16, text, Unit};
use crate::odbc::diag::Diags;
use crate::odbc::text_out::Enc;
use std::ffi::c_void;

type H = *mut c_void;

#[no_mangle]
pub unsafe extern "C" fn SQLGetDiagRec(
    ht: i16,
    h: H,
    rec: i16,
    state: *mut u8,
    native: *mut i32,
    msg: *mut u8,
    buflen: i16,
    textlen: *mut i16,
) -> i16 {
    diag_rec(
        ht,
        h as usize,
        rec,
        Enc::Narrow,
        CBuf::new(state.cast(), 6),
        OutPtr::new(native),
        CBuf::new(msg.cast(), buflen.into()),
        buflen,
        OutPtr::new(textlen),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetDiagRecW(
    ht: i16,
    h: H,
    rec: i16,
    state: *mut WChar,
    native: *mut i32,
    msg: *mut WChar,
    buflen: i16,
    textlen: *mut i16,
) -> i16 {
    diag_rec(
        ht,
        h as usize,
        rec,
        Enc::Wide,
        CBuf::new(state.cast(), char_buf(Enc::Wide, 6)),
        OutPtr::new(native),
        CBuf::new(msg.cast(), char_buf(Enc::Wide, buflen.into())),
        buflen,
        OutPtr::new(textlen),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetDiagField(ht: i16, h: H, rec: i16, id: i16, v: H, buflen: i16, strlen: *mut i16) -> i16 {
    diag_field(
        ht,
        h as usize,
        rec,
        id,
        Enc::Narrow,
        CBuf::new(v, buflen.into()),
        OutPtr::new(strlen),
    )
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetDiagFieldW(ht: i16, h: H, rec: i16, id: i16, v: H, buflen: i16, strlen: *mut i16) -> i16 {
    diag_field(ht, h as usize, rec, id, Enc::Wide, CBuf::new(v, buflen.into()), OutPtr::new(strlen))
}

fn with_diags(ht: i16, h: usize, f: impl FnOnce(&Diags) -> i16) -> i16 {
    let Some(entry) = handle_kind(ht).and_then(|k| handles::get(h, k)) else {
        return SQL_INVALID_HANDLE;
    };
    contained(|| f(&entry.diags.lock())).unwrap_or(SQL_ERROR)
}

fn diag_rec(ht: i16, h: usize, rec: i16, enc: Enc, state: CBuf, native: OutPtr<i32>, msg: CBuf, buflen: i16, textlen: OutPtr<i16>) -> i16 {
    with_diags(ht, h, |d| {
        if rec < 1 || buflen < 0 {
            return SQL_ERROR;
        }
        let Some(r) = d.recs.get(usize::from(rec.unsigned_abs()) - 1) else {
            return SQL_NO_DATA;
        };
        text(enc, r.state, state, Unit::Chars);
        native.set(r.native);
        let (n, t) = text(enc, &r.message, msg, Unit::Chars);
        set_i16(textlen, n);
        if t {
            SQL_SUCCESS_WITH_INFO
        } else {
            SQL_SUCCESS
        }
    })
}

fn diag_field(ht: i16, h: usize, rec: i16, id: i16, enc: Enc, buf: CBuf, strlen: OutPtr<i16>) -> i16 {
    with_diags(ht, h, |d| {
        let put_text = |s: &str| {
            let (n, t) = text(enc, s, buf, Unit::Bytes);
            set_i16(strlen, n);
            if t {
                SQL_SUCCESS_WITH_INFO
            } else {
                SQL_SUCCESS
            }
        };
        let put = |bytes: &[u8]| {
            buf.write_fixed(bytes);
            SQL_SUCCESS
        };
        match id {
            1 => return put(&d.return_code.to_ne_bytes()),
            2 => return put(&(d.recs.len() as i32).to_ne_bytes()),
            3 | -1249 => return put(&d.row_count.to_ne_bytes()),
            7 => return put_text(""),
            12 => return put(&0i32.to_ne_bytes()),
            _ => {}
        }
        if rec < 1 {
            return SQL_ERROR;
        }
        let Some(r) = d.recs.get(usize::from(rec.unsigned_abs()) - 1) else {
            return SQL_NO_DATA;
        };
        match id {
            4 => put_text(r.state),
            5 => put(&r.native.to_ne_bytes()),
            6 => put_text(&r.message),
            8 | 9 => put_text(
                if r.state.starts_with("IM") || r.state.starts_with("HY") || r.state.starts_with("01S") {
                    "ODBC 3.0"
                } else {
                    "ISO 9075"
                },
            ),
            10 | 11 => put_text(""),
            -1247 => put(&(-2i32).to_ne_bytes()),
            -1248 => put(&(-2isize).to_ne_bytes()),
            _ => SQL_ERROR,
        }
    })
}
