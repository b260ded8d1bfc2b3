//! The `sys_` tables (contract section 6): their shapes as data. The ODBC layer fills the
//! rows from the same registry the catalog functions read.

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SysType {
    Text,
    Int,
    Bool,
}

pub struct SysTable {
    pub name: &'static str,
    pub desc: &'static str,
    pub columns: &'static [(&'static str, SysType)],
}

use SysType::*;

pub const SYS_TABLES: &[SysTable] = &[
    SysTable {
        name: "sys_catalogs",
        desc: "The catalogs (workspaces) of this connection.",
        columns: &[("CatalogName", Text)],
    },
    SysTable {
        name: "sys_schemas",
        desc: "The schemas of each catalog.",
        columns: &[("CatalogName", Text), ("SchemaName", Text)],
    },
    SysTable {
        name: "sys_tables",
        desc: "Every table, as SQLTables reports it.",
        columns: &[
            ("CatalogName", Text),
            ("SchemaName", Text),
            ("TableName", Text),
            ("TableType", Text),
            ("Description", Text),
            ("IsUpdateable", Bool),
        ],
    },
    SysTable {
        name: "sys_tablecolumns",
        desc: "Every column of every table, as SQLColumns reports it.",
        columns: &[
            ("CatalogName", Text),
            ("SchemaName", Text),
            ("TableName", Text),
            ("ColumnName", Text),
            ("DataTypeName", Text),
            ("DataType", Int),
            ("Length", Int),
            ("NumericPrecision", Int),
            ("IsNullable", Bool),
            ("Description", Text),
            ("Ordinal", Int),
            ("IsKey", Bool),
            ("IsReadOnly", Bool),
        ],
    },
    SysTable {
        name: "sys_primarykeys",
        desc: "Primary key columns, as SQLPrimaryKeys reports them.",
        columns: &[
            ("CatalogName", Text),
            ("SchemaName", Text),
            ("TableName", Text),
            ("ColumnName", Text),
            ("KeySeq", Int),
            ("KeyName", Text),
        ],
    },
    SysTable {
        name: "sys_foreignkeys",
        desc: "Foreign keys, as SQLForeignKeys reports them.",
        columns: &[
            ("CatalogName", Text),
            ("SchemaName", Text),
            ("TableName", Text),
            ("ColumnName", Text),
            ("PrimaryKeyTable", Text),
            ("PrimaryKeyColumn", Text),
            ("ForeignKeyName", Text),
        ],
    },
    SysTable {
        name: "sys_procedures",
        desc: "Stored procedures, as SQLProcedures reports them.",
        columns: &[
            ("CatalogName", Text),
            ("SchemaName", Text),
            ("ProcedureName", Text),
            ("Description", Text),
            ("ProcedureType", Text),
        ],
    },
    SysTable {
        name: "sys_procedureparameters",
        desc: "Parameters and result columns of the stored procedures, as SQLProcedureColumns reports them.",
        columns: &[
            ("CatalogName", Text),
            ("SchemaName", Text),
            ("ProcedureName", Text),
            ("ColumnName", Text),
            ("Direction", Int),
            ("DataTypeName", Text),
            ("DataType", Int),
            ("Length", Int),
            ("IsNullable", Bool),
            ("Description", Text),
            ("Ordinal", Int),
        ],
    },
    SysTable {
        name: "sys_sqlinfo",
        desc: "Every SQLGetInfo answer of this driver, by name.",
        columns: &[("Name", Text), ("InfoType", Int), ("Value", Text)],
    },
    SysTable {
        name: "sys_information",
        desc: "The driver: product, version, data source and where to get help.",
        columns: &[
            ("Product", Text),
            ("Version", Text),
            ("Datasource", Text),
            ("HelpURL", Text),
            ("License", Text),
            ("Location", Text),
            ("Environment", Text),
        ],
    },
    SysTable {
        name: "sys_connection_props",
        desc: "Every connection property with its current value (secrets masked) and description.",
        columns: &[("Name", Text), ("Value", Text), ("Default", Text), ("Description", Text)],
    },
];

pub fn find_sys(name: &str) -> Option<&'static SysTable> {
    SYS_TABLES.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

pub fn schema_of(t: &SysTable) -> SchemaRef {
    let ty = |s: SysType| match s {
        Text => DataType::Utf8,
        Int => DataType::Int32,
        Bool => DataType::Boolean,
    };
    Arc::new(Schema::new(
        t.columns.iter().map(|(n, s)| Field::new(*n, ty(*s), true)).collect::<Vec<_>>(),
    ))
}
