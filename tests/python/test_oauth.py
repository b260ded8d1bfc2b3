"""Every AuthScheme end to end through pyodbc and the driver manager, against the fake's OAuth
server: the browser sign-in (a test "browser" set as $BROWSER), the token store, client
credentials, expiry and refresh with rotation, REFRESH and OFF, OAuthVerifier, the three OAuth
procedures, Basic and AccessToken errors, and a Verbosity=5 log free of secrets."""

import os
import socket
import stat
import sys
import textwrap
import time
import urllib.parse

import pyodbc
import pytest
import requests

from conftest import conn_str, free_port

CONSUMER = ("consumer-key-0001", "consumer-secret-0001")
PUBLIC_CONSUMER = ("public-key-0002", "public-secret-0002")
PREFIX = "[Bitbucket ODBC]"
COUNT_SQL = "SELECT COUNT(*) FROM Repositories"

BROWSER_SCRIPT = textwrap.dedent(
    """
    import os, sys, urllib.parse, urllib.request
    url = sys.argv[1]
    with open(os.environ["TEST_BROWSER_LOG"], "a") as f:
        f.write(url + "\\n")
    if os.environ.get("TEST_BROWSER_MODE") == "tamper":
        # Follow the fake's redirect by hand and change the state on the way back.
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(url, timeout=20)
        except urllib.error.HTTPError as e:
            loc = e.headers["Location"]
        loc = loc.replace("state=", "state=forged")
        urllib.request.urlopen(loc, timeout=20).read()
    else:
        urllib.request.urlopen(url, timeout=20).read()
    """
)


class OAuthFake:
    def __init__(self, fake):
        self.fake = fake
        self.root = fake.root

    def settings(self, **kw) -> dict:
        r = requests.post(f"{self.root}/_fake/oauth", json=kw, timeout=10)
        r.raise_for_status()
        return r.json()

    def state(self) -> dict:
        return requests.get(f"{self.root}/_fake/oauth", timeout=10).json()

    def expire_all(self) -> int:
        return requests.post(f"{self.root}/_fake/oauth/expire", timeout=10).json()["expired"]

    def grants(self) -> list:
        """grant_type of every token request since the last reset, in order."""
        return [r.get("grant_type") for r in self.fake.request_log() if "access_token" in r.get("url", "")]

    def code(self, callback: str, consumer=CONSUMER) -> str:
        """What a user's browser would bring back: a code, obtained without the driver."""
        q = {"client_id": consumer[0], "response_type": "code", "redirect_uri": callback, "state": "s"}
        r = requests.get(f"{self.root}/site/oauth2/authorize", params=q, allow_redirects=False, timeout=10)
        assert r.status_code == 302, r.text
        return urllib.parse.parse_qs(urllib.parse.urlparse(r.headers["Location"]).query)["code"][0]

    def token_request(self, consumer=CONSUMER, **form) -> requests.Response:
        return requests.post(f"{self.root}/site/oauth2/access_token", data=form, auth=consumer, timeout=10)


@pytest.fixture
def oauth(fake):
    requests.post(f"{fake.root}/_fake/oauth/reset", timeout=10).raise_for_status()
    fake.reset()
    yield OAuthFake(fake)
    requests.post(f"{fake.root}/_fake/oauth/reset", timeout=10).raise_for_status()
    fake.reset()


@pytest.fixture
def browser(tmp_path, monkeypatch):
    """A scripted browser: records every URL it is asked to open, then follows it."""
    script = tmp_path / "browser.py"
    script.write_text(BROWSER_SCRIPT)
    log = tmp_path / "browser.log"
    log.write_text("")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {script}")
    monkeypatch.setenv("TEST_BROWSER_LOG", str(log))
    monkeypatch.delenv("TEST_BROWSER_MODE", raising=False)

    class Browser:
        def visits(self):
            return [l for l in log.read_text().splitlines() if l]

    return Browser()


def oauth_conn_str(fake, store, scheme="OAuth", consumer=CONSUMER, **kw):
    props = dict(
        User="",
        Password="",
        AuthScheme=scheme,
        OAuthClientId=consumer[0],
        OAuthClientSecret=consumer[1],
        OAuthAuthorizationURL=f"{fake.root}/site/oauth2/authorize",
        OAuthAccessTokenURL=f"{fake.root}/site/oauth2/access_token",
        OAuthSettingsLocation=str(store),
        CallbackURL=f"http://localhost:{free_port()}",
        OAuthBrowserTimeout=20,
    )
    props.update(kw)
    return conn_str(fake, **props)


