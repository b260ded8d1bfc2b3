//! Connection properties (contract section 2): one table of names, defaults and
//! descriptions; parsing of connection strings; one typed `Config`.

use std::collections::BTreeMap;

/// One connection property as users and `sys_connection_props` see it.
pub struct PropDef {
    pub name: &'static str,
    pub synonyms: &'static [&'static str],
    pub default: &'static str,
    pub secret: bool,
    pub description: &'static str,
}

const fn p(name: &'static str, default: &'static str, description: &'static str) -> PropDef {
    PropDef {
        name,
        synonyms: &[],
        default,
        secret: false,
        description,
    }
}

pub const PROPS: &[PropDef] = &[
    p(
        "Workspace",
        "",
        "Default catalog: the slug of a Bitbucket workspace. Needed for every table but Workspaces and the sys_ tables.",
    ),
    p(
        "Schema",
        "Information",
        "Default schema: Information (every table, workspace-wide) or a repository slug.",
    ),
    p(
        "AuthScheme",
        "",
        "OAuth, Client, Basic (e-mail + API token), AccessToken (Bearer) or None. Inferred from the other properties when empty.",
    ),
    PropDef {
        name: "User",
        synonyms: &["UID"],
        default: "",
        secret: false,
        description: "For Basic: the Atlassian account e-mail.",
    },
    PropDef {
        name: "Password",
        synonyms: &["PWD"],
        default: "",
        secret: true,
        description: "For Basic: an API token created with Bitbucket scopes.",
    },
    PropDef {
        name: "AccessToken",
        synonyms: &[],
        default: "",
        secret: true,
        description: "For AccessToken: a workspace, project or repository access token, or an OAuth token.",
    },
    p("OAuthClientId", "", "The OAuth consumer's key."),
    PropDef {
        name: "OAuthClientSecret",
        synonyms: &[],
        default: "",
        secret: true,
        description: "The OAuth consumer's secret.",
    },
    p(
        "CallbackURL",
        "http://localhost:33333",
        "Redirect URL registered on the OAuth consumer; the driver listens there (loopback only) during the browser flow.",
    ),
    p("InitiateOAuth", "GETANDREFRESH", "GETANDREFRESH, REFRESH or OFF."),
    p(
        "OAuthSettingsLocation",
        "",
        "File (or directory) where OAuth tokens are persisted, mode 0600; empty: one file per consumer and workspace under the user's config directory.",
    ),
    PropDef {
        name: "OAuthAccessToken",
        synonyms: &[],
        default: "",
        secret: true,
        description: "Seed OAuth access token.",
    },
    PropDef {
        name: "OAuthRefreshToken",
        synonyms: &[],
        default: "",
        secret: true,
        description: "Seed OAuth refresh token.",
    },
    PropDef {
        name: "OAuthVerifier",
        synonyms: &[],
        default: "",
        secret: true,
        description: "An authorization code obtained elsewhere, exchanged for tokens.",
    },
    p(
        "OAuthBrowserTimeout",
        "300",
        "Seconds the browser sign-in may take before the connection gives up with the URL to open by hand.",
    ),
    p(
        "OAuthAuthorizationURL",
        "https://bitbucket.org/site/oauth2/authorize",
        "OAuth authorization endpoint.",
    ),
    p(
        "OAuthAccessTokenURL",
        "https://bitbucket.org/site/oauth2/access_token",
        "OAuth token endpoint.",
    ),
    p("BaseURL", "https://api.bitbucket.org/2.0", "Root of the Bitbucket REST API."),
    p("MaxRows", "-1", "Cap on the rows any query returns; -1 means no cap."),
    p("PageSize", "", "pagelen asked for; empty means each endpoint's maximum."),
    p("MaxConcurrentRequests", "4", "Parallel HTTP requests one query may have in flight."),
    p(
        "MaxRequestsPerQuery",
        "2000",
        "A query that would need more API calls fails instead of burning the hourly budget; 0 = no cap.",
    ),
    p("Timeout", "60", "Seconds allowed for each HTTP request."),
    p(
        "MaxRetries",
        "5",
        "Retries of 429, 5xx, 555 and connection errors for GETs, with backoff.",
    ),
    p("LogFile", "", "Path of a log file. Nothing is ever written to stdout or stderr."),
    p(
        "Verbosity",
        "1",
        "Log detail: 1 errors ... 5 every HTTP request and ODBC call. Secrets are never logged.",
    ),
    p(
        "ProxyServer",
        "",
        "HTTP(S) proxy URL; the standard proxy environment variables are honoured too.",
    ),
    p("IncludeDeleted", "false", "Include soft-deleted comments."),
    p(
        "PushDown",
        "true",
        "Send filters, LIMIT and the selected fields to Bitbucket; false reads everything and filters locally (for comparing results).",
    ),
];

