use super::defs::*;

const ADMIN_ONLY: Option<&str> = Some("reading this needs administrator rights on the repository; it contributes no rows");

/// The rule object Bitbucket takes (exemptions are not columns).
const RULE_FIELDS: &[&str] = &["Kind", "BranchMatchKind", "Pattern", "BranchType", "Value"];

pub const BRANCH_RESTRICTIONS: TableDef = TableDef {
    name: "BranchRestrictions",
    desc: "Branch permissions and merge checks of each repository (needs repository admin).",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/branch-restrictions",
    forbidden_warning: ADMIN_ONLY,
    columns: &[
        repository_slug(),
        int("Id", "id", "Restriction id.").key(),
        text("Kind", "kind", "push, delete, force, require_approvals_to_merge…").param("kind"),
        text("BranchMatchKind", "branch_match_kind", "glob or branching_model."),
        text("Pattern", "pattern", "Branch glob the rule applies to.").param("pattern"),
        text(
            "BranchType",
            "branch_type",
            "Branch type for branching_model rules (feature, release…).",
        ),
        int("Value", "value", "Number the rule needs (e.g. approvals)."),
    ],
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Post,
            "/repositories/{workspace}/{repo}/branch-restrictions",
            RULE_FIELDS,
        )
        .required(&["Kind"]),
        WriteOp::new(
            WriteKind::Update,
            Method::Put,
            "/repositories/{workspace}/{repo}/branch-restrictions/{Id}",
            RULE_FIELDS,
        ),
        WriteOp::new(
            WriteKind::Delete,
            Method::Delete,
            "/repositories/{workspace}/{repo}/branch-restrictions/{Id}",
            &[],
        ),
    ],
    ..TableDef::BASE
};

pub const DEFAULT_REVIEWERS: TableDef = TableDef {
    name: "DefaultReviewers",
    desc: "Default reviewers added to every new pull request of each repository.",
    scope: Scope::Repository,
    list_path: "/repositories/{workspace}/{repo}/default-reviewers",
    forbidden_warning: ADMIN_ONLY,
    columns: &[
        repository_slug(),
        text("UserUuid", "uuid", "UUID of the reviewer.").key().len(38),
        text("UserDisplayName", "display_name", "Display name of the reviewer."),
        text(
            "ReviewerType",
            "=const:repository",
            "repository: the repository's own default reviewers.",
        ),
    ],
    // Bitbucket adds a reviewer with a body-less PUT of the user in the path.
    writes: &[
        WriteOp::new(
            WriteKind::Insert,
            Method::Put,
            "/repositories/{workspace}/{repo}/default-reviewers/{UserUuid}",
            &[],
        ),
        WriteOp::new(
            WriteKind::Delete,
            Method::Delete,
            "/repositories/{workspace}/{repo}/default-reviewers/{UserUuid}",
            &[],
        ),
    ],
    ..TableDef::BASE
};
