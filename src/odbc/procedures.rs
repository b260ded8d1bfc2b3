//! Running the stored procedures of contract section 5: arguments bound to the declaration in
//! `tables/procedures.rs`, one result row built from what the procedure returns.

use super::conn::Session;
use super::error::OdbcError;
use crate::sql::call::Call;
use crate::sql::SqlError;
use crate::tables::arrow_build::arrow_type;
use crate::tables::defs::ColType;
use crate::tables::procedures::{find_procedure, ProcDef};
use crate::tables::provider::encode_segment;
use datafusion::arrow::array::{ArrayRef, BooleanArray, Int32Array, StringArray};
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use std::sync::Arc;

/// A call checked against its declaration: ready to run, its result columns known.
#[derive(Clone)]
pub struct BoundCall {
    pub def: &'static ProcDef,
    /// One value per declared input, in declaration order.
    pub args: Vec<Option<String>>,
    /// For each `?` marker in order, the declared input it supplies.
    pub markers: Vec<usize>,
    pub schema: SchemaRef,
}

pub fn bind(call: &Call) -> Result<BoundCall, SqlError> {
    let def = find_procedure(&call.name).ok_or_else(|| {
        SqlError::Syntax(format!(
            "there is no procedure named {}; SQLProcedures (or SELECT * FROM sys_procedures) lists them",
            call.name
        ))
    })?;
    let names = || def.inputs.iter().map(|i| i.name).collect::<Vec<_>>().join(", ");
    let mut args: Vec<Option<String>> = vec![None; def.inputs.len()];
    let mut given = vec![false; def.inputs.len()];
    let mut markers = Vec::new();
    for (pos, (name, value)) in call.args.iter().enumerate() {
        let idx = match name {
            Some(n) => def
                .inputs
                .iter()
                .position(|i| i.name.eq_ignore_ascii_case(n))
                .ok_or_else(|| SqlError::Syntax(format!("{} has no parameter {n}; its parameters are {}", def.name, names())))?,
            None if pos < def.inputs.len() => pos,
            None => {
                return Err(SqlError::Syntax(format!(
                    "{} takes at most {} argument(s): {}",
                    def.name,
                    def.inputs.len(),
                    names()
                )))
            }
        };
        if std::mem::replace(&mut given[idx], true) {
            return Err(SqlError::Syntax(format!("{} is given twice", def.inputs[idx].name)));
        }
        args[idx] = value.clone();
        if call.markers.contains(&pos) {
            markers.push(idx);
        }
    }
    // A marker's value is checked when it is bound, at execute.
    let missing = def
        .inputs
        .iter()
        .enumerate()
        .find(|(k, i)| i.required && args[*k].is_none() && !markers.contains(k));
    if let Some(missing) = missing {
        return Err(SqlError::Syntax(format!(
            "{} needs {} ({}); its parameters are {}",
            def.name,
            missing.1.name,
            missing.1.desc,
            names()
        )));
    }
    let fields: Vec<Field> = def.outputs.iter().map(|o| Field::new(o.name, arrow_type(o.ty), true)).collect();
    Ok(BoundCall {
        def,
        args,
        markers,
        schema: Arc::new(Schema::new(fields)),
    })
}

impl BoundCall {
    /// The call with each marker's bound value (`None` = NULL) in place.
    pub fn with_values(&self, values: Vec<Option<String>>) -> Result<BoundCall, OdbcError> {
        let mut c = self.clone();
        for (idx, v) in self.markers.iter().zip(values) {
            c.args[*idx] = v;
        }
        if let Some(i) = c
            .def
            .inputs
            .iter()
            .zip(&c.args)
            .find(|(i, v)| i.required && v.is_none())
            .map(|(i, _)| i)
        {
            return Err(OdbcError::Config(format!(
                "{} needs {} ({}): its parameter is NULL",
                c.def.name, i.name, i.desc
            )));
        }
        Ok(c)
    }

    /// The declared type of marker `num` (1-based), for SQLDescribeParam.
    pub fn marker_type(&self, num: usize) -> Option<ColType> {
        self.markers.get(num.checked_sub(1)?).map(|idx| self.def.inputs[*idx].ty)
    }

    fn arg(&self, name: &str) -> Option<&str> {
        self.def
            .inputs
            .iter()
            .position(|i| i.name == name)
            .and_then(|i| self.args[i].as_deref())
            .filter(|v| !v.is_empty())
    }
}

