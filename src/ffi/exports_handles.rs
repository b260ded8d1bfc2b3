//! Handle allocation and release, and environment attributes.
#![allow(non_snake_case, clippy::missing_safety_doc)]

use super::boundary::{call, call_unbound, handle_kind, Outcome, SQL_ERROR, SQL_INVALID_HANDLE};
use super::buffers::OutPtr;
use super::handles::{self, Desc, Kind, Object};
use crate::odbc::env::Env;
use crate::odbc::stmt::Stmt;
use crate::odbc::OdbcError;
use std::ffi::c_void;

type H = *mut c_void;

#[no_mangle]
pub unsafe extern "C" fn SQLAllocHandle(handle_type: i16, input: H, output: *mut H) -> i16 {
    alloc(handle_type, input as usize, OutPtr::new(output))
}
#[no_mangle]
pub unsafe extern "C" fn SQLAllocEnv(output: *mut H) -> i16 {
    alloc(1, 0, OutPtr::new(output))
}
#[no_mangle]
pub unsafe extern "C" fn SQLAllocConnect(env: H, output: *mut H) -> i16 {
    alloc(2, env as usize, OutPtr::new(output))
}
#[no_mangle]
pub unsafe extern "C" fn SQLAllocStmt(dbc: H, output: *mut H) -> i16 {
    alloc(3, dbc as usize, OutPtr::new(output))
}
#[no_mangle]
pub extern "C" fn SQLFreeHandle(handle_type: i16, handle: H) -> i16 {
    free(handle_type, handle as usize)
}
#[no_mangle]
pub extern "C" fn SQLFreeEnv(env: H) -> i16 {
    free(1, env as usize)
}
#[no_mangle]
pub extern "C" fn SQLFreeConnect(dbc: H) -> i16 {
    free(2, dbc as usize)
}
#[no_mangle]
pub unsafe extern "C" fn SQLSetEnvAttr(env: H, attr: i32, value: H, _len: i32) -> i16 {
    call(env as usize, Kind::Env, |_, o, _| set_env_attr(o, attr, value as isize))
}
#[no_mangle]
pub unsafe extern "C" fn SQLGetEnvAttr(env: H, attr: i32, value: H, _buflen: i32, _strlen: *mut i32) -> i16 {
    let out = OutPtr::new(value as *mut u32);
    call(env as usize, Kind::Env, |_, o, _| get_env_attr(o, attr, out))
}

fn set_env_attr(o: &mut Object, attr: i32, value: isize) -> Result<Outcome, OdbcError> {
    let Object::Env(env) = o else {
        unreachable!("kind checked by the registry")
    };
    env.set_attr(attr, value)?;
    Ok(Outcome::Ok)
}

fn get_env_attr(o: &mut Object, attr: i32, out: OutPtr<u32>) -> Result<Outcome, OdbcError> {
    let Object::Env(env) = o else {
        unreachable!("kind checked by the registry")
    };
    out.set(env.get_attr(attr)?);
    Ok(Outcome::Ok)
}

fn alloc(handle_type: i16, input: usize, output: OutPtr<H>) -> i16 {
    if output.is_null() {
        return SQL_ERROR;
    }
    match handle_kind(handle_type) {
        Some(Kind::Env) => call_unbound(|| {
            crate::runtime::get();
            output.set(handles::insert(Kind::Env, 0, Object::Env(Env::default())) as H);
            Ok(Outcome::Ok)
        }),
        Some(Kind::Dbc) => call(input, Kind::Env, |_, _, _| {
            output.set(handles::insert(Kind::Dbc, input, Object::Dbc(Box::default())) as H);
            Ok(Outcome::Ok)
        }),
        Some(Kind::Stmt) => call(input, Kind::Dbc, |_, o, _| {
            let Object::Dbc(dbc) = o else {
                unreachable!("kind checked by the registry")
            };
            let session = dbc.session.clone().ok_or(OdbcError::NotConnected)?;
            let mut stmt = Stmt::new(session, &dbc.stmt_defaults);
            let h = handles::insert(Kind::Stmt, input, Object::Desc(Desc::default()));
            for d in stmt.descs.iter_mut() {
                *d = handles::insert(Kind::Desc, h, Object::Desc(Desc { stmt: h }));
            }
            if let Some(e) = handles::get(h, Kind::Stmt) {
                *e.obj.lock() = Object::Stmt(Box::new(stmt));
            }
            output.set(h as H);
            Ok(Outcome::Ok)
        }),
        Some(Kind::Desc) => call(input, Kind::Dbc, |_, _, _| {
            Err(OdbcError::NotImplemented("explicitly allocated descriptors".into()))
        }),
        None => SQL_ERROR,
    }
}

/// Removes a handle and everything allocated under it.
pub fn free_tree(h: usize) {
    for c in handles::children(h) {
        free_tree(c);
    }
    handles::remove(h);
}

fn free(handle_type: i16, handle: usize) -> i16 {
    let Some(kind) = handle_kind(handle_type) else {
        return SQL_INVALID_HANDLE;
    };
    let rc = call(handle, kind, |_, o, _| match o {
        Object::Dbc(d) if d.session.is_some() => Err(OdbcError::Sequence("the connection is still open: call SQLDisconnect first")),
        Object::Env(_) if !handles::children(handle).is_empty() => {
            Err(OdbcError::Sequence("connections of this environment are still allocated"))
        }
        Object::Desc(_) => Err(OdbcError::Sequence("implicit descriptors are freed with their statement")),
        _ => Ok(Outcome::Ok),
    });
    if rc == super::boundary::SQL_SUCCESS {
        free_tree(handle);
    }
    rc
}
