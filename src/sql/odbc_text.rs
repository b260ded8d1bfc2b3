//! `CONVERT(x, SQL_VARCHAR)` (and the other character targets): the value as the text
//! SQLGetData gives for it with SQL_C_CHAR, so a converted date or timestamp is ODBC's
//! canonical 'yyyy-mm-dd hh:mm:ss[.ffffff]' (CAST's would be ISO 8601 with a 'T') and a flag
//! is 1 or 0, whichever way a client reads it.

use crate::odbc::convert::{cell, to_text, Cell};
use datafusion::arrow::array::{Array, ArrayRef, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use std::sync::Arc;

/// The name escapes.rs rewrites the character CONVERTs to.
pub const NAME: &str = "odbc_varchar";

#[derive(Debug, PartialEq, Eq, Hash)]
struct OdbcVarchar {
    signature: Signature,
}

pub fn udf() -> ScalarUDF {
    ScalarUDF::new_from_impl(OdbcVarchar {
        signature: Signature::user_defined(Volatility::Immutable),
    })
}

impl ScalarUDFImpl for OdbcVarchar {
    fn name(&self) -> &str {
        NAME
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn coerce_types(&self, t: &[DataType]) -> Result<Vec<DataType>> {
        match t {
            // A bare NULL as a text NULL: Arrow's null array reports no nulls row by row.
            [DataType::Null] => Ok(vec![DataType::Utf8]),
            [one] => Ok(vec![one.clone()]),
            _ => plan_err!("CONVERT takes one value and one type"),
        }
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let a = ColumnarValue::values_to_arrays(&args.args)?;
        let arr: &dyn Array = a[0].as_ref();
        let out: StringArray = (0..arr.len())
            .map(|row| match cell(arr, row) {
                Cell::Null => None,
                c => Some(to_text(&c)),
            })
            .collect();
        Ok(ColumnarValue::Array(Arc::new(out) as ArrayRef))
    }
}

#[cfg(test)]
mod tests {
    use crate::sql::test_support::{engine, value};

    #[test]
    fn dates_and_times_are_odbc_canonical() {
        let e = engine();
        for (sql, want) in [
            ("{fn CONVERT({ts '2024-02-29 10:11:12'}, SQL_VARCHAR)}", "2024-02-29 10:11:12"),
            (
                "{fn CONVERT({ts '2024-02-29 10:11:12.5'}, SQL_WVARCHAR)}",
                "2024-02-29 10:11:12.500000",
            ),
            ("{fn CONVERT({d '2024-02-29'}, SQL_CHAR)}", "2024-02-29"),
            ("{fn CONVERT({t '10:11:12'}, SQL_LONGVARCHAR)}", "10:11:12"),
            ("{fn CONVERT(1 = 1, SQL_VARCHAR)}", "1"),
            ("{fn CONVERT(42, SQL_WCHAR)}", "42"),
            ("{fn CONVERT('abc', SQL_WLONGVARCHAR)}", "abc"),
            ("{fn CONVERT(NULL, SQL_VARCHAR)}", "NULL"),
            ("{fn LTRIM({fn CONVERT(7, SQL_VARCHAR)})} || 'x'", "7x"),
        ] {
            assert_eq!(value(&e, &format!("SELECT {sql}")).unwrap(), want, "{sql}");
        }
    }
}
