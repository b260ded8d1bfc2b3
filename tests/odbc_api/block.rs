//! Block cursors through raw ODBC calls (as arrow-odbc, turbodbc and Tableau bind): row-wise
//! and column-wise binding with bind offsets, row counts and statuses, per-row errors,
//! SQLExtendedFetch, SQL_ATTR_MAX_ROWS, and the descriptor functions. Values are checked
//! against a SQLGetData read of the same query.

use crate::common::*;
use std::ffi::c_void;
use std::mem::size_of;

type H = *mut c_void;

// Declared here with plain integer types: odbc-sys's enums cannot carry every field id.
#[link(name = "odbc")]
extern "C" {
    fn SQLExecDirect(h: H, sql: *const u8, len: i32) -> i16;
    fn SQLPrepare(h: H, sql: *const u8, len: i32) -> i16;
    fn SQLExecute(h: H) -> i16;
    fn SQLFetch(h: H) -> i16;
    fn SQLExtendedFetch(h: H, orientation: u16, offset: isize, rows: *mut usize, status: *mut u16) -> i16;
    fn SQLBindCol(h: H, col: u16, c_type: i16, buf: H, len: isize, ind: *mut isize) -> i16;
    fn SQLBindParameter(h: H, n: u16, io: i16, c: i16, sql: i16, size: usize, digits: i16, v: H, len: isize, ind: *mut isize) -> i16;
    fn SQLSetStmtAttr(h: H, attr: i32, v: H, len: i32) -> i16;
    fn SQLGetStmtAttr(h: H, attr: i32, v: H, len: i32, out: *mut i32) -> i16;
    fn SQLGetDescField(h: H, rec: i16, field: i16, v: H, len: i32, out: *mut i32) -> i16;
    fn SQLSetDescField(h: H, rec: i16, field: i16, v: H, len: i32) -> i16;
    fn SQLGetDescRec(
        h: H,
        rec: i16,
        name: *mut u8,
        len: i16,
        name_len: *mut i16,
        ty: *mut i16,
        sub: *mut i16,
        length: *mut isize,
        precision: *mut i16,
        scale: *mut i16,
        nullable: *mut i16,
    ) -> i16;
    fn SQLCopyDesc(src: H, dst: H) -> i16;
    fn SQLCloseCursor(h: H) -> i16;
    fn SQLGetDiagRec(t: i16, h: H, rec: i16, state: *mut u8, native: *mut i32, msg: *mut u8, len: i16, out: *mut i16) -> i16;
}

const OK: i16 = 0;
const INFO: i16 = 1;
const ERR: i16 = -1;
const NO_DATA: i16 = 100;
const C_CHAR: i16 = 1;
const C_WCHAR: i16 = -8;
const C_SLONG: i16 = -16;
const C_STINYINT: i16 = -26;
const C_DOUBLE: i16 = 8;
const C_BIT: i16 = -7;
const C_DATE: i16 = 91;
const C_TIMESTAMP: i16 = 93;
const C_NUMERIC: i16 = 2;
const C_DEFAULT: i16 = 99;
const ROW_BIND_TYPE: i32 = 5;
const ROWSET_SIZE: i32 = 9;
const MAX_ROWS: i32 = 1;
const ROW_BIND_OFFSET_PTR: i32 = 23;
const ROW_STATUS_PTR: i32 = 25;
const ROWS_FETCHED_PTR: i32 = 26;
const ROW_ARRAY_SIZE: i32 = 27;
const APP_ROW_DESC: i32 = 10010;
const APP_PARAM_DESC: i32 = 10011;
const IMP_ROW_DESC: i32 = 10012;
const IMP_PARAM_DESC: i32 = 10013;
const ROW_SUCCESS: u16 = 0;
const ROW_NOROW: u16 = 3;
const ROW_ERROR: u16 = 5;
const ROW_SUCCESS_WITH_INFO: u16 = 6;

