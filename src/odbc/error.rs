//! The driver's one error enum and its one SQLSTATE table.

use crate::bitbucket::ApiError;
use crate::sql::SqlError;

#[derive(Debug, thiserror::Error)]
pub enum OdbcError {
    #[error("{0}")]
    Sql(#[from] SqlError),
    /// An API failure while connecting (08001 for network failures).
    #[error("{0}")]
    Connect(ApiError),
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("{0}")]
    Config(String),
    #[error("invalid cursor state: {0}")]
    CursorState(&'static str),
    #[error("function sequence error: {0}")]
    Sequence(&'static str),
    #[error("invalid descriptor index {0}: the result has {1} column(s)")]
    BadColumn(i32, usize),
    #[error("invalid use of null pointer: {0}")]
    NullPointer(&'static str),
    #[error("invalid string or buffer length {0}")]
    BufferLength(isize),
    #[error("optional feature not implemented: {0}")]
    NotImplemented(String),
    #[error("invalid attribute or option identifier {0}")]
    BadAttribute(i32),
    #[error("invalid attribute value {value} for attribute {attr}")]
    BadAttributeValue { attr: i32, value: isize },
    #[error("information type {0} is out of range")]
    BadInfoType(u16),
    #[error("invalid application buffer type {0}")]
    BadCType(i16),
    #[error("restricted data type attribute violation: {0}")]
    Restricted(String),
    #[error("numeric value out of range: {0}")]
    NumericRange(String),
    #[error("invalid character value for cast specification: {0}")]
    InvalidCast(String),
    #[error("indicator variable required but not supplied: column {0} is NULL")]
    IndicatorRequired(u16),
    #[error("COUNT field incorrect: {0}")]
    ParamCount(String),
    #[error("invalid descriptor index: parameter {0} does not exist")]
    BadParam(u16),
    #[error("invalid descriptor field identifier {0}: not a descriptor field, or read-only in this descriptor")]
    DescField(i16),
    #[error("cannot modify an implementation row descriptor: only SQL_DESC_ARRAY_STATUS_PTR and SQL_DESC_ROWS_PROCESSED_PTR of the IRD may be set")]
    DescReadOnly,
    #[error("inconsistent descriptor information: {0}")]
    DescInconsistent(String),
    #[error("fetch type out of range: {0}")]
    FetchType(String),
    #[error("connection is already open; disconnect first")]
    AlreadyConnected,
    #[error("not connected: connect first")]
    NotConnected,
    #[error("the operation was cancelled")]
    Cancelled,
    #[error("the driver hit an internal error ({0}); the operation was abandoned. Please report it with the log file")]
    Panic(String),
    #[error("{0}")]
    General(String),
}

impl OdbcError {
    pub fn sqlstate(&self) -> &'static str {
        match self {
            OdbcError::Sql(e) => match e {
                SqlError::Syntax(_) => "42000",
                SqlError::TableNotFound(_) => "42S02",
                SqlError::ColumnNotFound(_) => "42S22",
                SqlError::NotSupported(_) => "HYC00",
                SqlError::Api(a) => api_state(a, false),
                SqlError::Table(_) | SqlError::Engine(_) => "HY000",
                SqlError::Data { state, .. } => state,
            },
            OdbcError::Connect(a) => api_state(a, true),
            OdbcError::Api(a) => api_state(a, false),
            OdbcError::Config(_) => "HY000",
            OdbcError::CursorState(_) => "24000",
            OdbcError::Sequence(_) => "HY010",
            OdbcError::BadColumn(..) => "07009",
            OdbcError::NullPointer(_) => "HY009",
            OdbcError::BufferLength(_) => "HY090",
            OdbcError::NotImplemented(_) => "HYC00",
            OdbcError::BadAttribute(_) => "HY092",
            OdbcError::BadAttributeValue { .. } => "HY024",
            OdbcError::BadInfoType(_) => "HY096",
            OdbcError::BadCType(_) => "HY003",
            OdbcError::Restricted(_) => "07006",
            OdbcError::NumericRange(_) => "22003",
            OdbcError::InvalidCast(_) => "22018",
            OdbcError::IndicatorRequired(_) => "22002",
            OdbcError::ParamCount(_) => "07002",
            OdbcError::BadParam(_) => "07009",
            OdbcError::DescField(_) => "HY091",
            OdbcError::DescReadOnly => "HY016",
            OdbcError::DescInconsistent(_) => "HY021",
            OdbcError::FetchType(_) => "HY106",
            OdbcError::AlreadyConnected => "08002",
            OdbcError::NotConnected => "08003",
            OdbcError::Cancelled => "HY008",
            OdbcError::Panic(_) | OdbcError::General(_) => "HY000",
        }
    }

    /// The user-facing text: what went wrong and what to do.
    pub fn message(&self) -> String {
        let body = match self {
            OdbcError::Connect(a) | OdbcError::Api(a) | OdbcError::Sql(SqlError::Api(a)) => api_message(a),
            other => other.to_string(),
        };
        format!("{} {}", super::diag::PREFIX, body)
    }
}

fn api_state(a: &ApiError, connecting: bool) -> &'static str {
    match a {
        ApiError::Connect { .. } => {
            if connecting {
                "08001"
            } else {
                "08S01"
            }
        }
        ApiError::Timeout { .. } | ApiError::QueryTimeout { .. } => "HYT00",
        ApiError::Cancelled => "HY008",
        ApiError::Auth(_) => "28000",
        ApiError::RateLimited { .. } => "HY000",
        ApiError::Decode { .. } => "HY000",
        ApiError::Status { status, .. } => match status {
            401 => "28000",
            403 => "42501",
            409 => "23000",
            _ => "HY000",
        },
    }
}

fn api_message(a: &ApiError) -> String {
    if let Some((required, granted)) = a.scopes() {
        return format!(
            "{a}. Required scopes: {}; granted: {}. Create an API token or consumer with the required scopes",
            if required.is_empty() {
                "(not stated)".into()
            } else {
                required.join(", ")
            },
            if granted.is_empty() { "(none)".into() } else { granted.join(", ") }
        );
    }
    a.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_prefix() {
        let e = OdbcError::Connect(ApiError::Connect {
            url: "http://x".into(),
            reason: "refused".into(),
        });
        assert_eq!(e.sqlstate(), "08001");
        assert!(e.message().starts_with("[Bitbucket ODBC] "));
        let s = ApiError::Status {
            status: 403,
            message: "lack".into(),
            detail: Some(serde_json::json!({"required":["a"],"granted":["b"]})),
            path: "/p".into(),
        };
        let e = OdbcError::Api(s);
        assert_eq!(e.sqlstate(), "42501");
        assert!(e.message().contains("Required scopes: a; granted: b"));
    }
}
