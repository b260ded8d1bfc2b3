//! The loopback listener of the browser flow: waits at CallbackURL for Bitbucket's redirect,
//! checks `state`, and answers the browser with a short page.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct Listener {
    listeners: Vec<TcpListener>,
    path: String,
    port: u16,
}

/// What the redirect carried.
pub enum Answer {
    Code(String),
    Denied(String),
}

impl Listener {
    /// Listens on the loopback port of `callback_url`; anything else is refused.
    pub async fn bind(callback_url: &str) -> Result<Listener, String> {
        let u = url::Url::parse(callback_url).map_err(|e| format!("CallbackURL='{callback_url}' is not a valid URL: {e}"))?;
        let host = u
            .host_str()
            .unwrap_or("")
            .trim_matches(|c| c == '[' || c == ']')
            .to_ascii_lowercase();
        if u.scheme() != "http" || !matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1") {
            return Err(format!(
                "CallbackURL='{callback_url}' must be a loopback http URL such as http://localhost:33333, so the driver can receive the sign-in on this machine"
            ));
        }
        let port = u.port_or_known_default().unwrap_or(80);
        let addrs: &[&str] = match host.as_str() {
            "127.0.0.1" => &["127.0.0.1"],
            "::1" => &["::1"],
            _ => &["127.0.0.1", "::1"],
        };
        let mut listeners = Vec::new();
        for a in addrs {
            match TcpListener::bind((*a, port)).await {
                Ok(l) => listeners.push(l),
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    return Err(format!(
                        "port {port} of CallbackURL is already in use (another sign-in in progress, or another program). Close it, or choose a free port in CallbackURL and register that URL as the consumer's callback URL"
                    ))
                }
                // A machine without IPv6 still has 127.0.0.1.
                Err(e) if listeners.is_empty() && *a == addrs[addrs.len() - 1] => {
                    return Err(format!("cannot listen on {callback_url}: {e}"))
                }
                Err(_) => {}
            }
        }
        if listeners.is_empty() {
            return Err(format!("cannot listen on {callback_url}"));
        }
        Ok(Listener {
            listeners,
            path: u.path().to_string(),
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves requests until the redirect with our `state` arrives.
    pub async fn wait(&self, state: &str) -> Result<Answer, String> {
        loop {
            let (stream, _) = self.accept().await?;
            match handle(stream, &self.path, state).await {
                Some(r) => return r,
                None => continue,
            }
        }
    }

    async fn accept(&self) -> Result<(TcpStream, std::net::SocketAddr), String> {
        let accepts = self.listeners.iter().map(|l| Box::pin(l.accept()));
        let (r, _, _) = futures::future::select_all(accepts).await;
        r.map_err(|e| format!("the sign-in listener failed: {e}"))
    }
}

/// `None` for requests that are not the redirect (a favicon, a probe): keep waiting.
async fn handle(mut stream: TcpStream, path: &str, state: &str) -> Option<Result<Answer, String>> {
    let target = read_target(&mut stream).await?;
    let (req_path, query) = target.split_once('?').unwrap_or((&target, ""));
    let want = if path.is_empty() { "/" } else { path };
    if req_path != want {
        respond(
            &mut stream,
            "404 Not Found",
            "Not found",
            "This address only receives the Bitbucket sign-in.",
        )
        .await;
        return None;
    }
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if get("state").as_deref() != Some(state) {
        respond(
            &mut stream,
            "400 Bad Request",
            "Sign-in failed",
            "The answer did not carry this sign-in's state. Close this window and connect again.",
        )
        .await;
        return Some(Err(
            "the browser sign-in answered with a wrong or missing state (a stale or forged redirect); connect again to start a new sign-in"
                .into(),
        ));
    }
    if let Some(err) = get("error") {
        let desc = get("error_description").unwrap_or_default();
        respond(
            &mut stream,
            "200 OK",
            "Access not granted",
            "Bitbucket did not grant access. You can close this window.",
        )
        .await;
        return Some(Ok(Answer::Denied(format!("{err} {desc}").trim().to_string())));
    }
    match get("code").filter(|c| !c.is_empty()) {
        Some(code) => {
            respond(
                &mut stream,
                "200 OK",
                "Signed in",
                "The Bitbucket ODBC driver is signed in. You can close this window.",
            )
            .await;
            Some(Ok(Answer::Code(code)))
        }
        None => {
            respond(
                &mut stream,
                "400 Bad Request",
                "Sign-in failed",
                "The answer carried no authorization code.",
            )
            .await;
            Some(Err("the browser sign-in answered without an authorization code".into()))
        }
    }
}

/// The request target of `GET <target> HTTP/1.1`; `None` for anything unreadable.
async fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let read = async {
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        Some(())
    };
    tokio::time::timeout(Duration::from_secs(10), read).await.ok()??;
    let text = String::from_utf8_lossy(&buf);
    let mut parts = text.lines().next()?.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(t)) => Some(t.to_string()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, title: &str, text: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}
