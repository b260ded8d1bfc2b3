#!/usr/bin/env python3
"""By-hand benchmark of the Bitbucket ODBC driver against the fake Bitbucket server.

    .venv/bin/python bench/run.py            # full run (scale "large", several minutes)
    .venv/bin/python bench/run.py --quick    # smoke run (scale "small", < 1 minute)

Cases (see bench/README.md for what each figure means):
  1. full scan of workspace-wide PullRequests at 100 ms latency: wall time / ideal time
  2. selective PullRequests queries at 100 ms latency: requests made / minimum requests,
     and time to first row of a LIMIT 10 query in round trips
  3. throughput (rows/s of execute + fetchall) at 0 latency vs the SQLite ODBC driver
  4. peak memory (VmHWM) of a child process scanning 50,000 and 200,000 rows

It is a measurement, not a test: it exits 0 even when targets are missed; it exits 2 only
when it cannot run at all (missing binaries, fake server does not start).
"""

from __future__ import annotations

import argparse
import atexit
import ctypes
import datetime as dt
import gc
import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from base64 import b64encode
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DRIVER_SO = Path(os.environ.get("DRIVER_SO") or REPO / "target/release/libbitbucket_odbc.so")
FAKE_BIN = Path(os.environ.get("FAKE_BIN") or REPO / "target/release/fake-bitbucket")
SQLITE_ODBC_CANDIDATES = [
    os.environ.get("SQLITE_ODBC_SO", ""),
    "/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so",
    "/usr/lib/aarch64-linux-gnu/odbc/libsqlite3odbc.so",
    "/usr/lib/odbc/libsqlite3odbc.so",
    "/usr/local/lib/libsqlite3odbc.so",
]
DRIVER_NAME = "Bitbucket ODBC Driver (bench)"
SQLITE_DRIVER_NAME = "SQLite3 ODBC Driver (bench)"
WORKSPACE = "acme"
USER = "analyst@example.com"
TOKEN = "bbtoken-analyst-0001"
PR_PAGELEN = 50  # PullRequests endpoint maximum pagelen
REPO_PAGELEN = 100  # repositories endpoint maximum pagelen


def log(msg: str = "") -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------------------------
# fake server
# --------------------------------------------------------------------------------------------


def _die_with_parent():
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Fake:
    def __init__(self, workdir: Path, scale: str, seed: int = 42):
        self.workdir = workdir
        port_file = workdir / "fake.port"
        self.log_file = open(workdir / "fake.log", "wb")
        self.proc = subprocess.Popen(
            [str(FAKE_BIN), "--port", "0", "--port-file", str(port_file), "--seed", str(seed),
             "--scale", scale, "--latency-ms", "0"],
            stdout=self.log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        deadline = time.monotonic() + 120
        port = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"fake-bitbucket exited early ({self.proc.returncode}); see its log")
            try:
                text = port_file.read_text().strip()
                if text:
                    port = int(text)
                    break
            except (FileNotFoundError, ValueError):
                pass
            time.sleep(0.05)
        if port is None:
            raise RuntimeError("fake-bitbucket did not write its port file")
        self.root = f"http://127.0.0.1:{port}"
        self.base_url = f"{self.root}/2.0"
        self._auth = "Basic " + b64encode(f"{USER}:{TOKEN}".encode()).decode()
        while time.monotonic() < deadline:
            try:
                self.stats()
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        raise RuntimeError("fake-bitbucket does not answer")

    def cpu_seconds(self) -> float:
        """CPU time (user + system, all threads) the fake server has used so far."""
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log_file.close()

    # -- HTTP helpers ---------------------------------------------------------------------
    def _req(self, url: str, data: bytes | None = None, method: str | None = None, auth=False):
        headers = {"Content-Type": "application/json"} if data is not None else {}
        if auth:
            headers["Authorization"] = self._auth
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=60) as r:
            body = r.read()
        return json.loads(body) if body else None

    def stats(self) -> dict:
        return self._req(f"{self.root}/_fake/stats")

    def requests(self) -> list:
        return self._req(f"{self.root}/_fake/requests")

    def reset(self) -> None:
        self._req(f"{self.root}/_fake/reset", data=b"", method="POST")

    def set_latency(self, ms: int) -> None:
        self._req(f"{self.root}/_fake/config", data=json.dumps({"latency_ms": ms}).encode(), method="POST")

    def api(self, path_or_url: str) -> dict:
        url = path_or_url if path_or_url.startswith("http") else self.base_url + path_or_url
        return self._req(url, auth=True)

    def api_all(self, path: str) -> list:
        page = self.api(path)
        values = list(page.get("values", []))
        while page.get("next"):
            page = self.api(page["next"])
            values.extend(page.get("values", []))
        return values


