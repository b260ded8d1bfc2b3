"""pyodbc against the Bitbucket ODBC driver and the fake Bitbucket server (seed 42, small).

Expected values are read from the fake's own REST API, so these tests compare what the
driver returns with what the server holds rather than with hard-coded copies.
"""

import datetime as dt

import pyodbc
import pytest

from conftest import DSN, TOKEN, USER, WORKSPACE, conn_str, free_port

PREFIX = "[Bitbucket ODBC]"

# Contract section 4: required columns of Repositories, in declaration order.
REPOSITORY_COLUMNS = [
    "Uuid", "Slug", "FullName", "Name", "Description", "ProjectKey", "ProjectName", "IsPrivate",
    "ForkPolicy", "Language", "Size", "MainBranch", "HasIssues", "HasWiki", "ParentFullName",
    "CreatedOn", "UpdatedOn",
]  # fmt: skip
BOOL_COLUMNS = {"IsPrivate", "HasIssues", "HasWiki"}
TS_COLUMNS = {"CreatedOn", "UpdatedOn"}
BIGINT_COLUMNS = {"Size"}

SQL_WVARCHAR, SQL_BIT, SQL_BIGINT, SQL_TYPE_TIMESTAMP = -9, -7, -5, 93


# ---------------------------------------------------------------------------------------------
# helpers


def utc(value):
    """An API timestamp (ISO 8601 with offset) as the naive UTC datetime ODBC returns."""
    if value is None:
        return None
    t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if t.tzinfo is not None:
        t = t.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return t


def dig(obj, path):
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def expected_repository(r):
    """One repository JSON object as the driver's Repositories row (contract 4)."""
    return (
        r["uuid"], r["slug"], r["full_name"], r["name"], r.get("description"),
        dig(r, "project.key"), dig(r, "project.name"), r["is_private"], r.get("fork_policy"),
        r.get("language"), r.get("size"), dig(r, "mainbranch.name"), r.get("has_issues"),
        r.get("has_wiki"), dig(r, "parent.full_name"), utc(r.get("created_on")),
        utc(r.get("updated_on")),
    )  # fmt: skip


def expected_user(m):
    u = m["user"]
    return (u["uuid"], u.get("account_id"), u.get("display_name"), u.get("nickname"), None)


def odbc_error(excinfo):
    """(SQLSTATE, message) of a pyodbc error."""
    args = excinfo.value.args
    assert len(args) >= 2, args
    return args[0], args[1]


def assert_driver_error(excinfo, state):
    got_state, msg = odbc_error(excinfo)
    assert got_state == state, msg
    assert PREFIX in msg, msg
    return msg


def fetch(cnxn, sql):
    cur = cnxn.cursor()
    cur.execute(sql)
    rows = [tuple(r) for r in cur.fetchall()]
    desc = cur.description
    cur.close()
    return desc, rows


def set_narrow(cnxn):
    """Every character column fetched as SQL_C_CHAR, decoded from UTF-8."""
    cnxn.setdecoding(pyodbc.SQL_CHAR, encoding="utf-8")
    cnxn.setdecoding(pyodbc.SQL_WCHAR, encoding="utf-8")


@pytest.fixture(scope="module")
def repos(fake):
    values = fake.get_all(f"/repositories/{WORKSPACE}")
    assert len(values) == 12, "seed-42 small dataset: acme has 12 repositories"
    return values


@pytest.fixture(scope="module")
def members(fake):
    return fake.get_all(f"/workspaces/{WORKSPACE}/members")


# ---------------------------------------------------------------------------------------------
# connecting


def test_connect_by_dsn(fake):
    c = pyodbc.connect(f"DSN={DSN}", autocommit=True)
    try:
        assert c.getinfo(pyodbc.SQL_DATA_SOURCE_NAME) == DSN
        assert c.getinfo(pyodbc.SQL_DATABASE_NAME) == WORKSPACE
        cur = c.cursor()
        cur.execute("SELECT COUNT(*) FROM Repositories")
        assert cur.fetchone()[0] == 12
    finally:
        c.close()


def test_connect_by_connection_string(fake):
    c = pyodbc.connect(conn_str(fake), autocommit=True)
    try:
        cur = c.cursor()
        cur.execute("SELECT Slug FROM Repositories ORDER BY Slug")
        slugs = [r[0] for r in cur.fetchall()]
        assert len(slugs) == 12
        assert "cafe-unicode" in slugs and "rocket-launcher" in slugs and "empty-repo" in slugs
    finally:
        c.close()


def test_connection_string_overrides_dsn(fake):
    expected = sorted(r["slug"] for r in fake.get_all("/repositories/globex"))
    assert len(expected) == 5
    c = pyodbc.connect(f"DSN={DSN};Workspace=globex", autocommit=True)
    try:
        _, rows = fetch(c, "SELECT Slug FROM Repositories ORDER BY Slug")
        assert [r[0] for r in rows] == expected
    finally:
        c.close()


