//! The driver's C exports called directly (no driver manager) with handles a buggy or hostile
//! application may pass: NULL, a made-up number, a freed handle. Each must come back as
//! SQL_INVALID_HANDLE instead of a crash; NULL output pointers must be survivable too.
//!
//! Needs `cargo build --release --features test-hooks` first.

use fake_bitbucket::{FakeConfig, FakeServer};
use std::ffi::{c_void, CString};
use std::path::PathBuf;
use std::ptr::null_mut;

type H = *mut c_void;

const SQL_SUCCESS: i16 = 0;
const SQL_SUCCESS_WITH_INFO: i16 = 1;
const SQL_ERROR: i16 = -1;
const SQL_INVALID_HANDLE: i16 = -2;
const SQL_NO_DATA: i16 = 100;
const SQL_NTS: i16 = -3;
const ENV: i16 = 1;
const DBC: i16 = 2;
const STMT: i16 = 3;
const DESC: i16 = 4;

/// The exported functions this test calls, with their C signatures.
#[allow(non_snake_case, clippy::type_complexity)]
struct Driver {
    SQLAllocHandle: unsafe extern "C" fn(i16, H, *mut H) -> i16,
    SQLFreeHandle: unsafe extern "C" fn(i16, H) -> i16,
    SQLSetEnvAttr: unsafe extern "C" fn(H, i32, H, i32) -> i16,
    SQLDriverConnect: unsafe extern "C" fn(H, H, *const u8, i16, *mut u8, i16, *mut i16, u16) -> i16,
    SQLDisconnect: unsafe extern "C" fn(H) -> i16,
    SQLExecDirect: unsafe extern "C" fn(H, *const u8, i32) -> i16,
    SQLFetch: unsafe extern "C" fn(H) -> i16,
    SQLNumResultCols: unsafe extern "C" fn(H, *mut i16) -> i16,
    SQLGetDiagRec: unsafe extern "C" fn(i16, H, i16, *mut u8, *mut i32, *mut u8, i16, *mut i16) -> i16,
    SQLGetInfo: unsafe extern "C" fn(H, u16, H, i16, *mut i16) -> i16,
    SQLGetStmtAttr: unsafe extern "C" fn(H, i32, H, i32, *mut i32) -> i16,
    SQLCloseCursor: unsafe extern "C" fn(H) -> i16,
    SQLCancel: unsafe extern "C" fn(H) -> i16,
    SQLEndTran: unsafe extern "C" fn(i16, H, i16) -> i16,
}

// Each transmute's target is the `Driver` field it initialises, which names the C signature.
#[allow(clippy::missing_transmute_annotations)]
fn driver() -> &'static Driver {
    static D: std::sync::OnceLock<Driver> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/libbitbucket_odbc.so");
        assert!(
            path.exists(),
            "{} is missing: run `cargo build --release --features test-hooks` first",
            path.display()
        );
        let cpath = CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string; the library stays loaded for the whole process.
        let lib = unsafe { libc::dlopen(cpath.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        assert!(!lib.is_null(), "dlopen({}) failed", path.display());
        macro_rules! sym {
            ($name:ident) => {{
                let n = CString::new(stringify!($name)).unwrap();
                // SAFETY: dlsym on a live handle with a valid name.
                let p = unsafe { libc::dlsym(lib, n.as_ptr()) };
                assert!(!p.is_null(), "the driver does not export {}", stringify!($name));
                // SAFETY: the exported symbol has the C signature declared in `Driver`.
                unsafe { std::mem::transmute::<*mut c_void, _>(p) }
            }};
        }
        Driver {
            SQLAllocHandle: sym!(SQLAllocHandle),
            SQLFreeHandle: sym!(SQLFreeHandle),
            SQLSetEnvAttr: sym!(SQLSetEnvAttr),
            SQLDriverConnect: sym!(SQLDriverConnect),
            SQLDisconnect: sym!(SQLDisconnect),
            SQLExecDirect: sym!(SQLExecDirect),
            SQLFetch: sym!(SQLFetch),
            SQLNumResultCols: sym!(SQLNumResultCols),
            SQLGetDiagRec: sym!(SQLGetDiagRec),
            SQLGetInfo: sym!(SQLGetInfo),
            SQLGetStmtAttr: sym!(SQLGetStmtAttr),
            SQLCloseCursor: sym!(SQLCloseCursor),
            SQLCancel: sym!(SQLCancel),
            SQLEndTran: sym!(SQLEndTran),
        }
    })
}

/// An environment allocated on the driver itself, as a driver manager would.
fn alloc_env(d: &Driver) -> H {
    let mut env: H = null_mut();
    // SAFETY: valid output pointer.
    assert_eq!(unsafe { (d.SQLAllocHandle)(ENV, null_mut(), &mut env) }, SQL_SUCCESS);
    assert!(!env.is_null());
    // SQL_ATTR_ODBC_VERSION = SQL_OV_ODBC3_80.
    assert_eq!(unsafe { (d.SQLSetEnvAttr)(env, 200, 380 as H, 0) }, SQL_SUCCESS);
    env
}