/// Runs the call; its single result row has the declared output columns.
pub fn run(session: &Session, call: &BoundCall) -> Result<RecordBatch, OdbcError> {
    let values = crate::runtime::block_on(run_async(session, call))?;
    let columns: Vec<ArrayRef> = call
        .def
        .outputs
        .iter()
        .zip(values)
        .map(|(o, v)| -> ArrayRef {
            match o.ty {
                ColType::Int => Arc::new(Int32Array::from(vec![v.and_then(|s| s.parse::<i32>().ok())])),
                ColType::Bool => Arc::new(BooleanArray::from(vec![v.map(|s| s == "true")])),
                _ => Arc::new(StringArray::from(vec![v])),
            }
        })
        .collect();
    RecordBatch::try_new(call.schema.clone(), columns).map_err(|e| OdbcError::General(e.to_string()))
}

async fn run_async(session: &Session, call: &BoundCall) -> Result<Vec<Option<String>>, OdbcError> {
    let oauth = || {
        session.client.creds().oauth().cloned().ok_or_else(|| {
            OdbcError::Config(format!(
                "{} needs an OAuth connection: set AuthScheme=OAuth, OAuthClientId and OAuthClientSecret (InitiateOAuth=OFF lets you connect before you have a token)",
                call.def.name
            ))
        })
    };
    let tokens_row = |t: crate::auth::tokens::Tokens| {
        vec![
            Some(t.access_token.clone()),
            t.refresh_token.clone(),
            t.expires_in().map(|s| s.to_string()),
        ]
    };
    match call.def.name {
        "GetOAuthAuthorizationURL" => {
            let o = oauth()?;
            let state = call
                .arg("State")
                .map(String::from)
                .unwrap_or_else(|| oauth2::CsrfToken::new_random().secret().clone());
            let cb = call.arg("CallbackURL").unwrap_or(&o.consumer.callback_url).to_string();
            let url = o.grants().authorize_url(&state, Some(&cb)).map_err(OdbcError::Config)?;
            Ok(vec![Some(url)])
        }
        "GetOAuthAccessToken" => {
            let o = oauth()?;
            let cb = call.arg("CallbackURL").unwrap_or(&o.consumer.callback_url).to_string();
            let verifier = call.arg("Verifier").unwrap_or_default();
            let t = o.exchange_verifier(verifier, Some(&cb)).await.map_err(OdbcError::Api)?;
            Ok(tokens_row(t))
        }
        "RefreshOAuthAccessToken" => {
            let o = oauth()?;
            let rt = call.arg("OAuthRefreshToken").unwrap_or_default();
            let t = o.refresh_with(rt).await.map_err(OdbcError::Api)?;
            Ok(tokens_row(t))
        }
        "MergePullRequest" | "DeclinePullRequest" => close_pull_request(session, call).await,
        "ApprovePullRequest" | "UnapprovePullRequest" => approve_pull_request(session, call).await,
        "RunPipeline" => run_pipeline(session, call).await,
        "StopPipeline" => stop_pipeline(session, call).await,
        other => Err(OdbcError::NotImplemented(format!(
            "{other} is declared but this version of the driver cannot run it yet"
        ))),
    }
}

/// Sends one write request to `path` (sent once, like every write); the answer's JSON, if any.
async fn send(
    session: &Session,
    method: reqwest::Method,
    path: &str,
    body: Option<&serde_json::Value>,
) -> Result<Option<serde_json::Value>, OdbcError> {
    let url = session.client.url(path, &[]);
    Ok(session.client.send_json(method, &url, body).await?)
}

/// `/repositories/{ws}/{repo}` from the Workspace property and the call's RepositorySlug.
fn repo_path(session: &Session, call: &BoundCall) -> Result<String, OdbcError> {
    let workspace = session.config.workspace().ok_or_else(|| {
        OdbcError::Config(format!(
            "{} needs the Workspace property: set Workspace=<workspace slug>",
            call.def.name
        ))
    })?;
    let repo = call.arg("RepositorySlug").unwrap_or_default();
    Ok(format!("/repositories/{}/{}", encode_segment(workspace), encode_segment(repo)))
}

