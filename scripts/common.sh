# Shared by demo.sh and test.sh: system packages, builds, the fake server and private ini files.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

need_packages() {
  local missing=()
  command -v isql >/dev/null 2>&1 || missing+=(unixodbc)
  command -v iusql >/dev/null 2>&1 || missing+=(unixodbc)
  [ -f /usr/include/sql.h ] || missing+=(unixodbc-dev)
  command -v odbcinst >/dev/null 2>&1 || missing+=(odbcinst)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # The Tableau connector's connection builder is JavaScript; its test runs it under Node.js.
  [ "${NEED_NODE:-0}" = 1 ] && ! command -v node >/dev/null 2>&1 && ! command -v nodejs >/dev/null 2>&1 && missing+=(nodejs)
  # iODBC's driver manager and iodbctest for the iODBC smoke test (which unpacks libiodbc2-dev
  # itself: installing it would remove unixodbc-dev, which conflicts with it).
  [ "${NEED_IODBC:-0}" = 1 ] && ! command -v iodbctest >/dev/null 2>&1 && missing+=(iodbc)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  command -v cargo >/dev/null 2>&1 || { echo "cargo is needed: install Rust from https://rustup.rs" >&2; exit 1; }
}

# start_fake DIR [extra args]: starts the fake Bitbucket server; sets FAKE_PID and BASE_URL.
start_fake() {
  local dir="$1"; shift
  rm -f "$dir/port"
  "$ROOT/target/release/fake-bitbucket" --port 0 --port-file "$dir/port" "$@" >"$dir/fake.log" 2>&1 &
  FAKE_PID=$!
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  [ -s "$dir/port" ] || { echo "fake server did not start; see $dir/fake.log" >&2; exit 1; }
  BASE_URL="http://127.0.0.1:$(cat "$dir/port")/2.0"
  export FAKE_PID BASE_URL
}

# write_ini DIR: a private odbcinst.ini and odbc.ini pointing at the built driver and the fake.
write_ini() {
  local dir="$1"
  cat >"$dir/odbcinst.ini" <<INI
[Bitbucket ODBC Driver]
Description = Bitbucket Cloud ODBC driver
Driver      = $ROOT/target/release/libbitbucket_odbc.so
INI
  cat >"$dir/odbc.ini" <<INI
[Bitbucket]
Driver    = Bitbucket ODBC Driver
Workspace = acme
BaseURL   = $BASE_URL
User      = analyst@example.com
Password  = bbtoken-analyst-0001
INI
  export ODBCSYSINI="$dir" ODBCINI="$dir/odbc.ini"
}
