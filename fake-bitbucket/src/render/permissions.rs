//! Repository and project permissions, groups, webhooks, branch restrictions and default
//! reviewers (reference 4.3, 4.4, 4.14, 4.15).

use serde_json::{json, Map, Value};

use super::{account, project_condensed, repo_path, repository_condensed, workspace_condensed, Links};
use crate::data::{fmt_ts, BranchRestriction, Dataset, Group, Project, ProjectPermission, RepoPermission, Webhook};

fn user(l: &Links, ds: &Dataset, uuid: &str) -> Value {
    ds.user_by_uuid(uuid).map(|u| account(l, u)).unwrap_or(Value::Null)
}

pub fn repo_permission(l: &Links, ds: &Dataset, p: &RepoPermission) -> Value {
    json!({
        "type": "repository_permission",
        "permission": p.permission.as_str(),
        "user": user(l, ds, &p.user_uuid),
        "repository": ds.repository_by_uuid(&p.repo_uuid).map(|r| repository_condensed(l, ds, r)),
    })
}

pub fn group(ds: &Dataset, g: &Group) -> Value {
    let ws = ds.workspace_by_uuid(&g.workspace_uuid).map(|w| w.slug.as_str()).unwrap_or("");
    json!({"type": "group", "slug": g.slug, "name": g.name, "full_slug": format!("{ws}:{}", g.slug)})
}

pub fn project_permission(l: &Links, ds: &Dataset, p: &Project, perm: &ProjectPermission) -> Value {
    let ws = ds.workspace_by_uuid(&p.workspace_uuid).map(|w| w.slug.as_str()).unwrap_or("");
    let base = format!("/workspaces/{ws}/projects/{}/permissions-config", p.key);
    let mut m = Map::new();
    match (&perm.user_uuid, &perm.group_slug) {
        (Some(u), _) => {
            m.insert("type".into(), json!("project_user_permission"));
            m.insert("permission".into(), json!(perm.permission));
            m.insert("user".into(), user(l, ds, u));
            m.insert("links".into(), json!({"self": l.api(&format!("{base}/users/{}", super::enc(u)))}));
        }
        (None, g) => {
            let slug = g.as_deref().unwrap_or("");
            let grp = ds.groups(&p.workspace_uuid).into_iter().find(|x| x.slug == slug);
            m.insert("type".into(), json!("project_group_permission"));
            m.insert("permission".into(), json!(perm.permission));
            m.insert("group".into(), grp.map(|g| group(ds, g)).unwrap_or(Value::Null));
            m.insert("links".into(), json!({"self": l.api(&format!("{base}/groups/{slug}"))}));
        }
    }
    m.insert("project".into(), project_condensed(l, ds, p));
    Value::Object(m)
}

pub fn webhook(l: &Links, ds: &Dataset, h: &Webhook) -> Value {
    let ws = ds.workspace_by_uuid(&h.workspace_uuid);
    let repo = h.repo_uuid.as_deref().and_then(|u| ds.repository_by_uuid(u));
    let (subject_type, subject, base) = match (repo, ws) {
        (Some(r), _) => (
            "repository",
            repository_condensed(l, ds, r),
            format!("/repositories/{}/hooks", repo_path(ds, r)),
        ),
        (None, Some(w)) => ("workspace", workspace_condensed(l, w), format!("/workspaces/{}/hooks", w.slug)),
        (None, None) => ("workspace", Value::Null, String::new()),
    };
    json!({
        "type": "webhook_subscription",
        "uuid": h.uuid,
        "url": h.url,
        "description": h.description,
        "subject_type": subject_type,
        "subject": subject,
        "active": h.active,
        "created_at": fmt_ts(&h.created_at),
        "events": h.events,
        "secret_set": h.secret_set,
        "links": {"self": l.api(&format!("{base}/{}", super::enc(&h.uuid)))},
    })
}

pub fn branch_restriction(l: &Links, ds: &Dataset, b: &BranchRestriction) -> Value {
    let r = ds.repository_by_uuid(&b.repo_uuid);
    let full_name = r.map(|r| repo_path(ds, r)).unwrap_or_default();
    let ws = r.map(|r| r.workspace_uuid.as_str()).unwrap_or("");
    let groups: Vec<Value> = ds
        .groups(ws)
        .into_iter()
        .filter(|g| b.group_slugs.contains(&g.slug))
        .map(|g| group(ds, g))
        .collect();
    let mut m = Map::new();
    m.insert("type".into(), json!("branchrestriction"));
    m.insert("id".into(), json!(b.id));
    m.insert("kind".into(), json!(b.kind));
    m.insert("branch_match_kind".into(), json!(b.branch_match_kind));
    m.insert("pattern".into(), json!(b.pattern));
    if let Some(t) = &b.branch_type {
        m.insert("branch_type".into(), json!(t));
    }
    m.insert("value".into(), json!(b.value));
    m.insert(
        "users".into(),
        json!(b.user_uuids.iter().map(|u| user(l, ds, u)).collect::<Vec<_>>()),
    );
    m.insert("groups".into(), json!(groups));
    m.insert(
        "links".into(),
        json!({"self": l.api(&format!("/repositories/{full_name}/branch-restrictions/{}", b.id))}),
    );
    Value::Object(m)
}

/// Row of `/effective-default-reviewers`.
pub fn effective_reviewer(l: &Links, ds: &Dataset, user_uuid: &str, reviewer_type: &str) -> Value {
    json!({"type": "default_reviewer", "reviewer_type": reviewer_type, "user": user(l, ds, user_uuid)})
}
