//! The token store: one JSON file per consumer and workspace, mode 0600, replaced atomically,
//! and a lock file so that two connections or processes never spend one refresh token twice
//! (Bitbucket rotates refresh tokens; the loser of such a race would be signed out).

use super::tokens::Tokens;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct TokenStore {
    path: PathBuf,
}

/// Held while reading, refreshing and writing; the OS lock is released on drop.
pub struct StoreLock(#[allow(dead_code)] File);

impl TokenStore {
    /// `location` is OAuthSettingsLocation: a file, a directory, or empty for the default place.
    pub fn new(location: &str, file_name: &str) -> Result<TokenStore, String> {
        let path = if location.trim().is_empty() {
            let base = dirs::config_dir().ok_or(
                "cannot find the user's configuration directory for the OAuth token store; set OAuthSettingsLocation to a file path",
            )?;
            base.join("bitbucket-odbc").join("oauth").join(file_name)
        } else {
            let p = PathBuf::from(location.trim());
            if p.is_dir() || location.ends_with('/') {
                p.join(file_name)
            } else {
                p
            }
        };
        Ok(TokenStore { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    fn io_err(&self, what: &str, e: std::io::Error) -> String {
        format!(
            "cannot {what} the OAuth token store {}: {e}. Check OAuthSettingsLocation and its permissions",
            self.path.display()
        )
    }

    fn ensure_dir(&self) -> Result<(), String> {
        let dir = self.dir();
        if dir.as_os_str().is_empty() || dir.exists() {
            return Ok(());
        }
        let mut b = fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(dir).map_err(|e| self.io_err("create the directory of", e))
    }

    /// Blocks until no other connection or process is refreshing these tokens.
    pub fn lock(&self) -> Result<StoreLock, String> {
        self.ensure_dir()?;
        let mut lock_path = self.path.clone().into_os_string();
        lock_path.push(".lock");
        let mut o = OpenOptions::new();
        o.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let f = o.open(&lock_path).map_err(|e| self.io_err("lock", e))?;
        f.lock().map_err(|e| self.io_err("lock", e))?;
        Ok(StoreLock(f))
    }

    /// The stored tokens; a missing or unreadable file is "no tokens" (sign in again).
    pub fn load(&self) -> Option<Tokens> {
        let text = fs::read(&self.path).ok()?;
        match serde_json::from_slice::<Tokens>(&text) {
            Ok(t) if !t.access_token.is_empty() || t.refresh_token.is_some() => Some(t),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), "ignoring an unreadable OAuth token store: {e}");
                None
            }
        }
    }

    /// Writes a temporary file (0600) beside the store and renames it over the old one.
    pub fn save(&self, tokens: &Tokens) -> Result<(), String> {
        self.ensure_dir()?;
        let json = serde_json::to_vec_pretty(tokens).map_err(|e| format!("cannot encode the OAuth tokens: {e}"))?;
        let mut tmp = tempfile::NamedTempFile::new_in(self.dir()).map_err(|e| self.io_err("write", e))?;
        tmp.write_all(&json).map_err(|e| self.io_err("write", e))?;
        tmp.as_file().sync_all().map_err(|e| self.io_err("write", e))?;
        tmp.persist(&self.path).map_err(|e| self.io_err("replace", e.error))?;
        tracing::info!(path = %self.path.display(), "OAuth tokens stored");
        Ok(())
    }
}

/// `consumer-key-0001-acme.json`: only characters that are safe in every file system.
pub fn file_name(client_id: &str, workspace: Option<&str>, kind: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let ws = workspace.map(clean).unwrap_or_else(|| "_".into());
    format!("{}-{}{}.json", clean(client_id), ws, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_is_private_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(&format!("{}/", dir.path().display()), "k-acme.json").unwrap();
        assert!(store.load().is_none());
        let t = Tokens::new("a".into(), Some("r".into()), Some(100), Some("repository".into()));
        store.save(&t).unwrap();
        assert_eq!(store.load(), Some(t));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let _l = store.lock().unwrap();
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("a/b:c", Some("acme"), ""), "a_b_c-acme.json");
        assert_eq!(file_name("k", None, "-client"), "k-_-client.json");
    }
}
