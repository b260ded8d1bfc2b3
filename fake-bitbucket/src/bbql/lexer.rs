//! Tokens of BBQL. Keywords are case-insensitive; strings use double quotes with backslash
//! escapes; datetimes are unquoted ISO-8601 (date only, optional time, fraction and offset).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use super::BbqlError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Contains,
    NotContains,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    DateTime(DateTime<FixedOffset>),
    Op(Op),
    LParen,
    RParen,
    Comma,
    Dot,
    And,
    Or,
    Not,
    In,
    Null,
    True,
    False,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    /// Character offset in the query (for error messages).
    pub pos: usize,
}

pub fn lex(input: &str) -> Result<Vec<Token>, BbqlError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let pos = i;
        let simple = |tok| Token { tok, pos };
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(simple(Tok::LParen));
                i += 1;
            }
            ')' => {
                out.push(simple(Tok::RParen));
                i += 1;
            }
            ',' => {
                out.push(simple(Tok::Comma));
                i += 1;
            }
            '.' => {
                out.push(simple(Tok::Dot));
                i += 1;
            }
            '=' => {
                out.push(simple(Tok::Op(Op::Eq)));
                i += 1;
            }
            '~' => {
                out.push(simple(Tok::Op(Op::Contains)));
                i += 1;
            }
            '!' | '>' | '<' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('!', Some('~')) => (Op::NotContains, 2),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('>', _) => (Op::Gt, 1),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('<', _) => (Op::Lt, 1),
                    _ => return Err(BbqlError::at(pos, "unexpected '!'")),
                };
                out.push(simple(Tok::Op(op)));
                i += len;
            }
            '"' => {
                let (s, end) = lex_string(&chars, i)?;
                out.push(simple(Tok::Str(s)));
                i = end;
            }
            '\'' => return Err(BbqlError::at(pos, "strings must use double quotes")),
            c if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], ':' | '.' | '-' | '+')) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(simple(
                    literal(&word).ok_or_else(|| BbqlError::at(start, format!("invalid value '{word}'")))?,
                ));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let tok = match word.to_ascii_lowercase().as_str() {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    "in" => Tok::In,
                    "null" => Tok::Null,
                    "true" => Tok::True,
                    "false" => Tok::False,
                    _ => Tok::Ident(word),
                };
                out.push(Token { tok, pos: start });
            }
            other => return Err(BbqlError::at(pos, format!("unexpected character '{other}'"))),
        }
    }
    Ok(out)
}

fn lex_string(chars: &[char], start: usize) -> Result<(String, usize), BbqlError> {
    let mut s = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((s, i + 1)),
            '\\' => {
                let Some(&n) = chars.get(i + 1) else { break };
                s.push(n);
                i += 2;
            }
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err(BbqlError::at(start, "unterminated string"))
}

/// A number (`1`, `-10.302`) or a datetime (`2015-03-04`, `2015-03-04T14:08:59.123+02:00`).
fn literal(word: &str) -> Option<Tok> {
    if let Some(dt) = parse_datetime(word) {
        return Some(Tok::DateTime(dt));
    }
    // Only plain decimal numbers: no exponents, no "inf"/"nan".
    let body = word.strip_prefix('-').unwrap_or(word);
    let mut parts = body.splitn(2, '.');
    let int_ok = parts.next().is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let frac_ok = parts.next().is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if int_ok && frac_ok {
        word.parse().ok().map(Tok::Num)
    } else {
        None
    }
}

/// ISO-8601 as BBQL accepts it; no offset means UTC. Also used to compare stored timestamps.
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt);
    }
    let utc = FixedOffset::east_opt(0)?;
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return utc.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single();
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(s, f) {
            return Some(dt);
        }
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return utc.from_local_datetime(&n).single();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn operators_and_keywords() {
        assert_eq!(
            toks(r#"a.b != "x" aNd c !~ "y" Or d>=1"#),
            vec![
                Tok::Ident("a".into()),
                Tok::Dot,
                Tok::Ident("b".into()),
                Tok::Op(Op::Ne),
                Tok::Str("x".into()),
                Tok::And,
                Tok::Ident("c".into()),
                Tok::Op(Op::NotContains),
                Tok::Str("y".into()),
                Tok::Or,
                Tok::Ident("d".into()),
                Tok::Op(Op::Ge),
                Tok::Num(1.0),
            ]
        );
    }

    #[test]
    fn string_escapes() {
        assert_eq!(toks(r#""say \"hi\" C:\\x""#), vec![Tok::Str(r#"say "hi" C:\x"#.into())]);
        assert!(lex(r#""open"#).is_err());
        assert!(lex("'single'").is_err());
    }

    #[test]
    fn datetimes_and_numbers() {
        let dt = |s: &str| parse_datetime(s).unwrap().timestamp_millis();
        assert_eq!(dt("2015-03-04"), dt("2015-03-04T00:00:00+00:00"));
        assert_eq!(dt("2015-03-04T14:08:59"), dt("2015-03-04T14:08:59Z"));
        assert_eq!(dt("2015-03-04T14:08:59.123+02:00"), dt("2015-03-04T12:08:59.123Z"));
        assert_eq!(toks("-10.302"), vec![Tok::Num(-10.302)]);
        assert!(matches!(toks("2015-03-04T14:08")[0], Tok::DateTime(_)));
        assert!(lex("12abc").is_err());
        assert!(lex("1e5").is_err());
    }
}