# --------------------------------------------------------------------------------------------
# ODBC helpers
# --------------------------------------------------------------------------------------------


def write_odbcinst(workdir: Path, sqlite_so: str | None) -> None:
    text = f"[ODBC]\nTrace=No\n\n[{DRIVER_NAME}]\nDriver={DRIVER_SO.resolve()}\nUsageCount=1\n"
    if sqlite_so:
        text += f"\n[{SQLITE_DRIVER_NAME}]\nDriver={sqlite_so}\nUsageCount=1\n"
    (workdir / "odbcinst.ini").write_text(text)
    (workdir / "odbc.ini").write_text("[ODBC Data Sources]\n")
    os.environ["ODBCSYSINI"] = str(workdir)
    os.environ.pop("ODBCINSTINI", None)
    os.environ["ODBCINI"] = str(workdir / "odbc.ini")


def bb_conn_str(fake: Fake, concurrency: int) -> str:
    return (f"Driver={{{DRIVER_NAME}}};Workspace={WORKSPACE};BaseURL={fake.base_url};"
            f"User={USER};Password={TOKEN};MaxRequestsPerQuery=0;MaxConcurrentRequests={concurrency};")


def connect(conn_str: str, attempts: int = 4):
    """pyodbc.connect, waiting for the driver library if it is being rebuilt."""
    import pyodbc

    for i in range(attempts):
        try:
            return pyodbc.connect(conn_str, autocommit=True, timeout=60)
        except pyodbc.Error as e:
            text = str(e)
            loading = ("Can't open lib" in text or "file not found" in text
                       or "cannot open shared object" in text or "undefined symbol" in text)
            if not loading or i == attempts - 1:
                raise
            log(f"    (driver library not loadable, maybe being rebuilt; retrying in 60 s: {text[:160]})")
            time.sleep(60)
    raise AssertionError("unreachable")


def fmt_s(x: float) -> str:
    return f"{x:.3f} s"


def table(rows: list[list[str]], headers: list[str]) -> str:
    cols = [headers] + rows
    widths = [max(len(str(r[i])) for r in cols) for i in range(len(headers))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths)), line]
    for r in rows:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    return "\n".join("    " + x for x in out)


SUMMARY: list[list[str]] = []


def summary(case: str, figure: str, target: str, met: bool | None) -> None:
    SUMMARY.append([case, figure, target, "n/a" if met is None else ("yes" if met else "NO")])


# --------------------------------------------------------------------------------------------
# data set
# --------------------------------------------------------------------------------------------


def count_dataset(fake: Fake) -> dict:
    """Counts through the fake's HTTP API (independent of the driver)."""
    repos = fake.api_all(f"/repositories/{WORKSPACE}?pagelen={REPO_PAGELEN}")
    slugs = [r["slug"] for r in repos]
    states = "&".join(f"state={s}" for s in ("OPEN", "MERGED", "DECLINED", "SUPERSEDED"))

    def prs(slug):
        return slug, fake.api(f"/repositories/{WORKSPACE}/{slug}/pullrequests?pagelen=1&{states}")["size"]

    def commits(slug):
        return slug, len(fake.api_all(f"/repositories/{WORKSPACE}/{slug}/commits?pagelen=100"))

    with ThreadPoolExecutor(8) as ex:
        pr_counts = dict(ex.map(prs, slugs))
        commit_counts = dict(ex.map(commits, slugs))
    return {"slugs": slugs, "prs": pr_counts, "commits": commit_counts}


# --------------------------------------------------------------------------------------------
# case 1: full scan
# --------------------------------------------------------------------------------------------


