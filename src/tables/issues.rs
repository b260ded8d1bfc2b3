use super::defs::*;

/// 404 "Repository has no issue tracker." or 410: no rows and a warning, never an error.
pub const NO_TRACKER: SoftMissing = SoftMissing {
    message_contains: "issue tracker",
    warning: "this repository has no issue tracker (disabled or removed); it contributes no rows",
};

/// What `POST`/`PUT .../issues` take (the reporter is the caller; votes and dates are Bitbucket's).
const ISSUE_FIELDS: &[&str] = &[
    "Title",
    "ContentRaw",
    "State",
    "Kind",
    "Priority",
    "AssigneeUuid",
    "ComponentName",
    "MilestoneName",
    "VersionName",
];

pub const ISSUES: TableDef = TableDef {
    name: "Issues",
    desc: "Issues of each repository's issue tracker (deprecated by Atlassian in favour of Jira).",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/issues",
    soft_missing: Some(NO_TRACKER),
    columns: &[
        repository_slug(),
        int("Id", "id", "Issue number, unique within its repository.").key(),
        text("Title", "title", "Issue title.").len(1000),
        text("ContentRaw", "content.raw", "Issue text as written.").len(8000),
        text(
            "State",
            "state",
            "new, open, resolved, on hold, invalid, duplicate, wontfix or closed.",
        ),
        text("Kind", "kind", "bug, enhancement, proposal or task."),
        text("Priority", "priority", "trivial, minor, major, critical or blocker."),
        text("ReporterUuid", "reporter.uuid", "UUID of the reporter."),
        text("AssigneeUuid", "assignee.uuid", "UUID of the assignee; NULL when unassigned."),
        text("ComponentName", "component.name", "Component."),
        text("MilestoneName", "milestone.name", "Milestone."),
        text("VersionName", "version.name", "Version."),
        int("Votes", "votes", "Number of votes."),
        ts("CreatedOn", "created_on", "When the issue was reported (UTC)."),
        ts("UpdatedOn", "updated_on", "When the issue last changed (UTC)."),
    ],
    bbql: true,
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/issues",
            ISSUE_FIELDS,
        )
        .required(&["Title"]),
        WriteOp::new(
            WriteKind::Update,
            Method::Put,
            "/repositories/{workspace}/{repo}/issues/{Id}",
            ISSUE_FIELDS,
        ),
        WriteOp::new(
            WriteKind::Delete,
            Method::Delete,
            "/repositories/{workspace}/{repo}/issues/{Id}",
            &[],
        ),
    ],
    ..TableDef::BASE
};