def repo_count(fake) -> int:
    return len(fake.get_all("/repositories/acme"))


def count(c) -> int:
    return c.cursor().execute(COUNT_SQL).fetchone()[0]


def error_of(excinfo):
    state, msg = excinfo.value.args[0], excinfo.value.args[1]
    assert PREFIX in msg, msg
    return state, msg


def test_browser_sign_in_then_stored_token(oauth, browser, tmp_path, monkeypatch):
    store = tmp_path / "tokens.json"
    c = pyodbc.connect(oauth_conn_str(oauth.fake, store), autocommit=True, timeout=30)
    assert count(c) == repo_count(oauth.fake)
    c.close()
    visits = browser.visits()
    assert len(visits) == 1, visits
    q = urllib.parse.parse_qs(urllib.parse.urlparse(visits[0]).query)
    assert q["client_id"] == [CONSUMER[0]] and q["response_type"] == ["code"] and q["state"][0]
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600
    assert oauth.grants() == ["authorization_code"]

    # A second connection signs in silently from the store: no browser, no token request.
    monkeypatch.setenv("BROWSER", "false")
    c = pyodbc.connect(oauth_conn_str(oauth.fake, store), autocommit=True, timeout=30)
    assert count(c) == repo_count(oauth.fake)
    c.close()
    assert len(browser.visits()) == 1
    assert oauth.grants() == ["authorization_code"]
    assert oauth.state()["codes_issued"] == 1


def test_client_credentials_cached_in_the_store(oauth, tmp_path):
    store = tmp_path / "client.json"
    for _ in range(2):
        c = pyodbc.connect(oauth_conn_str(oauth.fake, store, scheme="Client"), autocommit=True, timeout=30)
        assert count(c) == repo_count(oauth.fake)
        c.close()
    assert oauth.grants() == ["client_credentials"], "the second connection reuses the stored token"
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600


def test_client_credentials_need_a_private_consumer(oauth, tmp_path):
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(oauth_conn_str(oauth.fake, tmp_path / "t.json", scheme="Client", consumer=PUBLIC_CONSUMER))
    state, msg = error_of(e)
    assert state == "28000", msg
    assert "unauthorized_client" in msg and "private consumer" in msg, msg


