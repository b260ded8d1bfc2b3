//! Block fetches: SQLFetch / SQLFetchScroll(NEXT) and SQLExtendedFetch fill a rowset into the
//! ARD's bound buffers, column-wise or row-wise, with bind offsets, row counts and statuses.

use super::convert::{self, c, Converted};
use super::diag::{DiagRec, Diags};
use super::error::OdbcError;
use super::stmt::{drain_warnings, FetchOutcome, Stmt, SQL_NULL_DATA};
use super::text_out::put_encoded;
use crate::ffi::buffers::{CBuf, OutPtr};

pub const SQL_ROW_SUCCESS: u16 = 0;
pub const SQL_ROW_NOROW: u16 = 3;
pub const SQL_ROW_ERROR: u16 = 5;
pub const SQL_ROW_SUCCESS_WITH_INFO: u16 = 6;
pub const SQL_FETCH_NEXT: u16 = 1;

/// Where one rowset goes: its size and the row count and status arrays to fill.
pub struct Rowset {
    pub size: usize,
    pub rows_fetched: OutPtr<usize>,
    pub status: OutPtr<u16>,
}

impl Stmt {
    /// SQLFetch / SQLFetchScroll(NEXT): a rowset of SQL_ATTR_ROW_ARRAY_SIZE rows.
    pub fn fetch(&mut self, diags: &mut Diags) -> Result<FetchOutcome, OdbcError> {
        let set = Rowset {
            size: self.attrs.row_array_size.max(1),
            rows_fetched: self.attrs.rows_fetched,
            status: self.attrs.row_status,
        };
        self.fetch_rowset(set, diags)
    }

    /// SQLExtendedFetch (ODBC 2): a rowset of SQL_ROWSET_SIZE rows into the caller's arrays.
    pub fn extended_fetch(
        &mut self,
        orientation: u16,
        rows: OutPtr<usize>,
        status: OutPtr<u16>,
        diags: &mut Diags,
    ) -> Result<FetchOutcome, OdbcError> {
        if orientation != SQL_FETCH_NEXT {
            return Err(OdbcError::FetchType(format!(
                "fetch orientation {orientation}: cursors are forward-only, only SQL_FETCH_NEXT (1) is available"
            )));
        }
        let set = Rowset {
            size: self.attrs.rowset_size.max(1),
            rows_fetched: rows,
            status,
        };
        self.fetch_rowset(set, diags)
    }

    fn fetch_rowset(&mut self, set: Rowset, diags: &mut Diags) -> Result<FetchOutcome, OdbcError> {
        let cap = self.row_cap();
        let Some(cursor) = self.cursor.as_mut() else {
            return Err(OdbcError::CursorState("no result set is open: execute a query first"));
        };
        let offset = self.attrs.bind_offset.and_then(|p| p.get()).unwrap_or(0).max(0) as usize;
        let mut fetched = 0usize;
        let mut truncated_any = false;
        let mut fractional_any = false;
        while fetched < set.size {
            // SQL_ATTR_MAX_ROWS caps the result even when it was set after SQLPrepare.
            if cap.is_some_and(|m| cursor.rows_fetched >= m) || !cursor.advance()? {
                break;
            }
            let (batch, row) = cursor.current().expect("advance returned a row");
            let mut status = SQL_ROW_SUCCESS;
            for (i, r) in self.ard.iter().enumerate() {
                if !r.is_bound() {
                    continue;
                }
                if i >= batch.num_columns() {
                    return Err(OdbcError::BadColumn(i as i32 + 1, batch.num_columns()));
                }
                let c_type = Stmt::resolve_c_type(batch.schema_ref().field(i), r.concise);
                let (elem, ind_elem) = if self.attrs.row_bind_type == 0 {
                    (
                        convert::fixed_size(c_type).unwrap_or(r.octet_length.max(0) as usize),
                        std::mem::size_of::<isize>(),
                    )
                } else {
                    (self.attrs.row_bind_type, self.attrs.row_bind_type)
                };
                let buf = r.buf().offset(offset + fetched * elem, r.octet_length.max(0) as usize);
                let ind = r.ind.offset_bytes(offset + fetched * ind_elem);
                let octet = r.octet_ptr.offset_bytes(offset + fetched * ind_elem);
                let numeric = (c_type == c::NUMERIC && r.numeric_set).then_some((r.precision, r.scale));
                let cell = convert::cell(batch.column(i).as_ref(), row);
                let written = convert::convert(&cell, c_type, numeric).and_then(|conv| {
                    fractional_any |= conv.fractional_truncation;
                    write_value(conv.value, buf, ind, octet, i as u16 + 1)
                });
                match written {
                    Ok(true) => status = SQL_ROW_SUCCESS_WITH_INFO,
                    Ok(false) => {}
                    // A single-row fetch fails as a whole; in a block the row is marked instead.
                    Err(e) if set.size == 1 => return Err(e),
                    Err(e) => {
                        row_error(diags, &e, fetched + 1, i + 1);
                        status = SQL_ROW_ERROR;
                    }
                }
            }
            set.status.offset_bytes(fetched * 2).set(status);
            truncated_any |= status == SQL_ROW_SUCCESS_WITH_INFO;
            fetched += 1;
        }
        for i in fetched..set.size {
            set.status.offset_bytes(i * 2).set(SQL_ROW_NOROW);
        }
        set.rows_fetched.set(fetched);
        drain_warnings(&self.scope, diags);
        if truncated_any {
            diags.warn(
                "01004",
                "string data, right truncated: a bound buffer was too small for a value; the indicator holds its full length",
            );
        }
        if fractional_any {
            diags.warn("01S07", "fractional truncation: a value lost digits converting to the bound type");
        }
        Ok(if fetched == 0 { FetchOutcome::NoData } else { FetchOutcome::Rows })
    }
}

/// Records a row's error (ODBC 3: the rowset still returns, SQL_SUCCESS_WITH_INFO).
fn row_error(diags: &mut Diags, e: &OdbcError, row: usize, col: usize) {
    diags.recs.push(DiagRec {
        state: e.sqlstate(),
        native: 0,
        message: format!(
            "{} (row {row} of the rowset, column {col}; its status is SQL_ROW_ERROR)",
            e.message()
        ),
    });
    diags.with_info = true;
}

/// Writes one converted value, its length (`octet`) and indicator (`ind`); returns whether
/// text was truncated. The two pointers are usually the same (SQLBindCol's StrLen_or_Ind).
pub fn write_value(v: Converted, buf: CBuf, ind: OutPtr<isize>, octet: OutPtr<isize>, col: u16) -> Result<bool, OdbcError> {
    let len = |n: usize| {
        octet.set(n as isize);
        if ind.addr() != octet.addr() {
            ind.set(0);
        }
    };
    match v {
        Converted::Null => {
            if ind.is_null() {
                return Err(OdbcError::IndicatorRequired(col));
            }
            ind.set(SQL_NULL_DATA);
            Ok(false)
        }
        Converted::Fixed(bytes) => {
            buf.write_fixed(&bytes);
            len(bytes.len());
            Ok(false)
        }
        Converted::Var { bytes, enc } => {
            let truncated = match enc {
                Some(e) => put_encoded(e, &bytes, buf).1,
                None => buf.write(&bytes) < bytes.len(),
            };
            len(bytes.len());
            Ok(truncated)
        }
    }
}
