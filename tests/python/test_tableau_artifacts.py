"""The Tableau files under tableau/ stay true to the driver.

* tableau/BitbucketODBC.tdc: well-formed, vendor and driver names equal to what the driver reports
  (SQL_DBMS_NAME, SQL_DRIVER_NAME), every capability justified on its line, and the capabilities
  that say "the driver can" proven against the driver and the fake server (including that the
  metadata probes Tableau sends make no Bitbucket request).
* tableau/connector/: well-formed XML that references files that exist, one class name, Tableau's
  connection-field rules (only "password" is secure, no secret-sounding plain field, every field
  in the normalizer), the manifest's capabilities equal to the TDC's, connectionBuilder.js run
  under Node.js for every AuthScheme (its keys are driver properties, its quoting round-trips,
  and the strings it builds connect), and every formula of dialect.tdd run through the driver,
  with the date functions checked value by value against Python's calendar.
"""

import calendar
import datetime as dt
import json
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pyodbc
import pytest
import requests

from conftest import DRIVER_NAME, REPO, TOKEN, USER, WORKSPACE, conn_str

TABLEAU = REPO / "tableau"
TDC = TABLEAU / "BitbucketODBC.tdc"
CONNECTOR = TABLEAU / "connector"
CLASS = "bitbucket_odbc"
# Capabilities that only the "Other Databases (ODBC)" connector reads; a plugin connector takes
# its row-limit syntax from dialect.tdd and runs no discovery queries.
GENERIC_ODBC_ONLY = {
    "CAP_QUERY_TOPSTYLE_LIMIT",
    "CAP_QUERY_TOPSTYLE_TOP",
    "CAP_QUERY_TOPSTYLE_ROWNUM",
    "CAP_SUPPRESS_DISCOVERY_QUERIES",
}
DATE_PARTS = [
    "year", "quarter", "month", "week", "weekday", "dayofyear", "day", "hour", "minute", "second",
    "iso-year", "iso-quarter", "iso-week", "iso-weekday",
]


