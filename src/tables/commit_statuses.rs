use super::defs::*;

/// The body of `POST .../statuses/build` (reference 4.7).
const STATUS_FIELDS: &[&str] = &["Key", "State", "Name", "Description", "Url", "RefName"];

pub const COMMIT_STATUSES: TableDef = TableDef {
    name: "CommitStatuses",
    desc: "Build statuses reported on commits by CI systems.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/commit/{parent}/statuses",
    parent: Some(ParentDef {
        table: &super::commits::COMMITS,
        key_path: "hash",
        column: "CommitHash",
    }),
    columns: &[
        repository_slug(),
        text("CommitHash", PARENT_PATH, "Commit the status is reported on.").key().len(40),
        text("Key", "key", "Identifies the status among the commit's statuses.").key(),
        text("State", "state", "SUCCESSFUL, FAILED, INPROGRESS or STOPPED."),
        text("Name", "name", "Name of the build."),
        text("Description", "description", "Description of the build result.").len(1000),
        text("Url", "url", "Link to the build.").len(2000),
        text("RefName", "refname", "Branch or tag the build ran for."),
        ts("CreatedOn", "created_on", "When the status was first reported (UTC)."),
        ts("UpdatedOn", "updated_on", "When the status last changed (UTC)."),
    ],
    bbql: true,
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/commit/{CommitHash}/statuses/build",
            STATUS_FIELDS,
        )
        .required(&["Key", "State"]),
        WriteOp::new(
            WriteKind::Update,
            Method::Put,
            "/repositories/{workspace}/{repo}/commit/{CommitHash}/statuses/build/{Key}",
            &["State", "Name", "Description", "Url", "RefName"],
        ),
    ],
    ..TableDef::BASE
};
