"""ODBC escapes through pyodbc: SQLNativeSql shows the rewritten statement, the function
masks of SQLGetInfo, and a Tableau-shaped query compared with the fake's REST data."""

import ctypes
import ctypes.util

import pyodbc
import pytest

from conftest import WORKSPACE


@pytest.fixture(scope="module")
def repos(fake):
    return fake.get_all(f"/repositories/{WORKSPACE}")


def native_sql(cnxn, sql: str) -> str:
    """SQLNativeSqlW on pyodbc's connection handle (pyodbc has no method for it)."""
    lib = ctypes.CDLL(ctypes.util.find_library("odbc") or "libodbc.so.2")
    fn = lib.SQLNativeSqlW
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int32)]
    fn.restype = ctypes.c_int16
    text = sql.encode("utf-16-le")
    inp = ctypes.create_string_buffer(text, len(text))
    out = ctypes.create_string_buffer(4096)
    n = ctypes.c_int32(0)
    rc = fn(cnxn.hdbc, inp, len(text) // 2, out, len(out) // 2, ctypes.byref(n))
    assert rc == 0, f"SQLNativeSqlW returned {rc}"
    return out.raw[: n.value * 2].decode("utf-16-le")


def test_native_sql_returns_the_rewritten_statement(cnxn):
    sql = (
        "SELECT {fn DAYOFWEEK(CreatedOn)}, {fn CONVERT(Size, SQL_BIGINT)} FROM {oj Repositories r "
        "LEFT OUTER JOIN Projects p ON r.ProjectKey = p.Key} WHERE CreatedOn >= {d '2020-01-01'} "
        "AND Name LIKE 'a\\_%' {escape '\\'} AND Description <> '{fn kept}'"
    )
    assert native_sql(cnxn, sql) == (
        "SELECT DAYOFWEEK(CreatedOn), CAST(Size AS BIGINT) FROM Repositories r "
        "LEFT OUTER JOIN Projects p ON r.ProjectKey = p.Key WHERE CreatedOn >= DATE '2020-01-01' "
        "AND Name LIKE 'a\\_%' ESCAPE '\\' AND Description <> '{fn kept}'"
    )
    # Plain SQL comes back as it was.
    assert native_sql(cnxn, "SELECT Slug FROM Repositories") == "SELECT Slug FROM Repositories"


def test_function_masks(cnxn):
    assert cnxn.getinfo(pyodbc.SQL_STRING_FUNCTIONS) == 0xFFFFFF
    assert cnxn.getinfo(pyodbc.SQL_NUMERIC_FUNCTIONS) == 0xFFFFFF
    assert cnxn.getinfo(pyodbc.SQL_TIMEDATE_FUNCTIONS) == 0x1FFFFF
    assert cnxn.getinfo(pyodbc.SQL_SYSTEM_FUNCTIONS) == 0x7
    assert cnxn.getinfo(pyodbc.SQL_CONVERT_FUNCTIONS) == 0x3
    assert cnxn.getinfo(pyodbc.SQL_TIMEDATE_ADD_INTERVALS) == 0x1FF
    assert cnxn.getinfo(pyodbc.SQL_TIMEDATE_DIFF_INTERVALS) == 0x1FF


def test_tableau_query_with_escapes(cnxn, repos):
    cur = cnxn.cursor()
    cur.execute(
        'SELECT {fn UCASE("Repositories"."Slug")} AS "none:Slug:nk", '
        '{fn LENGTH("Repositories"."Slug")} AS "len:Slug:ok" '
        'FROM "Repositories" "Repositories" GROUP BY 1, 2 ORDER BY 1'
    )
    assert [d[0] for d in cur.description] == ["none:Slug:nk", "len:Slug:ok"]
    want = sorted((r["slug"].upper(), len(r["slug"])) for r in repos)
    assert [tuple(r) for r in cur.fetchall()] == want