def test_short_lived_tokens_refresh_and_rotate(oauth, browser, tmp_path):
    oauth.settings(expires_in=2)
    store = tmp_path / "tokens.json"
    c = pyodbc.connect(oauth_conn_str(oauth.fake, store), autocommit=True, timeout=30)
    assert count(c) == repo_count(oauth.fake)
    import json

    first = json.loads(store.read_text())
    time.sleep(2.5)
    assert count(c) == repo_count(oauth.fake), "the expired token was renewed before the query"
    second = json.loads(store.read_text())
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"], "Bitbucket rotates refresh tokens"
    assert "refresh_token" in oauth.grants()
    # The old refresh token stopped working when it was used.
    r = oauth.token_request(grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text
    c.close()


def test_a_401_renews_the_token_once(oauth, browser, tmp_path):
    store = tmp_path / "tokens.json"
    c = pyodbc.connect(oauth_conn_str(oauth.fake, store), autocommit=True, timeout=30)
    assert oauth.expire_all() >= 1
    oauth.fake.reset()
    assert count(c) == repo_count(oauth.fake)
    assert oauth.grants() == ["refresh_token"]
    c.close()


def test_refresh_mode(oauth, tmp_path):
    # Nothing stored and nothing seeded: REFRESH never opens a browser.
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(oauth_conn_str(oauth.fake, tmp_path / "none.json", InitiateOAuth="REFRESH"), timeout=30)
    state, msg = error_of(e)
    assert state == "28000" and "OAuthRefreshToken" in msg, msg

    # A refresh token obtained elsewhere seeds the store.
    cb = f"http://localhost:{free_port()}"
    tokens = oauth.token_request(grant_type="authorization_code", code=oauth.code(cb), redirect_uri=cb).json()
    store = tmp_path / "seeded.json"
    cs = oauth_conn_str(oauth.fake, store, InitiateOAuth="REFRESH", OAuthRefreshToken=tokens["refresh_token"])
    c = pyodbc.connect(cs, autocommit=True, timeout=30)
    assert count(c) == repo_count(oauth.fake)
    c.close()
    assert store.exists()
    # The seed was rotated away; the store's newer token carries the next connection.
    c = pyodbc.connect(cs, autocommit=True, timeout=30)
    assert count(c) == repo_count(oauth.fake)
    c.close()


def test_off_mode_uses_the_token_as_given(oauth, tmp_path):
    token = oauth.token_request(grant_type="client_credentials").json()["access_token"]
    cs = oauth_conn_str(oauth.fake, tmp_path / "t.json", InitiateOAuth="OFF", OAuthAccessToken=token)
    c = pyodbc.connect(cs, autocommit=True, timeout=30)
    assert count(c) == repo_count(oauth.fake)
    oauth.expire_all()
    with pytest.raises(pyodbc.Error) as e:
        count(c)
    state, msg = error_of(e)
    assert state == "28000" and "InitiateOAuth=OFF" in msg, msg
    assert token not in msg
    c.close()


def test_oauth_verifier_is_exchanged_and_stored(oauth, tmp_path):
    cb = f"http://localhost:{free_port()}"
    store = tmp_path / "verifier.json"
    cs = oauth_conn_str(oauth.fake, store, CallbackURL=cb, OAuthVerifier=oauth.code(cb))
    for _ in range(2):
        # The used code left in the connection string does not break the next connection.
        c = pyodbc.connect(cs, autocommit=True, timeout=30)
        assert count(c) == repo_count(oauth.fake)
        c.close()
    assert oauth.grants() == ["authorization_code"]
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600


def test_headless_procedures(oauth, tmp_path):
    cb = f"http://localhost:{free_port()}"
    store = tmp_path / "procs.json"
    c = pyodbc.connect(oauth_conn_str(oauth.fake, store, InitiateOAuth="OFF", CallbackURL=cb), autocommit=True)
    cur = c.cursor()
    # Before a token exists, queries explain how to get one.
    with pytest.raises(pyodbc.Error) as e:
        cur.execute(COUNT_SQL)
    assert "GetOAuthAccessToken" in error_of(e)[1]

    url = cur.execute("EXEC GetOAuthAuthorizationURL @State = 'xyz'").fetchone()[0]
    assert [d[0] for d in cur.description] == ["URL"]
    q = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    assert q["client_id"] == [CONSUMER[0]] and q["state"] == ["xyz"] and q["redirect_uri"] == [cb]
    r = requests.get(url, allow_redirects=False, timeout=10)
    code = urllib.parse.parse_qs(urllib.parse.urlparse(r.headers["Location"]).query)["code"][0]

    row = cur.execute(f"{{call GetOAuthAccessToken('{code}')}}").fetchone()
    assert [d[0] for d in cur.description] == ["OAuthAccessToken", "OAuthRefreshToken", "ExpiresIn"]
    access, refresh, expires_in = row
    assert access and refresh and 7000 < expires_in <= 7200
    assert count(c) == repo_count(oauth.fake), "the exchanged token serves this connection at once"

    row2 = cur.execute(f"EXEC RefreshOAuthAccessToken @OAuthRefreshToken = '{refresh}'").fetchone()
    assert row2[0] != access and row2[1] != refresh
    assert oauth.grants() == ["authorization_code", "refresh_token"]
    with pytest.raises(pyodbc.Error) as e:
        cur.execute(f"EXEC RefreshOAuthAccessToken @OAuthRefreshToken = '{refresh}'")
    state, msg = error_of(e)
    assert state == "28000" and "invalid_grant" in msg and refresh not in msg, msg

    with pytest.raises(pyodbc.Error) as e:
        cur.execute("EXEC GetOAuthAccessToken @Nope = 'x'")
    state, msg = error_of(e)
    assert state == "42000" and "Verifier" in msg, msg
    c.close()


def test_wrong_secret(oauth, tmp_path):
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(
            oauth_conn_str(oauth.fake, tmp_path / "t.json", scheme="Client", consumer=(CONSUMER[0], "wrong-secret-1")),
            timeout=30,
        )
    state, msg = error_of(e)
    assert state == "28000" and "invalid_client" in msg and "OAuthClientSecret" in msg, msg
    assert "wrong-secret-1" not in msg


def test_wrong_state_is_refused(oauth, browser, tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_BROWSER_MODE", "tamper")
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(oauth_conn_str(oauth.fake, tmp_path / "t.json"), timeout=30)
    state, msg = error_of(e)
    assert state == "28000" and "state" in msg, msg
    assert oauth.grants() == [], "no code is exchanged after a forged redirect"


def test_denied_consent(oauth, browser, tmp_path):
    oauth.settings(consent="deny")
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(oauth_conn_str(oauth.fake, tmp_path / "t.json"), timeout=30)
    state, msg = error_of(e)
    assert state == "28000" and "access_denied" in msg and "not granted" in msg, msg


def test_busy_callback_port(oauth, browser, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(pyodbc.Error) as e:
            pyodbc.connect(oauth_conn_str(oauth.fake, tmp_path / "t.json", CallbackURL=f"http://localhost:{port}"))
    state, msg = error_of(e)
    assert state == "28000" and f"port {port}" in msg and "in use" in msg, msg
    assert browser.visits() == []


def test_no_browser_and_no_answer_give_the_url(oauth, tmp_path, monkeypatch):
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(oauth_conn_str(oauth.fake, tmp_path / "t.json"), timeout=30)
    state, msg = error_of(e)
    assert state == "28000" and "/site/oauth2/authorize?" in msg and "OAuthVerifier" in msg, msg

    # A browser that shows the consent page but nobody answers: the time limit names the URL.
    oauth.settings(consent="page")
    monkeypatch.setenv("BROWSER", f"{sys.executable} -c pass")
    started = time.monotonic()
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(oauth_conn_str(oauth.fake, tmp_path / "t.json", OAuthBrowserTimeout=2), timeout=30)
    state, msg = error_of(e)
    assert state == "28000" and "OAuthBrowserTimeout" in msg and "/site/oauth2/authorize?" in msg, msg
    assert time.monotonic() - started < 15


def test_basic_errors_say_what_to_fix(fake):
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(conn_str(fake, User="legacy-user", Password="app-password-1"), timeout=30)
    state, msg = error_of(e)
    assert state == "28000" and "e-mail" in msg and "app passwords" in msg, msg
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(conn_str(fake, Password="unscoped-token-0003"), timeout=30)
    state, msg = error_of(e)
    assert state == "28000" and "Bitbucket scopes" in msg and "unscoped-token-0003" not in msg, msg


def test_missing_scope_is_42501_with_the_scopes(fake):
    c = pyodbc.connect(conn_str(fake, User="viewer@example.com", Password="bbtoken-viewer-0002"), autocommit=True)
    with pytest.raises(pyodbc.Error) as e:
        count(c)
    state, msg = error_of(e)
    assert state == "42501", msg
    assert "read:repository:bitbucket" in msg and "read:user:bitbucket" in msg, msg
    c.close()


def test_access_token_scheme(fake):
    c = pyodbc.connect(conn_str(fake, User="", Password="", AccessToken="wat-acme-0001"), autocommit=True)
    assert count(c) == repo_count(fake)
    c.close()
    with pytest.raises(pyodbc.Error) as e:
        pyodbc.connect(conn_str(fake, User="", Password="", AccessToken="expired-token-0001"), timeout=30)
    state, msg = error_of(e)
    assert state == "28000" and "access token" in msg and "expired" in msg, msg


def test_verbose_log_has_no_secret(oauth, browser, tmp_path):
    log = tmp_path / "driver.log"
    store = tmp_path / "tokens.json"
    oauth.settings(expires_in=2)
    c = pyodbc.connect(oauth_conn_str(oauth.fake, store, LogFile=str(log), Verbosity=5), autocommit=True)
    count(c)
    time.sleep(2.5)
    count(c)  # a refresh
    import json

    tokens = json.loads(store.read_text())
    cur = c.cursor()
    row = cur.execute(f"EXEC RefreshOAuthAccessToken @OAuthRefreshToken = '{tokens['refresh_token']}'").fetchone()
    c.close()
    text = log.read_text()
    assert "GET" in text, "the log has the requests"
    for secret in [CONSUMER[1], tokens["access_token"], tokens["refresh_token"], row[0], row[1]]:
        assert secret not in text, "a secret reached the log"


def test_two_connections_share_one_refresh(oauth, browser, tmp_path):
    """Both connections need a new token at the same moment; the store's lock lets one refresh
    and the other adopt its tokens (a second refresh would spend a rotated-away token)."""
    import threading

    oauth.settings(expires_in=3)
    store = tmp_path / "shared.json"
    cs = oauth_conn_str(oauth.fake, store)
    conns = [pyodbc.connect(cs, autocommit=True, timeout=30) for _ in range(2)]
    assert oauth.grants() == ["authorization_code"], "the second connection used the stored token"
    time.sleep(3.5)
    oauth.fake.reset()
    results, errors = [], []

    def run(c):
        try:
            results.append(count(c))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(c,)) for c in conns]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and results == [repo_count(oauth.fake)] * 2, (errors, results)
    assert oauth.grants() == ["refresh_token"], "exactly one refresh for both connections"
    for c in conns:
        c.close()
