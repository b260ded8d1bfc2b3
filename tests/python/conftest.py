"""Shared fixtures for the pyodbc client tests.

One fake Bitbucket server (``fake-bitbucket --seed 42 --scale small``) runs for the whole
session; a private ODBCSYSINI/ODBCINI pair registers the driver under test as
``[Bitbucket ODBC Driver]`` and a DSN ``[Bitbucket]`` pointing at the fake.

Environment:
  DRIVER_SO  path of libbitbucket_odbc.so  (default: <repo>/target/release/libbitbucket_odbc.so)
  FAKE_BIN   path of the fake server       (default: <repo>/target/release/fake-bitbucket)
"""

import ctypes
import faulthandler
import os
import shutil
import signal
import socket
import sys
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

try:
    import requests
except ImportError:  # pragma: no cover - the venv is expected to have it
    requests = None

REPO = Path(__file__).resolve().parents[2]
DRIVER_SO = Path(os.environ.get("DRIVER_SO") or REPO / "target/release/libbitbucket_odbc.so").resolve()
FAKE_BIN = Path(os.environ.get("FAKE_BIN") or REPO / "target/release/fake-bitbucket").resolve()

DRIVER_NAME = "Bitbucket ODBC Driver"
DSN = "Bitbucket"
WORKSPACE = "acme"
USER = "analyst@example.com"
TOKEN = "bbtoken-analyst-0001"

# A hung driver call must fail the run, not stall it: after this many seconds in one test the
# process dumps every thread's stack and exits (pytest-timeout is not assumed to be installed).
TEST_TIMEOUT_SECS = int(os.environ.get("BB_TEST_TIMEOUT", "120"))

# The driver only compiles the `SELECT __panic__` trigger with `--features test-hooks`.
PANIC_MARKER = b"test-only panic trigger"


def _wait_for_port(port_file: Path, proc: subprocess.Popen, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"fake-bitbucket exited early with status {proc.returncode}")
        try:
            text = port_file.read_text().strip()
            if text:
                return int(text)
        except (FileNotFoundError, ValueError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"fake-bitbucket did not write {port_file} within {timeout} s")


