//! What `chatrace` prints for people and for pipelines: tables on a terminal (golden files
//! under `tests/golden/`, rewritten with `UPDATE_GOLDEN=1`), JSON on a pipe, progress only on
//! a terminal, `--all -o jsonl` that keeps what it printed when a page fails, and `export`
//! resumed after an interruption.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

use common::{chatrace, run_command, tempdir, Run};
use serde_json::Value;

/// The width forced tables are drawn at.
const WIDTH: &str = "100";

fn run(command: Command, args: &[&str]) -> Run {
    run_command(command, args, "")
}

/// The binary as on a terminal `WIDTH` columns wide.
fn on_terminal(config_dir: &Path) -> Command {
    let mut command = chatrace(config_dir);
    command.env("CHATRACE_FORCE_TTY", WIDTH);
    command
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.txt"))
}

/// The sandbox's lists, and the operation of the catalogue that is no list (a contact), as
/// tables: each `(golden file, arguments)`.
const TABLES: &[(&str, &[&str])] = &[
    (
        "list-conversations",
        &["list-conversations", "--limit", "12"],
    ),
    (
        "list-messages",
        &[
            "list-messages",
            "--contact-id",
            "100000000001",
            "--limit",
            "8",
        ],
    ),
    ("list-admins", &["list-admins"]),
    ("list-teams", &["list-teams"]),
    ("list-flows", &["list-flows"]),
    ("list-flow-steps", &["list-flow-steps", "--flow-id", "1234"]),
    ("list-products", &["list-products"]),
    ("list-tags", &["list-tags"]),
    ("list-drip-campaigns", &["list-drip-campaigns"]),
    ("list-custom-fields", &["list-custom-fields"]),
    ("list-saved-replies", &["list-saved-replies"]),
    ("list-messenger-lists", &["list-messenger-lists"]),
    ("list-calendars", &["list-calendars"]),
    ("list-orders", &["list-orders"]),
    ("list-gbm-locations", &["list-gbm-locations"]),
    ("get-contact", &["get-contact", "--contact-id", "12345"]),
];

#[test]
fn the_sandboxs_lists_print_as_the_golden_tables_on_a_terminal() {
    let dir = tempdir();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut differ = Vec::new();
    for (name, args) in TABLES {
        let mut full = vec!["--sandbox"];
        full.extend_from_slice(args);
        let out = run(on_terminal(dir.path()), &full);
        assert_eq!(out.code, Some(0), "{name}: {}", out.stderr);
        let path = golden_path(name);
        if update {
            std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, &out.stdout).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
        if golden != out.stdout {
            differ.push(format!("{name}:\n{}", out.stdout));
        }
        for line in out.stdout.lines() {
            assert!(
                line.chars().count() <= 100,
                "{name}: a line wider than the terminal: {line}"
            );
        }
    }
    assert!(
        differ.is_empty(),
        "tables differ from tests/golden (UPDATE_GOLDEN=1 rewrites them):\n{}",
        differ.join("\n")
    );
}

#[test]
fn a_terminal_gets_a_table_and_a_pipe_json_unless_told() {
    let dir = tempdir();
    let args = ["--sandbox", "list-tags"];
    let piped = run(chatrace(dir.path()), &args);
    assert_eq!(piped.code, Some(0), "{}", piped.stderr);
    let json: Value = serde_json::from_str(&piped.stdout).unwrap_or_default();
    assert_eq!(json.as_array().map(Vec::len), Some(6), "{}", piped.stdout);

    let table = run(on_terminal(dir.path()), &args);
    assert_eq!(table.code, Some(0), "{}", table.stderr);
    let header = table.stdout.lines().next().unwrap_or_default();
    assert!(header.contains("id") && header.contains("name"), "{header}");
    assert!(serde_json::from_str::<Value>(&table.stdout).is_err());

    let told = run(
        on_terminal(dir.path()),
        &["--sandbox", "-o", "json", "list-tags"],
    );
    assert_eq!(told.stdout.lines().count(), 1, "{}", told.stdout);
    assert_eq!(
        serde_json::from_str::<Value>(&told.stdout).ok(),
        Some(json.clone())
    );

    let mut by_variable = chatrace(dir.path());
    by_variable.env("CHATRACE_OUTPUT", "table");
    let by_variable = run(by_variable, &args);
    assert_eq!(by_variable.stdout, table.stdout);

    let lines = run(
        chatrace(dir.path()),
        &["--sandbox", "-o", "jsonl", "list-tags"],
    );
    let items: Vec<Value> = lines
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_default())
        .collect();
    assert_eq!(Some(&items), json.as_array());
}