/// Every commit of the workspace with one column per C type of the must-have list.
const SQL: &str = "SELECT RepositorySlug, Hash, Message, Date, CAST(Date AS DATE) AS Day, \
     CAST(LENGTH(Message) AS INT) AS Len, CAST(LENGTH(Message) AS BIGINT) AS Big, \
     CAST(LENGTH(Message) AS DOUBLE) / 4 AS Quarter, LENGTH(Message) > 30 AS Long, \
     CAST(CAST(LENGTH(Message) AS DOUBLE) / 8 AS DECIMAL(10, 3)) AS Dec \
     FROM Commits ORDER BY RepositorySlug, Hash";

/// A statement handle of `conn`, freed with it (the test process is short-lived).
fn stmt(conn: &Connection<'_>) -> H {
    conn.preallocate().expect("statement").into_handle().into_sys().0
}

fn state(h: H) -> String {
    let mut st = [0u8; 6];
    let mut msg = [0u8; 512];
    let (mut native, mut len) = (0i32, 0i16);
    let rc = unsafe { SQLGetDiagRec(3, h, 1, st.as_mut_ptr(), &mut native, msg.as_mut_ptr(), 512, &mut len) };
    assert_eq!(rc, OK, "a diagnostic record");
    String::from_utf8_lossy(&st[..5]).into_owned()
}

fn desc_state(h: H) -> String {
    let mut st = [0u8; 6];
    let mut msg = [0u8; 512];
    let (mut native, mut len) = (0i32, 0i16);
    let rc = unsafe { SQLGetDiagRec(4, h, 1, st.as_mut_ptr(), &mut native, msg.as_mut_ptr(), 512, &mut len) };
    assert_eq!(rc, OK, "a diagnostic record on the descriptor");
    String::from_utf8_lossy(&st[..5]).into_owned()
}

fn exec(h: H, sql: &str) {
    let rc = unsafe { SQLExecDirect(h, sql.as_ptr(), sql.len() as i32) };
    assert!(rc == OK || rc == INFO, "{sql}: rc {rc}, {}", state(h));
}

fn set_attr(h: H, attr: i32, v: usize) {
    assert_eq!(unsafe { SQLSetStmtAttr(h, attr, v as H, 0) }, OK, "SQLSetStmtAttr({attr})");
}

fn get_attr(h: H, attr: i32) -> usize {
    let mut v = 0usize;
    assert_eq!(
        unsafe { SQLGetStmtAttr(h, attr, &mut v as *mut usize as H, 8, std::ptr::null_mut()) },
        OK
    );
    v
}

fn desc_int(d: H, rec: i16, field: i16) -> (i16, isize) {
    let mut v = 0isize;
    let rc = unsafe { SQLGetDescField(d, rec, field, &mut v as *mut isize as H, 8, std::ptr::null_mut()) };
    (rc, v)
}

/// A SQLSMALLINT field (2 bytes written), widened.
fn desc_i16(d: H, rec: i16, field: i16) -> (i16, isize) {
    let mut v = 0i16;
    let rc = unsafe { SQLGetDescField(d, rec, field, &mut v as *mut i16 as H, 2, std::ptr::null_mut()) };
    (rc, v.into())
}

fn desc_text(d: H, rec: i16, field: i16) -> String {
    let mut buf = [0u8; 128];
    let mut len = 0i32;
    let rc = unsafe { SQLGetDescField(d, rec, field, buf.as_mut_ptr() as H, 128, &mut len) };
    assert_eq!(rc, OK);
    String::from_utf8_lossy(&buf[..len as usize]).into_owned()
}

/// (text of every cell) per row, read row by row with SQLGetData.
fn reference() -> Vec<Vec<Option<String>>> {
    let rows = query_text(&connect(), SQL);
    assert!(rows.len() > 200, "enough commits for several rowsets: {}", rows.len());
    rows
}

fn ts_text(t: &odbc_api::sys::Timestamp) -> String {
    let base = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    );
    if t.fraction == 0 {
        base
    } else {
        format!("{base}.{:06}", t.fraction / 1000)
    }
}

fn numeric_text(n: &odbc_api::sys::Numeric) -> String {
    let v = u128::from_le_bytes(n.val);
    let p = 10u128.pow(n.scale as u32);
    format!(
        "{}{}.{:0w$}",
        if n.sign == 1 { "" } else { "-" },
        v / p,
        v % p,
        w = n.scale as usize
    )
}

