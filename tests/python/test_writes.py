"""INSERT, UPDATE and DELETE through pyodbc (contract sections 5 and 7): each statement becomes
the documented Bitbucket requests (asserted from the fake's request log: method, path, JSON
body), SQLRowCount says how many rows changed, rejected writes carry Bitbucket's message and
the right SQLSTATE, and statements that would need a search are refused before any request.
Every test starts and ends with the fake's generated data (`/_fake/reset` undoes writes)."""

import json

import pyodbc
import pytest

from conftest import conn_str

WRITER_TOKEN = "bbtoken-writer-0004"


@pytest.fixture
def w(fake):
    fake.reset()
    c = pyodbc.connect(conn_str(fake, Password=WRITER_TOKEN), autocommit=True, timeout=30)
    yield c.cursor()
    c.close()
    fake.reset()


@pytest.fixture(scope="module")
def repos(fake):
    return fake.get_all("/repositories/acme")


@pytest.fixture(scope="module")
def tracker_repo(repos):
    return next(r["slug"] for r in repos if r["has_issues"] and r["mainbranch"])


@pytest.fixture(scope="module")
def issue_ids(fake, tracker_repo):
    ids = sorted(i["id"] for i in fake.get_all(f"/repositories/acme/{tracker_repo}/issues"))
    assert len(ids) >= 3, ids
    return ids


@pytest.fixture(scope="module")
def no_tracker_repo(repos):
    return next(r["slug"] for r in repos if not r["has_issues"])


def writes(fake):
    """The logged requests that are not reads, as (method, path, parsed body)."""
    return [
        (r["method"], r["path"], json.loads(r["body"]) if r.get("body") else None)
        for r in fake.request_log()
        if r["method"] != "GET"
    ]


def sqlstate(e: pyodbc.Error) -> str:
    return e.args[0]


def test_insert_issue_then_read_it_back(w, fake, tracker_repo, issue_ids):
    before = max(issue_ids)
    fake.reset()
    w.execute(
        "INSERT INTO Issues (RepositorySlug, Title, ContentRaw, Kind, Priority) VALUES (?, 'Written by ODBC', 'Body *text*', 'task', 'minor')",
        tracker_repo,
    )
    assert w.rowcount == 1
    assert w.description is None, "a write has no result set"
    assert writes(fake) == [
        (
            "POST",
            f"/2.0/repositories/acme/{tracker_repo}/issues",
            {"title": "Written by ODBC", "content": {"raw": "Body *text*"}, "kind": "task", "priority": "minor"},
        )
    ]
    rows = w.execute(
        "SELECT Id, Title, ContentRaw, Kind, Priority, State, ReporterUuid IS NOT NULL FROM Issues WHERE RepositorySlug = ? AND Title = 'Written by ODBC'",
        tracker_repo,
    ).fetchall()
    assert [tuple(r) for r in rows] == [(before + 1, "Written by ODBC", "Body *text*", "task", "minor", "new", True)]


def test_multi_row_and_parameterised_insert(w, fake, tracker_repo):
    w.execute("INSERT INTO issues (repositoryslug, title) VALUES (?, ?), (?, ?)", tracker_repo, "one", tracker_repo, "two")
    assert w.rowcount == 2
    w.execute("INSERT INTO Issues (RepositorySlug, Title, AssigneeUuid) VALUES (?, ?, ?)", tracker_repo, "three", None)
    assert w.rowcount == 1
    bodies = [b for m, _, b in writes(fake)]
    assert bodies == [{"title": "one"}, {"title": "two"}, {"title": "three"}], "NULL values are not sent"
    got = w.execute(
        "SELECT Title FROM Issues WHERE RepositorySlug = ? AND Title IN ('one', 'two', 'three') ORDER BY Id", tracker_repo
    ).fetchall()
    assert [r[0] for r in got] == ["one", "two", "three"]


def test_update_then_delete_issue(w, fake, tracker_repo, issue_ids):
    a, b = issue_ids[0], issue_ids[1]
    fake.reset()
    w.execute("UPDATE Issues SET State = 'resolved', Title = ?, AssigneeUuid = NULL WHERE RepositorySlug = ? AND Id = ?", "Renamed", tracker_repo, a)
    assert w.rowcount == 1
    assert writes(fake) == [
        ("PUT", f"/2.0/repositories/acme/{tracker_repo}/issues/{a}", {"state": "resolved", "title": "Renamed", "assignee": None})
    ]
    row = w.execute("SELECT Title, State, AssigneeUuid FROM Issues WHERE RepositorySlug = ? AND Id = ?", tracker_repo, a).fetchone()
    assert tuple(row) == ("Renamed", "resolved", None)

    w.execute(f"DELETE FROM Issues WHERE RepositorySlug = ? AND Id IN ({a}, {b})", tracker_repo)
    assert w.rowcount == 2
    assert w.execute(f"SELECT COUNT(*) FROM Issues WHERE RepositorySlug = ? AND Id IN ({a}, {b})", tracker_repo).fetchone()[0] == 0
    # A key that names nothing deletes nothing: row count 0, not an error.
    w.execute("DELETE FROM Issues WHERE RepositorySlug = ? AND Id = ?", tracker_repo, a)
    assert w.rowcount == 0
    deletes = [(m, p) for m, p, _ in writes(fake) if m == "DELETE"]
    assert deletes == [("DELETE", f"/2.0/repositories/acme/{tracker_repo}/issues/{n}") for n in (a, b, a)]
    assert [r["status"] for r in fake.request_log() if r["method"] == "DELETE"] == [204, 204, 404]


