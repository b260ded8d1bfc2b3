//! JSON payloads for data-set entities, full and condensed (reference sections 4 and 7).
//! Every `links.*.href` is built from the server's own address, never api.bitbucket.org.

pub mod comments;
pub mod git;
pub mod issues;
pub mod permissions;
pub mod pipelines;
pub mod pullrequests;
pub mod statuses;

use serde_json::{json, Map, Value};

use crate::data::{fmt_ts, AccountKind, Dataset, Membership, Project, Repository, User, Workspace};

/// The server's own addresses: `api` = `http://127.0.0.1:PORT/2.0`, `web` = `http://127.0.0.1:PORT`.
#[derive(Debug, Clone)]
pub struct Links {
    pub api: String,
    pub web: String,
}

impl Links {
    pub fn new(web_root: &str) -> Self {
        Links {
            api: format!("{web_root}/2.0"),
            web: web_root.to_string(),
        }
    }

    fn api(&self, path: &str) -> Value {
        json!({ "href": format!("{}{}", self.api, path) })
    }

    fn web(&self, path: &str) -> Value {
        json!({ "href": format!("{}{}", self.web, path) })
    }
}

/// Paths use the braced UUID percent-encoded, as Bitbucket does for accounts.
fn enc(uuid: &str) -> String {
    uuid.replace('{', "%7B").replace('}', "%7D")
}

/// Condensed account, as embedded in other objects.
pub fn account(l: &Links, u: &User) -> Value {
    let mut m = Map::new();
    m.insert("display_name".into(), json!(u.display_name));
    m.insert(
        "links".into(),
        json!({
            "self": l.api(&format!("/users/{}", enc(&u.uuid))),
            "avatar": l.web(&format!("/account/{}/avatar", enc(&u.uuid))),
            "html": l.web(&format!("/{}/", enc(&u.uuid))),
        }),
    );
    m.insert("uuid".into(), json!(u.uuid));
    m.insert("account_id".into(), json!(u.account_id));
    match u.kind {
        AccountKind::User => {
            m.insert("type".into(), json!("user"));
            m.insert("nickname".into(), json!(u.nickname));
        }
        AccountKind::AppUser => {
            m.insert("type".into(), json!("app_user"));
            m.insert("kind".into(), json!("workspace_access_token"));
        }
    }
    Value::Object(m)
}

/// Full account for `/user`.
pub fn user_full(l: &Links, u: &User) -> Value {
    let mut v = account(l, u);
    if let Value::Object(m) = &mut v {
        m.insert("created_on".into(), json!(fmt_ts(&u.created_on)));
        if u.kind == AccountKind::User {
            m.insert("account_status".into(), json!("active"));
            m.insert("has_2fa_enabled".into(), json!(u.has_2fa_enabled));
            m.insert("is_staff".into(), json!(u.is_staff));
            m.insert("location".into(), Value::Null);
        }
    }
    v
}

/// Condensed account plus `email` (only ever used where e-mails may be shown).
pub fn account_with_email(l: &Links, u: &User) -> Value {
    let mut v = account(l, u);
    v["email"] = json!(u.email);
    v
}

pub fn workspace_full(l: &Links, w: &Workspace) -> Value {
    let s = &w.slug;
    json!({
        "type": "workspace",
        "uuid": w.uuid,
        "name": w.name,
        "slug": w.slug,
        "is_private": w.is_private,
        "is_privacy_enforced": w.is_privacy_enforced,
        "forking_mode": w.forking_mode,
        "created_on": fmt_ts(&w.created_on),
        "updated_on": fmt_ts(&w.updated_on),
        "links": {
            "avatar": l.web(&format!("/workspaces/{s}/avatar/?ts=0")),
            "html": l.web(&format!("/{s}/")),
            "members": l.api(&format!("/workspaces/{s}/members")),
            "owners": l.api(&format!("/workspaces/{s}/permissions?q=permission%3D%22owner%22")),
            "projects": l.api(&format!("/workspaces/{s}/projects")),
            "repositories": l.api(&format!("/repositories/{s}")),
            "snippets": l.api(&format!("/snippets/{s}")),
            "self": l.api(&format!("/workspaces/{s}")),
        },
    })
}

