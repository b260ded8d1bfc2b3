use super::defs::*;

/// `/user/workspaces` gives slug and uuid; name and the rest need `/workspaces/{slug}`.
pub const WORKSPACES: TableDef = TableDef {
    name: "Workspaces",
    desc: "Workspaces the credentials can access.",
    scope: Scope::Global,
    list_path: "/user/workspaces",
    max_pagelen: 100,
    columns: &[
        text("Uuid", "workspace.uuid", "Workspace UUID, with braces.").key().len(38),
        text(
            "Slug",
            "workspace.slug",
            "Workspace slug: the catalog name and the {workspace} of API paths.",
        ),
        text(
            "Name",
            "detail.name",
            "Workspace display name (read from the workspace itself, only when selected).",
        ),
        boolean("IsPrivate", "detail.is_private", "Whether the workspace is private."),
        boolean(
            "IsAdministrator",
            "administrator",
            "Whether the connected user administers this workspace.",
        ),
        text(
            "ForkingMode",
            "detail.forking_mode",
            "Who may fork its repositories: allow_forks or internal_only.",
        ),
        ts("CreatedOn", "detail.created_on", "When the workspace was created (UTC)."),
        ts("UpdatedOn", "detail.updated_on", "When the workspace was last updated (UTC)."),
    ],
    detail: Some(DetailDef {
        path: "/workspaces/{key}",
        key_path: "workspace.slug",
    }),
    ..TableDef::BASE
};
