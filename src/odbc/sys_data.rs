//! Rows of the `sys_` tables, from the same registry and type mapping as SQLTables,
//! SQLColumns, SQLPrimaryKeys and SQLForeignKeys.

use super::{catalog_procs, info, types};
use crate::config::{Config, PROPS};
use crate::sql::catalog::INFORMATION;
use crate::sql::sys_live::LIVE;
use crate::tables::procedures::PROCEDURES;
use crate::tables::registry::foreign_keys;
use crate::tables::sys::{schema_of, SysTable, SysType, SYS_TABLES};
use crate::tables::TABLES;
use datafusion::arrow::array::{ArrayRef, BooleanBuilder, Int32Builder, StringBuilder};
use datafusion::arrow::record_batch::RecordBatch;
use std::sync::Arc;

enum C {
    T(String),
    I(i32),
    B(bool),
}

fn t(s: impl Into<String>) -> C {
    C::T(s.into())
}

fn build(table: &SysTable, rows: Vec<Vec<C>>) -> RecordBatch {
    let arrays: Vec<ArrayRef> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| -> ArrayRef {
            match ty {
                SysType::Text => {
                    let mut b = StringBuilder::new();
                    rows.iter()
                        .for_each(|r| b.append_option(if let C::T(v) = &r[i] { Some(v.as_str()) } else { None }));
                    Arc::new(b.finish())
                }
                SysType::Int => {
                    let mut b = Int32Builder::new();
                    rows.iter()
                        .for_each(|r| b.append_option(if let C::I(v) = r[i] { Some(v) } else { None }));
                    Arc::new(b.finish())
                }
                SysType::Bool => {
                    let mut b = BooleanBuilder::new();
                    rows.iter()
                        .for_each(|r| b.append_option(if let C::B(v) = r[i] { Some(v) } else { None }));
                    Arc::new(b.finish())
                }
            }
        })
        .collect();
    RecordBatch::try_new(schema_of(table), arrays).expect("sys rows match their declared columns")
}

fn rows_of(name: &str, cat: &str, dsn: Option<&str>, config: &Config) -> Vec<Vec<C>> {
    match name {
        "sys_procedures" => PROCEDURES
            .iter()
            .map(|p| vec![t(cat), t(INFORMATION), t(p.name), t(p.desc), t("PROCEDURE")])
            .collect(),
        "sys_procedureparameters" => PROCEDURES
            .iter()
            .flat_map(|p| {
                catalog_procs::parameters(p).map(move |(kind, ordinal, c)| {
                    let ti = types::of_col_type(c.ty, 255);
                    vec![
                        t(cat),
                        t(INFORMATION),
                        t(p.name),
                        t(c.name),
                        C::I(kind.into()),
                        t(ti.name),
                        C::I(ti.sql_type.into()),
                        C::I(ti.size as i32),
                        C::B(!(kind == catalog_procs::SQL_PARAM_INPUT && c.required)),
                        t(c.desc),
                        C::I(ordinal as i32),
                    ]
                })
            })
            .collect(),
        "sys_sqlinfo" => info::INFO
            .iter()
            .map(|(ty, name, v)| vec![t(*name), C::I((*ty).into()), t(info::as_text(*v, *ty, dsn, config))])
            .collect(),
        "sys_information" => vec![vec![
            t("Bitbucket ODBC Driver"),
            t(env!("CARGO_PKG_VERSION")),
            t("Bitbucket Cloud REST API 2.0"),
            t("https://developer.atlassian.com/cloud/bitbucket/rest/intro/"),
            t("Apache-2.0"),
            t(config.get("BaseURL")),
            t(format!("{} {}", std::env::consts::OS, std::env::consts::ARCH)),
        ]],
        "sys_tables" => TABLES
            .iter()
            .map(|x| vec![t(cat), t(INFORMATION), t(x.name), t("TABLE"), t(x.desc), C::B(!x.writes.is_empty())])
            .chain(
                SYS_TABLES
                    .iter()
                    .map(|x| vec![t(cat), t(INFORMATION), t(x.name), t("SYSTEM TABLE"), t(x.desc), C::B(false)]),
            )
            .collect(),
        "sys_tablecolumns" => TABLES
            .iter()
            .flat_map(|x| {
                x.columns.iter().enumerate().map(move |(i, c)| {
                    let ti = types::of_col_type(c.ty, c.len);
                    vec![
                        t(cat),
                        t(INFORMATION),
                        t(x.name),
                        t(c.name),
                        t(ti.name),
                        C::I(ti.sql_type.into()),
                        C::I(ti.size as i32),
                        C::I(if ti.radix == 10 { ti.size as i32 } else { 0 }),
                        C::B(!c.not_null),
                        t(c.desc),
                        C::I(i as i32 + 1),
                        C::B(c.key),
                        C::B(!x.is_writable(c.name)),
                    ]
                })
            })
            .collect(),
        "sys_primarykeys" => TABLES
            .iter()
            .flat_map(|x| {
                x.columns.iter().filter(|c| c.key).enumerate().map(move |(i, c)| {
                    vec![
                        t(cat),
                        t(INFORMATION),
                        t(x.name),
                        t(c.name),
                        C::I(i as i32 + 1),
                        t(format!("PK_{}", x.name)),
                    ]
                })
            })
            .collect(),
        "sys_foreignkeys" => foreign_keys()
            .into_iter()
            .flat_map(|k| {
                let pk: Vec<&str> = k.references.columns.iter().filter(|c| c.key).map(|c| c.name).collect();
                k.columns
                    .iter()
                    .zip(pk)
                    .map(|(fc, pc)| {
                        vec![
                            t(cat),
                            t(INFORMATION),
                            t(k.table.name),
                            t(*fc),
                            t(k.references.name),
                            t(pc),
                            t(format!("FK_{}_{}", k.table.name, k.references.name)),
                        ]
                    })
                    .collect::<Vec<_>>()
            })
            .collect(),
        "sys_connection_props" => {
            let shown = config.display_pairs();
            PROPS
                .iter()
                .zip(shown)
                .map(|(p, (_, v))| vec![t(p.name), t(v), t(p.default), t(p.description)])
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Every sys_ table's rows for a connection to catalog `cat`.
/// Rows of the sys_ tables that do not need Bitbucket (sys_catalogs and sys_schemas are live).
pub fn sys_batches(cat: &str, dsn: Option<&str>, config: &Config) -> Vec<(&'static str, RecordBatch)> {
    SYS_TABLES
        .iter()
        .filter(|x| !LIVE.contains(&x.name))
        .map(|x| (x.name, build(x, rows_of(x.name, cat, dsn, config))))
        .collect()
}
