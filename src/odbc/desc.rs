//! The statement's implicit descriptors. The ARD's records are the column bindings themselves
//! (SQLBindCol writes them, the fetch reads them); ARD/APD/IRD/IPD header fields are the
//! statement attributes; the IRD answers from the result's schema like SQLColAttribute; the
//! APD and IPD are views of SQLBindParameter's bindings.

use super::convert::{c, fixed_size};
use super::desc_fields::{self as df, Access, DescKind, FieldDef};
use super::error::OdbcError;
use super::params::ParamBinding;
use super::stmt::{AttrValue, Stmt, StmtAttrIn};
use crate::ffi::buffers::{AppPtr, CBuf, InBuf, InPtr, OutPtr};

/// One ARD record: a bound column.
#[derive(Clone, Copy, Debug)]
pub struct ArdRec {
    pub concise: i16,
    pub data: CBuf,
    pub octet_length: isize,
    pub ind: OutPtr<isize>,
    pub octet_ptr: OutPtr<isize>,
    pub precision: i16,
    pub scale: i16,
    /// Precision and scale were set through the descriptor (SQL_C_NUMERIC targets them).
    pub numeric_set: bool,
}

impl Default for ArdRec {
    fn default() -> Self {
        ArdRec {
            concise: c::DEFAULT,
            data: CBuf::null(),
            octet_length: 0,
            ind: OutPtr::null(),
            octet_ptr: OutPtr::null(),
            precision: 0,
            scale: 0,
            numeric_set: false,
        }
    }
}

impl ArdRec {
    pub fn is_bound(&self) -> bool {
        !self.data.is_null() || !self.ind.is_null() || !self.octet_ptr.is_null()
    }
    fn is_default(&self) -> bool {
        !self.is_bound() && self.concise == c::DEFAULT && !self.numeric_set
    }
    /// The data buffer with the record's current length.
    pub fn buf(&self) -> CBuf {
        self.data.offset(0, self.octet_length.max(0) as usize)
    }
}

/// A value read from a descriptor field (pointers as addresses).
#[derive(Debug, PartialEq)]
pub enum DescVal {
    Int(isize),
    Text(String),
}

/// A value to set, decoded by the export from the field's type.
pub enum DescIn {
    Int(isize),
    Ptr(AppPtr),
    Text(String),
}

impl DescIn {
    fn int(&self) -> isize {
        match self {
            DescIn::Int(i) => *i,
            DescIn::Ptr(p) => p.addr() as isize,
            DescIn::Text(_) => 0,
        }
    }
}

fn valid_c_type(t: i16) -> bool {
    t == c::DEFAULT || fixed_size(t).is_some() || [c::CHAR, c::WCHAR, c::BINARY].contains(&t)
}

/// Drops trailing records nothing describes, so SQL_DESC_COUNT is the highest bound column.
pub fn trim(ard: &mut Vec<ArdRec>) {
    while ard.last().is_some_and(|r| r.is_default()) {
        ard.pop();
    }
}

fn def(id: i16) -> Result<&'static FieldDef, OdbcError> {
    df::field(id).ok_or(OdbcError::DescField(id))
}

impl Stmt {
    pub fn desc_count(&self, kind: DescKind) -> usize {
        match kind {
            DescKind::Ard => self.ard.len(),
            DescKind::Apd | DescKind::Ipd => self.params.len(),
            DescKind::Ird => self.num_result_cols(),
        }
    }

