//! The `chatrace` binary, run as a user would: against `--sandbox`, or against a sandbox this
//! test starts so that several invocations share its state.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// The binary with a private config dir and none of the user's settings.
fn chatrace(config_dir: &Path) -> Command {
    let mut command = Command::cargo_bin("chatrace").unwrap_or_else(|e| panic!("{e}"));
    command
        .env("CHATRACE_CONFIG_DIR", config_dir)
        .env_remove("CHATRACE_BASE_URL")
        .env_remove("CHATRACE_TOKEN")
        .env_remove("CHATRACE_ACCOUNT_ID")
        .timeout(std::time::Duration::from_secs(60));
    command
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(config_dir: &Path, args: &[&str]) -> Run {
    run_with_stdin(config_dir, args, "")
}

fn run_with_stdin(config_dir: &Path, args: &[&str], stdin: &str) -> Run {
    let output = chatrace(config_dir)
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

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            run.stdout, run.stderr
        )
    })
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn ops_lists_every_operation_with_provenance_and_title() {
    let dir = tempdir();
    let out = run(dir.path(), &["ops"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), chatrace::OPERATIONS.len());
    assert_eq!(lines.len(), 54);
    for (line, op) in lines.iter().zip(chatrace::OPERATIONS.iter()) {
        assert!(line.starts_with(&op.name.replace('_', "-")), "{line}");
        assert!(
            line.contains("documented") || line.contains("inferred"),
            "{line}"
        );
        assert!(line.trim_end().ends_with(op.title.trim()), "{line}");
    }
    let out = run(dir.path(), &["ops", "--output", "json"]);
    assert_eq!(json(&out).as_array().map(Vec::len), Some(54));
}

