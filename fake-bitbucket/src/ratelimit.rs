//! Per-credential rolling-window request counter (reference 6.3, 8.21).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// `used` includes this request.
    Allowed {
        used: u32,
        limit: u32,
    },
    /// Seconds until the oldest request leaves the window (at least 1).
    Limited {
        retry_after_secs: u64,
    },
    Unlimited,
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// Counts one request for `key` unless the window is full. Refused requests are not
    /// counted, so a client that backs off recovers once the window slides.
    pub fn check(&self, key: &str, limit: Option<(u32, Duration)>, now: Instant) -> Decision {
        let Some((max, window)) = limit else {
            return Decision::Unlimited;
        };
        let mut buckets = self.buckets.lock();
        let q = buckets.entry(key.to_string()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.len() as u64 >= max as u64 {
            let oldest = q.front().copied().unwrap_or(now);
            let wait = window.saturating_sub(now.duration_since(oldest));
            return Decision::Limited {
                retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64,
            };
        }
        q.push_back(now);
        Decision::Allowed {
            used: q.len() as u32,
            limit: max,
        }
    }

    pub fn reset(&self) {
        self.buckets.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_window() {
        let rl = RateLimiter::default();
        let lim = Some((2, Duration::from_secs(10)));
        let t0 = Instant::now();
        assert!(matches!(rl.check("a", lim, t0), Decision::Allowed { used: 1, .. }));
        assert!(matches!(rl.check("a", lim, t0), Decision::Allowed { used: 2, .. }));
        assert_eq!(
            rl.check("a", lim, t0 + Duration::from_secs(3)),
            Decision::Limited { retry_after_secs: 7 }
        );
        assert!(matches!(rl.check("b", lim, t0), Decision::Allowed { .. }));
        assert!(matches!(rl.check("a", lim, t0 + Duration::from_secs(10)), Decision::Allowed { .. }));
        assert_eq!(rl.check("a", None, t0), Decision::Unlimited);
    }
}