def test_repository_schema_pins_the_repository(fake, tracker_repo, issue_ids):
    fake.reset()
    c = pyodbc.connect(conn_str(fake, Password=WRITER_TOKEN, Schema=tracker_repo), autocommit=True, timeout=30)
    try:
        cur = c.cursor()
        cur.execute("UPDATE Issues SET Priority = 'blocker' WHERE Id = ?", issue_ids[0])
        assert cur.rowcount == 1
        cur.execute("INSERT INTO Issues (Title) VALUES ('schema insert')")
        assert cur.rowcount == 1
        assert [(m, p) for m, p, _ in writes(fake)] == [
            ("PUT", f"/2.0/repositories/acme/{tracker_repo}/issues/{issue_ids[0]}"),
            ("POST", f"/2.0/repositories/acme/{tracker_repo}/issues"),
        ]
    finally:
        c.close()
        fake.reset()


def test_bitbucket_field_error_is_hy000_with_its_message(w, fake, tracker_repo):
    with pytest.raises(pyodbc.Error) as e:
        w.execute("INSERT INTO Issues (RepositorySlug, Title, Kind) VALUES (?, 'x', 'nonsense')", tracker_repo)
    assert sqlstate(e.value) == "HY000"
    msg = str(e.value)
    assert "[Bitbucket ODBC]" in msg and "HTTP 400" in msg
    assert 'kind: "nonsense" is not a valid choice.' in msg, msg
    assert [r["status"] for r in fake.request_log() if r["method"] == "POST"] == [400]


def test_missing_required_column_fails_before_any_request(w, fake, tracker_repo):
    with pytest.raises(pyodbc.Error) as e:
        w.execute("INSERT INTO Issues (RepositorySlug, ContentRaw) VALUES (?, 'no title')", tracker_repo)
    assert sqlstate(e.value) == "HY000"
    assert "needs a value for Title" in str(e.value)
    with pytest.raises(pyodbc.Error) as e:
        w.execute("INSERT INTO Issues (RepositorySlug, Title, CreatedOn) VALUES (?, 't', TIMESTAMP '2024-01-01 00:00:00')", tracker_repo)
    assert "column CreatedOn of Issues cannot be set by INSERT" in str(e.value)
    assert writes(fake) == []


def test_read_only_tables_are_refused_naming_the_table(w, fake):
    fake.reset()
    cases = [
        ("INSERT INTO Commits (RepositorySlug, Hash) VALUES ('a', 'b')", "table Commits is read-only"),
        ("DELETE FROM Workspaces WHERE Uuid = 'x'", "table Workspaces is read-only"),
        ("UPDATE sys_tables SET Description = 'x'", "table sys_tables is read-only"),
        ("UPDATE Branches SET TargetHash = 'x' WHERE RepositorySlug = 'a' AND Name = 'b'", "it accepts only INSERT, DELETE"),
    ]
    for sql, text in cases:
        with pytest.raises(pyodbc.Error) as e:
            w.execute(sql)
        assert sqlstate(e.value) == "HY000", sql
        assert text in str(e.value), (sql, str(e.value))
    assert writes(fake) == []


def test_unpinned_update_or_delete_is_refused(w, fake, tracker_repo):
    fake.reset()
    for sql in [
        "DELETE FROM Issues",
        "UPDATE Issues SET State = 'open' WHERE State = 'new'",
        f"DELETE FROM Issues WHERE RepositorySlug = '{tracker_repo}'",
        f"DELETE FROM Issues WHERE RepositorySlug = '{tracker_repo}' AND Id = 1 AND State = 'new'",
    ]:
        with pytest.raises(pyodbc.Error) as e:
            w.execute(sql)
        assert sqlstate(e.value) == "HY000", sql
        assert "RepositorySlug = ... AND Id = ..." in str(e.value), str(e.value)
    assert fake.request_log() == [], "nothing is read or written"


def test_write_needs_write_scope(fake, tracker_repo):
    fake.reset()
    c = pyodbc.connect(conn_str(fake), autocommit=True, timeout=30)  # the analyst's read-only token
    try:
        with pytest.raises(pyodbc.Error) as e:
            c.cursor().execute("INSERT INTO Issues (RepositorySlug, Title) VALUES (?, 'x')", tracker_repo)
        assert sqlstate(e.value) == "42501"
        assert "Required scopes: write:issue:bitbucket" in str(e.value)
    finally:
        c.close()


