//! The `chatrace` binary, run as a user would: against a local server that answers one fixed
//! body, against `--sandbox`, or against a sandbox this test starts so that several
//! invocations share its state.

use std::io::{Read, Write};
use std::path::Path;

mod common;

use common::{chatrace, run, run_command, tempdir, Run};
use serde_json::Value;

fn run_with_stdin(config_dir: &Path, args: &[&str], stdin: &str) -> Run {
    run_command(chatrace(config_dir), args, stdin)
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            run.stdout, run.stderr
        )
    })
}

/// A server on 127.0.0.1 that answers one request with `answer` (HTTP 200, JSON), on a
/// thread; the URL to call it at.
fn answer_once(answer: &'static str) -> String {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let url = format!(
        "http://{}/",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    std::thread::spawn(move || {
        let Ok((mut socket, _)) = listener.accept() else {
            return;
        };
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let Ok(n) = socket.read(&mut chunk) else {
                return;
            };
            if n == 0 {
                return;
            }
            buffer.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buffer).to_string();
            let Some(end) = text.find("\r\n\r\n") else {
                continue;
            };
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                break;
            }
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{answer}",
            answer.len()
        );
        let _ = socket.write_all(response.as_bytes());
    });
    url
}

#[test]
fn ops_lists_every_operation_with_provenance_title_and_what_is_inferred() {
    let dir = tempdir();
    let out = run(dir.path(), &["ops"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let heads: Vec<&str> = out.stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    // The mobile API's operations, then the public API's.
    assert_eq!(
        heads.len(),
        chatrace::OPERATIONS.len() + chatrace::PUBLIC_OPERATIONS.len()
    );
    assert_eq!(chatrace::OPERATIONS.len(), 57);
    for (line, op) in heads.iter().zip(chatrace::OPERATIONS.iter()) {
        assert!(line.starts_with(&op.name.replace('_', "-")), "{line}");
        let provenance = chatrace::Spelled::spelling(op.provenance);
        assert!(line.contains(&format!("  {provenance}  ")), "{line}");
        assert!(line.trim_end().ends_with(op.title.trim()), "{line}");
    }
    for (line, op) in heads[57..].iter().zip(chatrace::PUBLIC_OPERATIONS.iter()) {
        assert!(
            line.starts_with(&format!("public {}", op.name.replace('_', "-"))),
            "{line}"
        );
        let http = op
            .http
            .unwrap_or_else(|| panic!("{} has no route", op.name));
        assert!(
            line.contains(&format!("  {} {} ", http.method, http.path)),
            "{line}"
        );
        assert!(line.trim_end().ends_with(op.title.trim()), "{line}");
    }
    assert!(out.stdout.contains("    inferred: "), "{}", out.stdout);
    let out = run(dir.path(), &["ops", "--output", "json"]);
    let list = json(&out);
    let list = list.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 57 + 55);
    // The collection's 54, the WhatsApp template operations of the vendor's web inbox, then
    // the public API's.
    assert!(list[..54].iter().all(|op| op["provenance"] == "collection"));
    assert!(list[54..57].iter().all(|op| op["provenance"] == "inferred"));
    assert!(list[57..].iter().all(|op| op["api"] == "public"));
}

#[test]
fn an_operations_help_comes_from_the_catalogue() {
    let dir = tempdir();
    let out = run(dir.path(), &["upload-file", "--help"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for text in [
        "Provenance: collection",
        "--kind <VALUE>",
        "voice",
        "--contact-id <CONTACT_ID>",
        "--file <PATH>",
        "--file-name <TEXT>",
        "When not given, the SDK sends `null`",
        "Global options",
    ] {
        assert!(out.stdout.contains(text), "{text}: {}", out.stdout);
    }
    assert!(!out.stdout.contains("--inbox"), "constants are not flags");
    let help = run(dir.path(), &["get-order", "--help"]);
    assert!(
        !help.stdout.contains("--all"),
        "only paged operations have --all"
    );
    let help = run(dir.path(), &["list-messages", "--help"]);
    assert!(help.stdout.contains("--all"), "{}", help.stdout);
    // An enum's values are listed with the catalogue's names.
    let help = run(dir.path(), &["move-conversation", "--help"]);
    for text in ["0: bot", "1: human"] {
        assert!(help.stdout.contains(text), "{text}: {}", help.stdout);
    }
}

#[test]
fn a_missing_required_flag_is_exit_2_and_names_the_flag() {
    let dir = tempdir();
    let out = run(dir.path(), &["get-contact"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("--contact-id"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_bad_value_is_exit_2_and_names_the_flag() {
    let dir = tempdir();
    for (args, flag) in [
        (
            &["update-order", "--order-id", "1", "--status", "5"][..],
            "--status",
        ),
        (
            &[
                "archive-conversation",
                "--contact-id",
                "1",
                "--archived",
                "yes",
            ],
            "--archived",
        ),
        (
            &[
                "mark-conversation-read",
                "--contact-id",
                "1",
                "--read-until",
                "soon",
            ],
            "--read-until",
        ),
        (
            &[
                "send-flow",
                "--flow-id",
                "1",
                "--contact-id",
                "1",
                "--channel",
                "99",
            ],
            "--channel",
        ),
        (&["list-conversations", "--limit", "many"], "--limit"),
        // A paged operation's page size and offset: the catalogue's types do not bound them.
        (&["list-conversations", "--limit", "0"], "--limit"),
        (&["list-conversations", "--offset", "-3"], "--offset"),
        (&["send", "--contact", "1", "--text", ""], "--text"),
        (
            &["send", "--contact", "1", "--text", "hi", "--channel", "99"],
            "--channel",
        ),
        (&["list-conversations", "--filters", "{"], "--filters"),
        (
            &[
                "upload-file",
                "--kind",
                "sound",
                "--contact-id",
                "1",
                "--file",
                "x",
            ],
            "--kind",
        ),
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(flag), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn a_value_of_the_wrong_shape_is_exit_2_naming_the_flag() {
    let dir = tempdir();
    let out = run(
        dir.path(),
        &[
            "--base-url",
            "http://127.0.0.1:9/",
            "--token",
            "t",
            "--account-id",
            "1",
            "list-conversations",
            "--filters",
            r#"[{"atrb_name": {"not": "text"}}]"#,
        ],
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: list-conversations: invalid value for --filters: "),
        "{}",
        out.stderr
    );
}

#[test]
fn an_invalid_session_is_exit_1_and_says_to_log_in() {
    let dir = tempdir();
    let url = answer_once(r#"{"status":"ERROR","code":1}"#);
    let out = run(
        dir.path(),
        &[
            "--base-url",
            &url,
            "--token",
            "expired",
            "--account-id",
            "1",
            "list-tags",
        ],
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: list-tags: API error 1: the session is not valid"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("chatrace login"), "{}", out.stderr);
    assert!(!out.stderr.contains("expired"), "never print the token");
    assert!(out.stdout.is_empty());
}

#[test]
fn an_answer_outside_data_is_printed_whole() {
    let dir = tempdir();
    let url = answer_once(r#"{"status":"OK","rid":"abc123"}"#);
    let out = run(
        dir.path(),
        &[
            "--base-url",
            &url,
            "request-email-otp",
            "--email",
            "me@example.com",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(json(&out)["rid"], "abc123");
}

#[test]
fn settings_come_from_the_environment_too() {
    let dir = tempdir();
    let help = run(dir.path(), &["list-tags", "--help"]);
    assert!(help.stdout.contains("CHATRACE_TOKEN"), "{}", help.stdout);
    let with_secret = chatrace(dir.path())
        .env("CHATRACE_TOKEN", "very-secret-token")
        .args(["list-tags", "--help"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!String::from_utf8_lossy(&with_secret.stdout).contains("very-secret-token"));
    let url = answer_once(r#"{"status":"OK","data":[{"id":1,"name":"vip"}]}"#);
    let out = chatrace(dir.path())
        .env("CHATRACE_BASE_URL", &url)
        .env("CHATRACE_TOKEN", "t")
        .env("CHATRACE_ACCOUNT_ID", "1")
        .args(["list-tags", "--output", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "compact: {stdout}");
    assert!(stdout.contains("vip"), "{stdout}");
}

#[test]
fn nothing_configured_is_exit_2_with_what_to_do() {
    let dir = tempdir();
    let out = run(dir.path(), &["list-tags"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.starts_with("error: list-tags: no base URL"),
        "{}",
        out.stderr
    );
    let out = run(
        dir.path(),
        &["--base-url", "http://127.0.0.1:9/", "list-tags"],
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
            "list-tags",
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
            "--timeout",
            "5",
            "get-order",
            "--order-id",
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
fn completions_cover_the_operations_and_their_flags() {
    let dir = tempdir();
    for shell in ["bash", "zsh", "fish"] {
        let out = run(dir.path(), &["completions", shell]);
        assert_eq!(out.code, Some(0), "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("get-contact"), "{shell}");
        assert!(out.stdout.contains("contact-id"), "{shell}");
    }
    assert_eq!(run(dir.path(), &["completions", "cmd"]).code, Some(2));
}

/// The tests that need the sandbox (the `sandbox` feature, on by default).
#[cfg(feature = "sandbox")]
mod with_sandbox {
    use super::*;

    /// `login` against `sandbox` with its demo user's email and code, storing in `dir`.
    fn login(dir: &Path, sandbox: &chatrace_sandbox::Sandbox) -> Run {
        let creds = sandbox.credentials();
        let url = sandbox.base_url();
        let args = [
            "--base-url",
            &url,
            "login",
            "--email",
            &creds.email,
            "--code",
            &creds.otp,
        ];
        run(dir, &args)
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

    #[test]
    fn sandbox_reads_print_json() {
        let dir = tempdir();
        let out = run(dir.path(), &["--sandbox", "list-conversations"]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let conversations = json(&out);
        assert!(
            conversations.as_array().is_some_and(|a| !a.is_empty()),
            "{conversations}"
        );
        assert!(out.stdout.lines().count() > 1, "pretty by default");
        let out = run(
            dir.path(),
            &[
                "--sandbox",
                "list-conversations",
                "--output",
                "json",
                "--limit",
                "2",
            ],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert_eq!(out.stdout.lines().count(), 1, "compact: {}", out.stdout);
        assert_eq!(json(&out).as_array().map(Vec::len), Some(2));
        let out = run(dir.path(), &["--sandbox", "get-current-user"]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert!(
            json(&out).get("me").is_some(),
            "the envelope: {}",
            out.stdout
        );
        assert!(out.stderr.is_empty(), "{}", out.stderr);
    }

    #[test]
    fn the_sandbox_leaves_the_users_own_settings_and_credentials_alone() {
        let dir = tempdir();
        // Real settings in the environment do not reach the sandbox.
        let mut command = chatrace(dir.path());
        command
            .env("CHATRACE_TOKEN", "a-real-token")
            .env("CHATRACE_ACCOUNT_ID", "42")
            .env("CHATRACE_BASE_URL", "http://127.0.0.1:1/");
        let out = run_command(command, &["--sandbox", "list-tags"], "");
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        // A URL typed with --sandbox would be ignored: it is refused instead.
        let out = run(
            dir.path(),
            &[
                "--sandbox",
                "--base-url",
                "http://127.0.0.1:1/",
                "list-tags",
            ],
        );
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        assert!(
            out.stderr.contains("--base-url and --sandbox"),
            "{}",
            out.stderr
        );
        // A token typed on the command line is still sent (to try a refusal on the sandbox).
        let out = run(dir.path(), &["--sandbox", "--token", "wrong", "list-tags"]);
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        // A sandbox login neither writes nor removes the stored credentials.
        let stored = dir.path().join("credentials.json");
        let out = run(dir.path(), &["--sandbox", "login"]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert!(out.stdout.contains("not stored"), "{}", out.stdout);
        assert!(!stored.exists(), "{}", stored.display());
        std::fs::write(
            &stored,
            r#"{"token":"t","base_url":"https://app.example.com/"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let out = run(dir.path(), &["--sandbox", "logout"]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert!(stored.exists(), "{}", out.stdout);
    }

    #[test]
    fn all_fetches_every_page_of_a_paged_list() {
        let dir = tempdir();
        let count = |args: &[&str]| {
            let out = run(dir.path(), args);
            assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
            json(&out).as_array().map(Vec::len).unwrap_or_default()
        };
        let one_page = count(&["--sandbox", "list-conversations", "--limit", "100"]);
        assert!(one_page > 2, "the sandbox has {one_page} conversations");
        assert_eq!(
            count(&["--sandbox", "list-conversations", "--all", "--limit", "2"]),
            one_page
        );
        assert_eq!(
            count(&["--sandbox", "list-conversations", "--all", "--offset", "1"]),
            one_page - 1
        );
        // The cap: enough pages list everything; too few fail and name the flag.
        fn capped(pages: &str) -> [&str; 7] {
            [
                "--sandbox",
                "list-conversations",
                "--all",
                "--limit",
                "2",
                "--max-pages",
                pages,
            ]
        }
        let enough = (one_page / 2 + 1).to_string();
        assert_eq!(count(&capped(&enough)), one_page);
        let out = run(dir.path(), &capped("2"));
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        assert!(out.stdout.is_empty(), "nothing printed: {}", out.stdout);
        assert!(
            out.stderr.contains("2 pages were read") && out.stderr.contains("--max-pages"),
            "{}",
            out.stderr
        );
        // Without --all it is a usage error.
        let out = run(
            dir.path(),
            &["--sandbox", "list-conversations", "--max-pages", "2"],
        );
        assert_eq!(out.code, Some(2), "{}", out.stderr);
    }

    /// The first conversation's contact, as `list-conversations` answers it.
    fn first_contact(dir: &Path, base: &[&str]) -> String {
        let mut args = base.to_vec();
        args.extend(["list-conversations", "--limit", "1"]);
        let out = run(dir, &args);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let contact = &json(&out)[0]["ms_id"];
        match contact {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => panic!("no contact id: {other}"),
        }
    }

    #[test]
    fn a_message_list_carries_its_parts_and_pages_inside_data() {
        let dir = tempdir();
        let contact = first_contact(dir.path(), &["--sandbox"]);
        let out = run(
            dir.path(),
            &[
                "--sandbox",
                "list-messages",
                "--contact-id",
                &contact,
                "--limit",
                "1",
            ],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let page = json(&out);
        let messages = page["data"]
            .as_array()
            .unwrap_or_else(|| panic!("the messages are in `data`: {page}"));
        assert_eq!(messages.len(), 1, "{page}");
        let parts = &messages[0]["message"];
        let parts: Value = match parts {
            Value::String(encoded) => serde_json::from_str(encoded).unwrap_or_default(),
            other => other.clone(),
        };
        assert!(parts.as_array().is_some_and(|p| !p.is_empty()), "{page}");

        let out = run(
            dir.path(),
            &[
                "--sandbox",
                "list-messages",
                "--contact-id",
                &contact,
                "--all",
                "--limit",
                "1",
            ],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let all = json(&out);
        let count = all["data"].as_array().map(Vec::len).unwrap_or_default();
        assert!(count > 1, "every page's messages in `data`: {all}");
        assert!(
            all.get("hash").is_some(),
            "the first answer's other fields: {all}"
        );
    }

    #[test]
    fn upload_file_sends_the_file_of_its_kind() {
        let dir = tempdir();
        let contact = first_contact(dir.path(), &["--sandbox"]);
        let file = dir.path().join("note.ogg");
        std::fs::write(&file, b"OggS not really a voice note").unwrap_or_else(|e| panic!("{e}"));
        let path = file.display().to_string();
        let out = run(
            dir.path(),
            &[
                "--sandbox",
                "upload-file",
                "--kind",
                "voice",
                "--contact-id",
                &contact,
                "--file",
                &path,
            ],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let url = json(&out)["url"].as_str().unwrap_or_default().to_owned();
        assert!(url.starts_with("http"), "{}", out.stdout);
    }

    /// Each code of the catalogue's table, played by the sandbox: exit 1 and one line that
    /// names the code, says what to do when the session is refused, and never the token.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_error_code_of_the_table_is_exit_1_with_one_line() {
        let sandbox = chatrace_sandbox::Sandbox::start()
            .await
            .unwrap_or_else(|e| panic!("sandbox: {e}"));
        let creds = sandbox.credentials();
        let (url, account) = (sandbox.base_url(), creds.account_id.to_string());
        let dir = tempdir();
        for entry in chatrace::ERROR_CODES.iter() {
            sandbox.errors().for_operation("list_tags", entry.code);
            let out = run(
                dir.path(),
                &[
                    "--base-url",
                    &url,
                    "--token",
                    &creds.token,
                    "--account-id",
                    &account,
                    "list-tags",
                ],
            );
            assert_eq!(out.code, Some(1), "{}: {}", entry.code, out.stderr);
            assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
            assert!(out.stderr.len() < 1024, "{}", out.stderr);
            assert!(
                out.stderr
                    .starts_with(&format!("error: list-tags: API error {}: ", entry.code)),
                "{}",
                out.stderr
            );
            assert_eq!(
                out.stderr.contains("chatrace login"),
                entry.unauthorized,
                "{}",
                out.stderr
            );
            if entry.fails_when_ok {
                assert!(out.stderr.contains("url: "), "{}", out.stderr);
            }
            assert!(!out.stderr.contains(&creds.token), "never print the token");
            assert!(out.stdout.is_empty(), "{}", out.stdout);
        }
    }

    /// Login, a read and a write with the stored token, then logout: several invocations
    /// against one sandbox, so the token and the write outlive each process.
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

        let out = login(dir.path(), &sandbox);
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
        let stored: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{e}"));
        let token = stored["token"].as_str().unwrap_or_default().to_owned();
        assert!(!token.is_empty());
        assert_eq!(stored["base_url"], url.as_str());
        assert!(
            !out.stdout.contains(&token) && !out.stderr.contains(&token),
            "never print the token"
        );

        // A read: the base URL and the token come from the credentials file.
        let base = ["--account-id", account.as_str()];
        let contact = first_contact(dir.path(), &base);

        // A write, visible to the next read.
        let mut args = base.to_vec();
        args.extend([
            "add-note",
            "--contact-id",
            &contact,
            "--text",
            "written by the CLI",
        ]);
        let out = run(dir.path(), &args);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let mut args = base.to_vec();
        args.extend(["get-contact", "--contact-id", &contact]);
        let out = run(dir.path(), &args);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert!(out.stdout.contains("written by the CLI"), "{}", out.stdout);

        // Another server does not get the stored token.
        let out = run(
            dir.path(),
            &[
                "--base-url",
                "http://127.0.0.1:9/",
                "list-tags",
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
            &["--base-url", &url, "list-tags", "--account-id", &account],
        );
        assert_eq!(out.code, Some(2), "logged out: {}", out.stderr);

        // A token the server does not know: code 1, an invalid session.
        let out = run(
            dir.path(),
            &[
                "--base-url",
                &url,
                "--token",
                "wrong",
                "list-tags",
                "--account-id",
                &account,
            ],
        );
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        assert!(out.stderr.contains("API error 1"), "{}", out.stderr);
        assert!(out.stderr.contains("chatrace login"), "{}", out.stderr);

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

    #[tokio::test(flavor = "multi_thread")]
    async fn login_stores_a_private_file_that_logout_removes_when_the_server_is_gone() {
        let sandbox = chatrace_sandbox::Sandbox::start()
            .await
            .unwrap_or_else(|e| panic!("sandbox: {e}"));
        let dir = tempdir();
        let out = login(dir.path(), &sandbox);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        let file = dir.path().join("credentials.json");
        #[cfg(unix)]
        assert_eq!(mode(&file), 0o600);
        // The server is gone: logout warns about the API call and still removes the file.
        sandbox.shutdown().await;
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
    async fn a_login_subcommand_stores_the_token_and_never_prints_it() {
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
                "--platform",
                "ios",
            ],
        );
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert_eq!(json(&out)["token"], "***", "{}", out.stdout);
        let file = dir.path().join("credentials.json");
        #[cfg(unix)]
        assert_eq!(mode(&file), 0o600);
        let stored: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{e}"));
        let token = stored["token"].as_str().unwrap_or_default().to_owned();
        assert!(!token.is_empty() && token != "***");
        assert!(!out.stdout.contains(&token) && !out.stderr.contains(&token));
        // The stored token works for the next invocation.
        let out = run(dir.path(), &["--base-url", &url, "get-current-user"]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        sandbox.shutdown().await;
    }
}
