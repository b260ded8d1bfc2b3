use super::defs::*;

pub const PROJECTS: TableDef = TableDef {
    name: "Projects",
    desc: "Projects of the workspace, which group its repositories.",
    scope: Scope::Workspace,
    list_path: "/workspaces/{workspace}/projects",
    max_pagelen: 100,
    columns: &[
        text("Uuid", "uuid", "Project UUID, with braces.").len(38),
        text("Key", "key", "Project key, upper case (e.g. CORE).").key(),
        text("Name", "name", "Project name."),
        text("Description", "description", "Project description.").len(4000),
        boolean("IsPrivate", "is_private", "Whether the project is private."),
        boolean(
            "HasPubliclyVisibleRepos",
            "has_publicly_visible_repos",
            "Whether any repository of the project is public.",
        ),
        ts("CreatedOn", "created_on", "When the project was created (UTC)."),
        ts("UpdatedOn", "updated_on", "When the project was last updated (UTC)."),
    ],
    detail: None,
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/workspaces/{workspace}/projects",
            &["Key", "Name", "Description", "IsPrivate"],
        )
        .required(&["Key", "Name"]),
        WriteOp::new(
            WriteKind::Update,
            Method::Put,
            "/workspaces/{workspace}/projects/{Key}",
            &["Name", "Description", "IsPrivate"],
        ),
        WriteOp::new(WriteKind::Delete, Method::Delete, "/workspaces/{workspace}/projects/{Key}", &[]),
    ],
    ..TableDef::BASE
};
