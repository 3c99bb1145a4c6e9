//! Running one command line: parse, resolve the settings, call, print.

use std::ffi::OsString;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;
use std::time::Duration;

use chatrace::{Auth, CallOptions, OperationMeta, PagingMeta, Scope, SessionEffect};
use clap::ArgMatches;
use serde_json::{json, Value};

use crate::commands::{build_cli, global, kebab, provenance_text, Route, ALL};
use crate::config::{credentials_path, Credentials};
use crate::error::{CliError, Exit};
use crate::request::{self, Request};
use crate::sandbox::{EmbeddedSandbox, SandboxInfo};

/// The operation `login` asks a one-time code with.
pub const REQUEST_OTP_OPERATION: &str = "request_email_otp";
/// The operation `login` exchanges the code for a token with.
pub const VALIDATE_OTP_OPERATION: &str = "validate_email_otp";

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Indented JSON (the default).
    Pretty,
    /// Compact JSON on one line.
    Json,
}

/// The process's entry point: runs `std::env::args_os()` against the catalogue's operations
/// on a Tokio runtime and returns the exit code.
pub fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(run(&chatrace::OPERATIONS, std::env::args_os())),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            Exit::Transport.into()
        }
    }
}

/// Runs one command line (`args` starts with the program name) against `ops`; prints the
/// result on stdout and any error, on one line, on stderr; returns the exit code.
pub async fn run<I, T>(ops: &[&'static OperationMeta], args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = build_cli(ops);
    let matches = match cli.command.clone().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let Some((name, sub)) = matches.subcommand() else {
        eprintln!("error: no command given: see `chatrace --help`");
        return Exit::Usage.into();
    };
    let Some(route) = cli.route(name) else {
        eprintln!("error: unknown command `{name}`");
        return Exit::Usage.into();
    };
    let result = match route {
        Route::Ops => print_ops(ops, output_of(sub)),
        Route::Completions => print_completions(cli.command, sub),
        Route::Operation(op) => with_settings(sub, |s| call_operation(name, op, sub, s)).await,
        Route::Login => with_settings(sub, |s| login(ops, sub, s)).await,
        Route::Logout(op) => with_settings(sub, |s| logout(op, sub, s)).await,
    };
    match result {
        Ok(()) => Exit::Success.into(),
        Err(e) => {
            eprintln!("{e}");
            e.exit.into()
        }
    }
}

/// The settings every API command starts from.
#[derive(Debug)]
pub struct Settings {
    /// `--base-url` / `CHATRACE_BASE_URL`.
    pub base_url: Option<String>,
    /// `--token` / `CHATRACE_TOKEN`.
    pub token: Option<String>,
    /// `--account-id` / `CHATRACE_ACCOUNT_ID`.
    pub account_id: Option<u64>,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// `--output`.
    pub output: Output,
    /// The sandbox of `--sandbox`.
    pub sandbox: Option<SandboxInfo>,
}

/// Runs `command` with the settings of `matches`, with a sandbox around it for `--sandbox`.
async fn with_settings<'a, F, Fut>(matches: &'a ArgMatches, command: F) -> Result<(), CliError>
where
    F: FnOnce(Settings) -> Fut,
    Fut: std::future::Future<Output = Result<(), CliError>> + 'a,
{
    let given = |id: &str| {
        matches
            .try_get_one::<String>(id)
            .ok()
            .flatten()
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let mut settings = Settings {
        base_url: given(global::BASE_URL),
        token: given(global::TOKEN),
        account_id: matches
            .try_get_one::<u64>(global::ACCOUNT_ID)
            .ok()
            .flatten()
            .copied(),
        timeout: matches
            .try_get_one::<u64>(global::TIMEOUT)
            .ok()
            .flatten()
            .map(|s| Duration::from_secs(*s)),
        output: output_of(matches),
        sandbox: None,
    };
    let sandbox_wanted = matches.try_get_one::<bool>(global::SANDBOX).ok().flatten() == Some(&true);
    if !sandbox_wanted {
        return command(settings).await;
    }
    let sandbox = EmbeddedSandbox::start().await?;
    settings.sandbox = Some(sandbox.info().clone());
    let result = command(settings).await;
    sandbox.shutdown().await;
    result
}

fn output_of(matches: &ArgMatches) -> Output {
    match matches
        .try_get_one::<String>(global::OUTPUT)
        .ok()
        .flatten()
        .map(String::as_str)
    {
        Some("json") => Output::Json,
        _ => Output::Pretty,
    }
}

/// Where the base URL and token of a call come from.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The API URL.
    pub base_url: Option<String>,
    /// The session token.
    pub token: Option<String>,
    /// The default account.
    pub account_id: Option<u64>,
}

