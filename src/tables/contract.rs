//! The tables and required columns of the outside contract (design/contract.md, section 4),
//! checked against the registry: names, types and keys are fixed by that document.

#[cfg(test)]
mod tests {
    use crate::tables::{find_table, ColType, TABLES};

    /// Required columns of contract section 4: (table, [(column, key, type)]).
    /// (column, key, type name)
    type Column = (&'static str, bool, &'static str);
    const CONTRACT: &[(&str, &[Column])] = &[
        (
            "Workspaces",
            &[
                ("Uuid", true, "text"),
                ("Slug", false, "text"),
                ("Name", false, "text"),
                ("IsPrivate", false, "bool"),
                ("IsAdministrator", false, "bool"),
                ("ForkingMode", false, "text"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "Projects",
            &[
                ("Uuid", false, "text"),
                ("Key", true, "text"),
                ("Name", false, "text"),
                ("Description", false, "text"),
                ("IsPrivate", false, "bool"),
                ("HasPubliclyVisibleRepos", false, "bool"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "Repositories",
            &[
                ("Uuid", false, "text"),
                ("Slug", true, "text"),
                ("FullName", false, "text"),
                ("Name", false, "text"),
                ("Description", false, "text"),
                ("ProjectKey", false, "text"),
                ("ProjectName", false, "text"),
                ("IsPrivate", false, "bool"),
                ("ForkPolicy", false, "text"),
                ("Language", false, "text"),
                ("Size", false, "bigint"),
                ("MainBranch", false, "text"),
                ("HasIssues", false, "bool"),
                ("HasWiki", false, "bool"),
                ("ParentFullName", false, "text"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "Users",
            &[
                ("Uuid", true, "text"),
                ("AccountId", false, "text"),
                ("DisplayName", false, "text"),
                ("Nickname", false, "text"),
                ("Email", false, "text"),
            ],
        ),
        (
            "WorkspacePermissions",
            &[
                ("UserUuid", true, "text"),
                ("UserDisplayName", false, "text"),
                ("Permission", false, "text"),
                ("AddedOn", false, "ts"),
                ("LastAccessed", false, "ts"),
            ],
        ),
        (
            "RepositoryPermissions",
            &[
                ("RepositorySlug", true, "text"),
                ("UserUuid", true, "text"),
                ("UserDisplayName", false, "text"),
                ("Permission", false, "text"),
            ],
        ),
        (
            "ProjectPermissions",
            &[
                ("ProjectKey", true, "text"),
                ("PrincipalType", true, "text"),
                ("PrincipalId", true, "text"),
                ("PrincipalName", false, "text"),
                ("Permission", false, "text"),
            ],
        ),
        (
            "Webhooks",
            &[
                ("Uuid", true, "text"),
                ("RepositorySlug", false, "text"),
                ("Url", false, "text"),
                ("Description", false, "text"),
                ("Active", false, "bool"),
                ("Events", false, "text"),
                ("CreatedAt", false, "ts"),
            ],
        ),
        (
            "Branches",
            &[
                ("RepositorySlug", true, "text"),
                ("Name", true, "text"),
                ("TargetHash", false, "text"),
                ("TargetDate", false, "ts"),
                ("TargetMessage", false, "text"),
                ("TargetAuthorRaw", false, "text"),
                ("TargetAuthorUuid", false, "text"),
                ("DefaultMergeStrategy", false, "text"),
                ("MergeStrategies", false, "text"),
            ],
        ),
        (
            "Tags",
            &[
                ("RepositorySlug", true, "text"),
                ("Name", true, "text"),
                ("TargetHash", false, "text"),
                ("TargetDate", false, "ts"),
                ("Message", false, "text"),
                ("TaggerRaw", false, "text"),
                ("Date", false, "ts"),
            ],
        ),
        (
            "Commits",
            &[
                ("RepositorySlug", true, "text"),
                ("Hash", true, "text"),
                ("Date", false, "ts"),
                ("Message", false, "text"),
                ("AuthorRaw", false, "text"),
                ("AuthorUuid", false, "text"),
                ("AuthorDisplayName", false, "text"),
                ("ParentHashes", false, "text"),
                ("Revision", false, "text"),
            ],
        ),
        (
            "CommitStatuses",
            &[
                ("RepositorySlug", true, "text"),
                ("CommitHash", true, "text"),
                ("Key", true, "text"),
                ("State", false, "text"),
                ("Name", false, "text"),
                ("Description", false, "text"),
                ("Url", false, "text"),
                ("RefName", false, "text"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "CommitComments",
            &[
                ("RepositorySlug", true, "text"),
                ("CommitHash", false, "text"),
                ("Id", true, "bigint"),
                ("ContentRaw", false, "text"),
                ("UserUuid", false, "text"),
                ("UserDisplayName", false, "text"),
                ("ParentId", false, "bigint"),
                ("InlinePath", false, "text"),
                ("Deleted", false, "bool"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "PullRequests",
            &[
                ("RepositorySlug", true, "text"),
                ("Id", true, "int"),
                ("Title", false, "text"),
                ("Description", false, "text"),
                ("State", false, "text"),
                ("Draft", false, "bool"),
                ("AuthorUuid", false, "text"),
                ("AuthorDisplayName", false, "text"),
                ("SourceBranch", false, "text"),
                ("SourceCommitHash", false, "text"),
                ("SourceRepositoryFullName", false, "text"),
                ("DestinationBranch", false, "text"),
                ("DestinationCommitHash", false, "text"),
                ("MergeCommitHash", false, "text"),
                ("CloseSourceBranch", false, "bool"),
                ("ClosedByUuid", false, "text"),
                ("Reason", false, "text"),
                ("CommentCount", false, "int"),
                ("TaskCount", false, "int"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "PullRequestParticipants",
            &[
                ("RepositorySlug", true, "text"),
                ("PullRequestId", true, "int"),
                ("UserUuid", true, "text"),
                ("UserDisplayName", false, "text"),
                ("Role", false, "text"),
                ("Approved", false, "bool"),
                ("State", false, "text"),
                ("ParticipatedOn", false, "ts"),
            ],
        ),
        (
            "PullRequestActivity",
            &[
                ("RepositorySlug", false, "text"),
                ("PullRequestId", false, "int"),
                ("Kind", false, "text"),
                ("Date", false, "ts"),
                ("UserUuid", false, "text"),
                ("UserDisplayName", false, "text"),
                ("State", false, "text"),
                ("CommentId", false, "bigint"),
            ],
        ),
        (
            "PullRequestComments",
            &[
                ("RepositorySlug", true, "text"),
                ("PullRequestId", false, "int"),
                ("Id", true, "bigint"),
                ("ContentRaw", false, "text"),
                ("UserUuid", false, "text"),
                ("UserDisplayName", false, "text"),
                ("ParentId", false, "bigint"),
                ("InlinePath", false, "text"),
                ("InlineFrom", false, "int"),
                ("InlineTo", false, "int"),
                ("Deleted", false, "bool"),
                ("Pending", false, "bool"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "PullRequestCommits",
            &[
                ("RepositorySlug", true, "text"),
                ("PullRequestId", true, "int"),
                ("Hash", true, "text"),
                ("Date", false, "ts"),
                ("Message", false, "text"),
                ("AuthorRaw", false, "text"),
            ],
        ),
        (
            "PullRequestDiffStats",
            &[
                ("RepositorySlug", true, "text"),
                ("PullRequestId", true, "int"),
                ("Status", false, "text"),
                ("OldPath", false, "text"),
                ("NewPath", true, "text"),
                ("LinesAdded", false, "int"),
                ("LinesRemoved", false, "int"),
            ],
        ),
        (
            "Pipelines",
            &[
                ("RepositorySlug", true, "text"),
                ("Uuid", true, "text"),
                ("BuildNumber", false, "int"),
                ("CreatorUuid", false, "text"),
                ("TargetRefType", false, "text"),
                ("TargetRefName", false, "text"),
                ("TargetCommitHash", false, "text"),
                ("TriggerType", false, "text"),
                ("StateName", false, "text"),
                ("ResultName", false, "text"),
                ("CreatedOn", false, "ts"),
                ("CompletedOn", false, "ts"),
                ("BuildSecondsUsed", false, "int"),
            ],
        ),
        (
            "PipelineSteps",
            &[
                ("RepositorySlug", true, "text"),
                ("PipelineUuid", false, "text"),
                ("Uuid", true, "text"),
                ("Name", false, "text"),
                ("StateName", false, "text"),
                ("ResultName", false, "text"),
                ("StartedOn", false, "ts"),
                ("CompletedOn", false, "ts"),
            ],
        ),
        (
            "Environments",
            &[
                ("RepositorySlug", true, "text"),
                ("Uuid", true, "text"),
                ("Name", false, "text"),
                ("EnvironmentType", false, "text"),
                ("Rank", false, "int"),
            ],
        ),
        (
            "Deployments",
            &[
                ("RepositorySlug", true, "text"),
                ("Uuid", true, "text"),
                ("EnvironmentUuid", false, "text"),
                ("StateName", false, "text"),
                ("StatusName", false, "text"),
                ("ReleaseName", false, "text"),
                ("CommitHash", false, "text"),
                ("StartedOn", false, "ts"),
                ("CompletedOn", false, "ts"),
            ],
        ),
        (
            "Issues",
            &[
                ("RepositorySlug", true, "text"),
                ("Id", true, "int"),
                ("Title", false, "text"),
                ("ContentRaw", false, "text"),
                ("State", false, "text"),
                ("Kind", false, "text"),
                ("Priority", false, "text"),
                ("ReporterUuid", false, "text"),
                ("AssigneeUuid", false, "text"),
                ("ComponentName", false, "text"),
                ("MilestoneName", false, "text"),
                ("VersionName", false, "text"),
                ("Votes", false, "int"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "IssueComments",
            &[
                ("RepositorySlug", true, "text"),
                ("IssueId", false, "int"),
                ("Id", true, "bigint"),
                ("ContentRaw", false, "text"),
                ("UserUuid", false, "text"),
                ("CreatedOn", false, "ts"),
                ("UpdatedOn", false, "ts"),
            ],
        ),
        (
            "BranchRestrictions",
            &[
                ("RepositorySlug", true, "text"),
                ("Id", true, "int"),
                ("Kind", false, "text"),
                ("BranchMatchKind", false, "text"),
                ("Pattern", false, "text"),
                ("BranchType", false, "text"),
                ("Value", false, "int"),
            ],
        ),
        (
            "DefaultReviewers",
            &[
                ("RepositorySlug", true, "text"),
                ("UserUuid", true, "text"),
                ("UserDisplayName", false, "text"),
                ("ReviewerType", false, "text"),
            ],
        ),
    ];

    fn ty(name: &str) -> ColType {
        match name {
            "text" => ColType::Text,
            "int" => ColType::Int,
            "bigint" => ColType::BigInt,
            "bool" => ColType::Bool,
            "ts" => ColType::Ts,
            "double" => ColType::Double,
            other => panic!("unknown contract type {other}"),
        }
    }

    #[test]
    fn every_contract_table_and_column_is_served() {
        assert_eq!(CONTRACT.len(), TABLES.len(), "one registry table per contract table");
        for (table, cols) in CONTRACT {
            let t = find_table(table).unwrap_or_else(|| panic!("{table} is not registered"));
            assert_eq!(&t.name, table, "the registry spells {table} as the contract does");
            for (name, key, typ) in *cols {
                let c = t.column(name).unwrap_or_else(|| panic!("{table}.{name} is missing"));
                assert_eq!(&c.name, name, "{table}.{name} spelling");
                assert_eq!(c.ty, ty(typ), "{table}.{name} type");
                assert_eq!(c.key, *key, "{table}.{name} key");
            }
            let keys: Vec<&str> = t.columns.iter().filter(|c| c.key).map(|c| c.name).collect();
            let want: Vec<&str> = cols.iter().filter(|c| c.1).map(|c| c.0).collect();
            assert_eq!(keys, want, "{table} primary key");
        }
    }
}
