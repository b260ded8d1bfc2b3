use super::defs::*;

pub const PULL_REQUESTS: TableDef = TableDef {
    name: "PullRequests",
    desc: "Pull requests of each repository, in every state (OPEN, MERGED, DECLINED, SUPERSEDED).",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/pullrequests",
    // Bitbucket rejects pagelen above 50 here, and lists only OPEN pull requests by default.
    max_pagelen: 50,
    query: &[
        ("state", "OPEN"),
        ("state", "MERGED"),
        ("state", "DECLINED"),
        ("state", "SUPERSEDED"),
    ],
    columns: &[
        repository_slug(),
        int("Id", "id", "Pull request number, unique within its repository.").key(),
        text("Title", "title", "Title.").len(1000),
        text("Description", "description", "Description (markdown).").len(8000),
        text("State", "state", "OPEN, MERGED, DECLINED or SUPERSEDED."),
        boolean("Draft", "draft", "Whether the pull request is a draft."),
        text("AuthorUuid", "author.uuid", "UUID of the author."),
        text("AuthorDisplayName", "author.display_name", "Display name of the author."),
        text("SourceBranch", "source.branch.name", "Branch the changes come from."),
        text(
            "SourceCommitHash",
            "source.commit.hash",
            "Source commit hash (abbreviated to 12 characters by Bitbucket).",
        ),
        text(
            "SourceRepositoryFullName",
            "source.repository.full_name",
            "Repository the changes come from (a fork for cross-repository pull requests).",
        ),
        text("DestinationBranch", "destination.branch.name", "Branch the changes go into."),
        text(
            "DestinationCommitHash",
            "destination.commit.hash",
            "Destination commit hash (abbreviated to 12 characters).",
        ),
        text(
            "MergeCommitHash",
            "merge_commit.hash",
            "Merge commit hash for merged pull requests (abbreviated).",
        ),
        boolean(
            "CloseSourceBranch",
            "close_source_branch",
            "Whether the source branch is deleted on merge.",
        ),
        text("ClosedByUuid", "closed_by.uuid", "UUID of who merged or declined it."),
        text("Reason", "reason", "Reason given when declining.").len(4000),
        int("CommentCount", "comment_count", "Number of comments."),
        int("TaskCount", "task_count", "Number of tasks."),
        ts("CreatedOn", "created_on", "When the pull request was opened (UTC)."),
        ts("UpdatedOn", "updated_on", "When the pull request last changed (UTC)."),
    ],
    bbql: true,
    q_base: Some(r#"state IN ("OPEN", "MERGED", "DECLINED", "SUPERSEDED")"#),
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/pullrequests",
            &[
                "Title",
                "Description",
                "SourceBranch",
                "DestinationBranch",
                "Draft",
                "CloseSourceBranch",
            ],
        )
        .required(&["Title", "SourceBranch"]),
        WriteOp::new(
            WriteKind::Update,
            Method::Put,
            "/repositories/{workspace}/{repo}/pullrequests/{Id}",
            &["Title", "Description", "DestinationBranch", "Draft", "CloseSourceBranch"],
        )
        .actions(&[
            WriteAction {
                column: "State",
                value: "MERGED",
                method: Method::Post,
                path: "/repositories/{workspace}/{repo}/pullrequests/{Id}/merge",
            },
            WriteAction {
                column: "State",
                value: "DECLINED",
                method: Method::Post,
                path: "/repositories/{workspace}/{repo}/pullrequests/{Id}/decline",
            },
        ]),
    ],
    ..TableDef::BASE
};
