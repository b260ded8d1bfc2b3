//! The HTTP server: shared state, the per-request pipeline (latency → faults → rate limit →
//! auth → route) and the in-process handle used by Rust tests. The OAuth endpoints
//! (`/site/oauth2/*`) have their own pipeline in `oauth::endpoints`.

use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;
use parking_lot::RwLock;

use crate::auth::{self, AuthKind, Caller};
use crate::cache::{self, Cached, ResponseCache};
use crate::config::{DropAt, FakeConfig, Faults, Switches};
use crate::control;
use crate::data::{generate, Dataset};
use crate::errors::{ascii_json, ApiError};
use crate::log::{LoggedRequest, RequestLog};
use crate::oauth::{self, OAuthServer};
use crate::query::QueryParams;
use crate::ratelimit::{Decision, RateLimiter};
use crate::render::Links;
use crate::routes::{handle, match_route, Ctx, Reply};
use crate::shape::Shapes;
use futures_util::StreamExt;

/// State shared by all requests.
pub struct AppState {
    /// Snapshot pointer: readers clone the `Arc`; future writes swap in a new data set.
    pub data: RwLock<Arc<Dataset>>,
    /// The data set as generated: `/_fake/reset` puts it back after tests wrote.
    pub pristine: Arc<Dataset>,
    pub shapes: RwLock<Arc<Shapes>>,
    pub switches: RwLock<Switches>,
    pub log: RequestLog,
    pub rate: RateLimiter,
    pub links: Links,
    pub seed: u64,
    pub oauth: OAuthServer,
    /// Rendered successful GET answers (see `cache.rs`).
    pub cache: ResponseCache,
}

impl AppState {
    pub fn new(ds: Dataset, switches: Switches, links: Links) -> Self {
        Self::with_cache(ds, switches, links, crate::config::DEFAULT_RESPONSE_CACHE_BYTES)
    }

    /// Like [`AppState::new`] with the response cache bounded to `cache_bytes` (0 = off).
    pub fn with_cache(ds: Dataset, switches: Switches, links: Links, cache_bytes: usize) -> Self {
        let shapes = Shapes::compute(&ds);
        let seed = ds.seed;
        let ds = Arc::new(ds);
        AppState {
            seed,
            pristine: ds.clone(),
            data: RwLock::new(ds),
            shapes: RwLock::new(Arc::new(shapes)),
            switches: RwLock::new(switches),
            log: RequestLog::default(),
            rate: RateLimiter::default(),
            oauth: OAuthServer::new(seed),
            links,
            cache: ResponseCache::new(cache_bytes),
        }
    }

    /// A "fail path" match alone: the OAuth endpoints can be failed on purpose, but a "fail next"
    /// meant for API calls is not used up by a token request.
    pub(crate) fn take_path_fault(&self, raw_path: &str) -> Option<u16> {
        let sw = self.switches.read();
        sw.faults
            .fail_path
            .as_ref()
            .filter(|f| !f.contains.is_empty() && raw_path.contains(&f.contains))
            .map(|f| f.status)
    }

    /// Consumes one "fail next" or matches "fail path"; returns the status to fail with.
    fn take_fault(&self, raw_path: &str) -> Option<u16> {
        {
            let mut sw = self.switches.write();
            if let Some(f) = sw.faults.fail_next.as_mut() {
                if f.count > 0 {
                    f.count -= 1;
                    let status = f.status;
                    if f.count == 0 {
                        sw.faults.fail_next = None;
                    }
                    return Some(status);
                }
            }
        }
        self.take_path_fault(raw_path)
    }

    /// Consumes one "drop next" or matches "drop path": where to cut this request's answer.
    fn take_drop(&self, raw_path: &str) -> Option<DropAt> {
        {
            let sw = self.switches.read();
            if sw.faults.drop_next.is_none() && sw.faults.drop_path.is_none() {
                return None;
            }
        }
        let mut sw = self.switches.write();
        if let Some(d) = sw.faults.drop_next.as_mut() {
            if d.after > 0 {
                d.after -= 1;
            } else if d.count > 0 {
                d.count -= 1;
                let at = d.at;
                if d.count == 0 {
                    sw.faults.drop_next = None;
                }
                return Some(at);
            }
        }
        sw.faults
            .drop_path
            .as_ref()
            .filter(|d| !d.contains.is_empty() && raw_path.contains(&d.contains))
            .map(|d| d.at)
    }
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/_fake/requests", get(control::requests))
        .route("/_fake/reset", post(control::reset))
        .route("/_fake/stats", get(control::stats))
        .route("/_fake/config", get(control::get_config).post(control::set_config))
        .route("/_fake/oauth", get(control::get_oauth).post(control::set_oauth))
        .route("/_fake/oauth/expire", post(control::expire_oauth))
        .route("/_fake/oauth/reset", post(control::reset_oauth))
        .route(oauth::endpoints::AUTHORIZE_PATH, any(oauth::endpoints::authorize))
        .route(oauth::endpoints::TOKEN_PATH, any(oauth::endpoints::access_token))
        .fallback(api)
        .with_state(state)
}