#[test]
fn progress_shows_on_a_terminal_only_and_never_with_json() {
    let dir = tempdir();
    let all = ["--sandbox", "list-conversations", "--all", "--limit", "10"];
    let piped = run(chatrace(dir.path()), &all);
    assert_eq!(piped.code, Some(0), "{}", piped.stderr);
    assert_eq!(piped.stderr, "", "no progress on a pipe");

    let mut jsonl = all.to_vec();
    jsonl.extend(["-o", "jsonl"]);
    let shown = run(on_terminal(dir.path()), &jsonl);
    assert_eq!(shown.code, Some(0), "{}", shown.stderr);
    assert!(
        shown.stderr.contains("7 pages, 66 items"),
        "progress: {:?}",
        shown.stderr
    );
    assert_eq!(shown.stdout.lines().count(), 66);

    let mut json = all.to_vec();
    json.extend(["-o", "json"]);
    let quiet = run(on_terminal(dir.path()), &json);
    assert_eq!(quiet.code, Some(0), "{}", quiet.stderr);
    assert_eq!(quiet.stderr, "", "no progress with -o json");

    let file = dir.path().join("menu.pdf");
    std::fs::write(&file, vec![b'%'; 300 * 1024]).unwrap_or_else(|e| panic!("{e}"));
    let path = file.to_string_lossy().into_owned();
    let upload = [
        "--sandbox",
        "upload-file",
        "--kind",
        "file",
        "--contact-id",
        "100000000001",
        "--file",
        &path,
    ];
    let sending = run(on_terminal(dir.path()), &upload);
    assert_eq!(sending.code, Some(0), "{}", sending.stderr);
    assert!(
        sending.stderr.contains("menu.pdf") && sending.stderr.contains("300.00 KiB/300.00 KiB"),
        "bytes sent: {:?}",
        sending.stderr
    );
    let piped = run(chatrace(dir.path()), &upload);
    assert_eq!(piped.code, Some(0), "{}", piped.stderr);
    assert_eq!(piped.stderr, "", "no progress on a pipe");
}

mod against_a_large_sandbox {
    use super::*;

    /// A sandbox whose demo account holds `conversations` conversations of two messages each
    /// (the seed's own keep theirs).
    async fn sandbox(conversations: usize) -> chatrace_sandbox::Sandbox {
        chatrace_sandbox::Sandbox::builder()
            .conversations(conversations)
            .messages_per_conversation(2)
            .start()
            .await
            .unwrap_or_else(|e| panic!("sandbox: {e}"))
    }