#[repr(C)]
#[derive(Clone, Copy)]
struct Row {
    slug: [u8; 64],
    slug_ind: isize,
    hash: [u16; 48],
    hash_ind: isize,
    msg: [u8; 24],
    msg_ind: isize,
    ts: odbc_api::sys::Timestamp,
    ts_ind: isize,
    day: odbc_api::sys::Date,
    day_ind: isize,
    len: i32,
    len_ind: isize,
    big: i64,
    big_ind: isize,
    quarter: f64,
    quarter_ind: isize,
    long: u8,
    long_ind: isize,
    dec: odbc_api::sys::Numeric,
    dec_ind: isize,
}

#[test]
fn row_wise_block_fetch_with_offset_matches_get_data() {
    let expected = reference();
    let conn = connect();
    let h = stmt(&conn);
    const N: usize = 50;
    // One spare row in front: the bind offset moves every write one row on.
    let rows: Vec<Row> = vec![unsafe { std::mem::zeroed() }; N + 1];
    let mut status = [99u16; N];
    let mut fetched = 0usize;
    let offset: isize = size_of::<Row>() as isize;
    set_attr(h, ROW_BIND_TYPE, size_of::<Row>());
    set_attr(h, ROW_ARRAY_SIZE, N);
    set_attr(h, ROWS_FETCHED_PTR, &mut fetched as *mut usize as usize);
    set_attr(h, ROW_STATUS_PTR, status.as_mut_ptr() as usize);
    set_attr(h, ROW_BIND_OFFSET_PTR, &offset as *const isize as usize);
    assert_eq!(
        get_attr(h, ROWS_FETCHED_PTR),
        &mut fetched as *mut usize as usize,
        "the pointer set is read back"
    );
    assert_eq!(get_attr(h, ROW_STATUS_PTR), status.as_ptr() as usize);
    assert_eq!(get_attr(h, ROW_BIND_OFFSET_PTR), &offset as *const isize as usize);
    let at = |p: *const u8| -> H { p as H };
    let r = &rows[0];
    let binds: [(u16, i16, *const u8, isize, *const isize); 10] = [
        (1, C_CHAR, r.slug.as_ptr(), 64, &r.slug_ind),
        (2, C_WCHAR, r.hash.as_ptr() as *const u8, 96, &r.hash_ind),
        (3, C_CHAR, r.msg.as_ptr(), 24, &r.msg_ind),
        (4, C_TIMESTAMP, &r.ts as *const _ as *const u8, 16, &r.ts_ind),
        (5, C_DATE, &r.day as *const _ as *const u8, 6, &r.day_ind),
        (6, C_SLONG, &r.len as *const _ as *const u8, 4, &r.len_ind),
        (7, C_DEFAULT, &r.big as *const _ as *const u8, 8, &r.big_ind),
        (8, C_DOUBLE, &r.quarter as *const _ as *const u8, 8, &r.quarter_ind),
        (9, C_BIT, &r.long as *const _ as *const u8, 1, &r.long_ind),
        (10, C_NUMERIC, &r.dec as *const _ as *const u8, 19, &r.dec_ind),
    ];
    for (col, ty, p, len, ind) in binds {
        let rc = unsafe { SQLBindCol(h, col, ty, at(p), len, ind as *mut isize) };
        assert_eq!(rc, OK, "SQLBindCol({col})");
    }
    exec(h, SQL);
    let mut got = Vec::new();
    let mut calls = 0;
    let mut truncated_rows = 0;
    loop {
        status = [99; N];
        let rc = unsafe { SQLFetch(h) };
        if rc == NO_DATA {
            break;
        }
        calls += 1;
        assert!(rc == OK || rc == INFO, "SQLFetch rc {rc}");
        assert!(fetched >= 1 && fetched <= N);
        assert!(rows[0].slug_ind == 0 && rows[0].len == 0, "nothing is written before the offset");
        for i in 0..N {
            let st = status[i];
            if i >= fetched {
                assert_eq!(st, ROW_NOROW, "rows past the end are SQL_ROW_NOROW");
                continue;
            }
            let x = &rows[i + 1];
            let e = &expected[got.len()];
            let text = |b: &[u8], ind: isize| String::from_utf8(b[..ind as usize].to_vec()).unwrap();
            assert_eq!(Some(text(&x.slug, x.slug_ind)), e[0]);
            let hash = String::from_utf16(&x.hash[..x.hash_ind as usize / 2]).unwrap();
            assert_eq!(Some(hash), e[1]);
            let msg = e[2].as_deref().unwrap();
            assert_eq!(x.msg_ind as usize, msg.len(), "the indicator holds the full length");
            if msg.len() > 23 {
                let nul = x.msg.iter().position(|b| *b == 0).unwrap();
                assert!(msg.as_bytes().starts_with(&x.msg[..nul]) && nul >= 20, "a truncated prefix");
                assert_eq!(st, ROW_SUCCESS_WITH_INFO, "a truncated row says so");
                truncated_rows += 1;
            } else {
                assert_eq!(text(&x.msg, x.msg_ind), msg);
                assert_eq!(st, ROW_SUCCESS);
            }
            assert_eq!(Some(ts_text(&x.ts)), e[3]);
            assert_eq!(Some(format!("{:04}-{:02}-{:02}", x.day.year, x.day.month, x.day.day)), e[4]);
            assert_eq!(Some(x.len.to_string()), e[5]);
            assert_eq!(x.big_ind, 8, "SQL_C_DEFAULT of BIGINT is SQL_C_SBIGINT");
            assert_eq!(Some(x.big.to_string()), e[6]);
            assert_eq!(x.quarter, e[7].as_deref().unwrap().parse::<f64>().unwrap());
            assert_eq!(Some(x.long.to_string()), e[8]);
            assert_eq!((x.dec.precision, x.dec.scale), (38, 3));
            assert_eq!(Some(numeric_text(&x.dec)), e[9]);
            got.push(());
        }
    }
    assert_eq!(got.len(), expected.len());
    assert_eq!(calls, expected.len().div_ceil(N), "one SQLFetch per rowset");
    assert!(truncated_rows > 0, "some messages are longer than 23 bytes");
}

