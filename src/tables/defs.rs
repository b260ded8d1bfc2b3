//! The shape of a table declaration.

/// Column types of contract section 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Int,
    BigInt,
    Bool,
    Ts,
    Double,
}

#[derive(Debug)]
pub struct ColumnDef {
    pub name: &'static str,
    pub ty: ColType,
    /// Where the value lives in one row of the endpoint (see `arrow_build::eval_path`):
    /// a dotted JSON path (`project.key`), `detail.x` for the single-object endpoint of
    /// `TableDef::detail`, `list[].field` for a comma-separated list, `a|b` for the first
    /// present of several paths, `=which:a,b` for the name of the first present key, and
    /// `=tail:a` for the text after the last `/` of `a`, `=const:x` for a fixed value.
    pub path: &'static str,
    pub key: bool,
    /// Keys are NOT NULL, except the few Bitbucket leaves empty (a removed file's new path).
    pub not_null: bool,
    /// Declared size in characters for text columns.
    pub len: u32,
    /// Query parameter of the list endpoint that filters on this column (`col = 'x'` is
    /// sent as `?param=x`), for endpoints with their own filters instead of BBQL.
    pub param: Option<&'static str>,
    pub desc: &'static str,
}

impl ColumnDef {
    pub const fn new(name: &'static str, ty: ColType, path: &'static str, desc: &'static str) -> Self {
        let len = match ty {
            ColType::Text => 255,
            ColType::Int => 10,
            ColType::BigInt => 19,
            ColType::Bool => 1,
            ColType::Ts => 26,
            ColType::Double => 15,
        };
        ColumnDef {
            name,
            ty,
            path,
            key: false,
            not_null: false,
            len,
            param: None,
            desc,
        }
    }
    pub const fn key(mut self) -> Self {
        self.key = true;
        self.not_null = true;
        self
    }
    pub const fn param(mut self, name: &'static str) -> Self {
        self.param = Some(name);
        self
    }
    pub const fn nullable(mut self) -> Self {
        self.not_null = false;
        self
    }
    pub const fn len(mut self, len: u32) -> Self {
        self.len = len;
        self
    }
    /// A dotted JSON path with no special syntax: usable as a BBQL field, a sort key or a
    /// `fields` entry.
    pub fn is_plain(&self) -> bool {
        !self.is_detail() && self.path.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    }
    /// Reads the per-row detail object (fetched only when such a column is selected).
    pub fn is_detail(&self) -> bool {
        self.path.starts_with("detail.")
    }
}

pub const fn text(name: &'static str, path: &'static str, desc: &'static str) -> ColumnDef {
    ColumnDef::new(name, ColType::Text, path, desc)
}
pub const fn int(name: &'static str, path: &'static str, desc: &'static str) -> ColumnDef {
    ColumnDef::new(name, ColType::Int, path, desc)
}
pub const fn bigint(name: &'static str, path: &'static str, desc: &'static str) -> ColumnDef {
    ColumnDef::new(name, ColType::BigInt, path, desc)
}
pub const fn boolean(name: &'static str, path: &'static str, desc: &'static str) -> ColumnDef {
    ColumnDef::new(name, ColType::Bool, path, desc)
}
/// The repository column every repository-scoped table starts with.
pub const fn repository_slug() -> ColumnDef {
    text("RepositorySlug", REPO_PATH, "Slug of the repository the row belongs to.").key()
}
/// Path under which the scan stores the row's repository slug.
pub const REPO_PATH: &str = "$repo";
/// Path under which the scan stores the key of the parent row a child row was listed under.
pub const PARENT_PATH: &str = "$parent";
/// Path under which the scan stores the revision a filter-only `Revision` column pinned.
pub const REVISION_PATH: &str = "$revision";

pub const fn ts(name: &'static str, path: &'static str, desc: &'static str) -> ColumnDef {
    ColumnDef::new(name, ColType::Ts, path, desc)
}

/// Where a table's rows come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Needs no workspace (`/user/workspaces`).
    Global,
    /// `{workspace}` in the path.
    Workspace,
    /// `{workspace}` and `{repo}` in the path: one list per repository, fanned out over the
    /// workspace's repositories unless a repository schema pins one.
    Repository,
}

/// A 404 or 410 that means "this repository has none of these", not an error.
#[derive(Debug)]
pub struct SoftMissing {
    /// Text Bitbucket's message contains for this case ("no issue tracker").
    pub message_contains: &'static str,
    /// Warning (01000) shown to the user.
    pub warning: &'static str,
}

/// A single-object endpoint read once per row, for columns the list does not carry.
#[derive(Debug)]
pub struct DetailDef {
    /// Path template with `{key}` replaced by the row's `key_path` value.
    pub path: &'static str,
    pub key_path: &'static str,
}

/// A child table lists its rows under each row of a parent table (`{parent}` in its paths).
#[derive(Debug)]
pub struct ParentDef {
    pub table: &'static TableDef,
    /// JSON path of the parent row's key, substituted for `{parent}`.
    pub key_path: &'static str,
    /// The child column that holds that key (its path is `PARENT_PATH`).
    pub column: &'static str,
}

/// Rows nested in an array of each listed object (participants inside pull requests).
#[derive(Debug)]
pub struct ExplodeDef {
    /// Array whose elements become rows.
    pub array: &'static str,
    /// JSON path of the listed object's key, stored under `PARENT_PATH` in each element.
    pub key_path: &'static str,
}