def test_issue_tracker_disabled(w, fake, no_tracker_repo):
    with pytest.raises(pyodbc.Error) as e:
        w.execute("INSERT INTO Issues (RepositorySlug, Title) VALUES (?, 'x')", no_tracker_repo)
    assert "no issue tracker" in str(e.value)
    w.execute("DELETE FROM Issues WHERE RepositorySlug = ? AND Id = 1", no_tracker_repo)
    assert w.rowcount == 0


def test_pull_request_insert_update_merge_decline(w, fake, repos):
    repo = next(r for r in repos if r["mainbranch"])
    slug, main = repo["slug"], repo["mainbranch"]["name"]
    branches = [b["name"] for b in fake.get_all(f"/repositories/acme/{slug}/refs/branches")]
    source = next(b for b in branches if b != main)
    fake.reset()
    w.execute(
        "INSERT INTO PullRequests (RepositorySlug, Title, SourceBranch, DestinationBranch, Draft) VALUES (?, 'ODBC PR', ?, ?, false)",
        slug,
        source,
        main,
    )
    assert w.rowcount == 1
    assert writes(fake)[0] == (
        "POST",
        f"/2.0/repositories/acme/{slug}/pullrequests",
        {"title": "ODBC PR", "source": {"branch": {"name": source}}, "destination": {"branch": {"name": main}}, "draft": False},
    )
    pr = w.execute("SELECT Id, State, SourceBranch FROM PullRequests WHERE RepositorySlug = ? AND Title = 'ODBC PR'", slug).fetchone()
    assert (pr[1], pr[2]) == ("OPEN", source)
    pid = pr[0]

    w.execute("UPDATE PullRequests SET Title = 'ODBC PR 2', State = 'MERGED' WHERE RepositorySlug = ? AND Id = ?", slug, pid)
    assert w.rowcount == 1
    assert [(m, p, b) for m, p, b in writes(fake)[1:]] == [
        ("PUT", f"/2.0/repositories/acme/{slug}/pullrequests/{pid}", {"title": "ODBC PR 2"}),
        ("POST", f"/2.0/repositories/acme/{slug}/pullrequests/{pid}/merge", None),
    ]
    row = w.execute("SELECT Title, State, MergeCommitHash IS NOT NULL FROM PullRequests WHERE RepositorySlug = ? AND Id = ?", slug, pid).fetchone()
    assert tuple(row) == ("ODBC PR 2", "MERGED", True)

    with pytest.raises(pyodbc.Error) as e:
        w.execute("UPDATE PullRequests SET State = 'DECLINED' WHERE RepositorySlug = ? AND Id = ?", slug, pid)
    assert sqlstate(e.value) == "HY000"
    assert "HTTP 400" in str(e.value) and "You can't decline a pull request that is merged." in str(e.value)
    with pytest.raises(pyodbc.Error) as e:
        w.execute("UPDATE PullRequests SET State = 'OPEN' WHERE RepositorySlug = ? AND Id = ?", slug, pid)
    assert "can only be set to MERGED or DECLINED" in str(e.value)


def test_branch_insert_conflict_and_delete(w, fake, repos):
    slug = next(r["slug"] for r in repos if r["mainbranch"])
    head = fake.get_all(f"/repositories/acme/{slug}/commits")[0]["hash"]
    fake.reset()
    w.execute("INSERT INTO Branches (RepositorySlug, Name, TargetHash) VALUES (?, 'odbc/new', ?)", slug, head)
    assert w.rowcount == 1
    assert writes(fake) == [
        ("POST", f"/2.0/repositories/acme/{slug}/refs/branches", {"name": "odbc/new", "target": {"hash": head}})
    ]
    got = w.execute("SELECT TargetHash FROM Branches WHERE RepositorySlug = ? AND Name = 'odbc/new'", slug).fetchone()
    assert got[0] == head
    with pytest.raises(pyodbc.Error) as e:
        w.execute("INSERT INTO Branches (RepositorySlug, Name, TargetHash) VALUES (?, 'odbc/new', ?)", slug, head)
    assert sqlstate(e.value) == "23000"
    assert 'Branch "odbc/new" already exists.' in str(e.value)
    w.execute("DELETE FROM Branches WHERE RepositorySlug = ? AND Name = 'odbc/new'", slug)
    assert w.rowcount == 1
    assert writes(fake)[-1] == ("DELETE", f"/2.0/repositories/acme/{slug}/refs/branches/odbc%2Fnew", None)
    assert w.execute("SELECT COUNT(*) FROM Branches WHERE RepositorySlug = ? AND Name = 'odbc/new'", slug).fetchone()[0] == 0


