//! Repositories (reference 4.5): `POST /repositories/{ws}/{slug}` creates an empty repository
//! (201; a slug in use is a 409 conflict), `PUT` changes its settings (200), `DELETE` removes it
//! with its content (204).

use std::sync::Arc;

use serde_json::Value;

use super::write::{bool_at, field_errors, member_workspace, text_at, Answer};
use crate::auth::{Caller, Scope};
use crate::data::{Dataset, Repository};
use crate::errors::ApiError;
use crate::render::repository_full;
use crate::server::AppState;

pub const ADMIN_REPOSITORY_WRITE: Scope = Scope {
    classic: Some("repository:admin"),
    granular: "admin:repository:bitbucket",
};
pub const DELETE_REPOSITORY: Scope = Scope {
    classic: Some("repository:delete"),
    granular: "delete:repository:bitbucket",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoOp {
    Create,
    Update,
    Delete,
}

/// Settings the body carries; `project.key` must name a project of the workspace.
fn apply(ds: &Dataset, ws_uuid: &str, r: &mut Repository, body: &Value) -> Result<(), ApiError> {
    for (key, slot) in [
        ("name", &mut r.name),
        ("description", &mut r.description),
        ("language", &mut r.language),
    ] {
        if let Some(v) = text_at(body, key)? {
            *slot = v.unwrap_or_default();
        }
    }
    if let Some(Some(p)) = text_at(body, "fork_policy")? {
        r.fork_policy = super::write::choice("fork_policy", &p, &["allow_forks", "no_public_forks", "no_forks"])?;
    }
    for (key, slot) in [
        ("is_private", &mut r.is_private),
        ("has_issues", &mut r.has_issues),
        ("has_wiki", &mut r.has_wiki),
    ] {
        if let Some(b) = bool_at(body, key)? {
            *slot = b;
        }
    }
    if let Some(Some(k)) = text_at(body, "project.key")? {
        let p = ds
            .find_project(ws_uuid, &k)
            .ok_or_else(|| field_errors(&[("project", format!("Project {k} not found."))]))?;
        r.project_uuid = p.uuid.clone();
    }
    Ok(())
}

pub fn handle(st: &AppState, ws: &str, slug: &str, op: &RepoOp, body: &Value, caller: &Caller) -> Result<Answer, ApiError> {
    caller.check_scope(if *op == RepoOp::Delete {
        DELETE_REPOSITORY
    } else {
        ADMIN_REPOSITORY_WRITE
    })?;
    let mut guard = st.data.write();
    let ds: &Dataset = &guard;
    let w = member_workspace(ds, ws, caller)?;
    let mut copy = ds.clone();
    let now = chrono::Utc::now().fixed_offset();
    let at = copy
        .repositories
        .iter()
        .position(|r| r.workspace_uuid == w.uuid && r.slug.eq_ignore_ascii_case(slug));
    let answer = match (op, at) {
        (RepoOp::Create, Some(_)) => return Err(ApiError::json(409, format!("Repository with slug {slug} already exists in {ws}."))),
        (RepoOp::Create, None) => {
            let project = copy
                .projects_in(&w.uuid)
                .next()
                .map(|p| p.uuid.clone())
                .ok_or_else(|| field_errors(&[("project", "The workspace has no project.".into())]))?;
            let n = copy.repositories.len() as u64 + 1;
            let mut r = Repository {
                uuid: format!("{{00000000-0000-4000-9000-{:012x}}}", 0x5e90_0000 + n),
                workspace_uuid: w.uuid.clone(),
                project_uuid: project,
                slug: slug.to_ascii_lowercase(),
                name: slug.to_string(),
                description: String::new(),
                language: String::new(),
                website: None,
                is_private: true,
                has_issues: false,
                has_wiki: false,
                fork_policy: "no_public_forks".into(),
                scm: "git".into(),
                size: 0,
                created_on: now,
                updated_on: now,
                mainbranch: None,
                parent_uuid: None,
            };
            apply(&copy, &w.uuid, &mut r, body)?;
            copy.repositories.push(r);
            copy.reindex();
            let r = copy.repositories.last().expect("just pushed");
            (201, Some(repository_full(&st.links, &copy, r)))
        }
        (_, None) => return Err(ApiError::repo_not_found()),
        (RepoOp::Update, Some(at)) => {
            let mut r = copy.repositories[at].clone();
            apply(&copy, &w.uuid, &mut r, body)?;
            r.updated_on = now;
            copy.repositories[at] = r;
            (200, Some(repository_full(&st.links, &copy, &copy.repositories[at])))
        }
        (RepoOp::Delete, Some(at)) => {
            let uuid = copy.repositories.remove(at).uuid;
            copy.issues.retain(|i| i.repo_uuid != uuid);
            copy.pull_requests.retain(|p| p.repo_uuid != uuid);
            copy.branches.retain(|b| b.repo_uuid != uuid);
            copy.tags.retain(|t| t.repo_uuid != uuid);
            copy.commits.retain(|c| c.repo_uuid != uuid);
            copy.reindex();
            (204, None)
        }
    };
    *guard = Arc::new(copy);
    Ok(answer)
}
