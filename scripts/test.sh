#!/usr/bin/env bash
# The whole test suite: Rust unit tests, the fake server's tests, odbc-api tests through the
# driver manager, pyodbc tests and isql/iusql smoke runs. Installs what it needs.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
NEED_NODE=1 need_packages
cd "$ROOT"
FEATURES="bitbucket-odbc/test-hooks"
echo "==> building (release, with the test-only panic trigger)"
cargo build --release --workspace --features "$FEATURES"
echo "==> cargo test"
cargo test --release --workspace --features "$FEATURES"

VENV="$ROOT/.venv"
if ! "$VENV/bin/python" -c 'import pyodbc, pytest, requests, arrow_odbc, pyarrow' 2>/dev/null; then
  echo "==> creating the Python venv ($VENV)"
  python3 -m venv "$VENV" 2>/dev/null || {
    sudo_="" ; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
    $sudo_ apt-get install -y -qq python3-venv python3-dev >/dev/null
    python3 -m venv "$VENV"
  }
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q pyodbc pytest requests arrow-odbc pyarrow
fi
echo "==> pyodbc tests"
"$VENV/bin/python" -m pytest -q tests/python
echo "==> isql / iusql smoke tests"
DRIVER_SO="$ROOT/target/release/libbitbucket_odbc.so" FAKE_BIN="$ROOT/target/release/fake-bitbucket" bash tests/shell/isql_smoke.sh
echo "==> all test suites passed"