def test_connect_with_uid_pwd_synonyms(fake):
    s = conn_str(fake, User="", Password="").replace("User=;", "").replace("Password=;", "")
    c = pyodbc.connect(s + f"UID={USER};PWD={TOKEN};", autocommit=True)
    try:
        _, rows = fetch(c, "SELECT COUNT(*) FROM Projects")
        assert rows == [(len(fake.get_all(f"/workspaces/{WORKSPACE}/projects")),)]
    finally:
        c.close()


# ---------------------------------------------------------------------------------------------
# result metadata and data


def test_description_names_and_type_codes(cnxn):
    cur = cnxn.cursor()
    cur.execute("SELECT Slug, Name, Size, IsPrivate, CreatedOn FROM Repositories")
    d = cur.description
    assert [c[0] for c in d] == ["Slug", "Name", "Size", "IsPrivate", "CreatedOn"]
    assert [c[1] for c in d] == [str, str, int, bool, dt.datetime]
    # null_ok: Slug is the key (NOT NULL); the others may be NULL.
    assert [c[6] for c in d] == [False, True, True, True, True]
    # CreatedOn is a timestamp with microseconds: scale 6.
    assert d[4][5] == 6
    cur.fetchall()


def test_fetchall_equals_server_data(cnxn, repos):
    cur = cnxn.cursor()
    cur.execute("SELECT Slug, Name, Size, IsPrivate, CreatedOn FROM Repositories")
    got = [tuple(r) for r in cur.fetchall()]
    expected = [(r["slug"], r["name"], r["size"], r["is_private"], utc(r["created_on"])) for r in repos]
    # No ORDER BY: the driver streams the API's order.
    assert got == expected
    for row in got:
        assert type(row[2]) is int and type(row[3]) is bool and type(row[4]) is dt.datetime


def test_select_star_equals_server_data(cnxn, repos):
    desc, rows = fetch(cnxn, "SELECT * FROM Repositories ORDER BY Slug")
    names = [c[0] for c in desc]
    assert names[: len(REPOSITORY_COLUMNS)] == REPOSITORY_COLUMNS
    got = [row[: len(REPOSITORY_COLUMNS)] for row in rows]
    expected = sorted((expected_repository(r) for r in repos), key=lambda t: t[1])
    assert got == expected


def test_users_equal_server_data(cnxn, members):
    desc, rows = fetch(cnxn, "SELECT Uuid, AccountId, DisplayName, Nickname, Email FROM Users ORDER BY Uuid")
    assert [c[0] for c in desc] == ["Uuid", "AccountId", "DisplayName", "Nickname", "Email"]
    assert rows == sorted(expected_user(m) for m in members)


def test_projects_equal_server_data(cnxn, fake):
    projects = fake.get_all(f"/workspaces/{WORKSPACE}/projects")
    _, rows = fetch(cnxn, "SELECT Key, Name, IsPrivate, CreatedOn FROM Projects ORDER BY Key")
    assert rows == sorted((p["key"], p["name"], p["is_private"], utc(p["created_on"])) for p in projects)
    assert {r[0] for r in rows} >= {"CORE", "WEB", "DATA", "OPS", "LAB"}


def test_workspaces_equal_server_data(cnxn, fake):
    memberships = fake.get_all("/user/workspaces")
    _, rows = fetch(cnxn, "SELECT Slug, IsAdministrator FROM Workspaces ORDER BY Slug")
    assert rows == sorted((m["workspace"]["slug"], m["administrator"]) for m in memberships)
    assert [r[0] for r in rows] == ["acme", "globex"]


def test_fetchmany_pages(cnxn, repos):
    cur = cnxn.cursor()
    cur.execute("SELECT Slug FROM Repositories ORDER BY Slug")
    pages = []
    while True:
        page = cur.fetchmany(5)
        if not page:
            break
        pages.append([r[0] for r in page])
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [s for p in pages for s in p] == sorted(r["slug"] for r in repos)
    assert cur.fetchone() is None
    assert cur.fetchmany(5) == []


def test_fetchone_then_fetchall(cnxn, repos):
    cur = cnxn.cursor()
    cur.execute("SELECT Slug FROM Repositories ORDER BY Slug")
    first = cur.fetchone()
    rest = cur.fetchall()
    assert [first[0]] + [r[0] for r in rest] == sorted(r["slug"] for r in repos)


def test_cursor_reuse_closes_previous_result(cnxn, members):
    cur = cnxn.cursor()
    cur.execute("SELECT Slug FROM Repositories")
    cur.fetchone()  # leave the result half read
    cur.execute("SELECT COUNT(*) FROM Users")
    assert cur.fetchone()[0] == len(members)


# ---------------------------------------------------------------------------------------------
# unicode, NULLs, timestamps


def test_unicode_values_round_trip(cnxn, repos, members):
    by_slug = {r["slug"]: r for r in repos}
    _, rows = fetch(cnxn, "SELECT Slug, Name, Description FROM Repositories")
    got = {r[0]: r for r in rows}
    assert got["cafe-unicode"][1] == "Café Ünïcödé" == by_slug["cafe-unicode"]["name"]
    assert "🚀" in got["rocket-launcher"][2]
    assert got["rocket-launcher"][2] == by_slug["rocket-launcher"]["description"]
    for slug, r in by_slug.items():
        assert got[slug][1:] == (r["name"], r.get("description")), slug

    _, users = fetch(cnxn, "SELECT DisplayName FROM Users")
    names = [u[0] for u in users]
    assert "Zoë Ñúñez 🎸" in names
    assert sorted(names) == sorted(m["user"]["display_name"] for m in members)


