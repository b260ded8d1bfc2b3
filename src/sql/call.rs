//! Procedure calls: `EXEC name @p = v, ...`, `EXECUTE name v, ...`, `CALL name(v, ...)` and the
//! ODBC escape `{call name(v, ...)}` / `{? = call ...}`, recognised before SQL parsing.

use super::error::SqlError;

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    /// Named (`@p = v` or `p = v`) or positional arguments; `None` is SQL NULL.
    pub args: Vec<(Option<String>, Option<String>)>,
    /// Positions in `args` that are `?` markers, in marker order; their values come at execute.
    pub markers: Vec<usize>,
}

/// `Ok(None)` when the text is not a procedure call.
pub fn parse(sql: &str) -> Result<Option<Call>, SqlError> {
    let t = sql.trim().trim_end_matches(';').trim();
    let (body, parenthesised) = if let Some(inner) = t.strip_prefix('{') {
        let Some(inner) = inner.trim_end().strip_suffix('}') else {
            return Ok(None);
        };
        let inner = inner.trim();
        let inner = match inner.strip_prefix('?') {
            Some(r) => r.trim_start().strip_prefix('=').map(str::trim_start).unwrap_or(r),
            None => inner,
        };
        match strip_keyword(inner, "call") {
            Some(r) => (r, true),
            None => return Ok(None),
        }
    } else if let Some(r) = strip_keyword(t, "exec").or_else(|| strip_keyword(t, "execute")) {
        (r, false)
    } else if let Some(r) = strip_keyword(t, "call") {
        (r, true)
    } else {
        return Ok(None);
    };
    let mut lx = Lexer {
        s: body.as_bytes(),
        i: 0,
        src: body,
        marker: false,
    };
    let name = lx.name().ok_or_else(|| syntax("a procedure name after EXEC or CALL"))?;
    lx.ws();
    let mut args = Vec::new();
    let mut markers = Vec::new();
    let closing = if lx.eat(b'(') {
        true
    } else if parenthesised && !lx.done() {
        return Err(syntax("'(' after the procedure name"));
    } else {
        false
    };
    lx.ws();
    if !(closing && lx.eat(b')')) && !lx.done() {
        loop {
            lx.marker = false;
            args.push(lx.arg()?);
            if lx.marker {
                markers.push(args.len() - 1);
            }
            lx.ws();
            if lx.eat(b',') {
                continue;
            }
            if closing && !lx.eat(b')') {
                return Err(syntax("')' or ',' in the argument list"));
            }
            break;
        }
    }
    lx.ws();
    if !lx.done() {
        return Err(syntax("the end of the call"));
    }
    Ok(Some(Call { name, args, markers }))
}

fn syntax(expected: &str) -> SqlError {
    SqlError::Syntax(format!(
        "procedure call: expected {expected}. Write EXEC Name @Param = 'value', ... or {{call Name('value', ...)}}"
    ))
}

fn strip_keyword<'a>(s: &'a str, kw: &str) -> Option<&'a str> {
    let head = s.get(..kw.len())?;
    let rest = &s[kw.len()..];
    (head.eq_ignore_ascii_case(kw) && rest.starts_with(|c: char| c.is_whitespace())).then(|| rest.trim_start())
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
    src: &'a str,
    /// Whether the last value read was a `?` marker.
    marker: bool,
}