def test_tag_insert_and_delete(w, fake, repos):
    slug = next(r["slug"] for r in repos if r["mainbranch"])
    head = fake.get_all(f"/repositories/acme/{slug}/commits")[0]["hash"]
    fake.reset()
    w.execute("INSERT INTO Tags (RepositorySlug, Name, TargetHash, Message) VALUES (?, 'v99.0.0', ?, 'Release')", slug, head)
    assert w.rowcount == 1
    row = w.execute("SELECT TargetHash, Message, TaggerRaw IS NOT NULL FROM Tags WHERE RepositorySlug = ? AND Name = 'v99.0.0'", slug).fetchone()
    assert tuple(row) == (head, "Release", True)
    w.execute("DELETE FROM Tags WHERE RepositorySlug = ? AND Name = 'v99.0.0'", slug)
    assert w.rowcount == 1
    assert [m for m, _, _ in writes(fake)] == ["POST", "DELETE"]


def test_commit_status_insert_and_update(w, fake, repos):
    slug = next(r["slug"] for r in repos if r["mainbranch"])
    head = fake.get_all(f"/repositories/acme/{slug}/commits")[0]["hash"]
    fake.reset()
    w.execute(
        "INSERT INTO CommitStatuses (RepositorySlug, CommitHash, Key, State, Name, Url) VALUES (?, ?, 'odbc-ci', 'INPROGRESS', 'ODBC CI', 'https://ci.example.com/1')",
        slug,
        head,
    )
    assert w.rowcount == 1
    w.execute("UPDATE CommitStatuses SET State = 'SUCCESSFUL' WHERE RepositorySlug = ? AND CommitHash = ? AND Key = 'odbc-ci'", slug, head)
    assert w.rowcount == 1
    assert writes(fake) == [
        (
            "POST",
            f"/2.0/repositories/acme/{slug}/commit/{head}/statuses/build",
            {"key": "odbc-ci", "state": "INPROGRESS", "name": "ODBC CI", "url": "https://ci.example.com/1"},
        ),
        ("PUT", f"/2.0/repositories/acme/{slug}/commit/{head}/statuses/build/odbc-ci", {"state": "SUCCESSFUL"}),
    ]
    row = w.execute(
        "SELECT State, Name FROM CommitStatuses WHERE RepositorySlug = ? AND CommitHash = ? AND Key = 'odbc-ci'", slug, head
    ).fetchone()
    assert tuple(row) == ("SUCCESSFUL", "ODBC CI")


def test_catalog_reports_writable_columns(w):
    ro = dict(
        w.execute(
            "SELECT ColumnName, IsReadOnly FROM sys_tablecolumns WHERE TableName = 'Issues' AND ColumnName IN ('Title', 'RepositorySlug', 'CreatedOn', 'Votes')"
        ).fetchall()
    )
    assert ro == {"RepositorySlug": False, "Title": False, "CreatedOn": True, "Votes": True}
    upd = dict(w.execute("SELECT TableName, IsUpdateable FROM sys_tables WHERE TableName IN ('Issues', 'Commits', 'Branches')").fetchall())
    assert upd == {"Issues": True, "Commits": False, "Branches": True}


def test_issue_comment_insert_update_delete(w, fake, tracker_repo, issue_ids):
    issue = issue_ids[0]
    fake.reset()
    w.execute("INSERT INTO IssueComments (RepositorySlug, IssueId, ContentRaw) VALUES (?, ?, 'First! 🚀')", tracker_repo, issue)
    assert w.rowcount == 1
    base = f"/2.0/repositories/acme/{tracker_repo}/issues/{issue}/comments"
    assert writes(fake) == [("POST", base, {"content": {"raw": "First! 🚀"}})]
    cid = w.execute(
        "SELECT Id FROM IssueComments WHERE RepositorySlug = ? AND IssueId = ? AND ContentRaw = 'First! 🚀'", tracker_repo, issue
    ).fetchone()[0]

    # Bitbucket addresses a comment under its issue: the message says to pin IssueId too.
    with pytest.raises(pyodbc.Error) as e:
        w.execute("UPDATE IssueComments SET ContentRaw = 'x' WHERE RepositorySlug = ? AND Id = ?", tracker_repo, cid)
    assert "RepositorySlug = ... AND IssueId = ... AND Id = ..." in str(e.value)

    w.execute("UPDATE IssueComments SET ContentRaw = 'Edited' WHERE RepositorySlug = ? AND IssueId = ? AND Id = ?", tracker_repo, issue, cid)
    assert w.rowcount == 1
    got = w.execute("SELECT ContentRaw, UpdatedOn IS NOT NULL FROM IssueComments WHERE RepositorySlug = ? AND IssueId = ? AND Id = ?", tracker_repo, issue, cid).fetchone()
    assert tuple(got) == ("Edited", True)
    w.execute("DELETE FROM IssueComments WHERE RepositorySlug = ? AND IssueId = ? AND Id = ?", tracker_repo, issue, cid)
    assert w.rowcount == 1
    assert [(m, p) for m, p, _ in writes(fake)][1:] == [("PUT", f"{base}/{cid}"), ("DELETE", f"{base}/{cid}")]
    assert w.execute("SELECT COUNT(*) FROM IssueComments WHERE RepositorySlug = ? AND IssueId = ? AND Id = ?", tracker_repo, issue, cid).fetchone()[0] == 0


