//! Every table the driver serves, in catalog order.

use super::defs::{Scope, TableDef};

pub const TABLES: &[&TableDef] = &[
    &super::workspaces::WORKSPACES,
    &super::projects::PROJECTS,
    &super::repositories::REPOSITORIES,
    &super::users::USERS,
    &super::permissions::WORKSPACE_PERMISSIONS,
    &super::permissions::REPOSITORY_PERMISSIONS,
    &super::permissions::PROJECT_PERMISSIONS,
    &super::webhooks::WEBHOOKS,
    &super::branches::BRANCHES,
    &super::tags::TAGS,
    &super::commits::COMMITS,
    &super::commit_statuses::COMMIT_STATUSES,
    &super::comments::COMMIT_COMMENTS,
    &super::pull_requests::PULL_REQUESTS,
    &super::pull_request_details::PULL_REQUEST_PARTICIPANTS,
    &super::pull_request_details::PULL_REQUEST_ACTIVITY,
    &super::comments::PULL_REQUEST_COMMENTS,
    &super::pull_request_details::PULL_REQUEST_COMMITS,
    &super::pull_request_details::PULL_REQUEST_DIFF_STATS,
    &super::pipelines::PIPELINES,
    &super::pipelines::PIPELINE_STEPS,
    &super::deployments::ENVIRONMENTS,
    &super::deployments::DEPLOYMENTS,
    &super::issues::ISSUES,
    &super::comments::ISSUE_COMMENTS,
    &super::branch_rules::BRANCH_RESTRICTIONS,
    &super::branch_rules::DEFAULT_REVIEWERS,
];

/// A foreign key: columns of `table` referencing the key columns of `references`.
pub struct ForeignKey {
    pub table: &'static TableDef,
    pub columns: Vec<&'static str>,
    pub references: &'static TableDef,
}

/// Keys no rule below derives: (table, columns, referenced table).
const DECLARED_KEYS: &[(&str, &[&str], &str)] = &[
    ("Repositories", &["ProjectKey"], "Projects"),
    ("RepositoryPermissions", &["RepositorySlug"], "Repositories"),
    ("Webhooks", &["RepositorySlug"], "Repositories"),
    ("PullRequestParticipants", &["RepositorySlug", "PullRequestId"], "PullRequests"),
    ("PullRequestActivity", &["RepositorySlug", "PullRequestId"], "PullRequests"),
    ("Deployments", &["RepositorySlug", "EnvironmentUuid"], "Environments"),
];

/// Every foreign key: repository-scoped tables reference Repositories, child tables their
/// parent, plus the declared ones.
pub fn foreign_keys() -> Vec<ForeignKey> {
    let table = |n: &str| find_table(n).expect("foreign keys name registered tables");
    let repos = table("Repositories");
    let mut v: Vec<ForeignKey> = Vec::new();
    for t in TABLES.iter().copied() {
        if t.scope == Scope::Repository {
            v.push(ForeignKey {
                table: t,
                columns: vec!["RepositorySlug"],
                references: repos,
            });
        }
        if let Some(p) = &t.parent {
            let mut columns = if p.table.scope == Scope::Repository {
                vec!["RepositorySlug"]
            } else {
                Vec::new()
            };
            columns.push(p.column);
            v.push(ForeignKey {
                table: t,
                columns,
                references: p.table,
            });
        }
    }
    for (t, cols, r) in DECLARED_KEYS {
        v.push(ForeignKey {
            table: table(t),
            columns: cols.to_vec(),
            references: table(r),
        });
    }
    v
}

/// Case-insensitive lookup, as SQL users expect.
pub fn find_table(name: &str) -> Option<&'static TableDef> {
    TABLES.iter().copied().find(|t| t.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The README's table list is what users read: every table and column is in it.
    #[test]
    fn readme_lists_every_table_and_column() {
        let readme = include_str!("../../README.md");
        for t in TABLES {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", t.name)))
                .unwrap_or_else(|| panic!("README has no row for {}", t.name));
            for c in t.columns {
                assert!(row.contains(&format!("`{}`", c.name)), "README row of {} misses {}", t.name, c.name);
            }
        }
    }

    #[test]
    fn foreign_keys_match_referenced_keys() {
        for k in foreign_keys() {
            let pk: Vec<_> = k.references.columns.iter().filter(|c| c.key).collect();
            assert_eq!(pk.len(), k.columns.len(), "{} -> {}", k.table.name, k.references.name);
            for (c, p) in k.columns.iter().zip(pk) {
                let col = k.table.column(c).unwrap_or_else(|| panic!("{}.{} exists", k.table.name, c));
                assert_eq!(
                    col.ty, p.ty,
                    "{}.{} has the type of {}.{}",
                    k.table.name, c, k.references.name, p.name
                );
            }
        }
        let names: Vec<String> = foreign_keys()
            .iter()
            .map(|k| format!("{}->{}", k.table.name, k.references.name))
            .collect();
        assert!(names.contains(&"PullRequestComments->PullRequests".to_string()));
        assert!(names.contains(&"PullRequests->Repositories".to_string()));
    }

    #[test]
    fn names_and_descriptions_are_unique() {
        let mut names = HashSet::new();
        let mut descs = HashSet::new();
        for t in TABLES {
            assert!(names.insert(t.name.to_ascii_lowercase()), "duplicate table {}", t.name);
            assert!(descs.insert(t.desc), "duplicate description for {}", t.name);
            // Activity items have no identity of their own in the API.
            assert!(
                t.columns.iter().any(|c| c.key) || t.name == "PullRequestActivity",
                "{} has no key column",
                t.name
            );
            if let Some(p) = &t.parent {
                let c = t.column(p.column).expect("the parent column is declared");
                assert_eq!(c.path, super::super::defs::PARENT_PATH, "{}.{}", t.name, c.name);
                assert!(p.table.scope == t.scope, "{} and its parent share a scope", t.name);
                assert!(t.list_path.contains("{parent}"), "{} lists under its parent", t.name);
            }
            if t.scope == super::super::defs::Scope::Repository {
                assert_eq!(t.columns[0].name, "RepositorySlug", "{} starts with RepositorySlug", t.name);
            }
            let mut cols = HashSet::new();
            let mut col_descs = HashSet::new();
            for c in t.columns {
                assert!(col_descs.insert(c.desc), "{}.{} repeats a description", t.name, c.name);
                assert!(cols.insert(c.name.to_ascii_lowercase()), "duplicate column {}.{}", t.name, c.name);
                assert!(!c.desc.is_empty(), "{}.{} has no description", t.name, c.name);
                assert!(
                    !c.is_detail() || t.detail.is_some(),
                    "{}.{} reads a detail the table lacks",
                    t.name,
                    c.name
                );
            }
        }
    }
}
