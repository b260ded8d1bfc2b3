use super::defs::*;

pub const PULL_REQUEST_COMMENTS: TableDef = TableDef {
    name: "PullRequestComments",
    desc: "Comments on pull requests, general and inline (soft-deleted ones only with IncludeDeleted).",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/pullrequests/{parent}/comments",
    parent: Some(ParentDef {
        table: &super::pull_requests::PULL_REQUESTS,
        key_path: "id",
        column: "PullRequestId",
    }),
    deleted_path: Some("deleted"),
    columns: &[
        repository_slug(),
        int("PullRequestId", PARENT_PATH, "Pull request the comment belongs to."),
        bigint("Id", "id", "Comment id.").key(),
        text("ContentRaw", "content.raw", "Comment text as written (markdown).").len(8000),
        text("UserUuid", "user.uuid", "UUID of the commenter."),
        text("UserDisplayName", "user.display_name", "Display name of the commenter."),
        bigint("ParentId", "parent.id", "Comment this one replies to; NULL for top-level comments."),
        text(
            "InlinePath",
            "inline.path",
            "File an inline comment is attached to; NULL for general comments.",
        )
        .len(1000),
        int("InlineFrom", "inline.from", "Line in the old version an inline comment is on."),
        int("InlineTo", "inline.to", "Line in the new version an inline comment is on."),
        boolean("Deleted", "deleted", "Whether the comment was deleted."),
        boolean(
            "Pending",
            "pending",
            "Whether the comment is a pending (unpublished) review comment.",
        ),
        ts("CreatedOn", "created_on", "When the comment was posted (UTC)."),
        ts("UpdatedOn", "updated_on", "When the comment was last edited (UTC)."),
    ],
    bbql: true,
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/pullrequests/{PullRequestId}/comments",
            &["ContentRaw", "ParentId", "InlinePath", "InlineFrom", "InlineTo"],
        )
        .required(&["ContentRaw"]),
        WriteOp::new(
            WriteKind::Update,
            Method::Put,
            "/repositories/{workspace}/{repo}/pullrequests/{PullRequestId}/comments/{Id}",
            &["ContentRaw"],
        ),
        WriteOp::new(
            WriteKind::Delete,
            Method::Delete,
            "/repositories/{workspace}/{repo}/pullrequests/{PullRequestId}/comments/{Id}",
            &[],
        ),
    ],
    ..TableDef::BASE
};

pub const COMMIT_COMMENTS: TableDef = TableDef {
    name: "CommitComments",
    desc: "Comments on commits (soft-deleted ones only with IncludeDeleted).",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/commit/{parent}/comments",
    parent: Some(ParentDef {
        table: &super::commits::COMMITS,
        key_path: "hash",
        column: "CommitHash",
    }),
    deleted_path: Some("deleted"),
    columns: &[
        repository_slug(),
        text("CommitHash", PARENT_PATH, "Commit the comment is on.").len(40),
        bigint("Id", "id", "Commit comment id.").key(),
        text("ContentRaw", "content.raw", "Commit comment text as written (markdown).").len(8000),
        text("UserUuid", "user.uuid", "UUID of the commit commenter."),
        text("UserDisplayName", "user.display_name", "Display name of the commit commenter."),
        bigint("ParentId", "parent.id", "Commit comment this one replies to."),
        text("InlinePath", "inline.path", "File an inline commit comment is attached to.").len(1000),
        boolean("Deleted", "deleted", "Whether the commit comment was deleted."),
        ts("CreatedOn", "created_on", "When the commit comment was posted (UTC)."),
        ts("UpdatedOn", "updated_on", "When the commit comment was last edited (UTC)."),
    ],
    bbql: true,
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/commit/{CommitHash}/comments",
            &["ContentRaw", "ParentId", "InlinePath"],
        )
        .required(&["ContentRaw"]),
        WriteOp::new(
            WriteKind::Update,
            Method::Put,
            "/repositories/{workspace}/{repo}/commit/{CommitHash}/comments/{Id}",
            &["ContentRaw"],
        ),
        WriteOp::new(
            WriteKind::Delete,
            Method::Delete,
            "/repositories/{workspace}/{repo}/commit/{CommitHash}/comments/{Id}",
            &[],
        ),
    ],
    ..TableDef::BASE
};

pub const ISSUE_COMMENTS: TableDef = TableDef {
    name: "IssueComments",
    desc: "Comments on issues of each repository's issue tracker.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/issues/{parent}/comments",
    parent: Some(ParentDef {
        table: &super::issues::ISSUES,
        key_path: "id",
        column: "IssueId",
    }),
    soft_missing: Some(super::issues::NO_TRACKER),
    columns: &[
        repository_slug(),
        int("IssueId", PARENT_PATH, "Issue the comment belongs to."),
        bigint("Id", "id", "Issue comment id.").key(),
        text("ContentRaw", "content.raw", "Issue comment text as written.").len(8000),
        text("UserUuid", "user.uuid", "UUID of the issue commenter."),
        ts("CreatedOn", "created_on", "When the issue comment was posted (UTC)."),
        ts("UpdatedOn", "updated_on", "When the issue comment was last edited (UTC)."),
    ],
    bbql: true,
    // Bitbucket addresses a comment under its issue, so UPDATE and DELETE pin IssueId too.
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/issues/{IssueId}/comments",
            &["ContentRaw"],
        )
        .required(&["ContentRaw"]),
        WriteOp::new(
            WriteKind::Update,
            Method::Put,
            "/repositories/{workspace}/{repo}/issues/{IssueId}/comments/{Id}",
            &["ContentRaw"],
        ),
        WriteOp::new(
            WriteKind::Delete,
            Method::Delete,
            "/repositories/{workspace}/{repo}/issues/{IssueId}/comments/{Id}",
            &[],
        ),
    ],
    ..TableDef::BASE
};
