//! Hand-written rows: the notable cases tests look for (unicode, emoji, RTL, quotes and
//! backslashes, empty repo, fork, disabled issue tracker, absent/empty descriptions).
//! UUIDs and most timestamps still come from the seed.

use super::rng::utc;
use super::{Ts, WorkspaceRole};

pub struct UserSpec {
    pub nickname: &'static str,
    pub display_name: &'static str,
    pub email: &'static str,
}

pub const BOT_NICKNAME: &str = "acme-workspace-token";

pub const USERS: &[UserSpec] = &[
    UserSpec {
        nickname: "analyst",
        display_name: "Ana Analyst",
        email: "analyst@example.com",
    },
    UserSpec {
        nickname: "viewer",
        display_name: "Vic Viewer",
        email: "viewer@example.com",
    },
    UserSpec {
        nickname: "jose.muller",
        display_name: "José Müller",
        email: "jose.muller@example.com",
    },
    UserSpec {
        nickname: "zoe",
        display_name: "Zoë Ñúñez 🎸",
        email: "zoe@example.com",
    },
    UserSpec {
        nickname: "li.xiaolong",
        display_name: "李小龍",
        email: "li@example.com",
    },
    UserSpec {
        nickname: "aegir",
        display_name: "Ægir Þórsson",
        email: "aegir@example.com",
    },
    UserSpec {
        nickname: "renee",
        display_name: "Renée O'Connor",
        email: "renee@example.com",
    },
    UserSpec {
        nickname: "mohammed",
        display_name: "محمد علي",
        email: "mohammed@example.com",
    },
    UserSpec {
        nickname: "peter",
        display_name: "Peter Gibbons",
        email: "peter@initech.example",
    },
    UserSpec {
        nickname: "milton",
        display_name: "Milton Waddams",
        email: "milton@initech.example",
    },
    UserSpec {
        nickname: "bill",
        display_name: "Bill Lumbergh",
        email: "bill@initech.example",
    },
];

pub struct WorkspaceSpec {
    pub slug: &'static str,
    pub name: &'static str,
    pub is_private: bool,
    pub is_privacy_enforced: bool,
    pub forking_mode: &'static str,
}

pub const WORKSPACES: &[WorkspaceSpec] = &[
    WorkspaceSpec {
        slug: "acme",
        name: "Acme Corporation",
        is_private: false,
        is_privacy_enforced: false,
        forking_mode: "allow_forks",
    },
    WorkspaceSpec {
        slug: "globex",
        name: "Globex Corporation",
        is_private: false,
        is_privacy_enforced: false,
        forking_mode: "internal_only",
    },
    // The default user is not a member; all its repos are private (404 for the user).
    WorkspaceSpec {
        slug: "initech",
        name: "Initech",
        is_private: false,
        is_privacy_enforced: true,
        forking_mode: "internal_only",
    },
];

/// (workspace slug, user nickname, role, ever accessed)
pub const MEMBERS: &[(&str, &str, WorkspaceRole, bool)] = &[
    ("acme", "analyst", WorkspaceRole::Owner, true),
    ("acme", "aegir", WorkspaceRole::Owner, true),
    ("acme", "viewer", WorkspaceRole::Member, true),
    ("acme", "jose.muller", WorkspaceRole::Collaborator, true),
    ("acme", "zoe", WorkspaceRole::Member, true),
    ("acme", "li.xiaolong", WorkspaceRole::Member, true),
    ("acme", "renee", WorkspaceRole::Member, true),
    ("globex", "jose.muller", WorkspaceRole::Owner, true),
    ("globex", "mohammed", WorkspaceRole::Owner, true),
    ("globex", "analyst", WorkspaceRole::Member, true),
    ("globex", "zoe", WorkspaceRole::Member, false),
    ("globex", "renee", WorkspaceRole::Collaborator, true),
    ("globex", "viewer", WorkspaceRole::Member, true),
    ("initech", "peter", WorkspaceRole::Owner, true),
    ("initech", "bill", WorkspaceRole::Owner, true),
    ("initech", "milton", WorkspaceRole::Member, false),
    ("initech", "aegir", WorkspaceRole::Member, true),
    ("initech", "li.xiaolong", WorkspaceRole::Member, true),
];

pub struct ProjectSpec {
    pub workspace: &'static str,
    pub key: &'static str,
    pub name: &'static str,
    pub description: Option<&'static str>,
    pub is_private: bool,
}

pub const PROJECTS: &[ProjectSpec] = &[
    ProjectSpec {
        workspace: "acme",
        key: "CORE",
        name: "Core Platform",
        description: Some("Core services and shared libraries"),
        is_private: true,
    },
    ProjectSpec {
        workspace: "acme",
        key: "WEB",
        name: "Web & Mobile",
        description: Some("Customer-facing applications"),
        is_private: false,
    },
    ProjectSpec {
        workspace: "acme",
        key: "DATA",
        name: "Données & Analytique ✨",
        description: Some("Pipelines et entrepôt de données"),
        is_private: true,
    },
    ProjectSpec {
        workspace: "acme",
        key: "OPS",
        name: "Operations",
        description: Some(""),
        is_private: true,
    },
    ProjectSpec {
        workspace: "acme",
        key: "LAB",
        name: "Labs",
        description: None,
        is_private: false,
    },
    ProjectSpec {
        workspace: "globex",
        key: "GLX",
        name: "Globex Main",
        description: Some("Main product line"),
        is_private: false,
    },
    ProjectSpec {
        workspace: "globex",
        key: "FIN",
        name: "Finance",
        description: Some("Billing & invoicing"),
        is_private: true,
    },
    ProjectSpec {
        workspace: "globex",
        key: "OPS",
        name: "Ops",
        description: Some("Operations team"),
        is_private: true,
    },
    ProjectSpec {
        workspace: "initech",
        key: "TPS",
        name: "TPS Reports",
        description: Some("Cover sheets included"),
        is_private: true,
    },
    ProjectSpec {
        workspace: "initech",
        key: "INF",
        name: "Infrastructure",
        description: Some("Servers in the basement"),
        is_private: true,
    },
];

