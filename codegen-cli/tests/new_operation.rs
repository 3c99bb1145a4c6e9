//! An API change end to end, with no Rust written.
//!
//! - The mobile API: the vendor adds a request to its collection; importing it adds an
//!   operation to the catalogue, `diff` calls it an addition, and a copy of the project rebuilt
//!   on that catalogue has it as a `Client` method, a CLI subcommand, and an operation the
//!   sandbox answers (from its example, as no one wrote a handler for it).
//! - The public API: a REST endpoint is added by editing the catalogue alone (the worked
//!   example of docs/regenerating.md); `check` accepts it, `diff` calls it an addition, `expand`
//!   shows its `PublicClient` method, and a copy of the project rebuilt on that catalogue calls
//!   it from a program and from the CLI (`chatrace public ...`), against a server on 127.0.0.1.
//!
//! Each rebuild compiles a copy of the project in a target directory the two share, one after
//! the other: a few minutes.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};

use common::*;
use serde_json::{json, Value};

/// The request the vendor adds: a list of labels, with one example.
fn new_request() -> Value {
    let body = "{\r\n    \"account_id\": {{account_id}},\r\n    \"op\":\"labels\",\r\n    \"op1\":\"get\"\r\n}";
    let headers = json!([
        {"key": "Content-Type", "value": "application/json"},
        {"key": "X-ACCESS-TOKEN", "value": "{{token}}"},
        {"key": "User-Agent", "value": "mobile-app"}
    ]);
    json!({
        "name": "Get list of labels",
        "request": {
            "method": "POST",
            "header": headers,
            "body": {"mode": "raw", "raw": body, "options": {"raw": {"language": "json"}}},
            "url": {"raw": "{{api_url}}", "host": ["{{api_url}}"]},
            "description": "Lists the labels an account can put on conversations."
        },
        "response": [{
            "name": "Example",
            "originalRequest": {
                "method": "POST",
                "header": headers,
                "body": {"mode": "raw", "raw": body}
            },
            "status": "OK",
            "code": 200,
            "body": "{\n    \"status\": \"OK\",\n    \"data\": [\n        {\"id\": \"77\", \"name\": \"VIP\"},\n        {\"id\": \"78\", \"name\": \"Wholesale\"}\n    ]\n}"
        }]
    })
}

/// A copy of the project's sources (not its build) in `to`.
fn copy_project(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read the project") {
        let entry = entry.expect("an entry");
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if matches!(name.as_ref(), "target" | ".git") {
            continue;
        }
        let source = entry.path();
        let target = to.join(name.as_ref());
        if source.is_dir() {
            std::fs::create_dir_all(&target).expect("a directory");
            copy_project(&source, &target);
        } else {
            std::fs::copy(&source, &target).expect("copy a file");
        }
    }
}

/// One rebuild at a time: the copies share a target directory, where cargo gives the same
/// crate of two copies the same artifact names, so two builds at once overwrite each other's.
static ONE_REBUILD_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A copy of the project on another catalogue, and the target directory its builds share;
/// the only copy being built while it lives.
struct Project {
    dir: PathBuf,
    target: PathBuf,
    _turn: MutexGuard<'static, ()>,
}

impl Project {
    /// A fresh copy of the project's sources in `name` under the test's temporary directory,
    /// with `catalogue` as its `api-spec.yaml`.
    fn with_catalogue(name: &str, catalogue: &Path) -> Project {
        // A test that failed while it held the lock leaves nothing to undo.
        let turn = ONE_REBUILD_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let temp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let dir = temp.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        copy_project(&repository(), &dir);
        std::fs::copy(catalogue, dir.join("api-spec.yaml")).expect("the new catalogue");
        Project {
            dir,
            target: temp.join("new-operation-target"),
            _turn: turn,
        }
    }

