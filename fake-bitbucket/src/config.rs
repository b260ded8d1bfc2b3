//! Start-up configuration and the switches that tests may change at run time.
//!
//! Page sizes live in a table because Atlassian says limits are not contractual: tests must be
//! able to shrink them and watch the driver cope.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::data::Scale;

/// Default and maximum `pagelen` of one endpoint family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub default: u32,
    pub max: u32,
}

/// Per-endpoint page limits, keyed by endpoint family name (see [`PageLimits::KEYS`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PageLimits {
    /// Used for families missing from `per_endpoint`.
    pub fallback: Limit,
    pub per_endpoint: BTreeMap<String, Limit>,
}

impl PageLimits {
    /// Family names used by the routes (more appear as endpoints are added).
    pub const KEYS: &'static [&'static str] = &[
        "repositories",
        "projects",
        "members",
        "permissions",
        "user_workspaces",
        "pullrequests",
        "commits",
        "diffstat",
        "pipelines",
        "branches",
        "tags",
        "issues",
        "environments",
        "deployments",
        "comments",
        "activity",
        "pr_commits",
        "statuses",
        "steps",
        "issue_comments",
        "repo_permissions",
        "project_permissions",
        "hooks",
        "branch_restrictions",
        "default_reviewers",
    ];

    pub fn get(&self, key: &str) -> Limit {
        self.per_endpoint.get(key).copied().unwrap_or(self.fallback)
    }

    pub fn set(&mut self, key: &str, limit: Limit) {
        self.per_endpoint.insert(key.to_string(), limit);
    }
}

impl Default for PageLimits {
    /// Values from reference section 2.5.
    fn default() -> Self {
        let l = |default, max| Limit { default, max };
        let mut per_endpoint = BTreeMap::new();
        for (k, v) in [
            ("repositories", l(10, 100)),
            ("projects", l(10, 100)),
            ("permissions", l(10, 100)),
            ("members", l(50, 100)),
            ("user_workspaces", l(25, 100)),
            ("pullrequests", l(10, 50)),
            ("commits", l(30, 100)),
            ("diffstat", l(500, 500)),
            ("pipelines", l(10, 100)),
            ("branches", l(10, 100)),
            ("tags", l(10, 100)),
            ("issues", l(10, 100)),
            ("environments", l(10, 100)),
            ("deployments", l(10, 100)),
            ("comments", l(10, 100)),
            ("activity", l(20, 50)),
            ("pr_commits", l(10, 100)),
            ("statuses", l(10, 100)),
            ("steps", l(10, 100)),
            ("issue_comments", l(10, 100)),
            ("repo_permissions", l(10, 100)),
            ("project_permissions", l(10, 100)),
            ("hooks", l(10, 100)),
            ("branch_restrictions", l(10, 100)),
            ("default_reviewers", l(10, 100)),
        ] {
            per_endpoint.insert(k.to_string(), v);
        }
        PageLimits {
            fallback: l(10, 100),
            per_endpoint,
        }
    }
}

/// Fail the next `count` API requests with `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailNext {
    pub count: u32,
    pub status: u16,
}

/// Fail every API request whose path contains `contains` with `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailPath {
    pub contains: String,
    pub status: u16,
}

/// Where a dropped connection is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DropAt {
    /// The status line and headers are sent, then the connection closes before any body.
    Headers,
    /// Headers and the first half of the body are sent, then the connection closes: the
    /// client holds a truncated JSON document.
    #[default]
    Body,
}

impl DropAt {
    pub fn as_str(self) -> &'static str {
        match self {
            DropAt::Headers => "headers",
            DropAt::Body => "body",
        }
    }

    pub fn by_name(s: &str) -> Option<DropAt> {
        match s {
            "headers" => Some(DropAt::Headers),
            "body" => Some(DropAt::Body),
            _ => None,
        }
    }
}

/// Drop the connection of the next `count` API requests (no status the client can read),
/// after letting `after` requests through untouched (to hit a page in the middle of a scan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropNext {
    pub count: u32,
    pub at: DropAt,
    pub after: u32,
}

/// Drop the connection of every API request whose path contains `contains`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropPath {
    pub contains: String,
    pub at: DropAt,
}

