use super::defs::*;

pub const BRANCHES: TableDef = TableDef {
    name: "Branches",
    desc: "Open branches of each repository, with their head commit.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/refs/branches",
    columns: &[
        repository_slug(),
        text("Name", "name", "Branch name; may contain '/'.").key(),
        text("TargetHash", "target.hash", "Full hash of the branch's head commit."),
        ts("TargetDate", "target.date", "Date of the head commit (UTC)."),
        text("TargetMessage", "target.message", "Message of the head commit.").len(4000),
        text(
            "TargetAuthorRaw",
            "target.author.raw",
            "Author of the head commit as git recorded it: Name <e-mail>.",
        ),
        text(
            "TargetAuthorUuid",
            "target.author.user.uuid",
            "Bitbucket user UUID of the head commit's author, when known.",
        ),
        text(
            "DefaultMergeStrategy",
            "default_merge_strategy",
            "Merge strategy used by default for pull requests into this branch.",
        ),
        text("MergeStrategies", "merge_strategies", "Allowed merge strategies, comma-separated."),
    ],
    bbql: true,
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/refs/branches",
            &["Name", "TargetHash"],
        )
        .required(&["Name", "TargetHash"]),
        WriteOp::new(
            WriteKind::Delete,
            Method::Delete,
            "/repositories/{workspace}/{repo}/refs/branches/{Name}",
            &[],
        ),
    ],
    ..TableDef::BASE
};
