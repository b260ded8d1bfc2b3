"""A Tableau-like session through pyodbc: connect by DSN and by DRIVER, the SQLGetInfo items
Tableau reads, SQLTables/SQLColumns/SQLGetTypeInfo, prepare-and-describe and the metadata
probes (no API request), then Tableau-shaped queries. Expected values come from the fake's
REST API, aggregated here in Python."""

import collections
import ctypes
import ctypes.util
import datetime as dt

import pyodbc
import pytest

from conftest import DSN, USER, WORKSPACE, conn_str

STATES = ["OPEN", "MERGED", "DECLINED", "SUPERSEDED"]


def utc(value):
    t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return t.astimezone(dt.timezone.utc).replace(tzinfo=None)


@pytest.fixture(scope="module")
def repos(fake):
    return fake.get_all(f"/repositories/{WORKSPACE}")


@pytest.fixture(scope="module")
def prs(fake, repos):
    """Every acme pull request, every state, as (slug, state, draft, author, comments, tasks, created)."""
    out = []
    for r in repos:
        for p in fake.get_all(f"/repositories/{WORKSPACE}/{r['slug']}/pullrequests", state=STATES, pagelen=50):
            out.append(
                dict(
                    slug=r["slug"], state=p["state"], draft=bool(p.get("draft")), author=p["author"]["uuid"],
                    comments=p["comment_count"], tasks=p["task_count"], created=utc(p["created_on"]),
                )
            )  # fmt: skip
    assert len(out) > 20
    return out


def last_seq(fake):
    return max((r["seq"] for r in fake.request_log()), default=0)


def requests_since(fake, seq):
    return [r["url"] for r in fake.request_log() if r["seq"] > seq]


def ts_text(t):
    """The text SQLGetData gives for a timestamp: ODBC canonical, fraction only when set."""
    return t.strftime("%Y-%m-%d %H:%M:%S") + (t.strftime(".%f") if t.microsecond else "")


# ---------------------------------------------------------------------------------------------
# connect and identify


@pytest.mark.parametrize("how", ["DSN", "DRIVER"])
def test_connect_and_identify(fake, repos, how):
    cs = f"DSN={DSN}" if how == "DSN" else conn_str(fake)
    c = pyodbc.connect(cs, autocommit=True, timeout=30)
    try:
        assert c.getinfo(pyodbc.SQL_DBMS_NAME) == "Bitbucket Cloud"
        assert c.getinfo(pyodbc.SQL_DATA_SOURCE_NAME) == (DSN if how == "DSN" else "")
        assert c.getinfo(pyodbc.SQL_DATABASE_NAME) == WORKSPACE
        assert c.getinfo(pyodbc.SQL_USER_NAME) == USER
        assert c.cursor().execute("SELECT COUNT(*) FROM Repositories").fetchval() == len(repos)
    finally:
        c.close()


# (constant, answer): what Tableau reads at connect time, as this driver must answer it.
TABLEAU_INFO = [
    ("SQL_DBMS_NAME", "Bitbucket Cloud"),
    ("SQL_DBMS_VER", "02.00.0000"),
    ("SQL_DRIVER_NAME", "libbitbucket_odbc.so"),
    ("SQL_DRIVER_VER", "00.01.0000"),
    ("SQL_DRIVER_ODBC_VER", "03.80"),
    ("SQL_IDENTIFIER_QUOTE_CHAR", '"'),
    ("SQL_CATALOG_NAME_SEPARATOR", "."),
    ("SQL_CATALOG_TERM", "workspace"),
    ("SQL_SCHEMA_TERM", "schema"),
    ("SQL_TABLE_TERM", "table"),
    ("SQL_SPECIAL_CHARACTERS", ""),
    ("SQL_SEARCH_PATTERN_ESCAPE", "\\"),
    ("SQL_MAX_IDENTIFIER_LEN", 128),
    ("SQL_MAX_COLUMN_NAME_LEN", 128),
    ("SQL_MAX_TABLE_NAME_LEN", 128),
    ("SQL_MAX_SCHEMA_NAME_LEN", 128),
    ("SQL_MAX_CATALOG_NAME_LEN", 128),
    ("SQL_TXN_CAPABLE", 0),
    ("SQL_CURSOR_COMMIT_BEHAVIOR", 2),
    ("SQL_SQL_CONFORMANCE", 1),
    ("SQL_CATALOG_USAGE", 1),
    ("SQL_SCHEMA_USAGE", 1),
    ("SQL_AGGREGATE_FUNCTIONS", 0x7F),
    ("SQL_STRING_FUNCTIONS", 0xFFFFFF),
    ("SQL_NUMERIC_FUNCTIONS", 0xFFFFFF),
    ("SQL_TIMEDATE_FUNCTIONS", 0x1FFFFF),
    ("SQL_TIMEDATE_ADD_INTERVALS", 0x1FF),
    ("SQL_TIMEDATE_DIFF_INTERVALS", 0x1FF),
    ("SQL_DATETIME_LITERALS", 0x7),
    ("SQL_SQL92_VALUE_EXPRESSIONS", 0xF),
    ("SQL_OJ_CAPABILITIES", 0x7F),
    ("SQL_CONVERT_FUNCTIONS", 0x3),
    ("SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1", 0x1),
]


