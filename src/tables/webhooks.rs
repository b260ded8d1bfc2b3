use super::defs::*;

/// Workspace hooks, then every repository's hooks.
pub const WEBHOOKS: TableDef = TableDef {
    name: "Webhooks",
    desc: "Webhook subscriptions of the workspace and of each of its repositories.",
    list_path: "/workspaces/{workspace}/hooks",
    per_repo_path: Some("/repositories/{workspace}/{repo}/hooks"),
    forbidden_warning: Some("reading webhooks needs administrator rights on this repository; its webhooks are not listed"),
    columns: &[
        text("Uuid", "uuid", "Webhook UUID, with braces.").key().len(38),
        text("RepositorySlug", REPO_PATH, "Repository of the hook; NULL for workspace hooks."),
        text("Url", "url", "URL Bitbucket posts events to.").len(2000),
        text("Description", "description", "Description of the hook."),
        boolean("Active", "active", "Whether the hook is enabled."),
        text(
            "Events",
            "events",
            "Subscribed events, comma-separated (repo:push,pullrequest:created…).",
        )
        .len(4000),
        ts("CreatedAt", "created_at", "When the hook was created (UTC)."),
    ],
    ..TableDef::BASE
};