    /// SQLGetDescField; `None` is SQL_NO_DATA (a record past SQL_DESC_COUNT).
    pub fn get_desc_field(&self, kind: DescKind, rec: i16, id: i16) -> Result<Option<DescVal>, OdbcError> {
        let f = def(id)?;
        let int = |v: isize| Ok(Some(DescVal::Int(v)));
        if f.header {
            return match (id, df::header_attr(kind, id)) {
                (df::ALLOC_TYPE, _) => int(1), // SQL_DESC_ALLOC_AUTO
                (df::COUNT, _) => int(self.desc_count(kind) as isize),
                (_, Some(attr)) => int(self.get_attr(attr)?),
                _ => int(0),
            };
        }
        if rec < 0 {
            return Err(OdbcError::BadColumn(rec.into(), self.desc_count(kind)));
        }
        if rec == 0 || rec as usize > self.desc_count(kind) {
            // Record 0 is the bookmark record, which no descriptor here has.
            return Ok(None);
        }
        let i = rec as usize - 1;
        if f.access[kind as usize] == Access::Unused {
            return int(0);
        }
        match kind {
            DescKind::Ird => self.ird_field(rec as u16, id).map(Some),
            DescKind::Ard => {
                let r = &self.ard[i];
                let v = match id {
                    df::CONCISE_TYPE => r.concise.into(),
                    df::TYPE => df::verbose(r.concise).0.into(),
                    df::DATETIME_INTERVAL_CODE => df::verbose(r.concise).1.into(),
                    df::OCTET_LENGTH => r.octet_length,
                    df::DATA_PTR => r.data.addr() as isize,
                    df::INDICATOR_PTR => r.ind.addr() as isize,
                    df::OCTET_LENGTH_PTR => r.octet_ptr.addr() as isize,
                    df::PRECISION => r.precision.into(),
                    df::SCALE => r.scale.into(),
                    _ => self.extra(kind, rec, id),
                };
                int(v)
            }
            DescKind::Apd | DescKind::Ipd => {
                let Some(p) = self.params[i] else { return int(0) };
                let ty = if kind == DescKind::Apd { p.c_type } else { p.sql_type };
                let v = match (kind, id) {
                    (_, df::CONCISE_TYPE) => ty.into(),
                    (_, df::TYPE) => df::verbose(ty).0.into(),
                    (_, df::DATETIME_INTERVAL_CODE) => df::verbose(ty).1.into(),
                    (DescKind::Apd, df::DATA_PTR) => p.buf.addr() as isize,
                    (DescKind::Apd, df::INDICATOR_PTR | df::OCTET_LENGTH_PTR) => p.ind.addr() as isize,
                    (DescKind::Ipd, df::PARAMETER_TYPE) => super::params::SQL_PARAM_INPUT.into(),
                    (DescKind::Ipd, df::NULLABLE) => 1,
                    (DescKind::Ipd, df::UNNAMED) => 1, // SQL_UNNAMED
                    (DescKind::Ipd, df::NAME) => return Ok(Some(DescVal::Text(String::new()))),
                    _ => self.extra(kind, rec, id),
                };
                int(v)
            }
        }
    }

    fn ird_field(&self, col: u16, id: i16) -> Result<DescVal, OdbcError> {
        Ok(match id {
            df::DATETIME_INTERVAL_PRECISION | df::ROWVER => DescVal::Int(0),
            _ => match self.col_attribute(col, id as u16)? {
                AttrValue::Int(v) => DescVal::Int(v),
                AttrValue::Text(t) => DescVal::Text(t),
            },
        })
    }

    fn extra(&self, kind: DescKind, rec: i16, id: i16) -> isize {
        self.desc_extra
            .iter()
            .find(|(k, _)| *k == (kind, rec, id))
            .map(|(_, v)| *v)
            .unwrap_or(0)
    }

    fn set_extra(&mut self, kind: DescKind, rec: i16, id: i16, v: isize) {
        self.desc_extra.retain(|(k, _)| *k != (kind, rec, id));
        self.desc_extra.push(((kind, rec, id), v));
    }

    /// SQLSetDescField.
    pub fn set_desc_field(&mut self, kind: DescKind, rec: i16, id: i16, v: DescIn) -> Result<(), OdbcError> {
        let f = def(id)?;
        if f.access[kind as usize] != Access::ReadWrite {
            return Err(if kind == DescKind::Ird {
                OdbcError::DescReadOnly
            } else {
                OdbcError::DescField(id)
            });
        }
        if f.header {
            if id == df::COUNT {
                let n = usize::try_from(v.int()).map_err(|_| OdbcError::BadAttributeValue {
                    attr: id.into(),
                    value: v.int(),
                })?;
                match kind {
                    DescKind::Ard => self.ard.resize_with(n, ArdRec::default),
                    _ => self.params.resize_with(n, || None),
                }
                return Ok(());
            }
            let attr = df::header_attr(kind, id).ok_or(OdbcError::DescField(id))?;
            let a = match v {
                DescIn::Ptr(p) => match attr {
                    super::stmt::SQL_ATTR_ROWS_FETCHED_PTR => StmtAttrIn::RowsFetched(p.out()),
                    super::stmt::SQL_ATTR_ROW_STATUS_PTR => StmtAttrIn::RowStatus(p.out()),
                    super::stmt::SQL_ATTR_ROW_BIND_OFFSET_PTR => StmtAttrIn::BindOffset(p.input()),
                    _ => StmtAttrIn::Int(p.addr() as isize),
                },
                other => StmtAttrIn::Int(other.int()),
            };
            let mut ignored = super::diag::Diags::default();
            return self.set_attr(attr, a, &mut ignored);
        }
        if rec <= 0 {
            return Err(OdbcError::BadColumn(rec.into(), self.desc_count(kind)));
        }
        let i = rec as usize - 1;
        match kind {
            DescKind::Ard => self.set_ard_field(i, rec, id, v),
            DescKind::Apd | DescKind::Ipd => self.set_param_field(kind, i, rec, id, v),
            DescKind::Ird => Err(OdbcError::DescReadOnly),
        }
    }

