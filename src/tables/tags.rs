use super::defs::*;

pub const TAGS: TableDef = TableDef {
    name: "Tags",
    desc: "Tags of each repository.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/refs/tags",
    columns: &[
        repository_slug(),
        text("Name", "name", "Tag name.").key(),
        text("TargetHash", "target.hash", "Full hash of the tagged commit."),
        ts("TargetDate", "target.date", "Date of the tagged commit (UTC)."),
        text("Message", "message", "Message of an annotated tag; NULL for lightweight tags.").len(4000),
        text("TaggerRaw", "tagger.raw", "Who created an annotated tag: Name <e-mail>."),
        ts("Date", "date", "When an annotated tag was created (UTC)."),
    ],
    bbql: true,
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/refs/tags",
            &["Name", "TargetHash", "Message"],
        )
        .required(&["Name", "TargetHash"]),
        WriteOp::new(
            WriteKind::Delete,
            Method::Delete,
            "/repositories/{workspace}/{repo}/refs/tags/{Name}",
            &[],
        ),
    ],
    ..TableDef::BASE
};
