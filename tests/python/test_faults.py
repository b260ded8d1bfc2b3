"""Faults and limits through pyodbc: query timeout, SQLCancel from another thread, the
Timeout property, 429 storms with and without Retry-After, 5xx and 555 answers. Each test
checks the rows are complete (nothing lost or duplicated) or the SQLSTATE is the right one."""

import threading
import time

import pyodbc
import pytest

from conftest import conn_str

BRANCHES_ONE = 'SELECT Name FROM "acme"."core-api"."Branches"'


@pytest.fixture
def calm(fake):
    """Restores the fake's switches after a test changed them."""
    yield fake
    fake.config(latency_ms=0, fail_next=None, fail_path=None, rate_limit=None, retry_after=False)
    fake.reset()


def expected_branches(fake, repo="core-api"):
    return sorted(b["name"] for b in fake.get_all(f"/repositories/acme/{repo}/refs/branches"))


def all_branch_rows(fake):
    repos = [r["slug"] for r in fake.get_all("/repositories/acme")]
    return sorted((r, b) for r in repos for b in expected_branches(fake, r))


def state_of(exc) -> str:
    return exc.args[0] if exc.args else ""


def test_query_timeout_stops_a_slow_query(calm):
    c = pyodbc.connect(conn_str(calm), autocommit=True)
    c.timeout = 1  # pyodbc sets SQL_ATTR_QUERY_TIMEOUT on its statements
    cur = c.cursor()
    calm.config(latency_ms=3000)
    start = time.monotonic()
    with pytest.raises(pyodbc.Error) as e:
        cur.execute(BRANCHES_ONE).fetchall()
    assert time.monotonic() - start < 2.5
    assert state_of(e.value) == "HYT00", e.value
    assert "SQL_ATTR_QUERY_TIMEOUT" in str(e.value)
    calm.config(latency_ms=0)
    c.timeout = 0
    cur = c.cursor()
    assert sorted(r[0] for r in cur.execute(BRANCHES_ONE)) == expected_branches(calm)


def test_cancel_from_another_thread(calm):
    c = pyodbc.connect(conn_str(calm), autocommit=True)
    cur = c.cursor()
    calm.config(latency_ms=3000)
    threading.Timer(0.5, cur.cancel).start()
    start = time.monotonic()
    with pytest.raises(pyodbc.Error) as e:
        cur.execute(BRANCHES_ONE).fetchall()
    assert time.monotonic() - start < 2.5
    assert state_of(e.value) == "HY008", e.value
    calm.config(latency_ms=0)
    assert sorted(r[0] for r in c.cursor().execute(BRANCHES_ONE)) == expected_branches(calm)


def test_timeout_property_gives_hyt00(calm):
    c2 = pyodbc.connect(conn_str(calm, Timeout=1), autocommit=True)
    calm.config(latency_ms=2500)
    with pytest.raises(pyodbc.Error) as e:
        c2.cursor().execute(BRANCHES_ONE).fetchall()
    assert state_of(e.value) == "HYT00", e.value
    assert "Timeout" in str(e.value)


@pytest.mark.parametrize("retry_after", [True, False])
def test_429_storm_is_ridden_out(calm, retry_after):
    want = all_branch_rows(calm)
    c = pyodbc.connect(conn_str(calm, MaxRetries=8), autocommit=True)
    calm.reset()
    calm.config(rate_limit={"requests": 5, "window_secs": 1}, retry_after=retry_after)
    got = sorted(tuple(r) for r in c.cursor().execute("SELECT RepositorySlug, Name FROM Branches"))
    assert got == want
    statuses = [r["status"] for r in calm.request_log()]
    assert 429 in statuses, statuses


def test_429_after_every_retry_says_when_to_retry(calm):
    c = pyodbc.connect(conn_str(calm, MaxRetries=0), autocommit=True)
    calm.reset()
    calm.config(rate_limit={"requests": 1, "window_secs": 60}, retry_after=True)
    with pytest.raises(pyodbc.Error) as e:
        c.cursor().execute("SELECT RepositorySlug, Name FROM Branches").fetchall()
    assert state_of(e.value) == "HY000", e.value
    assert "rate limit" in str(e.value) and "wait" in str(e.value)


def test_5xx_answers_are_retried_without_duplicates(calm):
    want = all_branch_rows(calm)
    c = pyodbc.connect(conn_str(calm, MaxRetries=3), autocommit=True)
    calm.config(fail_next={"count": 3, "status": 503})
    got = sorted(tuple(r) for r in c.cursor().execute("SELECT RepositorySlug, Name FROM Branches"))
    assert got == want


def test_555_that_persists_is_an_error_naming_it(calm):
    c = pyodbc.connect(conn_str(calm, MaxRetries=1), autocommit=True)
    calm.config(fail_path={"contains": "/refs/branches", "status": 555})
    with pytest.raises(pyodbc.Error) as e:
        c.cursor().execute(BRANCHES_ONE).fetchall()
    assert "555" in str(e.value), e.value
