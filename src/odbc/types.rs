//! SQL types as ODBC reports them, derived from Arrow types (and the declared length that
//! table columns carry in their field metadata).

use crate::tables::ColType;
use datafusion::arrow::datatypes::{DataType, Field};

pub const SQL_WVARCHAR: i16 = -9;
pub const SQL_VARCHAR: i16 = 12;
pub const SQL_INTEGER: i16 = 4;
pub const SQL_SMALLINT: i16 = 5;
pub const SQL_TINYINT: i16 = -6;
pub const SQL_BIGINT: i16 = -5;
pub const SQL_BIT: i16 = -7;
pub const SQL_REAL: i16 = 7;
pub const SQL_DOUBLE: i16 = 8;
pub const SQL_DECIMAL: i16 = 3;
pub const SQL_TYPE_DATE: i16 = 91;
pub const SQL_TYPE_TIME: i16 = 92;
pub const SQL_TYPE_TIMESTAMP: i16 = 93;
pub const SQL_VARBINARY: i16 = -3;
pub const SQL_DATETIME: i16 = 9;

use crate::tables::arrow_build::LEN_KEY;
/// Length reported for text the engine computed (no declared length).
pub const DEFAULT_TEXT_LEN: u32 = 255;

/// What SQLDescribeCol, SQLColAttribute and SQLColumns say about one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlTypeInfo {
    pub sql_type: i16,
    pub name: &'static str,
    /// COLUMN_SIZE: characters, digits or the timestamp's display width.
    pub size: u32,
    pub decimal_digits: i16,
    /// Bytes of the default C representation (SQL_DESC_OCTET_LENGTH).
    pub octet_len: u32,
    pub display: u32,
    pub radix: i16,
    pub unsigned: bool,
    /// SQL_DESC_TYPE (verbose type: SQL_DATETIME for date/time types).
    pub verbose: i16,
    pub datetime_sub: i16,
}

const fn ti(sql_type: i16, name: &'static str, size: u32, octet_len: u32, display: u32, radix: i16) -> SqlTypeInfo {
    SqlTypeInfo {
        sql_type,
        name,
        size,
        decimal_digits: 0,
        octet_len,
        display,
        radix,
        unsigned: false,
        verbose: sql_type,
        datetime_sub: 0,
    }
}

pub const fn text_info(len: u32) -> SqlTypeInfo {
    ti(SQL_WVARCHAR, "VARCHAR", len, len * 4, len, 0)
}

pub const INTEGER: SqlTypeInfo = ti(SQL_INTEGER, "INTEGER", 10, 4, 11, 10);
pub const SMALLINT: SqlTypeInfo = ti(SQL_SMALLINT, "SMALLINT", 5, 2, 6, 10);
pub const TINYINT: SqlTypeInfo = ti(SQL_TINYINT, "TINYINT", 3, 1, 4, 10);
pub const BIGINT: SqlTypeInfo = ti(SQL_BIGINT, "BIGINT", 19, 8, 20, 10);
pub const BIT: SqlTypeInfo = ti(SQL_BIT, "BIT", 1, 1, 1, 0);
pub const REAL: SqlTypeInfo = ti(SQL_REAL, "REAL", 7, 4, 14, 10);
pub const DOUBLE: SqlTypeInfo = ti(SQL_DOUBLE, "DOUBLE", 15, 8, 24, 10);
pub const TIMESTAMP: SqlTypeInfo = SqlTypeInfo {
    decimal_digits: 6,
    verbose: SQL_DATETIME,
    datetime_sub: 3,
    ..ti(SQL_TYPE_TIMESTAMP, "TIMESTAMP", 26, 16, 26, 0)
};
pub const DATE: SqlTypeInfo = SqlTypeInfo {
    verbose: SQL_DATETIME,
    datetime_sub: 1,
    ..ti(SQL_TYPE_DATE, "DATE", 10, 6, 10, 0)
};
pub const TIME: SqlTypeInfo = SqlTypeInfo {
    verbose: SQL_DATETIME,
    datetime_sub: 2,
    ..ti(SQL_TYPE_TIME, "TIME", 8, 6, 8, 0)
};
pub const VARBINARY: SqlTypeInfo = ti(SQL_VARBINARY, "VARBINARY", 8000, 8000, 16000, 0);

/// DECIMAL as SQLGetTypeInfo lists it: the largest precision and scale a result can have.
pub const DECIMAL_MAX: SqlTypeInfo = SqlTypeInfo {
    decimal_digits: 38,
    ..ti(SQL_DECIMAL, "DECIMAL", 38, 40, 40, 10)
};

/// Every type a column can report (`of_field`), in DATA_TYPE order as SQLGetTypeInfo lists
/// them; text at its largest length.
pub const TYPE_INFOS: &[SqlTypeInfo] = &[
    text_info(65535),
    BIT,
    TINYINT,
    BIGINT,
    VARBINARY,
    DECIMAL_MAX,
    INTEGER,
    SMALLINT,
    REAL,
    DOUBLE,
    DATE,
    TIME,
    TIMESTAMP,
];