def test_unicode_in_sql_text(cnxn):
    # Non-ASCII literals travel through SQLExecDirectW and come back unchanged.
    _, rows = fetch(cnxn, "SELECT Slug FROM Repositories WHERE Name = 'Café Ünïcödé'")
    assert rows == [("cafe-unicode",)]
    _, rows = fetch(cnxn, "SELECT COUNT(*) FROM Users WHERE DisplayName = 'Zoë Ñúñez 🎸'")
    assert rows == [(1,)]
    text = "Zoë Ñúñez 🎸 — Café Ünïcödé 🚀 日本語"
    _, rows = fetch(cnxn, f"SELECT '{text}' AS v, character_length('{text}') AS n")
    assert rows == [(text, len(text))]


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_long_unicode_value_read_in_pieces(cnxn, narrow):
    # Longer than pyodbc's first SQLGetData buffer: read piecewise, never split inside a
    # character (UTF-8 sequence or UTF-16 surrogate pair).
    if narrow:
        set_narrow(cnxn)
    _, rows = fetch(cnxn, "SELECT repeat('aé🚀', 3001) AS v")
    assert rows == [("aé🚀" * 3001,)]


def test_nulls_are_none(cnxn, repos, members):
    _, rows = fetch(cnxn, "SELECT Slug, MainBranch, ParentFullName FROM Repositories ORDER BY Slug")
    got = {r[0]: r for r in rows}
    assert got["empty-repo"][1] is None
    empty = next(r for r in repos if r["slug"] == "empty-repo")
    assert dig(empty, "mainbranch.name") is None  # the server agrees: no main branch
    for r in repos:
        assert got[r["slug"]][2] == dig(r, "parent.full_name")
    assert any(r[2] is None for r in rows) and any(r[2] is not None for r in rows)

    _, emails = fetch(cnxn, "SELECT Email FROM Users")
    assert len(emails) == len(members) and all(e[0] is None for e in emails)

    _, rows = fetch(
        cnxn,
        "SELECT CAST(NULL AS VARCHAR) AS s, CAST(NULL AS INT) AS i, CAST(NULL AS BIGINT) AS b, "
        "CAST(NULL AS BOOLEAN) AS t, CAST(NULL AS TIMESTAMP) AS ts, CAST(NULL AS DOUBLE) AS d",
    )
    assert rows == [(None,) * 6]


def test_timestamps_are_datetimes_with_microseconds(cnxn, repos):
    _, rows = fetch(cnxn, "SELECT Slug, CreatedOn, UpdatedOn FROM Repositories")
    got = {r[0]: r[1:] for r in rows}
    fractional = 0
    for r in repos:
        created, updated = got[r["slug"]]
        assert isinstance(created, dt.datetime) and created.tzinfo is None
        assert created == utc(r["created_on"]), r["slug"]
        assert updated == utc(r["updated_on"]), r["slug"]
        fractional += created.microsecond != 0
    assert fractional > 0, "the dataset has sub-second timestamps; they must survive"
    core = got["core-api"][0]
    assert core == dt.datetime(2019, 3, 14, 9, 26, 53, 589793)


# ---------------------------------------------------------------------------------------------
# catalog functions


def test_tables_lists_the_tables(cnxn):
    rows = cnxn.cursor().tables().fetchall()
    by_name = {r.table_name: r for r in rows}
    for name in ["Workspaces", "Projects", "Repositories", "Users"]:
        assert name in by_name, name
        r = by_name[name]
        assert r.table_type == "TABLE"
        assert r.table_cat == WORKSPACE
        assert r.table_schem == "Information"
        assert r.remarks, f"{name} has no REMARKS"


def test_tables_filters(cnxn):
    cur = cnxn.cursor()
    rows = cur.tables(table="Repositories").fetchall()
    assert [(r.table_name, r.table_type) for r in rows] == [("Repositories", "TABLE")]
    rows = cur.tables(table="Repo%", tableType="TABLE").fetchall()
    assert [r.table_name for r in rows] == ["Repositories", "RepositoryPermissions"]
    assert cur.tables(tableType="VIEW").fetchall() == []
    assert cur.tables(table="NoSuchTable").fetchall() == []