/// `workspace_base`: no name (used by `/user/workspaces`).
pub fn workspace_base(l: &Links, w: &Workspace) -> Value {
    json!({
        "type": "workspace_base",
        "uuid": w.uuid,
        "slug": w.slug,
        "links": {
            "avatar": l.web(&format!("/workspaces/{}/avatar/?ts=0", w.slug)),
            "self": l.api(&format!("/workspaces/{}", w.slug)),
        },
    })
}

/// Condensed workspace embedded in repositories, projects and memberships.
pub fn workspace_condensed(l: &Links, w: &Workspace) -> Value {
    json!({
        "type": "workspace",
        "uuid": w.uuid,
        "slug": w.slug,
        "name": w.name,
        "links": {
            "avatar": l.web(&format!("/workspaces/{}/avatar/?ts=0", w.slug)),
            "html": l.web(&format!("/{}/", w.slug)),
            "self": l.api(&format!("/workspaces/{}", w.slug)),
        },
    })
}

/// Legacy `owner` of workspace-owned objects: a team account.
pub fn workspace_owner(l: &Links, w: &Workspace) -> Value {
    json!({
        "type": "team",
        "uuid": w.uuid,
        "display_name": w.name,
        "username": w.slug,
        "links": {
            "self": l.api(&format!("/workspaces/{}", enc(&w.uuid))),
            "avatar": l.web(&format!("/account/{}/avatar/", w.slug)),
            "html": l.web(&format!("/{}/", enc(&w.uuid))),
        },
    })
}

pub fn workspace_access(l: &Links, w: &Workspace, administrator: bool) -> Value {
    json!({
        "type": "workspace_access",
        "administrator": administrator,
        "workspace": workspace_base(l, w),
    })
}

fn project_links(l: &Links, ws: &str, p: &Project) -> Value {
    json!({
        "self": l.api(&format!("/workspaces/{ws}/projects/{}", p.key)),
        "html": l.web(&format!("/{ws}/workspace/projects/{}", p.key)),
        "avatar": l.web(&format!("/{ws}/workspace/projects/{}/avatar/32?ts=0", p.key)),
    })
}

pub fn project_condensed(l: &Links, ds: &Dataset, p: &Project) -> Value {
    let ws = ds.workspace_by_uuid(&p.workspace_uuid).map(|w| w.slug.as_str()).unwrap_or("");
    json!({
        "type": "project",
        "key": p.key,
        "uuid": p.uuid,
        "name": p.name,
        "links": project_links(l, ws, p),
    })
}

pub fn project_full(l: &Links, ds: &Dataset, p: &Project) -> Value {
    let mut v = project_condensed(l, ds, p);
    let ws = ds.workspace_by_uuid(&p.workspace_uuid);
    if let Value::Object(m) = &mut v {
        if let Some(d) = &p.description {
            m.insert("description".into(), json!(d));
        }
        m.insert("is_private".into(), json!(p.is_private));
        m.insert("created_on".into(), json!(fmt_ts(&p.created_on)));
        m.insert("updated_on".into(), json!(fmt_ts(&p.updated_on)));
        m.insert("has_publicly_visible_repos".into(), json!(ds.has_public_repos(&p.uuid)));
        if let Some(w) = ws {
            m.insert("owner".into(), workspace_owner(l, w));
            m.insert("workspace".into(), workspace_condensed(l, w));
            if let Some(Value::Object(links)) = m.get_mut("links") {
                links.insert(
                    "repositories".into(),
                    l.api(&format!("/repositories/{}?q=project.key%3D%22{}%22", w.slug, p.key)),
                );
            }
        }
    }
    v
}

fn repo_path(ds: &Dataset, r: &Repository) -> String {
    let ws = ds.workspace_by_uuid(&r.workspace_uuid).map(|w| w.slug.as_str()).unwrap_or("");
    format!("{ws}/{}", r.slug)
}