fn alloc(d: &Driver, kind: i16, parent: H) -> H {
    let mut h: H = null_mut();
    // SAFETY: valid output pointer.
    let rc = unsafe { (d.SQLAllocHandle)(kind, parent, &mut h) };
    assert_eq!(rc, SQL_SUCCESS, "SQLAllocHandle({kind})");
    h
}

/// A connected DBC and a statement on it, against `srv`.
fn connected(d: &Driver, srv: &FakeServer) -> (H, H, H) {
    let env = alloc_env(d);
    let dbc = alloc(d, DBC, env);
    let cs = format!(
        "Workspace=acme;BaseURL={};User=analyst@example.com;Password=bbtoken-analyst-0001",
        srv.base_url()
    );
    let cs = CString::new(cs).unwrap();
    // SAFETY: NUL-terminated input, no output buffer.
    let rc = unsafe { (d.SQLDriverConnect)(dbc, null_mut(), cs.as_ptr().cast(), SQL_NTS, null_mut(), 0, null_mut(), 0) };
    assert_eq!(rc, SQL_SUCCESS, "SQLDriverConnect: {:?}", first_diag(d, DBC, dbc));
    let stmt = alloc(d, STMT, dbc);
    (env, dbc, stmt)
}

/// (SQLSTATE, message) of record 1.
fn first_diag(d: &Driver, kind: i16, h: H) -> Option<(String, String)> {
    let mut state = [0u8; 6];
    let mut native = 0i32;
    let mut msg = [0u8; 1024];
    let mut len = 0i16;
    // SAFETY: buffers sized as declared.
    let rc = unsafe {
        (d.SQLGetDiagRec)(
            kind,
            h,
            1,
            state.as_mut_ptr(),
            &mut native,
            msg.as_mut_ptr(),
            msg.len() as i16,
            &mut len,
        )
    };
    (rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO).then(|| {
        let n = (len.max(0) as usize).min(msg.len() - 1);
        (
            String::from_utf8_lossy(&state[..5]).into_owned(),
            String::from_utf8_lossy(&msg[..n]).into_owned(),
        )
    })
}

/// Every function taking a handle, called with `h` as a handle of each kind it accepts.
fn assert_all_invalid(d: &Driver, h: H, what: &str) {
    let mut out: H = null_mut();
    let mut n = 0i16;
    let mut buf = [0u8; 64];
    let sql = c"SELECT 1";
    // SAFETY: `h` is never dereferenced by a correct driver; every pointer we pass is valid.
    unsafe {
        for kind in [ENV, DBC, STMT, DESC] {
            assert_eq!((d.SQLFreeHandle)(kind, h), SQL_INVALID_HANDLE, "SQLFreeHandle({kind}, {what})");
            assert_eq!(
                (d.SQLGetDiagRec)(kind, h, 1, buf.as_mut_ptr(), null_mut(), null_mut(), 0, null_mut()),
                SQL_INVALID_HANDLE,
                "SQLGetDiagRec({kind}, {what})"
            );
        }
        assert_eq!(
            (d.SQLAllocHandle)(DBC, h, &mut out),
            SQL_INVALID_HANDLE,
            "SQLAllocHandle(DBC, {what})"
        );
        assert_eq!(
            (d.SQLAllocHandle)(STMT, h, &mut out),
            SQL_INVALID_HANDLE,
            "SQLAllocHandle(STMT, {what})"
        );
        assert!(out.is_null(), "no handle may be produced from {what}");
        assert_eq!((d.SQLSetEnvAttr)(h, 200, 3 as H, 0), SQL_INVALID_HANDLE, "SQLSetEnvAttr({what})");
        assert_eq!((d.SQLDisconnect)(h), SQL_INVALID_HANDLE, "SQLDisconnect({what})");
        assert_eq!(
            (d.SQLGetInfo)(h, 6, buf.as_mut_ptr().cast(), 64, &mut n),
            SQL_INVALID_HANDLE,
            "SQLGetInfo({what})"
        );
        assert_eq!((d.SQLEndTran)(DBC, h, 0), SQL_INVALID_HANDLE, "SQLEndTran({what})");
        assert_eq!(
            (d.SQLExecDirect)(h, sql.as_ptr().cast(), -3),
            SQL_INVALID_HANDLE,
            "SQLExecDirect({what})"
        );
        assert_eq!((d.SQLFetch)(h), SQL_INVALID_HANDLE, "SQLFetch({what})");
        assert_eq!((d.SQLNumResultCols)(h, &mut n), SQL_INVALID_HANDLE, "SQLNumResultCols({what})");
        assert_eq!(
            (d.SQLGetStmtAttr)(h, 27, out.cast(), 0, null_mut()),
            SQL_INVALID_HANDLE,
            "SQLGetStmtAttr({what})"
        );
        assert_eq!((d.SQLCloseCursor)(h), SQL_INVALID_HANDLE, "SQLCloseCursor({what})");
        assert_eq!((d.SQLCancel)(h), SQL_INVALID_HANDLE, "SQLCancel({what})");
    }
}