#[test]
fn column_wise_block_fetch_and_max_rows() {
    let expected = reference();
    let conn = connect();
    let h = stmt(&conn);
    const N: usize = 64;
    let mut hash = vec![0u8; 41 * N];
    let mut hash_ind = [0isize; N];
    let mut len = [0i32; N];
    let mut len_ind = [0isize; N];
    let mut ts = vec![odbc_api::sys::Timestamp::default(); N];
    let mut fetched = 0usize;
    set_attr(h, ROW_ARRAY_SIZE, N);
    set_attr(h, ROWS_FETCHED_PTR, &mut fetched as *mut usize as usize);
    unsafe {
        assert_eq!(SQLBindCol(h, 2, C_CHAR, hash.as_mut_ptr() as H, 41, hash_ind.as_mut_ptr()), OK);
        assert_eq!(SQLBindCol(h, 6, C_SLONG, len.as_mut_ptr() as H, 0, len_ind.as_mut_ptr()), OK);
        assert_eq!(SQLBindCol(h, 4, C_TIMESTAMP, ts.as_mut_ptr() as H, 0, std::ptr::null_mut()), OK);
    }
    exec(h, SQL);
    let mut n = 0;
    while unsafe { SQLFetch(h) } != NO_DATA {
        for i in 0..fetched {
            let e = &expected[n];
            assert_eq!(hash_ind[i], 40);
            assert_eq!(Some(String::from_utf8(hash[41 * i..41 * i + 40].to_vec()).unwrap()), e[1]);
            assert_eq!((Some(len[i].to_string()), len_ind[i]), (e[5].clone(), 4));
            assert_eq!(Some(ts_text(&ts[i])), e[3]);
            n += 1;
        }
    }
    assert_eq!(n, expected.len());

    // SQL_ATTR_MAX_ROWS set after SQLPrepare still caps what the fetches return.
    assert_eq!(unsafe { SQLCloseCursor(h) }, OK);
    assert_eq!(unsafe { SQLPrepare(h, SQL.as_ptr(), SQL.len() as i32) }, OK);
    set_attr(h, MAX_ROWS, 7);
    assert_eq!(unsafe { SQLExecute(h) }, OK);
    assert_eq!(unsafe { SQLFetch(h) }, OK);
    assert_eq!(fetched, 7);
    assert_eq!(unsafe { SQLFetch(h) }, NO_DATA);
}