#[test]
fn sandbox_list_orders_prints_a_json_array() {
    let dir = tempdir();
    let out = run(dir.path(), &["--sandbox", "list-orders"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let orders = json(&out);
    assert!(orders.as_array().is_some_and(|a| !a.is_empty()), "{orders}");
    assert!(out.stdout.lines().count() > 1, "pretty by default");
    let out = run(
        dir.path(),
        &[
            "--sandbox",
            "list-orders",
            "--output",
            "json",
            "--limit",
            "2",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1, "compact: {}", out.stdout);
    assert_eq!(json(&out).as_array().map(Vec::len), Some(2));
}

#[test]
fn all_fetches_every_page_of_a_paged_list() {
    let dir = tempdir();
    let count = |args: &[&str]| {
        let out = run(dir.path(), args);
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        json(&out).as_array().map(Vec::len).unwrap_or_default()
    };
    let one_page = count(&["--sandbox", "list-orders", "--limit", "100"]);
    assert!(one_page > 2, "the sandbox has {one_page} orders");
    assert_eq!(
        count(&["--sandbox", "list-orders", "--all", "--limit", "2"]),
        one_page
    );
    assert_eq!(
        count(&["--sandbox", "list-orders", "--all", "--offset", "1"]),
        one_page - 1
    );
    let help = run(dir.path(), &["get-order", "--help"]);
    assert!(
        !help.stdout.contains("--all"),
        "only paged operations have --all"
    );
}

#[test]
fn sandbox_get_order_prints_the_order() {
    let dir = tempdir();
    let out = run(dir.path(), &["--sandbox", "get-order", "--id", "1000000"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(json(&out)["id"], 1000000);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn a_missing_required_flag_is_exit_2_and_names_the_flag() {
    let dir = tempdir();
    let out = run(dir.path(), &["--sandbox", "get-order"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("--id"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_bad_value_is_exit_2() {
    let dir = tempdir();
    let out = run(
        dir.path(),
        &[
            "--sandbox",
            "update-order",
            "--id",
            "1000000",
            "--status",
            "5",
        ],
    );
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("--status"), "{}", out.stderr);
    let out = run(dir.path(), &["get-order", "--id", "x"]);
    assert_eq!(out.code, Some(2));
}

#[test]
fn a_wrong_token_is_exit_1_with_the_api_message_on_one_line() {
    let dir = tempdir();
    let out = run(
        dir.path(),
        &["--token", "wrong", "--sandbox", "list-orders"],
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: list-orders: API error 401: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("token"),
        "the API's message: {}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn settings_come_from_the_environment_too() {
    let dir = tempdir();
    let out = chatrace(dir.path())
        .env("CHATRACE_TOKEN", "wrong")
        .args(["--sandbox", "list-orders"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1), "CHATRACE_TOKEN is the token");
    let help = run(dir.path(), &["list-orders", "--help"]);
    assert!(help.stdout.contains("CHATRACE_TOKEN"), "{}", help.stdout);
    let with_secret = chatrace(dir.path())
        .env("CHATRACE_TOKEN", "very-secret-token")
        .args(["list-orders", "--help"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!String::from_utf8_lossy(&with_secret.stdout).contains("very-secret-token"));
}

#[test]
fn nothing_configured_is_exit_2_with_what_to_do() {
    let dir = tempdir();
    let out = run(dir.path(), &["list-orders"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.starts_with("error: list-orders: no base URL"),
        "{}",
        out.stderr
    );
    let out = run(
        dir.path(),
        &["--base-url", "http://127.0.0.1:9/", "list-orders"],
    );
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("chatrace login"), "{}", out.stderr);
    let out = run(
        dir.path(),
        &[
            "--base-url",
            "http://127.0.0.1:9/",
            "--token",
            "t",
            "list-orders",
        ],
    );
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("--account-id"), "{}", out.stderr);
}

#[test]
fn an_unreachable_server_is_exit_3() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempdir();
    let url = format!("http://127.0.0.1:{port}/");
    let out = run(
        dir.path(),
        &[
            "--base-url",
            &url,
            "--token",
            "t",
            "--account-id",
            "1",
            "get-order",
            "--id",
            "1",
        ],
    );
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("error: get-order: "),
        "{}",
        out.stderr
    );
}

#[test]
fn completions_cover_the_operations() {
    let dir = tempdir();
    for shell in ["bash", "zsh", "fish"] {
        let out = run(dir.path(), &["completions", shell]);
        assert_eq!(out.code, Some(0), "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("get-order"), "{shell}");
        assert!(out.stdout.contains("data-json"), "{shell}");
    }
    assert_eq!(run(dir.path(), &["completions", "cmd"]).code, Some(2));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Login, a read and a write with the stored token, then logout: four invocations against one
/// sandbox, so the token and the write outlive each process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_then_read_and_write_with_the_stored_token_then_logout() {
    let sandbox = chatrace_sandbox::Sandbox::start()
        .await
        .unwrap_or_else(|e| panic!("sandbox: {e}"));
    let url = sandbox.base_url();
    let creds = sandbox.credentials();
    let account = creds.account_id.to_string();
    let dir = tempdir();
    let file = dir.path().join("credentials.json");

    let out = run(
        dir.path(),
        &[
            "--base-url",
            &url,
            "login",
            "--email",
            &creds.email,
            "--code",
            &creds.otp,
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&format!("logged in as {}", creds.email)),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&file.display().to_string()),
        "{}",
        out.stdout
    );
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let token = stored["token"].as_str().unwrap_or_default().to_owned();
    assert!(!token.is_empty());
    assert_eq!(stored["base_url"], url.as_str());
    assert!(
        !out.stdout.contains(&token) && !out.stderr.contains(&token),
        "never print the token"
    );

    // A read: the base URL and the token come from the credentials file.
    let out = run(dir.path(), &["list-orders", "--account-id", &account]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(json(&out).as_array().is_some_and(|a| !a.is_empty()));

    // A write, visible to the next read.
    let out = run(
        dir.path(),
        &[
            "update-order",
            "--id",
            "1000000",
            "--status",
            "7",
            "--account-id",
            &account,
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let out = run(
        dir.path(),
        &["get-order", "--id", "1000000", "--account-id", &account],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(json(&out)["status"], 7);

    // Another server does not get the stored token.
    let out = run(
        dir.path(),
        &[
            "--base-url",
            "http://127.0.0.1:9/",
            "list-orders",
            "--account-id",
            &account,
        ],
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("not logged in"), "{}", out.stderr);

    let out = run(dir.path(), &["logout"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.is_empty(),
        "the API logout succeeded: {}",
        out.stderr
    );
    assert!(!file.exists());
    let out = run(
        dir.path(),
        &["--base-url", &url, "list-orders", "--account-id", &account],
    );
    assert_eq!(out.code, Some(2), "logged out: {}", out.stderr);
    // The token was ended on the server too.
    let out = run(
        dir.path(),
        &[
            "--base-url",
            &url,
            "--token",
            &token,
            "list-orders",
            "--account-id",
            &account,
        ],
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);

    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_prompts_for_what_is_not_given_and_rejects_a_wrong_code() {
    let sandbox = chatrace_sandbox::Sandbox::start()
        .await
        .unwrap_or_else(|e| panic!("sandbox: {e}"));
    let url = sandbox.base_url();
    let creds = sandbox.credentials();
    let dir = tempdir();
    let file = dir.path().join("credentials.json");

    let out = run_with_stdin(
        dir.path(),
        &["--base-url", &url, "login", "--email", &creds.email],
        "000000\n",
    );
    assert_eq!(out.code, Some(1), "a wrong code: {}", out.stderr);
    assert!(out.stderr.starts_with("Code sent to"), "{}", out.stderr);
    assert!(
        out.stderr.contains("error: login: API error"),
        "{}",
        out.stderr
    );
    assert!(!file.exists());

    let stdin = format!("{}\n{}\n", creds.email, creds.otp);
    let out = run_with_stdin(dir.path(), &["--base-url", &url, "login"], &stdin);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.contains("Email: "), "{}", out.stderr);
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);

    let out = run(dir.path(), &["--base-url", &url, "login"]);
    assert_eq!(out.code, Some(2), "no email on stdin: {}", out.stderr);
    assert!(out.stderr.contains("--email"), "{}", out.stderr);
    sandbox.shutdown().await;
}

#[test]
fn sandbox_login_needs_nothing_and_stores_a_private_file() {
    let dir = tempdir();
    let out = run(dir.path(), &["--sandbox", "login"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let file = dir.path().join("credentials.json");
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    // The sandbox is gone with the process: logout warns about the API call and still removes
    // the file.
    let out = run(dir.path(), &["logout"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.starts_with("warning: logout: "),
        "{}",
        out.stderr
    );
    assert!(!file.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_raw_login_subcommand_stores_the_token_and_never_prints_it() {
    let sandbox = chatrace_sandbox::Sandbox::start()
        .await
        .unwrap_or_else(|e| panic!("sandbox: {e}"));
    let url = sandbox.base_url();
    let creds = sandbox.credentials();
    let dir = tempdir();
    let out = run(
        dir.path(),
        &[
            "--base-url",
            &url,
            "login-with-google",
            "--id-token",
            &creds.google_id_token,
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(json(&out)["token"], "***", "{}", out.stdout);
    let file = dir.path().join("credentials.json");
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let token = stored["token"].as_str().unwrap_or_default().to_owned();
    assert!(!token.is_empty() && token != "***");
    assert!(!out.stdout.contains(&token) && !out.stderr.contains(&token));
    // The stored token works for the next invocation.
    let out = run(dir.path(), &["--base-url", &url, "get-current-user"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}