/// Every non-control request lands here.
async fn api(State(st): State<Arc<AppState>>, req: Request) -> Response {
    let flight = st.log.begin();
    let method = req.method().clone();
    let raw_path = req.uri().path().to_string();
    let url = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| raw_path.clone());
    let query = QueryParams::parse(req.uri().query());
    let auth_header = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let latency = st.switches.read().faults.latency_ms;
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let raw_query = req.uri().query().map(str::to_string);
    // Reads carry no body; a write's JSON body is read whole (and logged for tests).
    let body = if method == Method::GET || method == Method::HEAD {
        Bytes::new()
    } else {
        axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default()
    };
    let (resp, kind, cut) = process(&st, &method, &raw_path, raw_query, &query, auth_header, &body);
    let resp = match cut {
        Some(at) => drop_connection(resp, at).await,
        None => resp,
    };
    st.log.record(LoggedRequest {
        seq: flight.seq,
        method: method.to_string(),
        path: raw_path,
        url,
        status: resp.status().as_u16(),
        auth: kind.as_str().to_string(),
        grant_type: None,
        dropped: cut.is_some(),
        body: (!body.is_empty()).then(|| String::from_utf8_lossy(&body).into_owned()),
        start: flight.start,
        end: Instant::now(),
    });
    drop(flight);
    resp
}

/// The answer's status and headers as rendered, then a body that stops (after nothing, or
/// after half of it) with an error: hyper then closes the connection without finishing the
/// chunked body, so the client sees a broken connection, never a complete answer.
async fn drop_connection(resp: Response, at: DropAt) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let sent = match at {
        DropAt::Headers => Bytes::new(),
        DropAt::Body => bytes.slice(..bytes.len() / 2),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    let head = futures_util::stream::iter((!sent.is_empty()).then_some(Ok::<_, std::io::Error>(sent)));
    // Yield once first, so hyper flushes the headers (and the partial body) before the cut.
    let cut = futures_util::stream::once(async {
        tokio::task::yield_now().await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fake-bitbucket: injected dropped connection",
        ))
    });
    Response::from_parts(parts, Body::from_stream(head.chain(cut)))
}

type Processed = (Response, AuthKind, Option<DropAt>);

fn process(
    st: &AppState,
    method: &Method,
    raw_path: &str,
    raw_query: Option<String>,
    query: &QueryParams,
    auth_header: Option<String>,
    body: &[u8],
) -> Processed {
    let ds = st.data.read().clone();
    let shapes = st.shapes.read().clone();
    let now = Instant::now();
    let outcome = auth::authenticate_with(&ds, auth_header.as_deref(), query, |t| st.oauth.lookup(t, now));
    let kind = outcome.kind;
    if let Some(status) = st.take_fault(raw_path) {
        let esc = st.switches.read().escape_unicode;
        return (ApiError::injected(status).into_response_with(esc), kind, None);
    }
    let cut = st.take_drop(raw_path);
    let switches = st.switches.read().clone();
    let esc = switches.escape_unicode;
    let decision = st.rate.check(&outcome.rate_key, switches.rate_limit, now);
    if let Decision::Limited { retry_after_secs } = decision {
        let e = ApiError::rate_limited(switches.retry_after.then_some(retry_after_secs));
        return (e.into_response_with(esc), kind, cut);
    }
    let caller = match outcome.result {
        Ok(c) => c,
        Err(e) => return (e.into_response_with(esc), kind, cut),
    };
    if let Some(ep) = crate::routes::write::match_write(method, raw_path) {
        let resp = match crate::routes::write::handle(st, &ep, body, &caller) {
            Ok((status, Some(v))) => crate::errors::json_response(StatusCode::from_u16(status).unwrap_or(StatusCode::OK), &v, esc),
            Ok((status, None)) => {
                let mut r = Response::new(Body::empty());
                *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::NO_CONTENT);
                r
            }
            Err(e) => e.into_response_with(esc),
        };
        return (resp, kind, cut);
    }
    // Everything above ran for this request; only the rendering below may come from the cache.
    let key = (*method == Method::GET && st.cache.enabled()).then(|| cache::Key {
        path: raw_path.to_string(),
        query: raw_query,
        auth: auth_header,
    });
    let hit = key.as_ref().and_then(|k| st.cache.get(k, &ds, &shapes, &switches));
    let finish = |mut resp: Response| {
        add_rate_headers(&mut resp, &caller, raw_path, decision);
        (resp, kind, cut)
    };
    let resp = match hit {
        Some(c) => c.to_response(),
        None => {
            let result = match_route(method, raw_path).and_then(|ep| {
                let ctx = Ctx {
                    ds: &ds,
                    caller: &caller,
                    query,
                    raw_path,
                    links: &st.links,
                    switches: &switches,
                    shapes: &shapes,
                };
                handle(&ep, &ctx)
            });
            let json = match result {
                Ok(Reply::Json(v)) => v.to_string(),
                Ok(Reply::Text(json)) => json,
                Ok(Reply::Redirect(location)) => return finish(redirect(&location)),
                Err(e) => return finish(e.into_response_with(esc)),
            };
            let text = if esc { ascii_json(json) } else { json };
            let c = Cached::json(StatusCode::OK, Bytes::from(text));
            let resp = c.to_response();
            if let Some(k) = key {
                st.cache.put(k, c, &ds, &shapes, &switches);
            }
            resp
        }
    };
    finish(resp)
}

