//! What the binary's tests share: the `chatrace` binary with none of the user's settings, and
//! what one run of it printed.

#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;

/// The binary with a private config dir and none of the user's settings (no base URL, token,
/// account, output format or forced terminal); stdout and stderr are pipes.
pub fn chatrace(config_dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatrace").unwrap_or_else(|e| panic!("{e}"));
    command
        .env("CHATRACE_CONFIG_DIR", config_dir)
        .env_remove("CHATRACE_BASE_URL")
        .env_remove("CHATRACE_TOKEN")
        .env_remove("CHATRACE_ACCOUNT_ID")
        .env_remove("CHATRACE_API_TOKEN")
        .env_remove("CHATRACE_PUBLIC_BASE_URL")
        .env_remove("CHATRACE_OUTPUT")
        .env_remove("CHATRACE_FORCE_TTY")
        .timeout(Duration::from_secs(120));
    command
}

/// What one run printed, and its exit code.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` with `args` and `stdin`.
pub fn run_command(mut command: Command, args: &[&str], stdin: &str) -> Run {
    let output = command
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap_or_else(|e| panic!("cannot run chatrace: {e}"));
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the binary with `args` and a private config dir.
pub fn run(config_dir: &Path, args: &[&str]) -> Run {
    run_command(chatrace(config_dir), args, "")
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}
