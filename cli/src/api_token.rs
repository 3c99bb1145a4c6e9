//! `chatrace public set-token` and `forget-token`: the public API's token, stored for one base
//! URL in a file only its owner can read, and never printed.

use crate::config::{api_token_path, Credentials};
use crate::error::CliError;
use crate::output::print_text;
use crate::settings::{public_handle, Settings};

/// `public set-token`: stores the API token (the flag's, the variable's, or stdin's first
/// line) for the public base URL of the settings (default the catalogue's), mode 0600.
///
/// # Errors
///
/// A usage error when no token is given, the token or base URL could not be used, or the file
/// cannot be written.
pub fn set_api_token(command: &str, settings: &Settings) -> Result<(), CliError> {
    let token = match &settings.api_token {
        Some(token) => token.clone(),
        None => read_secret_line("API token: ").ok_or_else(|| {
            CliError::usage(format!(
                "{command}: no API token given: pass --api-token, set CHATRACE_API_TOKEN or \
                 write it on stdin"
            ))
        })?,
    };
    let base_url = settings
        .public_base_url
        .clone()
        .unwrap_or_else(|| chatrace::PublicClient::DEFAULT_BASE_URL.to_owned());
    // A token the SDK could not send is refused now rather than at the first call.
    public_handle(command, &base_url, &token)?;
    let path = api_token_path().ok_or_else(|| {
        CliError::usage(format!(
            "{command}: no config dir: set CHATRACE_CONFIG_DIR, XDG_CONFIG_HOME or HOME"
        ))
    })?;
    Credentials {
        token,
        base_url: base_url.clone(),
    }
    .store(&path)
    .map_err(|e| {
        CliError::usage(format!(
            "{command}: cannot store the API token in {}: {e}",
            path.display()
        ))
    })?;
    print_text(&format!(
        "API token stored in {} (for {base_url})",
        path.display()
    ))
}

/// `public forget-token`: removes the stored API token.
///
/// # Errors
///
/// A usage error when the file cannot be removed.
pub fn forget_api_token(command: &str) -> Result<(), CliError> {
    let Some(path) = api_token_path() else {
        return print_text("no config dir, so no stored API token");
    };
    match Credentials::remove(&path) {
        Ok(true) => print_text(&format!("removed {}", path.display())),
        Ok(false) => print_text(&format!("no stored API token at {}", path.display())),
        Err(e) => Err(CliError::usage(format!(
            "{command}: cannot remove {}: {e}",
            path.display()
        ))),
    }
}

/// The first line of stdin, trimmed; on a terminal, asked for on stderr and not echoed (with
/// `stty`, where there is one). `None` when nothing is given.
fn read_secret_line(question: &str) -> Option<String> {
    use std::io::{BufRead, IsTerminal, Write};
    let terminal = std::io::stdin().is_terminal();
    let stty = |arg: &str| {
        std::process::Command::new("stty")
            .arg(arg)
            .stdin(std::process::Stdio::inherit())
            .status()
            .is_ok_and(|status| status.success())
    };
    let hidden = terminal && stty("-echo");
    if terminal {
        eprint!("{question}");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if hidden {
        stty("echo");
        eprintln!();
    }
    let line = line.trim();
    (read.is_ok() && !line.is_empty()).then(|| line.to_owned())
}