#[test]
fn row_errors_in_a_block_mark_the_row() {
    let conn = connect();
    let h = stmt(&conn);
    let mut v = [0i8; 4];
    let mut ind = [0isize; 4];
    let mut status = [99u16; 4];
    let mut fetched = 0usize;
    set_attr(h, ROW_ARRAY_SIZE, 4);
    set_attr(h, ROW_STATUS_PTR, status.as_mut_ptr() as usize);
    set_attr(h, ROWS_FETCHED_PTR, &mut fetched as *mut usize as usize);
    unsafe { SQLBindCol(h, 1, C_STINYINT, v.as_mut_ptr() as H, 1, ind.as_mut_ptr()) };
    exec(h, "SELECT x FROM (VALUES (1, 1), (300, 2), (-5, 3)) AS t(x, o) ORDER BY o");
    // ODBC 3: a row that fails is marked SQL_ROW_ERROR and the rowset still returns.
    assert_eq!(unsafe { SQLFetch(h) }, INFO);
    assert_eq!(fetched, 3);
    assert_eq!(status, [ROW_SUCCESS, ROW_ERROR, ROW_SUCCESS, ROW_NOROW]);
    assert_eq!((v[0], v[2]), (1, -5));
    assert_eq!(state(h), "22003");

    unsafe { SQLCloseCursor(h) };
    let mut l = [0i32; 4];
    unsafe { SQLBindCol(h, 1, C_SLONG, l.as_mut_ptr() as H, 4, ind.as_mut_ptr()) };
    exec(h, "SELECT s FROM (VALUES ('12', 1), ('x', 2)) AS t(s, o) ORDER BY o");
    assert_eq!(unsafe { SQLFetch(h) }, INFO);
    assert_eq!(&status[..3], &[ROW_SUCCESS, ROW_ERROR, ROW_NOROW]);
    assert_eq!(l[0], 12);
    assert_eq!(state(h), "22018");

    // A single-row fetch fails as a whole: 07006 for a date read as an integer.
    unsafe { SQLCloseCursor(h) };
    set_attr(h, ROW_ARRAY_SIZE, 1);
    exec(h, "SELECT CAST('2024-01-02' AS DATE)");
    assert_eq!(unsafe { SQLFetch(h) }, ERR);
    assert_eq!(state(h), "07006");
}

#[test]
fn extended_fetch_reads_rowsets_of_rowset_size() {
    let expected = reference();
    let conn = connect();
    let h = stmt(&conn);
    const N: usize = 30;
    let mut hash = vec![0u8; 41 * N];
    let mut ind = [0isize; N];
    set_attr(h, ROWSET_SIZE, N);
    assert_eq!(
        get_attr(h, ROW_ARRAY_SIZE),
        1,
        "SQL_ROWSET_SIZE is apart from SQL_ATTR_ROW_ARRAY_SIZE"
    );
    unsafe { SQLBindCol(h, 2, C_CHAR, hash.as_mut_ptr() as H, 41, ind.as_mut_ptr()) };
    exec(h, SQL);
    let mut n = 0;
    let mut calls = 0;
    loop {
        let mut rows = 0usize;
        let mut status = [99u16; N];
        let rc = unsafe { SQLExtendedFetch(h, 1, 0, &mut rows, status.as_mut_ptr()) };
        if rc == NO_DATA {
            break;
        }
        assert_eq!(rc, OK);
        calls += 1;
        for i in 0..N {
            if i >= rows {
                assert_eq!(status[i], ROW_NOROW);
                continue;
            }
            assert_eq!(status[i], ROW_SUCCESS);
            assert_eq!(Some(String::from_utf8(hash[41 * i..41 * i + 40].to_vec()).unwrap()), expected[n][1]);
            n += 1;
        }
    }
    assert_eq!((n, calls), (expected.len(), expected.len().div_ceil(N)));
    unsafe { SQLCloseCursor(h) };
    exec(h, SQL);
    let (mut rows, mut status) = (0usize, [0u16; N]);
    assert_eq!(
        unsafe { SQLExtendedFetch(h, 4, 0, &mut rows, status.as_mut_ptr()) },
        ERR,
        "SQL_FETCH_PRIOR"
    );
    assert_eq!(state(h), "HY106");
}