/// Condensed repository (embedded as `parent`, in permissions, PRs later…).
pub fn repository_condensed(l: &Links, ds: &Dataset, r: &Repository) -> Value {
    let full_name = repo_path(ds, r);
    json!({
        "type": "repository",
        "full_name": full_name,
        "name": r.name,
        "uuid": r.uuid,
        "links": {
            "self": l.api(&format!("/repositories/{full_name}")),
            "html": l.web(&format!("/{full_name}")),
            "avatar": l.web(&format!("/{full_name}/avatar/32?ts=0")),
        },
    })
}

/// Full repository (reference 4.5), with one field the spec does not list
/// (`override_settings`) to prove clients ignore unknown fields.
pub fn repository_full(l: &Links, ds: &Dataset, r: &Repository) -> Value {
    let full_name = repo_path(ds, r);
    let ws = ds.workspace_by_uuid(&r.workspace_uuid);
    let host = l.web.trim_start_matches("http://").trim_start_matches("https://");
    let host = host.split(':').next().unwrap_or(host);
    let a = |p: &str| l.api(&format!("/repositories/{full_name}{p}"));
    let mut v = json!({
        "type": "repository",
        "uuid": r.uuid,
        "full_name": full_name,
        "name": r.name,
        "slug": r.slug,
        "description": r.description,
        "language": r.language,
        "website": r.website,
        "is_private": r.is_private,
        "has_issues": r.has_issues,
        "has_wiki": r.has_wiki,
        "fork_policy": r.fork_policy,
        "scm": r.scm,
        "size": r.size,
        "created_on": fmt_ts(&r.created_on),
        "updated_on": fmt_ts(&r.updated_on),
        "mainbranch": r.mainbranch.as_ref().map(|b| json!({"type": "branch", "name": b})),
        "owner": ws.map(|w| workspace_owner(l, w)),
        "workspace": ws.map(|w| workspace_condensed(l, w)),
        "project": ds.project_by_uuid(&r.project_uuid).map(|p| project_condensed(l, ds, p)),
        "override_settings": {"default_merge_strategy": true, "branching_model": true},
        "links": {
            "self": a(""),
            "html": l.web(&format!("/{full_name}")),
            "avatar": l.web(&format!("/{full_name}/avatar/32?ts=0")),
            "pullrequests": a("/pullrequests"),
            "commits": a("/commits"),
            "forks": a("/forks"),
            "watchers": a("/watchers"),
            "downloads": a("/downloads"),
            "hooks": a("/hooks"),
            "branches": a("/refs/branches"),
            "tags": a("/refs/tags"),
            "source": a("/src"),
            "clone": [
                {"name": "https", "href": format!("{}/{full_name}.git", l.web)},
                {"name": "ssh", "href": format!("git@{host}:{full_name}.git")},
            ],
        },
    });
    if let Some(parent) = r.parent_uuid.as_deref().and_then(|u| ds.repository_by_uuid(u)) {
        v["parent"] = repository_condensed(l, ds, parent);
    }
    v
}

/// Row of `/workspaces/{ws}/members`; `with_email` only when the caller may see e-mails.
pub fn membership(l: &Links, ds: &Dataset, m: &Membership, with_email: bool) -> Value {
    let user = ds.user_by_uuid(&m.user_uuid);
    let ws = ds.workspace_by_uuid(&m.workspace_uuid);
    let slug = ws.map(|w| w.slug.as_str()).unwrap_or("");
    json!({
        "type": "workspace_membership",
        "user": user.map(|u| if with_email { account_with_email(l, u) } else { account(l, u) }),
        "workspace": ws.map(|w| workspace_condensed(l, w)),
        "links": {
            "self": l.api(&format!("/workspaces/{slug}/members/{}", enc(&m.user_uuid))),
        },
    })
}

/// Row of `/workspaces/{ws}/permissions`: membership plus role and (when administered in
/// Bitbucket) `added_on` / `last_accessed`.
pub fn workspace_permission(l: &Links, ds: &Dataset, m: &Membership) -> Value {
    let mut v = membership(l, ds, m, false);
    if let Value::Object(o) = &mut v {
        o.remove("links");
        o.insert("permission".into(), json!(m.permission.as_str()));
        if let Some(a) = &m.added_on {
            o.insert("added_on".into(), json!(fmt_ts(a)));
            o.insert("last_accessed".into(), json!(m.last_accessed.as_ref().map(fmt_ts)));
        }
    }
    v
}
