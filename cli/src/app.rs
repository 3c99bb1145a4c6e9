//! Running one command line: parse, start the sandbox if asked, run the command, print, exit.

use std::ffi::OsString;
use std::future::Future;
use std::process::ExitCode;

use chatrace::{Auth, OperationMeta, Scope, SentBytes, SessionEffect};
use clap::ArgMatches;

use crate::api_token::{forget_api_token, set_api_token};
use crate::body::WireRequest;
use crate::commands::{build_cli, builtin, Route, ALL, MAX_PAGES};
use crate::error::{CliError, Exit};
use crate::output::{ops_listing, print_answer, print_text, JsonLines, Output};
use crate::paging::{every_page, Listing};
use crate::progress::Progress;
use crate::sandbox::EmbeddedSandbox;
use crate::session::{keep_session, login, logout};
use crate::settings::{
    check_sandbox_flags, handle, no_base_url, public_handle, resolve, resolve_public,
    sandbox_wanted, stored_api_token, stored_credentials, Resolved, Settings,
};
use crate::terminal::Terminal;
use crate::typed;

/// Every operation of the catalogue: the mobile API's ([`chatrace::OPERATIONS`]), then the
/// public API's ([`chatrace::PUBLIC_OPERATIONS`]).
pub fn catalogue_operations() -> Vec<&'static OperationMeta> {
    chatrace::OPERATIONS
        .iter()
        .chain(chatrace::PUBLIC_OPERATIONS.iter())
        .copied()
        .collect()
}

/// The process's entry point: runs `std::env::args_os()` against the catalogue's operations
/// on a Tokio runtime and returns the exit code.
pub fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(run(&catalogue_operations(), std::env::args_os())),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            Exit::Transport.into()
        }
    }
}

/// Runs one command line (`args` starts with the program name) against `ops` (the public
/// API's among them are the `public` group's); prints the result on stdout and any error, on
/// one line, on stderr; returns the exit code.
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
    let Some(mut route) = cli.route(name) else {
        eprintln!("error: unknown command `{name}`");
        return Exit::Usage.into();
    };
    let (mut command, mut sub) = (name.to_owned(), sub);
    if let Route::Public = route {
        // The group's subcommand is what runs.
        let found = sub
            .subcommand()
            .and_then(|(name, matches)| Some((name, matches, cli.public_route(name)?)));
        let Some((name, matches, inner)) = found else {
            eprintln!("error: no public API command given: see `chatrace public --help`");
            return Exit::Usage.into();
        };
        (command, sub, route) = (format!("{} {name}", builtin::PUBLIC), matches, inner);
    }
    let command = command.as_str();
    let result = match route {
        Route::Ops => print_text(&ops_listing(ops, Output::choose(sub, &Terminal::detect()))),
        Route::Completions => print_completions(cli.command, sub),
        Route::Operation(op) => with_settings(sub, |s| call_operation(command, op, sub, s)).await,
        Route::Login => with_settings(sub, |s| login(ops, sub, s)).await,
        Route::Logout(op) => with_settings(sub, |s| logout(op, sub, s)).await,
        Route::Realtime(name) => crate::realtime::run(name, sub).await,
        Route::Export => with_settings(sub, |s| crate::export::export(sub, s)).await,
        Route::SetApiToken => set_api_token(command, &Settings::from_matches(sub)),
        Route::ForgetApiToken => forget_api_token(command),
        Route::Public => Err(CliError::usage("public: no public API command given")),
    };
    match result {
        Ok(()) => Exit::Success.into(),
        Err(e) => {
            eprintln!("{e}");
            e.exit.into()
        }
    }
}

/// Runs `command` with the settings of `matches`, with a sandbox around it for `--sandbox`.
async fn with_settings<'a, F, Fut>(matches: &'a ArgMatches, command: F) -> Result<(), CliError>
where
    F: FnOnce(Settings) -> Fut,
    Fut: Future<Output = Result<(), CliError>> + 'a,
{
    let mut settings = Settings::from_matches(matches);
    if !sandbox_wanted(matches) {
        return command(settings).await;
    }
    check_sandbox_flags(matches)?;
    let sandbox = EmbeddedSandbox::start().await?;
    settings.sandbox = Some(sandbox.info().clone());
    let result = command(settings).await;
    sandbox.shutdown().await;
    result
}

