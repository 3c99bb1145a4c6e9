//! The session: `chatrace login` (the email OTP flow), `chatrace logout`, and the token a
//! login operation answers, stored and never printed.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use chatrace::{Handle, OperationMeta};
use clap::ArgMatches;
use serde_json::Value;

use crate::body::WireRequest;
use crate::config::{credentials_path, Credentials};
use crate::error::{CliError, Exit};
use crate::output::print_text;
use crate::settings::{handle, no_base_url, resolve, stored_credentials_lenient, Settings};
use crate::typed;

/// The operation `login` asks a one-time code with (`login`/`email`/`sendOTP`).
pub const REQUEST_OTP_OPERATION: &str = "request_email_otp";
/// The operation `login` exchanges the code for a token with (`login`/`email`/`validateOTP`).
pub const VALIDATE_OTP_OPERATION: &str = "validate_email_otp";

/// What a secret is shown as.
pub const REDACTED: &str = "***";

/// `chatrace login`: asks the server to email a code to `--email` (or the sandbox's, or the
/// one typed at the prompt), exchanges the code (`--code`, the sandbox's, or typed) for a
/// session token, and stores it with the base URL in the credentials file.
///
/// # Errors
///
/// A usage error when the catalogue has no email OTP operations, nothing is given where a
/// prompt gets nothing, or the file cannot be written; the API's or the transport's errors.
pub async fn login(
    ops: &[&'static OperationMeta],
    matches: &ArgMatches,
    settings: Settings,
) -> Result<(), CliError> {
    let command = "login";
    let request_otp = operation(ops, REQUEST_OTP_OPERATION)?;
    let validate_otp = operation(ops, VALIDATE_OTP_OPERATION)?;
    let resolved = resolve(&settings, stored_credentials_lenient)?;
    let base_url = resolved.base_url.ok_or_else(|| no_base_url(command))?;
    let flag = |id: &str| matches.try_get_one::<String>(id).ok().flatten().cloned();
    let sandbox = settings.sandbox.as_ref();
    let email = match flag("email").or_else(|| sandbox.map(|s| s.email.clone())) {
        Some(email) => email,
        None => prompt("Email: ", "email", "--email")?,
    };
    let handle = handle(command, &base_url, None, resolved.account_id)?;
    let options = settings.call_options();
    let wire = |op, values| {
        WireRequest::from_values(op, values, resolved.account_id)
            .map_err(|e| CliError::usage(format!("{command}: {e}")))
    };

    let asked = wire(request_otp, vec![("email", Value::String(email.clone()))])?;
    let answer = typed::call(command, &asked, &handle, &options).await?;
    let request_id = text_of(answer.get("rid")).ok_or_else(|| {
        CliError::new(
            Exit::Transport,
            format!("{command}: {REQUEST_OTP_OPERATION} answered no request id (`rid`)"),
        )
    })?;
    let code = match flag("code").or_else(|| sandbox.map(|s| s.otp.clone())) {
        Some(code) => code,
        None => prompt(&format!("Code sent to {email}: "), "code", "--code")?,
    };
    let validation = wire(
        validate_otp,
        vec![
            ("rid", Value::String(request_id)),
            ("code", Value::String(code)),
        ],
    )?;
    let answer = typed::call(command, &validation, &handle, &options).await?;
    let token = session_token(command, &answer, &handle)?;
    match store_session(command, token, base_url, &settings)? {
        Some(path) => print_text(&format!(
            "logged in as {email}; token stored in {}",
            path.display()
        )),
        None => print_text(&format!("logged in as {email}; {SANDBOX_NOT_STORED}")),
    }
}

/// Why a sandbox's session is not stored.
const SANDBOX_NOT_STORED: &str =
    "the sandbox's token is not stored (the sandbox ends with this command; stored credentials are left as they are)";

/// `chatrace logout`: sends the catalogue's session-ending operation `op` (with the flags of
/// its params) when a token and a base URL are known, then removes the credentials file. A
/// failed call is a warning: the file is removed anyway.
///
/// # Errors
///
/// A usage error when the file cannot be removed.
pub async fn logout(
    op: Option<&'static OperationMeta>,
    matches: &ArgMatches,
    settings: Settings,
) -> Result<(), CliError> {
    let command = "logout";
    let resolved = resolve(&settings, stored_credentials_lenient)?;
    let sandbox = settings.sandbox.is_some();
    if let (Some(op), Some(token), Some(base_url)) = (op, &resolved.token, &resolved.base_url) {
        let handle = handle(command, base_url, Some(token), resolved.account_id)?;
        let wire = WireRequest::from_matches(op, matches, resolved.account_id);
        if let Err(e) = typed::call(command, &wire, &handle, &settings.call_options()).await {
            let then = if sandbox {
                "stored credentials are left as they are"
            } else {
                "any stored credentials are removed anyway"
            };
            eprintln!("warning: {} ({then})", e.message);
        }
    }
    if sandbox {
        return print_text("logged out of the sandbox; stored credentials are left as they are");
    }
    let Some(path) = credentials_path() else {
        return print_text("logged out; no config dir, so no stored credentials");
    };
    match Credentials::remove(&path) {
        Ok(true) => print_text(&format!("logged out; removed {}", path.display())),
        Ok(false) => print_text(&format!(
            "logged out; no stored credentials at {}",
            path.display()
        )),
        Err(e) => Err(CliError::usage(format!(
            "logout: cannot remove {}: {e}",
            path.display()
        ))),
    }
}

/// After a `session: start` operation: stores the token of `answer` (or the one the handle
/// now holds) for `base_url`, tells on stderr where, and returns the answer with its token
/// shown as `***`.
///
/// # Errors
///
/// A transport error when the answer has no token; a usage error when it cannot be stored.
pub fn keep_session(
    command: &str,
    mut answer: Value,
    handle: &Handle,
    base_url: String,
    settings: &Settings,
) -> Result<Value, CliError> {
    let token = session_token(command, &answer, handle)?;
    match store_session(command, token, base_url, settings)? {
        Some(path) => eprintln!("token stored in {}", path.display()),
        None => eprintln!("{SANDBOX_NOT_STORED}"),
    }
    if let Some(slot) = answer.get_mut("token") {
        *slot = Value::String(REDACTED.to_owned());
    }
    Ok(answer)
}

/// The token a login answered.
fn session_token(command: &str, answer: &Value, handle: &Handle) -> Result<String, CliError> {
    text_of(answer.get("token"))
        .or_else(|| handle.token().map(|t| t.expose().to_owned()))
        .ok_or_else(|| {
            CliError::new(
                Exit::Transport,
                format!("{command}: the answer has no token"),
            )
        })
}

/// Stores a session token for `base_url` in the credentials file (created 0600), and says
/// where; with `--sandbox`, nothing: the sandbox ends with the command, and the file may hold
/// the user's real session.
fn store_session(
    command: &str,
    token: String,
    base_url: String,
    settings: &Settings,
) -> Result<Option<PathBuf>, CliError> {
    if settings.sandbox.is_some() {
        return Ok(None);
    }
    let path = credentials_path().ok_or_else(|| {
        CliError::usage(format!(
            "{command}: no config dir: set CHATRACE_CONFIG_DIR, XDG_CONFIG_HOME or HOME"
        ))
    })?;
    Credentials { token, base_url }.store(&path).map_err(|e| {
        CliError::usage(format!(
            "{command}: cannot store the token in {}: {e}",
            path.display()
        ))
    })?;
    Ok(Some(path))
}

fn operation(
    ops: &[&'static OperationMeta],
    name: &str,
) -> Result<&'static OperationMeta, CliError> {
    ops.iter()
        .copied()
        .find(|op| op.name == name)
        .ok_or_else(|| CliError::usage(format!("login: the catalogue has no `{name}` operation")))
}

/// Asks on stderr, reads a line from stdin.
fn prompt(question: &str, what: &str, flag: &str) -> Result<String, CliError> {
    let missing = || CliError::usage(format!("login: no {what} given: pass {flag}"));
    eprint!("{question}");
    let _ = io::stderr().flush();
    let mut line = String::new();
    let read = io::stdin().lock().read_line(&mut line);
    // Nothing read (a closed stdin): end the question's line, so that the error has its own.
    if !matches!(read, Ok(n) if n > 0) {
        eprintln!();
    }
    read.map_err(|_| missing())?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        Err(missing())
    } else {
        Ok(line)
    }
}

/// A JSON string or number as text; empty strings and anything else are `None`.
fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
