#!/usr/bin/env bash
# Smoke tests of the driver through unixODBC's isql (ANSI) and iusql (Unicode).
#
# Starts the fake Bitbucket server (seed 42, small), registers the driver in a private
# ODBCSYSINI/ODBCINI, runs queries and catalog commands, and checks the output.
#
#   DRIVER_SO  driver library  (default: <repo>/target/release/libbitbucket_odbc.so)
#   FAKE_BIN   fake server     (default: <repo>/target/release/fake-bitbucket)
#
# Prints one line per check and, last, "N passed, M failed"; exits non-zero on any failure.
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DRIVER_SO="${DRIVER_SO:-$ROOT/target/release/libbitbucket_odbc.so}"
FAKE_BIN="${FAKE_BIN:-$ROOT/target/release/fake-bitbucket}"
USER_EMAIL="analyst@example.com"
TOKEN="bbtoken-analyst-0001"

PASSED=0
FAILED=0
TMP="$(mktemp -d "${TMPDIR:-/tmp}/bb-isql-smoke.XXXXXX")"
FAKE_PID=""

cleanup() {
  if [ -n "$FAKE_PID" ] && kill -0 "$FAKE_PID" 2>/dev/null; then
    kill "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
  fi
  rm -rf "$TMP"
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

# contains FILE STRING: fixed-string search
contains() { grep -qF -- "$2" "$1"; }

# --- prerequisites ---------------------------------------------------------------------------
for tool in isql iusql; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    fail "$tool is installed (apt-get install unixodbc)"
  fi
done
[ -f "$DRIVER_SO" ] || fail "driver library exists at $DRIVER_SO (cargo build --release)"
[ -x "$FAKE_BIN" ] || fail "fake server exists at $FAKE_BIN (cargo build --release -p fake-bitbucket)"
[ "$FAILED" -eq 0 ] || finish

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
pass "fake server listening at $BASE_URL"

# Expected slugs straight from the fake's API (all pages), sorted as ORDER BY Slug sorts them.
fetch_slugs() {
  python3 - "$BASE_URL/repositories/acme?pagelen=100" "$USER_EMAIL" "$TOKEN" <<'PY'
import base64, json, sys, urllib.request
url, user, token = sys.argv[1:4]
auth = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()
slugs = []
while url:
    req = urllib.request.Request(url, headers={"Authorization": auth})
    for _ in range(50):
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                page = json.load(r)
            break
        except OSError:
            import time; time.sleep(0.1)
    else:
        sys.exit("fake server does not answer")
    slugs += [v["slug"] for v in page["values"]]
    url = page.get("next")
print("\n".join(sorted(slugs)))
PY
}
if ! fetch_slugs >"$TMP/slugs" 2>"$TMP/slugs.err"; then
  fail "read the expected repositories from the fake's API" "$TMP/slugs.err"
  finish
fi
mapfile -t SLUGS <"$TMP/slugs"
if [ "${#SLUGS[@]}" -eq 12 ]; then
  pass "fake server holds the 12 acme repositories"
else
  fail "fake server holds the 12 acme repositories (got ${#SLUGS[@]})" "$TMP/slugs"
fi

# --- private driver manager configuration ----------------------------------------------------
cat >"$TMP/odbcinst.ini" <<EOF
[Bitbucket ODBC Driver]
Description=Bitbucket Cloud ODBC driver (under test)
Driver=$DRIVER_SO
EOF
cat >"$TMP/odbc.ini" <<EOF
[ODBC Data Sources]
Bitbucket=Bitbucket ODBC Driver

[Bitbucket]
Driver=Bitbucket ODBC Driver
Description=fake Bitbucket for the isql smoke tests
Workspace=acme
BaseURL=$BASE_URL
User=$USER_EMAIL
Password=$TOKEN
MaxRetries=0
EOF
export ODBCSYSINI="$TMP"
export ODBCINI="$TMP/odbc.ini"
unset ODBCINSTINI

# run TOOL OUTFILE SQL... : feeds the statements (one a line) to `TOOL -b -v Bitbucket`.
run() {
  local tool="$1" out="$2"
  shift 2
  printf '%s\n' "$@" | timeout 120 "$tool" -b -v Bitbucket >"$out" 2>&1
}

TABLES=(Workspaces Projects Repositories Users)
REPO_COLUMNS=(Uuid Slug FullName Name Description ProjectKey ProjectName IsPrivate ForkPolicy
  Language Size MainBranch HasIssues HasWiki ParentFullName CreatedOn UpdatedOn)

for tool in isql iusql; do
  # -- a query ------------------------------------------------------------------------------
  out="$TMP/$tool.select.out"
  if run "$tool" "$out" "SELECT Slug, Name, ProjectKey FROM Repositories ORDER BY Slug"; then
    pass "$tool: query runs"
  else
    fail "$tool: query runs (exit status $?)" "$out"
  fi
  if grep -qE '^\| *Slug +\| *Name +\| *ProjectKey +\|' "$out"; then
    pass "$tool: header shows Slug, Name, ProjectKey"
  else
    fail "$tool: header shows Slug, Name, ProjectKey" "$out"
  fi
  missing=()
  for s in "${SLUGS[@]}"; do
    grep -qE "^\| *$s +\|" "$out" || missing+=("$s")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    pass "$tool: all ${#SLUGS[@]} repository slugs listed"
  else
    fail "$tool: all repository slugs listed (missing: ${missing[*]})" "$out"
  fi
  got_order="$(grep -oE '^\| *[a-z0-9-]+ +\|' "$out" | tr -d '| ' | paste -sd' ')"
  if [ "$got_order" = "$(paste -sd' ' "$TMP/slugs")" ]; then
    pass "$tool: rows come in ORDER BY Slug order"
  else
    fail "$tool: rows come in ORDER BY Slug order (got: $got_order)" "$out"
  fi
  if contains "$out" "12 rows fetched"; then
    pass "$tool: reports 12 rows fetched"
  else
    fail "$tool: reports 12 rows fetched" "$out"
  fi
  if grep -qE '^\| *core-api +\| *Core API +\| *CORE +\|' "$out"; then
    pass "$tool: row values (core-api | Core API | CORE)"
  else
    fail "$tool: row values (core-api | Core API | CORE)" "$out"
  fi

  # -- SQLTables ----------------------------------------------------------------------------
  out="$TMP/$tool.help.out"
  run "$tool" "$out" "help"
  missing=()
  for t in "${TABLES[@]}"; do
    grep -qE "\| *$t +\|" "$out" || missing+=("$t")
  done
  if [ "${#missing[@]}" -eq 0 ] && contains "$out" "TABLE_NAME" && grep -qE '\| *TABLE +\|' "$out"; then
    pass "$tool: help (SQLTables) lists ${TABLES[*]} as TABLE"
  else
    fail "$tool: help (SQLTables) lists the tables (missing: ${missing[*]:-none})" "$out"
  fi

  # -- SQLColumns ---------------------------------------------------------------------------
  out="$TMP/$tool.help-repositories.out"
  run "$tool" "$out" "help Repositories"
  missing=()
  for c in "${REPO_COLUMNS[@]}"; do
    grep -qE "\| *Repositories +\| *$c +\|" "$out" || missing+=("$c")
  done
  if [ "${#missing[@]}" -eq 0 ] && contains "$out" "COLUMN_NAME"; then
    pass "$tool: help Repositories (SQLColumns) lists its ${#REPO_COLUMNS[@]} columns"
  else
    fail "$tool: help Repositories (SQLColumns) lists its columns (missing: ${missing[*]:-none})" "$out"
  fi
  got_cols="$(grep -oE '^\| *[a-z0-9-]+ +\| *Information +\| *Repositories +\| *[A-Za-z]+ +\|' "$out" |
    awk -F'|' '{gsub(/ /, "", $5); print $5}' | paste -sd' ')"
  if [ "$got_cols" = "${REPO_COLUMNS[*]}" ] || [[ "$got_cols" == "${REPO_COLUMNS[*]} "* ]]; then
    pass "$tool: Repositories columns in declaration order"
  else
    fail "$tool: Repositories columns in declaration order (got: $got_cols)" "$out"
  fi

  # -- errors -------------------------------------------------------------------------------
  out="$TMP/$tool.syntax.out"
  run "$tool" "$out" "SELEC Slug FROM Repositories"
  if contains "$out" "[Bitbucket ODBC]" && contains "$out" "syntax error"; then
    pass "$tool: a syntax error prints [Bitbucket ODBC] and says what is wrong"
  else
    fail "$tool: a syntax error prints [Bitbucket ODBC]" "$out"
  fi
  out="$TMP/$tool.notable.out"
  run "$tool" "$out" "SELECT * FROM NoSuchTable"
  if contains "$out" "[Bitbucket ODBC]" && contains "$out" "NoSuchTable"; then
    pass "$tool: an unknown table prints [Bitbucket ODBC] and names the table"
  else
    fail "$tool: an unknown table prints [Bitbucket ODBC] and names the table" "$out"
  fi

  # -- the session survives errors ----------------------------------------------------------
  out="$TMP/$tool.recover.out"
  run "$tool" "$out" "SELEC 1" "SELECT COUNT(*) AS n FROM Repositories"
  if grep -qE '^\| *12 +\|' "$out"; then
    pass "$tool: queries still run after an error in the same session"
  else
    fail "$tool: queries still run after an error in the same session" "$out"
  fi

  # -- wrong credentials --------------------------------------------------------------------
  out="$TMP/$tool.badauth.out"
  if printf 'SELECT 1\n' | timeout 60 "$tool" -b -v Bitbucket "$USER_EMAIL" bbtoken-wrong-9999 >"$out" 2>&1; then
    fail "$tool: a wrong token makes the connection fail" "$out"
  elif contains "$out" "[Bitbucket ODBC]" && contains "$out" "401"; then
    pass "$tool: a wrong token fails the connection with [Bitbucket ODBC] and the HTTP status"
  else
    fail "$tool: a wrong token fails the connection with a [Bitbucket ODBC] message" "$out"
  fi
  if contains "$out" "bbtoken-wrong-9999"; then
    fail "$tool: the token is not echoed in messages" "$out"
  else
    pass "$tool: the token is not echoed in messages"
  fi
