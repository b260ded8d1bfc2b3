//! Request log and concurrency statistics, so tests can assert what the driver sent
//! (parallel page fetches, retries, no duplicated parameters…). Control endpoints are not logged.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use parking_lot::Mutex;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// 1-based arrival order.
    pub seq: u64,
    pub method: String,
    /// Raw path as sent (still percent-encoded).
    pub path: String,
    /// Path and query as sent.
    pub url: String,
    pub status: u16,
    /// `none`, `basic`, `bearer`, `query_token` or `other`.
    pub auth: String,
    /// The token endpoint's `grant_type` (its body is never logged: codes, tokens, secrets).
    pub grant_type: Option<String>,
    /// An injected dropped connection cut the answer (`status` is what the headers said).
    pub dropped: bool,
    /// The JSON body of a write (POST/PUT) to the API, so tests can assert what was sent.
    pub body: Option<String>,
    pub start: Instant,
    pub end: Instant,
}

#[derive(Debug)]
pub struct RequestLog {
    entries: Mutex<Vec<LoggedRequest>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    seq: AtomicU64,
    /// Reference point for the millisecond offsets in the JSON log.
    epoch: Instant,
}

/// Decrements the in-flight count when dropped (also if the request is cancelled).
pub struct InFlight<'a> {
    log: &'a RequestLog,
    pub seq: u64,
    pub start: Instant,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.log.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Default for RequestLog {
    fn default() -> Self {
        RequestLog {
            entries: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            seq: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }
}

impl RequestLog {
    pub fn begin(&self) -> InFlight<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight {
            log: self,
            seq: self.seq.fetch_add(1, Ordering::SeqCst) + 1,
            start: Instant::now(),
        }
    }

    pub fn record(&self, entry: LoggedRequest) {
        self.entries.lock().push(entry);
    }

    /// Entries in completion order.
    pub fn snapshot(&self) -> Vec<LoggedRequest> {
        self.entries.lock().clone()
    }

    pub fn count(&self) -> usize {
        self.entries.lock().len()
    }

    pub fn max_concurrency(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Clears entries and restarts the concurrency peak from what is in flight now.
    pub fn reset(&self) {
        self.entries.lock().clear();
        self.max_in_flight.store(self.in_flight.load(Ordering::SeqCst), Ordering::SeqCst);
    }

    fn ms(&self, t: Instant) -> f64 {
        t.saturating_duration_since(self.epoch).as_secs_f64() * 1000.0
    }

    pub fn to_json(&self) -> Value {
        let entries: Vec<Value> = self
            .snapshot()
            .iter()
            .map(|e| {
                let mut v = json!({
                    "seq": e.seq,
                    "method": e.method,
                    "path": e.path,
                    "url": e.url,
                    "status": e.status,
                    "auth": e.auth,
                    "dropped": e.dropped,
                    "start_ms": self.ms(e.start),
                    "end_ms": self.ms(e.end),
                });
                if let Some(g) = &e.grant_type {
                    v["grant_type"] = json!(g);
                }
                if let Some(b) = &e.body {
                    v["body"] = json!(b);
                }
                v
            })
            .collect();
        Value::Array(entries)
    }

    pub fn stats_json(&self) -> Value {
        json!({
            "count": self.count(),
            "max_concurrency": self.max_concurrency(),
            "in_flight": self.in_flight(),
        })
    }
}
