"""Faults and limits through pyodbc: query timeout, SQLCancel from another thread, the
Timeout property, 429 storms with and without Retry-After, 5xx and 555 answers, dropped
connections. Each test checks the rows are complete (nothing lost or duplicated) or the
SQLSTATE is the right one."""

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
    fake.config(
        latency_ms=0, fail_next=None, fail_path=None, drop_next=None, drop_path=None, rate_limit=None, retry_after=False
    )
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


# -- dropped connections ------------------------------------------------------------------

COMMITS_ONE = 'SELECT Hash, Message, AuthorRaw, ParentHashes FROM "acme"."core-api"."Commits"'


def expected_commits(fake, repo="core-api"):
    """The repository's commits in API order (newest first), as the four columns above."""
    return [
        (c["hash"], c["message"], c["author"]["raw"], ",".join(p["hash"] for p in c["parents"]))
        for c in fake.get_all(f"/repositories/acme/{repo}/commits")
    ]


def dropped_urls(fake):
    return [r["url"] for r in fake.request_log() if r["dropped"]]


@pytest.mark.parametrize("at", ["body", "headers"])
def test_dropped_connection_mid_scan_is_retried_without_loss_or_duplicates(calm, at):
    want = expected_commits(calm)
    # 10 rows a page: the scan is a chain of iterator pages, each asked for once `next` is known.
    c = pyodbc.connect(conn_str(calm, MaxRetries=3, PageSize=10), autocommit=True)
    assert len(want) > 40, "the repository needs several pages"
    calm.reset()
    # Pages 1-3 answer; page 4 is cut twice (then its third attempt answers), the rest answer.
    calm.config(drop_next={"count": 2, "after": 3, "at": at})
    got = [tuple(r) for r in c.cursor().execute(COMMITS_ONE)]
    assert got == want  # same rows, same order: nothing lost, nothing read twice
    log = calm.request_log()
    dropped = [r for r in log if r["dropped"]]
    assert len(dropped) == 2, log
    assert dropped[0]["url"] == dropped[1]["url"]
    retried = [r for r in log if r["url"] == dropped[0]["url"] and not r["dropped"]]
    assert len(retried) == 1 and retried[0]["status"] == 200
    assert "page=" in dropped[0]["url"], "a later page, not the first request"
    assert len(log) == len({r["url"] for r in log}) + 2


def test_dropped_connections_in_a_concurrent_fan_out_are_retried(calm):
    want = all_branch_rows(calm)
    c = pyodbc.connect(conn_str(calm, MaxRetries=3, MaxConcurrentRequests=4), autocommit=True)
    calm.reset()
    # The repository list answers, then three of the per-repository lists running side by
    # side are cut (halfway through their JSON).
    calm.config(drop_next={"count": 3, "after": 1, "at": "body"})
    got = sorted(tuple(r) for r in c.cursor().execute("SELECT RepositorySlug, Name FROM Branches"))
    assert got == want
    assert len(got) == len(set(got))
    assert len(dropped_urls(calm)) == 3


def test_persistent_drops_are_08S01_after_the_retries(calm):
    c = pyodbc.connect(conn_str(calm, MaxRetries=2), autocommit=True)
    calm.reset()
    calm.config(drop_path={"contains": "/refs/branches", "at": "body"})
    with pytest.raises(pyodbc.Error) as e:
        c.cursor().execute(BRANCHES_ONE).fetchall()
    assert state_of(e.value) == "08S01", e.value
    text = str(e.value)
    assert "connection broke before the whole answer arrived" in text, text
    # One request and two retries, all cut.
    urls = dropped_urls(calm)
    assert len(urls) == 3 and len(set(urls)) == 1, urls
    # The connection itself is fine once the network is: the same statement works again.
    calm.config(drop_path=None)
    assert sorted(r[0] for r in c.cursor().execute(BRANCHES_ONE)) == expected_branches(calm)


def test_drop_of_a_later_page_after_rows_were_read_is_08S01(calm):
    """A drop that outlasts the retries on a page after the first: the rows already read
    stay read, and the error (08S01) comes with the fetch that needed the missing page."""
    c = pyodbc.connect(conn_str(calm, MaxRetries=1, PageSize=10), autocommit=True)
    calm.reset()
    calm.config(drop_next={"count": 2, "after": 2, "at": "headers"})
    cur = c.cursor().execute(COMMITS_ONE)
    rows = []
    with pytest.raises(pyodbc.Error) as e:
        while True:
            batch = cur.fetchmany(5)
            if not batch:
                break
            rows.extend(tuple(r) for r in batch)
    assert state_of(e.value) == "08S01", e.value
    want = expected_commits(calm)
    assert 0 < len(rows) <= 20 and rows == want[: len(rows)]