/// Resolves the base URL, token and account of a call.
///
/// Base URL: the sandbox's, else `--base-url`/`CHATRACE_BASE_URL`, else the stored one.
/// Token: `--token`/`CHATRACE_TOKEN`, else the sandbox's demo token, else the stored one when
/// it was stored for this base URL (a token is never sent to a server it was not issued by).
/// Account: `--account-id`/`CHATRACE_ACCOUNT_ID`, else the sandbox's demo account.
/// `stored` is read only when needed.
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

fn same_url(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/') == b.trim().trim_end_matches('/')
}

/// The stored credentials; a broken file is an error.
fn stored_credentials() -> Result<Option<Credentials>, CliError> {
    match credentials_path() {
        Some(path) => Credentials::load(&path).map_err(CliError::usage),
        None => Ok(None),
    }
}

/// The stored credentials; a broken file counts as none (for `login` and `logout`, which
/// replace or remove it).
fn stored_credentials_lenient() -> Result<Option<Credentials>, CliError> {
    Ok(stored_credentials().ok().flatten())
}

fn client(
    command: &str,
    base_url: &str,
    token: Option<&str>,
    account_id: Option<u64>,
) -> Result<chatrace::Client, CliError> {
    let mut builder = chatrace::Client::builder().base_url(base_url);
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

fn no_base_url(command: &str) -> CliError {
    CliError::usage(format!(
        "{command}: no base URL: pass --base-url, set CHATRACE_BASE_URL, run `chatrace login`, \
         or use --sandbox"
    ))
}

fn call_options(settings: &Settings) -> CallOptions {
    CallOptions {
        timeout: settings.timeout,
        ..CallOptions::default()
    }
}

async fn call_operation(
    command: &str,
    op: &'static OperationMeta,
    matches: &ArgMatches,
    settings: Settings,
) -> Result<(), CliError> {
    let resolved = resolve(&settings, stored_credentials)?;
    let base_url = resolved.base_url.ok_or_else(|| no_base_url(command))?;
    if op.auth == Auth::Token && resolved.token.is_none() {
        return Err(CliError::usage(format!(
            "{command}: not logged in: run `chatrace login`, pass --token or set CHATRACE_TOKEN"
        )));
    }
    if op.scope == Scope::Account && resolved.account_id.is_none() {
        return Err(CliError::usage(format!(
            "{command}: no account id: pass --account-id or set CHATRACE_ACCOUNT_ID"
        )));
    }
    let client = client(
        command,
        &base_url,
        resolved.token.as_deref().filter(|_| op.auth == Auth::Token),
        resolved.account_id,
    )?;
    let request = request::from_matches(op, matches);
    let options = call_options(&settings);
    let all = matches.try_get_one::<bool>(ALL).ok().flatten() == Some(&true);
    let value = match op.paging {
        Some(paging) if all => every_page(&client, op, paging, request, &options)
            .await
            .map_err(|e| CliError::from_sdk(command, &e))?,
        _ => send(&client, op, request, &options)
            .await
            .map_err(|e| CliError::from_sdk(command, &e))?,
    };
    if op.session == Some(SessionEffect::Start) {
        // A login answer carries the token: store it as `login` does, never print it.
        let mut value = value;
        let token = text_of(value.get("token"))
            .or_else(|| client.token().map(|t| t.expose().to_owned()))
            .ok_or_else(|| {
                CliError::new(
                    Exit::Transport,
                    format!("{command}: the answer has no token"),
                )
            })?;
        let path = store_session(command, token, base_url)?;
        if let Some(slot) = value.get_mut("token") {
            *slot = Value::String("***".to_owned());
        }
        eprintln!("token stored in {}", path.display());
        return print_json(&value, settings.output);
    }
    print_json(&value, settings.output)
}

/// Stores a session token for `base_url` in the credentials file (created 0600).
fn store_session(
    command: &str,
    token: String,
    base_url: String,
) -> Result<std::path::PathBuf, CliError> {
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
    Ok(path)
}

async fn send(
    client: &chatrace::Client,
    op: &'static OperationMeta,
    request: Request,
    options: &CallOptions,
) -> Result<Value, chatrace::Error> {
    client
        .execute_json_with_files(op, request.body, request.headers, request.files, options)
        .await
}

/// The pages of a list, one after the other, as one array: from the request's offset (or 0),
/// pages of its limit (or the default), within `1..=max_limit`, until a page is shorter than
/// the limit. An answer that is not a list is returned as it is.
async fn every_page(
    client: &chatrace::Client,
    op: &'static OperationMeta,
    paging: PagingMeta,
    mut request: Request,
    options: &CallOptions,
) -> Result<Value, chatrace::Error> {
    let number = |wire: &str, request: &Request| {
        request.get(op, wire).and_then(|v| match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        })
    };
    let mut offset = number(paging.offset, &request).unwrap_or(0);
    let limit = number(paging.limit, &request)
        .unwrap_or(u64::from(paging.default_limit))
        .clamp(1, u64::from(paging.max_limit).max(1));
    let mut items = Vec::new();
    loop {
        request.set(op, paging.offset, Value::from(offset));
        request.set(op, paging.limit, Value::from(limit));
        let page = match send(client, op, request.clone(), options).await? {
            Value::Array(page) => page,
            Value::Null => Vec::new(),
            other if items.is_empty() => return Ok(other),
            _ => Vec::new(),
        };
        let received = page.len() as u64;
        items.extend(page);
        if received < limit {
            return Ok(Value::Array(items));
        }
        offset += received;
    }
}

