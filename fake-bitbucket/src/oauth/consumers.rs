//! The OAuth consumers (clients) the fake knows; keys and secrets live in `crate::creds`.

use crate::creds;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consumer {
    pub key: &'static str,
    pub secret: &'static str,
    /// Shown on the consent page.
    pub name: &'static str,
    /// Only private consumers may use `client_credentials` (the token then acts as the owner).
    pub private: bool,
    /// E-mail of the owner, who is also the user who approves in test mode.
    pub owner_email: &'static str,
    /// The permissions ticked on the consumer: every token it gets carries exactly these.
    pub scopes: &'static [&'static str],
}

pub const CONSUMERS: &[Consumer] = &[
    Consumer {
        key: creds::CONSUMER_KEY,
        secret: creds::CONSUMER_SECRET,
        name: "ODBC driver (private)",
        private: true,
        owner_email: creds::ANALYST_EMAIL,
        scopes: creds::ACCESS_TOKEN_SCOPES,
    },
    Consumer {
        key: creds::PUBLIC_CONSUMER_KEY,
        secret: creds::PUBLIC_CONSUMER_SECRET,
        name: "ODBC driver (public)",
        private: false,
        owner_email: creds::ANALYST_EMAIL,
        scopes: creds::ACCESS_TOKEN_SCOPES,
    },
];

pub fn consumer(key: &str) -> Option<&'static Consumer> {
    CONSUMERS.iter().find(|c| c.key == key)
}
