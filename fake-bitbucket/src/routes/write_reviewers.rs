//! Default reviewers (reference 4.15): `PUT .../default-reviewers/{user}` adds one (idempotent,
//! 200 with the account), `DELETE` removes one (204; 404 when not a default reviewer).

use super::write::{Answer, WCtx};
use crate::data::{Dataset, DefaultReviewer, User};
use crate::errors::ApiError;
use crate::render::account;

/// A user by `{uuid}`, account id or nickname, as Bitbucket accepts in the path.
fn user<'a>(ds: &'a Dataset, ident: &str) -> Result<&'a User, ApiError> {
    ds.users
        .iter()
        .find(|u| u.uuid.eq_ignore_ascii_case(ident) || u.account_id == ident || u.nickname == ident)
        .ok_or_else(|| ApiError::not_found(format!("User {ident} not found")))
}

pub fn add(ds: &mut Dataset, ctx: &WCtx<'_>, ident: &str) -> Result<Answer, ApiError> {
    let u = user(ds, ident)?.clone();
    let present = ds.default_reviewers(&ctx.repo.uuid).contains(&u.uuid.as_str());
    if !present {
        ds.default_reviewers.push(DefaultReviewer {
            repo_uuid: Some(ctx.repo.uuid.clone()),
            project_uuid: None,
            user_uuid: u.uuid.clone(),
        });
    }
    Ok((200, Some(account(ctx.links, &u))))
}

pub fn remove(ds: &mut Dataset, ctx: &WCtx<'_>, ident: &str) -> Result<Answer, ApiError> {
    let u = user(ds, ident)?.uuid.clone();
    let before = ds.default_reviewers.len();
    ds.default_reviewers
        .retain(|d| !(d.repo_uuid.as_deref() == Some(ctx.repo.uuid.as_str()) && d.user_uuid == u));
    if ds.default_reviewers.len() == before {
        return Err(ApiError::not_found(format!("{ident} is not a default reviewer of this repository")));
    }
    Ok((204, None))
}