/// Prints a JSON value on stdout. A closed pipe (`| head`) is not an error.
pub fn print_json(value: &Value, output: Output) -> Result<(), CliError> {
    let text = match output {
        Output::Pretty => serde_json::to_string_pretty(value),
        Output::Json => serde_json::to_string(value),
    }
    .map_err(|e| CliError::new(Exit::Transport, format!("cannot print the answer: {e}")))?;
    print_text(&text)
}

fn print_text(text: &str) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(CliError::usage(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

fn print_ops(ops: &[&'static OperationMeta], output: Output) -> Result<(), CliError> {
    if output == Output::Json {
        let list: Vec<Value> = ops
            .iter()
            .map(|op| {
                json!({
                    "name": kebab(op.name),
                    "provenance": provenance_text(op.provenance),
                    "title": op.title,
                })
            })
            .collect();
        return print_json(&Value::Array(list), output);
    }
    let width = ops.iter().map(|op| op.name.len()).max().unwrap_or(0);
    let lines: Vec<String> = ops
        .iter()
        .map(|op| {
            format!(
                "{:<width$}  {:<10}  {}",
                kebab(op.name),
                provenance_text(op.provenance),
                op.title
            )
        })
        .collect();
    print_text(&lines.join("\n"))
}

fn print_completions(mut command: clap::Command, matches: &ArgMatches) -> Result<(), CliError> {
    let shell = matches
        .try_get_one::<clap_complete::Shell>("shell")
        .ok()
        .flatten()
        .copied()
        .ok_or_else(|| CliError::usage("completions: name a shell: bash, zsh, fish"))?;
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "chatrace", &mut buffer);
    print_text(String::from_utf8_lossy(&buffer).trim_end())
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
    io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|_| missing())?;
    let line = line.trim().to_owned();
    if line.is_empty() {
        Err(missing())
    } else {
        Ok(line)
    }
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

async fn login(
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
    let client = client(command, &base_url, None, resolved.account_id)?;
    let options = call_options(&settings);
    let send = |op: &'static OperationMeta, values: Vec<(&str, Value)>| {
        let client = client.clone();
        let options = options.clone();
        let Request {
            body,
            headers,
            files,
        } = request::from_values(op, &values);
        async move {
            client
                .execute_json_with_files(op, body, headers, files, &options)
                .await
                .map_err(|e| CliError::from_sdk(command, &e))
        }
    };
    let answer = send(request_otp, vec![("email", Value::String(email.clone()))]).await?;
    let rid = text_of(answer.get("rid")).ok_or_else(|| {
        CliError::new(
            Exit::Transport,
            format!("login: {REQUEST_OTP_OPERATION} answered no request id (`rid`)"),
        )
    })?;
    let code = match flag("code").or_else(|| sandbox.map(|s| s.otp.clone())) {
        Some(code) => code,
        None => prompt(&format!("Code sent to {email}: "), "code", "--code")?,
    };
    let answer = send(
        validate_otp,
        vec![("rid", Value::String(rid)), ("code", Value::String(code))],
    )
    .await?;
    let token = text_of(answer.get("token"))
        .or_else(|| client.token().map(|t| t.expose().to_owned()))
        .ok_or_else(|| {
            CliError::new(
                Exit::Transport,
                format!("login: {VALIDATE_OTP_OPERATION} answered no token"),
            )
        })?;
    let path = store_session(command, token, base_url)?;
    print_text(&format!(
        "logged in as {email}; token stored in {}",
        path.display()
    ))
}

async fn logout(
    op: Option<&'static OperationMeta>,
    matches: &ArgMatches,
    settings: Settings,
) -> Result<(), CliError> {
    let command = "logout";
    let resolved = resolve(&settings, stored_credentials_lenient)?;
    if let (Some(op), Some(token), Some(base_url)) = (op, &resolved.token, &resolved.base_url) {
        let client = client(command, base_url, Some(token), resolved.account_id)?;
        let Request {
            body,
            headers,
            files,
        } = request::from_matches(op, matches);
        let sent = client
            .execute_json_with_files(op, body, headers, files, &call_options(&settings))
            .await;
        if let Err(e) = sent {
            eprintln!(
                "warning: {} (the stored credentials are removed anyway)",
                CliError::from_sdk(command, &e).message
            );
        }
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