def test_pull_request_and_commit_comments(w, fake, repos):
    slug = next(r["slug"] for r in repos if r["mainbranch"])
    pr = fake.get_all(f"/repositories/acme/{slug}/pullrequests", state="OPEN", pagelen=50)[0]["id"]
    head = fake.get_all(f"/repositories/acme/{slug}/commits")[0]["hash"]
    fake.reset()
    w.execute("INSERT INTO PullRequestComments (RepositorySlug, PullRequestId, ContentRaw) VALUES (?, ?, 'Top')", slug, pr)
    assert w.rowcount == 1
    top = w.execute(
        "SELECT Id FROM PullRequestComments WHERE RepositorySlug = ? AND PullRequestId = ? AND ContentRaw = 'Top'", slug, pr
    ).fetchone()[0]
    w.execute(
        "INSERT INTO PullRequestComments (RepositorySlug, PullRequestId, ContentRaw, ParentId, InlinePath, InlineTo) VALUES (?, ?, 'Reply', ?, 'src/main.rs', 12)",
        slug,
        pr,
        top,
    )
    base = f"/2.0/repositories/acme/{slug}/pullrequests/{pr}/comments"
    assert writes(fake)[1] == ("POST", base, {"content": {"raw": "Reply"}, "parent": {"id": top}, "inline": {"path": "src/main.rs", "to": 12}})
    row = w.execute(
        "SELECT ParentId, InlinePath, InlineTo FROM PullRequestComments WHERE RepositorySlug = ? AND PullRequestId = ? AND ContentRaw = 'Reply'", slug, pr
    ).fetchone()
    assert tuple(row) == (top, "src/main.rs", 12)
    w.execute("UPDATE PullRequestComments SET ContentRaw = 'Top (edited)' WHERE RepositorySlug = ? AND PullRequestId = ? AND Id = ?", slug, pr, top)
    assert w.rowcount == 1
    w.execute("DELETE FROM PullRequestComments WHERE RepositorySlug = ? AND PullRequestId = ? AND Id = ?", slug, pr, top)
    assert w.rowcount == 1
    # Bitbucket soft-deletes: hidden by default, listed as Deleted with IncludeDeleted.
    assert w.execute("SELECT COUNT(*) FROM PullRequestComments WHERE RepositorySlug = ? AND PullRequestId = ? AND Id = ?", slug, pr, top).fetchone()[0] == 0

    w.execute("INSERT INTO CommitComments (RepositorySlug, CommitHash, ContentRaw) VALUES (?, ?, 'On the commit')", slug, head)
    assert w.rowcount == 1
    assert writes(fake)[-1] == ("POST", f"/2.0/repositories/acme/{slug}/commit/{head}/comments", {"content": {"raw": "On the commit"}})
    got = w.execute("SELECT ContentRaw FROM CommitComments WHERE RepositorySlug = ? AND CommitHash = ? AND ContentRaw = 'On the commit'", slug, head).fetchall()
    assert [r[0] for r in got] == ["On the commit"]


def test_project_insert_update_delete(w, fake):
    fake.reset()
    w.execute("INSERT INTO Projects (Key, Name, Description, IsPrivate) VALUES ('ODBC', 'From ODBC', 'made by a test', false)")
    assert w.rowcount == 1
    assert writes(fake) == [
        ("POST", "/2.0/workspaces/acme/projects", {"key": "ODBC", "name": "From ODBC", "description": "made by a test", "is_private": False})
    ]
    row = w.execute("SELECT Name, Description, IsPrivate, Uuid IS NOT NULL FROM Projects WHERE Key = 'ODBC'").fetchone()
    assert tuple(row) == ("From ODBC", "made by a test", False, True)
    with pytest.raises(pyodbc.Error) as e:
        w.execute("INSERT INTO Projects (Key, Name) VALUES ('ODBC', 'again')")
    assert sqlstate(e.value) == "23000" and "A project with key ODBC already exists." in str(e.value)
    w.execute("UPDATE Projects SET Name = 'Renamed', Description = NULL WHERE Key = 'ODBC'")
    assert w.rowcount == 1
    assert writes(fake)[-1] == ("PUT", "/2.0/workspaces/acme/projects/ODBC", {"name": "Renamed", "description": None})
    assert tuple(w.execute("SELECT Name, Description FROM Projects WHERE Key = 'ODBC'").fetchone()) == ("Renamed", None)
    w.execute("DELETE FROM Projects WHERE Key = 'ODBC'")
    assert w.rowcount == 1
    assert w.execute("SELECT COUNT(*) FROM Projects WHERE Key = 'ODBC'").fetchone()[0] == 0