/// Fault-injection switches, settable as one block with `FakeServer::set_faults`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    pub latency_ms: u64,
    pub fail_next: Option<FailNext>,
    pub fail_path: Option<FailPath>,
    /// A dropped connection: the request is processed (and logged) as usual, but the response
    /// stream is cut after the headers or halfway through the body.
    pub drop_next: Option<DropNext>,
    pub drop_path: Option<DropPath>,
}

/// How `state=` combines with `q` on pull-request lists (reference 3.3, 8.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrStateWithQ {
    /// Both filters apply (AND).
    #[default]
    And,
    /// `state=` parameters are ignored once `q` is present (a 2019 report).
    IgnoreState,
}

impl PrStateWithQ {
    pub fn as_str(self) -> &'static str {
        match self {
            PrStateWithQ::And => "and",
            PrStateWithQ::IgnoreState => "ignore_state",
        }
    }
}

/// Everything that can change while the server runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Switches {
    pub faults: Faults,
    pub limits: PageLimits,
    /// `(requests, window)` per credential, rolling window; `None` = unlimited.
    pub rate_limit: Option<(u32, Duration)>,
    /// Send `Retry-After` on 429 (production historically does not).
    pub retry_after: bool,
    /// A page past the end answers 404 instead of 200 with empty `values`.
    pub past_end_404: bool,
    /// Emit JSON as ASCII with `\uXXXX` escapes (surrogate pairs for emoji).
    pub escape_unicode: bool,
    /// BCLOUD-20639: pipelines lists send `page`/`size`/`pagelen` but no `next` (default on).
    pub pipelines_omit_next: bool,
    /// Endpoints without BBQL (commits, pipelines) answer 400 to `q` instead of ignoring it.
    pub reject_unsupported_q: bool,
    pub pr_state_with_q: PrStateWithQ,
    /// Tests only: list endpoints always take the generic path (every row rendered, then
    /// paged), so the page-only fast paths can be checked byte for byte against it.
    #[doc(hidden)]
    pub generic_lists: bool,
}

/// Start-up configuration of a [`crate::FakeServer`].
#[derive(Debug, Clone)]
pub struct FakeConfig {
    pub seed: u64,
    pub scale: Scale,
    /// 0 = any free port.
    pub port: u16,
    pub latency_ms: u64,
    pub limits: PageLimits,
    pub rate_limit: Option<(u32, Duration)>,
    pub retry_after: bool,
    pub past_end_404: bool,
    pub escape_unicode: bool,
    pub pipelines_omit_next: bool,
    pub reject_unsupported_q: bool,
    pub pr_state_with_q: PrStateWithQ,
    /// Memory bound of the rendered-response cache (0 = no cache), see `cache.rs`.
    pub response_cache_bytes: usize,
}

/// Default bound of the rendered-response cache: 512 MiB.
pub const DEFAULT_RESPONSE_CACHE_BYTES: usize = 512 << 20;

impl Default for FakeConfig {
    fn default() -> Self {
        FakeConfig {
            seed: 42,
            scale: Scale::small(),
            port: 0,
            latency_ms: 0,
            limits: PageLimits::default(),
            rate_limit: None,
            retry_after: false,
            past_end_404: false,
            escape_unicode: true,
            pipelines_omit_next: true,
            reject_unsupported_q: false,
            pr_state_with_q: PrStateWithQ::And,
            response_cache_bytes: DEFAULT_RESPONSE_CACHE_BYTES,
        }
    }
}

impl FakeConfig {
    /// The initial run-time switches.
    pub fn switches(&self) -> Switches {
        Switches {
            faults: Faults {
                latency_ms: self.latency_ms,
                fail_next: None,
                fail_path: None,
                drop_next: None,
                drop_path: None,
            },
            limits: self.limits.clone(),
            rate_limit: self.rate_limit,
            retry_after: self.retry_after,
            past_end_404: self.past_end_404,
            escape_unicode: self.escape_unicode,
            pipelines_omit_next: self.pipelines_omit_next,
            reject_unsupported_q: self.reject_unsupported_q,
            pr_state_with_q: self.pr_state_with_q,
            generic_lists: false,
        }
    }
}
