use super::defs::*;

/// Settings `POST`/`PUT /repositories/{workspace}/{slug}` take.
const REPO_FIELDS: &[&str] = &[
    "Name",
    "Description",
    "ProjectKey",
    "IsPrivate",
    "ForkPolicy",
    "Language",
    "HasIssues",
    "HasWiki",
];

pub const REPOSITORIES: TableDef = TableDef {
    name: "Repositories",
    desc: "Repositories of the workspace that the credentials can see.",
    scope: Scope::Workspace,
    list_path: "/repositories/{workspace}",
    max_pagelen: 100,
    columns: &[
        text("Uuid", "uuid", "Repository UUID, with braces.").len(38),
        text("Slug", "slug", "Repository slug: the schema name of its repository-scoped tables.").key(),
        text("FullName", "full_name", "workspace/slug."),
        text("Name", "name", "Repository display name."),
        text("Description", "description", "Repository description.").len(4000),
        text("ProjectKey", "project.key", "Key of the project holding the repository."),
        text("ProjectName", "project.name", "Name of the project holding the repository."),
        boolean("IsPrivate", "is_private", "Whether the repository is private."),
        text("ForkPolicy", "fork_policy", "allow_forks, no_public_forks or no_forks."),
        text("Language", "language", "Main language, as set on the repository."),
        bigint("Size", "size", "Size in bytes."),
        text(
            "MainBranch",
            "mainbranch.name",
            "Name of the main branch; NULL for an empty repository.",
        ),
        boolean("HasIssues", "has_issues", "Whether the issue tracker is enabled."),
        boolean("HasWiki", "has_wiki", "Whether the wiki is enabled."),
        text(
            "ParentFullName",
            "parent.full_name",
            "For a fork, the full name of the repository it was forked from.",
        ),
        ts("CreatedOn", "created_on", "When the repository was created (UTC)."),
        ts("UpdatedOn", "updated_on", "When the repository was last updated (UTC)."),
    ],
    detail: None,
    bbql: true,
    // The slug is part of the path: Bitbucket creates `/repositories/{workspace}/{slug}`.
    writes: &[
        WriteOp::new(WriteKind::Insert, Method::Post, "/repositories/{workspace}/{Slug}", REPO_FIELDS),
        WriteOp::new(WriteKind::Update, Method::Put, "/repositories/{workspace}/{Slug}", REPO_FIELDS),
        WriteOp::new(WriteKind::Delete, Method::Delete, "/repositories/{workspace}/{Slug}", &[]),
    ],
    ..TableDef::BASE
};
