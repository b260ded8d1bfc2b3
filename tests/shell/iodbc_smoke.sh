#!/usr/bin/env bash
# Smoke tests of the iODBC build of the driver (4-byte SQLWCHAR) through iODBC's driver
# manager: `iodbctest` (ANSI application; iODBC turns its calls into our W functions) and
# `iodbctestw` (a wide application, built here from the sample source libiodbc2-dev ships;
# that package conflicts with unixodbc-dev, so its files are unpacked here, not installed).
#
# Starts the fake Bitbucket server (seed 42, small), registers the driver in private
# ODBCINI/ODBCINSTINI files, connects by DSN= and by DRIVER=, runs queries, SQLTables and
# failing statements, and checks the output.
#
#   DRIVER_SO  iODBC build of the driver (default: <repo>/target/iodbc/libbitbucket_odbc.so,
#              made by `cargo build --release --features iodbc`)
#   FAKE_BIN   fake server              (default: <repo>/target/release/fake-bitbucket)
#   IODBC_DEV  where libiodbc2-dev is unpacked (default: <repo>/target/iodbc/libiodbc2-dev;
#              fetched with `apt-get download` when missing)
#   KEEP_TMP   set to keep the tools' outputs (the temporary folder is printed at the end)
#
# Prints one line per check and, last, "N passed, M failed"; exits non-zero on any failure.
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DRIVER_SO="${DRIVER_SO:-$ROOT/target/iodbc/libbitbucket_odbc.so}"
FAKE_BIN="${FAKE_BIN:-$ROOT/target/release/fake-bitbucket}"
IODBC_DEV="${IODBC_DEV:-$ROOT/target/iodbc/libiodbc2-dev}"
SAMPLE_SRC="$IODBC_DEV/usr/share/doc/libiodbc2-dev/examples/iodbctest.c.gz"
LIBIODBC="$(ls /usr/lib/*/libiodbc.so.2 /usr/lib/libiodbc.so.2 2>/dev/null | head -1)"
USER_EMAIL="analyst@example.com"
TOKEN="bbtoken-analyst-0001"

PASSED=0
FAILED=0
TMP="$(mktemp -d "${TMPDIR:-/tmp}/bb-iodbc-smoke.XXXXXX")"
FAKE_PID=""

cleanup() {
  if [ -n "$FAKE_PID" ] && kill -0 "$FAKE_PID" 2>/dev/null; then
    kill "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
  fi
  [ -n "${KEEP_TMP:-}" ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() {
  PASSED=$((PASSED + 1))
  echo "ok   - $1"
}
fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL - $1"
  if [ -n "${2:-}" ] && [ -f "$2" ]; then
    echo "       --- output ($2) ---"
    head -c 4000 "$2" | sed 's/^/       | /'
    echo
  fi
}
finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
  exit $?
}
# check DESCRIPTION FILE STRING...: passes when FILE holds every STRING (fixed strings).
check() {
  local what="$1" file="$2" s
  shift 2
  for s in "$@"; do
    if ! grep -qF -- "$s" "$file"; then
      fail "$what (missing: $s)" "$file"
      return
    fi
  done
  pass "$what"
}

# --- prerequisites ---------------------------------------------------------------------------
command -v iodbctest >/dev/null 2>&1 || fail "iodbctest is installed (apt-get install iodbc)"
[ -n "$LIBIODBC" ] || fail "iODBC's libiodbc.so.2 is installed (apt-get install libiodbc2)"
if [ ! -f "$SAMPLE_SRC" ]; then
  mkdir -p "$TMP/deb" "$IODBC_DEV"
  unpack() { (cd "$TMP/deb" && apt-get download libiodbc2-dev && dpkg-deb -x libiodbc2-dev_*.deb "$IODBC_DEV") >>"$TMP/deb.log" 2>&1; }
  # Package lists may be missing on a fresh machine: refresh them once (as root) and retry.
  if ! unpack && ! { [ "$(id -u)" -eq 0 ] && apt-get update -qq >>"$TMP/deb.log" 2>&1 && unpack; }; then
    fail "unpack libiodbc2-dev (apt-get download libiodbc2-dev)" "$TMP/deb.log"
  fi
fi
[ -f "$DRIVER_SO" ] || fail "driver library exists at $DRIVER_SO (cargo build --release --features iodbc)"
[ -x "$FAKE_BIN" ] || fail "fake server exists at $FAKE_BIN (cargo build --release -p fake-bitbucket)"
[ "$FAILED" -eq 0 ] || finish

# The driver must not pull in a driver manager: the application's one is already loaded.
if readelf -d "$DRIVER_SO" | grep -qE 'NEEDED.*lib(i?odbc|odbcinst|iodbcinst)'; then
  readelf -d "$DRIVER_SO" >"$TMP/needed" 2>&1
  fail "the driver links no driver manager library" "$TMP/needed"
else
  pass "the driver links no driver manager library"
fi

