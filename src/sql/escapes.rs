//! ODBC escape sequences and ODBC-only function syntax, rewritten into the SQL the engine
//! parses, before parsing. SQLNativeSql returns the same text.
//!
//! * `{fn f(...)}` becomes `f(...)`; the ODBC functions DataFusion lacks are UDFs under their
//!   ODBC names (`odbc_functions`), so they work bare too. Four whose bare name means
//!   something else here are translated: `LOG` (natural log: `ln`), `LENGTH` (trailing blanks
//!   excluded), `CONCAT` (NULL if either side is, as SQL_CONCAT_NULL_BEHAVIOR says) and
//!   `INSERT` (a keyword: `overlay`); `USER()`, which does not parse, is `CURRENT_USER`.
//!   `{fn NAME}` without parentheses becomes `NAME()`.
//! * `CONVERT(x, SQL_BIGINT)` becomes `CAST(x AS BIGINT)` (to a character type,
//!   `odbc_varchar(x)`: SQLGetData's text of the value), and the interval keyword of
//!   `TIMESTAMPADD`/`TIMESTAMPDIFF` (`SQL_TSI_DAY`, or MySQL's `DAY`) becomes a string
//!   (`'DAY'`), with or without `{fn}`.
//! * `{d '...'}`, `{t '...'}`, `{ts '...'}` become `DATE '...'`, `TIME '...'` and a
//!   microsecond `TIMESTAMP`; `{oj ...}` its inner text; `{escape 'c'}` `ESCAPE 'c'`;
//!   `{interval [-]'n' UNIT}` `INTERVAL '[-]n' UNIT`.
//! * `{call ...}` is left alone: procedure calls are recognised before this (`call`).
//!
//! String literals, quoted identifiers and comments are copied untouched.

use super::error::SqlError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Space,
    Comment,
    /// `'...'`, with `''` inside.
    Str,
    /// `"..."` or `` `...` ``.
    Quoted,
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    kind: Kind,
    text: &'a str,
}

impl Tok<'_> {
    fn is(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.text.len() == c.len_utf8() && self.text.starts_with(c)
    }
    fn blank(&self) -> bool {
        matches!(self.kind, Kind::Space | Kind::Comment)
    }
}