def test_columns_of_repositories(cnxn):
    rows = cnxn.cursor().columns(table="Repositories").fetchall()
    names = [r.column_name for r in rows]
    # Contract columns in contract order (added columns may follow or sit between them).
    it = iter(names)
    assert all(c in it for c in REPOSITORY_COLUMNS), names
    assert [r.ordinal_position for r in rows] == list(range(1, len(rows) + 1))
    by_name = {r.column_name: r for r in rows}
    for name in REPOSITORY_COLUMNS:
        r = by_name[name]
        assert r.table_name == "Repositories" and r.table_cat == WORKSPACE and r.table_schem == "Information"
        assert r.remarks, f"{name} has no REMARKS"
        assert r.type_name, f"{name} has no TYPE_NAME"
        if name in BOOL_COLUMNS:
            assert (r.data_type, r.type_name) == (SQL_BIT, "BIT"), name
        elif name in TS_COLUMNS:
            assert (r.data_type, r.type_name) == (SQL_TYPE_TIMESTAMP, "TIMESTAMP"), name
            assert r.decimal_digits == 6, name
        elif name in BIGINT_COLUMNS:
            assert (r.data_type, r.type_name) == (SQL_BIGINT, "BIGINT"), name
        else:
            assert r.data_type == SQL_WVARCHAR, name
            assert r.type_name in ("VARCHAR", "WVARCHAR", "NVARCHAR"), name
            assert r.column_size > 0, name
    assert by_name["Slug"].nullable == 0 and by_name["Slug"].is_nullable == "NO"
    assert by_name["MainBranch"].nullable == 1 and by_name["MainBranch"].is_nullable == "YES"


def test_columns_match_select_star(cnxn):
    cols = [r.column_name for r in cnxn.cursor().columns(table="Repositories").fetchall()]
    cur = cnxn.cursor()
    cur.execute("SELECT * FROM Repositories")
    assert [d[0] for d in cur.description] == cols
    cur.fetchall()


def test_columns_with_column_pattern(cnxn):
    rows = cnxn.cursor().columns(table="Repositories", column="%edOn").fetchall()
    assert [r.column_name for r in rows] == ["CreatedOn", "UpdatedOn"]
    # Identifiers are case-insensitive for users (contract), search patterns too.
    rows = cnxn.cursor().columns(table="repositories", column="mainbranch").fetchall()
    assert [(r.table_name, r.column_name) for r in rows] == [("Repositories", "MainBranch")]
    assert cnxn.cursor().columns(table="Repositories", column="NoSuchColumn").fetchall() == []
    rows = cnxn.cursor().columns(table="Users").fetchall()
    assert [r.column_name for r in rows][:5] == ["Uuid", "AccountId", "DisplayName", "Nickname", "Email"]


def test_tables_all_catalogs_lists_workspaces(cnxn, fake):
    # SQLTables(SQL_ALL_CATALOGS, "", "") enumerates the workspaces the credentials see.
    rows = cnxn.cursor().tables(catalog="%", schema="", table="").fetchall()
    expected = sorted(m["workspace"]["slug"] for m in fake.get_all("/user/workspaces"))
    assert sorted(r.table_cat for r in rows) == expected
    assert all(r.table_name is None for r in rows)
    rows = cnxn.cursor().tables(catalog="", schema="%", table="").fetchall()
    repos = sorted(r["slug"] for r in fake.get_all("/repositories/acme"))
    assert [r.table_schem for r in rows] == ["Information"] + repos
    rows = cnxn.cursor().tables(catalog="", schema="", table="", tableType="%").fetchall()
    assert "TABLE" in [r.table_type for r in rows]


def test_tables_of_another_catalog(cnxn):
    rows = cnxn.cursor().tables(catalog="globex", table="Repositories").fetchall()
    assert [(r.table_cat, r.table_schem, r.table_name) for r in rows] == [("globex", "Information", "Repositories")]


# ---------------------------------------------------------------------------------------------
# statements and cursors


def test_empty_result_has_columns(cnxn):
    cur = cnxn.cursor()
    cur.execute("SELECT Slug, Size FROM Repositories WHERE 1 = 0")
    assert [d[0] for d in cur.description] == ["Slug", "Size"]
    assert cur.fetchall() == []
    assert cur.fetchone() is None


def test_aggregates_and_expressions(cnxn, repos):
    _, rows = fetch(
        cnxn, "SELECT COUNT(*) AS n, MAX(Size) AS m, SUM(CASE WHEN IsPrivate THEN 1 ELSE 0 END) AS p FROM Repositories"
    )
    assert rows == [(len(repos), max(r["size"] for r in repos), sum(r["is_private"] for r in repos))]
    _, rows = fetch(cnxn, "SELECT ProjectKey, COUNT(*) FROM Repositories GROUP BY ProjectKey ORDER BY ProjectKey")
    counts = {}
    for r in repos:
        counts[r["project"]["key"]] = counts.get(r["project"]["key"], 0) + 1
    assert rows == sorted(counts.items())


def test_identifiers_are_case_insensitive_and_qualified_names_work(cnxn):
    _, a = fetch(cnxn, "SELECT slug, NAME FROM repositories ORDER BY SLUG")
    _, b = fetch(cnxn, 'SELECT Slug, Name FROM "acme"."Information"."Repositories" ORDER BY Slug')
    _, c = fetch(cnxn, "SELECT Slug, Name FROM acme.Information.Repositories ORDER BY Slug")
    assert a == b == c and len(a) == 12


def test_other_workspace_by_qualified_name(cnxn, fake):
    expected = sorted(r["slug"] for r in fake.get_all("/repositories/globex"))
    _, rows = fetch(cnxn, 'SELECT Slug FROM "globex"."Information"."Repositories" ORDER BY Slug')
    assert [r[0] for r in rows] == expected


