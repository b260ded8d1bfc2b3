use super::defs::*;

pub const ENVIRONMENTS: TableDef = TableDef {
    name: "Environments",
    desc: "Deployment environments of each repository (Test, Staging, Production…).",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/environments",
    columns: &[
        repository_slug(),
        text("Uuid", "uuid", "Environment UUID, with braces.").key().len(38),
        text("Name", "name", "Environment name."),
        text("EnvironmentType", "environment_type.name", "Test, Staging or Production."),
        int("Rank", "rank", "Display order."),
    ],
    ..TableDef::BASE
};

pub const DEPLOYMENTS: TableDef = TableDef {
    name: "Deployments",
    desc: "Deployments of each repository to its environments.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/deployments",
    columns: &[
        repository_slug(),
        text("Uuid", "uuid", "Deployment UUID, with braces.").key().len(38),
        text("EnvironmentUuid", "environment.uuid", "UUID of the environment deployed to."),
        text("StateName", "state.name", "UNDEPLOYED, IN_PROGRESS or COMPLETED."),
        text("StatusName", "state.status.name", "SUCCESSFUL, FAILED or STOPPED, once completed."),
        text("ReleaseName", "release.name", "Name of the release deployed."),
        text("CommitHash", "release.commit.hash", "Commit deployed."),
        ts("StartedOn", "state.start_date", "When the deployment started (UTC)."),
        ts("CompletedOn", "state.completion_date", "When it completed (UTC)."),
    ],
    ..TableDef::BASE
};