const COUNT: i16 = 1001;
const TYPE: i16 = 1002;
const CONCISE_TYPE: i16 = 2;
const DATA_PTR: i16 = 1010;
const INDICATOR_PTR: i16 = 1009;
const PRECISION: i16 = 1005;
const SCALE: i16 = 1006;
const ARRAY_SIZE: i16 = 20;
const BIND_TYPE: i16 = 25;
const ROWS_PROCESSED_PTR: i16 = 34;
const NAME: i16 = 1011;
const NULLABLE: i16 = 1008;
const OCTET_LENGTH: i16 = 1013;

#[test]
fn descriptor_fields_mirror_bindings_and_attributes() {
    let conn = connect();
    let h = stmt(&conn);
    let (ard, ird) = (get_attr(h, APP_ROW_DESC) as H, get_attr(h, IMP_ROW_DESC) as H);
    let mut x = 0i32;
    let mut ind = 0isize;
    unsafe { SQLBindCol(h, 2, C_SLONG, &mut x as *mut i32 as H, 4, &mut ind) };
    // SQLBindCol wrote the ARD record.
    assert_eq!(desc_i16(ard, 0, COUNT), (OK, 2));
    assert_eq!(desc_i16(ard, 2, CONCISE_TYPE), (OK, C_SLONG as isize));
    assert_eq!(desc_int(ard, 2, DATA_PTR), (OK, &mut x as *mut i32 as isize));
    assert_eq!(desc_int(ard, 2, INDICATOR_PTR), (OK, &mut ind as *mut isize as isize));
    assert_eq!(desc_i16(ard, 1, CONCISE_TYPE), (OK, C_DEFAULT as isize));
    assert_eq!(desc_i16(ard, 3, CONCISE_TYPE).0, NO_DATA, "past SQL_DESC_COUNT");
    // Header fields are the statement attributes.
    assert_eq!(unsafe { SQLSetDescField(ard, 0, ARRAY_SIZE, 7 as H, 0) }, OK);
    assert_eq!(get_attr(h, ROW_ARRAY_SIZE), 7);
    set_attr(h, ROW_BIND_TYPE, 24);
    assert_eq!(desc_int(ard, 0, BIND_TYPE), (OK, 24));
    set_attr(h, ROW_ARRAY_SIZE, 1);
    set_attr(h, ROW_BIND_TYPE, 0);
    // Unbinding the highest column lowers the count.
    unsafe { SQLBindCol(h, 2, C_SLONG, std::ptr::null_mut(), 0, std::ptr::null_mut()) };
    assert_eq!(desc_i16(ard, 0, COUNT), (OK, 0));

    // The IRD answers from the prepared plan, read-only.
    let sql = "SELECT Slug, CAST(12.345 AS DECIMAL(10, 3)) AS Amount, CreatedOn FROM Repositories ORDER BY Slug";
    assert_eq!(unsafe { SQLPrepare(h, sql.as_ptr(), sql.len() as i32) }, OK);
    assert_eq!(desc_i16(ird, 0, COUNT), (OK, 3));
    assert_eq!(desc_text(ird, 1, NAME), "Slug");
    assert_eq!(desc_i16(ird, 1, CONCISE_TYPE), (OK, -9));
    assert_eq!(desc_i16(ird, 2, CONCISE_TYPE), (OK, 3), "SQL_DECIMAL");
    assert_eq!(desc_i16(ird, 2, PRECISION), (OK, 10));
    assert_eq!(desc_i16(ird, 2, SCALE), (OK, 3));
    assert_eq!(desc_i16(ird, 3, TYPE), (OK, 9), "SQL_DATETIME");
    assert_eq!(desc_i16(ird, 3, CONCISE_TYPE), (OK, 93));
    assert_eq!(desc_int(ird, 3, OCTET_LENGTH), (OK, 16));
    assert_eq!(desc_i16(ird, 1, NULLABLE).0, OK);
    let mut name = [0u8; 32];
    let (mut nl, mut ty, mut sub, mut p, mut s, mut nu) = (0i16, 0i16, 0i16, 0i16, 0i16, 0i16);
    let mut l = 0isize;
    let rc = unsafe {
        SQLGetDescRec(
            ird,
            3,
            name.as_mut_ptr(),
            32,
            &mut nl,
            &mut ty,
            &mut sub,
            &mut l,
            &mut p,
            &mut s,
            &mut nu,
        )
    };
    assert_eq!((rc, &name[..nl as usize], ty, sub), (OK, &b"CreatedOn"[..], 9, 3));
    assert_eq!(unsafe { SQLSetDescField(ird, 1, CONCISE_TYPE, 1 as H, 0) }, ERR);
    assert_eq!(desc_state(ird), "HY016");
    assert_eq!(unsafe { SQLSetDescField(ard, 1, 9999, 1 as H, 0) }, ERR);
    assert_eq!(desc_state(ard), "HY091");
    // The IRD's ROWS_PROCESSED_PTR is SQL_ATTR_ROWS_FETCHED_PTR.
    let mut processed = 0usize;
    assert_eq!(
        unsafe { SQLSetDescField(ird, 0, ROWS_PROCESSED_PTR, &mut processed as *mut usize as H, 0) },
        OK
    );
    assert_eq!(get_attr(h, ROWS_FETCHED_PTR), &mut processed as *mut usize as usize);

    // NUMERIC through the ARD as odbc-api binds it: type, precision, scale, then the data pointer.
    let mut num = odbc_api::sys::Numeric::default();
    let mut num_ind = 0isize;
    unsafe {
        assert_eq!(SQLSetDescField(ard, 2, TYPE, C_NUMERIC as isize as H, 0), OK);
        assert_eq!(SQLSetDescField(ard, 2, PRECISION, 12 as H, 0), OK);
        assert_eq!(SQLSetDescField(ard, 2, SCALE, 4 as H, 0), OK);
        assert_eq!(SQLSetDescField(ard, 2, INDICATOR_PTR, &mut num_ind as *mut isize as H, 0), OK);
        assert_eq!(SQLSetDescField(ard, 2, DATA_PTR, &mut num as *mut _ as H, 0), OK);
        assert_eq!(SQLExecute(h), OK);
        assert_eq!(SQLFetch(h), OK);
    }
    assert_eq!((num.precision, num.scale, num.sign), (12, 4, 1));
    assert_eq!(u128::from_le_bytes(num.val), 123_450);
    assert_eq!(processed, 1);
    assert_eq!(unsafe { SQLCloseCursor(h) }, OK);

    // SQLCopyDesc: another statement fetches through a copy of this ARD.
    let h2 = stmt(&conn);
    let ard2 = get_attr(h2, APP_ROW_DESC) as H;
    assert_eq!(unsafe { SQLCopyDesc(ard, ard2) }, OK);
    assert_eq!(desc_int(ard2, 2, DATA_PTR), (OK, &mut num as *mut _ as isize));
    num = Default::default();
    exec(h2, sql);
    assert_eq!(unsafe { SQLFetch(h2) }, OK);
    assert_eq!(u128::from_le_bytes(num.val), 123_450);
    assert_eq!(unsafe { SQLCopyDesc(ard, get_attr(h2, IMP_ROW_DESC) as H) }, ERR);

    // The APD and IPD mirror SQLBindParameter.
    let mut param = 5i32;
    let mut pind = 4isize;
    unsafe { SQLBindParameter(h, 1, 1, C_SLONG, 4, 0, 0, &mut param as *mut i32 as H, 0, &mut pind) };
    let (apd, ipd) = (get_attr(h, APP_PARAM_DESC) as H, get_attr(h, IMP_PARAM_DESC) as H);
    assert_eq!(desc_i16(apd, 0, COUNT), (OK, 1));
    assert_eq!(desc_i16(apd, 1, CONCISE_TYPE), (OK, C_SLONG as isize));
    assert_eq!(desc_int(apd, 1, DATA_PTR), (OK, &mut param as *mut i32 as isize));
    assert_eq!(desc_i16(ipd, 1, CONCISE_TYPE), (OK, 4), "SQL_INTEGER");
}