def case_full_scan(fake: Fake, cs: str, ds: dict, latency_ms: int, concurrency: int) -> None:
    log(f"\n== Case 1: full scan  SELECT * FROM PullRequests  (latency {latency_ms} ms, "
        f"MaxConcurrentRequests={concurrency})")
    n_repos = len(ds["slugs"])
    repo_pages = max(1, math.ceil(n_repos / REPO_PAGELEN))
    # A repository without pull requests still costs one request (the driver cannot know it
    # is empty without asking), hence max(1, ...).
    pr_pages = sum(max(1, math.ceil(n / PR_PAGELEN)) for n in ds["prs"].values())
    empty = sum(1 for n in ds["prs"].values() if n == 0)
    min_pages = repo_pages + pr_pages
    rounds = math.ceil(min_pages / concurrency)
    ideal = rounds * latency_ms / 1000
    cnxn = connect(cs)
    fake.set_latency(latency_ms)
    fake.reset()
    t0 = time.perf_counter()
    cur = cnxn.cursor()
    cur.execute("SELECT * FROM PullRequests")
    rows = cur.fetchall()
    wall = time.perf_counter() - t0
    st = fake.stats()
    cnxn.close()
    fake.set_latency(0)
    ratio = wall / ideal if ideal else float("nan")
    expected_rows = sum(ds["prs"].values())
    log(table([
        ["rows", f"{len(rows)}", f"{expected_rows} (from the fake's API)"],
        ["requests made", f"{st['count']}", f"minimum {min_pages} = {repo_pages} repository-list page(s) + {pr_pages} PR pages"
                          + (f" (incl. 1 for each of {empty} repositories without PRs)" if empty else "")],
        ["observed max concurrency", f"{st['max_concurrency']}", f"{concurrency} (MaxConcurrentRequests)"],
        ["wall time", fmt_s(wall), f"ideal {fmt_s(ideal)} = {rounds} rounds x {latency_ms} ms"],
        ["wall / ideal", f"{ratio:.2f}", "<= 1.2"],
    ], ["figure", "measured", "target / reference"]))
    summary("1 full scan PullRequests", f"wall/ideal {ratio:.2f} ({fmt_s(wall)} vs {fmt_s(ideal)})", "<= 1.2", ratio <= 1.2)
    summary("1 full scan PullRequests", f"requests {st['count']} (min {min_pages})", f"= {min_pages}", st["count"] <= min_pages)
    summary("1 full scan PullRequests", f"max concurrency {st['max_concurrency']}", f"= {concurrency}", st["max_concurrency"] >= concurrency)
    if len(rows) != expected_rows:
        log(f"    WARNING: {len(rows)} rows read, the fake has {expected_rows}")


# --------------------------------------------------------------------------------------------
# case 2: selective queries
# --------------------------------------------------------------------------------------------


