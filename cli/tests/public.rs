//! `chatrace public ...`: the public API's operations, run as a user would against a server on
//! 127.0.0.1 that records each request (method, path and query, headers, body) and answers
//! what the test queued: the route, query and body the catalogue describes, the API token from
//! the flag, the environment or the stored file (and only to its own server), paging, and the
//! public API's errors as one line with the mobile API's exit codes. Then the same commands
//! against `--sandbox`, which serves the public API with its demo account's token.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

mod common;

use common::{chatrace, run, run_command, tempdir, Run};
use serde_json::{json, Value};

/// One request the server received.
#[derive(Debug, Clone)]
struct Seen {
    /// `GET /contacts/7?x=1`.
    line: String,
    /// Header names in lower case, and their values.
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A server on 127.0.0.1 that answers each request with the next of `answers` (an HTTP status
/// and a body), on a thread; its base URL and what it received.
fn server(answers: Vec<(u16, &'static str)>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let url = format!(
        "http://{}/",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let mut answers: VecDeque<(u16, &'static str)> = answers.into();
    std::thread::spawn(move || {
        while let Some((status, body)) = answers.pop_front() {
            let Ok((socket, _)) = listener.accept() else {
                return;
            };
            let Some(request) = read_request(&socket) else {
                return;
            };
            record
                .lock()
                .unwrap_or_else(|e| panic!("{e}"))
                .push(request);
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = (&socket).write_all(response.as_bytes());
        }
    });
    (url, seen)
}

fn read_request(socket: &std::net::TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(socket);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let line = line.trim().trim_end_matches(" HTTP/1.1").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        line,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// What the server received, in order.
fn received(seen: &Arc<Mutex<Vec<Seen>>>) -> Vec<Seen> {
    seen.lock().unwrap_or_else(|e| panic!("{e}")).clone()
}

/// Runs `chatrace --public-base-url URL --api-token TOKEN <args>`.
fn public(dir: &Path, url: &str, token: &str, args: &[&str]) -> Run {
    let mut line = vec!["--public-base-url", url, "--api-token", token, "public"];
    line.extend_from_slice(args);
    run(dir, &line)
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            run.stdout, run.stderr
        )
    })
}

#[test]
fn the_public_group_says_why_it_is_one_and_lists_the_operations() {
    let dir = tempdir();
    let out = run(dir.path(), &["public", "--help"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for text in [
        "API token",
        "--public-base-url",
        "https://api.chatrace.com/",
        "find-contacts-by-custom-field",
        "set-token",
    ] {
        assert!(out.stdout.contains(text), "{text}: {}", out.stdout);
    }
    let out = run(dir.path(), &["public", "get-contact-record", "--help"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for text in [
        "Provenance: swagger",
        "Wire: GET /contacts/{contact_id}",
        "--contact-id <CONTACT_ID>",
        "(In the path, as `contact_id`.)",
        "--api-token",
    ] {
        assert!(out.stdout.contains(text), "{text}: {}", out.stdout);
    }
}

#[test]
fn a_query_operation_sends_its_route_query_and_token() {
    let dir = tempdir();
    let (url, seen) = server(vec![(200, r#"{"data":[{"id":17,"first_name":"Ada"}]}"#)]);
    let out = public(
        dir.path(),
        &url,
        "secret-api-token",
        &[
            "find-contacts-by-custom-field",
            "--field-id",
            "phone",
            "--value",
            "15551234567",
            "-o",
            "json",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(json_of(&out)["data"][0]["first_name"], "Ada");
    let requests = received(&seen);
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].line,
        "GET /contacts/find_by_custom_field?field_id=phone&value=15551234567"
    );
    assert_eq!(
        requests[0].header("x-access-token"),
        Some("secret-api-token")
    );
    assert!(!out.stdout.contains("secret-api-token"));
    assert!(!out.stderr.contains("secret-api-token"));
}

#[test]
fn path_params_are_escaped_and_a_json_body_is_sent_as_the_catalogue_says() {
    let dir = tempdir();
    let (url, seen) = server(vec![(200, r#"{"success":true}"#), (200, "")]);
    let out = public(
        dir.path(),
        &url,
        "t",
        &[
            "send-text-to-contact",
            "--contact-id",
            "1 555/123",
            "--text",
            "Your order has shipped",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let out = public(
        dir.path(),
        &url,
        "t",
        &["add-tag-to-contact", "--contact-id", "7", "--tag-id", "42"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let requests = received(&seen);
    assert_eq!(requests[0].line, "POST /contacts/1%20555%2F123/send/text");
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_str(&requests[0].body).unwrap_or_default();
    assert_eq!(body, json!({"text": "Your order has shipped"}));
    // A write without params still says it has no body.
    assert_eq!(requests[1].line, "POST /contacts/7/tags/42");
    assert_eq!(
        requests[1].header("content-length"),
        Some("0"),
        "{:?}",
        requests[1]
    );
}

#[test]
fn all_fetches_every_page_of_a_paged_rest_list_as_json_lines() {
    let dir = tempdir();
    let (url, seen) = server(vec![
        (
            200,
            r#"{"data":[{"id":1,"name":"Sales"},{"id":2,"name":"Support"}]}"#,
        ),
        (200, r#"{"data":[{"id":3,"name":"Renewals"}]}"#),
    ]);
    let out = public(
        dir.path(),
        &url,
        "t",
        &["list-pipelines", "--all", "--limit", "2", "-o", "jsonl"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let names: Vec<String> = out
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap_or_default()["name"].to_string())
        .collect();
    assert_eq!(names, ["\"Sales\"", "\"Support\"", "\"Renewals\""]);
    let lines: Vec<String> = received(&seen).into_iter().map(|s| s.line).collect();
    assert_eq!(
        lines,
        [
            "GET /pipelines/?offset=0&limit=2",
            "GET /pipelines/?offset=2&limit=2"
        ]
    );
}

#[test]
fn public_api_errors_are_one_line_with_the_mobile_apis_exit_codes() {
    let dir = tempdir();
    let (url, _seen) = server(vec![
        (
            401,
            r#"{"error":{"code":401,"message":"No valid API key provided."}}"#,
        ),
        (
            200,
            r#"{"error":{"code":404,"message":"Contact not found"}}"#,
        ),
        (404, r#"{"message":"Not Found"}"#),
        (503, "<html>down</html>"),
    ]);
    let call = || {
        public(
            dir.path(),
            &url,
            "wrong-token",
            &["get-contact-record", "--contact-id", "7"],
        )
    };
    let refused = call();
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    assert!(
        refused.stderr.starts_with(
            "error: public get-contact-record: API error 401: No valid API key provided: set a \
             valid API token"
        ),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("set a valid API token"),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains("wrong-token"));
    let not_found = call();
    assert_eq!(not_found.code, Some(1), "an error object with HTTP 200");
    assert!(
        not_found
            .stderr
            .contains("API error 404: Contact not found"),
        "{}",
        not_found.stderr
    );
    let bare = call();
    assert_eq!(bare.code, Some(1), "an HTTP 4xx: {}", bare.stderr);
    assert!(bare.stderr.contains("404"), "{}", bare.stderr);
    let down = call();
    assert_eq!(
        down.code,
        Some(3),
        "a 5xx is the transport's: {}",
        down.stderr
    );
}

#[test]
fn no_api_token_is_exit_2_with_what_to_do() {
    let dir = tempdir();
    let out = run(
        dir.path(),
        &[
            "--public-base-url",
            "http://127.0.0.1:9/",
            "public",
            "get-account",
        ],
    );
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: public get-account: no API token"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("chatrace public set-token"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_stored_api_token_is_private_used_and_sent_only_to_its_own_server() {
    let dir = tempdir();
    let (url, seen) = server(vec![(200, r#"{"id":1,"name":"Shop"}"#)]);
    // Stored from stdin, never printed.
    let stored = run_command(
        chatrace(dir.path()),
        &["--public-base-url", &url, "public", "set-token"],
        "stored-api-token\n",
    );
    assert_eq!(stored.code, Some(0), "{}", stored.stderr);
    assert!(!stored.stdout.contains("stored-api-token"));
    let path = dir.path().join("api-token.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
        .unwrap_or_default();
    assert_eq!(file["token"], "stored-api-token");
    assert_eq!(file["base_url"], url.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .map(|m| m.permissions().mode())
            .unwrap_or_default();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Used against its own server.
    let out = run(
        dir.path(),
        &[
            "--public-base-url",
            &url,
            "public",
            "get-account",
            "-o",
            "json",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(json_of(&out)["name"], "Shop");
    assert_eq!(
        received(&seen)[0].header("x-access-token"),
        Some("stored-api-token")
    );
    // Not sent to another one.
    let other = run(
        dir.path(),
        &[
            "--public-base-url",
            "http://127.0.0.1:9/",
            "public",
            "get-account",
        ],
    );
    assert_eq!(other.code, Some(2), "{}", other.stderr);
    assert!(other.stderr.contains("no API token"), "{}", other.stderr);
    // The session's login and logout leave it alone; forget-token removes it.
    let out = run(dir.path(), &["logout"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(path.exists());
    let out = run(dir.path(), &["public", "forget-token"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!path.exists());
}

#[test]
fn the_environment_gives_the_token_and_base_url_too() {
    let dir = tempdir();
    let (url, seen) = server(vec![(200, "[]")]);
    let out = chatrace(dir.path())
        .env("CHATRACE_PUBLIC_BASE_URL", &url)
        .env("CHATRACE_API_TOKEN", "env-api-token")
        .args(["public", "list-account-admins", "-o", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    let requests = received(&seen);
    assert_eq!(requests[0].line, "GET /accounts/admins");
    assert_eq!(requests[0].header("x-access-token"), Some("env-api-token"));
    let help = chatrace(dir.path())
        .env("CHATRACE_API_TOKEN", "env-api-token")
        .args(["public", "get-account", "--help"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("CHATRACE_API_TOKEN"), "{help}");
    assert!(!help.contains("env-api-token"), "{help}");
}

/// Runs `chatrace --sandbox <args>`.
fn sandboxed(dir: &Path, args: &[&str]) -> Run {
    let mut line = vec!["--sandbox"];
    line.extend_from_slice(args);
    run(dir, &line)
}

#[test]
fn the_sandbox_serves_the_public_api_with_its_own_token() {
    let dir = tempdir();
    let pipelines = sandboxed(dir.path(), &["public", "list-pipelines", "-o", "json"]);
    assert_eq!(pipelines.code, Some(0), "{}", pipelines.stderr);
    let names: Vec<Value> = json_of(&pipelines)["data"]
        .as_array()
        .map(|rows| rows.iter().map(|row| row["name"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(names, [json!("Wholesale sales"), json!("Support")]);

    let contact = sandboxed(
        dir.path(),
        &[
            "public",
            "get-contact-record",
            "--contact-id",
            "12345",
            "-o",
            "json",
        ],
    );
    assert_eq!(contact.code, Some(0), "{}", contact.stderr);
    assert_eq!(json_of(&contact)["first_name"], "Emma");
    // Nothing was stored: the sandbox's token is the command's alone.
    assert!(!dir.path().join("api-token.json").exists());
}

#[test]
fn the_sandboxs_public_api_errors_exit_as_the_servers_do() {
    let dir = tempdir();
    let missing = sandboxed(
        dir.path(),
        &["public", "get-contact-record", "--contact-id", "999"],
    );
    assert_eq!(missing.code, Some(1), "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .starts_with("error: public get-contact-record: API error 404: "),
        "{}",
        missing.stderr
    );
    let refused = sandboxed(
        dir.path(),
        &[
            "--api-token",
            "not-the-sandboxs",
            "public",
            "get-contact-record",
            "--contact-id",
            "12345",
        ],
    );
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("API error 401")
            && refused.stderr.contains("set a valid API token"),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains("not-the-sandboxs"));
}

/// `--all` sends what the API takes with the first page only (`list_messages`'s `expand`,
/// the catalogue's `first_page_only`) with the first request alone, as the SDK's paging does
/// and the vendor's web inbox does. The mobile API, on the same recording server.
#[test]
fn all_pages_send_expand_with_the_first_page_only() {
    let dir = tempdir();
    let page = r#"{"status":"OK","data":[{"id":"1","dir":0,"message":"[]"},{"id":"2","dir":0,"message":"[]"}]}"#;
    let (url, seen) = server(vec![(200, page), (200, r#"{"status":"OK","data":[]}"#)]);
    let out = run(
        dir.path(),
        &[
            "--base-url",
            &url,
            "--token",
            "tok",
            "--account-id",
            "7",
            "list-messages",
            "--contact-id",
            "42",
            "--expansions",
            r#"{"comments":{}}"#,
            "--limit",
            "2",
            "--all",
            "-o",
            "json",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let bodies: Vec<Value> = received(&seen)
        .iter()
        .map(|s| serde_json::from_str(&s.body).unwrap_or_else(|e| panic!("{e}: {}", s.body)))
        .collect();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert_eq!(
        bodies[0]["expand"],
        json!({"comments": {}}),
        "{}",
        bodies[0]
    );
    assert_eq!(bodies[1]["offset"], 2, "{}", bodies[1]);
    assert!(bodies[1].get("expand").is_none(), "{}", bodies[1]);
}
