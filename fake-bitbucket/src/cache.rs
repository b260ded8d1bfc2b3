//! Cache of fully rendered successful GET answers, so that serving the same page again costs
//! a hash lookup instead of filtering, sorting and serializing rows (the benchmark's
//! throughput case reads ~1,000 pages of 100 commits and would otherwise measure the fake).
//!
//! Only the rendering is skipped: latency, faults, rate limiting, authentication and the
//! request log run for every request before the cache is consulted, and per-request headers
//! (`X-RateLimit-*`) are added afterwards. A handler's answer is a pure function of the data
//! set, the run-time switches, the request path, the raw query string and the credentials
//! (which decide identity and scopes), so the key is path + query + `Authorization` header,
//! and the whole cache is dropped as soon as the data set or any switch differs from the one
//! its entries were rendered with. Memory is bounded: once the bodies exceed the bound the
//! oldest entries are evicted.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use parking_lot::Mutex;

use crate::config::Switches;
use crate::data::Dataset;
use crate::shape::Shapes;

/// Everything of a request that a handler reads, besides the data set and the switches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub path: String,
    /// The raw query string (`None` = no `?`), as sent.
    pub query: Option<String>,
    /// The raw `Authorization` header: identity and scopes follow from it.
    pub auth: Option<String>,
}

impl Key {
    fn weight(&self) -> usize {
        self.path.len() + self.query.as_ref().map_or(0, String::len) + self.auth.as_ref().map_or(0, String::len) + 64
    }
}

/// A rendered answer: status, content type and body.
#[derive(Debug, Clone)]
pub struct Cached {
    pub status: StatusCode,
    pub content_type: HeaderValue,
    pub body: Bytes,
}

impl Cached {
    pub fn json(status: StatusCode, body: Bytes) -> Cached {
        Cached {
            status,
            content_type: HeaderValue::from_static("application/json; charset=utf-8"),
            body,
        }
    }

    /// A fresh response sharing the cached body (no copy).
    pub fn to_response(&self) -> Response {
        let mut r = Response::new(Body::from(self.body.clone()));
        *r.status_mut() = self.status;
        r.headers_mut().insert(header::CONTENT_TYPE, self.content_type.clone());
        r
    }
}

/// What the entries were rendered with; any difference empties the cache.
struct Epoch {
    data: Arc<Dataset>,
    shapes: Arc<Shapes>,
    switches: Switches,
}

impl Epoch {
    fn matches(&self, data: &Arc<Dataset>, shapes: &Arc<Shapes>, switches: &Switches) -> bool {
        Arc::ptr_eq(&self.data, data) && Arc::ptr_eq(&self.shapes, shapes) && self.switches == *switches
    }
}

#[derive(Default)]
struct Inner {
    epoch: Option<Epoch>,
    map: HashMap<Key, Cached>,
    /// Insertion order, for eviction.
    order: VecDeque<Key>,
    bytes: usize,
    hits: u64,
    misses: u64,
    evictions: u64,
    invalidations: u64,
}

impl Inner {
    fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
        self.bytes = 0;
    }

    /// Empties the cache unless its entries were rendered with exactly these inputs.
    fn sync_epoch(&mut self, data: &Arc<Dataset>, shapes: &Arc<Shapes>, switches: &Switches) {
        if self.epoch.as_ref().is_some_and(|e| e.matches(data, shapes, switches)) {
            return;
        }
        if !self.map.is_empty() {
            self.invalidations += 1;
        }
        self.clear();
        self.epoch = Some(Epoch {
            data: data.clone(),
            shapes: shapes.clone(),
            switches: switches.clone(),
        });
    }
}

pub struct ResponseCache {
    max_bytes: usize,
    inner: Mutex<Inner>,
}

/// Counters for `/_fake/stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    pub entries: usize,
    pub bytes: usize,
    pub hits: u64,
    pub misses: u64,
    pub evictions: u64,
    pub invalidations: u64,
}