pub struct RepoSpec {
    pub workspace: &'static str,
    pub slug: &'static str,
    pub name: &'static str,
    pub project: &'static str,
    pub description: &'static str,
    pub language: &'static str,
    pub website: Option<&'static str>,
    pub is_private: bool,
    pub has_issues: bool,
    pub has_wiki: bool,
    pub fork_policy: &'static str,
    /// No commits: `mainbranch` null, size 0.
    pub empty: bool,
    /// Slug of the parent (same workspace) for forks.
    pub parent: Option<&'static str>,
    /// Fixed `created_on` for rows whose timestamp format tests rely on.
    pub created_on: Option<Ts>,
}

const fn repo(workspace: &'static str, slug: &'static str, name: &'static str, project: &'static str) -> RepoSpec {
    RepoSpec {
        workspace,
        slug,
        name,
        project,
        description: "",
        language: "python",
        website: None,
        is_private: true,
        has_issues: true,
        has_wiki: false,
        fork_policy: "allow_forks",
        empty: false,
        parent: None,
        created_on: None,
    }
}

/// Hand-written repositories, in generation order. The first `n` of a workspace are used when
/// a scale asks for fewer.
pub fn repos() -> Vec<RepoSpec> {
    vec![
        RepoSpec {
            description: "Core REST services for Acme",
            language: "rust",
            website: Some("https://acme.example.com"),
            fork_policy: "no_public_forks",
            created_on: Some(utc(2019, 3, 14, 9, 26, 53, 589_793)),
            ..repo("acme", "core-api", "Core API", "CORE")
        },
        RepoSpec {
            description: "Ünïcödé test: naïve café, 日本語, Ελληνικά",
            is_private: false,
            created_on: Some(utc(2019, 5, 1, 12, 0, 0, 0)),
            ..repo("acme", "cafe-unicode", "Café Ünïcödé", "WEB")
        },
        RepoSpec {
            description: "Launches 🚀 to the moon 🌕",
            language: "go",
            is_private: false,
            ..repo("acme", "rocket-launcher", "Rocket Launcher", "LAB")
        },
        RepoSpec {
            description: "توثيق المشروع باللغة العربية — תיעוד בעברית",
            language: "",
            has_wiki: true,
            ..repo("acme", "rtl-docs", "RTL Docs", "DATA")
        },
        RepoSpec {
            description: r#"He said "hello" and left C:\temp\new behind"#,
            language: "javascript",
            is_private: false,
            ..repo("acme", "quote-escape", "Quote Escape", "WEB")
        },
        RepoSpec {
            language: "",
            empty: true,
            ..repo("acme", "empty-repo", "Empty Repo", "LAB")
        },
        RepoSpec {
            description: "Fork of Core API for experiments",
            language: "rust",
            parent: Some("core-api"),
            ..repo("acme", "core-api-fork", "Core API (fork)", "CORE")
        },
        RepoSpec {
            description: "Old tracker, issues disabled",
            language: "java",
            is_private: false,
            has_issues: false,
            ..repo("acme", "legacy-tracker", "Legacy Tracker", "WEB")
        },
        RepoSpec {
            description: "Customer web front end",
            language: "typescript",
            is_private: false,
            website: Some("https://www.acme.example.com"),
            ..repo("acme", "web-frontend", "Web Frontend", "WEB")
        },
        RepoSpec {
            description: "Terraform for all environments",
            language: "hcl",
            fork_policy: "no_forks",
            ..repo("acme", "infra-terraform", "Infra Terraform", "OPS")
        },
        RepoSpec {
            description: "Nightly ETL jobs",
            has_wiki: true,
            ..repo("acme", "data-pipeline", "Data Pipeline", "DATA")
        },
        RepoSpec {
            description: "Android and iOS apps",
            language: "kotlin",
            ..repo("acme", "mobile-app", "Mobile App", "WEB")
        },
        RepoSpec {
            description: "Public customer portal",
            language: "php",
            is_private: false,
            ..repo("globex", "globex-portal", "Globex Portal", "GLX")
        },
        RepoSpec {
            description: "Invoices and payments",
            language: "java",
            ..repo("globex", "globex-billing", "Globex Billing", "FIN")
        },
        RepoSpec {
            description: "Reporting cubes",
            language: "scala",
            ..repo("globex", "globex-analytics", "Globex Analytics", "GLX")
        },
        RepoSpec {
            description: "Runbooks and scripts",
            language: "shell",
            ..repo("globex", "globex-ops", "Globex Ops", "OPS")
        },
        RepoSpec {
            description: "Marketing site",
            language: "html/css",
            is_private: false,
            ..repo("globex", "globex-site", "Globex Site", "GLX")
        },
        RepoSpec {
            description: "TPS report generator",
            language: "c",
            ..repo("initech", "tps-reports", "TPS Reports", "TPS")
        },
        RepoSpec {
            description: "Stapler inventory",
            language: "perl",
            ..repo("initech", "red-stapler", "Red Stapler", "INF")
        },
        RepoSpec {
            description: "Storage room B",
            language: "cobol",
            ..repo("initech", "milton-basement", "Milton Basement", "INF")
        },
    ]
}

/// Languages for generated filler repositories (empty string included on purpose).
pub const LANGUAGES: &[&str] = &["python", "rust", "go", "java", "typescript", "", "c++", "ruby"];