def case_selective(fake: Fake, cs: str, ds: dict, latency_ms: int, show_urls: int) -> None:
    log(f"\n== Case 2: selective queries (latency {latency_ms} ms)")
    # Minima from an unfiltered read through the driver at 0 latency.
    fake.set_latency(0)
    cnxn = connect(cs)
    cur = cnxn.cursor()
    cur.execute("SELECT RepositorySlug, State, CreatedOn FROM PullRequests")
    all_prs = cur.fetchall()
    cnxn.close()
    per_repo = Counter(r[0] for r in all_prs)
    slug = max(sorted(per_repo), key=lambda s: per_repo[s])
    mine = [r for r in all_prs if r[0] == slug]
    merged = sum(1 for r in mine if r[1] == "MERGED")
    # A date range holding some but not all of this repository's pull requests, as close to
    # half of them as possible: calendar half-years, quarters or months.
    def ranges():
        years = sorted({r[2].year for r in mine})
        for y in years:
            for months in (6, 3, 1):
                for m in range(1, 13, months):
                    end = m + months
                    yield dt.datetime(y, m, 1), dt.datetime(y + (end > 12), (end - 1) % 12 + 1, 1)

    def score(rng):
        n = sum(1 for r in mine if rng[0] <= r[2] < rng[1])
        return (0 < n < len(mine), n > 0, -abs(n - len(mine) / 2))

    lo, hi = max(ranges(), key=score)
    in_range = sum(1 for r in mine if lo <= r[2] < hi)
    log(f"    unfiltered read: {len(all_prs)} pull requests; chosen repository '{slug}' "
        f"({len(mine)} PRs, {merged} MERGED, {in_range} created in [{lo:%Y-%m-%d}, {hi:%Y-%m-%d}))")

    def minimum(n):
        return max(1, math.ceil(n / PR_PAGELEN))

    queries = [
        ("2a one repository", f"SELECT * FROM PullRequests WHERE RepositorySlug = '{slug}'", len(mine), minimum(len(mine))),
        ("2b state", f"SELECT * FROM PullRequests WHERE RepositorySlug = '{slug}' AND State = 'MERGED'", merged, minimum(merged)),
        ("2c date range", f"SELECT * FROM PullRequests WHERE RepositorySlug = '{slug}' AND CreatedOn >= '{lo:%Y-%m-%d}' "
                          f"AND CreatedOn < '{hi:%Y-%m-%d}'", in_range, minimum(in_range)),
        ("2d LIMIT 10", f'SELECT * FROM "{WORKSPACE}"."{slug}"."PullRequests" LIMIT 10', min(10, len(mine)), 1),
    ]
    fake.set_latency(latency_ms)
    out = []
    try:
        for name, sql, exp_rows, min_req in queries:
            cnxn = connect(cs)
            fake.reset()  # after connect: only the query's requests count
            cur = cnxn.cursor()
            t0 = time.perf_counter()
            cur.execute(sql)
            first = cur.fetchone()
            t_first = time.perf_counter() - t0
            rest = cur.fetchall()
            wall = time.perf_counter() - t0
            cur.close()
            cnxn.close()
            nrows = (first is not None) + len(rest)
            st = fake.stats()
            reqs = fake.requests()
            ratio = st["count"] / min_req
            out.append([name, str(nrows) + ("" if nrows == exp_rows else f" (expected {exp_rows})"), str(st["count"]),
                        str(min_req), f"{ratio:.2f}", fmt_s(wall)])
            summary(f"{name}", f"requests {st['count']} / min {min_req} = {ratio:.2f}", "1.0", st["count"] <= min_req)
            if name.startswith("2d"):
                rt = t_first / (latency_ms / 1000)
                ttfr = (rt, t_first)
                summary("2d time to first row", f"{rt:.2f} round trips ({fmt_s(t_first)})",
                        f"1 (< 2 x {latency_ms} ms)", t_first < 2 * latency_ms / 1000)
            log(f"    {name}: {sql}")
            for r in reqs[:show_urls]:
                log(f"        {r['method']} {r['url'] if 'url' in r else r['path']}  -> {r['status']}")
            if len(reqs) > show_urls:
                log(f"        ... {len(reqs) - show_urls} more requests")
    finally:
        fake.set_latency(0)
    log(table(out, ["query", "rows", "requests", "minimum", "req/min (target 1.0)", "wall"]))
    if "ttfr" in locals():
        log(f"    2d time to first row (execute + first fetchone): {fmt_s(ttfr[1])} = {ttfr[0]:.2f} round trips "
            f"of {latency_ms} ms (target 1, i.e. < 2 round trips)")


# --------------------------------------------------------------------------------------------
# case 3: throughput vs SQLite ODBC
# --------------------------------------------------------------------------------------------


def sqlite_type(t) -> str:
    if t is bool:
        return "BIT"
    if t is int:
        return "BIGINT"
    if t is float:
        return "DOUBLE"
    if t is dt.datetime:
        return "TIMESTAMP"
    return "TEXT"


def to_sqlite(v):
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, bool):
        return int(v)
    return v


def timed_fetchall(conn_str: str, sql: str):
    cnxn = connect(conn_str)
    cur = cnxn.cursor()
    t0 = time.perf_counter()
    cur.execute(sql)
    rows = cur.fetchall()
    secs = time.perf_counter() - t0
    desc = cur.description
    cnxn.close()
    return rows, desc, secs


def replay_floor(fake: Fake, reqs: list, concurrency: int) -> float:
    """Seconds to download the driver's logged requests again, raw (no JSON parsing), with
    `concurrency` Python threads and without waiting for `next` links: the fake server's cost
    plus a plain Python HTTP client's (with the response cache warm, mostly the latter)."""
    urls = [r["url"] if str(r.get("url", "")).startswith("http") else fake.root + (r.get("url") or r["path"])
            for r in reqs if r.get("method", "GET") == "GET"]
    auth = fake._auth

    def get(u):
        with urllib.request.urlopen(urllib.request.Request(u, headers={"Authorization": auth}), timeout=60) as r:
            return len(r.read())

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as ex:
        list(ex.map(get, urls))
    return time.perf_counter() - t0


