use super::defs::*;

const PR_PARENT: Option<ParentDef> = Some(ParentDef {
    table: &super::pull_requests::PULL_REQUESTS,
    key_path: "id",
    column: "PullRequestId",
});

/// Participants come inside the pull request list when asked for, so one list request
/// covers up to 50 pull requests.
pub const PULL_REQUEST_PARTICIPANTS: TableDef = TableDef {
    name: "PullRequestParticipants",
    desc: "Reviewers and participants of each pull request, with their approval state.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/pullrequests",
    max_pagelen: 50,
    query: &[
        ("state", "OPEN"),
        ("state", "MERGED"),
        ("state", "DECLINED"),
        ("state", "SUPERSEDED"),
        ("fields", "next,page,pagelen,size,values.id,values.participants"),
    ],
    explode: Some(ExplodeDef {
        array: "participants",
        key_path: "id",
    }),
    columns: &[
        repository_slug(),
        int("PullRequestId", PARENT_PATH, "Pull request the participant takes part in.").key(),
        text("UserUuid", "user.uuid", "UUID of the participant.").key().len(38),
        text("UserDisplayName", "user.display_name", "Display name of the participant."),
        text("Role", "role", "PARTICIPANT or REVIEWER."),
        boolean("Approved", "approved", "Whether the participant approved."),
        text("State", "state", "approved, changes_requested, or NULL."),
        ts("ParticipatedOn", "participated_on", "When the participant last acted (UTC)."),
    ],
    ..TableDef::BASE
};

/// The repository-wide activity list covers every pull request in one iterator.
pub const PULL_REQUEST_ACTIVITY: TableDef = TableDef {
    name: "PullRequestActivity",
    desc: "Activity of pull requests: updates, approvals, change requests and comments, newest first.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/pullrequests/activity",
    max_pagelen: 50,
    columns: &[
        text("RepositorySlug", REPO_PATH, "Slug of the repository of the pull request."),
        int("PullRequestId", "pull_request.id", "Pull request the activity is about."),
        text(
            "Kind",
            "=which:comment,update,approval,changes_requested",
            "comment, update, approval or changes_requested.",
        ),
        ts(
            "Date",
            "comment.created_on|update.date|approval.date|changes_requested.date",
            "When it happened (UTC).",
        ),
        text(
            "UserUuid",
            "comment.user.uuid|update.author.uuid|approval.user.uuid|changes_requested.user.uuid",
            "Who acted (the author for updates).",
        ),
        text(
            "UserDisplayName",
            "comment.user.display_name|update.author.display_name|approval.user.display_name|changes_requested.user.display_name",
            "Display name of who acted.",
        ),
        text("State", "update.state", "Pull request state set by an update."),
        bigint("CommentId", "comment.id", "Comment id, for comment activity."),
    ],
    ..TableDef::BASE
};

pub const PULL_REQUEST_COMMITS: TableDef = TableDef {
    name: "PullRequestCommits",
    desc: "Commits of each pull request.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/pullrequests/{parent}/commits",
    parent: PR_PARENT,
    columns: &[
        repository_slug(),
        int("PullRequestId", PARENT_PATH, "Pull request containing the commit.").key(),
        text("Hash", "hash", "Full hash of the pull request commit.").key().len(40),
        ts("Date", "date", "Commit date of the pull request commit (UTC)."),
        text("Message", "message", "Message of the pull request commit.").len(8000),
        text("AuthorRaw", "author.raw", "Author of the pull request commit: Name <e-mail>."),
    ],
    ..TableDef::BASE
};

/// Bitbucket redirects this to the repository diffstat of the two commits; the client follows.
pub const PULL_REQUEST_DIFF_STATS: TableDef = TableDef {
    name: "PullRequestDiffStats",
    desc: "Files changed by each pull request, with lines added and removed.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/pullrequests/{parent}/diffstat",
    max_pagelen: 500,
    parent: PR_PARENT,
    columns: &[
        repository_slug(),
        int("PullRequestId", PARENT_PATH, "Pull request changing the file.").key(),
        text("Status", "status", "added, removed, modified or renamed."),
        text("OldPath", "old.path", "Path before the change; NULL for added files.").len(1000),
        text("NewPath", "new.path", "Path after the change; NULL for removed files.")
            .key()
            .nullable()
            .len(1000),
        int("LinesAdded", "lines_added", "Lines added."),
        int("LinesRemoved", "lines_removed", "Lines removed."),
    ],
    ..TableDef::BASE
};
