//! Every table the driver serves, in catalog order.

use super::defs::TableDef;

pub const TABLES: &[&TableDef] = &[
    &super::workspaces::WORKSPACES,
    &super::projects::PROJECTS,
    &super::repositories::REPOSITORIES,
    &super::users::USERS,
    &super::branches::BRANCHES,
    &super::tags::TAGS,
    &super::commits::COMMITS,
    &super::pull_requests::PULL_REQUESTS,
    &super::pipelines::PIPELINES,
    &super::deployments::ENVIRONMENTS,
    &super::deployments::DEPLOYMENTS,
    &super::issues::ISSUES,
];

/// Case-insensitive lookup, as SQL users expect.
pub fn find_table(name: &str) -> Option<&'static TableDef> {
    TABLES.iter().copied().find(|t| t.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_descriptions_are_unique() {
        let mut names = HashSet::new();
        let mut descs = HashSet::new();
        for t in TABLES {
            assert!(names.insert(t.name.to_ascii_lowercase()), "duplicate table {}", t.name);
            assert!(descs.insert(t.desc), "duplicate description for {}", t.name);
            assert!(t.columns.iter().any(|c| c.key), "{} has no key column", t.name);
            let mut cols = HashSet::new();
            for c in t.columns {
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
