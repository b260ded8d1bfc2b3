//! The descriptor fields: identifier, C type of the value, and access per descriptor type,
//! as the ODBC reference's SQLSetDescField table gives them.

/// The four implicit descriptors, in the order of `Stmt::descs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescKind {
    Ard = 0,
    Apd = 1,
    Ird = 2,
    Ipd = 3,
}

pub const KINDS: [DescKind; 4] = [DescKind::Ard, DescKind::Apd, DescKind::Ird, DescKind::Ipd];

/// How a field's value crosses SQLGetDescField / SQLSetDescField.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    SmallInt,
    Integer,
    /// SQLLEN / SQLULEN.
    Len,
    /// A pointer the application owns.
    Ptr,
    Text,
}

/// Access of a field in one descriptor type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Unused,
    Read,
    ReadWrite,
}

use Access::{Read as R, ReadWrite as W, Unused as U};
use FieldType::*;

pub struct FieldDef {
    pub id: i16,
    pub name: &'static str,
    pub header: bool,
    pub ty: FieldType,
    /// Access in the ARD, APD, IRD and IPD.
    pub access: [Access; 4],
}

const fn h(id: i16, name: &'static str, ty: FieldType, access: [Access; 4]) -> FieldDef {
    FieldDef {
        id,
        name,
        header: true,
        ty,
        access,
    }
}
const fn r(id: i16, name: &'static str, ty: FieldType, access: [Access; 4]) -> FieldDef {
    FieldDef {
        id,
        name,
        header: false,
        ty,
        access,
    }
}

pub const ALLOC_TYPE: i16 = 1099;
pub const ARRAY_SIZE: i16 = 20;
pub const ARRAY_STATUS_PTR: i16 = 21;
pub const BIND_OFFSET_PTR: i16 = 24;
pub const BIND_TYPE: i16 = 25;
pub const COUNT: i16 = 1001;
pub const ROWS_PROCESSED_PTR: i16 = 34;
pub const CONCISE_TYPE: i16 = 2;
pub const TYPE: i16 = 1002;
pub const LENGTH: i16 = 1003;
pub const OCTET_LENGTH_PTR: i16 = 1004;
pub const PRECISION: i16 = 1005;
pub const SCALE: i16 = 1006;
pub const DATETIME_INTERVAL_CODE: i16 = 1007;
pub const NULLABLE: i16 = 1008;
pub const INDICATOR_PTR: i16 = 1009;
pub const DATA_PTR: i16 = 1010;
pub const NAME: i16 = 1011;
pub const UNNAMED: i16 = 1012;
pub const OCTET_LENGTH: i16 = 1013;
pub const DATETIME_INTERVAL_PRECISION: i16 = 26;
pub const PARAMETER_TYPE: i16 = 33;
pub const ROWVER: i16 = 35;

/// Every field. Record fields are listed in the order SQLCopyDesc sets them: the type first
/// (setting it resets precision and scale), the deferred pointers last (DATA_PTR binds).
pub const FIELDS: &[FieldDef] = &[
    h(ALLOC_TYPE, "SQL_DESC_ALLOC_TYPE", SmallInt, [R, R, R, R]),
    h(ARRAY_SIZE, "SQL_DESC_ARRAY_SIZE", Len, [W, W, U, U]),
    h(ARRAY_STATUS_PTR, "SQL_DESC_ARRAY_STATUS_PTR", Ptr, [W, W, W, W]),
    h(BIND_OFFSET_PTR, "SQL_DESC_BIND_OFFSET_PTR", Ptr, [W, W, U, U]),
    h(BIND_TYPE, "SQL_DESC_BIND_TYPE", Integer, [W, W, U, U]),
    h(COUNT, "SQL_DESC_COUNT", SmallInt, [W, W, R, W]),
    h(ROWS_PROCESSED_PTR, "SQL_DESC_ROWS_PROCESSED_PTR", Ptr, [U, U, W, W]),
    r(CONCISE_TYPE, "SQL_DESC_CONCISE_TYPE", SmallInt, [W, W, R, W]),
    r(TYPE, "SQL_DESC_TYPE", SmallInt, [W, W, R, W]),
    r(DATETIME_INTERVAL_CODE, "SQL_DESC_DATETIME_INTERVAL_CODE", SmallInt, [W, W, R, W]),
    r(
        DATETIME_INTERVAL_PRECISION,
        "SQL_DESC_DATETIME_INTERVAL_PRECISION",
        Integer,
        [W, W, R, W],
    ),
    r(LENGTH, "SQL_DESC_LENGTH", Len, [W, W, R, W]),
    r(OCTET_LENGTH, "SQL_DESC_OCTET_LENGTH", Len, [W, W, R, W]),
    r(PRECISION, "SQL_DESC_PRECISION", SmallInt, [W, W, R, W]),
    r(SCALE, "SQL_DESC_SCALE", SmallInt, [W, W, R, W]),
    r(32, "SQL_DESC_NUM_PREC_RADIX", Integer, [W, W, R, W]),
    r(PARAMETER_TYPE, "SQL_DESC_PARAMETER_TYPE", SmallInt, [U, U, U, W]),
    r(NAME, "SQL_DESC_NAME", Text, [U, U, R, W]),
    r(UNNAMED, "SQL_DESC_UNNAMED", SmallInt, [U, U, R, W]),
    r(NULLABLE, "SQL_DESC_NULLABLE", SmallInt, [U, U, R, R]),
    r(11, "SQL_DESC_AUTO_UNIQUE_VALUE", Integer, [U, U, R, U]),
    r(22, "SQL_DESC_BASE_COLUMN_NAME", Text, [U, U, R, U]),
    r(23, "SQL_DESC_BASE_TABLE_NAME", Text, [U, U, R, U]),
    r(12, "SQL_DESC_CASE_SENSITIVE", Integer, [U, U, R, R]),
    r(17, "SQL_DESC_CATALOG_NAME", Text, [U, U, R, U]),
    r(6, "SQL_DESC_DISPLAY_SIZE", Len, [U, U, R, U]),
    r(9, "SQL_DESC_FIXED_PREC_SCALE", SmallInt, [U, U, R, R]),
    r(18, "SQL_DESC_LABEL", Text, [U, U, R, U]),
    r(27, "SQL_DESC_LITERAL_PREFIX", Text, [U, U, R, U]),
    r(28, "SQL_DESC_LITERAL_SUFFIX", Text, [U, U, R, U]),
    r(29, "SQL_DESC_LOCAL_TYPE_NAME", Text, [U, U, R, R]),
    r(ROWVER, "SQL_DESC_ROWVER", SmallInt, [U, U, R, R]),
    r(16, "SQL_DESC_SCHEMA_NAME", Text, [U, U, R, U]),
    r(13, "SQL_DESC_SEARCHABLE", SmallInt, [U, U, R, U]),
    r(15, "SQL_DESC_TABLE_NAME", Text, [U, U, R, U]),
    r(14, "SQL_DESC_TYPE_NAME", Text, [U, U, R, R]),
    r(8, "SQL_DESC_UNSIGNED", SmallInt, [U, U, R, R]),
    r(10, "SQL_DESC_UPDATABLE", SmallInt, [U, U, R, U]),
    r(OCTET_LENGTH_PTR, "SQL_DESC_OCTET_LENGTH_PTR", Ptr, [W, W, U, U]),
    r(INDICATOR_PTR, "SQL_DESC_INDICATOR_PTR", Ptr, [W, W, U, U]),
    r(DATA_PTR, "SQL_DESC_DATA_PTR", Ptr, [W, W, U, U]),
];