def test_interleaved_cursors_on_one_connection(cnxn, repos, members):
    a, b = cnxn.cursor(), cnxn.cursor()
    a.execute("SELECT Slug FROM Repositories ORDER BY Slug")
    b.execute("SELECT DisplayName FROM Users ORDER BY Uuid")
    got_a, got_b = [], []
    while True:
        ra, rb = a.fetchone(), b.fetchone()
        if ra is None and rb is None:
            break
        if ra is not None:
            got_a.append(ra[0])
        if rb is not None:
            got_b.append(rb[0])
    assert got_a == sorted(r["slug"] for r in repos)
    assert got_b == [m["user"]["display_name"] for m in sorted(members, key=lambda m: m["user"]["uuid"])]


def test_connections_in_parallel_threads(fake, repos):
    import threading

    expected = sorted((r["slug"], r["name"]) for r in repos)
    results, errors = [], []

    def work():
        try:
            c = pyodbc.connect(f"DSN={DSN}", autocommit=True)
            try:
                for _ in range(3):
                    results.append(fetch(c, "SELECT Slug, Name FROM Repositories ORDER BY Slug")[1])
            finally:
                c.close()
        except Exception as e:  # reported below, with the thread's error
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert errors == []
    assert len(results) == 18 and all(r == expected for r in results)


def test_page_size_paginates(fake, repos):
    # PageSize=5 makes the driver walk 3 pages of `next` links for 12 repositories.
    c = pyodbc.connect(f"DSN={DSN};PageSize=5", autocommit=True)
    try:
        before = max((r["seq"] for r in fake.request_log()), default=0)
        _, rows = fetch(c, "SELECT Slug FROM Repositories")
        new = [r for r in fake.request_log() if r["seq"] > before]
        assert [r[0] for r in rows] == [r["slug"] for r in repos]
        assert len(new) == 3, new
        assert all(r["path"] == f"/2.0/repositories/{WORKSPACE}" and r["status"] == 200 for r in new)
        assert "pagelen=5" in new[0]["url"]
    finally:
        c.close()


def test_max_rows_property(fake, repos):
    c = pyodbc.connect(f"DSN={DSN};MaxRows=3", autocommit=True)
    try:
        _, rows = fetch(c, "SELECT Slug FROM Repositories ORDER BY Slug")
        assert [r[0] for r in rows] == sorted(r["slug"] for r in repos)[:3]
    finally:
        c.close()


# ---------------------------------------------------------------------------------------------
# errors


def test_syntax_error(cnxn):
    with pytest.raises(pyodbc.ProgrammingError) as e:
        cnxn.cursor().execute("SELEC Slug FROM Repositories")
    assert_driver_error(e, "42000")


def test_unknown_table(cnxn):
    with pytest.raises(pyodbc.ProgrammingError) as e:
        cnxn.cursor().execute("SELECT * FROM NoSuchTable")
    msg = assert_driver_error(e, "42S02")
    assert "NoSuchTable" in msg


def test_unknown_column(cnxn):
    with pytest.raises(pyodbc.ProgrammingError) as e:
        cnxn.cursor().execute("SELECT NoSuchColumn FROM Repositories")
    msg = assert_driver_error(e, "42S22")
    assert "NoSuchColumn" in msg


def test_wrong_token_at_connect(fake):
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(conn_str(fake, Password="bbtoken-wrong-9999"), autocommit=True)
    assert_driver_error(e, "28000")
    assert isinstance(e.value, pyodbc.InterfaceError)  # pyodbc's class for SQLSTATE 28xxx
    msg = odbc_error(e)[1]
    assert "bbtoken-wrong-9999" not in msg, "the secret must not be echoed"
    assert "401" in msg and "Check the credentials" in msg, msg
    assert ".." not in msg, msg


def test_nothing_listening_at_base_url(fake):
    url = f"http://127.0.0.1:{free_port()}/2.0"
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(conn_str(fake, BaseURL=url, Timeout=5), autocommit=True, timeout=30)
    msg = assert_driver_error(e, "08001")
    assert isinstance(e.value, pyodbc.OperationalError)
    assert "127.0.0.1" in msg


def test_error_does_not_break_the_connection(cnxn):
    cur = cnxn.cursor()
    for bad in ["SELEC 1", "SELECT * FROM NoSuchTable", "SELECT Nope FROM Users"]:
        with pytest.raises(pyodbc.Error):
            cur.execute(bad)
    cur.execute("SELECT COUNT(*) FROM Repositories")
    assert cur.fetchone()[0] == 12


def test_panic_is_contained(cnxn, has_test_hooks, capfd):
    if not has_test_hooks:
        pytest.skip("driver built without --features test-hooks (no `SELECT __panic__` trigger)")
    cur = cnxn.cursor()
    with pytest.raises(pyodbc.Error) as e:
        cur.execute("SELECT __panic__")
    assert_driver_error(e, "HY000")
    # The panic is logged, never printed: the host owns stdout and stderr.
    out, err = capfd.readouterr()
    assert "panic" not in (out + err).lower(), (out, err)
    # The same statement, a new statement and a new connection all still work.
    cur.execute("SELECT COUNT(*) FROM Repositories")
    assert cur.fetchone()[0] == 12
    _, rows = fetch(cnxn, "SELECT Slug FROM Repositories WHERE Slug = 'core-api'")
    assert rows == [("core-api",)]
    with pytest.raises(pyodbc.Error) as e:
        cur.execute("SELECT __panic__")
    assert_driver_error(e, "HY000")
    c2 = pyodbc.connect(f"DSN={DSN}", autocommit=True)
    try:
        _, rows = fetch(c2, "SELECT COUNT(*) FROM Users")
        assert rows == [(7,)]
    finally:
        c2.close()