/// Splits SQL into tokens. Unterminated literals and comments run to the end of the text;
/// the parser reports them.
fn tokenize(sql: &str) -> Vec<Tok<'_>> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = sql[i..].chars().next().expect("in bounds");
        let kind = if c.is_whitespace() {
            while let Some(c) = sql[i..].chars().next().filter(|c| c.is_whitespace()) {
                i += c.len_utf8();
            }
            Kind::Space
        } else if sql[i..].starts_with("--") {
            i = sql[i..].find('\n').map_or(b.len(), |n| i + n + 1);
            Kind::Comment
        } else if sql[i..].starts_with("/*") {
            let mut depth = 0;
            while i < b.len() {
                if sql[i..].starts_with("/*") {
                    depth += 1;
                    i += 2;
                } else if sql[i..].starts_with("*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            Kind::Comment
        } else if matches!(c, '\'' | '"' | '`') {
            let q = b[i];
            i += 1;
            loop {
                match b[i..].iter().position(|x| *x == q) {
                    None => {
                        i = b.len();
                        break;
                    }
                    Some(n) => {
                        i += n + 1;
                        if b.get(i) == Some(&q) {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            if q == b'\'' {
                Kind::Str
            } else {
                Kind::Quoted
            }
        } else if c.is_alphabetic() || c == '_' {
            while let Some(c) = sql[i..].chars().next().filter(|c| c.is_alphanumeric() || *c == '_' || *c == '$') {
                i += c.len_utf8();
            }
            Kind::Word
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            Kind::Number
        } else {
            i += c.len_utf8();
            Kind::Punct
        };
        out.push(Tok {
            kind,
            text: &sql[start..i],
        });
    }
    out
}

/// The statement with every ODBC escape and ODBC-only function form rewritten.
pub fn rewrite(sql: &str) -> Result<String, SqlError> {
    if !sql.contains(['{', '(']) {
        return Ok(sql.to_string());
    }
    rewrite_toks(&tokenize(sql))
}

fn rewrite_toks(t: &[Tok<'_>]) -> Result<String, SqlError> {
    let mut out = String::new();
    let mut i = 0;
    while i < t.len() {
        let tok = t[i];
        if tok.is('{') {
            if let Some(end) = matching(t, i, '{', '}') {
                if let Some(s) = escape(&t[i + 1..end])? {
                    out.push_str(&s);
                    i = end + 1;
                    continue;
                }
            }
        } else if tok.kind == Kind::Word && !after_dot(t, i) {
            if let Some(open) = next_solid(t, i + 1).filter(|&o| t[o].is('(')) {
                if let Some(close) = matching(t, open, '(', ')') {
                    if let Some(s) = special_call(tok.text, &t[open + 1..close])? {
                        out.push_str(&s);
                        i = close + 1;
                        continue;
                    }
                }
            }
        }
        out.push_str(tok.text);
        i += 1;
    }
    Ok(out)
}

/// Index of the token closing the bracket opened at `open`.
fn matching(t: &[Tok<'_>], open: usize, o: char, c: char) -> Option<usize> {
    let mut depth = 0usize;
    for (j, tok) in t.iter().enumerate().skip(open) {
        if tok.is(o) {
            depth += 1;
        } else if tok.is(c) {
            depth -= 1;
            if depth == 0 {
                return Some(j);
            }
        }
    }
    None
}

fn next_solid(t: &[Tok<'_>], from: usize) -> Option<usize> {
    (from..t.len()).find(|&j| !t[j].blank())
}

/// `x.CONVERT(` is a qualified name, not the ODBC function.
fn after_dot(t: &[Tok<'_>], i: usize) -> bool {
    (0..i).rev().find(|&j| !t[j].blank()).is_some_and(|j| t[j].is('.'))
}

/// The text of one `{...}` escape (without its braces), or None to leave it as written.
fn escape(inner: &[Tok<'_>]) -> Result<Option<String>, SqlError> {
    let Some(k) = next_solid(inner, 0) else {
        return Ok(None);
    };
    let kw = inner[k];
    if kw.kind != Kind::Word {
        return Ok(None);
    }
    let rest = &inner[k + 1..];
    let body = || -> Result<String, SqlError> { Ok(rewrite_toks(rest)?.trim().to_string()) };
    let literal = |prefix: &str, suffix: &str| -> Option<String> {
        let s = next_solid(rest, 0)?;
        (rest[s].kind == Kind::Str && next_solid(rest, s + 1).is_none()).then(|| format!("{prefix}{}{suffix}", rest[s].text))
    };
    Ok(match kw.text.to_ascii_lowercase().as_str() {
        "fn" => Some(scalar_fn(&body()?)?),
        "d" => literal("DATE ", ""),
        "t" => literal("TIME ", ""),
        // Microseconds like every timestamp column; nanoseconds would stop at year 2262.
        "ts" => literal("CAST(", " AS TIMESTAMP(6))"),
        "oj" => Some(body()?),
        "escape" => Some(format!("ESCAPE {}", body()?)),
        "interval" => interval(rest),
        _ => None,
    })
}

/// `{interval [+|-]'n' UNIT [TO UNIT]}` → `INTERVAL '[-]n' UNIT ...`.
fn interval(rest: &[Tok<'_>]) -> Option<String> {
    let mut j = next_solid(rest, 0)?;
    let mut sign = "";
    if rest[j].is('-') || rest[j].is('+') {
        sign = if rest[j].is('-') { "-" } else { "" };
        j = next_solid(rest, j + 1)?;
    }
    if rest[j].kind != Kind::Str {
        return None;
    }
    let value = &rest[j].text[1..rest[j].text.len() - 1];
    let qualifier: String = rest[j + 1..].iter().map(|t| t.text).collect();
    Some(format!("INTERVAL '{sign}{value}' {}", qualifier.trim()))
}

/// The body of `{fn ...}`, its nested escapes already rewritten.
fn scalar_fn(body: &str) -> Result<String, SqlError> {
    let t = tokenize(body);
    let Some(n) = next_solid(&t, 0).filter(|&n| t[n].kind == Kind::Word) else {
        return Ok(body.to_string());
    };
    let name = t[n].text;
    let Some(open) = next_solid(&t, n + 1) else {
        // `{fn CURDATE}`: ODBC allows the empty argument list to be left out.
        return Ok(format!("{name}()"));
    };
    let close = match (t[open].is('('), matching(&t, open, '(', ')')) {
        (true, Some(c)) if next_solid(&t, c + 1).is_none() => c,
        _ => return Ok(body.to_string()),
    };
    let args = split_args(&t[open + 1..close]);
    let arg = |i: usize| args[i].as_str();
    Ok(match (name.to_ascii_uppercase().as_str(), args.len()) {
        // ODBC's LOG is the natural logarithm; a bare log(x) is base 10 here.
        ("LOG", 1) => format!("ln({})", arg(0)),
        // "excluding trailing blanks"
        ("LENGTH", 1) => format!("character_length(rtrim({}))", arg(0)),
        // `||` gives NULL when either side is NULL (SQL_CONCAT_NULL_BEHAVIOR = SQL_CB_NULL);
        // concat() would skip NULLs.
        ("CONCAT", 2) => format!("(CAST({} AS VARCHAR) || CAST({} AS VARCHAR))", arg(0), arg(1)),
        // INSERT(s, start, length, s2): length characters from start replaced by s2.
        ("INSERT", 4) => format!("overlay({} PLACING {} FROM {} FOR {})", arg(0), arg(3), arg(1), arg(2)),
        // `USER()` does not parse; the SQL-92 CURRENT_USER is the same function.
        ("USER", 0) => "CURRENT_USER".to_string(),
        _ => body.trim().to_string(),
    })
}

/// The top-level, comma-separated arguments of a call, trimmed.
fn split_args(t: &[Tok<'_>]) -> Vec<String> {
    let mut args = vec![String::new()];
    let mut depth = 0i32;
    for tok in t {
        if tok.is('(') || tok.is('[') || tok.is('{') {
            depth += 1;
        } else if tok.is(')') || tok.is(']') || tok.is('}') {
            depth -= 1;
        } else if depth == 0 && tok.is(',') {
            args.push(String::new());
            continue;
        }
        args.last_mut().expect("one argument at least").push_str(tok.text);
    }
    let mut args: Vec<String> = args.into_iter().map(|a| a.trim().to_string()).collect();
    if args.len() == 1 && args[0].is_empty() {
        args.clear();
    }
    args
}

/// ODBC-only call syntax that needs rewriting wherever it appears: `CONVERT(x, SQL_type)`,
/// `TIMESTAMPADD(SQL_TSI_x, n, ts)`, `TIMESTAMPDIFF(SQL_TSI_x, a, b)`.
fn special_call(name: &str, inner: &[Tok<'_>]) -> Result<Option<String>, SqlError> {
    let upper = name.to_ascii_uppercase();
    if !matches!(upper.as_str(), "CONVERT" | "TIMESTAMPADD" | "TIMESTAMPDIFF") {
        return Ok(None);
    }
    let inner = rewrite_toks(inner)?;
    let args = split_args(&tokenize(&inner));
    if upper == "CONVERT" {
        let Some(ty) = args.get(1).filter(|a| args.len() == 2 && has_prefix(a, "SQL_")) else {
            return Ok(Some(format!("{name}({inner})")));
        };
        let target = convert_type(ty).ok_or_else(|| {
            SqlError::NotSupported(format!(
                "CONVERT to {ty} is not supported; the target types are {}",
                CONVERT_TYPES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ))
        })?;
        // Text the way SQLGetData writes it, not CAST's ISO 8601 timestamps (odbc_text).
        if target == "VARCHAR" {
            return Ok(Some(format!("{}({})", super::odbc_text::NAME, args[0])));
        }
        return Ok(Some(format!("CAST({} AS {target})", args[0])));
    }
    // ODBC's SQL_TSI_DAY, or MySQL's bare DAY.
    let unit = args.first().filter(|_| args.len() == 3).and_then(|u| {
        let u = u.to_ascii_uppercase();
        let u = if has_prefix(&u, "SQL_TSI_") { u[8..].to_string() } else { u };
        TSI_UNITS.contains(&u.as_str()).then_some(u)
    });
    match unit {
        Some(unit) => Ok(Some(format!("{name}('{unit}', {}, {})", args[1], args[2]))),
        None => Ok(Some(format!("{name}({inner})"))),
    }
}

fn has_prefix(s: &str, p: &str) -> bool {
    s.len() > p.len()
        && s.is_char_boundary(p.len())
        && s[..p.len()].eq_ignore_ascii_case(p)
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The intervals of TIMESTAMPADD and TIMESTAMPDIFF, without their `SQL_TSI_` prefix.
const TSI_UNITS: &[&str] = &["FRAC_SECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"];

/// CONVERT's target types and the CAST type each becomes.
pub const CONVERT_TYPES: &[(&str, &str)] = &[
    ("SQL_BIGINT", "BIGINT"),
    ("SQL_BIT", "BOOLEAN"),
    ("SQL_CHAR", "VARCHAR"),
    ("SQL_DATE", "DATE"),
    ("SQL_DECIMAL", "DECIMAL"),
    ("SQL_DOUBLE", "DOUBLE"),
    ("SQL_FLOAT", "DOUBLE"),
    ("SQL_INTEGER", "INTEGER"),
    ("SQL_LONGVARCHAR", "VARCHAR"),
    ("SQL_NUMERIC", "DECIMAL"),
    ("SQL_REAL", "REAL"),
    ("SQL_SMALLINT", "SMALLINT"),
    ("SQL_TIME", "TIME"),
    ("SQL_TIMESTAMP", "TIMESTAMP(6)"),
    ("SQL_TINYINT", "TINYINT"),
    ("SQL_TYPE_DATE", "DATE"),
    ("SQL_TYPE_TIME", "TIME"),
    ("SQL_TYPE_TIMESTAMP", "TIMESTAMP(6)"),
    ("SQL_VARCHAR", "VARCHAR"),
    ("SQL_WCHAR", "VARCHAR"),
    ("SQL_WLONGVARCHAR", "VARCHAR"),
    ("SQL_WVARCHAR", "VARCHAR"),
];

fn convert_type(odbc: &str) -> Option<&'static str> {
    CONVERT_TYPES.iter().find(|(n, _)| n.eq_ignore_ascii_case(odbc)).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::rewrite;
    use datafusion::sql::parser::DFParser;
    use datafusion::sql::sqlparser::dialect::GenericDialect;

    fn rw(sql: &str) -> String {
        rewrite(sql).unwrap_or_else(|e| panic!("`{sql}`: {e}"))
    }

    /// Statements Tableau sent to other drivers through the generic ODBC connector (from
    /// the corpus in the project's Tableau notes: ClickHouse issues and tests, Kylin tests).
    const TABLEAU: &[(&str, &str)] = &[
        (
            "SELECT SUM({fn CONVERT(test_tableau.i, SQL_BIGINT)}) AS sum_i_ok FROM test_tableau HAVING (COUNT(1) > 0)",
            "SELECT SUM(CAST(test_tableau.i AS BIGINT)) AS sum_i_ok FROM test_tableau HAVING (COUNT(1) > 0)",
        ),
        (
            "SELECT `adv_watch`.`rocket_date` AS `rocket_date` FROM `adv_watch` WHERE ((`adv_watch`.`rocket_datetime` >= {fn TIMESTAMPADD(SQL_TSI_DAY,-9,CAST({fn CURRENT_TIMESTAMP(0)} AS DATE))}) AND (`adv_watch`.`rocket_datetime` < {fn TIMESTAMPADD(SQL_TSI_DAY,1,CAST({fn CURRENT_TIMESTAMP(0)} AS DATE))}))",
            "SELECT `adv_watch`.`rocket_date` AS `rocket_date` FROM `adv_watch` WHERE ((`adv_watch`.`rocket_datetime` >= TIMESTAMPADD('DAY', -9, CAST(CURRENT_TIMESTAMP(0) AS DATE))) AND (`adv_watch`.`rocket_datetime` < TIMESTAMPADD('DAY', 1, CAST(CURRENT_TIMESTAMP(0) AS DATE))))",
        ),
        (
            "SUM((CASE WHEN ({fn TIMESTAMPADD(SQL_TSI_DAY,CAST({fn TRUNCATE((-1 * (EXTRACT(DAY FROM {fn TIMESTAMPADD(SQL_TSI_DAY,-1,`s`.`d`)}) - 1)),0)} AS INTEGER),CAST({fn TIMESTAMPADD(SQL_TSI_DAY,-1,`s`.`d`)} AS DATE))} = {ts '2018-08-01 00:00:00'}) THEN 1 ELSE NULL END))",
            "SUM((CASE WHEN (TIMESTAMPADD('DAY', CAST(TRUNCATE((-1 * (EXTRACT(DAY FROM TIMESTAMPADD('DAY', -1, `s`.`d`)) - 1)),0) AS INTEGER), CAST(TIMESTAMPADD('DAY', -1, `s`.`d`) AS DATE)) = CAST('2018-08-01 00:00:00' AS TIMESTAMP(6))) THEN 1 ELSE NULL END))",
        ),
        (
            "SELECT `t0`.`date` AS `date` FROM `new` WHERE ((CAST(`new_re`.`date` AS DATE) >= {d '2021-09-02'}) AND (CAST(`new_re`.`date` AS DATE\n) <= {d '2021-10-17'}) AND (`new`.`ie` = '网赚'))",
            "SELECT `t0`.`date` AS `date` FROM `new` WHERE ((CAST(`new_re`.`date` AS DATE) >= DATE '2021-09-02') AND (CAST(`new_re`.`date` AS DATE\n) <= DATE '2021-10-17') AND (`new`.`ie` = '网赚'))",
        ),
        (
            "SELECT {fn TIMESTAMPDIFF(SQL_TSI_DAY,CAST(`a`.`m` AS DATE),CAST(`a`.`date` AS DATE))} AS `Calculation_503558746242125826`, SUM({fn CONVERT(1, SQL_BIGINT)}) AS `sum_Number_of_Records_ok`",
            "SELECT TIMESTAMPDIFF('DAY', CAST(`a`.`m` AS DATE), CAST(`a`.`date` AS DATE)) AS `Calculation_503558746242125826`, SUM(CAST(1 AS BIGINT)) AS `sum_Number_of_Records_ok`",
        ),
        (
            "SELECT CAST({fn TRUNCATE(EXTRACT(YEAR FROM `odbc1`.`date`),0)} AS INTEGER) AS `yr_date_ok` FROM `test`.`odbc1`",
            "SELECT CAST(TRUNCATE(EXTRACT(YEAR FROM `odbc1`.`date`),0) AS INTEGER) AS `yr_date_ok` FROM `test`.`odbc1`",
        ),
        (
            "SELECT {fn QUARTER(`Custom_SQL_Query`.`date`)} AS `qr_sentDate_ok`",
            "SELECT QUARTER(`Custom_SQL_Query`.`date`) AS `qr_sentDate_ok`",
        ),
        (
            "SELECT COUNT({fn ABS(`test.odbc1`.`err_orr_arr`)}) AS `TEMP_Calculation_559572257702191122__2716881070__0_`",
            "SELECT COUNT(ABS(`test.odbc1`.`err_orr_arr`)) AS `TEMP_Calculation_559572257702191122__2716881070__0_`",
        ),
        (
            "SELECT CAST({fn TRUNCATE(EXTRACT(YEAR FROM {fn TIMESTAMPADD(SQL_TSI_DAY,(-1 * ({fn DAYOFWEEK(`E`.`sentDate`)} - 1)),CAST(`E`.`sentDate` AS DATE))}),0)} AS INTEGER) AS `yr_Calculation_ok`",
            "SELECT CAST(TRUNCATE(EXTRACT(YEAR FROM TIMESTAMPADD('DAY', (-1 * (DAYOFWEEK(`E`.`sentDate`) - 1)), CAST(`E`.`sentDate` AS DATE))),0) AS INTEGER) AS `yr_Calculation_ok`",
        ),
        (
            "SUM(\n    { fn DEGREES(\n      (\n        CASE\n          WHEN (\"K\".\"PRICE\" + 2) = 0 THEN { fn CONVERT(NULL, SQL_DOUBLE) }\n          ELSE \"K\".\"PRICE\" / (\"K\".\"PRICE\" + 2)\n        END\n      )\n    ) }\n  )",
            "SUM(\n    DEGREES(\n      (\n        CASE\n          WHEN (\"K\".\"PRICE\" + 2) = 0 THEN CAST(NULL AS DOUBLE)\n          ELSE \"K\".\"PRICE\" / (\"K\".\"PRICE\" + 2)\n        END\n      )\n    )\n  )",
        ),
        (
            "SUM(\n    { fn CONVERT({ fn SIGN(\"KYLIN_SALES\".\"PRICE\") }, SQL_BIGINT) }\n  )",
            "SUM(\n    CAST(SIGN(\"KYLIN_SALES\".\"PRICE\") AS BIGINT)\n  )",
        ),
        (
            "SELECT {fn LTRIM( {fn CONVERT( {fn CONVERT( {fn TRUNCATE( ( 6 + {fn DAYOFYEAR(CAL_DT)} + ( {fn MOD( ( 7 + {fn DAYOFWEEK( {fn TIMESTAMPADD( SQL_TSI_DAY, {fn CONVERT( {fn TRUNCATE( (-1 * ({fn DAYOFYEAR(CAL_DT)} - 1)), 0)}, SQL_BIGINT)}, {fn CONVERT( CAL_DT, SQL_DATE)} )} )} - 2), 7)} ) ) / 7, 0)}, SQL_BIGINT)}, SQL_VARCHAR)})} AS \"TEMP_Test__499182808__0_\"",
            "SELECT LTRIM( odbc_varchar(CAST(TRUNCATE( ( 6 + DAYOFYEAR(CAL_DT) + ( MOD( ( 7 + DAYOFWEEK( TIMESTAMPADD('DAY', CAST(TRUNCATE( (-1 * (DAYOFYEAR(CAL_DT) - 1)), 0) AS BIGINT), CAST(CAL_DT AS DATE)) ) - 2), 7) ) ) / 7, 0) AS BIGINT))) AS \"TEMP_Test__499182808__0_\"",
        ),
        (
            "SELECT {fn DAYOFYEAR({fn TIMESTAMPADD(SQL_TSI_DAY, CAST(NULL AS BIGINT), CAST('1900-01-01' AS DATE))})} AS col1",
            "SELECT DAYOFYEAR(TIMESTAMPADD('DAY', CAST(NULL AS BIGINT), CAST('1900-01-01' AS DATE))) AS col1",
        ),
        (
            "SELECT (CASE WHEN x <> 0 THEN {fn COT((CASE WHEN 4 = 0 THEN NULL ELSE \"T\".\"PRICE\" / 4 END))} ELSE NULL END) AS \"Calculation_4185251491127037988\"",
            "SELECT (CASE WHEN x <> 0 THEN COT((CASE WHEN 4 = 0 THEN NULL ELSE \"T\".\"PRICE\" / 4 END)) ELSE NULL END) AS \"Calculation_4185251491127037988\"",
        ),
        (
            "select name from emp where birthdate > {d '1987-12-29'}",
            "select name from emp where birthdate > DATE '1987-12-29'",
        ),
    ];

    #[test]
    fn tableau_statements() {
        for (sql, want) in TABLEAU {
            assert_eq!(rw(sql), *want, "\n{sql}");
        }
    }

    /// Every rewritten corpus statement parses (the original ones with `{oj}`, `{escape}` or
    /// a `{fn}` without parentheses would not).
    #[test]
    fn rewritten_statements_parse() {
        let extra = [
            "SELECT * FROM {oj a LEFT OUTER JOIN b ON a.x = b.x}",
            "SELECT * FROM {oj {oj a LEFT OUTER JOIN b ON a.x = b.x} RIGHT OUTER JOIN c ON c.y = b.y}",
            "SELECT * FROM t WHERE name LIKE 'a\\_%' {escape '\\'}",
            "SELECT {fn CURRENT_TIMESTAMP}, {fn CURDATE}, {fn NOW()}",
            "SELECT {t '10:11:12'}, {ts '2020-01-02 03:04:05.123456'}, {d '2020-01-02'}",
            "SELECT {INTERVAL '3' DAY}, {interval -'5' HOUR}",
            "SELECT {fn LOG(x)}, {fn LENGTH(s)}, {fn CONCAT(a, b)}, {fn INSERT(a, 1, 2, 'x')}",
        ];
        for sql in TABLEAU
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| s.to_ascii_uppercase().starts_with("SELECT"))
            .chain(extra)
        {
            let out = rw(sql);
            DFParser::parse_sql_with_dialect(&out, &GenericDialect {}).unwrap_or_else(|e| panic!("{sql}\n=> {out}\n{e}"));
        }
    }

    #[test]
    fn every_escape() {
        assert_eq!(rw("SELECT {d '2020-01-02'}"), "SELECT DATE '2020-01-02'");
        assert_eq!(rw("SELECT {t '10:11:12'}"), "SELECT TIME '10:11:12'");
        assert_eq!(
            rw("SELECT {ts '2020-01-02 10:11:12.5'}"),
            "SELECT CAST('2020-01-02 10:11:12.5' AS TIMESTAMP(6))"
        );
        assert_eq!(
            rw("SELECT * FROM {oj a LEFT OUTER JOIN b ON a.x = b.x} WHERE 1=1"),
            "SELECT * FROM a LEFT OUTER JOIN b ON a.x = b.x WHERE 1=1"
        );
        assert_eq!(rw("WHERE s LIKE '%\\%%' {escape '\\'}"), "WHERE s LIKE '%\\%%' ESCAPE '\\'");
        assert_eq!(rw("SELECT {interval '3' DAY}"), "SELECT INTERVAL '3' DAY");
        assert_eq!(rw("SELECT {interval - '3' DAY}"), "SELECT INTERVAL '-3' DAY");
        assert_eq!(rw("SELECT {fn CURDATE}"), "SELECT CURDATE()");
        assert_eq!(rw("SELECT {fn CURRENT_TIMESTAMP }"), "SELECT CURRENT_TIMESTAMP()");
        assert_eq!(rw("SELECT {fn LOG(x)}"), "SELECT ln(x)");
        assert_eq!(rw("SELECT {fn LENGTH('a ')}"), "SELECT character_length(rtrim('a '))");
        assert_eq!(
            rw("SELECT {fn CONCAT(a, {fn UCASE(b)})}"),
            "SELECT (CAST(a AS VARCHAR) || CAST(UCASE(b) AS VARCHAR))"
        );
        assert_eq!(
            rw("SELECT {fn INSERT('abcdef', 2, 3, 'XY')}"),
            "SELECT overlay('abcdef' PLACING 'XY' FROM 2 FOR 3)"
        );
    }

    #[test]
    fn keywords_are_case_insensitive() {
        assert_eq!(rw("SELECT {FN ucase('a')}, {Fn Ucase('b')}"), "SELECT ucase('a'), Ucase('b')");
        assert_eq!(
            rw("SELECT {D '2020-01-02'}, {T '10:11:12'}"),
            "SELECT DATE '2020-01-02', TIME '10:11:12'"
        );
        assert_eq!(
            rw("SELECT {Ts '2020-01-02 00:00:00'}"),
            "SELECT CAST('2020-01-02 00:00:00' AS TIMESTAMP(6))"
        );
        assert_eq!(rw("SELECT * FROM {OJ a LEFT JOIN b ON 1=1}"), "SELECT * FROM a LEFT JOIN b ON 1=1");
        assert_eq!(rw("x LIKE 'a' {ESCAPE '!'}"), "x LIKE 'a' ESCAPE '!'");
        assert_eq!(rw("{fn convert(x, sql_integer)}"), "CAST(x AS INTEGER)");
        assert_eq!(rw("{fn timestampadd(sql_tsi_month, 1, x)}"), "timestampadd('MONTH', 1, x)");
        assert_eq!(
            rw("{fn TimestampDiff(Sql_Tsi_Frac_Second, a, b)}"),
            "TimestampDiff('FRAC_SECOND', a, b)"
        );
    }

    #[test]
    fn literals_identifiers_and_comments_are_untouched() {
        for sql in [
            "SELECT '{fn UCASE(x)}' AS \"{d '2020-01-01'}\"",
            "SELECT 'it''s {ts ''x''}' FROM t",
            "SELECT `{oj a}` FROM t -- {fn LOG(x)}\nWHERE 1=1",
            "SELECT 1 /* {fn CONVERT(x, SQL_BIGINT)} /* nested {d 'x'} */ still a comment */",
            "SELECT 'CONVERT(x, SQL_BIGINT)', \"TIMESTAMPADD\"(SQL_TSI_DAY, 1, x)",
            "SELECT a.CONVERT(x, SQL_BIGINT)",
            "{call GetOAuthAuthorizationURL}",
            "{? = call RefreshOAuthAccessToken('rt')}",
            "SELECT 1",
            "",
        ] {
            assert_eq!(rw(sql), sql);
        }
        assert_eq!(
            rw("SELECT {fn UCASE('{fn x}')} AS \"{fn y}\" -- {fn z}"),
            "SELECT UCASE('{fn x}') AS \"{fn y}\" -- {fn z}"
        );
    }

    #[test]
    fn odbc_function_forms_work_bare_too() {
        assert_eq!(rw("SELECT CONVERT(x, SQL_WVARCHAR)"), "SELECT odbc_varchar(x)");
        assert_eq!(rw("SELECT CONVERT(x, SQL_TYPE_TIMESTAMP)"), "SELECT CAST(x AS TIMESTAMP(6))");
        assert_eq!(
            rw("SELECT TIMESTAMPDIFF(SQL_TSI_WEEK, a, CONVERT(b, SQL_DATE))"),
            "SELECT TIMESTAMPDIFF('WEEK', a, CAST(b AS DATE))"
        );
        assert_eq!(rw("SELECT TIMESTAMPADD(day, 1, x)"), "SELECT TIMESTAMPADD('DAY', 1, x)");
        assert_eq!(rw("SELECT {fn USER()}, {fn DATABASE()}"), "SELECT CURRENT_USER, DATABASE()");
        // Not ODBC's forms: left for the engine.
        assert_eq!(rw("SELECT CONVERT('a' USING utf8)"), "SELECT CONVERT('a' USING utf8)");
        assert_eq!(rw("SELECT TIMESTAMPADD('DAY', 1, x)"), "SELECT TIMESTAMPADD('DAY', 1, x)");
        assert_eq!(
            rw("SELECT TIMESTAMPADD(SQL_TSI_DECADE, 1, x)"),
            "SELECT TIMESTAMPADD(SQL_TSI_DECADE, 1, x)"
        );
    }

    #[test]
    fn unknown_convert_types_are_reported() {
        let e = rewrite("SELECT {fn CONVERT(x, SQL_GUID)}").unwrap_err();
        assert!(e.to_string().contains("SQL_GUID"), "{e}");
    }

    #[test]
    fn broken_escapes_are_left_to_the_parser() {
        for sql in ["SELECT {fn UCASE('a')", "SELECT {d 2020}", "SELECT {zz 'a'}", "SELECT 'open"] {
            assert_eq!(rw(sql), sql);
        }
    }
}