#[test]
fn null_handle_is_invalid() {
    assert_all_invalid(driver(), null_mut(), "NULL");
}

#[test]
fn made_up_handles_are_invalid() {
    // 0x5B0_0008 lies in the driver's handle range but off its 16-byte grid: never handed out.
    for v in [0xdead_beef_usize, 1, 0x5B0_0008, usize::MAX] {
        assert_all_invalid(driver(), v as H, &format!("{v:#x}"));
    }
}

#[test]
fn freed_handles_are_invalid() {
    let d = driver();
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let (env, dbc, stmt) = connected(d, &srv);
    // SAFETY: handles from the driver, freed in child-to-parent order.
    unsafe {
        assert_eq!((d.SQLFreeHandle)(STMT, stmt), SQL_SUCCESS);
        assert_eq!((d.SQLDisconnect)(dbc), SQL_SUCCESS);
        assert_eq!((d.SQLFreeHandle)(DBC, dbc), SQL_SUCCESS);
        assert_eq!((d.SQLFreeHandle)(ENV, env), SQL_SUCCESS);
    }
    assert_all_invalid(d, stmt, "a freed statement");
    assert_all_invalid(d, dbc, "a freed connection");
    assert_all_invalid(d, env, "a freed environment");
}

#[test]
fn handle_of_the_wrong_kind_is_invalid() {
    let d = driver();
    let env = alloc_env(d);
    let dbc = alloc(d, DBC, env);
    let mut n = 0i16;
    // SAFETY: live handles of other kinds than the functions expect.
    unsafe {
        assert_eq!((d.SQLFetch)(env), SQL_INVALID_HANDLE);
        assert_eq!((d.SQLNumResultCols)(dbc, &mut n), SQL_INVALID_HANDLE);
        assert_eq!((d.SQLFreeHandle)(STMT, dbc), SQL_INVALID_HANDLE);
        let mut out: H = null_mut();
        assert_eq!((d.SQLAllocHandle)(DBC, dbc, &mut out), SQL_INVALID_HANDLE);
        assert_eq!((d.SQLFreeHandle)(DBC, dbc), SQL_SUCCESS);
        assert_eq!((d.SQLFreeHandle)(ENV, env), SQL_SUCCESS);
    }
}

#[test]
fn null_output_pointers() {
    let d = driver();
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let (env, dbc, stmt) = connected(d, &srv);
    // SAFETY: live handles; NULL pointers are the point of the test.
    unsafe {
        // SQLAllocHandle with nowhere to put the handle fails cleanly.
        assert_eq!((d.SQLAllocHandle)(ENV, null_mut(), null_mut()), SQL_ERROR);

        // SQLNumResultCols(NULL) → SQL_ERROR with HY009.
        let sql = c"SELECT Slug FROM Repositories";
        assert_eq!((d.SQLExecDirect)(stmt, sql.as_ptr().cast(), -3), SQL_SUCCESS);
        assert_eq!((d.SQLNumResultCols)(stmt, null_mut()), SQL_ERROR);
        let (state, message) = first_diag(d, STMT, stmt).expect("a diagnostic record");
        assert_eq!(state, "HY009", "{message}");
        assert!(message.starts_with("[Bitbucket ODBC]"), "{message}");

        // SQLGetDiagRec with every output pointer NULL must not crash.
        let rc = (d.SQLGetDiagRec)(STMT, stmt, 1, null_mut(), null_mut(), null_mut(), 0, null_mut());
        assert!(rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO, "rc = {rc}");
        // ... and with only the length pointer set, it reports the full length.
        let mut len = -1i16;
        let rc = (d.SQLGetDiagRec)(STMT, stmt, 1, null_mut(), null_mut(), null_mut(), 0, &mut len);
        assert!(rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO, "rc = {rc}");
        assert_eq!(len as usize, message.len());
        // Past the last record: SQL_NO_DATA, still no crash.
        assert_eq!(
            (d.SQLGetDiagRec)(STMT, stmt, 2, null_mut(), null_mut(), null_mut(), 0, null_mut()),
            SQL_NO_DATA
        );

        // The statement still works: the result set is intact.
        let mut cols = 0i16;
        assert_eq!((d.SQLNumResultCols)(stmt, &mut cols), SQL_SUCCESS);
        assert_eq!(cols, 1);
        assert_eq!((d.SQLFetch)(stmt), SQL_SUCCESS);

        assert_eq!((d.SQLFreeHandle)(STMT, stmt), SQL_SUCCESS);
        assert_eq!((d.SQLDisconnect)(dbc), SQL_SUCCESS);
        assert_eq!((d.SQLFreeHandle)(DBC, dbc), SQL_SUCCESS);
        assert_eq!((d.SQLFreeHandle)(ENV, env), SQL_SUCCESS);
    }
}