def parse(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def customizations(root: ET.Element) -> dict:
    found = {}
    for c in root.iter("customization"):
        name = c.get("name")
        assert name not in found, f"{name} is set twice"
        found[name] = c.get("value")
    return found


def fake_requests(fake) -> int:
    return requests.get(f"{fake.root}/_fake/stats", timeout=10).json()["count"]


# -- the TDC ------------------------------------------------------------------------------------


def test_tdc_names_are_what_the_driver_reports(cnxn):
    root = parse(TDC)
    assert root.tag == "connection-customization"
    assert root.get("class") == "genericodbc" and root.get("enabled") == "true"
    assert root.find("vendor").get("name") == cnxn.getinfo(pyodbc.SQL_DBMS_NAME)
    assert root.find("driver").get("name") == cnxn.getinfo(pyodbc.SQL_DRIVER_NAME)


def test_tdc_every_capability_is_justified_on_its_line():
    caps = customizations(parse(TDC))
    assert len(caps) >= 30
    for name, value in caps.items():
        assert re.fullmatch(r"(CAP|SQL)_[A-Z0-9_]+", name), name
        if name.startswith("CAP_"):
            assert value in ("yes", "no"), (name, value)
    for line in TDC.read_text().splitlines():
        if "<customization " in line:
            reason = re.search(r"/>\s*<!--(.+?)-->\s*$", line)
            assert reason and len(reason.group(1).strip()) > 15, f"no one-line reason: {line.strip()}"


def test_tdc_sql_overrides_agree_with_sqlgetinfo(cnxn):
    """Any SQL_* value the TDC sets must be the driver's own answer (sys_sqlinfo lists them all)."""
    sql_items = {k: v for k, v in customizations(parse(TDC)).items() if k.startswith("SQL_")}
    answers = {}
    for row in cnxn.cursor().execute("SELECT * FROM sys_sqlinfo").fetchall():
        answers[str(row[0])] = row
    for name, value in sql_items.items():
        assert name in answers, f"{name} is not an SQLGetInfo item the driver answers"
        assert str(value) in [str(x) for x in answers[name]], (name, value, answers[name])


# What each "the driver can" capability promises, as a statement Tableau would send.
CAPABILITY_PROBES = {
    "CAP_QUERY_TOP_N": 'SELECT "Repositories"."Slug" AS "Slug" FROM "Information"."Repositories" "Repositories" ORDER BY 1 LIMIT 2',
    "CAP_QUERY_TOPSTYLE_LIMIT": 'SELECT "Slug" FROM "Repositories" LIMIT 2',
    "CAP_QUERY_SUBQUERIES": 'SELECT "Custom SQL Query"."Slug" FROM (SELECT "Slug", "ProjectKey" FROM "Repositories") "Custom SQL Query" '
    'WHERE "Custom SQL Query"."ProjectKey" IN (SELECT "Key" FROM "Projects")',
    "CAP_QUERY_SUBQUERIES_WITH_TOP": 'SELECT "r"."Slug" FROM "Repositories" "r" INNER JOIN (SELECT "ProjectKey" AS "pk", COUNT(1) AS "n" '
    'FROM "Repositories" GROUP BY 1 ORDER BY 2 DESC LIMIT 1) "t0" ON ("r"."ProjectKey" IS NOT DISTINCT FROM "t0"."pk")',
    "CAP_QUERY_GROUP_BY_DEGREE": 'SELECT "ProjectKey" AS "none_ProjectKey_nk", SUM(1) AS "sum_Number of Records_ok" FROM "Repositories" GROUP BY 1',
    "CAP_QUERY_SORT_BY_DEGREE": 'SELECT "ProjectKey", COUNT(1) FROM "Repositories" GROUP BY 1 ORDER BY 2 DESC, 1 ASC',
    "CAP_QUERY_GROUP_BY_ALIAS": 'SELECT "ProjectKey" AS "pk", COUNT(1) AS "n" FROM "Repositories" GROUP BY "pk"',
    "CAP_QUERY_GROUP_BY_BOOL": 'SELECT ("IsPrivate" AND "HasWiki") AS "b", COUNT(1) AS "n" FROM "Repositories" GROUP BY ("IsPrivate" AND "HasWiki")',
    "CAP_QUERY_HAVING_REQUIRES_GROUP_BY": 'SELECT COUNT(1) AS "cnt" FROM "Repositories" HAVING (COUNT(1) > 0)',
    "CAP_QUERY_HAVING_UNSUPPORTED": 'SELECT "ProjectKey" FROM "Repositories" GROUP BY 1 HAVING (COUNT(1) > 1)',
    "CAP_SUPPORTS_UNION": 'SELECT "Slug" AS "x" FROM "Repositories" UNION ALL SELECT "Key" AS "x" FROM "Projects"',
    "CAP_QUERY_JOIN_ACROSS_SCHEMAS": f'SELECT COUNT(1) FROM "{WORKSPACE}"."Information"."Repositories" "r" '
    f'CROSS JOIN (SELECT COUNT(1) AS "n" FROM "{WORKSPACE}"."core-api"."Branches") "b"',
    "CAP_QUERY_BOOLEXPR_TO_INTEXPR": 'SELECT "Slug" FROM "Repositories" WHERE (CASE WHEN ("Slug" = \'x\') THEN FALSE ELSE TRUE END)',
}


def test_tdc_capabilities_hold_against_the_driver(cnxn):
    caps = customizations(parse(TDC))
    cur = cnxn.cursor()
    for name, sql in CAPABILITY_PROBES.items():
        assert name in caps, f"{name} has a probe but is not in the TDC"
        try:
            cur.execute(sql).fetchall()
            works = True
        except pyodbc.Error as e:
            works = False
            error = e
        # "yes" capabilities, and "no" for the ones that say "the driver lacks X", must both hold.
        claims = caps[name] == "yes" if name not in (
            "CAP_QUERY_HAVING_REQUIRES_GROUP_BY", "CAP_QUERY_HAVING_UNSUPPORTED", "CAP_QUERY_BOOLEXPR_TO_INTEXPR"
        ) else caps[name] == "no"
        if claims:
            assert works, f"the TDC says {name}={caps[name]} but the driver refuses {sql!r}: {error}"
    assert caps["CAP_ODBC_TRANSACTIONS_SUPPRESS_EXPLICIT_COMMIT"] == "yes"
    assert cnxn.getinfo(pyodbc.SQL_TXN_CAPABLE) == 0
    assert caps["CAP_ODBC_CURSOR_FORWARD_ONLY"] == "yes"
    assert cnxn.getinfo(pyodbc.SQL_SCROLL_OPTIONS) == 1  # SQL_SO_FORWARD_ONLY alone
    assert cnxn.getinfo(pyodbc.SQL_IDENTIFIER_QUOTE_CHAR) == '"'


def test_tdc_aliases_come_back_verbatim(cnxn):
    caps = customizations(parse(TDC))
    assert caps["CAP_ODBC_BIND_DETECT_ALIAS_CASE_FOLDING"] == "no"
    assert caps["CAP_QUERY_SELECT_ALIASES_SORTED"] == "no"
    aliases = ["sum_Number of Records_ok", "TEMP(Test)(2617331766)(0)", "$__alias__0", "none_ProjectKey_nk"]
    sql = "SELECT " + ", ".join(f'COUNT(1) AS "{a}"' for a in aliases) + ' FROM "Repositories"'
    cur = cnxn.cursor().execute(sql)
    assert [d[0] for d in cur.description] == aliases


def test_tdc_metadata_probes_make_no_api_request(fake, cnxn):
    caps = customizations(parse(TDC))
    assert caps["CAP_QUERY_WHERE_FALSE_METADATA"] == "yes" and caps["CAP_QUERY_TOP_0_METADATA"] == "yes"
    assert caps["CAP_ODBC_METADATA_SUPPRESS_EXECUTED_QUERY"] == "yes"
    cur = cnxn.cursor()
    for sql in [
        'SELECT * FROM "Information"."PullRequests" "PullRequests" WHERE (0 = 1)',
        'SELECT * FROM "Information"."PullRequests" LIMIT 0',
        'SELECT * FROM (SELECT "Title", "State" FROM "PullRequests") "Custom SQL Query" WHERE (0 = 1)',
        'SELECT * FROM (SELECT "Title", "State" FROM "PullRequests") "Custom SQL Query" LIMIT 0',
    ]:
        before = fake_requests(fake)
        cur.execute(sql)
        assert cur.fetchall() == [] and len(cur.description) > 0
        assert fake_requests(fake) == before, f"{sql!r} called the API"
    before = fake_requests(fake)
    assert len(cur.columns(table="PullRequests").fetchall()) > 10
    cur.primaryKeys(table="PullRequests").fetchall()
    cur.foreignKeys(foreignTable="PullRequests").fetchall()
    assert fake_requests(fake) == before, "SQLColumns/SQLPrimaryKeys/SQLForeignKeys called the API"


# -- the connector: files and Tableau's rules ------------------------------------------------------


def test_connector_files_are_well_formed_and_referenced():
    manifest = parse(CONNECTOR / "manifest.xml")
    assert manifest.tag == "connector-plugin"
    assert manifest.get("class") == CLASS and manifest.get("superclass") == "odbc"
    assert manifest.get("name") == "Bitbucket Cloud (ODBC)"
    assert manifest.find("connection-dialog") is None, "connection-dialog (v1) and connection-fields (v2) exclude each other"
    referenced = set()
    for tag in ("connection-fields", "connection-metadata", "connection-resolver", "dialect"):
        el = manifest.find(tag)
        assert el is not None, f"manifest.xml lacks <{tag}>"
        referenced.add(el.get("file"))
    tdr = parse(CONNECTOR / "connectionResolver.tdr")
    assert tdr.get("class") == CLASS
    referenced.add(tdr.find(".//connection-builder/script").get("file"))
    dialect = parse(CONNECTOR / "dialect.tdd")
    assert dialect.get("class") == CLASS
    for name in referenced:
        assert (CONNECTOR / name).is_file(), f"{name} is referenced but missing"
    for path in CONNECTOR.iterdir():
        if path.suffix in (".xml", ".tdr", ".tdd"):
            parse(path)
    assert {p.name for p in CONNECTOR.iterdir()} == referenced | {"manifest.xml", "README.md"}


def test_connection_fields_follow_tableaus_rules():
    fields = parse(CONNECTOR / "connectionFields.xml").findall("field")
    names = [f.get("name") for f in fields]
    assert len(names) == len(set(names))
    assert "authentication" in names and "server" in names
    platform = {"server", "port", "sslmode", "authentication", "username", "password", "instanceurl"}
    for f in fields:
        name, label = f.get("name"), f.get("label")
        assert name in platform or name.startswith("v-"), name
        if f.get("secure") == "true":
            assert name == "password", f"only password may be secure, not {name}"
        else:
            for word in ("token", "secret", "password"):
                assert word not in name.lower() and word not in label.lower(), (
                    f"{name} ({label}) is stored in plain text but sounds secret"
                )
        if f.get("category") == "advanced" and f.get("optional") != "true":
            assert f.get("default-value"), f"required advanced field {name} needs a default"
    attrs = {a.text for a in parse(CONNECTOR / "connectionResolver.tdr").iter("attr")}
    assert set(names) <= attrs, f"fields missing from the normalizer: {set(names) - attrs}"
    assert "dbname" in attrs  # the workspace, from connectionMetadata.xml
    assert parse(CONNECTOR / "connectionMetadata.xml").find("database").get("enabled") == "true"


def test_driver_resolver_matches_the_registered_driver_name():
    pattern = parse(CONNECTOR / "connectionResolver.tdr").find(".//driver-name").text
    registered = re.findall(r"^\[(.+)\]\s*$", (REPO / "odbcinst.ini.example").read_text(), re.M)
    assert registered == [DRIVER_NAME]
    assert re.match(pattern, DRIVER_NAME)


def test_manifest_capabilities_equal_the_tdc():
    manifest = parse(CONNECTOR / "manifest.xml")
    tdc = parse(TDC)
    cust = manifest.find("connection-customization")
    assert cust.get("class") == CLASS
    assert cust.find("vendor").get("name") == tdc.find("vendor").get("name")
    assert cust.find("driver").get("name") == tdc.find("driver").get("name")
    plugin_caps = customizations(cust)
    tdc_caps = {k: v for k, v in customizations(tdc).items() if k not in GENERIC_ODBC_ONLY}
    assert plugin_caps == tdc_caps


# -- connectionBuilder.js under Node.js -------------------------------------------------------------

NODE_HARNESS = r"""
const fs = require('fs');
const src = fs.readFileSync(process.argv[2], 'utf8');
function parseOdbc(s) {  // Tableau's ParseODBCConnectString: KEY=value;KEY={va;lue}
  const out = {}; let i = 0;
  while (i < s.length) {
    const eq = s.indexOf('=', i); if (eq < 0) break;
    const key = s.slice(i, eq).replace(/^[;\s]+/, '').trim(); i = eq + 1; let v = '';
    if (s[i] === '{') { i++; while (i < s.length) { if (s[i] === '}') { if (s[i + 1] === '}') { v += '}'; i += 2; continue; } i++; break; } v += s[i++]; }
      const semi = s.indexOf(';', i); i = semi < 0 ? s.length : semi + 1; }
    else { const semi = s.indexOf(';', i); v = s.slice(i, semi < 0 ? s.length : semi); i = semi < 0 ? s.length : semi + 1; }
    if (key) out[key] = v;
  }
  return out;
}
global.connectionHelper = {
  attributeDatabase: 'dbname', attributeUsername: 'username', attributePassword: 'password',
  attributeServer: 'server', attributeAuthentication: 'authentication',
  ParseODBCConnectString: parseOdbc,
  ThrowTableauException: (m) => { throw new Error('TableauException: ' + m); },
};
global.driverLocator = { LocateDriver: (attr) => process.env.DRIVER_NAME };
const builder = eval(src);
const attrs = JSON.parse(fs.readFileSync(0, 'utf8'));
try { console.log(JSON.stringify({ ok: attrs.map((a) => builder(a)) })); }
catch (e) { console.log(JSON.stringify({ error: String(e.message) })); }
"""


def run_builder(tmp_path, attrs: list) -> list:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed to run connectionBuilder.js (apt-get install nodejs)"
    harness = tmp_path / "harness.js"
    harness.write_text(NODE_HARNESS)
    env = {"DRIVER_NAME": DRIVER_NAME, "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [node, str(harness), str(CONNECTOR / "connectionBuilder.js")],
        input=json.dumps(attrs), capture_output=True, text=True, timeout=60, env=env, check=True,
    ).stdout
    result = json.loads(out)
    if "error" in result:
        raise RuntimeError(result["error"])
    return result["ok"]


def parse_pairs(parts: list) -> dict:
    """The driver's parsing of one built pair: KEY=value or KEY={va;lu}}e}."""
    out = {}
    for p in parts:
        key, _, value = p.partition("=")
        if value.startswith("{"):
            assert value.endswith("}"), p
            body = value[1:-1]
            assert re.fullmatch(r"(?:[^}]|\}\})*", body), f"unescaped }} in {p}"
            value = body.replace("}}", "}")
        else:
            assert not re.search(r"[;{}]", value), f"{p} needs braces"
        out[key] = value
    return out


def extras(fake, **more) -> str:
    pairs = {"BaseURL": fake.base_url, "MaxRetries": "0", **more}
    return ";".join(f"{k}={{{v}}}" if re.search(r"[;{}=]", v) else f"{k}={v}" for k, v in pairs.items())


CONSUMER = ("consumer-key-0001", "consumer-secret-0001")


def base_attrs(**kw) -> dict:
    a = {"server": "api.bitbucket.org", "dbname": WORKSPACE, "v-schema": "", "v-maxrequestsperquery": "",
         "v-logfile": "", "v-verbosity": "1"}
    a.update(kw)
    return a


def test_builder_keys_are_driver_properties_and_values_round_trip(cnxn, tmp_path):
    known = {str(r[0]).lower() for r in cnxn.cursor().execute("SELECT * FROM sys_connection_props").fetchall()}
    nasty = "a;b}c{d=e }"
    cases = [
        base_attrs(**{"v-authscheme": "Basic", "authentication": "auth-user-pass", "username": USER, "password": nasty,
                      "v-schema": "core-api", "v-maxrequestsperquery": "50", "v-logfile": "/tmp/x;y}.log", "v-verbosity": "5"}),
        base_attrs(**{"v-authscheme": "AccessToken", "authentication": "auth-pass", "password": nasty}),
        base_attrs(**{"v-authscheme": "OAuth", "authentication": "auth-pass", "v-oauthclientid": "key}1", "password": nasty}),
        base_attrs(**{"v-authscheme": "Client", "authentication": "auth-pass", "v-oauthclientid": "key1", "password": nasty}),
    ]
    built = run_builder(tmp_path, cases)
    expect_secret_key = {"Basic": "Password", "AccessToken": "AccessToken", "OAuth": "OAuthClientSecret", "Client": "OAuthClientSecret"}
    for attrs, parts in zip(cases, built):
        assert parts[0] == "DRIVER={%s}" % DRIVER_NAME
        pairs = parse_pairs(parts[1:])
        for key in pairs:
            assert key.lower() in known, f"connectionBuilder.js sets {key}, which the driver does not know"
        scheme = attrs["v-authscheme"]
        assert pairs["AuthScheme"] == scheme
        assert pairs["Workspace"] == WORKSPACE
        assert pairs[expect_secret_key[scheme]] == nasty
        assert "Password" not in pairs or scheme == "Basic"
    basic = parse_pairs(built[0][1:])
    assert basic["User"] == USER and basic["Schema"] == "core-api" and basic["MaxRequestsPerQuery"] == "50"
    assert basic["LogFile"] == "/tmp/x;y}.log" and basic["Verbosity"] == "5"
    assert parse_pairs(built[2][1:])["OAuthClientId"] == "key}1"
    with pytest.raises(RuntimeError, match="Unknown authentication scheme"):
        run_builder(tmp_path, [base_attrs(**{"v-authscheme": "Kerberos", "password": "x"})])


def connect_built(parts: list):
    return pyodbc.connect(";".join(parts), autocommit=True, timeout=30)


def props_of(c) -> dict:
    return {str(r[0]): r[1] for r in c.cursor().execute("SELECT * FROM sys_connection_props").fetchall()}


def test_built_strings_connect_for_basic_accesstoken_and_client(fake, tmp_path):
    log_dir = tmp_path / "logs; {odd} dir"
    log_dir.mkdir()
    store = tmp_path / "tokens"
    cases = [
        base_attrs(**{"v-authscheme": "Basic", "authentication": "auth-user-pass", "username": USER, "password": TOKEN,
                      "v-logfile": str(log_dir / "driver.log"), "v-verbosity": "3",
                      "odbc-connect-string-extras": extras(fake)}),
        base_attrs(**{"v-authscheme": "AccessToken", "authentication": "auth-pass", "password": "wat-acme-0001",
                      "odbc-connect-string-extras": extras(fake)}),
        base_attrs(**{"v-authscheme": "Client", "authentication": "auth-pass", "v-oauthclientid": CONSUMER[0],
                      "password": CONSUMER[1],
                      "odbc-connect-string-extras": extras(fake, OAuthAccessTokenURL=f"{fake.root}/site/oauth2/access_token",
                                                           OAuthSettingsLocation=str(store))}),
    ]
    for attrs, parts in zip(cases, run_builder(tmp_path, cases)):
        c = connect_built(parts)
        try:
            n = c.cursor().execute('SELECT COUNT(1) FROM "Repositories"').fetchone()[0]
            assert n > 0
            props = props_of(c)
            assert props["AuthScheme"] == attrs["v-authscheme"] and props["Workspace"] == WORKSPACE
            if attrs["v-logfile"]:
                assert props["LogFile"] == attrs["v-logfile"]  # braces and ';' survived the trip
        finally:
            c.close()
    assert (log_dir / "driver.log").exists()


# -- dialect.tdd through the driver ----------------------------------------------------------------


def dialect_functions():
    root = parse(CONNECTOR / "dialect.tdd")
    for f in root.find("function-map"):
        if f.tag in ("function", "date-function"):
            yield f


LIT = {"real": "2.5", "int": "3", "str": "'abc'", "localstr": "'abc'", "localint": "1",
       "datetime": "(TIMESTAMP '2020-03-04 05:06:07')", "date": "(DATE '2020-03-04')", "bool": "TRUE"}
COL = {"real": 'CAST("t"."r" AS DOUBLE)', "int": '"t"."i"', "str": '"t"."s"', "localstr": "'abc'", "localint": "1",
       "datetime": '"t"."dt"', "date": '"t"."d"', "bool": '"t"."b"'}
FROM_COL = (' FROM (SELECT CAST(LENGTH("Slug") AS DOUBLE) / 4 AS "r", CAST(LENGTH("Slug") % 5 AS BIGINT) AS "i", "Slug" AS "s",'
            ' "CreatedOn" AS "dt", CAST("CreatedOn" AS DATE) AS "d", "IsPrivate" AS "b" FROM "Repositories" LIMIT 3) "t"')


def substitute(formula: str, values: list) -> str:
    return re.sub(r"%(\d+)", lambda m: values[int(m.group(1)) - 1], formula)


def formula_cases():
    for f in dialect_functions():
        args = [a.get("type") for a in f.findall("argument")]
        for fo in f.findall("formula"):
            yield f.get("name"), args, fo.get("part"), fo.text


def test_every_dialect_formula_runs_on_the_driver(cnxn):
    cur = cnxn.cursor()
    count = 0
    for name, args, part, formula in formula_cases():
        for values, tail in ((LIT, ""), (COL, FROM_COL)):
            vals = [values[a] for a in args]
            if len(args) >= 3 and args[-1] == "localstr":
                vals[-1] = "1"  # custom start of week: a day number, Sunday = 0
            sql = f"SELECT {substitute(formula, vals)} AS \"x\"{tail}"
            try:
                cur.execute(sql).fetchall()
            except pyodbc.Error as e:
                pytest.fail(f"{name}{tuple(args)} part={part}: {sql}\n{e}")
            count += 1
    assert count > 100


def date_function(name: str, nargs: int) -> dict:
    for f in dialect_functions():
        if f.tag == "date-function" and f.get("name") == name and len(f.findall("argument")) == nargs:
            forms = {fo.get("part"): fo.text for fo in f.findall("formula")}
            return forms
    raise AssertionError(f"dialect.tdd lacks {name} with {nargs} arguments")


SAMPLES = [
    dt.datetime(2020, 3, 4, 5, 6, 7, 891000),   # a Wednesday
    dt.datetime(2021, 1, 3, 23, 59, 59),        # Sunday in ISO week 53 of 2020
    dt.datetime(2019, 12, 30, 0, 0, 0),         # Monday in ISO week 1 of 2020
    dt.datetime(2024, 2, 29, 12, 30, 0),        # leap day
    dt.datetime(2023, 12, 31, 18, 0, 1),        # Sunday, last day of a year
    dt.datetime(2016, 1, 1, 0, 0, 0),           # Friday in ISO week 53 of 2015
]


def ts_sql(t: dt.datetime) -> str:
    return f"(TIMESTAMP '{t.strftime('%Y-%m-%d %H:%M:%S.%f')}')"


def dow0(d) -> int:  # Sunday = 0
    return d.isoweekday() % 7


def iso_quarter0(t) -> int:
    return min((t.isocalendar()[1] - 1) // 13, 3)


def iso_year_start(y: int) -> dt.date:
    return dt.date.fromisocalendar(y, 1, 1)


def expected_part(t: dt.datetime, part: str, start: int = 0):
    jan1 = dt.date(t.year, 1, 1)
    iy, iw, idow = t.isocalendar()
    return {
        "year": t.year, "quarter": (t.month - 1) // 3 + 1, "month": t.month, "day": t.day,
        "dayofyear": t.timetuple().tm_yday, "hour": t.hour, "minute": t.minute, "second": t.second,
        "weekday": dow0(t) + 1,
        "week": (t.timetuple().tm_yday - 1 + (dow0(jan1) - start) % 7) // 7 + 1,
        "iso-year": iy, "iso-week": iw, "iso-weekday": idow, "iso-quarter": iso_quarter0(t) + 1,
    }[part]


def expected_trunc(t: dt.datetime, part: str, start: int = 0) -> dt.datetime:
    d = t.date()
    day = dt.datetime(t.year, t.month, t.day)
    if part == "year":
        return dt.datetime(t.year, 1, 1)
    if part == "quarter":
        return dt.datetime(t.year, 3 * ((t.month - 1) // 3) + 1, 1)
    if part == "month":
        return dt.datetime(t.year, t.month, 1)
    if part == "week":
        return day - dt.timedelta(days=(dow0(d) - start) % 7)
    if part in ("weekday", "dayofyear", "day", "iso-weekday"):
        return day
    if part == "hour":
        return t.replace(minute=0, second=0, microsecond=0)
    if part == "minute":
        return t.replace(second=0, microsecond=0)
    if part == "second":
        return t.replace(microsecond=0)
    if part == "iso-week":
        return day - dt.timedelta(days=d.isoweekday() - 1)
    iy = t.isocalendar()[0]
    if part == "iso-year":
        return dt.datetime.combine(iso_year_start(iy), dt.time())
    if part == "iso-quarter":
        return dt.datetime.combine(iso_year_start(iy) + dt.timedelta(days=91 * iso_quarter0(t)), dt.time())
    raise AssertionError(part)


def add_months(t: dt.datetime, n: int) -> dt.datetime:
    m = t.month - 1 + n
    y, m = t.year + m // 12, m % 12 + 1
    return t.replace(year=y, month=m, day=min(t.day, calendar.monthrange(y, m)[1]))


def expected_add(t: dt.datetime, part: str, n: int) -> dt.datetime:
    if part == "year":
        return add_months(t, 12 * n)
    if part == "quarter":
        return add_months(t, 3 * n)
    if part == "month":
        return add_months(t, n)
    if part in ("week", "iso-week"):
        return t + dt.timedelta(weeks=n)
    if part in ("weekday", "dayofyear", "day", "iso-weekday"):
        return t + dt.timedelta(days=n)
    if part == "hour":
        return t + dt.timedelta(hours=n)
    if part == "minute":
        return t + dt.timedelta(minutes=n)
    if part == "second":
        return t + dt.timedelta(seconds=n)
    iy = t.isocalendar()[0]
    if part == "iso-year":  # same offset from the start of the ISO year
        return t + (iso_year_start(iy + n) - iso_year_start(iy))
    if part == "iso-quarter":
        q = 4 * iy + iso_quarter0(t) + n
        new = iso_year_start(q // 4) + dt.timedelta(days=91 * (q % 4))
        cur = iso_year_start(iy) + dt.timedelta(days=91 * iso_quarter0(t))
        return t + (new - cur)
    raise AssertionError(part)


def expected_diff(a: dt.datetime, b: dt.datetime, part: str, start: int = 0) -> int:
    def days(t, origin):
        return (t.date() - origin).days
    epoch = dt.datetime(1970, 1, 1)
    if part == "year":
        return b.year - a.year
    if part == "quarter":
        return (4 * b.year + (b.month - 1) // 3) - (4 * a.year + (a.month - 1) // 3)
    if part == "month":
        return (12 * b.year + b.month) - (12 * a.year + a.month)
    if part == "week":
        o = dt.date(1900, 1, 7) + dt.timedelta(days=start)
        return days(b, o) // 7 - days(a, o) // 7
    if part in ("weekday", "dayofyear", "day", "iso-weekday"):
        return (b.date() - a.date()).days
    secs = {"hour": 3600, "minute": 60, "second": 1}
    if part in secs:
        s = secs[part]
        return math.floor((b - epoch).total_seconds() / s) - math.floor((a - epoch).total_seconds() / s)
    if part == "iso-year":
        return b.isocalendar()[0] - a.isocalendar()[0]
    if part == "iso-quarter":
        return (4 * b.isocalendar()[0] + iso_quarter0(b)) - (4 * a.isocalendar()[0] + iso_quarter0(a))
    if part == "iso-week":
        o = dt.date(1900, 1, 1)
        return days(b, o) // 7 - days(a, o) // 7
    raise AssertionError(part)


def run_parts(cur, forms: dict, values: list, parts=DATE_PARTS):
    exprs = []
    for p in parts:
        formula = forms.get(p)
        assert formula, f"no formula for part {p}"
        exprs.append(f'{substitute(formula, values)} AS "{p}"')
    row = cur.execute("SELECT " + ", ".join(exprs)).fetchone()
    return dict(zip(parts, row))


def test_date_functions_match_tableaus_calendar(cnxn):
    cur = cnxn.cursor()
    datepart, datename = date_function("DATEPART", 2), date_function("DATENAME", 2)
    datetrunc, dateadd, datediff = date_function("DATETRUNC", 2), date_function("DATEADD", 3), date_function("DATEDIFF", 3)
    for t in SAMPLES:
        got = run_parts(cur, datepart, ["'x'", ts_sql(t)])
        assert got == {p: expected_part(t, p) for p in DATE_PARTS}, t
        names = run_parts(cur, datename, ["'x'", ts_sql(t)])
        want = {p: str(expected_part(t, p)) for p in DATE_PARTS}
        want["month"], want["weekday"] = t.strftime("%B"), t.strftime("%A")
        assert names == want, t
        got = run_parts(cur, datetrunc, ["'x'", ts_sql(t)])
        assert got == {p: expected_trunc(t, p) for p in DATE_PARTS}, t
        for n in (1, -3, 5):
            got = run_parts(cur, dateadd, ["'x'", str(n), ts_sql(t)])
            assert got == {p: expected_add(t, p, n) for p in DATE_PARTS}, (t, n)
        for other in SAMPLES:
            got = run_parts(cur, datediff, ["'x'", ts_sql(t), ts_sql(other)])
            assert got == {p: expected_diff(t, other, p) for p in DATE_PARTS}, (t, other)
    # Custom start of week (Tableau passes the first day's number, Sunday = 0).
    wk = ["week"]
    for start in range(7):
        for t in SAMPLES:
            assert run_parts(cur, date_function("DATEPART", 3), ["'x'", ts_sql(t), str(start)], wk)["week"] == expected_part(t, "week", start)
            assert run_parts(cur, date_function("DATETRUNC", 3), ["'x'", ts_sql(t), str(start)], wk)["week"] == expected_trunc(t, "week", start)
            for other in SAMPLES:
                got = run_parts(cur, date_function("DATEDIFF", 4), ["'x'", ts_sql(t), ts_sql(other), str(start)], wk)["week"]
                assert got == expected_diff(t, other, "week", start), (t, other, start)


def test_cast_and_arithmetic_overrides(cnxn):
    cur = cnxn.cursor()
    forms = {}
    for f in dialect_functions():
        if f.tag == "function":
            forms[(f.get("name"), tuple(a.get("type") for a in f.findall("argument")))] = f.find("formula").text

    def ev(name, args, *values):
        return cur.execute(f"SELECT {substitute(forms[(name, args)], list(values))}").fetchone()[0]

    t = dt.datetime(2020, 3, 4, 5, 6, 7, 500000)
    assert ev("+", ("datetime", "real"), ts_sql(t), "1.5") == t + dt.timedelta(days=1.5)
    assert ev("-", ("datetime", "real"), ts_sql(t), "0.25") == t - dt.timedelta(days=0.25)
    assert ev("+", ("date", "int"), "(DATE '2020-02-28')", "2") == dt.date(2020, 3, 1)
    assert ev("-", ("date", "int"), "(DATE '2020-03-01')", "2") == dt.date(2020, 2, 28)
    assert ev("-", ("datetime", "datetime"), ts_sql(t), ts_sql(t - dt.timedelta(hours=36))) == pytest.approx(1.5)
    day0 = dt.datetime(1900, 1, 1)  # day 0 of DATE(number) and DATETIME(number), as in PostgreSQL90Dialect
    n = (dt.datetime(2020, 3, 4) - day0).days
    assert ev("DATETIME", ("real",), f"{n}.5") == dt.datetime(2020, 3, 4, 12, 0)
    assert ev("DATE", ("real",), f"{n}.9") == dt.date(2020, 3, 4)
    assert ev("DATE", ("str",), "'not a date'") is None
    assert ev("INT", ("str",), "'12.7'") == 12
    assert ev("FLOAT", ("str",), "'x'") is None
    assert ev("SIGN", ("real",), "-2.5") == -1
    assert ev("%", ("real", "real"), "-7.5", "2") == pytest.approx(-1.5)
    assert ev("REGEXP_EXTRACT", ("str", "str"), "'PR-123 merged'", "'PR-([0-9]+)'") == "123"
    assert ev("REGEXP_EXTRACT_NTH", ("str", "str", "localint"), "'a1b2'", "'([a-z])([0-9])'", "2") == "1"
    var = cur.execute(f"SELECT {substitute(forms[('VAR', ('real',))], ['x'])} FROM (VALUES (1.0), (2.0), (4.0)) t(x)").fetchone()[0]
    assert var == pytest.approx(7 / 3)
