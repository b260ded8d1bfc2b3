"""`?` parameter markers through pyodbc (SQLBindParameter with pyodbc's C types, SQLNumParams,
SQLDescribeParam): values round-trip exactly, bound filters still become BBQL, and bad or
missing values give the right SQLSTATE."""

import datetime
import decimal

import pyodbc
import pytest

from conftest import DSN

PRS = '"acme"."core-api"."PullRequests"'


@pytest.fixture
def cur(fake):
    c = pyodbc.connect(f"DSN={DSN}", autocommit=True, timeout=30)
    yield c.cursor()
    c.close()


def new_requests(fake, since):
    return [r for r in fake.request_log() if r["seq"] > since]


def last_seq(fake):
    return max((r["seq"] for r in fake.request_log()), default=0)


@pytest.mark.parametrize(
    "value",
    [
        42,
        -7,
        2**40,
        3.25,
        "héllo ✓ 'quoted'",
        "",
        True,
        datetime.date(2024, 2, 29),
        datetime.datetime(2025, 12, 31, 23, 59, 58, 123456),
        decimal.Decimal("12.50"),
    ],
)
def test_values_round_trip(cur, value):
    got = cur.execute("SELECT ? AS v", value).fetchone()[0]
    if isinstance(value, decimal.Decimal):
        assert decimal.Decimal(str(got)) == value
    elif isinstance(value, bool):
        assert bool(got) is value or got == int(value)
    else:
        assert got == value, (got, value)


def test_null_parameter(cur):
    assert cur.execute("SELECT Slug FROM Repositories WHERE Slug = ?", None).fetchall() == []
    assert cur.execute("SELECT COALESCE(?, 'x')", None).fetchone()[0] == "x"


def test_bound_filters_push_down(fake, cur):
    expected = sorted(
        p["id"] for p in fake.get_all("/repositories/acme/core-api/pullrequests", state="MERGED", pagelen=50) if p["id"] > 2
    )
    since = last_seq(fake)
    rows = cur.execute(f"SELECT Id FROM {PRS} WHERE State = ? AND Id > ? ORDER BY Id", "MERGED", 2).fetchall()
    assert [r[0] for r in rows] == expected
    urls = [r["url"] for r in new_requests(fake, since) if r["path"].endswith("/pullrequests")]
    assert urls, "the scan asked Bitbucket"
    assert all('state+%3D+%22MERGED%22' in u or 'state%20%3D%20%22MERGED%22' in u for u in urls), urls
    assert all("id+%3E+2" in u or "id%20%3E%202" in u for u in urls), urls

    # The same prepared statement with other values (pyodbc re-executes the prepared plan).
    rows = cur.execute(f"SELECT Id FROM {PRS} WHERE State = ? AND Id > ? ORDER BY Id", "MERGED", 10**6).fetchall()
    assert rows == []


def test_repository_pin_by_parameter(fake, cur):
    since = last_seq(fake)
    n = cur.execute("SELECT COUNT(*) FROM Branches WHERE RepositorySlug = ?", "core-api").fetchone()[0]
    assert n == len(fake.get_all("/repositories/acme/core-api/refs/branches"))
    paths = {r["path"] for r in new_requests(fake, since)}
    assert paths == {"/2.0/repositories/acme/core-api/refs/branches"}, paths


def test_timestamp_parameter_filters(fake, cur):
    prs = fake.get_all("/repositories/acme/core-api/pullrequests", state=["OPEN", "MERGED", "DECLINED", "SUPERSEDED"], pagelen=50)
    cut = datetime.datetime(2024, 6, 1)
    expected = sorted(p["id"] for p in prs if p["created_on"][:19] >= cut.isoformat())
    rows = cur.execute(f"SELECT Id FROM {PRS} WHERE CreatedOn >= ? ORDER BY Id", cut).fetchall()
    assert [r[0] for r in rows] == expected


def test_a_value_of_the_wrong_type_is_22018(cur):
    with pytest.raises(pyodbc.Error) as e:
        cur.execute(f"SELECT Id FROM {PRS} WHERE Id = ?", "not-a-number")
    assert e.value.args[0] == "22018", e.value.args
    assert "parameter 1" in e.value.args[1]


def test_markers_inside_literals_are_not_parameters(cur):
    assert tuple(cur.execute("SELECT '?' AS q, ? AS p", 5).fetchone()) == ("?", 5)