@pytest.mark.parametrize(
    "sql, state",
    [
        ("SELECT CAST('abc' AS INT)", "22018"),
        ("SELECT CAST(Name AS INT) FROM Repositories", "22018"),
        ("SELECT CAST(Slug AS TIMESTAMP) FROM Repositories", "22018"),
        ("SELECT CAST(300 AS TINYINT)", "22003"),
        ("SELECT CAST(Size AS TINYINT) FROM Repositories", "22003"),
        ("SELECT Size / 0 FROM Repositories", "22012"),
    ],
)
def test_data_exceptions(cnxn, sql, state):
    # Raised while planning (constants) or while fetching (column values): same SQLSTATE.
    cur = cnxn.cursor()
    with pytest.raises(pyodbc.DataError) as e:
        cur.execute(sql)
        cur.fetchall()
    assert_driver_error(e, state)
    cur.execute("SELECT COUNT(*) FROM Repositories")
    assert cur.fetchone()[0] == 12


def test_unicode_in_error_messages(cnxn):
    with pytest.raises(pyodbc.ProgrammingError) as e:
        cnxn.cursor().execute('SELECT * FROM "Tàblé🚀"')
    assert "Tàblé🚀" in assert_driver_error(e, "42S02")
    with pytest.raises(pyodbc.ProgrammingError) as e:
        cnxn.cursor().execute('SELECT "Cølumn🎸" FROM Repositories')
    assert "Cølumn🎸" in assert_driver_error(e, "42S22")


# ---------------------------------------------------------------------------------------------
# HTTP traffic


def test_select_star_is_one_request(cnxn, fake, repos):
    before_stats = fake.stats()
    before_seq = max((r["seq"] for r in fake.request_log()), default=0)
    cur = cnxn.cursor()
    cur.execute("SELECT * FROM Repositories")
    rows = cur.fetchall()
    assert len(rows) == len(repos)
    after_stats = fake.stats()
    new = [r for r in fake.request_log() if r["seq"] > before_seq]
    assert after_stats["count"] - before_stats["count"] == 1, new
    assert len(new) == 1, new
    assert new[0]["method"] == "GET"
    assert new[0]["path"] == f"/2.0/repositories/{WORKSPACE}"
    assert new[0]["status"] == 200


def test_failed_planning_makes_no_request(cnxn, fake):
    before = fake.stats()["count"]
    for bad in ["SELEC 1", "SELECT * FROM NoSuchTable", "SELECT Nope FROM Repositories"]:
        with pytest.raises(pyodbc.ProgrammingError):
            cnxn.cursor().execute(bad)
    assert fake.stats()["count"] == before


# ---------------------------------------------------------------------------------------------
# wide (default) and narrow (SQL_C_CHAR) character paths


NARROW_QUERIES = [
    "SELECT * FROM Repositories ORDER BY Slug",
    "SELECT * FROM Users ORDER BY Uuid",
    "SELECT Key, Name, Description, CreatedOn FROM Projects ORDER BY Key",
    "SELECT 'Zoë Ñúñez 🎸' AS v, 'Café Ünïcödé' AS w, '🚀' AS x",
]


@pytest.mark.parametrize("sql", NARROW_QUERIES)
def test_wide_and_narrow_paths_agree(fake, sql):
    wide = pyodbc.connect(f"DSN={DSN}", autocommit=True)
    narrow = pyodbc.connect(f"DSN={DSN}", autocommit=True)
    try:
        set_narrow(narrow)
        wdesc, wrows = fetch(wide, sql)
        ndesc, nrows = fetch(narrow, sql)
        assert nrows == wrows
        assert [d[:2] for d in ndesc] == [d[:2] for d in wdesc]
        assert wrows, "the query returns rows"
    finally:
        wide.close()
        narrow.close()


def test_narrow_path_unicode_values(fake, repos):
    c = pyodbc.connect(f"DSN={DSN}", autocommit=True)
    try:
        set_narrow(c)
        _, rows = fetch(c, "SELECT Slug, Name, Description FROM Repositories")
        got = {r[0]: r for r in rows}
        assert got["cafe-unicode"][1] == "Café Ünïcödé"
        assert "🚀" in got["rocket-launcher"][2]
        assert {s: (r["name"], r.get("description")) for s, r in ((r["slug"], r) for r in repos)} == {
            s: r[1:] for s, r in got.items()
        }
        _, users = fetch(c, "SELECT DisplayName FROM Users WHERE DisplayName LIKE 'Zo%'")
        assert users == [("Zoë Ñúñez 🎸",)]
    finally:
        c.close()


