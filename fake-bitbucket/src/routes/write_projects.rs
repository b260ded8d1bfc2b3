//! Projects (reference 4.4): `POST /workspaces/{ws}/projects` with `key`, `name`,
//! `description`, `is_private` → 201; `PUT .../projects/{key}` → 200; `DELETE` → 204. A key
//! in use is a 409 conflict. Needs `project:admin` / `admin:project:bitbucket`.

use std::sync::Arc;

use serde_json::Value;

use super::write::{bool_at, field_errors, member_workspace, required, text_at, Answer};
use crate::auth::{Caller, Scope};
use crate::data::{Dataset, Project};
use crate::errors::ApiError;
use crate::render::project_full;
use crate::server::AppState;

pub const ADMIN_PROJECT: Scope = Scope {
    classic: Some("project:admin"),
    granular: "admin:project:bitbucket",
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectOp {
    Create,
    Update(String),
    Delete(String),
}

/// Upper-case letters, digits and underscores, starting with a letter.
fn valid_key(k: &str) -> bool {
    k.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn handle(st: &AppState, ws: &str, op: &ProjectOp, body: &Value, caller: &Caller) -> Result<Answer, ApiError> {
    caller.check_scope(ADMIN_PROJECT)?;
    let mut guard = st.data.write();
    let ds: &Dataset = &guard;
    let w = member_workspace(ds, ws, caller)?;
    let mut copy = ds.clone();
    let now = chrono::Utc::now().fixed_offset();
    let find = |ds: &Dataset, key: &str| {
        ds.projects
            .iter()
            .position(|p| p.workspace_uuid == w.uuid && p.key.eq_ignore_ascii_case(key))
            .ok_or_else(|| ApiError::not_found(format!("Project {key} not found")))
    };
    let answer = match op {
        ProjectOp::Create => {
            let key = required(body, "key")?;
            if !valid_key(&key) {
                return Err(field_errors(&[(
                    "key",
                    "Project keys start with a letter and hold only letters, digits and underscores.".into(),
                )]));
            }
            let name = required(body, "name")?;
            if find(&copy, &key).is_ok() {
                return Err(ApiError::json(
                    409,
                    format!("A project with key {} already exists.", key.to_ascii_uppercase()),
                ));
            }
            let n = copy.projects.len() as u64 + 1;
            copy.projects.push(Project {
                uuid: format!("{{00000000-0000-4000-8000-{:012x}}}", 0xc0de_0000 + n),
                workspace_uuid: w.uuid.clone(),
                key: key.to_ascii_uppercase(),
                name,
                description: text_at(body, "description")?.flatten(),
                is_private: bool_at(body, "is_private")?.unwrap_or(true),
                created_on: now,
                updated_on: now,
            });
            copy.reindex();
            let p = copy.projects.last().expect("just pushed");
            (201, Some(project_full(&st.links, &copy, p)))
        }
        ProjectOp::Update(key) => {
            let at = find(&copy, key)?;
            let mut p = copy.projects[at].clone();
            if let Some(n) = text_at(body, "name")? {
                p.name = n
                    .filter(|n| !n.trim().is_empty())
                    .ok_or_else(|| field_errors(&[("name", "This field is required.".into())]))?;
            }
            if let Some(d) = text_at(body, "description")? {
                p.description = d;
            }
            if let Some(b) = bool_at(body, "is_private")? {
                p.is_private = b;
            }
            p.updated_on = now;
            copy.projects[at] = p;
            (200, Some(project_full(&st.links, &copy, &copy.projects[at])))
        }
        ProjectOp::Delete(key) => {
            let at = find(&copy, key)?;
            copy.projects.remove(at);
            copy.reindex();
            (204, None)
        }
    };
    *guard = Arc::new(copy);
    Ok(answer)
}
