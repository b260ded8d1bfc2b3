//! SQL-layer errors, classified from DataFusion's so the ODBC layer can pick a SQLSTATE.

use crate::bitbucket::ApiError;
use crate::tables::provider::TableError;
use datafusion::error::DataFusionError;

#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    #[error("syntax error: {0}")]
    Syntax(String),
    #[error("{0}")]
    TableNotFound(String),
    #[error("{0}")]
    ColumnNotFound(String),
    #[error("{0}")]
    NotSupported(String),
    #[error(transparent)]
    Api(ApiError),
    #[error("{0}")]
    Table(String),
    #[error("{0}")]
    Engine(String),
    /// A value the query computes cannot be represented (bad cast, overflow, division by
    /// zero): a data exception with its own SQLSTATE class 22.
    #[error("{message}")]
    Data { state: &'static str, message: String },
}

impl From<DataFusionError> for SqlError {
    fn from(e: DataFusionError) -> Self {
        classify(&e)
    }
}

fn from_external(e: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<SqlError> {
    if let Some(a) = e.downcast_ref::<ApiError>() {
        return Some(SqlError::Api(a.clone()));
    }
    if let Some(w) = e.downcast_ref::<crate::tables::write::WriteError>() {
        return Some(SqlError::Table(w.to_string()));
    }
    if let Some(t) = e.downcast_ref::<TableError>() {
        return Some(SqlError::Table(t.to_string()));
    }
    if let Some(d) = e.downcast_ref::<DataFusionError>() {
        return Some(classify(d));
    }
    None
}

fn classify(e: &DataFusionError) -> SqlError {
    use datafusion::arrow::error::ArrowError;
    use datafusion::common::SchemaError;
    match e {
        DataFusionError::SQL(p, _) => SqlError::Syntax(p.to_string().trim_start_matches("sql parser error: ").to_string()),
        DataFusionError::Context(_, inner) => classify(inner),
        DataFusionError::Shared(inner) => classify(inner),
        DataFusionError::External(b) => from_external(b.as_ref()).unwrap_or_else(|| SqlError::Engine(b.to_string())),
        DataFusionError::ArrowError(a, _) => match a.as_ref() {
            ArrowError::ExternalError(b) => from_external(b.as_ref()).unwrap_or_else(|| SqlError::Engine(a.to_string())),
            ArrowError::CastError(m) => SqlError::Data {
                // Arrow says "Can't cast value 300 to type Int8" when the value is out of range.
                state: if m.starts_with("Can't cast value") { "22003" } else { "22018" },
                message: a.to_string(),
            },
            ArrowError::ParseError(_) => SqlError::Data {
                state: "22018",
                message: a.to_string(),
            },
            ArrowError::ArithmeticOverflow(_) => SqlError::Data {
                state: "22003",
                message: a.to_string(),
            },
            ArrowError::DivideByZero => SqlError::Data {
                state: "22012",
                message: a.to_string(),
            },
            other => SqlError::Engine(other.to_string()),
        },
        DataFusionError::SchemaError(s, _) => match s.as_ref() {
            SchemaError::FieldNotFound { field, .. } => SqlError::ColumnNotFound(format!(
                "column {} does not exist; see SQLColumns or sys_tablecolumns for the table's columns",
                field.quoted_flat_name()
            )),
            other => SqlError::Engine(other.to_string()),
        },
        DataFusionError::Plan(m) if m.starts_with("table '") && m.ends_with("not found") => {
            SqlError::TableNotFound(format!("{m}; see SQLTables or sys_tables for the available tables"))
        }
        DataFusionError::NotImplemented(m) => SqlError::NotSupported(m.clone()),
        DataFusionError::Diagnostic(_, inner) => classify(inner),
        DataFusionError::Collection(v) => v.first().map(classify).unwrap_or_else(|| SqlError::Engine(e.to_string())),
        other => SqlError::Engine(strip_prefix(&other.to_string())),
    }
}

/// DataFusion prefixes messages with its error kind ("Error during planning: ").
fn strip_prefix(s: &str) -> String {
    for p in ["Error during planning: ", "Execution error: ", "Internal error: "] {
        if let Some(rest) = s.strip_prefix(p) {
            return rest.to_string();
        }
    }
    s.to_string()
}
