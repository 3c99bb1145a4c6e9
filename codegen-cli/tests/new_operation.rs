//! An API change end to end, with no Rust written: the vendor adds a request to its collection;
//! importing it adds an operation to the catalogue, `diff` calls it an addition, and a copy of
//! the project rebuilt on that catalogue has it as a `Client` method, a CLI subcommand, and an
//! operation the sandbox answers (from its example, as no one wrote a handler for it).
//!
//! The rebuild compiles a copy of the project in a target directory of its own: a few minutes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

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
    let project = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("new-operation-project");
    let _ = std::fs::remove_dir_all(&project);
    std::fs::create_dir_all(&project).unwrap();
    copy_project(&repository(), &project);
    std::fs::copy(&catalogue.0, project.join("api-spec.yaml")).expect("the new catalogue");
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
    std::fs::write(project.join("examples/labels.rs"), program).unwrap();
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("new-operation-target");
    let cargo = |args: &[&str]| {
        let output = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&project)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "cargo {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
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
