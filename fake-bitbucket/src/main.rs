//! `fake-bitbucket --port N --seed S --scale small|medium|large --latency-ms L [--port-file P]`
//! Prints exactly one line, `listening on http://127.0.0.1:PORT/2.0`, then serves until
//! SIGTERM or SIGINT.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use fake_bitbucket::{FakeConfig, FakeServer, Scale};

const USAGE: &str = "usage: fake-bitbucket [--port N] [--seed S] [--scale small|medium|large] \
[--latency-ms L] [--port-file PATH] [--rate-limit N/SECS] [--retry-after] [--past-end-404] [--raw-unicode] \
[--pipelines-next] [--reject-unsupported-q] [--pr-state-ignored-with-q] [--response-cache-mb N]";

fn parse_args() -> Result<(FakeConfig, Option<String>), String> {
    let mut cfg = FakeConfig::default();
    let mut port_file = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--port" => cfg.port = value("--port")?.parse().map_err(|_| "bad --port")?,
            "--seed" => cfg.seed = value("--seed")?.parse().map_err(|_| "bad --seed")?,
            "--scale" => {
                let s = value("--scale")?;
                cfg.scale = Scale::by_name(&s).ok_or_else(|| format!("unknown scale '{s}'"))?;
            }
            "--latency-ms" => cfg.latency_ms = value("--latency-ms")?.parse().map_err(|_| "bad --latency-ms")?,
            "--port-file" => port_file = Some(value("--port-file")?),
            "--rate-limit" => {
                let v = value("--rate-limit")?;
                let (n, secs) = v.split_once('/').ok_or("--rate-limit wants N/SECS")?;
                let n: u32 = n.parse().map_err(|_| "bad --rate-limit count")?;
                let secs: u64 = secs.parse().map_err(|_| "bad --rate-limit window")?;
                cfg.rate_limit = Some((n, Duration::from_secs(secs)));
            }
            "--retry-after" => cfg.retry_after = true,
            "--past-end-404" => cfg.past_end_404 = true,
            "--raw-unicode" => cfg.escape_unicode = false,
            "--pipelines-next" => cfg.pipelines_omit_next = false,
            "--reject-unsupported-q" => cfg.reject_unsupported_q = true,
            "--pr-state-ignored-with-q" => cfg.pr_state_with_q = fake_bitbucket::PrStateWithQ::IgnoreState,
            "--response-cache-mb" => {
                let mb: usize = value("--response-cache-mb")?.parse().map_err(|_| "bad --response-cache-mb")?;
                cfg.response_cache_bytes = mb << 20;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    Ok((cfg, port_file))
}

/// Signal streams are created before the "listening" line is printed, so a supervisor that
/// sends SIGTERM right after reading it cannot kill the process before the handler exists.
struct Signals {
    term: Option<tokio::signal::unix::Signal>,
    int: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn install() -> Self {
        use tokio::signal::unix::{signal, SignalKind};
        Signals {
            term: signal(SignalKind::terminate()).ok(),
            int: signal(SignalKind::interrupt()).ok(),
        }
    }

    async fn wait(mut self) {
        async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
            match s {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        tokio::select! {
            _ = recv(&mut self.term) => {}
            _ = recv(&mut self.int) => {}
        }
    }
}

fn main() -> ExitCode {
    let (cfg, port_file) = match parse_args() {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("fake-bitbucket: {e}");
            return ExitCode::from(1);
        }
    };
    let signals = {
        let _guard = rt.enter();
        Signals::install()
    };
    let server = match FakeServer::start(cfg) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fake-bitbucket: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    if let Some(path) = port_file {
        // Write then rename, so a script polling for the file never reads it half-written.
        let tmp = format!("{path}.tmp");
        let written = std::fs::write(&tmp, format!("{}\n", server.port())).and_then(|_| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            eprintln!("fake-bitbucket: cannot write {path}: {e}");
            return ExitCode::from(1);
        }
    }
    let mut out = std::io::stdout();
    let _ = writeln!(out, "listening on {}", server.base_url());
    let _ = out.flush();
    rt.block_on(signals.wait());
    drop(server);
    ExitCode::SUCCESS
}
