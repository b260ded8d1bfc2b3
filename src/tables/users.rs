use super::defs::*;

pub const USERS: TableDef = TableDef {
    name: "Users",
    desc: "Members of the workspace.",
    scope: Scope::Workspace,
    list_path: "/workspaces/{workspace}/members",
    max_pagelen: 100,
    columns: &[
        text("Uuid", "user.uuid", "User UUID, with braces.").key().len(38),
        text("AccountId", "user.account_id", "Atlassian account id: stable and GDPR-safe."),
        text("DisplayName", "user.display_name", "Display name."),
        text("Nickname", "user.nickname", "Nickname (not unique; do not rely on it)."),
        text(
            "Email",
            "user.email",
            "E-mail address: only filled for administrators filtering on it (WHERE Email = '…' or IN (…)).",
        ),
    ],
    // Bitbucket reveals e-mails only to administrators asking for given addresses.
    bbql: true,
    q_only: Some("Email"),
    detail: None,
    ..TableDef::BASE
};