impl ResponseCache {
    /// `max_bytes == 0` disables the cache.
    pub fn new(max_bytes: usize) -> Self {
        ResponseCache {
            max_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    pub fn get(&self, key: &Key, data: &Arc<Dataset>, shapes: &Arc<Shapes>, switches: &Switches) -> Option<Cached> {
        if !self.enabled() {
            return None;
        }
        let mut inner = self.inner.lock();
        inner.sync_epoch(data, shapes, switches);
        match inner.map.get(key).cloned() {
            Some(c) => {
                inner.hits += 1;
                Some(c)
            }
            None => {
                inner.misses += 1;
                None
            }
        }
    }

    /// Stores an answer rendered from `data`, `shapes` and `switches` (read before rendering,
    /// so a change made meanwhile is never stored under the new epoch).
    pub fn put(&self, key: Key, value: Cached, data: &Arc<Dataset>, shapes: &Arc<Shapes>, switches: &Switches) {
        let weight = key.weight() + value.body.len();
        if !self.enabled() || weight > self.max_bytes {
            return;
        }
        let mut inner = self.inner.lock();
        inner.sync_epoch(data, shapes, switches);
        if let Some(old) = inner.map.insert(key.clone(), value) {
            // A concurrent miss rendered the same answer: keep one copy in the accounting.
            inner.bytes -= key.weight() + old.body.len();
        } else {
            inner.order.push_back(key);
        }
        inner.bytes += weight;
        while inner.bytes > self.max_bytes {
            let Some(oldest) = inner.order.pop_front() else { break };
            if let Some(old) = inner.map.remove(&oldest) {
                inner.bytes -= oldest.weight() + old.body.len();
                inner.evictions += 1;
            }
        }
    }

    pub fn clear(&self) {
        self.inner.lock().clear();
    }

    pub fn stats(&self) -> CacheStats {
        let inner = self.inner.lock();
        CacheStats {
            entries: inner.map.len(),
            bytes: inner.bytes,
            hits: inner.hits,
            misses: inner.misses,
            evictions: inner.evictions,
            invalidations: inner.invalidations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FakeConfig;
    use crate::data::{generate, Scale};

    fn key(path: &str) -> Key {
        Key {
            path: path.into(),
            query: None,
            auth: None,
        }
    }

    #[test]
    fn bounded_and_invalidated_by_switches_and_data() {
        let data = Arc::new(generate(42, &Scale::small()));
        let shapes = Arc::new(Shapes::compute(&data));
        let sw = FakeConfig::default().switches();
        let body = |n: usize| Cached::json(StatusCode::OK, Bytes::from(vec![b'x'; n]));
        let c = ResponseCache::new(3 * (1000 + 64 + 2));
        for p in ["/a", "/b", "/c", "/d"] {
            c.put(key(p), body(1000), &data, &shapes, &sw);
        }
        // The bound holds three entries: the oldest went.
        assert!(c.get(&key("/a"), &data, &shapes, &sw).is_none());
        assert_eq!(c.get(&key("/d"), &data, &shapes, &sw).unwrap().body.len(), 1000);
        assert_eq!(c.stats().entries, 3);
        assert_eq!(c.stats().evictions, 1);
        // Any switch change empties it.
        let mut sw2 = sw.clone();
        sw2.faults.latency_ms = 1;
        assert!(c.get(&key("/d"), &data, &shapes, &sw2).is_none());
        assert_eq!(c.stats().entries, 0);
        // So does another data set, even an identical one.
        c.put(key("/d"), body(10), &data, &shapes, &sw2);
        let data2 = Arc::new(generate(42, &Scale::small()));
        assert!(c.get(&key("/d"), &data2, &shapes, &sw2).is_none());
        // Too big for the bound: not stored; disabled: nothing stored.
        c.put(key("/big"), body(10_000), &data2, &shapes, &sw2);
        assert!(c.get(&key("/big"), &data2, &shapes, &sw2).is_none());
        let off = ResponseCache::new(0);
        off.put(key("/a"), body(1), &data, &shapes, &sw);
        assert!(off.get(&key("/a"), &data, &shapes, &sw).is_none());
    }
}