/// Keys a DSN section or connection string may carry that are not driver properties.
const MANAGER_KEYS: &[&str] = &["DSN", "Driver", "Description", "FileDSN", "SaveFile", "Trace", "TraceFile"];

fn canonical(key: &str) -> Option<&'static PropDef> {
    PROPS
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(key) || d.synonyms.iter().any(|s| s.eq_ignore_ascii_case(key)))
}

pub fn is_manager_key(key: &str) -> bool {
    MANAGER_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// `KEY=value;KEY={va;lue}` into ordered pairs; `}}` inside braces is a literal `}`.
pub fn parse_connection_string(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            if !rest.trim().trim_matches(';').is_empty() {
                out.push((rest.trim().to_string(), String::new()));
            }
            break;
        };
        let key = rest[..eq].trim().trim_start_matches(';').trim().to_string();
        rest = &rest[eq + 1..];
        let value;
        if rest.trim_start().starts_with('{') {
            let body = &rest.trim_start()[1..];
            let mut v = String::new();
            let mut chars = body.char_indices().peekable();
            let mut end = body.len();
            while let Some((i, c)) = chars.next() {
                if c == '}' {
                    if let Some((_, '}')) = chars.peek() {
                        v.push('}');
                        chars.next();
                        continue;
                    }
                    end = i + 1;
                    break;
                }
                v.push(c);
            }
            value = v;
            rest = &body[end.min(body.len())..];
            rest = rest.find(';').map(|i| &rest[i + 1..]).unwrap_or("");
        } else {
            let semi = rest.find(';').unwrap_or(rest.len());
            value = rest[..semi].trim().to_string();
            rest = if semi < rest.len() { &rest[semi + 1..] } else { "" };
        }
        if !key.is_empty() {
            out.push((key, value));
        }
    }
    out
}