#[derive(Debug)]
pub struct TableDef {
    pub name: &'static str,
    pub desc: &'static str,
    pub scope: Scope,
    /// List endpoint, `{workspace}` substituted.
    pub list_path: &'static str,
    pub max_pagelen: u32,
    pub columns: &'static [ColumnDef],
    pub detail: Option<DetailDef>,
    /// Fixed query parameters (e.g. every pull-request state: the API defaults to OPEN).
    pub query: &'static [(&'static str, &'static str)],
    pub soft_missing: Option<SoftMissing>,
    /// Fan out over the rows of a parent table.
    pub parent: Option<ParentDef>,
    /// More list endpoints whose rows join the table's (project user and group permissions).
    pub also_paths: &'static [&'static str],
    /// A per-repository list that joins a workspace-level table's rows (repository webhooks).
    pub per_repo_path: Option<&'static str>,
    /// Read instead of `list_path` when the caller may not use it (HTTP 403).
    pub fallback_path: Option<&'static str>,
    /// List path with `{revision}`, used when a query pins the `REVISION_PATH` column.
    pub revision_path: Option<&'static str>,
    pub explode: Option<ExplodeDef>,
    /// Boolean path marking soft-deleted rows, hidden unless IncludeDeleted is set.
    pub deleted_path: Option<&'static str>,
    /// A 403 of one repository during a fan-out skips it with this warning (admin-only lists).
    pub forbidden_warning: Option<&'static str>,
    /// The list endpoint filters with BBQL (`q`) on the fields of plain column paths.
    pub bbql: bool,
    /// The one column an endpoint with a restricted BBQL filters on, always as `IN (...)`
    /// (members accept only `user.email IN (...)`).
    pub q_only: Option<&'static str>,
    /// Always part of a pushed `q` (pull requests: every state, or the API keeps OPEN only).
    pub q_base: Option<&'static str>,
    /// The statements the table accepts (contract section 4, "Writes"); empty = read-only.
    pub writes: &'static [WriteOp],
}

/// Defaults for the optional parts of a declaration (`..TableDef::BASE`).
impl TableDef {
    pub const BASE: TableDef = TableDef {
        name: "",
        desc: "",
        scope: Scope::Workspace,
        list_path: "",
        max_pagelen: 100,
        columns: &[],
        detail: None,
        query: &[],
        soft_missing: None,
        parent: None,
        also_paths: &[],
        per_repo_path: None,
        fallback_path: None,
        revision_path: None,
        explode: None,
        deleted_path: None,
        forbidden_warning: None,
        bbql: false,
        q_only: None,
        q_base: None,
        writes: &[],
    };
}

impl TableDef {
    pub fn write(&self, kind: WriteKind) -> Option<&'static WriteOp> {
        self.writes.iter().find(|w| w.kind == kind)
    }
    /// Whether some statement may set the column (`IsReadOnly` is the opposite).
    pub fn is_writable(&self, column: &str) -> bool {
        self.writes.iter().any(|w| {
            w.columns.iter().chain(w.required).any(|c| c.eq_ignore_ascii_case(column))
                || w.kind == WriteKind::Insert && w.path_columns().any(|c| c.eq_ignore_ascii_case(column))
                || w.actions.iter().any(|a| a.column.eq_ignore_ascii_case(column))
        })
    }
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name))
    }
}

/// A SQL statement a table accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    Insert,
    Update,
    Delete,
}

impl WriteKind {
    pub fn sql(self) -> &'static str {
        match self {
            WriteKind::Insert => "INSERT",
            WriteKind::Update => "UPDATE",
            WriteKind::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Put,
    Delete,
}

/// How one statement becomes requests: one per row (INSERT) or per pinned key (UPDATE,
/// DELETE). `path` holds `{workspace}`, `{repo}` (the `RepositorySlug`) and `{Column}`
/// placeholders, filled from the inserted row or from the WHERE clause's key pins, so the
/// placeholders are exactly the keys an UPDATE or DELETE must pin.
#[derive(Debug)]
pub struct WriteOp {
    pub kind: WriteKind,
    pub method: Method,
    pub path: &'static str,
    /// Columns sent in the JSON body, at their column `path` (`content.raw` nests).
    pub columns: &'static [&'static str],
    /// Body columns an INSERT must give (path placeholders are always required).
    pub required: &'static [&'static str],
    /// Assignments that are requests of their own (`State = 'MERGED'` → POST .../merge).
    pub actions: &'static [WriteAction],
}

impl WriteOp {
    pub const fn new(kind: WriteKind, method: Method, path: &'static str, columns: &'static [&'static str]) -> WriteOp {
        WriteOp {
            kind,
            method,
            path,
            columns,
            required: &[],
            actions: &[],
        }
    }
    pub const fn required(mut self, required: &'static [&'static str]) -> WriteOp {
        self.required = required;
        self
    }
    pub const fn actions(mut self, actions: &'static [WriteAction]) -> WriteOp {
        self.actions = actions;
        self
    }
    /// The column names of the path's placeholders (`{repo}` is `RepositorySlug`).
    pub fn path_columns(&self) -> impl Iterator<Item = &'static str> {
        placeholders(self.path)
            .filter(|p| *p != "workspace")
            .map(|p| if p == "repo" { "RepositorySlug" } else { p })
    }
}

/// `{name}` placeholders of a path template, in order.
pub fn placeholders(path: &'static str) -> impl Iterator<Item = &'static str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

/// An UPDATE assignment of a fixed value that Bitbucket does with its own request.
#[derive(Debug)]
pub struct WriteAction {
    pub column: &'static str,
    pub value: &'static str,
    pub method: Method,
    pub path: &'static str,
}