# iodbctestw is the same sample built with -DUNICODE (Debian ships only the ANSI binary).
zcat "$SAMPLE_SRC" >"$TMP/iodbctest.c"
if cc -w -DUNICODE -I"$IODBC_DEV/usr/include/iodbc" -o "$TMP/iodbctestw" "$TMP/iodbctest.c" "$LIBIODBC" >"$TMP/cc.log" 2>&1; then
  pass "iodbctestw built from iODBC's sample source"
else
  fail "iodbctestw built from iODBC's sample source" "$TMP/cc.log"
  finish
fi

# --- fake server -----------------------------------------------------------------------------
"$FAKE_BIN" --port 0 --port-file "$TMP/port" --seed 42 --scale small >"$TMP/fake.log" 2>&1 </dev/null &
FAKE_PID=$!
PORT=""
for _ in $(seq 1 300); do
  if [ -s "$TMP/port" ]; then
    PORT="$(tr -dc '0-9' <"$TMP/port")"
    [ -n "$PORT" ] && break
  fi
  kill -0 "$FAKE_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  fail "fake server started and wrote its port file" "$TMP/fake.log"
  finish
fi
BASE_URL="http://127.0.0.1:$PORT/2.0"

# --- private iODBC configuration (iODBC reads ODBCINI and ODBCINSTINI) -----------------------
cat >"$TMP/odbcinst.ini" <<EOF
[ODBC Drivers]
Bitbucket ODBC Driver=Installed

[Bitbucket ODBC Driver]
Description=Bitbucket Cloud ODBC driver (iODBC build, under test)
Driver=$DRIVER_SO
EOF
cat >"$TMP/odbc.ini" <<EOF
[ODBC Data Sources]
Bitbucket=Bitbucket ODBC Driver

[Bitbucket]
Driver=Bitbucket ODBC Driver
Description=fake Bitbucket for the iODBC smoke tests
Workspace=acme
BaseURL=$BASE_URL
User=$USER_EMAIL
Password=$TOKEN
MaxRetries=0
EOF
export ODBCINI="$TMP/odbc.ini" ODBCINSTINI="$TMP/odbcinst.ini"
unset ODBCSYSINI SYSODBCINI SYSODBCINSTINI
# The samples call setlocale(LC_ALL, ""): a UTF-8 locale for their wide <-> multibyte I/O.
export LC_ALL=C.UTF-8

# run TOOL OUTFILE CONNSTR SQL...: one statement a line on stdin, stdout and stderr to OUTFILE.
run() {
  local tool="$1" out="$2" conn="$3"
  shift 3
  printf '%s\n' "$@" quit | timeout 120 "$tool" "$conn" >"$out" 2>&1
}
DSN="DSN=Bitbucket"
BY_DRIVER="DRIVER=Bitbucket ODBC Driver;Workspace=acme;BaseURL=$BASE_URL;User=$USER_EMAIL;Password=$TOKEN;MaxRetries=0"
SLUG_QUERY="SELECT Slug, Name, ProjectKey FROM Repositories ORDER BY Slug"
TABLES=(Workspaces Projects Repositories Users)
# The fake's acme repositories (seed 42), sorted as ORDER BY Slug sorts them.
SLUGS=(cafe-unicode core-api core-api-fork data-pipeline empty-repo infra-terraform legacy-tracker
  mobile-app quote-escape rocket-launcher rtl-docs web-frontend)