def test_explain_shows_the_write_requests_and_sends_none(w, fake, tracker_repo):
    fake.reset()
    rows = w.execute(f"EXPLAIN DELETE FROM Issues WHERE RepositorySlug = '{tracker_repo}' AND Id IN (1, 2)").fetchall()
    text = "\n".join(str(r[1]) for r in rows)
    assert f"DELETE /repositories/acme/{tracker_repo}/issues/1, DELETE /repositories/acme/{tracker_repo}/issues/2" in text, text
    assert fake.request_log() == []


def test_a_failed_write_is_not_retried(fake, tracker_repo):
    """A 503 may come after Bitbucket acted: the write is sent once, even with MaxRetries."""
    fake.reset()
    c = pyodbc.connect(conn_str(fake, Password=WRITER_TOKEN, MaxRetries=3), autocommit=True, timeout=30)
    try:
        fake.reset()  # forget the connect-time requests
        fake.config(fail_next={"count": 1, "status": 503})
        with pytest.raises(pyodbc.Error) as e:
            c.cursor().execute("INSERT INTO Issues (RepositorySlug, Title) VALUES (?, 'once')", tracker_repo)
        assert sqlstate(e.value) == "HY000" and "HTTP 503" in str(e.value)
        assert [(r["method"], r["status"]) for r in fake.request_log()] == [("POST", 503)]
    finally:
        fake.config(fail_next=None)
        c.close()
        fake.reset()


def test_default_reviewer_insert_and_delete(w, fake, repos):
    slug = next(r["slug"] for r in repos if r["mainbranch"])
    current = {u["uuid"] for u in fake.get_all(f"/repositories/acme/{slug}/default-reviewers")}
    user = next(m["user"]["uuid"] for m in fake.get_all("/workspaces/acme/members") if m["user"]["uuid"] not in current)
    fake.reset()
    w.execute("INSERT INTO DefaultReviewers (RepositorySlug, UserUuid) VALUES (?, ?)", slug, user)
    assert w.rowcount == 1
    encoded = user.replace("{", "%7B").replace("}", "%7D")
    assert writes(fake) == [("PUT", f"/2.0/repositories/acme/{slug}/default-reviewers/{encoded}", {})]
    got = {r[0] for r in w.execute("SELECT UserUuid FROM DefaultReviewers WHERE RepositorySlug = ?", slug).fetchall()}
    assert got == current | {user}
    w.execute("DELETE FROM DefaultReviewers WHERE RepositorySlug = ? AND UserUuid = ?", slug, user)
    assert w.rowcount == 1
    w.execute("DELETE FROM DefaultReviewers WHERE RepositorySlug = ? AND UserUuid = ?", slug, user)
    assert w.rowcount == 0
    got = {r[0] for r in w.execute("SELECT UserUuid FROM DefaultReviewers WHERE RepositorySlug = ?", slug).fetchall()}
    assert got == current


def test_branch_restriction_insert_update_delete(w, fake, repos):
    slug = next(r["slug"] for r in repos if r["mainbranch"])
    fake.reset()
    w.execute(
        "INSERT INTO BranchRestrictions (RepositorySlug, Kind, Pattern, Value) VALUES (?, 'require_approvals_to_merge', 'release/*', 2)", slug
    )
    assert w.rowcount == 1
    assert writes(fake) == [
        ("POST", f"/2.0/repositories/acme/{slug}/branch-restrictions", {"kind": "require_approvals_to_merge", "pattern": "release/*", "value": 2})
    ]
    rid = w.execute(
        "SELECT Id FROM BranchRestrictions WHERE RepositorySlug = ? AND Kind = 'require_approvals_to_merge' AND Pattern = 'release/*'", slug
    ).fetchone()[0]
    w.execute("UPDATE BranchRestrictions SET Value = 3 WHERE RepositorySlug = ? AND Id = ?", slug, rid)
    assert w.rowcount == 1
    assert w.execute("SELECT Value, BranchMatchKind FROM BranchRestrictions WHERE RepositorySlug = ? AND Id = ?", slug, rid).fetchone()[0] == 3
    with pytest.raises(pyodbc.Error) as e:
        w.execute("INSERT INTO BranchRestrictions (RepositorySlug, Kind, BranchMatchKind) VALUES (?, 'push', 'branching_model')", slug)
    assert "branch_type: A branching model rule needs a branch type." in str(e.value)
    w.execute("DELETE FROM BranchRestrictions WHERE RepositorySlug = ? AND Id = ?", slug, rid)
    assert w.rowcount == 1
    assert w.execute("SELECT COUNT(*) FROM BranchRestrictions WHERE RepositorySlug = ? AND Id = ?", slug, rid).fetchone()[0] == 0


