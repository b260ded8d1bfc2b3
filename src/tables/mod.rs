//! Bitbucket tables as data: one small declaration per table, one generic provider.

pub mod arrow_build;
pub mod bbql;
mod contract;
pub mod defs;
pub mod exec;
pub mod pins;
pub mod procedures;
pub mod provider;
pub mod registry;
pub mod scan;
pub mod sys;
pub mod write;
mod write_body;

mod branch_rules;
mod branches;
mod comments;
mod commit_statuses;
mod commits;
mod deployments;
mod issues;
mod permissions;
mod pipelines;
mod projects;
mod pull_request_details;
mod pull_requests;
mod repositories;
mod tags;
mod users;
mod webhooks;
mod workspaces;

pub use defs::{ColType, ColumnDef, Scope, TableDef};
pub use registry::{find_table, TABLES};
