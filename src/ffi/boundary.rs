//! The one boundary every export goes through: handle lookup, locking, diagnostic reset,
//! `catch_unwind`, and mapping the outcome to a SQLRETURN.

use super::handles::{self, Entry, Kind, Object};
use crate::odbc::diag::{DiagRec, Diags};
use crate::odbc::OdbcError;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Once};

pub const SQL_SUCCESS: i16 = 0;
pub const SQL_SUCCESS_WITH_INFO: i16 = 1;
pub const SQL_ERROR: i16 = -1;
pub const SQL_INVALID_HANDLE: i16 = -2;
pub const SQL_NO_DATA: i16 = 100;

/// How a driver function ended, when it did not fail.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    NoData,
}

thread_local! {
    static IN_DRIVER: Cell<bool> = const { Cell::new(false) };
}

/// Marks the current thread as driver code (tokio workers call this at start).
pub fn mark_driver_thread() {
    IN_DRIVER.with(|f| f.set(true));
}

/// Panics in driver code are logged, never printed: the host owns stdout and stderr.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_DRIVER.with(|f| f.get()) {
                tracing::error!("internal error: {info}");
            } else {
                previous(info);
            }
        }));
    });
}

pub fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Runs `f` with panics contained; the thread is marked as driver code meanwhile.
pub fn contained<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_panic_hook();
    let was = IN_DRIVER.with(|c| c.replace(true));
    let r = catch_unwind(AssertUnwindSafe(f)).map_err(panic_text);
    IN_DRIVER.with(|c| c.set(was));
    r
}

fn finish(diags: &mut Diags, r: Result<Result<Outcome, OdbcError>, String>) -> i16 {
    let r = match r {
        Ok(r) => r,
        Err(p) => Err(OdbcError::Panic(p)),
    };
    let rc = match r {
        Ok(Outcome::NoData) => SQL_NO_DATA,
        Ok(Outcome::Ok) if diags.has_warnings() => SQL_SUCCESS_WITH_INFO,
        Ok(Outcome::Ok) => SQL_SUCCESS,
        Err(e) => {
            tracing::warn!(state = e.sqlstate(), "{}", e.message());
            diags.recs.push(DiagRec {
                state: e.sqlstate(),
                native: 0,
                message: e.message(),
            });
            SQL_ERROR
        }
    };
    diags.return_code = rc;
    rc
}

/// Calls `f` on the object behind `handle` if it is a live handle of `kind`.
pub fn call(handle: usize, kind: Kind, f: impl FnOnce(&Arc<Entry>, &mut Object, &mut Diags) -> Result<Outcome, OdbcError>) -> i16 {
    let Some(entry) = handles::get(handle, kind) else {
        return SQL_INVALID_HANDLE;
    };
    let mut diags = std::mem::take(&mut *entry.diags.lock());
    diags.clear();
    let r = contained(|| {
        let mut obj = entry.obj.lock();
        f(&entry, &mut obj, &mut diags)
    });
    let rc = finish(&mut diags, r);
    *entry.diags.lock() = diags;
    rc
}

/// For functions with no handle yet (SQLAllocHandle of an environment).
pub fn call_unbound(f: impl FnOnce() -> Result<Outcome, OdbcError>) -> i16 {
    match contained(f) {
        Ok(Ok(Outcome::Ok)) => SQL_SUCCESS,
        Ok(Ok(Outcome::NoData)) => SQL_NO_DATA,
        _ => SQL_ERROR,
    }
}

pub fn handle_kind(handle_type: i16) -> Option<Kind> {
    match handle_type {
        1 => Some(Kind::Env),
        2 => Some(Kind::Dbc),
        3 => Some(Kind::Stmt),
        4 => Some(Kind::Desc),
        _ => None,
    }
}
