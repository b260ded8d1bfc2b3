//! Diagnostic records of one handle.

#[derive(Debug, Clone)]
pub struct DiagRec {
    pub state: &'static str,
    pub native: i32,
    pub message: String,
}

pub const PREFIX: &str = "[Bitbucket ODBC]";

#[derive(Debug, Default)]
pub struct Diags {
    pub recs: Vec<DiagRec>,
    /// SQLGetDiagField's SQL_DIAG_ROW_COUNT / cursor row count header fields.
    pub row_count: isize,
    pub return_code: i16,
    /// Set when rows of a block fetch failed: the call returns SQL_SUCCESS_WITH_INFO.
    pub with_info: bool,
}

impl Diags {
    pub fn clear(&mut self) {
        self.recs.clear();
        self.row_count = 0;
        self.return_code = 0;
        self.with_info = false;
    }
    pub fn warn(&mut self, state: &'static str, message: impl AsRef<str>) {
        self.recs.push(DiagRec {
            state,
            native: 0,
            message: format!("{PREFIX} {}", message.as_ref()),
        });
    }
    pub fn has_warnings(&self) -> bool {
        self.with_info || self.recs.iter().any(|r| r.state.starts_with("01"))
    }
}