    fn set_ard_field(&mut self, i: usize, rec: i16, id: i16, v: DescIn) -> Result<(), OdbcError> {
        if self.ard.len() <= i {
            self.ard.resize_with(i + 1, ArdRec::default);
        }
        let n = v.int();
        let mut extra = None;
        let r = &mut self.ard[i];
        match (id, v) {
            (df::DATA_PTR, DescIn::Ptr(p)) => {
                // Setting the data pointer binds the record: check it is complete first.
                if p.addr() != 0 && !valid_c_type(r.concise) {
                    return Err(OdbcError::DescInconsistent(format!(
                        "record {rec}: SQL_DESC_TYPE {} is not a C type this driver converts to",
                        r.concise
                    )));
                }
                r.data = p.buf(r.octet_length);
            }
            (df::INDICATOR_PTR, DescIn::Ptr(p)) => r.ind = p.out(),
            (df::OCTET_LENGTH_PTR, DescIn::Ptr(p)) => r.octet_ptr = p.out(),
            (id, _) => {
                // Any other field unbinds the record (ODBC: only the deferred fields keep it).
                r.data = CBuf::null();
                match id {
                    df::CONCISE_TYPE | df::TYPE => {
                        r.concise = n as i16;
                        r.precision = 0;
                        r.scale = 0;
                        r.numeric_set = false;
                    }
                    df::DATETIME_INTERVAL_CODE if r.concise == 9 => r.concise = 90 + n as i16,
                    df::OCTET_LENGTH => r.octet_length = n,
                    df::PRECISION => {
                        r.precision = n as i16;
                        r.numeric_set = true;
                    }
                    df::SCALE => {
                        r.scale = n as i16;
                        r.numeric_set = true;
                    }
                    _ => extra = Some(n),
                }
            }
        }
        if let Some(n) = extra {
            self.set_extra(DescKind::Ard, rec, id, n);
        }
        trim(&mut self.ard);
        Ok(())
    }

    fn set_param_field(&mut self, kind: DescKind, i: usize, rec: i16, id: i16, v: DescIn) -> Result<(), OdbcError> {
        if self.params.len() <= i {
            self.params.resize_with(i + 1, || None);
        }
        let p = self.params[i].get_or_insert(ParamBinding {
            c_type: c::DEFAULT,
            sql_type: super::types::SQL_VARCHAR,
            buf: InBuf::null(),
            ind: InPtr::null(),
        });
        let n = v.int();
        match (kind, id, v) {
            (DescKind::Apd, df::CONCISE_TYPE | df::TYPE, _) => p.c_type = n as i16,
            (DescKind::Ipd, df::CONCISE_TYPE | df::TYPE, _) => p.sql_type = n as i16,
            (DescKind::Apd, df::DATETIME_INTERVAL_CODE, _) if p.c_type == 9 => p.c_type = 90 + n as i16,
            (DescKind::Ipd, df::DATETIME_INTERVAL_CODE, _) if p.sql_type == 9 => p.sql_type = 90 + n as i16,
            (DescKind::Apd, df::DATA_PTR, DescIn::Ptr(a)) => p.buf = a.in_buf(),
            (DescKind::Apd, df::INDICATOR_PTR | df::OCTET_LENGTH_PTR, DescIn::Ptr(a)) => p.ind = a.input(),
            (DescKind::Ipd, df::PARAMETER_TYPE, _) if n != isize::from(super::params::SQL_PARAM_INPUT) => {
                return Err(OdbcError::NotImplemented("output parameters".into()))
            }
            (DescKind::Ipd, df::NAME | df::UNNAMED, _) => return Err(OdbcError::NotImplemented("named parameters".into())),
            _ => self.set_extra(kind, rec, id, n),
        }
        Ok(())
    }

    /// Every settable field of a record of `kind`, in the order SQLCopyDesc must set them.
    pub fn desc_record(&self, kind: DescKind, rec: i16) -> Result<Vec<(i16, DescVal)>, OdbcError> {
        let mut out = Vec::new();
        for f in df::FIELDS.iter().filter(|f| !f.header && f.access[kind as usize] != Access::Unused) {
            if matches!(f.id, df::TYPE | df::DATETIME_INTERVAL_CODE) {
                continue; // implied by SQL_DESC_CONCISE_TYPE
            }
            if let Some(v) = self.get_desc_field(kind, rec, f.id)? {
                out.push((f.id, v));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_keeps_bound_records() {
        let mut v = vec![ArdRec::default(); 3];
        v[0].concise = c::SLONG;
        trim(&mut v);
        assert_eq!(v.len(), 1);
        v.clear();
        trim(&mut v);
        assert!(v.is_empty());
        assert!(valid_c_type(c::NUMERIC) && valid_c_type(c::WCHAR) && !valid_c_type(12345));
    }
}