done

# -- Unicode through the ANSI path (isql prints UTF-8 as the driver returns it) ---------------
out="$TMP/isql.unicode.out"
run isql "$out" \
  "SELECT Name FROM Repositories WHERE Slug = 'cafe-unicode'" \
  "SELECT Description FROM Repositories WHERE Slug = 'rocket-launcher'" \
  "SELECT DisplayName FROM Users WHERE DisplayName LIKE 'Zo%'" \
  "SELECT Slug FROM Repositories WHERE Name = 'Café Ünïcödé'"
for want in "Café Ünïcödé" "🚀" "Zoë Ñúñez 🎸" "| cafe-unicode"; do
  if contains "$out" "$want"; then
    pass "isql: Unicode value '$want' round-trips"
  else
    fail "isql: Unicode value '$want' round-trips" "$out"
  fi
done

# -- NULLs -----------------------------------------------------------------------------------
out="$TMP/isql.nulls.out"
run isql "$out" "SELECT Slug, MainBranch FROM Repositories WHERE Slug = 'empty-repo'"
if grep -qE '^\| *empty-repo +\| +\|' "$out" && contains "$out" "1 rows fetched"; then
  pass "isql: NULL MainBranch of empty-repo prints as empty"
else
  fail "isql: NULL MainBranch of empty-repo prints as empty" "$out"
fi

# -- a bulk reader under unixODBC: row-wise rowsets of 50 (UTF-16 SQLWCHAR column) vs SQLGetData --
out="$TMP/block_fetch.out"
if cc -w -o "$TMP/block_fetch" "$ROOT/tests/c/block_fetch.c" -lodbc >"$TMP/cc-block.log" 2>&1; then
  timeout 120 "$TMP/block_fetch" "DSN=Bitbucket" \
    "SELECT AuthorDisplayName, AuthorDisplayName AS \"Author (wide)\", CreatedOn, Id FROM PullRequests ORDER BY RepositorySlug, Id" >"$out" 2>&1
  if grep -qE '^rows=([0-9]{3,}) rowsets=[0-9]+ mismatches=0 reference=\1 wide=2$' "$out"; then
    pass "block fetch: $(cat "$out")"
  else
    fail "block fetch: row-wise rowsets equal SQLGetData, SQLWCHAR 2 bytes" "$out"
  fi
else
  fail "block fetch reader built against unixODBC's headers" "$TMP/cc-block.log"
fi

finish
