//! Where a command's base URL, token and account come from, and the SDK handle made of them.

use std::time::Duration;

use chatrace::{CallOptions, Client, Handle};
use clap::parser::ValueSource;
use clap::ArgMatches;

use crate::config::{api_token_path, credentials_path, Credentials};
use crate::error::CliError;
use crate::global;
use crate::output::Output;
use crate::sandbox::SandboxInfo;
use crate::terminal::Terminal;

/// The settings every API command starts from: the global flags (and their variables).
#[derive(Default)]
pub struct Settings {
    /// `--base-url` / `CHATRACE_BASE_URL`.
    pub base_url: Option<String>,
    /// `--token` / `CHATRACE_TOKEN`.
    pub token: Option<String>,
    /// `--account-id` / `CHATRACE_ACCOUNT_ID`.
    pub account_id: Option<u64>,
    /// `--api-token` / `CHATRACE_API_TOKEN`: the public API's token.
    pub api_token: Option<String>,
    /// `--public-base-url` / `CHATRACE_PUBLIC_BASE_URL`.
    pub public_base_url: Option<String>,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// `--output`, or the default for where stdout goes.
    pub output: Output,
    /// Whether stdout and stderr are terminals, and how wide.
    pub terminal: Terminal,
    /// The sandbox of `--sandbox`, once started.
    pub sandbox: Option<SandboxInfo>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("account_id", &self.account_id)
            .field("api_token", &self.api_token.as_ref().map(|_| "***"))
            .field("public_base_url", &self.public_base_url)
            .field("timeout", &self.timeout)
            .field("output", &self.output)
            .field("terminal", &self.terminal)
            .field("sandbox", &self.sandbox)
            .finish()
    }
}

impl Settings {
    /// The settings the global flags of `matches` give (no sandbox yet), on the process's
    /// terminal.
    pub fn from_matches(matches: &ArgMatches) -> Self {
        let terminal = Terminal::detect();
        // With `--sandbox`, what the environment holds is the user's real setup (their token,
        // account and server): only flags typed on the command line override the sandbox's.
        let sandbox = sandbox_wanted(matches);
        let applies =
            |id: &str| !sandbox || matches.value_source(id) == Some(ValueSource::CommandLine);
        let given = |id: &str| {
            matches
                .try_get_one::<String>(id)
                .ok()
                .flatten()
                .filter(|v| !v.is_empty() && applies(id))
                .cloned()
        };
        Settings {
            base_url: given(global::BASE_URL),
            token: given(global::TOKEN),
            account_id: matches
                .try_get_one::<u64>(global::ACCOUNT_ID)
                .ok()
                .flatten()
                .filter(|_| applies(global::ACCOUNT_ID))
                .copied(),
            api_token: given(global::API_TOKEN),
            public_base_url: given(global::PUBLIC_BASE_URL),
            timeout: matches
                .try_get_one::<u64>(global::TIMEOUT)
                .ok()
                .flatten()
                .map(|s| Duration::from_secs(*s)),
            output: Output::choose(matches, &terminal),
            terminal,
            sandbox: None,
        }
    }

    /// The per-call options of every call of the command.
    pub fn call_options(&self) -> CallOptions {
        CallOptions {
            timeout: self.timeout,
            ..CallOptions::default()
        }
    }
}

/// Whether `--sandbox` was given.
pub fn sandbox_wanted(matches: &ArgMatches) -> bool {
    matches.try_get_one::<bool>(global::SANDBOX).ok().flatten() == Some(&true)
}

/// Refuses `--sandbox` with a server URL typed on the command line: the sandbox answers on its
/// own address, so the URL would be ignored without a word.
///
/// # Errors
///
/// A usage error naming the flag.
pub fn check_sandbox_flags(matches: &ArgMatches) -> Result<(), CliError> {
    if !sandbox_wanted(matches) {
        return Ok(());
    }
    for (id, flag) in [
        (global::BASE_URL, "--base-url"),
        (global::PUBLIC_BASE_URL, "--public-base-url"),
    ] {
        if matches.value_source(id) == Some(ValueSource::CommandLine) {
            return Err(CliError::usage(format!(
                "{flag} and --sandbox: the sandbox serves on its own address; give one or the other"
            )));
        }
    }
    Ok(())
}

