//! Recursive-descent parser for BBQL (grammar in reference 3.1). AND binds tighter than OR;
//! the only negation keyword is `NOT IN`.

use chrono::{DateTime, FixedOffset};

use super::lexer::{lex, Op, Tok, Token};
use super::BbqlError;

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    DateTime(DateTime<FixedOffset>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp {
        path: Vec<String>,
        op: Op,
        value: Literal,
    },
    In {
        path: Vec<String>,
        negated: bool,
        values: Vec<Literal>,
    },
}

impl Expr {
    /// Every field path the expression mentions.
    pub fn paths(&self) -> Vec<&Vec<String>> {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                let mut v = a.paths();
                v.extend(b.paths());
                v
            }
            Expr::Cmp { path, .. } | Expr::In { path, .. } => vec![path],
        }
    }

    /// Rewrites paths (e.g. `slug` → `workspace.slug` on `/user/workspaces`).
    pub fn map_paths(&mut self, f: &dyn Fn(&[String]) -> Vec<String>) {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.map_paths(f);
                b.map_paths(f);
            }
            Expr::Cmp { path, .. } | Expr::In { path, .. } => *path = f(path),
        }
    }
}

pub fn parse(input: &str) -> Result<Expr, BbqlError> {
    let tokens = lex(input)?;
    let mut p = Parser {
        tokens,
        i: 0,
        end: input.chars().count(),
    };
    let e = p.query(0)?;
    if let Some(t) = p.peek() {
        return Err(BbqlError::at(t.pos, "unexpected token after the end of the expression"));
    }
    Ok(e)
}

struct Parser {
    tokens: Vec<Token>,
    i: usize,
    end: usize,
}

/// Guards against stack exhaustion from deeply nested parentheses in hostile input.
const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.i)
    }

    fn pos(&self) -> usize {
        self.peek().map(|t| t.pos).unwrap_or(self.end)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.i).cloned();
        self.i += 1;
        t
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek().is_some_and(|t| &t.tok == tok) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), BbqlError> {
        if self.eat(&tok) {
            Ok(())
        } else {
            Err(BbqlError::at(self.pos(), format!("expected {what}")))
        }
    }

    fn query(&mut self, depth: usize) -> Result<Expr, BbqlError> {
        let mut left = self.disjunct(depth)?;
        while self.eat(&Tok::Or) {
            let right = self.disjunct(depth)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn disjunct(&mut self, depth: usize) -> Result<Expr, BbqlError> {
        let mut left = self.term(depth)?;
        while self.eat(&Tok::And) {
            let right = self.term(depth)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self, depth: usize) -> Result<Expr, BbqlError> {
        if self.eat(&Tok::LParen) {
            if depth >= MAX_DEPTH {
                return Err(BbqlError::at(self.pos(), "expression nested too deeply"));
            }
            let e = self.query(depth + 1)?;
            self.expect(Tok::RParen, "')'")?;
            return Ok(e);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, BbqlError> {
        let path = self.path()?;
        let pos = self.pos();
        match self.next().map(|t| t.tok) {
            Some(Tok::Op(op)) => {
                let value = self.value()?;
                Ok(Expr::Cmp { path, op, value })
            }
            Some(Tok::In) => Ok(Expr::In {
                path,
                negated: false,
                values: self.list()?,
            }),
            Some(Tok::Not) => {
                self.expect(Tok::In, "IN after NOT")?;
                Ok(Expr::In {
                    path,
                    negated: true,
                    values: self.list()?,
                })
            }
            _ => Err(BbqlError::at(pos, "expected an operator")),
        }
    }

    fn path(&mut self) -> Result<Vec<String>, BbqlError> {
        let mut path = Vec::new();
        loop {
            let pos = self.pos();
            match self.next().map(|t| t.tok) {
                Some(Tok::Ident(s)) => path.push(s),
                _ => return Err(BbqlError::at(pos, "expected a field name")),
            }
            if !self.eat(&Tok::Dot) {
                return Ok(path);
            }
        }
    }

    fn list(&mut self) -> Result<Vec<Literal>, BbqlError> {
        self.expect(Tok::LParen, "'(' to open the list")?;
        let mut values = vec![self.value()?];
        while self.eat(&Tok::Comma) {
            values.push(self.value()?);
        }
        self.expect(Tok::RParen, "')' to close the list")?;
        Ok(values)
    }

    fn value(&mut self) -> Result<Literal, BbqlError> {
        let pos = self.pos();
        Ok(match self.next().map(|t| t.tok) {
            Some(Tok::Str(s)) => Literal::Str(s),
            Some(Tok::Num(n)) => Literal::Num(n),
            Some(Tok::DateTime(d)) => Literal::DateTime(d),
            Some(Tok::Null) => Literal::Null,
            Some(Tok::True) => Literal::Bool(true),
            Some(Tok::False) => Literal::Bool(false),
            _ => return Err(BbqlError::at(pos, "expected a value")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        s.split('.').map(String::from).collect()
    }

    #[test]
    fn precedence_and_parentheses() {
        let e = parse(r#"a = 1 OR b = 2 AND c = 3"#).unwrap();
        assert!(matches!(e, Expr::Or(_, ref r) if matches!(**r, Expr::And(_, _))));
        let e = parse(r#"(a = 1 OR b = 2) and c = 3"#).unwrap();
        assert!(matches!(e, Expr::And(ref l, _) if matches!(**l, Expr::Or(_, _))));
    }

    #[test]
    fn in_lists() {
        let e = parse(r#"state not in ("A", "B")"#).unwrap();
        assert_eq!(
            e,
            Expr::In {
                path: p("state"),
                negated: true,
                values: vec![Literal::Str("A".into()), Literal::Str("B".into())]
            }
        );
        assert!(parse("state IN ()").is_err());
        assert!(parse(r#"state NOT "a""#).is_err());
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "",
            "name",
            "name =",
            "= 1",
            "(a = 1",
            "a = 1)",
            "a = 1 AND",
            "a == 1",
            "a = b",
            ".a = 1",
            "a. = 1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let deep = format!("{}a = 1{}", "(".repeat(200), ")".repeat(200));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn paths_collected() {
        let e = parse(r#"project.key = "X" AND (is_private = true OR parent = null)"#).unwrap();
        let paths: Vec<String> = e.paths().iter().map(|p| p.join(".")).collect();
        assert_eq!(paths, vec!["project.key", "is_private", "parent"]);
    }
}
