use super::defs::*;

pub const WORKSPACE_PERMISSIONS: TableDef = TableDef {
    name: "WorkspacePermissions",
    desc: "Members of the workspace with their role (owner, collaborator or member).",
    list_path: "/workspaces/{workspace}/permissions",
    columns: &[
        text("UserUuid", "user.uuid", "UUID of the member, with braces.").key().len(38),
        text("UserDisplayName", "user.display_name", "Display name of the member."),
        text("Permission", "permission", "owner, collaborator or member."),
        ts(
            "AddedOn",
            "added_on",
            "When the member joined (UTC); NULL for workspaces administered elsewhere.",
        ),
        ts(
            "LastAccessed",
            "last_accessed",
            "When the member last used the workspace (UTC), when Bitbucket knows.",
        ),
    ],
    bbql: true,
    ..TableDef::BASE
};

/// Administrators see everyone's permissions; other users only their own.
pub const REPOSITORY_PERMISSIONS: TableDef = TableDef {
    name: "RepositoryPermissions",
    desc: "Effective permission of each user on each repository (only your own unless you administer the workspace).",
    list_path: "/workspaces/{workspace}/permissions/repositories",
    fallback_path: Some("/user/workspaces/{workspace}/permissions/repositories"),
    columns: &[
        text("RepositorySlug", "=tail:repository.full_name", "Slug of the repository.").key(),
        text("UserUuid", "user.uuid", "UUID of the user, with braces.").key().len(38),
        text("UserDisplayName", "user.display_name", "Display name of the user."),
        text("Permission", "permission", "read, write, admin or none."),
    ],
    bbql: true,
    ..TableDef::BASE
};

/// Explicit project permissions: users and groups, one list each per project.
pub const PROJECT_PERMISSIONS: TableDef = TableDef {
    name: "ProjectPermissions",
    desc: "Explicit permissions granted on each project to users and groups.",
    list_path: "/workspaces/{workspace}/projects/{parent}/permissions-config/users",
    also_paths: &["/workspaces/{workspace}/projects/{parent}/permissions-config/groups"],
    parent: Some(ParentDef {
        table: &super::projects::PROJECTS,
        key_path: "key",
        column: "ProjectKey",
    }),
    columns: &[
        text("ProjectKey", PARENT_PATH, "Key of the project.").key(),
        text("PrincipalType", "=which:user,group", "user or group.").key(),
        text("PrincipalId", "user.uuid|group.slug", "The user's UUID or the group's slug.").key(),
        text(
            "PrincipalName",
            "user.display_name|group.name",
            "Display name of the user or name of the group.",
        ),
        text("Permission", "permission", "read, write, create-repo, admin or none."),
    ],
    ..TableDef::BASE
};