def test_narrow_statement_text(fake):
    # SQL text sent through the ANSI entry points as UTF-8. Only BMP characters here: with a
    # Unicode connection unixODBC itself converts ANSI text to UCS-2 before calling the
    # driver's W function, and that conversion cannot carry characters beyond the BMP.
    c = pyodbc.connect(f"DSN={DSN}", autocommit=True)
    try:
        set_narrow(c)
        c.setencoding(encoding="utf-8")
        _, rows = fetch(c, "SELECT Slug, Name FROM Repositories WHERE Name = 'Café Ünïcödé'")
        assert rows == [("cafe-unicode", "Café Ünïcödé")]
    finally:
        c.close()


# ---------------------------------------------------------------------------------------------
# keys: SQLPrimaryKeys, SQLForeignKeys, SQLStatistics, SQLSpecialColumns (from the registry)


def test_primary_keys(cnxn):
    cur = cnxn.cursor()
    got = [(r.column_name, r.key_seq) for r in cur.primaryKeys("PullRequests")]
    assert got == [("RepositorySlug", 1), ("Id", 2)]
    assert [r.column_name for r in cur.primaryKeys("Repositories")] == ["Slug"]
    assert cur.primaryKeys("NoSuchTable").fetchall() == []


def test_foreign_keys(cnxn):
    cur = cnxn.cursor()
    rows = cur.foreignKeys(foreignTable="PullRequests").fetchall()
    assert [(r.pktable_name, r.pkcolumn_name, r.fkcolumn_name) for r in rows] == [("Repositories", "Slug", "RepositorySlug")]
    referencing = {r.fktable_name for r in cur.foreignKeys(table="Repositories")}
    assert {"PullRequests", "Commits", "Branches", "Issues"} <= referencing
    rows = cur.foreignKeys(foreignTable="Repositories").fetchall()
    assert [(r.pktable_name, r.pkcolumn_name, r.fkcolumn_name) for r in rows] == [("Projects", "Key", "ProjectKey")]


def test_statistics_and_row_id(cnxn):
    cur = cnxn.cursor()
    stats = cur.statistics("Users").fetchall()
    assert [(r.column_name, r.non_unique) for r in stats] == [("Uuid", 0)]
    assert [r.column_name for r in cur.rowIdColumns("Branches")] == ["RepositorySlug", "Name"]


def test_repository_schema_lists_repository_tables(cnxn):
    cur = cnxn.cursor()
    names = [r.table_name for r in cur.tables(schema="core-api")]
    assert "PullRequests" in names and "Commits" in names
    assert "Workspaces" not in names and "Repositories" not in names
    cols = [r.column_name for r in cur.columns(table="PullRequests", schema="core-api")]
    assert cols[:2] == ["RepositorySlug", "Id"]


# ---------------------------------------------------------------------------------------------
# sys_ tables agree with the catalog functions (one registry)


def test_sys_tables_agree_with_catalog_functions(cnxn):
    cur = cnxn.cursor()
    catalog_tables = sorted(r.table_name for r in cur.tables(tableType="TABLE"))
    sys_tables = sorted(r[0] for r in cur.execute("SELECT TableName FROM sys_tables WHERE TableType = 'TABLE'"))
    assert sys_tables == catalog_tables
    for table in ["Repositories", "PullRequests"]:
        cols = [(r.column_name, r.data_type, r.remarks) for r in cur.columns(table=table)]
        sys_cols = [tuple(r) for r in cur.execute(
            "SELECT ColumnName, DataType, Description FROM sys_tablecolumns WHERE TableName = ? ORDER BY Ordinal".replace("?", f"'{table}'"))]
        assert sys_cols == cols, table
    pk = [r.column_name for r in cur.primaryKeys("PullRequests")]
    assert [r[0] for r in cur.execute("SELECT ColumnName FROM sys_primarykeys WHERE TableName = 'PullRequests' ORDER BY KeySeq")] == pk


def test_sys_tables_are_listed_as_system_tables(cnxn):
    rows = cnxn.cursor().tables(tableType="SYSTEM TABLE").fetchall()
    names = [r.table_name for r in rows]
    assert "sys_tables" in names and "sys_tablecolumns" in names and "sys_connection_props" in names
    assert all(r.table_type == "SYSTEM TABLE" and r.table_schem == "Information" for r in rows)
    assert "Repositories" not in names


def test_sys_connection_props_masks_secrets(cnxn):
    rows = {r[0]: r[1] for r in cnxn.cursor().execute("SELECT Name, Value FROM sys_connection_props")}
    assert rows["Workspace"] == "acme"
    assert rows["Password"] == "********"
    assert "bbtoken-analyst-0001" not in rows.values()


CONTRACT_PROCEDURES = sorted([
    "GetOAuthAuthorizationURL", "GetOAuthAccessToken", "RefreshOAuthAccessToken", "MergePullRequest",
    "DeclinePullRequest", "ApprovePullRequest", "UnapprovePullRequest", "RunPipeline", "StopPipeline",
])