for tool in iodbctest "$TMP/iodbctestw"; do
  name="$(basename "$tool")"

  # -- connect by DSN, a query --------------------------------------------------------------
  out="$TMP/$name.dsn.out"
  run "$tool" "$out" "$DSN" "$SLUG_QUERY" "SELECT COUNT(*) AS n FROM Repositories"
  check "$name: connects by DSN and names the driver (SQLGetInfo)" "$out" "Driver: 00.01.0000 (libbitbucket_odbc.so)"
  check "$name: query returns the 12 repositories" "$out" "result set 1 returned 12 rows"
  # The samples print columns padded to their display width and separated by '|'.
  if grep -qE '^Slug +\|Name +\|ProjectKey' "$out"; then
    pass "$name: header shows Slug, Name, ProjectKey (SQLDescribeCol)"
  else
    fail "$name: header shows Slug, Name, ProjectKey (SQLDescribeCol)" "$out"
  fi
  if grep -qE '^core-api +\|Core API +\|CORE *$' "$out"; then
    pass "$name: row values (core-api | Core API | CORE)"
  else
    fail "$name: row values (core-api | Core API | CORE)" "$out"
  fi
  # The rows of the first result set: from the dashed line under the header to the blank line.
  got="$(awk '/^-+\+/ {on = 1; next} on && /^$/ {exit} on' "$out" | cut -d'|' -f1 | tr -d ' ' | paste -sd' ')"
  if [ "$got" = "${SLUGS[*]}" ]; then
    pass "$name: all 12 slugs in ORDER BY Slug order"
  else
    fail "$name: all 12 slugs in ORDER BY Slug order (got: $got)" "$out"
  fi
  if grep -qE '^12 *$' "$out"; then
    pass "$name: COUNT(*) is 12"
  else
    fail "$name: COUNT(*) is 12" "$out"
  fi

  # -- connect by DRIVER= -------------------------------------------------------------------
  out="$TMP/$name.driver.out"
  run "$tool" "$out" "$BY_DRIVER" "SELECT Slug FROM Repositories WHERE Slug = 'empty-repo'"
  check "$name: connects by DRIVER= and queries" "$out" "Driver: 00.01.0000" "empty-repo" "result set 1 returned 1 rows"

  # -- SQLTables ----------------------------------------------------------------------------
  out="$TMP/$name.tables.out"
  run "$tool" "$out" "$DSN" "tables"
  check "$name: tables (SQLTables) lists ${TABLES[*]}" "$out" "${TABLES[@]}" "TABLE_NAME"

  # -- errors: SQLSTATE and message through SQLGetDiagRec(W) --------------------------------
  out="$TMP/$name.errors.out"
  run "$tool" "$out" "$DSN" "SELEC Slug FROM Repositories" "SELECT * FROM NoSuchTable" "SELECT 7 AS still_alive"
  check "$name: a syntax error shows SQLSTATE=42000 and [Bitbucket ODBC]" "$out" "SQLSTATE=42000" "[Bitbucket ODBC]"
  check "$name: an unknown table shows SQLSTATE=42S02 and names it" "$out" "SQLSTATE=42S02" "NoSuchTable"
  if grep -qE '^7 *$' "$out"; then
    pass "$name: queries still run after errors in the same session"
  else
    fail "$name: queries still run after errors in the same session" "$out"
  fi

  # -- wrong credentials --------------------------------------------------------------------
  out="$TMP/$name.badauth.out"
  run "$tool" "$out" "DSN=Bitbucket;PWD=bbtoken-wrong-9999" "SELECT 1"
  check "$name: a wrong token fails the connection with SQLSTATE=28000" "$out" "SQLSTATE=28000" "[Bitbucket ODBC]"
  if grep -qF "bbtoken-wrong-9999" "$out"; then
    fail "$name: the token is not echoed in messages" "$out"
  else
    pass "$name: the token is not echoed in messages"
  fi
done

# -- non-ASCII text both ways through the wide API: SQL text in, values and names out -------
out="$TMP/iodbctestw.unicode.out"
run "$TMP/iodbctestw" "$out" "$DSN" \
  "SELECT Slug FROM Repositories WHERE Name = 'Café Ünïcödé'" \
  "SELECT DisplayName FROM Users WHERE DisplayName LIKE 'Zo%'" \
  "SELECT 'héllo 日本' AS \"grüße\""
if grep -qE '^cafe-unicode *$' "$out"; then
  pass "iodbctestw: a WHERE on 'Café Ünïcödé' finds cafe-unicode"
else
  fail "iodbctestw: a WHERE on 'Café Ünïcödé' finds cafe-unicode" "$out"
fi
# 🎸 lies outside the BMP: one UTF-32 unit under iODBC, where UTF-16 would print garbage.
check "iodbctestw: 'Zoë Ñúñez 🎸' comes back whole" "$out" "Zoë Ñúñez 🎸"
check "iodbctestw: a literal 'héllo 日本' and its column name round-trip" "$out" "héllo 日本" "grüße"

# -- the ANSI application gets UTF-8 data (SQL_C_CHAR) from the same driver -------------------
out="$TMP/iodbctest.unicode.out"
run iodbctest "$out" "$DSN" "SELECT Name, Description FROM Repositories WHERE Slug IN ('cafe-unicode', 'rocket-launcher') ORDER BY Slug"
check "iodbctest: UTF-8 values 'Café Ünïcödé' and 🚀 round-trip" "$out" "Café Ünïcödé" "🚀"

# -- a bulk reader under iODBC: row-wise rowsets of 50 (4-byte SQLWCHAR column) vs SQLGetData --
out="$TMP/block_fetch.out"
if cc -w -I"$IODBC_DEV/usr/include/iodbc" -o "$TMP/block_fetch" "$ROOT/tests/c/block_fetch.c" "$LIBIODBC" >"$TMP/cc-block.log" 2>&1; then
  timeout 120 "$TMP/block_fetch" "$DSN" \
    "SELECT AuthorDisplayName, AuthorDisplayName AS \"Author (wide)\", CreatedOn, Id FROM PullRequests ORDER BY RepositorySlug, Id" >"$out" 2>&1
  if grep -qE '^rows=([0-9]{3,}) rowsets=[0-9]+ mismatches=0 reference=\1 wide=4$' "$out"; then
    pass "block fetch: $(cat "$out")"
  else
    fail "block fetch: row-wise rowsets equal SQLGetData, SQLWCHAR 4 bytes" "$out"
  fi
else
  fail "block fetch reader built against iODBC's headers" "$TMP/cc-block.log"
fi

finish
