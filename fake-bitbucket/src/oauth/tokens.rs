//! What the OAuth server has handed out (codes, access and refresh tokens) and the random
//! strings they are made of.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;

use crate::data::rng::Rng;

/// How long an authorization code waits for its exchange.
pub const CODE_TTL: Duration = Duration::from_secs(300);

#[derive(Debug, Clone)]
pub struct Code {
    pub consumer: &'static str,
    /// The `redirect_uri` of the authorize request, which the exchange must repeat.
    pub redirect_uri: Option<String>,
    pub user_uuid: String,
    pub expires: Instant,
}

#[derive(Debug, Clone)]
pub struct Access {
    pub consumer: &'static str,
    pub user_uuid: String,
    /// `None` when `expires_in` is too large to represent: never expires.
    pub expires: Option<Instant>,
}

#[derive(Debug, Clone)]
pub struct Refresh {
    pub consumer: &'static str,
    pub user_uuid: String,
}

#[derive(Debug)]
pub struct Store {
    rng: Rng,
    /// Every string ever handed out, so no two tokens or codes are ever equal.
    issued: HashSet<String>,
    pub codes: HashMap<String, Code>,
    pub access: HashMap<String, Access>,
    pub refresh: HashMap<String, Refresh>,
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl Store {
    /// Mixed with the clock: a restarted fake never accepts a token a client kept from the
    /// previous run.
    pub fn new(seed: u64) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        Store {
            rng: Rng::stream(seed ^ nanos ^ u64::from(std::process::id()).rotate_left(32), "oauth"),
            issued: HashSet::new(),
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
        }
    }

    fn fresh(&mut self, make: impl Fn(&mut Rng) -> String) -> String {
        loop {
            let s = make(&mut self.rng);
            if self.issued.insert(s.clone()) {
                return s;
            }
        }
    }

    /// Short alphanumeric strings, like Bitbucket's codes.
    pub fn new_code(&mut self) -> String {
        self.fresh(|r| alnum(r, 18))
    }

    pub fn new_refresh_token(&mut self) -> String {
        self.fresh(|r| alnum(r, 18))
    }

    /// Long URL-safe base64 with `==` padding, like Bitbucket's access tokens.
    pub fn new_access_token(&mut self) -> String {
        self.fresh(|r| {
            let bytes: Vec<u8> = (0..100).map(|_| r.next_u64() as u8).collect();
            base64::engine::general_purpose::URL_SAFE.encode(bytes)
        })
    }

    /// Forgets everything handed out (the uniqueness memory stays).
    pub fn clear(&mut self) {
        self.codes.clear();
        self.access.clear();
        self.refresh.clear();
    }
}

fn alnum(r: &mut Rng, n: usize) -> String {
    (0..n).map(|_| ALNUM[r.below(ALNUM.len() as u64) as usize] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_unique_and_shaped() {
        let mut s = Store::new(1);
        let mut seen = HashSet::new();
        for _ in 0..500 {
            let (c, r, a) = (s.new_code(), s.new_refresh_token(), s.new_access_token());
            assert!(c.len() == 18 && c.bytes().all(|b| b.is_ascii_alphanumeric()));
            assert!(a.ends_with("==") && a.len() == 136, "{a}");
            assert!(seen.insert(c) && seen.insert(r) && seen.insert(a));
        }
    }
}