/// `/repositories/{ws}/{repo}/pullrequests/{id}/{action}` from the call's arguments.
fn pull_request_path(session: &Session, call: &BoundCall, action: &str) -> Result<String, OdbcError> {
    let id = call.arg("PullRequestId").unwrap_or_default();
    if id.parse::<u32>().is_err() {
        return Err(OdbcError::Config(format!(
            "PullRequestId must be a pull request number, not '{id}'"
        )));
    }
    Ok(format!("{}/pullrequests/{id}/{action}", repo_path(session, call)?))
}

/// POST `.../pipelines/` with a branch, tag or commit target (a custom selector when Pattern is
/// given); Bitbucket answers 201 and the new pipeline.
async fn run_pipeline(session: &Session, call: &BoundCall) -> Result<Vec<Option<String>>, OdbcError> {
    let ref_type = call.arg("RefType").unwrap_or("branch").to_ascii_lowercase();
    let ref_name = call.arg("RefName").unwrap_or_default();
    let mut target = match ref_type.as_str() {
        "branch" | "tag" => serde_json::json!({"type": "pipeline_ref_target", "ref_type": ref_type, "ref_name": ref_name}),
        "commit" => serde_json::json!({"type": "pipeline_commit_target", "commit": {"type": "commit", "hash": ref_name}}),
        other => return Err(OdbcError::Config(format!("RefType must be branch, tag or commit, not '{other}'"))),
    };
    if let Some(p) = call.arg("Pattern") {
        target["selector"] = serde_json::json!({"type": "custom", "pattern": p});
    }
    let body = serde_json::json!({ "target": target });
    let path = format!("{}/pipelines/", repo_path(session, call)?);
    let p = send(session, reqwest::Method::POST, &path, Some(&body)).await?.unwrap_or_default();
    Ok(vec![
        p.get("uuid").and_then(|v| v.as_str()).map(String::from),
        p.get("build_number").and_then(|v| v.as_i64()).map(|n| n.to_string()),
    ])
}

/// POST `.../pipelines/{uuid}/stopPipeline`: 204 once the stop is signalled.
async fn stop_pipeline(session: &Session, call: &BoundCall) -> Result<Vec<Option<String>>, OdbcError> {
    let uuid = call.arg("PipelineUuid").unwrap_or_default();
    let path = format!("{}/pipelines/{}/stopPipeline", repo_path(session, call)?, encode_segment(uuid));
    send(session, reqwest::Method::POST, &path, None).await?;
    Ok(vec![Some("true".to_string())])
}

/// POST `.../approve` answers the caller's participant; DELETE answers 204, so a success is
/// the only thing to report.
async fn approve_pull_request(session: &Session, call: &BoundCall) -> Result<Vec<Option<String>>, OdbcError> {
    let approve = call.def.name == "ApprovePullRequest";
    let method = if approve { reqwest::Method::POST } else { reqwest::Method::DELETE };
    let answer = send(session, method, &pull_request_path(session, call, "approve")?, None).await?;
    Ok(vec![Some(match approve {
        true => answer.and_then(|p| p.get("approved")?.as_bool()).unwrap_or(false).to_string(),
        false => "true".to_string(),
    })])
}

/// POST `.../pullrequests/{id}/merge` or `/decline`.
async fn close_pull_request(session: &Session, call: &BoundCall) -> Result<Vec<Option<String>>, OdbcError> {
    let merge = call.def.name == "MergePullRequest";
    let path = pull_request_path(session, call, if merge { "merge" } else { "decline" })?;
    let mut body = serde_json::Map::new();
    if merge {
        for (input, key) in [("MergeStrategy", "merge_strategy"), ("Message", "message")] {
            if let Some(v) = call.arg(input) {
                body.insert(key.into(), v.into());
            }
        }
        if let Some(v) = call.arg("CloseSourceBranch") {
            body.insert(
                "close_source_branch".into(),
                matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes").into(),
            );
        }
    }
    let body = (!body.is_empty()).then_some(serde_json::Value::Object(body));
    let pr = send(session, reqwest::Method::POST, &path, body.as_ref())
        .await?
        .unwrap_or_default();
    let text = |p: &str| pr.pointer(p).and_then(|v| v.as_str()).map(String::from);
    let mut row = vec![text("/state")];
    if merge {
        row.push(text("/merge_commit/hash"));
    }
    Ok(row)
}
