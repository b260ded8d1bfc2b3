#!/usr/bin/env bash
# The whole test suite: Rust unit tests, the fake server's tests, odbc-api tests through the
# driver manager, pyodbc tests, isql/iusql smoke runs and iodbctest/iodbctestw runs of the
# iODBC build. Installs what it needs.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
NEED_NODE=1 NEED_IODBC=1 need_packages
cd "$ROOT"
FEATURES="bitbucket-odbc/test-hooks"
# Cargo names our cdylib and rlib without a feature hash, so both variants write the same files
# and a variant whose sources did not change would pass for fresh: removing them makes each
# build below produce its own variant (only our crate recompiles).
forget_driver_build() {
  rm -f "$ROOT"/target/release/{,deps/}libbitbucket_odbc.{so,rlib}
}
# The iODBC build (4-byte SQLWCHAR) first, kept aside; the unixODBC build must be the one left
# in target/release for the tests that follow.
echo "==> building the iODBC variant (target/iodbc/libbitbucket_odbc.so)"
forget_driver_build
cargo build --release --workspace --features "$FEATURES,bitbucket-odbc/iodbc"
mkdir -p "$ROOT/target/iodbc"
cp "$ROOT/target/release/libbitbucket_odbc.so" "$ROOT/target/iodbc/libbitbucket_odbc.so"
echo "==> building (release, with the test-only panic trigger)"
forget_driver_build
cargo build --release --workspace --features "$FEATURES"
if cmp -s "$ROOT/target/release/libbitbucket_odbc.so" "$ROOT/target/iodbc/libbitbucket_odbc.so"; then
  echo "the unixODBC and iODBC builds of the driver are the same file: one of them is stale" >&2
  exit 1
fi
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
echo "==> iODBC smoke tests (iodbctest, iodbctestw)"
DRIVER_SO="$ROOT/target/iodbc/libbitbucket_odbc.so" FAKE_BIN="$ROOT/target/release/fake-bitbucket" bash tests/shell/iodbc_smoke.sh
echo "==> all test suites passed"
