//! Where `chatrace login` keeps the session token and `chatrace public set-token` the account's
//! API token, and how.
//!
//! The files are `credentials.json` (the session) and `api-token.json` (the public API's
//! token) in `$CHATRACE_CONFIG_DIR` when that is set, else in `$XDG_CONFIG_HOME/chatrace`,
//! else in `$HOME/.config/chatrace` (on Windows `%APPDATA%\chatrace`). Each holds
//! `{"token": ..., "base_url": ...}`, the token and the server it is for, and is created
//! readable by its owner only (mode 0600, in a directory of mode 0700) on Unix.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The variable that overrides the directory of the credentials file (tests use it).
pub const CONFIG_DIR_ENV: &str = "CHATRACE_CONFIG_DIR";

/// The name of the credentials file.
pub const CREDENTIALS_FILE: &str = "credentials.json";

/// The name of the file that keeps the public API's token.
pub const API_TOKEN_FILE: &str = "api-token.json";

/// The directory of the CLI's files, or `None` when no home directory is known.
pub fn config_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var(CONFIG_DIR_ENV) {
        return Some(dir);
    }
    let base = if cfg!(windows) {
        var("APPDATA")
    } else {
        var("XDG_CONFIG_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| var("HOME").map(|home| home.join(".config")))
    };
    base.map(|base| base.join("chatrace"))
}

/// The path of the credentials file, or `None` when no home directory is known.
pub fn credentials_path() -> Option<PathBuf> {
    config_dir().map(|dir| dir.join(CREDENTIALS_FILE))
}

/// The path of the file that keeps the public API's token, or `None` when no home directory
/// is known.
pub fn api_token_path() -> Option<PathBuf> {
    config_dir().map(|dir| dir.join(API_TOKEN_FILE))
}

/// A token and the server it is for: what `chatrace login` stores (the session token, for the
/// mobile API's URL) and what `chatrace public set-token` stores (the account's API token,
/// for the public API's base URL).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The token.
    pub token: String,
    /// The URL the token is for.
    pub base_url: String,
}

/// The command that writes the file at `path` again.
fn remedy(path: &Path) -> &'static str {
    if path.file_name().is_some_and(|name| name == API_TOKEN_FILE) {
        "run `chatrace public set-token` again"
    } else {
        "run `chatrace login` again"
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("token", &"***")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl Credentials {
    /// Reads the credentials at `path`: `Ok(None)` when there is no file.
    pub fn load(path: &Path) -> Result<Option<Credentials>, String> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not valid JSON ({e}): {}",
                path.display(),
                remedy(path)
            )
        })?;
        let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
        match (field("token"), field("base_url")) {
            (Some(token), Some(base_url)) => Ok(Some(Credentials { token, base_url })),
            _ => Err(format!(
                "{} has no `token` and `base_url`: {}",
                path.display(),
                remedy(path)
            )),
        }
    }

    /// Writes the credentials to `path`, replacing any previous file. The file is created with
    /// mode 0600 from the start (its directory, when created, with 0700) and moved into place,
    /// so it is never readable by others, not even for a moment.
    pub fn store(&self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        let text = serde_json::to_string_pretty(&json!({
            "token": self.token,
            "base_url": self.base_url,
        }))
        .map_err(io::Error::other)?;
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let written = write_private(&tmp, text.as_bytes()).and_then(|()| fs::rename(&tmp, path));
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written
    }

    /// Removes the file at `path`: `Ok(false)` when there was none.
    pub fn remove(path: &Path) -> io::Result<bool> {
        match fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_load_remove() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested").join(CREDENTIALS_FILE);
        assert_eq!(Credentials::load(&path), Ok(None));
        let creds = Credentials {
            token: "secret-token".into(),
            base_url: "http://127.0.0.1:1/api".into(),
        };
        creds.store(&path).expect("store");
        creds.store(&path).expect("store again over the first");
        assert_eq!(Credentials::load(&path), Ok(Some(creds.clone())));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{creds:?}").contains("secret-token"));
        assert_eq!(Credentials::remove(&path).ok(), Some(true));
        assert_eq!(Credentials::remove(&path).ok(), Some(false));
    }

    #[test]
    fn a_broken_file_is_an_error_that_says_what_to_do() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(CREDENTIALS_FILE);
        fs::write(&path, "not json").expect("write");
        let e = Credentials::load(&path).unwrap_err();
        assert!(e.contains("chatrace login"), "{e}");
        fs::write(&path, "{\"token\": 1}").expect("write");
        assert!(Credentials::load(&path).is_err());
        let api_token = dir.path().join(API_TOKEN_FILE);
        fs::write(&api_token, "[]").expect("write");
        let e = Credentials::load(&api_token).unwrap_err();
        assert!(e.contains("chatrace public set-token"), "{e}");
    }
}