pub fn field(id: i16) -> Option<&'static FieldDef> {
    FIELDS.iter().find(|f| f.id == id)
}

/// The statement attribute a header field mirrors in each descriptor (ODBC's
/// "statement attributes that set descriptor fields" table).
pub const HEADER_ATTRS: &[(DescKind, i16, i32)] = &[
    (DescKind::Ard, ARRAY_SIZE, 27),         // SQL_ATTR_ROW_ARRAY_SIZE
    (DescKind::Ard, ARRAY_STATUS_PTR, 24),   // SQL_ATTR_ROW_OPERATION_PTR
    (DescKind::Ard, BIND_OFFSET_PTR, 23),    // SQL_ATTR_ROW_BIND_OFFSET_PTR
    (DescKind::Ard, BIND_TYPE, 5),           // SQL_ATTR_ROW_BIND_TYPE
    (DescKind::Apd, ARRAY_SIZE, 22),         // SQL_ATTR_PARAMSET_SIZE
    (DescKind::Apd, ARRAY_STATUS_PTR, 19),   // SQL_ATTR_PARAM_OPERATION_PTR
    (DescKind::Apd, BIND_OFFSET_PTR, 17),    // SQL_ATTR_PARAM_BIND_OFFSET_PTR
    (DescKind::Apd, BIND_TYPE, 18),          // SQL_ATTR_PARAM_BIND_TYPE
    (DescKind::Ird, ARRAY_STATUS_PTR, 25),   // SQL_ATTR_ROW_STATUS_PTR
    (DescKind::Ird, ROWS_PROCESSED_PTR, 26), // SQL_ATTR_ROWS_FETCHED_PTR
    (DescKind::Ipd, ARRAY_STATUS_PTR, 20),   // SQL_ATTR_PARAM_STATUS_PTR
    (DescKind::Ipd, ROWS_PROCESSED_PTR, 21), // SQL_ATTR_PARAMS_PROCESSED_PTR
];

pub fn header_attr(kind: DescKind, id: i16) -> Option<i32> {
    HEADER_ATTRS.iter().find(|(k, f, _)| *k == kind && *f == id).map(|(_, _, a)| *a)
}

/// SQL_DESC_TYPE and SQL_DESC_DATETIME_INTERVAL_CODE of a concise type (C or SQL: the
/// date/time codes 91..93 are the same in both).
pub fn verbose(concise: i16) -> (i16, i16) {
    match concise {
        91..=93 => (9, concise - 90),
        other => (other, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(FIELDS[i + 1..].iter().all(|g| g.id != f.id), "{} listed twice", f.name);
            // Only the IRD's two status fields are writable there.
            let ird_w = f.access[DescKind::Ird as usize] == Access::ReadWrite;
            assert_eq!(ird_w, f.id == ARRAY_STATUS_PTR || f.id == ROWS_PROCESSED_PTR, "{}", f.name);
        }
        for (k, id, _) in HEADER_ATTRS {
            let f = field(*id).unwrap();
            assert!(f.header && f.access[*k as usize] == Access::ReadWrite, "{}", f.name);
        }
        assert_eq!(verbose(93), (9, 3));
        assert_eq!(verbose(2), (2, 0));
    }
}
