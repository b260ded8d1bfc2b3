//! The statement: prepare, execute, describe, bind, fetch and SQLGetData.

use super::conn::Session;
use super::convert::{self, c, Converted};
use super::cursor::Cursor;
use super::diag::Diags;
use super::error::OdbcError;
use super::text_out::put_piece;
use super::types::{self, SqlTypeInfo};
use crate::ffi::buffers::{CBuf, InPtr, OutPtr};
use crate::sql::Prepared;
use crate::tables::provider::{CancelSignal, StatementScope};
use datafusion::arrow::datatypes::{Field, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use std::sync::Arc;

pub const SQL_ATTR_QUERY_TIMEOUT: i32 = 0;
pub const SQL_ATTR_MAX_ROWS: i32 = 1;
pub const SQL_ATTR_NOSCAN: i32 = 2;
pub const SQL_ATTR_MAX_LENGTH: i32 = 3;
pub const SQL_ATTR_ASYNC_ENABLE: i32 = 4;
pub const SQL_ATTR_ROW_BIND_TYPE: i32 = 5;
pub const SQL_ATTR_CURSOR_TYPE: i32 = 6;
pub const SQL_ATTR_CONCURRENCY: i32 = 7;
pub const SQL_ATTR_KEYSET_SIZE: i32 = 8;
pub const SQL_ROWSET_SIZE: i32 = 9;
pub const SQL_ATTR_SIMULATE_CURSOR: i32 = 10;
pub const SQL_ATTR_RETRIEVE_DATA: i32 = 11;
pub const SQL_ATTR_USE_BOOKMARKS: i32 = 12;
pub const SQL_ATTR_ROW_NUMBER: i32 = 14;
pub const SQL_ATTR_ENABLE_AUTO_IPD: i32 = 15;
pub const SQL_ATTR_FETCH_BOOKMARK_PTR: i32 = 16;
pub const SQL_ATTR_PARAM_BIND_OFFSET_PTR: i32 = 17;
pub const SQL_ATTR_PARAM_BIND_TYPE: i32 = 18;
pub const SQL_ATTR_PARAM_OPERATION_PTR: i32 = 19;
pub const SQL_ATTR_PARAM_STATUS_PTR: i32 = 20;
pub const SQL_ATTR_PARAMS_PROCESSED_PTR: i32 = 21;
pub const SQL_ATTR_PARAMSET_SIZE: i32 = 22;
pub const SQL_ATTR_ROW_BIND_OFFSET_PTR: i32 = 23;
pub const SQL_ATTR_ROW_OPERATION_PTR: i32 = 24;
pub const SQL_ATTR_ROW_STATUS_PTR: i32 = 25;
pub const SQL_ATTR_ROWS_FETCHED_PTR: i32 = 26;
pub const SQL_ATTR_ROW_ARRAY_SIZE: i32 = 27;
pub const SQL_ATTR_CURSOR_SCROLLABLE: i32 = -1;
pub const SQL_ATTR_CURSOR_SENSITIVITY: i32 = -2;
pub const SQL_ATTR_APP_ROW_DESC: i32 = 10010;
pub const SQL_ATTR_APP_PARAM_DESC: i32 = 10011;
pub const SQL_ATTR_IMP_ROW_DESC: i32 = 10012;
pub const SQL_ATTR_IMP_PARAM_DESC: i32 = 10013;
pub const SQL_ATTR_METADATA_ID: i32 = 10014;

pub const SQL_NULL_DATA: isize = -1;

/// A statement attribute value as the boundary decoded it.
pub enum StmtAttrIn {
    Int(isize),
    RowsFetched(OutPtr<usize>),
    RowStatus(OutPtr<u16>),
    BindOffset(InPtr<isize>),
}

pub struct Attrs {
    pub row_array_size: usize,
    /// SQL_ROWSET_SIZE: SQLExtendedFetch's rowset, apart from SQLFetch's.
    pub rowset_size: usize,
    pub row_bind_type: usize,
    pub bind_offset: Option<InPtr<isize>>,
    pub rows_fetched: OutPtr<usize>,
    pub row_status: OutPtr<u16>,
    pub max_rows: usize,
    pub query_timeout: usize,
    pub max_length: usize,
    pub noscan: usize,
    pub paramset_size: usize,
    pub metadata_id: usize,
    /// Raw values of attributes stored only to be read back.
    pub other: Vec<(i32, isize)>,
}

impl Default for Attrs {
    fn default() -> Self {
        Attrs {
            row_array_size: 1,
            rowset_size: 1,
            row_bind_type: 0,
            bind_offset: None,
            rows_fetched: OutPtr::null(),
            row_status: OutPtr::null(),
            max_rows: 0,
            query_timeout: 0,
            max_length: 0,
            noscan: 0,
            paramset_size: 1,
            metadata_id: 0,
            other: Vec::new(),
        }
    }
}

pub struct Stmt {
    pub session: Arc<Session>,
    pub attrs: Attrs,
    prepared: Option<Prepared>,
    /// A prepared procedure call (EXEC / {call}); run by SQLExecute like a query.
    call: Option<super::procedures::BoundCall>,
    pub sql: String,
    pub(super) cursor: Option<Cursor>,
    /// Warnings of the open result's scans.
    pub(super) scope: Arc<StatementScope>,
    /// SQLCancel's signal for this statement (shared with its handle entry).
    pub cancel: Arc<CancelSignal>,
    /// The ARD's records: the column bindings, by column number - 1.
    pub(super) ard: Vec<super::desc::ArdRec>,
    /// SQLBindParameter's bindings, by marker number - 1 (the APD and IPD records).
    pub(super) params: Vec<Option<super::params::ParamBinding>>,
    /// Descriptor record fields stored only to be read back: ((descriptor, record, field), value).
    pub(super) desc_extra: Vec<((super::desc_fields::DescKind, i16, i16), isize)>,
    row_count: isize,
    /// Implicit descriptors (ARD, APD, IRD, IPD) as handle values.
    pub descs: [usize; 4],
}

/// What SQLDescribeCol returns.
pub struct ColumnDesc {
    pub name: String,
    pub info: SqlTypeInfo,
    pub nullable: bool,
}

/// A SQLColAttribute answer.
pub enum AttrValue {
    Int(isize),
    Text(String),
}

/// Moves warnings raised while scanning (a repository without issue tracker) to the diagnostics.
pub(super) fn drain_warnings(scope: &StatementScope, diags: &mut Diags) {
    for w in scope.drain() {
        diags.warn("01000", w);
    }
}

pub enum FetchOutcome {
    Rows,
    NoData,
}

impl Stmt {
    pub fn new(session: Arc<Session>, defaults: &[(i32, isize)]) -> Stmt {
        let mut s = Stmt {
            session,
            attrs: Attrs::default(),
            prepared: None,
            call: None,
            sql: String::new(),
            cursor: None,
            scope: Default::default(),
            cancel: Default::default(),
            ard: Vec::new(),
            params: Vec::new(),
            desc_extra: Vec::new(),
            row_count: -1,
            descs: [0; 4],
        };
        let mut d = Diags::default();
        for (a, v) in defaults {
            let _ = s.set_attr(*a, StmtAttrIn::Int(*v), &mut d);
        }
        s
    }

    pub(super) fn max_rows(&self) -> Option<usize> {
        let attr = (self.attrs.max_rows > 0).then_some(self.attrs.max_rows);
        match (attr, self.session.max_rows) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The row limit a fetch enforces: SQL_ATTR_MAX_ROWS for queries (not catalog results).
    pub(super) fn row_cap(&self) -> Option<usize> {
        self.prepared.as_ref().and(self.max_rows())
    }

    pub fn prepare(&mut self, sql: &str) -> Result<(), OdbcError> {
        self.cursor = None;
        self.prepared = None;
        self.row_count = -1;
        self.sql = sql.to_string();
        #[cfg(feature = "test-hooks")]
        if sql.trim().eq_ignore_ascii_case("SELECT __panic__") {
            panic!("test-only panic trigger");
        }
        self.call = None;
        if let Some(call) = crate::sql::call::parse(sql)? {
            // Not the text: procedure arguments can be tokens.
            tracing::debug!(procedure = %call.name, "prepare call");
            self.call = Some(super::procedures::bind(&call)?);
            return Ok(());
        }
        tracing::debug!(sql, "prepare");
        let p = crate::runtime::block_on(self.session.engine.prepare(sql, self.max_rows()))?;
        self.prepared = Some(p);
        Ok(())
    }

    pub fn execute(&mut self, diags: &mut Diags) -> Result<(), OdbcError> {
        if let Some(call) = self.call.clone() {
            if self.cursor.is_some() {
                return Err(OdbcError::CursorState(
                    "a result set is still open; call SQLCloseCursor or SQLFreeStmt(SQL_CLOSE) first",
                ));
            }
            let values = (0..call.markers.len())
                .map(|i| self.param_text(i, call.markers.len()))
                .collect::<Result<Vec<_>, _>>()?;
            let batch = super::procedures::run(&self.session, &call.with_values(values)?)?;
            self.cursor = Some(Cursor::from_batches(call.schema.clone(), vec![batch]));
            self.row_count = 1;
            return Ok(());
        }
        let Some(p) = self.prepared.clone() else {
            return Err(OdbcError::Sequence("SQLExecute needs SQLPrepare first"));
        };
        if self.cursor.is_some() {
            return Err(OdbcError::CursorState(
                "a result set is still open; call SQLCloseCursor or SQLFreeStmt(SQL_CLOSE) first",
            ));
        }
        let secs = self.attrs.query_timeout as u64;
        self.scope = Arc::new(StatementScope {
            cancel: self.cancel.clone(),
            deadline: (secs > 0).then(|| (tokio::time::Instant::now() + std::time::Duration::from_secs(secs), secs)),
            ..Default::default()
        });
        let values = self.param_values(&p)?;
        let stream = crate::runtime::block_on(self.session.engine.execute(&p, values, self.scope.clone()))?;
        if p.dml {
            // A write has no result set; SQLRowCount reports the rows Bitbucket changed.
            let n = crate::runtime::block_on(crate::sql::dml::rows_affected(stream));
            drain_warnings(&self.scope, diags);
            self.row_count = n? as isize;
            return Ok(());
        }
        // Bound values can settle types SQLPrepare could not know (`SELECT ?`).
        let schema = if p.params.is_empty() { p.schema.clone() } else { stream.schema() };
        let mut cursor = Cursor::from_stream(schema, stream);
        let first = cursor.prefetch();
        drain_warnings(&self.scope, diags);
        first?;
        self.cursor = Some(cursor);
        self.row_count = -1;
        Ok(())
    }

    /// Opens a result set the driver computed itself (catalog functions).
    pub fn set_result(&mut self, schema: SchemaRef, batches: Vec<RecordBatch>) {
        self.prepared = None;
        self.call = None;
        self.cursor = Some(Cursor::from_batches(schema, batches));
        self.row_count = -1;
    }

    pub fn close_cursor(&mut self, must_be_open: bool) -> Result<(), OdbcError> {
        if self.cursor.take().is_none() && must_be_open {
            return Err(OdbcError::CursorState("no cursor is open"));
        }
        Ok(())
    }

    /// The bound values of every marker, read from the application's buffers now.
    fn param_values(&self, p: &Prepared) -> Result<Vec<datafusion::common::ScalarValue>, OdbcError> {
        p.params
            .iter()
            .enumerate()
            .map(|(i, want)| {
                let v = self.read_param(i, p.params.len())?;
                crate::sql::params::coerce(v, want.as_ref()).map_err(|e| OdbcError::InvalidCast(format!("parameter {}: {e}", i + 1)))
            })
            .collect()
    }

    /// Marker `i`'s bound value as procedure-argument text (`None` for NULL).
    fn param_text(&self, i: usize, markers: usize) -> Result<Option<String>, OdbcError> {
        let v = self.read_param(i, markers)?;
        Ok((!v.is_null()).then(|| v.to_string()))
    }

    /// The value bound to marker `i` (0-based) of `markers`, read from the application's buffer now.
    fn read_param(&self, i: usize, markers: usize) -> Result<datafusion::common::ScalarValue, OdbcError> {
        let b = self.params.get(i).copied().flatten().ok_or_else(|| {
            OdbcError::ParamCount(format!(
                "the statement has {markers} parameter marker(s) but parameter {} is not bound (SQLBindParameter)",
                i + 1
            ))
        })?;
        b.read(i + 1)
    }

    pub fn bind_param(&mut self, num: u16, binding: super::params::ParamBinding) -> Result<(), OdbcError> {
        if num == 0 {
            return Err(OdbcError::BadParam(0));
        }
        let i = usize::from(num) - 1;
        if self.params.len() <= i {
            self.params.resize_with(i + 1, || None);
        }
        self.params[i] = Some(binding);
        Ok(())
    }

    pub fn reset_params(&mut self) {
        self.params.clear();
    }

    /// SQLNumParams: markers of the prepared statement.
    pub fn num_params(&self) -> Result<usize, OdbcError> {
        if let Some(p) = &self.prepared {
            return Ok(p.params.len());
        }
        if let Some(c) = &self.call {
            return Ok(c.markers.len());
        }
        Err(OdbcError::Sequence("SQLNumParams needs SQLPrepare first"))
    }

    /// SQLDescribeParam: the type the planner inferred for the marker (text when it could not).
    pub fn describe_param(&self, num: u16) -> Result<SqlTypeInfo, OdbcError> {
        let n = self.num_params()?;
        if num == 0 || usize::from(num) > n {
            return Err(OdbcError::BadParam(num));
        }
        let t = match &self.call {
            Some(c) => c.marker_type(num.into()).map(crate::tables::arrow_build::arrow_type),
            None => self.prepared.as_ref().and_then(|p| p.params[usize::from(num) - 1].clone()),
        };
        let f = Field::new("", t.unwrap_or(datafusion::arrow::datatypes::DataType::Utf8), true);
        Ok(types::of_field(&f))
    }

    pub fn unbind(&mut self) {
        self.ard.clear();
        self.desc_extra.retain(|((k, _, _), _)| *k != super::desc_fields::DescKind::Ard);
    }

    fn schema(&self) -> Option<SchemaRef> {
        self.cursor
            .as_ref()
            .map(|c| c.schema.clone())
            .or_else(|| self.prepared.as_ref().map(|p| p.schema.clone()))
            .or_else(|| self.call.as_ref().map(|c| c.schema.clone()))
    }

    pub fn num_result_cols(&self) -> usize {
        self.schema().map(|s| s.fields().len()).unwrap_or(0)
    }

    /// Whether the statement just executed was a write that changed no row.
    pub fn wrote_nothing(&self) -> bool {
        self.row_count == 0 && self.prepared.as_ref().is_some_and(|p| p.dml)
    }

    pub fn row_count(&self) -> isize {
        self.row_count
    }

    fn field(&self, col: u16) -> Result<Field, OdbcError> {
        let schema = self
            .schema()
            .ok_or(OdbcError::Sequence("no statement has been prepared or executed"))?;
        let n = schema.fields().len();
        if col == 0 || usize::from(col) > n {
            return Err(OdbcError::BadColumn(col.into(), n));
        }
        Ok(schema.field(usize::from(col) - 1).clone())
    }

    pub fn describe_col(&self, col: u16) -> Result<ColumnDesc, OdbcError> {
        let f = self.field(col)?;
        Ok(ColumnDesc {
            name: f.name().clone(),
            info: types::of_field(&f),
            nullable: f.is_nullable(),
        })
    }

    pub fn col_attribute(&self, col: u16, field_id: u16) -> Result<AttrValue, OdbcError> {
        if field_id == 1001 || field_id == 0 {
            return Ok(AttrValue::Int(self.num_result_cols() as isize));
        }
        let f = self.field(col)?;
        let t = types::of_field(&f);
        let name = f.name().clone();
        let int = |v: i64| Ok(AttrValue::Int(v as isize));
        match field_id {
            2 => int(t.sql_type.into()),   // SQL_DESC_CONCISE_TYPE / SQL_COLUMN_TYPE
            1002 => int(t.verbose.into()), // SQL_DESC_TYPE
            3 => int(t.octet_len.into()),  // SQL_COLUMN_LENGTH
            1003 => int(t.size.into()),    // SQL_DESC_LENGTH
            4 => int(t.size.into()),       // SQL_COLUMN_PRECISION
            1005 => int(if t.datetime_sub != 0 {
                t.decimal_digits.into()
            } else {
                t.size.into()
            }), // SQL_DESC_PRECISION
            5 | 1006 => int(t.decimal_digits.into()), // SCALE
            6 => int(t.display.into()),    // SQL_DESC_DISPLAY_SIZE
            7 | 1008 => int(i64::from(f.is_nullable())), // NULLABLE
            8 => int(i64::from(t.unsigned || !matches!(t.radix, 10))), // SQL_DESC_UNSIGNED
            9 => int(0),                   // FIXED_PREC_SCALE
            10 => int(0),                  // UPDATABLE: read only
            11 => int(0),                  // AUTO_UNIQUE_VALUE
            12 => int(i64::from(t.sql_type == types::SQL_WVARCHAR)), // CASE_SENSITIVE
            13 => int(if t.sql_type == types::SQL_WVARCHAR { 3 } else { 2 }), // SEARCHABLE / ALL_EXCEPT_LIKE
            14 | 29 => Ok(AttrValue::Text(t.name.to_string())), // TYPE_NAME, LOCAL_TYPE_NAME
            1 | 18 | 22 | 1011 => Ok(AttrValue::Text(name)), // NAME, LABEL, BASE_COLUMN_NAME
            15 | 16 | 17 | 23 => Ok(AttrValue::Text(String::new())), // TABLE, SCHEMA, CATALOG, BASE_TABLE
            1012 => int(0),                // SQL_DESC_UNNAMED: SQL_NAMED
            1013 => int(t.octet_len.into()), // SQL_DESC_OCTET_LENGTH
            27 | 28 => Ok(AttrValue::Text(if t.sql_type == types::SQL_WVARCHAR {
                "'".into()
            } else {
                String::new()
            })),
            32 => int(t.radix.into()),              // NUM_PREC_RADIX
            1007 => int(i64::from(t.datetime_sub)), // SQL_DESC_DATETIME_INTERVAL_CODE
            other => Err(OdbcError::BadAttribute(other.into())),
        }
    }

    /// SQLBindCol: a write to the column's ARD record.
    pub fn bind_col(&mut self, col: u16, c_type: i16, buf: CBuf, ind: OutPtr<isize>) -> Result<(), OdbcError> {
        if col == 0 {
            return Err(OdbcError::NotImplemented("bookmark columns".into()));
        }
        let i = usize::from(col) - 1;
        if buf.is_null() && ind.is_null() {
            if let Some(r) = self.ard.get_mut(i) {
                *r = Default::default();
            }
            super::desc::trim(&mut self.ard);
            return Ok(());
        }
        if c_type != c::DEFAULT && convert::fixed_size(c_type).is_none() && ![c::CHAR, c::WCHAR, c::BINARY].contains(&c_type) {
            return Err(OdbcError::BadCType(c_type));
        }
        if self.ard.len() <= i {
            self.ard.resize_with(i + 1, Default::default);
        }
        self.ard[i] = super::desc::ArdRec {
            concise: c_type,
            data: buf,
            octet_length: buf.len() as isize,
            ind,
            octet_ptr: ind,
            ..Default::default()
        };
        Ok(())
    }

    pub(super) fn resolve_c_type(f: &Field, c_type: i16) -> i16 {
        if c_type == c::DEFAULT {
            types::default_c_type(types::of_field(f).sql_type)
        } else {
            c_type
        }
    }

    /// SQLGetData, piecewise for character and binary data.
    pub fn get_data(&mut self, col: u16, c_type: i16, buf: CBuf, ind: OutPtr<isize>, diags: &mut Diags) -> Result<FetchOutcome, OdbcError> {
        let Some(cursor) = self.cursor.as_mut() else {
            return Err(OdbcError::CursorState("no result set is open"));
        };
        let Some((batch, row)) = cursor.current() else {
            return Err(OdbcError::CursorState("the cursor is not positioned on a row: call SQLFetch first"));
        };
        let n = batch.num_columns();
        if col == 0 || usize::from(col) > n {
            return Err(OdbcError::BadColumn(col.into(), n));
        }
        let i = usize::from(col) - 1;
        let c_type = Self::resolve_c_type(batch.schema_ref().field(i), c_type);
        let cell = convert::cell(batch.column(i).as_ref(), row);
        let conv = convert::convert(&cell, c_type, None)?;
        let done_before = match cursor.getdata {
            Some((c, off)) if c == col => Some(off),
            _ => None,
        };
        match conv.value {
            Converted::Var { bytes, enc } => {
                let start = done_before.unwrap_or(0);
                if done_before.is_some() && start >= bytes.len() {
                    return Ok(FetchOutcome::NoData);
                }
                let rest = &bytes[start..];
                let (written, truncated) = match enc {
                    Some(e) => put_piece(e, rest, buf),
                    None => {
                        let w = buf.write(rest);
                        (w, w < rest.len())
                    }
                };
                ind.set(rest.len() as isize);
                // A fully returned value is marked past its end so the next call says NO_DATA.
                cursor.getdata = Some((col, if truncated { start + written } else { bytes.len().max(1) + start }));
                if truncated {
                    diags.warn("01004", "string data, right truncated: call SQLGetData again for the rest");
                }
            }
            other => {
                if done_before.is_some() {
                    return Ok(FetchOutcome::NoData);
                }
                super::fetch::write_value(other, buf, ind, ind, col)?;
                cursor.getdata = Some((col, usize::MAX));
            }
        }
        if conv.fractional_truncation {
            diags.warn(
                "01S07",
                "fractional truncation: the value lost digits converting to the requested type",
            );
        }
        Ok(FetchOutcome::Rows)
    }

    pub fn set_attr(&mut self, attr: i32, v: StmtAttrIn, diags: &mut Diags) -> Result<(), OdbcError> {
        let int = match v {
            StmtAttrIn::RowsFetched(p) => {
                self.attrs.rows_fetched = p;
                return Ok(());
            }
            StmtAttrIn::RowStatus(p) => {
                self.attrs.row_status = p;
                return Ok(());
            }
            StmtAttrIn::BindOffset(p) => {
                self.attrs.bind_offset = (p.addr() != 0).then_some(p);
                return Ok(());
            }
            StmtAttrIn::Int(i) => i,
        };
        match attr {
            SQL_ATTR_ROW_ARRAY_SIZE | SQL_ROWSET_SIZE if int < 1 => return Err(OdbcError::BadAttributeValue { attr, value: int }),
            SQL_ATTR_ROW_ARRAY_SIZE => self.attrs.row_array_size = int as usize,
            SQL_ROWSET_SIZE => self.attrs.rowset_size = int as usize,
            SQL_ATTR_ROW_BIND_TYPE => self.attrs.row_bind_type = int.max(0) as usize,
            SQL_ATTR_MAX_ROWS => self.attrs.max_rows = int.max(0) as usize,
            SQL_ATTR_QUERY_TIMEOUT => self.attrs.query_timeout = int.max(0) as usize,
            SQL_ATTR_MAX_LENGTH => self.attrs.max_length = int.max(0) as usize,
            SQL_ATTR_NOSCAN => self.attrs.noscan = int.max(0) as usize,
            SQL_ATTR_PARAMSET_SIZE => self.attrs.paramset_size = int.max(1) as usize,
            SQL_ATTR_METADATA_ID => self.attrs.metadata_id = int.max(0) as usize,
            SQL_ATTR_CURSOR_TYPE if int != 0 => diags.warn(
                "01S02",
                "only forward-only cursors are available; the cursor type was changed to SQL_CURSOR_FORWARD_ONLY",
            ),
            SQL_ATTR_CONCURRENCY if int != 1 => diags.warn(
                "01S02",
                "only read-only cursors are available; concurrency was changed to SQL_CONCUR_READ_ONLY",
            ),
            SQL_ATTR_CURSOR_SCROLLABLE if int != 0 => return Err(OdbcError::NotImplemented("scrollable cursors".into())),
            SQL_ATTR_USE_BOOKMARKS if int != 0 => return Err(OdbcError::NotImplemented("bookmarks".into())),
            SQL_ATTR_ASYNC_ENABLE if int != 0 => return Err(OdbcError::NotImplemented("asynchronous execution".into())),
            SQL_ATTR_CURSOR_TYPE | SQL_ATTR_CONCURRENCY | SQL_ATTR_CURSOR_SCROLLABLE | SQL_ATTR_USE_BOOKMARKS | SQL_ATTR_ASYNC_ENABLE => {}
            SQL_ATTR_CURSOR_SENSITIVITY
            | SQL_ATTR_KEYSET_SIZE
            | SQL_ATTR_SIMULATE_CURSOR
            | SQL_ATTR_RETRIEVE_DATA
            | SQL_ATTR_ENABLE_AUTO_IPD
            | SQL_ATTR_FETCH_BOOKMARK_PTR
            | SQL_ATTR_PARAM_BIND_OFFSET_PTR
            | SQL_ATTR_PARAM_BIND_TYPE
            | SQL_ATTR_PARAM_OPERATION_PTR
            | SQL_ATTR_PARAM_STATUS_PTR
            | SQL_ATTR_PARAMS_PROCESSED_PTR
            | SQL_ATTR_ROW_OPERATION_PTR => {
                self.attrs.other.retain(|(a, _)| *a != attr);
                self.attrs.other.push((attr, int));
            }
            SQL_ATTR_APP_ROW_DESC | SQL_ATTR_APP_PARAM_DESC => {
                return Err(OdbcError::NotImplemented("explicitly allocated descriptors".into()));
            }
            a => return Err(OdbcError::BadAttribute(a)),
        }
        Ok(())
    }

    pub fn get_attr(&self, attr: i32) -> Result<isize, OdbcError> {
        Ok(match attr {
            SQL_ATTR_ROW_ARRAY_SIZE => self.attrs.row_array_size as isize,
            SQL_ROWSET_SIZE => self.attrs.rowset_size as isize,
            SQL_ATTR_ROW_BIND_TYPE => self.attrs.row_bind_type as isize,
            SQL_ATTR_MAX_ROWS => self.attrs.max_rows as isize,
            SQL_ATTR_QUERY_TIMEOUT => self.attrs.query_timeout as isize,
            SQL_ATTR_MAX_LENGTH => self.attrs.max_length as isize,
            SQL_ATTR_NOSCAN => self.attrs.noscan as isize,
            SQL_ATTR_PARAMSET_SIZE => self.attrs.paramset_size as isize,
            SQL_ATTR_METADATA_ID => self.attrs.metadata_id as isize,
            SQL_ATTR_CURSOR_TYPE
            | SQL_ATTR_CURSOR_SCROLLABLE
            | SQL_ATTR_USE_BOOKMARKS
            | SQL_ATTR_ASYNC_ENABLE
            | SQL_ATTR_CURSOR_SENSITIVITY => 0,
            SQL_ATTR_CONCURRENCY => 1,
            SQL_ATTR_RETRIEVE_DATA => 1,
            SQL_ATTR_ROW_NUMBER => self.cursor.as_ref().map(|c| c.rows_fetched as isize).unwrap_or(0),
            SQL_ATTR_APP_ROW_DESC => self.descs[0] as isize,
            SQL_ATTR_APP_PARAM_DESC => self.descs[1] as isize,
            SQL_ATTR_IMP_ROW_DESC => self.descs[2] as isize,
            SQL_ATTR_IMP_PARAM_DESC => self.descs[3] as isize,
            SQL_ATTR_ROWS_FETCHED_PTR => self.attrs.rows_fetched.addr() as isize,
            SQL_ATTR_ROW_STATUS_PTR => self.attrs.row_status.addr() as isize,
            SQL_ATTR_ROW_BIND_OFFSET_PTR => self.attrs.bind_offset.map_or(0, |p| p.addr()) as isize,
            a => match self.attrs.other.iter().find(|(k, _)| *k == a) {
                Some((_, v)) => *v,
                None if (0..=27).contains(&a) || a == SQL_ATTR_ENABLE_AUTO_IPD => 0,
                None => return Err(OdbcError::BadAttribute(a)),
            },
        })
    }

    pub fn has_cursor(&self) -> bool {
        self.cursor.is_some()
    }
}