pub fn of_col_type(t: ColType, len: u32) -> SqlTypeInfo {
    match t {
        ColType::Text => text_info(len),
        ColType::Int => INTEGER,
        ColType::BigInt => BIGINT,
        ColType::Bool => BIT,
        ColType::Ts => TIMESTAMP,
        ColType::Double => DOUBLE,
    }
}

pub fn of_field(f: &Field) -> SqlTypeInfo {
    let declared = f.metadata().get(LEN_KEY).and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_TEXT_LEN);
    match f.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => text_info(declared),
        DataType::Boolean => BIT,
        DataType::Int8 => TINYINT,
        DataType::Int16 | DataType::UInt8 => SMALLINT,
        DataType::Int32 | DataType::UInt16 => INTEGER,
        DataType::Int64 | DataType::UInt32 => BIGINT,
        DataType::UInt64 => SqlTypeInfo {
            unsigned: true,
            size: 20,
            ..BIGINT
        },
        DataType::Float16 | DataType::Float32 => REAL,
        DataType::Float64 => DOUBLE,
        DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => {
            let s = (*s).max(0) as i16;
            SqlTypeInfo {
                decimal_digits: s,
                ..ti(SQL_DECIMAL, "DECIMAL", u32::from(*p), u32::from(*p) + 2, u32::from(*p) + 2, 10)
            }
        }
        DataType::Timestamp(..) => TIMESTAMP,
        DataType::Date32 | DataType::Date64 => DATE,
        DataType::Time32(_) | DataType::Time64(_) => TIME,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => VARBINARY,
        // Anything else (lists, structs, intervals) is shown as text.
        _ => text_info(declared),
    }
}

/// SQL_C_DEFAULT resolved for a SQL type.
pub fn default_c_type(sql_type: i16) -> i16 {
    use super::convert::c;
    match sql_type {
        SQL_WVARCHAR => c::WCHAR,
        SQL_INTEGER => c::SLONG,
        SQL_SMALLINT => c::SSHORT,
        SQL_TINYINT => c::STINYINT,
        SQL_BIGINT => c::SBIGINT,
        SQL_BIT => c::BIT,
        SQL_REAL => c::FLOAT,
        SQL_DOUBLE => c::DOUBLE,
        SQL_TYPE_TIMESTAMP => c::TYPE_TIMESTAMP,
        SQL_TYPE_DATE => c::TYPE_DATE,
        SQL_TYPE_TIME => c::TYPE_TIME,
        SQL_VARBINARY => c::BINARY,
        _ => c::CHAR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{DataType as D, TimeUnit};

    /// Every Arrow type a result column can have (table columns and engine results).
    const RESULT_TYPES: &[D] = &[
        D::Utf8,
        D::LargeUtf8,
        D::Utf8View,
        D::Boolean,
        D::Int8,
        D::Int16,
        D::UInt8,
        D::Int32,
        D::UInt16,
        D::Int64,
        D::UInt32,
        D::Float16,
        D::Float32,
        D::Float64,
        D::Decimal128(38, 10),
        D::Decimal128(10, 0),
        D::Timestamp(TimeUnit::Microsecond, None),
        D::Timestamp(TimeUnit::Nanosecond, None),
        D::Date32,
        D::Time64(TimeUnit::Microsecond),
        D::Binary,
    ];

    /// SQLGetTypeInfo lists every type SQLDescribeCol and SQLColumns report, under the same
    /// name, with a column size and scale at least as large.
    #[test]
    fn type_info_covers_every_reported_type() {
        let from_tables = crate::tables::TABLES.iter().flat_map(|t| t.columns).map(|c| of_col_type(c.ty, 255));
        let from_results = RESULT_TYPES.iter().map(|d| of_field(&Field::new("x", d.clone(), true)));
        for t in from_tables.chain(from_results) {
            let listed = TYPE_INFOS.iter().find(|i| i.sql_type == t.sql_type);
            let Some(listed) = listed else {
                panic!("{} ({}) is not in SQLGetTypeInfo", t.name, t.sql_type)
            };
            assert_eq!(listed.name, t.name);
            assert!(
                listed.size >= t.size && listed.decimal_digits >= t.decimal_digits,
                "{t:?} vs {listed:?}"
            );
            if t.sql_type != SQL_WVARCHAR && t.sql_type != SQL_DECIMAL {
                assert_eq!(*listed, t, "fixed types are listed as reported");
            }
        }
    }

    #[test]
    fn type_info_is_in_data_type_order() {
        let v: Vec<i16> = TYPE_INFOS.iter().map(|t| t.sql_type).collect();
        let mut sorted = v.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(v, sorted);
    }
}
