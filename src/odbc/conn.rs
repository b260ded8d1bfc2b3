//! The connection: configuration, credentials check, and the session statements share.

use super::diag::Diags;
use super::error::OdbcError;
use crate::auth::Credentials;
use crate::bitbucket::client::ClientOptions;
use crate::bitbucket::{ApiError, Client};
use crate::config::Config;
use crate::sql::Engine;
use crate::tables::provider::ScanContext;
use std::sync::Arc;

/// Everything statements of one connection share.
pub struct Session {
    pub config: Config,
    pub client: Arc<Client>,
    pub engine: Engine,
    pub dsn: Option<String>,
    pub max_rows: Option<usize>,
    pub scan: Arc<ScanContext>,
}

pub const SQL_ATTR_ACCESS_MODE: i32 = 101;
pub const SQL_ATTR_AUTOCOMMIT: i32 = 102;
pub const SQL_ATTR_LOGIN_TIMEOUT: i32 = 103;
pub const SQL_ATTR_TRACE: i32 = 104;
pub const SQL_ATTR_TRACEFILE: i32 = 105;
pub const SQL_ATTR_TRANSLATE_LIB: i32 = 106;
pub const SQL_ATTR_TRANSLATE_OPTION: i32 = 107;
pub const SQL_ATTR_TXN_ISOLATION: i32 = 108;
pub const SQL_ATTR_CURRENT_CATALOG: i32 = 109;
pub const SQL_ATTR_ODBC_CURSORS: i32 = 110;
pub const SQL_ATTR_QUIET_MODE: i32 = 111;
pub const SQL_ATTR_PACKET_SIZE: i32 = 112;
pub const SQL_ATTR_CONNECTION_TIMEOUT: i32 = 113;
pub const SQL_ATTR_ANSI_APP: i32 = 115;
pub const SQL_ATTR_RESET_CONNECTION: i32 = 116;
pub const SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE: i32 = 117;
pub const SQL_ATTR_CONNECTION_DEAD: i32 = 1209;
pub const SQL_ATTR_AUTO_IPD: i32 = 10001;
pub const SQL_ATTR_METADATA_ID: i32 = 10014;

#[derive(Default)]
pub struct Dbc {
    pub session: Option<Arc<Session>>,
    pub login_timeout: u32,
    pub connection_timeout: u32,
    pub access_mode: u32,
    pub txn_isolation: u32,
    pub metadata_id: u32,
    /// Statement attributes set on the connection (ODBC 2 style): defaults for new statements.
    pub stmt_defaults: Vec<(i32, isize)>,
}

/// A connection attribute's value: integers, or text for SQL_ATTR_CURRENT_CATALOG.
pub enum AttrOut {
    Int(u32),
    Text(String),
}

impl Dbc {
    pub fn set_attr(&mut self, attr: i32, value: isize, diags: &mut Diags) -> Result<(), OdbcError> {
        match attr {
            SQL_ATTR_AUTOCOMMIT => {
                if value == 0 {
                    diags.warn("01S02", "manual commit is not available: Bitbucket has no transactions, so every statement commits on its own (autocommit stays on)");
                }
            }
            SQL_ATTR_LOGIN_TIMEOUT => self.login_timeout = value as u32,
            SQL_ATTR_CONNECTION_TIMEOUT => self.connection_timeout = value as u32,
            SQL_ATTR_ACCESS_MODE => self.access_mode = value as u32,
            SQL_ATTR_TXN_ISOLATION => self.txn_isolation = value as u32,
            SQL_ATTR_METADATA_ID => self.metadata_id = value as u32,
            SQL_ATTR_CURRENT_CATALOG => {
                return Err(OdbcError::NotImplemented(
                    "changing the catalog on an open connection: reconnect with Workspace=<slug>, or qualify table names".into(),
                ));
            }
            SQL_ATTR_TRACE
            | SQL_ATTR_TRACEFILE
            | SQL_ATTR_TRANSLATE_LIB
            | SQL_ATTR_TRANSLATE_OPTION
            | SQL_ATTR_ODBC_CURSORS
            | SQL_ATTR_QUIET_MODE
            | SQL_ATTR_PACKET_SIZE
            | SQL_ATTR_ANSI_APP
            | SQL_ATTR_RESET_CONNECTION
            | SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE => {}
            0..=27 => self.stmt_defaults.push((attr, value)),
            a if a >= 65000 => {}
            a => return Err(OdbcError::BadAttribute(a)),
        }
        Ok(())
    }

    pub fn get_attr(&self, attr: i32) -> Result<AttrOut, OdbcError> {
        Ok(AttrOut::Int(match attr {
            SQL_ATTR_AUTOCOMMIT => 1,
            SQL_ATTR_LOGIN_TIMEOUT => self.login_timeout,
            SQL_ATTR_CONNECTION_TIMEOUT => self.connection_timeout,
            SQL_ATTR_ACCESS_MODE => self.access_mode,
            SQL_ATTR_TXN_ISOLATION => self.txn_isolation,
            SQL_ATTR_METADATA_ID => self.metadata_id,
            SQL_ATTR_CONNECTION_DEAD => u32::from(self.session.is_none()),
            SQL_ATTR_AUTO_IPD | SQL_ATTR_ASYNC_DBC_FUNCTIONS_ENABLE => 0,
            SQL_ATTR_PACKET_SIZE => 0,
            SQL_ATTR_CURRENT_CATALOG => {
                let ws = self
                    .session
                    .as_ref()
                    .and_then(|s| s.config.workspace().map(String::from))
                    .unwrap_or_default();
                return Ok(AttrOut::Text(ws));
            }
            a => return Err(OdbcError::BadAttribute(a)),
        }))
    }

