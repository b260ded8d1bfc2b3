use super::defs::*;

pub const COMMITS: TableDef = TableDef {
    name: "Commits",
    desc: "Commits of each repository, newest first (an iterator-paginated list).",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/commits",
    revision_path: Some("/repositories/{workspace}/{repo}/commits/{revision}"),
    columns: &[
        repository_slug(),
        text("Hash", "hash", "Full commit hash.").key().len(40),
        ts("Date", "date", "Commit date, converted to UTC."),
        text("Message", "message", "Commit message.").len(8000),
        text("AuthorRaw", "author.raw", "Author as git recorded it: Name <e-mail>."),
        text(
            "AuthorUuid",
            "author.user.uuid",
            "Bitbucket user UUID of the author, when Bitbucket knows them.",
        ),
        text(
            "AuthorDisplayName",
            "author.user.display_name",
            "Bitbucket display name of the author, when known.",
        ),
        text("ParentHashes", "parents[].hash", "Hashes of the parent commits, comma-separated."),
        text(
            "Revision",
            REVISION_PATH,
            "Filter only: WHERE Revision = 'main' lists the history of that branch, tag or commit; NULL otherwise.",
        ),
    ],
    ..TableDef::BASE
};
