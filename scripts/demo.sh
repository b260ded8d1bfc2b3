#!/usr/bin/env bash
# The driver's main job on a built-in demo: build it, start the fake Bitbucket Cloud server,
# register a private DSN and run a few queries through unixODBC's isql.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_packages
echo "==> building the driver and the fake server (release; the first build takes a while)"
(cd "$ROOT" && cargo build --release -p bitbucket-odbc -p fake-bitbucket --quiet)
WORK="$(mktemp -d)"
trap 'kill "${FAKE_PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_fake "$WORK" --seed 42 --scale small
write_ini "$WORK"
echo "==> fake Bitbucket Cloud at $BASE_URL; DSN [Bitbucket] in $ODBCINI"
run() {
  echo
  echo "isql> $1"
  echo "$1" | isql -b -v Bitbucket -m40
}
run "SELECT Slug, Name, ProjectKey FROM Repositories ORDER BY Slug"
run "SELECT ProjectKey, COUNT(*) AS Repos, SUM(Size) AS Bytes FROM Repositories GROUP BY ProjectKey ORDER BY Repos DESC"
run "SELECT p.Name AS Project, r.Name AS Repository FROM Repositories r JOIN Projects p ON r.ProjectKey = p.Key WHERE r.IsPrivate = false ORDER BY 1, 2"
run "SELECT Slug, IsAdministrator FROM Workspaces ORDER BY Slug"
run "SELECT DisplayName FROM Users ORDER BY DisplayName"
echo
echo "==> $(curl -s "${BASE_URL%/2.0}/_fake/stats") (requests the fake server answered)"