impl Lexer<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// `a.b.Name`, `"Name"` or `[Name]`: the last part names the procedure.
    fn name(&mut self) -> Option<String> {
        loop {
            self.ws();
            let part = self.ident()?;
            if !self.eat(b'.') {
                return Some(part);
            }
        }
    }

    fn ident(&mut self) -> Option<String> {
        let close = match self.s.get(self.i) {
            Some(b'"') => Some(b'"'),
            Some(b'[') => Some(b']'),
            Some(b'`') => Some(b'`'),
            _ => None,
        };
        if let Some(c) = close {
            let start = self.i + 1;
            let end = start + self.s[start..].iter().position(|b| *b == c)?;
            self.i = end + 1;
            return Some(self.src[start..end].to_string());
        }
        let start = self.i;
        while self.i < self.s.len() && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_') {
            self.i += 1;
        }
        (self.i > start).then(|| self.src[start..self.i].to_string())
    }

    fn arg(&mut self) -> Result<(Option<String>, Option<String>), SqlError> {
        self.ws();
        let save = self.i;
        let at = self.eat(b'@');
        if let Some(id) = self.ident() {
            self.ws();
            if self.eat(b'=') {
                return Ok((Some(id), self.value()?));
            }
        }
        if at {
            return Err(syntax("'=' after the parameter name"));
        }
        self.i = save;
        Ok((None, self.value()?))
    }

    fn value(&mut self) -> Result<Option<String>, SqlError> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'\'') => {
                let mut out = String::new();
                let mut j = self.i + 1;
                loop {
                    let rel = self.s[j..]
                        .iter()
                        .position(|b| *b == b'\'')
                        .ok_or_else(|| syntax("a closing quote"))?;
                    out.push_str(&self.src[j..j + rel]);
                    j += rel + 1;
                    if self.s.get(j) == Some(&b'\'') {
                        out.push('\'');
                        j += 1;
                    } else {
                        break;
                    }
                }
                self.i = j;
                Ok(Some(out))
            }
            Some(b'?') => {
                self.i += 1;
                self.marker = true;
                Ok(None)
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.s.len() && !matches!(self.s[self.i], b',' | b')') && !self.s[self.i].is_ascii_whitespace() {
                    self.i += 1;
                }
                let v = &self.src[start..self.i];
                if v.is_empty() {
                    return Err(syntax("a value"));
                }
                Ok((!v.eq_ignore_ascii_case("null")).then(|| v.to_string()))
            }
            None => Err(syntax("a value")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[(Option<&str>, Option<&str>)]) -> Option<Call> {
        Some(Call {
            name: name.into(),
            args: args.iter().map(|(n, v)| (n.map(String::from), v.map(String::from))).collect(),
            markers: vec![],
        })
    }

    #[test]
    fn recognises_every_form() {
        let want = call(
            "GetOAuthAccessToken",
            &[(Some("Verifier"), Some("ab'c")), (Some("CallbackURL"), Some("http://x"))],
        );
        assert_eq!(
            parse("EXEC GetOAuthAccessToken @Verifier = 'ab''c', @CallbackURL='http://x'").unwrap(),
            want
        );
        assert_eq!(
            parse("execute GetOAuthAccessToken Verifier='ab''c', CallbackURL = 'http://x';").unwrap(),
            want
        );
        let pos = call("RefreshOAuthAccessToken", &[(None, Some("rt"))]);
        assert_eq!(parse("{call RefreshOAuthAccessToken('rt')}").unwrap(), pos);
        assert_eq!(parse("{ ? = call acme.Information.RefreshOAuthAccessToken('rt') }").unwrap(), pos);
        assert_eq!(parse("CALL \"RefreshOAuthAccessToken\"('rt')").unwrap(), pos);
        assert_eq!(parse("EXEC RefreshOAuthAccessToken 'rt'").unwrap(), pos);
        assert_eq!(
            parse("{call GetOAuthAuthorizationURL}").unwrap(),
            call("GetOAuthAuthorizationURL", &[])
        );
        assert_eq!(
            parse("{call GetOAuthAuthorizationURL()}").unwrap(),
            call("GetOAuthAuthorizationURL", &[])
        );
        assert_eq!(
            parse("EXEC MergePullRequest @RepositorySlug = 'core', @PullRequestId = 7, @Message = NULL").unwrap(),
            call(
                "MergePullRequest",
                &[
                    (Some("RepositorySlug"), Some("core")),
                    (Some("PullRequestId"), Some("7")),
                    (Some("Message"), None)
                ]
            )
        );
    }

    #[test]
    fn leaves_other_sql_alone() {
        for sql in ["SELECT 1", "SELECT * FROM Executions", "{fn UCASE('a')}", "callx()"] {
            assert_eq!(parse(sql).unwrap(), None, "{sql}");
        }
    }

    #[test]
    fn reports_broken_calls() {
        for sql in [
            "EXEC (",
            "{call X('a'}",
            "EXEC X @a 'b'",
            "{call X('unterminated)}",
            "EXEC X 'a' junk",
        ] {
            assert!(matches!(parse(sql), Err(SqlError::Syntax(_))), "{sql}");
        }
        let c = parse("{call X('a', ?, @P = ?)}").unwrap().unwrap();
        assert_eq!(c.markers, vec![1, 2]);
        assert_eq!(c.args[2], (Some("P".into()), None));
    }
}
