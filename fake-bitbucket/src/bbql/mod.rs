//! BBQL, the `q` filter language (reference 3.1, 8.13): lexer, parser, evaluator.

mod eval;
mod lexer;
mod parser;

pub use eval::{matches, order_values, resolve};
pub use lexer::{parse_datetime, Op};
pub use parser::{parse, Expr, Literal};

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BbqlError {
    pub message: String,
    /// Character offset in the query.
    pub pos: usize,
}

impl BbqlError {
    pub fn at(pos: usize, message: impl Into<String>) -> Self {
        BbqlError {
            message: message.into(),
            pos,
        }
    }
}

impl fmt::Display for BbqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at position {}", self.message, self.pos)
    }
}

/// Rejects fields the resource does not have (→ 400 upstream).
pub fn validate(expr: &Expr, known: &dyn Fn(&[String]) -> bool) -> Result<(), String> {
    for p in expr.paths() {
        if !known(p) {
            return Err(format!("'{}' is not a valid field", p.join(".")));
        }
    }
    Ok(())
}