/// The base URL, token and account of a call.
#[derive(Default, PartialEq, Eq)]
pub struct Resolved {
    /// The API URL.
    pub base_url: Option<String>,
    /// The session token.
    pub token: Option<String>,
    /// The default account.
    pub account_id: Option<u64>,
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// Resolves the base URL, token and account of a call.
///
/// Base URL: the sandbox's, else `--base-url`/`CHATRACE_BASE_URL`, else the stored one.
/// Token: `--token`/`CHATRACE_TOKEN`, else the sandbox's demo token, else the stored one when
/// it was stored for this base URL (a token is never sent to a server it was not issued by).
/// Account: `--account-id`/`CHATRACE_ACCOUNT_ID`, else the sandbox's demo account.
/// `stored` is read only when needed.
///
/// # Errors
///
/// The error of `stored`.
pub fn resolve(
    settings: &Settings,
    stored: impl FnOnce() -> Result<Option<Credentials>, CliError>,
) -> Result<Resolved, CliError> {
    let sandbox = settings.sandbox.as_ref();
    let mut resolved = Resolved {
        base_url: sandbox
            .map(|s| s.base_url.clone())
            .or_else(|| settings.base_url.clone()),
        token: settings
            .token
            .clone()
            .or_else(|| sandbox.map(|s| s.token.clone())),
        account_id: settings.account_id.or(sandbox.map(|s| s.account_id)),
    };
    if resolved.token.is_none() || resolved.base_url.is_none() {
        if let Some(stored) = stored()? {
            match &resolved.base_url {
                None => {
                    resolved.base_url = Some(stored.base_url);
                    resolved.token = resolved.token.or(Some(stored.token));
                }
                Some(url) if same_url(url, &stored.base_url) => {
                    resolved.token = resolved.token.or(Some(stored.token));
                }
                Some(_) => {}
            }
        }
    }
    Ok(resolved)
}

/// The base URL and API token of a public API call.
#[derive(Default, PartialEq, Eq)]
pub struct ResolvedPublic {
    /// The base URL every path is joined to.
    pub base_url: String,
    /// The account's API token.
    pub token: Option<String>,
}

impl std::fmt::Debug for ResolvedPublic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolvedPublic")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Resolves the base URL and API token of a public API call, as [`resolve`] does for the
/// mobile API.
///
/// Base URL: the sandbox's, else `--public-base-url`/`CHATRACE_PUBLIC_BASE_URL`, else the
/// stored one, else `default_base_url` (the catalogue's). Token: `--api-token`/
/// `CHATRACE_API_TOKEN`, else the sandbox's, else the stored one when it was stored for this
/// base URL. `stored` is read only when needed.
///
/// # Errors
///
/// The error of `stored`.
pub fn resolve_public(
    settings: &Settings,
    default_base_url: &str,
    stored: impl FnOnce() -> Result<Option<Credentials>, CliError>,
) -> Result<ResolvedPublic, CliError> {
    let sandbox = settings.sandbox.as_ref().map(|sandbox| &sandbox.public);
    let token = settings
        .api_token
        .clone()
        .or_else(|| sandbox.map(|s| s.api_token.clone()));
    let base_url = sandbox
        .map(|s| s.base_url.clone())
        .or_else(|| settings.public_base_url.clone());
    if token.is_some() && base_url.is_some() {
        return Ok(ResolvedPublic {
            base_url: base_url.unwrap_or_default(),
            token,
        });
    }
    let stored = stored()?;
    let base_url = base_url
        .or_else(|| stored.as_ref().map(|s| s.base_url.clone()))
        .unwrap_or_else(|| default_base_url.to_owned());
    let token = token.or_else(|| {
        stored
            .filter(|s| same_url(&s.base_url, &base_url))
            .map(|s| s.token)
    });
    Ok(ResolvedPublic { base_url, token })
}

/// The stored API token of the public API; a broken file is an error.
///
/// # Errors
///
/// A usage error saying what is wrong with the file.
pub fn stored_api_token() -> Result<Option<Credentials>, CliError> {
    match api_token_path() {
        Some(path) => Credentials::load(&path).map_err(CliError::usage),
        None => Ok(None),
    }
}

/// The SDK handle of a public API command: the catalogue's public client on `base_url`, with
/// the account's API token.
///
/// # Errors
///
/// A usage error when the base URL does not parse or the token is not a valid header value.
pub fn public_handle(command: &str, base_url: &str, token: &str) -> Result<Handle, CliError> {
    chatrace::PublicClient::builder()
        .base_url(base_url)
        .api_token(token)
        .build()
        .map(|client| client.handle().clone())
        .map_err(|e| CliError::usage(format!("{command}: {e}")))
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/') == b.trim().trim_end_matches('/')
}

/// The stored credentials; a broken file is an error.
///
/// # Errors
///
/// A usage error saying what is wrong with the file.
pub fn stored_credentials() -> Result<Option<Credentials>, CliError> {
    match credentials_path() {
        Some(path) => Credentials::load(&path).map_err(CliError::usage),
        None => Ok(None),
    }
}

/// The stored credentials; a broken file counts as none (for `login` and `logout`, which
/// replace or remove it).
///
/// # Errors
///
/// None: the signature is that of [`stored_credentials`].
pub fn stored_credentials_lenient() -> Result<Option<Credentials>, CliError> {
    Ok(stored_credentials().ok().flatten())
}

/// The SDK handle of a command: its base URL, and its token and default account when given.
///
/// # Errors
///
/// A usage error when the base URL does not parse or the token is not a valid header value.
pub fn handle(
    command: &str,
    base_url: &str,
    token: Option<&str>,
    account_id: Option<u64>,
) -> Result<Handle, CliError> {
    // The catalogue's error table classifies the server's errors (`chatrace login` hints).
    let mut builder = Handle::builder()
        .error_codes(&chatrace::ERROR_CODES)
        .base_url(base_url);
    if let Some(token) = token {
        builder = builder.token(token);
    }
    if let Some(account_id) = account_id {
        builder = builder.account_id(account_id);
    }
    builder
        .build()
        .map_err(|e| CliError::usage(format!("{command}: {e}")))
}

/// The SDK client of a command that needs the base URL, the token and the account, and the
/// account.
///
/// # Errors
///
/// A usage error when one of them is missing or invalid, or the stored credentials are broken.
pub fn sdk_client(command: &str, settings: &Settings) -> Result<(Client, u64), CliError> {
    let resolved = resolve(settings, stored_credentials)?;
    let base_url = resolved.base_url.ok_or_else(|| no_base_url(command))?;
    let token = resolved.token.ok_or_else(|| {
        CliError::usage(format!(
            "{command}: not logged in: run `chatrace login`, pass --token or set CHATRACE_TOKEN"
        ))
    })?;
    let account = resolved.account_id.ok_or_else(|| {
        CliError::usage(format!(
            "{command}: no account id: pass --account-id or set CHATRACE_ACCOUNT_ID"
        ))
    })?;
    let mut builder = Client::builder()
        .base_url(base_url)
        .token(token)
        .account_id(account);
    if let Some(timeout) = settings.timeout {
        builder = builder.timeout(timeout);
    }
    let client = builder
        .build()
        .map_err(|e| CliError::usage(format!("{command}: {e}")))?;
    Ok((client, account))
}

/// The error of a command that has no base URL.
pub fn no_base_url(command: &str) -> CliError {
    CliError::usage(format!(
        "{command}: no base URL: pass --base-url, set CHATRACE_BASE_URL, run `chatrace login`, \
         or use --sandbox"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::PublicSandbox;

    fn stored() -> Result<Option<Credentials>, CliError> {
        Ok(Some(Credentials {
            token: "stored-token".into(),
            base_url: "http://stored.example/api/".into(),
        }))
    }

    #[test]
    fn the_stored_token_goes_only_to_its_own_server() {
        let none = Settings::default();
        let resolved = resolve(&none, stored).unwrap_or_default();
        assert_eq!(
            resolved.base_url.as_deref(),
            Some("http://stored.example/api/")
        );
        assert_eq!(resolved.token.as_deref(), Some("stored-token"));

        let same = Settings {
            base_url: Some("http://stored.example/api".into()),
            ..Settings::default()
        };
        let resolved = resolve(&same, stored).unwrap_or_default();
        assert_eq!(resolved.token.as_deref(), Some("stored-token"));

        let other = Settings {
            base_url: Some("http://other.example/".into()),
            ..Settings::default()
        };
        let resolved = resolve(&other, stored).unwrap_or_default();
        assert_eq!(resolved.token, None);
        assert!(!format!("{resolved:?}").contains("stored-token"));
    }

    /// A sandbox's settings.
    fn sandbox_info() -> SandboxInfo {
        SandboxInfo {
            base_url: "http://127.0.0.1:1/".into(),
            email: "e".into(),
            otp: "o".into(),
            token: "sandbox-token".into(),
            account_id: 1,
            contact_id: 2,
            public: PublicSandbox {
                base_url: "http://127.0.0.1:1/api/".into(),
                api_token: "sandbox-api-token".into(),
            },
        }
    }

    #[test]
    fn debug_shows_the_tokens_as_stars() {
        let settings = Settings {
            base_url: Some("http://base.example/".into()),
            token: Some("flag-token".into()),
            api_token: Some("flag-api-token".into()),
            sandbox: Some(sandbox_info()),
            ..Settings::default()
        };
        let debug = format!("{settings:?}");
        for secret in [
            "flag-token",
            "flag-api-token",
            "sandbox-token",
            "sandbox-api-token",
        ] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains("token: Some(\"***\")"), "{debug}");
        assert!(debug.contains("api_token: Some(\"***\")"), "{debug}");
        assert!(debug.contains("http://base.example/"), "{debug}");
        let none = format!("{:?}", Settings::default());
        assert!(none.contains("token: None"), "{none}");
    }

    #[test]
    fn flags_win_over_the_sandbox_and_the_file() {
        let settings = Settings {
            token: Some("flag-token".into()),
            account_id: Some(7),
            sandbox: Some(sandbox_info()),
            ..Settings::default()
        };
        let resolved = resolve(&settings, || panic!("not read")).unwrap_or_default();
        assert_eq!(resolved.base_url.as_deref(), Some("http://127.0.0.1:1/"));
        assert_eq!(resolved.token.as_deref(), Some("flag-token"));
        assert_eq!(resolved.account_id, Some(7));
    }

    fn stored_api_token() -> Result<Option<Credentials>, CliError> {
        Ok(Some(Credentials {
            token: "stored-api-token".into(),
            base_url: "https://app.example.com/api/".into(),
        }))
    }

    #[test]
    fn the_public_api_token_goes_only_to_the_base_url_it_was_stored_for() {
        const DEFAULT: &str = "https://api.example.com/";
        let none = Settings::default();
        let resolved = resolve_public(&none, DEFAULT, stored_api_token).unwrap_or_default();
        assert_eq!(resolved.base_url, "https://app.example.com/api/");
        assert_eq!(resolved.token.as_deref(), Some("stored-api-token"));

        let other = Settings {
            public_base_url: Some("https://other.example.com/api/".into()),
            ..Settings::default()
        };
        let resolved = resolve_public(&other, DEFAULT, stored_api_token).unwrap_or_default();
        assert_eq!(resolved.base_url, "https://other.example.com/api/");
        assert_eq!(resolved.token, None);
        assert!(!format!("{resolved:?}").contains("stored-api-token"));

        let resolved = resolve_public(&none, DEFAULT, || Ok(None)).unwrap_or_default();
        assert_eq!(resolved.base_url, DEFAULT, "the catalogue's base URL");
        assert_eq!(resolved.token, None);

        let given = Settings {
            api_token: Some("flag-token".into()),
            public_base_url: Some("http://127.0.0.1:1/".into()),
            ..Settings::default()
        };
        let resolved = resolve_public(&given, DEFAULT, || panic!("not read")).unwrap_or_default();
        assert_eq!(resolved.token.as_deref(), Some("flag-token"));
        assert_eq!(resolved.base_url, "http://127.0.0.1:1/");
    }

    #[test]
    fn the_sandbox_gives_the_public_base_url_and_token_and_the_flag_wins() {
        let settings = Settings {
            sandbox: Some(sandbox_info()),
            ..Settings::default()
        };
        let resolved = resolve_public(&settings, "https://api.example.com/", || panic!("not read"))
            .unwrap_or_default();
        assert_eq!(resolved.base_url, "http://127.0.0.1:1/api/");
        assert_eq!(resolved.token.as_deref(), Some("sandbox-api-token"));

        let flagged = Settings {
            api_token: Some("flag-token".into()),
            ..settings
        };
        let resolved = resolve_public(&flagged, "https://api.example.com/", || panic!("not read"))
            .unwrap_or_default();
        assert_eq!(resolved.token.as_deref(), Some("flag-token"));
    }
}