    pub fn connect(&mut self, config: Config, dsn: Option<String>, diags: &mut Diags) -> Result<(), OdbcError> {
        if self.session.is_some() {
            return Err(OdbcError::AlreadyConnected);
        }
        let session = open_session(config, dsn, diags)?;
        self.session = Some(Arc::new(session));
        Ok(())
    }
}

fn cfg_err(e: crate::config::ConfigError) -> OdbcError {
    OdbcError::Config(e.0)
}

pub fn open_session(config: Config, dsn: Option<String>, diags: &mut Diags) -> Result<Session, OdbcError> {
    crate::logging::configure(Some(config.get("LogFile")), config.verbosity());
    for k in &config.unknown {
        diags.warn(
            "01S00",
            format!("connection attribute '{k}' is not known to this driver and was ignored"),
        );
    }
    tracing::info!(dsn = ?dsn, config = ?config, "connecting");
    let creds = Credentials::from_config(&config).map_err(cfg_err)?;
    let client = Arc::new(
        Client::new(ClientOptions {
            base_url: config.get("BaseURL").to_string(),
            creds: creds.clone(),
            timeout_secs: config.timeout_secs().map_err(cfg_err)?,
            max_retries: config.max_retries().map_err(cfg_err)?,
            proxy: Some(config.get("ProxyServer").to_string()),
        })
        .map_err(OdbcError::Connect)?,
    );
    crate::runtime::block_on(creds.start()).map_err(OdbcError::Connect)?;
    if creds.oauth().is_some_and(|o| o.may_start_without_token()) {
        diags.warn(
            "01000",
            "connected without an OAuth access token (InitiateOAuth=OFF): only GetOAuthAuthorizationURL, GetOAuthAccessToken and RefreshOAuthAccessToken work until one is set".to_string(),
        );
    } else {
        crate::runtime::block_on(check_credentials(&client, &creds, config.workspace())).map_err(OdbcError::Connect)?;
    }
    let max_concurrent = config.max_concurrent().map_err(cfg_err)?;
    let scan = Arc::new(ScanContext {
        client: client.clone(),
        max_concurrent,
        permits: tokio::sync::Semaphore::new(max_concurrent.max(1)),
        include_deleted: config.boolean("IncludeDeleted").map_err(cfg_err)?,
        push_down: config.boolean("PushDown").map_err(cfg_err)?,
        page_size: config.page_size().map_err(cfg_err)?,
        max_requests: config.number_usize("MaxRequestsPerQuery").map_err(cfg_err)?,
        sys: super::sys_data::sys_batches(
            &config
                .workspace()
                .map(str::to_ascii_lowercase)
                .unwrap_or_else(|| crate::sql::catalog::NO_WORKSPACE.to_string()),
            dsn.as_deref(),
            &config,
        ),
    });
    let engine = Engine::new(
        config.workspace().map(|w| w.to_ascii_lowercase()),
        config.get("Schema"),
        scan.clone(),
    );
    engine.set_names(
        &super::info::dynamic(super::info::SQL_DATABASE_NAME, dsn.as_deref(), &config),
        &super::info::dynamic(super::info::SQL_USER_NAME, dsn.as_deref(), &config),
    );
    let max_rows = config.max_rows().map_err(cfg_err)?;
    Ok(Session {
        config,
        client,
        engine,
        dsn,
        max_rows,
        scan,
    })
}

/// One request proves the API is reachable and the credentials are accepted.
async fn check_credentials(client: &Client, creds: &Credentials, workspace: Option<&str>) -> Result<(), ApiError> {
    let url = match (creds, workspace) {
        (Credentials::None, Some(ws)) => client.url(
            &format!("/repositories/{}", crate::tables::provider::encode_segment(ws)),
            &[("pagelen", "1".into())],
        ),
        (Credentials::None, None) => client.url("/repositories", &[("pagelen", "1".into())]),
        _ => client.url("/user", &[]),
    };
    match client.get_once(&url).await {
        Ok(_) => Ok(()),
        // Valid credentials without the account scope (e.g. a repository access token).
        Err(ApiError::Status { status: 403, .. }) => Ok(()),
        Err(ApiError::Status { status: 401, message, .. }) => Err(ApiError::Auth(refused_hint(creds, &message))),
        Err(ApiError::Status { .. }) if matches!(creds, Credentials::None) => Ok(()),
        Err(e) => Err(e),
    }
}

/// What to fix when Bitbucket refuses the credentials at connect, by scheme.
fn refused_hint(creds: &Credentials, said: &str) -> String {
    let said = said.trim_end_matches('.');
    let fix = match creds {
        Credentials::Basic { user, .. } if !user.contains('@') => format!(
            "User='{user}' is not an e-mail address: API tokens need your Atlassian account e-mail as User (app passwords with a Bitbucket username no longer work)"
        ),
        Credentials::Basic { .. } => "Check the credentials: User must be your Atlassian account e-mail and Password an API token created with Bitbucket scopes (read:user:bitbucket at least), not expired; app passwords no longer work".into(),
        Credentials::Bearer(_) => "Check the credentials: the access token is invalid, expired or revoked; create a new workspace, project or repository access token".into(),
        Credentials::OAuth(_) => "Check the credentials: Bitbucket refused the OAuth token even after a refresh; sign in again".into(),
        Credentials::None => "Check the credentials".into(),
    };
    format!("Bitbucket refused the credentials (HTTP 401: {said}). {fix}")
}
