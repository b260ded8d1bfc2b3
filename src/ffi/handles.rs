//! The handle registry: handles are opaque numbers we hand out, never pointers we follow,
//! so a freed, foreign or NULL handle is recognised instead of dereferenced.

use crate::odbc::conn::Dbc;
use crate::odbc::diag::Diags;
use crate::odbc::env::Env;
use crate::odbc::stmt::Stmt;
use crate::tables::provider::CancelSignal;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Env,
    Dbc,
    Stmt,
    Desc,
}

/// An implicit descriptor; its fields are served from the statement.
#[derive(Debug, Default)]
pub struct Desc {
    pub stmt: usize,
}

pub enum Object {
    Env(Env),
    Dbc(Box<Dbc>),
    Stmt(Box<Stmt>),
    Desc(Desc),
}

pub struct Entry {
    pub kind: Kind,
    pub parent: usize,
    pub obj: Mutex<Object>,
    /// Kept apart from `obj` so diagnostics stay readable while another thread works.
    pub diags: Mutex<Diags>,
    /// Set by SQLCancel from another thread; the statement's requests watch it.
    pub cancel: Arc<CancelSignal>,
}

fn registry() -> &'static Mutex<HashMap<usize, Arc<Entry>>> {
    static R: OnceLock<Mutex<HashMap<usize, Arc<Entry>>>> = OnceLock::new();
    R.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Handle values start high and are never reused within a process.
static NEXT: AtomicUsize = AtomicUsize::new(0x5B0_0000);

pub fn insert(kind: Kind, parent: usize, obj: Object) -> usize {
    let h = NEXT.fetch_add(16, Ordering::Relaxed);
    let e = Entry {
        kind,
        parent,
        obj: Mutex::new(obj),
        diags: Mutex::new(Diags::default()),
        cancel: Default::default(),
    };
    registry().lock().insert(h, Arc::new(e));
    h
}

pub fn get(h: usize, kind: Kind) -> Option<Arc<Entry>> {
    registry().lock().get(&h).filter(|e| e.kind == kind).cloned()
}

pub fn get_any(h: usize) -> Option<Arc<Entry>> {
    registry().lock().get(&h).cloned()
}

pub fn remove(h: usize) -> Option<Arc<Entry>> {
    registry().lock().remove(&h)
}

pub fn children(parent: usize) -> Vec<usize> {
    registry()
        .lock()
        .iter()
        .filter(|(_, e)| e.parent == parent)
        .map(|(h, _)| *h)
        .collect()
}