def cache_note(fake: Fake) -> str:
    c = fake.stats().get("response_cache") or {}
    if not c.get("enabled"):
        return "fake response cache off"
    return f"fake response cache: {c['entries']:,} answers, {c['bytes'] / 1e6:.1f} MB, {c['hits']:,} hits, {c['misses']:,} misses"


def case_throughput(fake: Fake, cs: str, workdir: Path, sqlite_so: str | None, tables: list[str], reps: int,
                    concurrency: int) -> None:
    log(f"\n== Case 3: throughput at 0 latency, execute + fetchall(), best of {reps} after one untimed warm-up run")
    log("    (the warm-up fills the fake's response cache, so the timed runs measure the driver, not the fake's")
    log("    rendering; auth, rate limiting, faults and the request log still run for every request)")
    fake.set_latency(0)
    out = []
    for tbl in tables:
        sql = f"SELECT * FROM {tbl}"
        best = None
        rows = desc = None
        timed_fetchall(cs, sql)  # warm-up, untimed
        rows = None
        fake_cpu = None
        for _ in range(reps):
            rows = None  # the previous run's rows are not kept alive during the next one
            gc.collect()
            fake.reset()
            cpu0 = fake.cpu_seconds()
            rows, desc, secs = timed_fetchall(cs, sql)
            if best is None or secs < best:
                best, fake_cpu = secs, fake.cpu_seconds() - cpu0
        nreq = fake.stats()["count"]
        floor = replay_floor(fake, fake.requests(), concurrency)
        log(f"    {tbl}: {cache_note(fake)}")
        bb_rate = len(rows) / best
        line = [tbl, f"{len(rows)} x {len(desc)}", f"{nreq}", fmt_s(fake_cpu), fmt_s(floor), fmt_s(best), f"{bb_rate:,.0f}"]
        if not sqlite_so:
            log("    skipped: install libsqliteodbc (apt-get install libsqliteodbc) for the SQLite comparison")
            out.append(line + ["skipped", "skipped", "-"])
            summary(f"3 throughput {tbl}", f"{bb_rate:,.0f} rows/s", ">= 0.5 x SQLite", None)
            continue
        db = workdir / f"{tbl}.sqlite"
        if db.exists():
            db.unlink()
        lite = sqlite3.connect(db)
        col_types = []
        for i, d in enumerate(desc):
            t = d[1]
            if t is str or t is None:  # a column can be all-NULL: look at the values
                t = next((type(r[i]) for r in rows if r[i] is not None), str)
            col_types.append(t)
        cols = ", ".join(f'"{d[0]}" {sqlite_type(t)}' for d, t in zip(desc, col_types))
        lite.execute(f'CREATE TABLE "{tbl}" ({cols})')
        lite.executemany(f'INSERT INTO "{tbl}" VALUES ({", ".join("?" * len(desc))})',
                         ([to_sqlite(v) for v in r] for r in rows))
        lite.commit()
        lite.close()
        lite_cs = f"Driver={{{SQLITE_DRIVER_NAME}}};Database={db};"
        lbest = None
        lrows = None
        for _ in range(reps):
            lrows = None
            gc.collect()
            lrows, _ldesc, secs = timed_fetchall(lite_cs, f'SELECT * FROM "{tbl}"')
            lbest = secs if lbest is None else min(lbest, secs)
        lite_rate = len(lrows) / lbest
        same = sorted(map(tuple, rows), key=repr) == sorted(map(tuple, lrows), key=repr)
        if not same:
            diffs = sum(1 for a, b in zip(rows, lrows) if tuple(a) != tuple(b))
            log(f"    WARNING: SQLite returned different values ({diffs} rows differ in order-wise comparison)")
        ratio = bb_rate / lite_rate
        summary(f"3 fake server {tbl}", f"CPU {fmt_s(fake_cpu)}, replay {fmt_s(floor)}; driver {fmt_s(best)} (info)",
                "-", None)
        out.append(line + [fmt_s(lbest), f"{lite_rate:,.0f}", f"{ratio:.2f}" + ("" if same else " (values differ!)")])
        summary(f"3 throughput {tbl}", f"{bb_rate:,.0f} rows/s = {ratio:.2f} x SQLite ({lite_rate:,.0f})",
                ">= 0.5 x SQLite", ratio >= 0.5)
    log(table(out, ["table", "rows x cols", "requests", "fake CPU", "HTTP replay", "driver time", "driver rows/s", "SQLite time",
                    "SQLite rows/s", "driver/SQLite (target >= 0.5)"]))


