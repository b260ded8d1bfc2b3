//! The credential table (documented in `crate::creds`): which header maps to which user,
//! scopes and outcome.

use super::fixtures::BOT_NICKNAME;
use super::generate::ws_uuid;
use super::{Credential, CredentialKind, User, Workspace};
use crate::creds;

pub(super) fn credentials(users: &[User], workspaces: &[Workspace]) -> Vec<Credential> {
    let uuid_of = |nick: &str| {
        users
            .iter()
            .find(|u| u.nickname == nick)
            .map(|u| u.uuid.clone())
            .unwrap_or_default()
    };
    let strings = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let api = |email: &str, token: &str| CredentialKind::ApiToken {
        email: email.into(),
        token: token.into(),
    };
    let bearer = |token: &str| CredentialKind::AccessToken { token: token.into() };
    vec![
        Credential {
            kind: api(creds::ANALYST_EMAIL, creds::ANALYST_TOKEN),
            user_uuid: uuid_of("analyst"),
            scopes: strings(creds::ALL_READ_SCOPES),
            expired: false,
            usable: true,
            workspace_uuid: None,
        },
        Credential {
            kind: api(creds::ANALYST_EMAIL, creds::WRITER_TOKEN),
            user_uuid: uuid_of("analyst"),
            scopes: strings(&[creds::ALL_READ_SCOPES, creds::WRITE_SCOPES].concat()),
            expired: false,
            usable: true,
            workspace_uuid: None,
        },
        Credential {
            kind: api(creds::VIEWER_EMAIL, creds::VIEWER_TOKEN),
            user_uuid: uuid_of("viewer"),
            scopes: strings(&["read:user:bitbucket"]),
            expired: false,
            usable: true,
            workspace_uuid: None,
        },
        Credential {
            kind: api(creds::ANALYST_EMAIL, creds::UNSCOPED_TOKEN),
            user_uuid: uuid_of("analyst"),
            scopes: Vec::new(),
            expired: false,
            usable: false,
            workspace_uuid: None,
        },
        Credential {
            kind: bearer(creds::WORKSPACE_TOKEN),
            user_uuid: uuid_of(BOT_NICKNAME),
            scopes: strings(creds::ACCESS_TOKEN_SCOPES),
            expired: false,
            usable: true,
            workspace_uuid: Some(ws_uuid(workspaces, "acme")),
        },
        Credential {
            kind: bearer(creds::OAUTH_TOKEN),
            user_uuid: uuid_of("analyst"),
            scopes: strings(creds::ACCESS_TOKEN_SCOPES),
            expired: false,
            usable: true,
            workspace_uuid: None,
        },
        Credential {
            kind: bearer(creds::EXPIRED_TOKEN),
            user_uuid: uuid_of("analyst"),
            scopes: strings(creds::ACCESS_TOKEN_SCOPES),
            expired: true,
            usable: true,
            workspace_uuid: None,
        },
        Credential {
            kind: CredentialKind::AppPassword {
                username: creds::LEGACY_USERNAME.into(),
                password: creds::LEGACY_APP_PASSWORD.into(),
            },
            user_uuid: uuid_of("analyst"),
            scopes: Vec::new(),
            expired: false,
            usable: false,
            workspace_uuid: None,
        },
    ]
}