/// `302 Found` with an absolute `Location` and an empty body (PR diffstat, reference 8.4a).
pub(crate) fn redirect(location: &str) -> Response {
    let mut r = Response::new(axum::body::Body::empty());
    *r.status_mut() = StatusCode::FOUND;
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Access tokens on `/2.0/repositories/*` get `X-RateLimit-*` (reference 6.3, 8.22).
fn add_rate_headers(resp: &mut Response, caller: &Caller, raw_path: &str, d: Decision) {
    if !caller.is_access_token() || !raw_path.starts_with("/2.0/repositories") {
        return;
    }
    let (used, limit) = match d {
        Decision::Allowed { used, limit } => (used, limit),
        _ => (0, 1000),
    };
    let near = (used as u64) * 5 >= (limit as u64) * 4;
    let h = resp.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-resource", "api".to_string()),
        ("x-ratelimit-nearlimit", near.to_string()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
}

/// A running fake, in-process. Dropping it stops the server.
pub struct FakeServer {
    state: Arc<AppState>,
    port: u16,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeServer {
    /// Binds `127.0.0.1:cfg.port` (0 = any), serves on its own thread and Tokio runtime, and
    /// returns once the socket is listening.
    pub fn start(cfg: FakeConfig) -> io::Result<FakeServer> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", cfg.port))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let links = Links::new(&format!("http://127.0.0.1:{port}"));
        let state = Arc::new(AppState::with_cache(
            generate(cfg.seed, &cfg.scale),
            cfg.switches(),
            links,
            cfg.response_cache_bytes,
        ));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let app = router(state.clone());
        let thread = std::thread::Builder::new().name(format!("fake-bitbucket-{port}")).spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            rt.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                // Hard stop on drop: open keep-alive connections must not delay shutdown.
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = stop_rx => {}
                }
            });
            rt.shutdown_timeout(Duration::from_millis(500));
        })?;
        ready_rx
            .recv()
            .map_err(|_| io::Error::other("fake-bitbucket server thread exited early"))??;
        Ok(FakeServer {
            state,
            port,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/2.0`
    pub fn base_url(&self) -> String {
        self.state.links.api.clone()
    }

    /// `http://127.0.0.1:PORT` (web links, control endpoints).
    pub fn web_root(&self) -> String {
        self.state.links.web.clone()
    }

    /// Logged API requests in completion order (control endpoints are not logged).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log.snapshot()
    }

    pub fn request_count(&self) -> usize {
        self.state.log.count()
    }

    /// Peak number of API requests in flight at once since start or the last reset.
    pub fn max_concurrency(&self) -> usize {
        self.state.log.max_concurrency()
    }

    /// Undoes every write: the data set is the generated one again.
    pub fn reset_data(&self) {
        *self.state.data.write() = self.state.pristine.clone();
    }

    pub fn reset_log(&self) {
        self.state.log.reset();
    }

    /// Forgets all rate-limit windows.
    pub fn reset_rate_limits(&self) {
        self.state.rate.reset();
    }

    /// The OAuth server: settings, counters, `expire_all`, `reset`.
    pub fn oauth(&self) -> &OAuthServer {
        &self.state.oauth
    }

    /// `http://127.0.0.1:PORT/site/oauth2/authorize`
    pub fn oauth_authorize_url(&self) -> String {
        format!("{}{}", self.state.links.web, oauth::endpoints::AUTHORIZE_PATH)
    }

    /// `http://127.0.0.1:PORT/site/oauth2/access_token`
    pub fn oauth_token_url(&self) -> String {
        format!("{}{}", self.state.links.web, oauth::endpoints::TOKEN_PATH)
    }

    pub fn dataset(&self) -> Arc<Dataset> {
        self.state.data.read().clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        self.state.switches.write().faults = faults;
    }

    pub fn switches(&self) -> Switches {
        self.state.switches.read().clone()
    }

    /// Changes any run-time switch, e.g. `srv.update_switches(|s| s.past_end_404 = true)`.
    pub fn update_switches(&self, f: impl FnOnce(&mut Switches)) {
        f(&mut self.state.switches.write());
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