    /// Runs cargo in the copy with `env` set; its stdout, once it succeeded.
    fn cargo(&self, env: &[(&str, &str)], args: &[&str]) -> String {
        let output = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .envs(env.iter().copied())
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "cargo {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

#[test]
fn a_request_the_vendor_adds_becomes_a_client_method_a_cli_command_and_a_sandbox_answer() {
    // 1. The vendor's collection, with the new request.
    let mut collection: Value =
        serde_json::from_str(&std::fs::read_to_string(vendor_collection()).unwrap()).unwrap();
    collection["item"]
        .as_array_mut()
        .expect("requests")
        .push(new_request());
    let changed = TempFile::new("labels", "json", &collection.to_string());

    // 2. Imported into a copy of the catalogue: one operation more, and `diff` says so.
    let catalogue = TempFile::copy_of(&api_spec(), "labels");
    let (code, out, err) = run(&["import-postman", &changed.arg(), "--into", &catalogue.arg()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("added         operation get_list_of_labels"),
        "{err}"
    );
    let (code, diff, diff_err) =
        run(&["diff", &api_spec().display().to_string(), &catalogue.arg()]);
    assert_eq!(
        code, 0,
        "an added operation is compatible: {diff}{diff_err}"
    );
    assert!(
        diff.contains("compatible  operation get_list_of_labels: added"),
        "{diff}"
    );
    assert!(diff.contains("implied bump: minor"), "{diff}");

    // 3. The project rebuilt on it, without a line of Rust for the new operation: a program
    //    calls it through the generated client against the sandbox, and the CLI runs it.
    let project = Project::with_catalogue("new-operation-project", &catalogue.0);
    let program = r#"
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = chatrace_sandbox::Sandbox::start().await?;
    let labels = sandbox.client().get_list_of_labels().send().await?;
    println!("{}", serde_json::to_string(&labels)?);
    sandbox.shutdown().await;
    Ok(())
}
"#;
    std::fs::write(project.dir.join("examples/labels.rs"), program).unwrap();
    let cargo = |args: &[&str]| project.cargo(&[], args);
    let answer = cargo(&["run", "--offline", "-q", "--example", "labels"]);
    let labels: Value = serde_json::from_str(answer.trim()).expect("the program prints JSON");
    assert_eq!(
        labels[0]["name"], "VIP",
        "the sandbox answers the example: {answer}"
    );
    assert_eq!(labels[1]["id"], "78", "{answer}");

    let printed = cargo(&[
        "run",
        "--offline",
        "-q",
        "-p",
        "chatrace-cli",
        "--",
        "--sandbox",
        "get-list-of-labels",
    ]);
    assert!(printed.contains("Wholesale"), "{printed}");
}

/// The types the new REST endpoint answers, added to `types`.
const NOTE_TYPES: &str = r#"
  ContactNoteList:
    doc: A page of a contact's notes, as the public API wraps its lists.
    fields:
      data: { type: list<ContactNote>, doc: The notes of the page. }
  ContactNote:
    doc: A note an admin wrote on a contact.
    fields:
      id: { type: id, doc: The note. }
      text: { type: string, doc: What the note says. }
      created_at: { type: string, doc: When it was written. }
"#;

/// The new REST endpoint, added to `operations` (docs/regenerating.md has the same text).
const NOTES_OPERATION: &str = r#"
  - name: list_contact_notes
    api: public
    title: Get the notes of a contact.
    area: Contacts
    summary: Lists the notes the account's admins wrote on a contact.
    provenance: inferred
    inferred:
      - "The whole operation: the vendor's Swagger page does not show it yet."
    kind: read
    http: { method: GET, path: "/contacts/{contact_id}/notes" }
    params:
      contact_id: { type: ContactId, required: true, in: path, doc: The contact. }
      offset: { type: integer, in: query, doc: Where the page starts; the server starts at 0. }
      limit: { type: integer, in: query, doc: The page size; the server's default is 100. }
    response: ContactNoteList
    paging: { items: data, default_limit: 100, max_limit: 100 }
    http_errors:
      - { status: 404, doc: The contact is not found. }
    examples:
      - name: Example Value
        response: |
          { "data": [ { "id": 0, "text": "string", "created_at": "string" } ] }
"#;

/// The answer of the server the rebuilt project calls.
const NOTES_ANSWER: &str = r#"{"data":[{"id":7,"text":"Called back","created_at":"2024-05-01"}]}"#;

/// What the server saw of each request: its first line and its `X-ACCESS-TOKEN`.
type SeenRequests = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A server on 127.0.0.1 that answers every request with [`NOTES_ANSWER`] and records each
/// request's first line and its `X-ACCESS-TOKEN`; its base URL and the record.
fn notes_server() -> (String, SeenRequests) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let url = format!("http://{}/", listener.local_addr().expect("its address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        // A bounded number of requests: the test sends two.
        for stream in listener.incoming().take(16) {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut token = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("x-access-token") {
                        token = Some(value.trim().to_owned());
                    }
                }
            }
            record
                .lock()
                .unwrap()
                .push((first.trim().to_owned(), token));
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{NOTES_ANSWER}",
                NOTES_ANSWER.len()
            );
        }
    });
    (url, seen)
}

