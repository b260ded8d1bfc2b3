/* A bulk reader as BI tools and arrow-odbc drive one, written against the plain ODBC API so it
 * builds with either driver manager's headers: reads a query twice, once in row-wise bound
 * rowsets (SQL_ATTR_ROW_ARRAY_SIZE, SQL_ATTR_ROW_BIND_TYPE, ROWS_FETCHED_PTR, ROW_STATUS_PTR),
 * once row by row with SQLGetData, and compares every cell.
 *
 * usage: block_fetch "<connection string>" "<query of: text, the same text, timestamp, integer>"
 * The second column is read as SQL_C_WCHAR and checked against the first (UTF-8) decoded to
 * code points, so a driver writing another SQLWCHAR width than the manager's fails.
 * prints "rows=N rowsets=M mismatches=K wide=W" (W = bytes per SQLWCHAR) or "error ...". */
#include <sql.h>
#include <sqlext.h>
#include <stdio.h>
#include <string.h>

#define ROWS 50
#define TEXT 256

typedef struct {
    SQLCHAR a[TEXT];
    SQLLEN a_ind;
    SQLWCHAR b[TEXT];
    SQLLEN b_ind;
    SQL_TIMESTAMP_STRUCT c;
    SQLLEN c_ind;
    SQLINTEGER d;
    SQLLEN d_ind;
} Row;

static int diag(SQLSMALLINT type, SQLHANDLE h, const char *what) {
    SQLCHAR state[6] = {0}, msg[512] = {0};
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof msg, &len);
    printf("error %s: SQLSTATE=%s %s\n", what, state, msg);
    return 1;
}

/* Both reads use SQL_C_WCHAR, so the units compare byte for byte. */
static int same_wide(const SQLWCHAR *x, SQLLEN xl, const SQLWCHAR *y, SQLLEN yl) {
    return xl == yl && (xl < 0 || memcmp(x, y, (size_t)xl) == 0);
}

/* Whether the wide value holds exactly the code points of the UTF-8 value. */
static int wide_matches_utf8(const SQLCHAR *u, const SQLWCHAR *w, SQLLEN w_bytes) {
    size_t k = 0, units = (size_t)w_bytes / sizeof(SQLWCHAR);
    while (*u) {
        unsigned long cp = *u++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        cp &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
        while (more-- > 0 && *u) cp = (cp << 6) | (*u++ & 0x3F);
        if (sizeof(SQLWCHAR) == 2 && cp > 0xFFFF) {
            unsigned long v = cp - 0x10000;
            if (k + 1 >= units || w[k] != 0xD800 + (v >> 10) || w[k + 1] != 0xDC00 + (v & 0x3FF)) return 0;
            k += 2;
        } else if (k >= units || w[k++] != cp) {
            return 0;
        }
    }
    return k == units;
}

int main(int argc, char **argv) {
    SQLHENV env;
    SQLHDBC dbc;
    SQLHSTMT st;
    static Row rows[ROWS];
    SQLULEN fetched = 0;
    SQLUSMALLINT status[ROWS];
    static Row ref[5000];
    long n_ref = 0, n = 0, rowsets = 0, mismatches = 0;
    SQLRETURN rc;

    if (argc != 3) {
        printf("usage: block_fetch CONNSTR QUERY\n");
        return 2;
    }
    SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
    SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS, NULL, 0, NULL, SQL_DRIVER_NOPROMPT);
    if (!SQL_SUCCEEDED(rc)) return diag(SQL_HANDLE_DBC, dbc, "connect");
    SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);

    /* Reference: one row at a time through SQLGetData. */
    if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)argv[2], SQL_NTS))) return diag(SQL_HANDLE_STMT, st, "execute");
    while (SQL_SUCCEEDED(rc = SQLFetch(st)) && n_ref < 5000) {
        Row *r = &ref[n_ref++];
        SQLGetData(st, 1, SQL_C_CHAR, r->a, sizeof r->a, &r->a_ind);
        SQLGetData(st, 2, SQL_C_WCHAR, r->b, sizeof r->b, &r->b_ind);
        SQLGetData(st, 3, SQL_C_TYPE_TIMESTAMP, &r->c, sizeof r->c, &r->c_ind);
        SQLGetData(st, 4, SQL_C_SLONG, &r->d, sizeof r->d, &r->d_ind);
    }
    if (rc != SQL_NO_DATA) return diag(SQL_HANDLE_STMT, st, "fetch (reference)");
    SQLCloseCursor(st);

    /* Bulk: row-wise bound rowsets of ROWS rows. */
    SQLSetStmtAttr(st, SQL_ATTR_ROW_BIND_TYPE, (SQLPOINTER)sizeof(Row), 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)ROWS, 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
    SQLSetStmtAttr(st, SQL_ATTR_ROW_STATUS_PTR, status, 0);
    SQLBindCol(st, 1, SQL_C_CHAR, rows[0].a, sizeof rows[0].a, &rows[0].a_ind);
    SQLBindCol(st, 2, SQL_C_WCHAR, rows[0].b, sizeof rows[0].b, &rows[0].b_ind);
    SQLBindCol(st, 3, SQL_C_TYPE_TIMESTAMP, &rows[0].c, sizeof rows[0].c, &rows[0].c_ind);
    SQLBindCol(st, 4, SQL_C_SLONG, &rows[0].d, sizeof rows[0].d, &rows[0].d_ind);
    if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)argv[2], SQL_NTS))) return diag(SQL_HANDLE_STMT, st, "execute (bulk)");
    while (SQL_SUCCEEDED(rc = SQLFetch(st))) {
        rowsets++;
        for (SQLULEN i = 0; i < fetched; i++, n++) {
            Row *r = &rows[i], *e = n < n_ref ? &ref[n] : NULL;
            int ok = e && status[i] == SQL_ROW_SUCCESS && (r->a_ind < 0 || wide_matches_utf8(r->a, r->b, r->b_ind)) && r->a_ind == e->a_ind && strcmp((char *)r->a, (char *)e->a) == 0 &&
                     same_wide(r->b, r->b_ind, e->b, e->b_ind) && r->c_ind == e->c_ind &&
                     memcmp(&r->c, &e->c, sizeof r->c) == 0 && r->d_ind == e->d_ind && r->d == e->d;
            if (!ok) mismatches++;
        }
        if (fetched < ROWS && status[fetched] != SQL_ROW_NOROW) mismatches++;
    }
    if (rc != SQL_NO_DATA) return diag(SQL_HANDLE_STMT, st, "fetch (bulk)");
    printf("rows=%ld rowsets=%ld mismatches=%ld reference=%ld wide=%d\n", n, rowsets, mismatches, n_ref, (int)sizeof(SQLWCHAR));
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    return 0;
}