def test_repository_insert_update_delete(w, fake):
    key = fake.get_all("/workspaces/acme/projects")[0]["key"]
    fake.reset()
    w.execute("INSERT INTO Repositories (Slug, Name, ProjectKey, IsPrivate, HasIssues) VALUES ('odbc-made', 'ODBC made', ?, true, true)", key)
    assert w.rowcount == 1
    assert writes(fake) == [
        ("POST", "/2.0/repositories/acme/odbc-made", {"name": "ODBC made", "project": {"key": key}, "is_private": True, "has_issues": True})
    ]
    row = w.execute("SELECT Name, ProjectKey, IsPrivate, HasIssues, MainBranch FROM Repositories WHERE Slug = 'odbc-made'").fetchone()
    assert tuple(row) == ("ODBC made", key, True, True, None)
    with pytest.raises(pyodbc.Error) as e:
        w.execute("INSERT INTO Repositories (Slug) VALUES ('odbc-made')")
    assert sqlstate(e.value) == "23000"
    w.execute("UPDATE Repositories SET Description = 'changed' WHERE Slug = 'odbc-made'")
    assert w.rowcount == 1
    assert w.execute("SELECT Description FROM Repositories WHERE Slug = 'odbc-made'").fetchone()[0] == "changed"
    w.execute("DELETE FROM Repositories WHERE Slug = 'odbc-made'")
    assert w.rowcount == 1
    assert w.execute("SELECT COUNT(*) FROM Repositories WHERE Slug = 'odbc-made'").fetchone()[0] == 0


def open_pull_requests(fake, repos):
    """(slug, id) of every OPEN pull request (the API lists only OPEN ones by default)."""
    return [(r["slug"], p["id"]) for r in repos for p in fake.get_all(f"/repositories/acme/{r['slug']}/pullrequests", pagelen=50)]


def test_merge_and_decline_procedures(w, fake, repos):
    (slug, merge_id), (slug2, decline_id) = open_pull_requests(fake, repos)[:2]
    fake.reset()
    row = w.execute(
        "EXEC MergePullRequest @RepositorySlug = ?, @PullRequestId = ?, @MergeStrategy = 'squash', @CloseSourceBranch = 'true'",
        slug,
        merge_id,
    ).fetchone()
    assert [d[0] for d in w.description] == ["State", "MergeCommitHash"]
    assert row[0] == "MERGED" and len(row[1]) == 12
    assert writes(fake) == [
        ("POST", f"/2.0/repositories/acme/{slug}/pullrequests/{merge_id}/merge", {"merge_strategy": "squash", "close_source_branch": True})
    ]
    merged = w.execute("SELECT State, MergeCommitHash FROM PullRequests WHERE RepositorySlug = ? AND Id = ?", slug, merge_id).fetchone()
    assert tuple(merged) == ("MERGED", row[1])

    n = len(writes(fake))
    assert tuple(w.execute("{call DeclinePullRequest(?, ?)}", slug2, decline_id).fetchone()) == ("DECLINED",)
    assert writes(fake)[n:] == [("POST", f"/2.0/repositories/acme/{slug2}/pullrequests/{decline_id}/decline", None)]

    # Bitbucket's refusal comes back with its message; nothing is retried.
    n = len(writes(fake))
    with pytest.raises(pyodbc.Error) as e:
        w.execute("EXEC DeclinePullRequest @RepositorySlug = ?, @PullRequestId = ?", slug, merge_id)
    assert sqlstate(e.value) == "HY000" and "You can't decline a pull request that is merged." in str(e.value)
    assert len(writes(fake)) == n + 1


def test_procedures_need_write_scope(fake, repos):
    slug, pid = open_pull_requests(fake, repos)[0]
    c = pyodbc.connect(conn_str(fake), autocommit=True, timeout=30)
    with pytest.raises(pyodbc.Error) as e:
        c.cursor().execute("EXEC MergePullRequest @RepositorySlug = ?, @PullRequestId = ?", slug, pid)
    c.close()
    assert sqlstate(e.value) == "42501" and "write:pullrequest:bitbucket" in e.value.args[1]