def _wait_until_serving(root: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            r = requests.get(f"{root}/_fake/stats", timeout=2)
            if r.status_code == 200:
                return
        except requests.RequestException as e:  # still starting
            last = e
        time.sleep(0.05)
    raise RuntimeError(f"fake-bitbucket at {root} does not answer: {last}")


def _die_with_parent():
    """Runs in the child before exec: SIGTERM it if pytest dies without tearing down."""
    try:
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except Exception:  # not Linux: the session teardown still stops it
        pass


def free_port() -> int:
    """A local TCP port nothing listens on (bound once, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeServer:
    """Handle on the running fake: its URLs and control endpoints."""

    def __init__(self, port: int):
        self.port = port
        self.root = f"http://127.0.0.1:{port}"
        self.base_url = f"{self.root}/2.0"
        self.http = requests.Session()
        self.http.auth = (USER, TOKEN)

    # -- the fake's own API: the source of expected values --------------------------------
    def get(self, path: str, **params):
        r = self.http.get(self.base_url + path, params=params or None, timeout=30)
        r.raise_for_status()
        return r.json()

    def get_all(self, path: str, **params):
        """Every value of a paginated collection, following `next` links."""
        params.setdefault("pagelen", 100)
        page = self.get(path, **params)
        values = list(page.get("values", []))
        while page.get("next"):
            r = self.http.get(page["next"], timeout=30)
            r.raise_for_status()
            page = r.json()
            values.extend(page.get("values", []))
        return values

    # -- control endpoints (not logged by the fake) ---------------------------------------
    def stats(self) -> dict:
        r = requests.get(f"{self.root}/_fake/stats", timeout=10)
        r.raise_for_status()
        return r.json()

    def request_log(self) -> list:
        r = requests.get(f"{self.root}/_fake/requests", timeout=10)
        r.raise_for_status()
        return r.json()

    def reset(self) -> None:
        r = requests.post(f"{self.root}/_fake/reset", timeout=10)
        assert r.status_code in (200, 204), r.text

    def config(self, **switches) -> dict:
        r = requests.post(f"{self.root}/_fake/config", json=switches, timeout=10)
        r.raise_for_status()
        return r.json() if r.content else {}


_REAL_STDERR = None


def pytest_configure(config):
    # Output capture is not active yet here: keep a handle on the real stderr, so a watchdog
    # dump is seen even though pytest redirects fd 2 during tests.
    global _REAL_STDERR
    try:
        _REAL_STDERR = os.fdopen(os.dup(2), "w")
    except OSError:
        _REAL_STDERR = None


@pytest.fixture(autouse=True)
def _watchdog():
    out = _REAL_STDERR or sys.__stderr__
    faulthandler.dump_traceback_later(TEST_TIMEOUT_SECS, exit=True, file=out)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="session")
def odbc_dir():
    d = Path(tempfile.mkdtemp(prefix="bb-odbc-pytest-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def fake(odbc_dir):
    """Starts the fake server for the session and points the driver manager at it."""
    if requests is None:
        pytest.fail("the `requests` package is needed: pip install requests")
    if not FAKE_BIN.is_file():
        pytest.fail(f"fake server not found at {FAKE_BIN}: cargo build --release -p fake-bitbucket, or set FAKE_BIN")
    if not DRIVER_SO.is_file():
        pytest.fail(
            f"driver not found at {DRIVER_SO}: cargo build --release --features test-hooks -p bitbucket-odbc, or set DRIVER_SO"
        )
    port_file = odbc_dir / "fake.port"
    log = open(odbc_dir / "fake.log", "wb")
    proc = subprocess.Popen(
        [str(FAKE_BIN), "--port", "0", "--port-file", str(port_file), "--seed", "42", "--scale", "small"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    try:
        port = _wait_for_port(port_file, proc)
        server = FakeServer(port)
        _wait_until_serving(server.root)

        (odbc_dir / "odbcinst.ini").write_text(
            f"[ODBC]\nTrace=No\n\n[{DRIVER_NAME}]\nDescription=Bitbucket Cloud ODBC driver (under test)\n"
            f"Driver={DRIVER_SO}\nUsageCount=1\n"
        )
        dsn_section = (
            f"[{DSN}]\nDriver={DRIVER_NAME}\nDescription=fake Bitbucket for the pyodbc tests\n"
            f"Workspace={WORKSPACE}\nBaseURL={server.base_url}\nUser={USER}\nPassword={TOKEN}\n"
            # Fail fast in error tests instead of retrying with backoff.
            "MaxRetries=0\nTimeout=20\n"
        )
        (odbc_dir / "odbc.ini").write_text(f"[ODBC Data Sources]\n{DSN}={DRIVER_NAME}\n\n{dsn_section}")
        os.environ["ODBCSYSINI"] = str(odbc_dir)
        os.environ.pop("ODBCINSTINI", None)  # use <ODBCSYSINI>/odbcinst.ini
        os.environ["ODBCINI"] = str(odbc_dir / "odbc.ini")
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def has_test_hooks() -> bool:
    return PANIC_MARKER in DRIVER_SO.read_bytes()


def conn_str(server: FakeServer, **overrides) -> str:
    """A DSN-less connection string naming the registered driver."""
    props = {
        "Driver": "{%s}" % DRIVER_NAME,
        "Workspace": WORKSPACE,
        "BaseURL": server.base_url,
        "User": USER,
        "Password": TOKEN,
        "MaxRetries": "0",
    }
    props.update({k: str(v) for k, v in overrides.items()})
    return ";".join(f"{k}={v}" for k, v in props.items()) + ";"


@pytest.fixture
def cnxn(fake):
    import pyodbc

    c = pyodbc.connect(f"DSN={DSN}", autocommit=True, timeout=30)
    yield c
    c.close()