/// An operation subcommand: its flags as a wire-shaped request, read into the SDK's typed
/// request and sent on the SDK's typed path (every page of it with `--all`); the answer is
/// printed as JSON, and a login's token stored, never printed.
async fn call_operation(
    command: &str,
    op: &'static OperationMeta,
    matches: &ArgMatches,
    settings: Settings,
) -> Result<(), CliError> {
    let (handle, resolved) = operation_handle(command, op, &settings)?;
    let options = settings.call_options();
    let wire = WireRequest::from_matches(op, matches, resolved.account_id);
    let base_url = resolved.base_url.unwrap_or_default();
    let all = matches.try_get_one::<bool>(ALL).ok().flatten() == Some(&true);
    let output = settings.output;
    let answer = match op.paging {
        Some(paging) if all => {
            let max_pages = matches
                .try_get_one::<u32>(MAX_PAGES)
                .ok()
                .flatten()
                .copied();
            let progress = Progress::items(&settings.terminal, output, command);
            let listing = if output == Output::Jsonl {
                let mut lines = JsonLines::stdout();
                let listing = every_page(
                    command, paging, wire, max_pages, &handle, &options, &mut lines, &progress,
                )
                .await;
                progress.finish();
                match listing? {
                    // Every item is printed already.
                    Listing::Done { .. } => return Ok(()),
                    other => other,
                }
            } else {
                let mut items = Vec::new();
                let listing = every_page(
                    command, paging, wire, max_pages, &handle, &options, &mut items, &progress,
                )
                .await;
                progress.finish();
                return print_answer(
                    &listing?.answer(paging, items),
                    op,
                    output,
                    settings.terminal.columns(),
                );
            };
            listing.answer(paging, Vec::new())
        }
        _ if !wire.files().is_empty() && Progress::wanted(&settings.terminal, output) => {
            send_with_progress(command, wire, &handle, &options, &settings).await?
        }
        _ => typed::call(command, &wire, &handle, &options).await?,
    };
    let answer = match op.session {
        Some(SessionEffect::Start) => keep_session(command, answer, &handle, base_url, &settings)?,
        _ => answer,
    };
    print_answer(&answer, op, output, settings.terminal.columns())
}

/// The SDK handle an operation is sent through, and the settings it was made of (a public API
/// operation's base URL and API token; a mobile one's base URL, token and account).
///
/// # Errors
///
/// A usage error when a setting the operation needs is missing or invalid.
fn operation_handle(
    command: &str,
    op: &'static OperationMeta,
    settings: &Settings,
) -> Result<(chatrace::Handle, Resolved), CliError> {
    if op.http.is_some() {
        let resolved = resolve_public(
            settings,
            chatrace::PublicClient::DEFAULT_BASE_URL,
            stored_api_token,
        )?;
        let token = resolved.token.ok_or_else(|| {
            CliError::usage(format!(
                "{command}: no API token: pass --api-token, set CHATRACE_API_TOKEN or run \
                 `chatrace public set-token`"
            ))
        })?;
        let handle = public_handle(command, &resolved.base_url, &token)?;
        let resolved = Resolved {
            base_url: Some(resolved.base_url),
            ..Resolved::default()
        };
        return Ok((handle, resolved));
    }
    let resolved = resolve(settings, stored_credentials)?;
    let base_url = resolved
        .base_url
        .clone()
        .ok_or_else(|| no_base_url(command))?;
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
    let token = resolved.token.as_deref().filter(|_| op.auth == Auth::Token);
    let handle = handle(command, &base_url, token, resolved.account_id)?;
    Ok((handle, resolved))
}

/// Sends a request that uploads files, with the bytes sent shown on stderr.
async fn send_with_progress(
    command: &str,
    mut wire: WireRequest,
    handle: &chatrace::Handle,
    options: &chatrace::CallOptions,
    settings: &Settings,
) -> Result<serde_json::Value, CliError> {
    let sent = SentBytes::new();
    let total = wire.count_sent(&sent).await;
    let name = wire
        .files()
        .first()
        .and_then(|(_, file)| file.file_name())
        .unwrap_or(command)
        .to_owned();
    let progress = Progress::bytes(&settings.terminal, settings.output, total, &name);
    let call = typed::call(command, &wire, handle, options);
    tokio::pin!(call);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    let answer = loop {
        tokio::select! {
            answer = &mut call => break answer,
            _ = tick.tick() => progress.position(sent.get()),
        }
    };
    progress.position(sent.get());
    progress.finish();
    answer
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