def test_getinfo_as_tableau_reads_it(cnxn):
    wrong = []
    for name, want in TABLEAU_INFO:
        got = cnxn.getinfo(getattr(pyodbc, name))
        if got != want:
            wrong.append(f"{name}: {got!r}, want {want!r}")
    # Y/N answers (pyodbc turns them into booleans).
    assert cnxn.getinfo(pyodbc.SQL_COLUMN_ALIAS) in (True, "Y")
    assert cnxn.getinfo(pyodbc.SQL_DATA_SOURCE_READ_ONLY) in (True, "Y")
    # CONVERT to SQL_VARCHAR (0x100) and SQL_WVARCHAR (0x800000) from what Tableau converts.
    for name in ["SQL_CONVERT_BIGINT", "SQL_CONVERT_INTEGER", "SQL_CONVERT_DOUBLE", "SQL_CONVERT_DATE", "SQL_CONVERT_TIMESTAMP"]:
        if cnxn.getinfo(getattr(pyodbc, name)) & 0x800100 != 0x800100:
            wrong.append(f"{name} lacks VARCHAR/WVARCHAR")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------------------------------------
# metadata


def test_tables_columns_and_type_info_agree(cnxn):
    cur = cnxn.cursor()
    catalogs = [r.table_cat for r in cur.tables(catalog="%", schema="", table="")]
    assert WORKSPACE in catalogs
    tables = [r.table_name for r in cur.tables(catalog=WORKSPACE, schema="Information", table="Pull%", tableType="TABLE")]
    assert "PullRequests" in tables
    type_info = {r.data_type: (r.type_name, r.column_size) for r in cur.getTypeInfo()}
    cols = cur.columns(table="PullRequests", catalog=WORKSPACE, schema="Information").fetchall()
    assert [c.column_name for c in cols][:3] == ["RepositorySlug", "Id", "Title"]
    for c in cols:
        assert c.data_type in type_info, f"{c.column_name}: {c.data_type} not in SQLGetTypeInfo"
        name, size = type_info[c.data_type]
        assert c.type_name == name, c.column_name
        assert c.column_size <= size, c.column_name


def _odbc():
    lib = ctypes.CDLL(ctypes.util.find_library("odbc") or "libodbc.so.2")
    lib.SQLAllocHandle.argtypes = [ctypes.c_int16, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.SQLPrepareW.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int32]
    lib.SQLNumResultCols.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16)]
    lib.SQLDescribeColW.argtypes = [
        ctypes.c_void_p, ctypes.c_uint16, ctypes.c_void_p, ctypes.c_int16, ctypes.POINTER(ctypes.c_int16),
        ctypes.POINTER(ctypes.c_int16), ctypes.POINTER(ctypes.c_uint64), ctypes.POINTER(ctypes.c_int16),
        ctypes.POINTER(ctypes.c_int16),
    ]  # fmt: skip
    lib.SQLFreeHandle.argtypes = [ctypes.c_int16, ctypes.c_void_p]
    return lib