    /// The binary aimed at `sandbox`, stdout a pipe.
    fn against(config_dir: &Path, sandbox: &chatrace_sandbox::Sandbox) -> Command {
        let mut command = chatrace(config_dir);
        let creds = sandbox.credentials();
        command
            .env("CHATRACE_BASE_URL", sandbox.base_url())
            .env("CHATRACE_TOKEN", &creds.token)
            .env("CHATRACE_ACCOUNT_ID", creds.account_id.to_string());
        command
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_page_leaves_the_pages_before_it_printed_and_says_where_to_resume() {
        let sandbox = sandbox(1_000).await;
        let dir = tempdir();
        let all = [
            "list-conversations",
            "--all",
            "--limit",
            "50",
            "-o",
            "jsonl",
        ];
        let whole = run(against(dir.path(), &sandbox), &all);
        assert_eq!(whole.code, Some(0), "{}", whole.stderr);
        let every: Vec<&str> = whole.stdout.lines().collect();
        assert_eq!(every.len(), 1_000);

        // Page 5 answers an HTML error page (not retried: not the API's answer).
        let failing_page = 5;
        sandbox.faults().pass_next(failing_page - 1);
        sandbox.faults().html_next(1);
        let cut = run(against(dir.path(), &sandbox), &all);
        assert_eq!(cut.code, Some(3), "{}", cut.stderr);
        let printed: Vec<&str> = cut.stdout.lines().collect();
        assert_eq!(
            printed.len(),
            (failing_page - 1) * 50,
            "four pages stay printed"
        );
        assert_eq!(printed, every[..200]);
        assert!(
            cut.stderr
                .trim_end()
                .ends_with("200 items printed before it: resume with --offset 200"),
            "{}",
            cut.stderr
        );

        let mut resumed_args = all.to_vec();
        resumed_args.extend(["--offset", "200"]);
        let resumed = run(against(dir.path(), &sandbox), &resumed_args);
        assert_eq!(resumed.code, Some(0), "{}", resumed.stderr);
        let rest: Vec<&str> = resumed.stdout.lines().collect();
        assert_eq!(
            [printed, rest].concat(),
            every,
            "resuming completes the listing"
        );
    }

    /// The files an export wrote, by name, with its state file.
    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(entry.path()).unwrap_or_default())
            })
            .collect();
        files.sort();
        files
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_export_interrupted_then_resumed_equals_one_uninterrupted_run() {
        let sandbox = sandbox(250).await;
        let config = tempdir();
        let out = tempdir();
        let once = out.path().join("once");
        let twice = out.path().join("twice");
        let export = |dir: &Path| {
            let dir = dir.to_string_lossy().into_owned();
            run(against(config.path(), &sandbox), &["export", "--out", &dir])
        };

        let whole = export(&once);
        assert_eq!(whole.code, Some(0), "{}", whole.stderr);
        let summary: Value = serde_json::from_str(&whole.stdout).unwrap_or_default();
        assert_eq!(summary["lines"]["conversations.jsonl"], 250);

        // The first page of conversations (1 request), its 100 conversations (a contact and
        // one page of messages each, two for the long conversation), then 20 more requests
        // into the second page: the export stops in the middle of a page.
        sandbox.faults().pass_next(1 + 100 * 2 + 1 + 1 + 20);
        sandbox.faults().html_next(1);
        let stopped = export(&twice);
        assert_eq!(stopped.code, Some(3), "{}", stopped.stderr);
        assert!(
            stopped
                .stderr
                .contains("100 conversations are written: run the same command again"),
            "{}",
            stopped.stderr
        );
        let state: Value = serde_json::from_slice(
            &std::fs::read(twice.join("export-state.json")).unwrap_or_default(),
        )
        .unwrap_or_default();
        assert_eq!(state["offset"], 100);
        let recorded = state["files"]["messages.jsonl"]["lines"]
            .as_u64()
            .unwrap_or(0);
        let partial = std::fs::read_to_string(twice.join("messages.jsonl")).unwrap_or_default();
        assert!(
            partial.lines().count() as u64 > recorded,
            "the stopped page had written messages past the record"
        );

        let resumed = export(&twice);
        assert_eq!(resumed.code, Some(0), "{}", resumed.stderr);
        let resumed_summary: Value = serde_json::from_str(&resumed.stdout).unwrap_or_default();
        assert_eq!(resumed_summary["lines"], summary["lines"]);
        assert_eq!(files(&twice), files(&once), "the same files, byte for byte");

        let again = export(&twice);
        assert_eq!(
            again.code,
            Some(0),
            "a finished export is not written again"
        );
        assert_eq!(files(&twice), files(&once));
    }
}