#[test]
fn a_rest_endpoint_added_to_the_catalogue_becomes_a_public_client_method_and_a_cli_command() {
    // 1. The catalogue, edited by hand: a type and an operation.
    let original = std::fs::read_to_string(api_spec()).unwrap();
    let at = original
        .find("\nrealtime:\n")
        .expect("the realtime section follows the types");
    let edited = format!(
        "{}{NOTE_TYPES}{}{NOTES_OPERATION}",
        &original[..at],
        &original[at..]
    );
    let catalogue = TempFile::new("notes", "yaml", &edited);

    // 2. `check` accepts it, `diff` calls it an addition, `expand` shows the new method.
    let (code, out, err) = run(&["check", &catalogue.arg()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("(56 REST operations)"), "{out}");
    let (code, diff, diff_err) =
        run(&["diff", &api_spec().display().to_string(), &catalogue.arg()]);
    assert_eq!(code, 0, "an added endpoint is compatible: {diff}{diff_err}");
    assert!(
        diff.contains(
            "compatible  operation list_contact_notes: added (GET /contacts/{contact_id}/notes) [minor]"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("compatible  type ContactNote: added [minor]"),
        "{diff}"
    );
    assert!(diff.contains("implied bump: minor"), "{diff}");
    let (code, expanded, err) = run(&["expand", &catalogue.arg()]);
    assert_eq!(code, 0, "{err}");
    let client = expanded
        .find("impl PublicClient {")
        .expect("the PublicClient's methods");
    let method = expanded
        .find("pub fn list_contact_notes(")
        .expect("the new method");
    assert!(method > client, "a method of PublicClient");
    assert!(expanded.contains("\"/contacts/{contact_id}/notes\""));

    // 3. A copy of the project rebuilt on it: a program calls the new method, and the CLI has
    //    its subcommand, both against a server on 127.0.0.1.
    let project = Project::with_catalogue("new-endpoint-project", &catalogue.0);
    let program = r#"
use chatrace::types::ContactId;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("NOTES_URL")?;
    let client = chatrace::PublicClient::builder()
        .base_url(url)
        .api_token("the-api-token")
        .build()?;
    let notes = client
        .list_contact_notes(ContactId::new("15551234567"))
        .send()
        .await?;
    let first = notes.data.unwrap_or_default().into_iter().next();
    println!("{}", first.and_then(|note| note.text).unwrap_or_default());
    Ok(())
}
"#;
    std::fs::write(project.dir.join("examples/notes.rs"), program).unwrap();
    let (url, seen) = notes_server();
    let cargo = |args: &[&str]| project.cargo(&[("NOTES_URL", url.as_str())], args);
    let printed = cargo(&["run", "--offline", "-q", "--example", "notes"]);
    assert_eq!(printed.trim(), "Called back");

    let cli = |args: &[&str]| {
        let mut line = vec!["run", "--offline", "-q", "-p", "chatrace-cli", "--"];
        line.extend_from_slice(args);
        cargo(&line)
    };
    let help = cli(&["public", "list-contact-notes", "--help"]);
    assert!(help.contains("--contact-id <CONTACT_ID>"), "{help}");
    assert!(help.contains("GET /contacts/{contact_id}/notes"), "{help}");
    let listed = cli(&[
        "--public-base-url",
        &url,
        "--api-token",
        "the-api-token",
        "public",
        "list-contact-notes",
        "--contact-id",
        "15551234567",
        "--all",
        "-o",
        "jsonl",
    ]);
    let note: Value = serde_json::from_str(listed.trim()).expect("one JSON line");
    assert_eq!(note["text"], "Called back", "{listed}");

    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        requests[0],
        (
            "GET /contacts/15551234567/notes HTTP/1.1".to_owned(),
            Some("the-api-token".to_owned())
        )
    );
    assert_eq!(
        requests[1].0,
        "GET /contacts/15551234567/notes?offset=0&limit=100 HTTP/1.1"
    );
}