def participants(w, slug, pid):
    """{user uuid: (Approved, State)} of one pull request, read through the driver."""
    rows = w.execute(
        "SELECT UserUuid, Approved, State FROM PullRequestParticipants WHERE RepositorySlug = ? AND PullRequestId = ?", slug, pid
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_approve_and_unapprove_procedures(w, fake, repos):
    slug, pid = open_pull_requests(fake, repos)[0]
    before = participants(w, slug, pid)
    fake.reset()
    path = f"/2.0/repositories/acme/{slug}/pullrequests/{pid}/approve"
    assert tuple(w.execute("{call ApprovePullRequest(?, ?)}", slug, pid).fetchone()) == (True,)
    assert [d[0] for d in w.description] == ["Approved"]
    assert writes(fake) == [("POST", path, None)]
    after = participants(w, slug, pid)
    changed = {u: v for u, v in after.items() if before.get(u) != v}
    assert list(changed.values()) == [(True, "approved")], (before, after)
    (me,) = changed

    n = len(writes(fake))
    row = w.execute("EXEC UnapprovePullRequest @RepositorySlug = ?, @PullRequestId = ?", slug, pid).fetchone()
    assert [d[0] for d in w.description] == ["Success"] and tuple(row) == (True,)
    assert writes(fake)[n:] == [("DELETE", path, None)]
    assert participants(w, slug, pid)[me] == (False, None)


def test_approve_refused_on_a_closed_or_missing_pull_request(w, fake, repos):
    slug, pid = open_pull_requests(fake, repos)[0]
    w.execute("EXEC MergePullRequest @RepositorySlug = ?, @PullRequestId = ?", slug, pid).fetchone()
    for proc, verb in [("ApprovePullRequest", "approve"), ("UnapprovePullRequest", "unapprove")]:
        n = len(writes(fake))
        with pytest.raises(pyodbc.Error) as e:
            w.execute(f"EXEC {proc} @RepositorySlug = ?, @PullRequestId = ?", slug, pid)
        assert sqlstate(e.value) == "HY000" and f"You can't {verb} a pull request that is merged." in str(e.value)
        assert len(writes(fake)) == n + 1, "sent once, not retried"
    with pytest.raises(pyodbc.Error) as e:
        w.execute("EXEC ApprovePullRequest @RepositorySlug = ?, @PullRequestId = 99999", slug)
    assert "Pull request 99999 not found" in str(e.value), str(e.value)
    assert writes(fake)[-1] == ("POST", f"/2.0/repositories/acme/{slug}/pullrequests/99999/approve", None)


def test_approve_needs_write_scope(fake, repos):
    slug, pid = open_pull_requests(fake, repos)[0]
    fake.reset()
    c = pyodbc.connect(conn_str(fake), autocommit=True, timeout=30)
    with pytest.raises(pyodbc.Error) as e:
        c.cursor().execute("{call ApprovePullRequest(?, ?)}", slug, pid)
    c.close()
    assert sqlstate(e.value) == "42501" and "write:pullrequest:bitbucket" in e.value.args[1]
    assert writes(fake) == [("POST", f"/2.0/repositories/acme/{slug}/pullrequests/{pid}/approve", None)]


def test_run_and_stop_pipeline_procedures(w, fake, repos):
    r = next(r for r in repos if r["mainbranch"])
    slug, main = r["slug"], r["mainbranch"]["name"]
    builds = [p["build_number"] for p in fake.get_all(f"/repositories/acme/{slug}/pipelines")]
    fake.reset()
    row = w.execute(
        "EXEC RunPipeline @RepositorySlug = ?, @RefName = ?, @Pattern = 'nightly'", slug, main
    ).fetchone()
    assert [d[0] for d in w.description] == ["Uuid", "BuildNumber"]
    uuid, build = row
    assert build == max(builds, default=0) + 1 and uuid.startswith("{")
    target = {"type": "pipeline_ref_target", "ref_type": "branch", "ref_name": main, "selector": {"type": "custom", "pattern": "nightly"}}
    assert writes(fake) == [("POST", f"/2.0/repositories/acme/{slug}/pipelines/", {"target": target})]
    state = "SELECT StateName, ResultName FROM Pipelines WHERE RepositorySlug = ? AND BuildNumber = ?"
    assert tuple(w.execute(state, slug, build).fetchone()) == ("PENDING", None)

    n = len(writes(fake))
    assert tuple(w.execute("{call StopPipeline(?, ?)}", slug, uuid).fetchone()) == (True,)
    enc = uuid.replace("{", "%7B").replace("}", "%7D")
    assert writes(fake)[n:] == [("POST", f"/2.0/repositories/acme/{slug}/pipelines/{enc}/stopPipeline", None)]
    assert tuple(w.execute(state, slug, build).fetchone()) == ("COMPLETED", "STOPPED")

    # Stopping it again, or running a branch that does not exist: Bitbucket's 400, sent once.
    for sql, args, msg in [
        ("{call StopPipeline(?, ?)}", (slug, uuid), "The pipeline has already completed."),
        ("EXEC RunPipeline @RepositorySlug = ?, @RefName = 'no-such-branch'", (slug,), "The branch no-such-branch does not exist."),
    ]:
        n = len(writes(fake))
        with pytest.raises(pyodbc.Error) as e:
            w.execute(sql, *args)
        assert sqlstate(e.value) == "HY000" and msg in str(e.value), str(e.value)
        assert len(writes(fake)) == n + 1


def test_run_pipeline_needs_pipeline_write_scope(fake, repos):
    slug = repos[0]["slug"]
    fake.reset()
    c = pyodbc.connect(conn_str(fake), autocommit=True, timeout=30)
    with pytest.raises(pyodbc.Error) as e:
        c.cursor().execute("EXEC RunPipeline @RepositorySlug = ?, @RefName = 'main'", slug)
    c.close()
    assert sqlstate(e.value) == "42501" and "write:pipeline:bitbucket" in e.value.args[1]
    assert [(m, p) for m, p, _ in writes(fake)] == [("POST", f"/2.0/repositories/acme/{slug}/pipelines/")]