def test_procedures_and_their_columns(cnxn):
    cur = cnxn.cursor()
    procs = cur.procedures().fetchall()
    assert sorted(p.procedure_name for p in procs) == CONTRACT_PROCEDURES
    assert all(p.procedure_cat == "acme" and p.procedure_schem == "Information" and p.remarks for p in procs)
    merge = [p for p in procs if p.procedure_name == "MergePullRequest"][0]
    cols = cur.procedureColumns(procedure="MergePullRequest").fetchall()
    inputs = [c.column_name for c in cols if c.column_type == 1]
    results = [c.column_name for c in cols if c.column_type == 3]
    assert inputs[:2] == ["RepositorySlug", "PullRequestId"] and merge.num_input_params == len(inputs)
    assert "MergeCommitHash" in results
    pr_id = [c for c in cols if c.column_name == "PullRequestId"][0]
    assert (pr_id.data_type, pr_id.nullable, pr_id.ordinal_position) == (pyodbc.SQL_INTEGER, 0, 2)
    assert cur.procedures(procedure="Run%").fetchall()[0].procedure_name == "RunPipeline"
    # Procedures live in Information only.
    assert cur.procedures(schema="core-api").fetchall() == []


def test_sys_procedures_agree_with_catalog_functions(cnxn):
    cur = cnxn.cursor()
    assert sorted(r[0] for r in cur.execute("SELECT ProcedureName FROM sys_procedures")) == CONTRACT_PROCEDURES
    want = [(c.procedure_name, c.column_name, c.column_type, c.data_type, c.ordinal_position)
            for c in cur.procedureColumns().fetchall()]
    got = [tuple(r) for r in cur.execute(
        "SELECT ProcedureName, ColumnName, Direction, DataType, Ordinal FROM sys_procedureparameters")]
    assert sorted(got) == sorted(want) and len(got) > 20


def test_sys_catalogs_and_schemas_agree_with_sqltables(cnxn):
    cur = cnxn.cursor()
    catalogs = [r.table_cat for r in cur.tables(catalog="%", schema="", table="")]
    assert [r[0] for r in cur.execute("SELECT CatalogName FROM sys_catalogs")] == catalogs
    assert "acme" in catalogs and "globex" in catalogs
    schemas = [r.table_schem for r in cur.tables(catalog="", schema="%", table="")]
    got = [r[0] for r in cur.execute("SELECT SchemaName FROM sys_schemas")]
    assert got == schemas and got[0] == "Information" and "core-api" in got


def test_sys_sqlinfo_and_sys_information(cnxn):
    cur = cnxn.cursor()
    info = {r[0]: r[2] for r in cur.execute("SELECT Name, InfoType, Value FROM sys_sqlinfo")}
    assert info["SQL_IDENTIFIER_QUOTE_CHAR"] == cnxn.getinfo(pyodbc.SQL_IDENTIFIER_QUOTE_CHAR) == '"'
    assert info["SQL_DBMS_NAME"] == cnxn.getinfo(pyodbc.SQL_DBMS_NAME)
    assert info["SQL_DATABASE_NAME"] == "acme"
    product, version = cur.execute("SELECT Product, Version FROM sys_information").fetchone()
    assert "Bitbucket" in product and version.count(".") == 2


def test_foreign_keys_of_child_tables(cnxn):
    cur = cnxn.cursor()
    fks = cur.foreignKeys(foreignTable="PullRequestComments").fetchall()
    by_table = {}
    for k in fks:
        by_table.setdefault(k.pktable_name, []).append((k.fkcolumn_name, k.pkcolumn_name))
    assert by_table["PullRequests"] == [("RepositorySlug", "RepositorySlug"), ("PullRequestId", "Id")]
    assert by_table["Repositories"] == [("RepositorySlug", "Slug")]
    rows = cur.execute("SELECT ColumnName, PrimaryKeyColumn FROM sys_foreignkeys "
                       "WHERE TableName = 'PullRequestComments' AND PrimaryKeyTable = 'PullRequests'").fetchall()
    assert [tuple(r) for r in rows] == by_table["PullRequests"]


def test_tables_with_a_catalog_pattern_reach_every_workspace(cnxn):
    rows = cnxn.cursor().tables(catalog="%", schema="Information", table="PullRequests").fetchall()
    assert sorted(r.table_cat for r in rows) == ["acme", "globex"]
    assert all(r.table_name == "PullRequests" and r.table_type == "TABLE" for r in rows)
    rows = cnxn.cursor().tables(catalog="glob%", table="Repositories").fetchall()
    assert [(r.table_cat, r.table_name) for r in rows] == [("globex", "Repositories")]


def test_users_email_only_for_administrators_filtering_on_it(cnxn, fake):
    cur = cnxn.cursor()
    assert cur.execute("SELECT COUNT(Email) FROM Users").fetchone()[0] == 0
    fake.reset()
    rows = cur.execute("SELECT Email FROM Users WHERE Email IN ('analyst@example.com', 'nobody@example.com')").fetchall()
    assert [r[0] for r in rows] == ["analyst@example.com"]
    urls = [r["url"] for r in fake.request_log() if r["path"].endswith("/members")]
    assert urls and all("user.email" in requests_unquote(u) for u in urls), urls
    # Only a member of globex: the filter is refused (403), so e-mails stay NULL; no error.
    rows = cur.execute('SELECT Email FROM "globex"."Information"."Users" WHERE Email = \'analyst@example.com\'').fetchall()
    assert rows == []


def requests_unquote(u):
    from urllib.parse import unquote
    return unquote(u)
