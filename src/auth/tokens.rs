//! OAuth tokens as the driver keeps them: in memory, in the token store and in procedure results.

use serde::{Deserialize, Serialize};

/// Renew this long before Bitbucket's expiry (a quarter of short lifetimes), so that a token
/// never expires mid-query.
pub const EXPIRY_MARGIN_SECS: i64 = 60;

#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Unix seconds when the driver renews it (the margin already taken off); `None` when
    /// unknown (a seeded token): used until Bitbucket says 401.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<String>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a token, even in debug output.
        f.debug_struct("Tokens")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "********"))
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Tokens {
    pub fn new(access: String, refresh: Option<String>, expires_in: Option<u64>, scopes: Option<String>) -> Tokens {
        Tokens {
            access_token: access,
            refresh_token: refresh.filter(|r| !r.is_empty()),
            expires_at: expires_in.map(|s| {
                let s = i64::try_from(s).unwrap_or(i64::MAX / 4);
                now_secs() + s - EXPIRY_MARGIN_SECS.min(s / 4)
            }),
            scopes,
        }
    }

    /// Usable now and for at least the margin (or of unknown lifetime).
    pub fn is_fresh(&self) -> bool {
        !self.access_token.is_empty() && self.expires_at.is_none_or(|t| t > now_secs())
    }

    /// Seconds left, for procedure results.
    pub fn expires_in(&self) -> Option<i64> {
        self.expires_at.map(|t| (t - now_secs()).max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_keeps_a_margin() {
        let hour = Tokens::new("a".into(), None, Some(3600), None);
        assert!(hour.is_fresh());
        assert_eq!(hour.expires_in(), Some(3600 - EXPIRY_MARGIN_SECS));
        // Two-second tokens are used for about two seconds, not refreshed at once.
        assert!(Tokens::new("a".into(), None, Some(2), None).is_fresh());
        assert!(!Tokens::new("a".into(), None, Some(0), None).is_fresh());
        assert!(Tokens::new("a".into(), None, None, None).is_fresh());
        assert!(!Tokens::default().is_fresh());
    }

    #[test]
    fn debug_hides_tokens() {
        let t = Tokens::new("secret-access".into(), Some("secret-refresh".into()), Some(10), None);
        let s = format!("{t:?}");
        assert!(!s.contains("secret"), "{s}");
    }
}