/// Quotes a value for an out connection string when it needs braces.
pub fn quote_value(v: &str) -> String {
    if v.contains([';', '{', '}', '=']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("{{{}}}", v.replace('}', "}}"))
    } else {
        v.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    OAuth,
    Client,
    Basic,
    AccessToken,
    None,
}

/// The effective, typed configuration of one connection.
#[derive(Clone)]
pub struct Config {
    values: BTreeMap<&'static str, String>,
    /// Keywords that were not recognised (warning 01S00).
    pub unknown: Vec<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.display_pairs()).finish()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl Config {
    /// Merges connection-string pairs over DSN pairs (the connection string wins).
    pub fn from_pairs(conn: &[(String, String)], dsn: &[(String, String)]) -> Config {
        let mut values = BTreeMap::new();
        let mut unknown = Vec::new();
        for (k, v) in dsn {
            if let Some(def) = canonical(k) {
                values.insert(def.name, v.clone());
            }
        }
        for (k, v) in conn {
            match canonical(k) {
                Some(def) => {
                    values.insert(def.name, v.clone());
                }
                None if is_manager_key(k) => {}
                None => unknown.push(k.clone()),
            }
        }
        Config { values, unknown }
    }

    /// The value as set, or the property's default.
    pub fn get(&self, name: &str) -> &str {
        let def = canonical(name).expect("property names are compile-time constants");
        self.values
            .get(def.name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .unwrap_or(def.default)
    }

    pub fn is_set(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    pub fn workspace(&self) -> Option<&str> {
        Some(self.get("Workspace")).filter(|s| !s.is_empty())
    }

    pub fn auth_scheme(&self) -> Result<AuthScheme, ConfigError> {
        let explicit = self.get("AuthScheme");
        if explicit.is_empty() {
            return Ok(if self.is_set("OAuthClientId") {
                AuthScheme::OAuth
            } else if self.is_set("User") {
                AuthScheme::Basic
            } else if self.is_set("AccessToken") {
                AuthScheme::AccessToken
            } else {
                AuthScheme::None
            });
        }
        match explicit.to_ascii_lowercase().as_str() {
            "oauth" => Ok(AuthScheme::OAuth),
            "client" => Ok(AuthScheme::Client),
            "basic" => Ok(AuthScheme::Basic),
            "accesstoken" => Ok(AuthScheme::AccessToken),
            "none" => Ok(AuthScheme::None),
            other => Err(ConfigError(format!(
                "AuthScheme '{other}' is not known: use OAuth, Client, Basic, AccessToken or None"
            ))),
        }
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<T, ConfigError> {
        let v = self.get(name);
        v.trim()
            .parse()
            .map_err(|_| ConfigError(format!("{name}={v} is not a valid number")))
    }

    pub fn max_rows(&self) -> Result<Option<usize>, ConfigError> {
        let n: i64 = self.number("MaxRows")?;
        Ok(usize::try_from(n).ok().filter(|_| n >= 0))
    }
    pub fn timeout_secs(&self) -> Result<u64, ConfigError> {
        self.number("Timeout")
    }
    pub fn max_retries(&self) -> Result<u32, ConfigError> {
        self.number("MaxRetries")
    }
    pub fn max_concurrent(&self) -> Result<usize, ConfigError> {
        Ok(self.number::<usize>("MaxConcurrentRequests")?.max(1))
    }
    pub fn page_size(&self) -> Result<Option<u32>, ConfigError> {
        if self.get("PageSize").is_empty() {
            return Ok(None);
        }
        let n: u32 = self.number("PageSize")?;
        Ok(Some(n).filter(|n| *n > 0))
    }
    pub fn number_usize(&self, name: &str) -> Result<usize, ConfigError> {
        self.number(name)
    }
    pub fn boolean(&self, name: &str) -> Result<bool, ConfigError> {
        let v = self.get(name);
        match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" | "" => Ok(false),
            _ => Err(ConfigError(format!("{name}={v} is not true or false"))),
        }
    }
    pub fn verbosity(&self) -> u8 {
        self.number::<u8>("Verbosity").unwrap_or(1).clamp(1, 5)
    }

    /// Every property with its current value, secrets masked: for logs and sys_ tables.
    pub fn display_pairs(&self) -> Vec<(&'static str, String)> {
        PROPS
            .iter()
            .map(|d| {
                let v = self.get(d.name);
                let shown = if d.secret && !v.is_empty() {
                    "********".to_string()
                } else {
                    v.to_string()
                };
                (d.name, shown)
            })
            .collect()
    }

    /// The out connection string of SQLDriverConnect: what was set, in table order.
    pub fn out_string(&self, dsn: Option<&str>) -> String {
        let mut s = String::new();
        if let Some(d) = dsn {
            s.push_str(&format!("DSN={};", quote_value(d)));
        }
        for d in PROPS {
            if let Some(v) = self.values.get(d.name).filter(|v| !v.is_empty()) {
                s.push_str(&format!("{}={};", d.name, quote_value(v)));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_braces_and_merges() {
        let c = parse_connection_string("DSN=x;Workspace={a;b}}c};uid=me ; Foo=1");
        assert_eq!(c[1], ("Workspace".into(), "a;b}c".into()));
        assert_eq!(c[2], ("uid".into(), "me".into()));
        let cfg = Config::from_pairs(&c, &[("Workspace".into(), "dsnws".into()), ("Timeout".into(), "5".into())]);
        assert_eq!(cfg.get("workspace"), "a;b}c");
        assert_eq!(cfg.get("User"), "me");
        assert_eq!(cfg.get("Timeout"), "5");
        assert_eq!(cfg.unknown, vec!["Foo".to_string()]);
        assert_eq!(cfg.auth_scheme().unwrap(), AuthScheme::Basic);
    }

    #[test]
    fn property_table_is_consistent() {
        let mut names: Vec<_> = PROPS.iter().map(|p| p.name.to_ascii_lowercase()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), PROPS.len(), "duplicate property names");
        assert!(PROPS.iter().all(|p| !p.description.is_empty()));
        let c = Config::from_pairs(&[("PWD".into(), "s3cret".into())], &[]);
        assert!(c.display_pairs().iter().all(|(_, v)| v != "s3cret"));
    }
}

#[cfg(test)]
mod docs {
    /// The README documents every property a user can set.
    #[test]
    fn readme_lists_every_property() {
        let readme = include_str!("../README.md");
        for p in super::PROPS {
            assert!(readme.contains(&format!("`{}`", p.name)), "README misses property {}", p.name);
        }
    }
}
