use super::defs::*;

pub const PIPELINES: TableDef = TableDef {
    name: "Pipelines",
    desc: "Bitbucket Pipelines runs of each repository, oldest first.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/pipelines",
    columns: &[
        repository_slug(),
        text("Uuid", "uuid", "Pipeline UUID, with braces.").key().len(38),
        int("BuildNumber", "build_number", "Build number, increasing per repository."),
        text("CreatorUuid", "creator.uuid", "UUID of who or what started the pipeline.").param("creator.uuid"),
        text("TargetRefType", "target.ref_type", "branch, tag or named_branch."),
        text("TargetRefName", "target.ref_name", "Name of the branch or tag built.").param("target.ref_name"),
        text("TargetCommitHash", "target.commit.hash", "Commit built.").param("target.commit.hash"),
        text("TriggerType", "trigger.name", "What started it: PUSH, MANUAL, SCHEDULE…").param("trigger_type"),
        text("StateName", "state.name", "PENDING, IN_PROGRESS or COMPLETED."),
        text(
            "ResultName",
            "state.result.name",
            "For completed pipelines: SUCCESSFUL, FAILED, STOPPED, ERROR.",
        ),
        ts("CreatedOn", "created_on", "When the pipeline was created (UTC)."),
        ts("CompletedOn", "completed_on", "When it completed (UTC); NULL while running."),
        int("BuildSecondsUsed", "build_seconds_used", "Build minutes used, in seconds."),
    ],
    ..TableDef::BASE
};

pub const PIPELINE_STEPS: TableDef = TableDef {
    name: "PipelineSteps",
    desc: "Steps of each pipeline run, with their state and timing.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/pipelines/{parent}/steps",
    parent: Some(ParentDef {
        table: &PIPELINES,
        key_path: "uuid",
        column: "PipelineUuid",
    }),
    columns: &[
        repository_slug(),
        text("PipelineUuid", PARENT_PATH, "Pipeline the step belongs to.").len(38),
        text("Uuid", "uuid", "Step UUID, with braces.").key().len(38),
        text("Name", "name", "Step name."),
        text("StateName", "state.name", "PENDING, READY, IN_PROGRESS or COMPLETED."),
        text(
            "ResultName",
            "state.result.name",
            "SUCCESSFUL, FAILED, ERROR, STOPPED, NOT_RUN or EXPIRED, once completed.",
        ),
        ts("StartedOn", "started_on", "When the step started (UTC)."),
        ts("CompletedOn", "completed_on", "When the step completed (UTC)."),
    ],
    ..TableDef::BASE
};