def prepare_and_describe(cnxn, sql):
    """SQLPrepareW then SQLNumResultCols and SQLDescribeColW, never executed: [(name, type, size)]."""
    lib = _odbc()
    stmt = ctypes.c_void_p()
    assert lib.SQLAllocHandle(3, cnxn.hdbc, ctypes.byref(stmt)) == 0
    try:
        text = sql.encode("utf-16-le")
        assert lib.SQLPrepareW(stmt, ctypes.create_string_buffer(text, len(text)), len(text) // 2) == 0
        n = ctypes.c_int16()
        assert lib.SQLNumResultCols(stmt, ctypes.byref(n)) == 0
        out = []
        for col in range(1, n.value + 1):
            name = ctypes.create_string_buffer(512)
            nlen, ty, digits, nullable = ctypes.c_int16(), ctypes.c_int16(), ctypes.c_int16(), ctypes.c_int16()
            size = ctypes.c_uint64()
            rc = lib.SQLDescribeColW(
                stmt, col, name, 256, ctypes.byref(nlen), ctypes.byref(ty), ctypes.byref(size),
                ctypes.byref(digits), ctypes.byref(nullable),
            )  # fmt: skip
            assert rc == 0
            out.append((name.raw[: nlen.value * 2].decode("utf-16-le"), ty.value, size.value))
        return out
    finally:
        lib.SQLFreeHandle(3, stmt)


def test_prepare_describe_and_probes_make_no_request(fake, cnxn):
    cur = cnxn.cursor()
    expected = [(c.column_name, c.data_type, c.column_size) for c in cur.columns(table="PullRequests", catalog=WORKSPACE, schema="Information")]
    since = last_seq(fake)
    for sql in ['SELECT * FROM "Information"."PullRequests"', 'SELECT * FROM "acme"."Information"."PullRequests"']:
        assert prepare_and_describe(cnxn, sql) == expected, sql
    names = [e[0] for e in expected]
    custom = 'SELECT "RepositorySlug", "Id", "State" FROM "PullRequests"'
    probes = [
        ('SELECT * FROM "Information"."PullRequests" WHERE 1=0', names),
        ('SELECT * FROM "Information"."PullRequests" "PullRequests" WHERE (0 = 1)', names),
        ('SELECT * FROM "Information"."PullRequests" LIMIT 0', names),
        ('SELECT TOP 0 * FROM "Information"."PullRequests"', names),
        (f'SELECT * FROM ({custom}) "Custom SQL Query" WHERE (0 = 1)', ["RepositorySlug", "Id", "State"]),
        (f"SELECT * FROM ({custom}) AS `custom_sql_query` LIMIT 0", ["RepositorySlug", "Id", "State"]),
    ]
    for sql, want in probes:
        cur.execute(sql)
        assert [d[0] for d in cur.description] == want, sql
        assert cur.fetchall() == [], sql
    assert cur.execute("SELECT 1").fetchval() == 1
    assert requests_since(fake, since) == []


# ---------------------------------------------------------------------------------------------
# Tableau-shaped queries


def rows(cur):
    return [tuple(r) for r in cur.fetchall()]


def test_aggregate_with_convert_to_varchar(cnxn, prs):
    core = [p for p in prs if p["slug"] == "core-api"]
    per_day = collections.Counter()
    for p in core:
        per_day[p["created"].strftime("%Y-%m-%d")] += p["comments"]
    cur = cnxn.cursor()
    cur.execute(
        'SELECT {fn CONVERT(CAST("PullRequests"."CreatedOn" AS DATE), SQL_VARCHAR)} AS "Day of CreatedOn", '
        'SUM({fn CONVERT("PullRequests"."CommentCount", SQL_BIGINT)}) AS "sum:CommentCount:ok" '
        'FROM "Information"."PullRequests" "PullRequests" WHERE ("PullRequests"."RepositorySlug" = \'core-api\') '
        "GROUP BY 1 ORDER BY 1"
    )
    assert [d[0] for d in cur.description] == ["Day of CreatedOn", "sum:CommentCount:ok"]
    assert rows(cur) == sorted(per_day.items())
    cur.execute(
        'SELECT {fn CONVERT("PullRequests"."CreatedOn", SQL_VARCHAR)} AS "str" FROM "PullRequests" "PullRequests" '
        "WHERE (\"PullRequests\".\"RepositorySlug\" = 'core-api') ORDER BY 1"
    )
    assert [r[0] for r in cur.fetchall()] == sorted(ts_text(p["created"]) for p in core)


def test_relative_date_filter(cnxn, prs):
    anchor = max(p["created"] for p in prs)
    inside = [p for p in prs if anchor - dt.timedelta(days=30) <= p["created"] <= anchor]
    assert 0 < len(inside) < len(prs)
    a = anchor.strftime("%Y-%m-%d %H:%M:%S.%f")
    cur = cnxn.cursor()
    cur.execute(
        'SELECT COUNT(1) AS "cnt", SUM("PullRequests"."TaskCount") AS "sum:TaskCount:ok", '
        'COUNT(DISTINCT "PullRequests"."AuthorUuid") AS "ctd:AuthorUuid:ok" FROM "PullRequests" "PullRequests" '
        f'WHERE (("PullRequests"."CreatedOn" >= {{fn TIMESTAMPADD(SQL_TSI_DAY,-30,{{ts \'{a}\'}})}}) '
        f'AND ("PullRequests"."CreatedOn" <= {{ts \'{a}\'}})) HAVING (COUNT(1) > 0)'
    )
    assert rows(cur) == [(len(inside), sum(p["tasks"] for p in inside), len({p["author"] for p in inside}))]


def test_year_quarter_grouping(cnxn, prs):
    per = collections.Counter((p["created"].year, (p["created"].month - 1) // 3 + 1) for p in prs)
    cur = cnxn.cursor()
    cur.execute(
        'SELECT {fn YEAR("PullRequests"."CreatedOn")} AS "yr:CreatedOn:ok", {fn QUARTER("PullRequests"."CreatedOn")} AS "qr:CreatedOn:ok", '
        'COUNT(1) AS "cnt:Number of Records:ok" FROM "Information"."PullRequests" "PullRequests" GROUP BY 1, 2 ORDER BY 1, 2'
    )
    assert [d[0] for d in cur.description] == ["yr:CreatedOn:ok", "qr:CreatedOn:ok", "cnt:Number of Records:ok"]
    assert rows(cur) == [(y, q, n) for (y, q), n in sorted(per.items())]


def test_top_n_join(cnxn, prs):
    count = collections.Counter(p["slug"] for p in prs)
    ranked = sorted(count.items(), key=lambda kv: -kv[1])
    n = next(n for n in range(2, len(ranked)) if ranked[n - 1][1] != ranked[n][1])
    top = {s for s, _ in ranked[:n]}
    comments = collections.Counter()
    for p in prs:
        if p["slug"] in top:
            comments[p["slug"]] += p["comments"]
    cur = cnxn.cursor()
    cur.execute(
        'SELECT "PullRequests"."RepositorySlug" AS "RepositorySlug", SUM("PullRequests"."CommentCount") AS "sum:CommentCount:ok" '
        'FROM "Information"."PullRequests" "PullRequests" INNER JOIN (SELECT "PullRequests"."RepositorySlug" AS "RepositorySlug", '
        'COUNT(1) AS "$__alias__0" FROM "Information"."PullRequests" "PullRequests" GROUP BY 1 ORDER BY 2 DESC '
        f'LIMIT {n}) "t0" ON ("PullRequests"."RepositorySlug" = "t0"."RepositorySlug") GROUP BY 1 ORDER BY 1'
    )
    assert rows(cur) == sorted(comments.items())


def test_case_distinct_and_group_by_alias(cnxn, prs):
    def bucket(s):
        return "Open" if s == "OPEN" else "Closed" if s in ("MERGED", "DECLINED") else "Other"

    count, drafts = collections.Counter(), collections.Counter()
    for p in prs:
        count[bucket(p["state"])] += 1
        drafts[bucket(p["state"])] += int(p["draft"])
    cur = cnxn.cursor()
    cur.execute(
        "SELECT (CASE WHEN (\"PullRequests\".\"State\" = 'OPEN') THEN 'Open' WHEN (\"PullRequests\".\"State\" IN ('MERGED', 'DECLINED')) "
        "THEN 'Closed' ELSE 'Other' END) AS \"State (group)\", COUNT(1) AS \"cnt\", "
        'SUM((CASE WHEN "PullRequests"."Draft" THEN 1 WHEN NOT "PullRequests"."Draft" THEN 0 ELSE NULL END)) AS "sum:Draft:ok" '
        'FROM "PullRequests" "PullRequests" GROUP BY "State (group)" ORDER BY 1'
    )
    assert [d[0] for d in cur.description] == ["State (group)", "cnt", "sum:Draft:ok"]
    assert rows(cur) == [(k, count[k], drafts[k]) for k in sorted(count)]
    cur.execute('SELECT DISTINCT "PullRequests"."State" AS "none:State:nk" FROM "PullRequests" "PullRequests" ORDER BY 1')
    assert [r[0] for r in cur.fetchall()] == sorted({p["state"] for p in prs})


def test_constant_group_having_and_custom_sql(cnxn, prs):
    cur = cnxn.cursor()
    cur.execute(
        'SELECT MIN("PullRequests"."CreatedOn") AS "x_measure__0", MAX("PullRequests"."CreatedOn") AS "x_measure__1" '
        'FROM "PullRequests" "PullRequests" GROUP BY 1.1000000000000001'
    )
    assert rows(cur) == [(min(p["created"] for p in prs), max(p["created"] for p in prs))]
    cur.execute(
        'SELECT SUM("Custom SQL Query"."CommentCount") AS "sum:CommentCount:ok" '
        'FROM (SELECT RepositorySlug, CommentCount FROM PullRequests) "Custom SQL Query" HAVING (COUNT(1) > 0)'
    )
    assert rows(cur) == [(sum(p["comments"] for p in prs),)]
    cur.execute(
        'SELECT SUM("Custom SQL Query"."CommentCount") AS "s" FROM (SELECT CommentCount FROM PullRequests WHERE (1 = 0)) '
        '"Custom SQL Query" HAVING (COUNT(1) > 0)'
    )
    assert rows(cur) == []


def test_date_literals_and_null_safe_join(cnxn, prs, repos):
    lo, hi = min(p["created"] for p in prs), max(p["created"] for p in prs)
    mid = lo + (hi - lo) / 2
    until = mid + dt.timedelta(days=20)
    n = sum(1 for p in prs if p["created"].date() >= mid.date() and p["created"] < until)
    cur = cnxn.cursor()
    cur.execute(
        'SELECT COUNT(1) AS "n" FROM "PullRequests" "PullRequests" '
        f"WHERE ((CAST(\"PullRequests\".\"CreatedOn\" AS DATE) >= {{d '{mid:%Y-%m-%d}'}}) "
        f"AND (\"PullRequests\".\"CreatedOn\" < {{ts '{until:%Y-%m-%d %H:%M:%S.%f}'}}))"
    )
    assert cur.fetchval() == n

    size = collections.Counter()
    for r in repos:
        size[(r.get("parent") is None, r["is_private"])] += r["size"]
    cur.execute(
        'SELECT "Repositories"."Slug" AS "Slug", "t0"."x_measure__0" AS "Calculation_845269395859349504" '
        'FROM "Repositories" "Repositories" INNER JOIN (SELECT "Repositories"."ParentFullName" IS NULL AS "not_fork", '
        '"Repositories"."IsPrivate" AS "IsPrivate", SUM("Repositories"."Size") AS "x_measure__0" FROM "Repositories" "Repositories" '
        'GROUP BY 1, 2) "t0" ON ((("Repositories"."ParentFullName" IS NULL) IS NOT DISTINCT FROM "t0"."not_fork") '
        'AND ("Repositories"."IsPrivate" IS NOT DISTINCT FROM "t0"."IsPrivate")) ORDER BY 1'
    )
    assert rows(cur) == sorted((r["slug"], size[(r.get("parent") is None, r["is_private"])]) for r in repos)