# --------------------------------------------------------------------------------------------
# case 4: peak memory in a child process
# --------------------------------------------------------------------------------------------


def child_scan(conn_str: str, sql: str) -> None:
    """Runs in the child: scan with fetchmany (rows are dropped), report VmHWM as JSON."""
    import resource

    cnxn = connect(conn_str)
    cur = cnxn.cursor()
    t0 = time.perf_counter()
    cur.execute(sql)
    n = 0
    while True:
        batch = cur.fetchmany(1000)
        if not batch:
            break
        n += len(batch)
    secs = time.perf_counter() - t0
    cnxn.close()
    hwm = None
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    print(json.dumps({"rows": n, "vmhwm_kb": hwm, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "secs": secs}))


def run_child(conn_str: str, sql: str) -> dict:
    p = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child-scan", sql, "--conn", conn_str],
                       capture_output=True, text=True, timeout=1800, env=os.environ.copy())
    if p.returncode != 0:
        raise RuntimeError(f"child failed ({p.returncode}): {p.stderr.strip()[-800:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def scan_sql(n: int, available: int) -> str:
    if available >= n:
        return f"SELECT * FROM Commits LIMIT {n}"
    k = math.ceil(n / max(1, available))
    return " UNION ALL ".join(["SELECT * FROM Commits"] * k) + f" LIMIT {n}"


def case_memory(fake: Fake, cs: str, sizes: list[int], commits: int) -> None:
    log(f"\n== Case 4: peak memory (VmHWM) of a child Python process scanning Commits with fetchmany(1000), 0 latency")
    fake.set_latency(0)
    out = []
    base = run_child(cs, "SELECT 1")
    out.append(["baseline (connect, SELECT 1)", str(base["rows"]), f"{base['vmhwm_kb'] / 1024:.1f} MB", fmt_s(base["secs"]), "SELECT 1"])
    results = []
    for n in sizes:
        sql = scan_sql(n, commits)
        r = run_child(cs, sql)
        results.append(r)
        shown = sql if len(sql) < 70 else sql[:40] + " ... " + sql[-30:]
        out.append([f"scan {n:,} rows", str(r["rows"]), f"{r['vmhwm_kb'] / 1024:.1f} MB", fmt_s(r["secs"]), shown])
    log(table(out, ["case", "rows", "peak RSS (VmHWM)", "time", "query"]))
    peaks = [r["vmhwm_kb"] / 1024 for r in results]
    flat = peaks[-1] <= 1.25 * peaks[0]
    under = all(p < 200 for p in peaks)
    log(f"    growth {sizes[0]:,} -> {sizes[-1]:,} rows: {peaks[-1] - peaks[0]:+.1f} MB "
        f"({peaks[-1] / peaks[0]:.2f} x; 'flat' = at most 1.25 x)")
    for n, p in zip(sizes, peaks):
        summary(f"4 peak memory {n:,} rows", f"{p:.1f} MB", "< 200 MB", p < 200)
    summary("4 peak memory flat", f"{peaks[0]:.1f} -> {peaks[-1]:.1f} MB ({peaks[-1] / peaks[0]:.2f} x)",
            "<= 1.25 x", flat and under)


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def find_sqlite_so() -> str | None:
    for c in SQLITE_ODBC_CANDIDATES:
        if c and Path(c).is_file():
            return c
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small-scale smoke run (< 1 minute)")
    ap.add_argument("--scale", help="fake data scale (default: large, or small with --quick)")
    ap.add_argument("--latency-ms", type=int, default=100, help="latency for cases 1 and 2 (default 100)")
    ap.add_argument("--concurrency", type=int, default=4, help="MaxConcurrentRequests (default 4, the driver default)")
    ap.add_argument("--cases", default="1,2,3,4", help="comma-separated subset of cases to run")
    ap.add_argument("--show-urls", type=int, default=4, help="request URLs to print per selective query")
    ap.add_argument("--child-scan", help=argparse.SUPPRESS)
    ap.add_argument("--conn", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child_scan:
        child_scan(args.conn, args.child_scan)
        return 0

    try:
        import pyodbc  # noqa: F401
    except ImportError:
        log("pyodbc is missing: run with the project venv (.venv/bin/python bench/run.py) or pip install pyodbc")
        return 2
    for what, p, hint in [("fake server", FAKE_BIN, "cargo build --release --workspace"),
                          ("driver", DRIVER_SO, "cargo build --release --workspace")]:
        if not p.is_file():
            log(f"{what} not found at {p}: {hint} (or set {'FAKE_BIN' if what == 'fake server' else 'DRIVER_SO'})")
            return 2

    scale = args.scale or ("small" if args.quick else "large")
    cases = {c.strip() for c in args.cases.split(",")}
    workdir = Path(tempfile.mkdtemp(prefix="bb-odbc-bench-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    sqlite_so = find_sqlite_so()
    write_odbcinst(workdir, sqlite_so)

    started = time.perf_counter()
    log(f"Bitbucket ODBC driver benchmark ({'quick' if args.quick else 'full'} run), {dt.datetime.now():%Y-%m-%d %H:%M:%S}")
    so = DRIVER_SO.resolve()
    log(f"  driver: {so} ({so.stat().st_size / 1e6:.1f} MB, built {dt.datetime.fromtimestamp(so.stat().st_mtime):%Y-%m-%d %H:%M:%S})")
    log(f"  fake:   {FAKE_BIN} --seed 42 --scale {scale}")
    log(f"  SQLite ODBC driver: {sqlite_so or 'not found (install libsqliteodbc)'}")
    fake = Fake(workdir, scale)
    atexit.register(fake.stop)

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    cs = bb_conn_str(fake, args.concurrency)
    log(f"  connection: {cs.replace(TOKEN, '***')}")

    t = time.perf_counter()
    ds = count_dataset(fake)
    n_repos, n_prs, n_commits = len(ds["slugs"]), sum(ds["prs"].values()), sum(ds["commits"].values())
    log(f"\n== Data set, workspace '{WORKSPACE}' (counted through the fake's HTTP API in {time.perf_counter() - t:.1f} s)")
    log(table([["repositories", f"{n_repos:,}", ">= 20"], ["pull requests", f"{n_prs:,}", ">= 5,000"],
               ["commits", f"{n_commits:,}", ">= 50,000"],
               ["PRs per repository", f"{min(ds['prs'].values())}..{max(ds['prs'].values())}", ""]],
              ["what", "count", "wanted (full run)"]))
    if not args.quick and (n_repos < 20 or n_prs < 5000 or n_commits < 50000):
        log("    NOTE: this scale is smaller than the benchmark wants; use --scale large")

    mem_sizes = [5_000, 20_000] if args.quick else [50_000, 200_000]
    runs = [
        ("1", "full scan", lambda: case_full_scan(fake, cs, ds, args.latency_ms, args.concurrency)),
        ("2", "selective queries", lambda: case_selective(fake, cs, ds, args.latency_ms, args.show_urls)),
        ("3", "throughput", lambda: case_throughput(fake, cs, workdir, sqlite_so, ["Commits", "PullRequests"],
                                                    1 if args.quick else 2, args.concurrency)),
        ("4", "memory", lambda: case_memory(fake, cs, mem_sizes, n_commits)),
    ]
    for key, name, fn in runs:
        if key not in cases:
            continue
        try:
            fn()
        except Exception as e:  # a measurement run: report and go on
            log(f"    case {key} ({name}) FAILED: {type(e).__name__}: {str(e)[:600]}")
            log("    " + traceback.format_exc().strip().splitlines()[-1])
            summary(f"{key} {name}", f"failed: {str(e)[:80]}", "-", False)
            try:
                fake.set_latency(0)
            except Exception:
                pass

    log(f"\n== Summary ({'quick' if args.quick else 'full'} run, scale {scale}, "
        f"{time.perf_counter() - started:.0f} s)")
    log(table(SUMMARY, ["case", "figure", "target", "met"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
