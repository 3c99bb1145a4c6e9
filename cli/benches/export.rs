//! `chatrace export` at scale: `cargo bench -p chatrace-cli --bench export`.
//!
//! 1. Items per second of the export (conversations, messages, notes and custom field values
//!    written) against one sandbox in this process: the CLI's export, through the SDK's paging,
//!    against a hand-written reqwest loop that makes the same requests and writes the same
//!    files. Rounds alternate A/B and B/A so that drift and the load of a shared machine hit
//!    both sides; the row shows each side's median and the median of the per-round ratios
//!    (target: SDK / hand-written at most 1.10 in time).
//! 2. Peak memory (VmHWM, read from /proc while it runs) of the `chatrace` binary, a child
//!    process, for `list-conversations --all -o jsonl` and for `export`, against sandboxes of
//!    10,000 and 100,000 conversations: it should not grow with the inbox.
//!
//! Without `--bench` (as `cargo test --benches` runs it), every part runs once on a small
//! inbox, as a smoke test. `-- throughput` or `-- memory` runs one part only.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use chatrace_cli::export::checkpoint::{ExportFile, STATE_FILE};
use chatrace_cli::export::export_inbox;
use chatrace_cli::progress::Progress;
use chatrace_sandbox::Sandbox;
use serde_json::{json, Value};

/// Messages in each conversation the sandbox adds to its seed.
const MESSAGES_EACH: usize = 3;
/// Items a page asks for, on both sides.
const PAGE: u64 = 100;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|arg| arg == "--bench");
    // `-- throughput` or `-- memory` runs one part only.
    let wanted = |part: &str| {
        let named = args.iter().any(|a| a == "throughput" || a == "memory");
        !named || args.iter().any(|a| a == part)
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => panic!("cannot start a runtime: {e}"),
    };
    runtime.block_on(async {
        if wanted("throughput") {
            let (conversations, rounds) = if full { (2_000, 7) } else { (120, 1) };
            throughput(conversations, rounds).await;
        }
        if wanted("memory") {
            let sizes: &[usize] = if full {
                &[10_000, 100_000]
            } else {
                &[200, 2_000]
            };
            memory(sizes).await;
        }
    });
}

async fn sandbox(conversations: usize) -> Sandbox {
    match Sandbox::builder()
        .conversations(conversations)
        .messages_per_conversation(MESSAGES_EACH)
        .start()
        .await
    {
        Ok(sandbox) => sandbox,
        Err(e) => panic!("sandbox: {e}"),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "chatrace-bench-export-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn median<T: PartialOrd + Copy>(mut values: Vec<T>) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

// ---------------------------------------------------------------------------------------------
// 1. Throughput

async fn throughput(conversations: usize, rounds: usize) {
    let sandbox = sandbox(conversations).await;
    let client = sandbox.client();
    let account = sandbox.credentials().account_id;
    let hand = HandExport::new(&sandbox);
    let (sdk_dir, hand_dir) = (scratch("sdk"), scratch("hand"));

    let sdk_side = || async {
        let started = Instant::now();
        let state = export_inbox(&client, account, &sdk_dir, true, &Progress::hidden())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        (started.elapsed(), state.lines.iter().sum::<u64>())
    };
    let hand_side = || async {
        let started = Instant::now();
        let lines = hand.export(&hand_dir).await;
        (started.elapsed(), lines)
    };

    let (mut sdk_times, mut hand_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let mut items = 0;
    for round in 0..rounds {
        let ((sdk, sdk_items), (hand_time, hand_items)) = if round % 2 == 0 {
            let a = sdk_side().await;
            (a, hand_side().await)
        } else {
            let b = hand_side().await;
            (sdk_side().await, b)
        };
        assert_eq!(sdk_items, hand_items, "both sides write the same lines");
        items = sdk_items;
        sdk_times.push(sdk);
        hand_times.push(hand_time);
        ratios.push(sdk.as_secs_f64() / hand_time.as_secs_f64());
    }
    let (sdk, hand_time, ratio) = (median(sdk_times), median(hand_times), median(ratios));
    let per_second = |time: Duration| items as f64 / time.as_secs_f64();
    println!(
        "export of {conversations} conversations ({items} lines), median of {rounds} rounds:\n  \
         SDK          {:>9.0} items/s ({:.3} s)\n  hand-written {:>9.0} items/s ({:.3} s)\n  \
         ratio SDK/hand-written (time) {ratio:.3} (target <= 1.10: {})",
        per_second(sdk),
        sdk.as_secs_f64(),
        per_second(hand_time),
        hand_time.as_secs_f64(),
        if ratio <= 1.10 { "met" } else { "NOT met" },
    );
    let _ = fs::remove_dir_all(&sdk_dir);
    let _ = fs::remove_dir_all(&hand_dir);
    sandbox.shutdown().await;
}

/// The export a careful engineer writes with reqwest and serde_json, no SDK: the same
/// requests, the same files, and a state file per page of conversations.
struct HandExport {
    http: reqwest::Client,
    url: String,
    token: String,
    account: u64,
}

impl HandExport {
    fn new(sandbox: &Sandbox) -> Self {
        HandExport {
            http: reqwest::Client::new(),
            url: sandbox.base_url(),
            token: sandbox.credentials().token.clone(),
            account: sandbox.credentials().account_id,
        }
    }

    /// The `data` of the answer to `body`, or (for `envelope`) the whole answer.
    async fn call(&self, body: Value, envelope: bool) -> Value {
        let answer: Value = self
            .http
            .post(&self.url)
            .header("Content-Type", "application/json")
            .header("User-Agent", "mobile-app")
            .header("X-ACCESS-TOKEN", &self.token)
            .body(body.to_string())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer["status"], "OK", "{answer}");
        if envelope {
            answer
        } else {
            answer.get("data").cloned().unwrap_or(Value::Null)
        }
    }

    /// Writes the export to `dir`; answers the lines written.
    async fn export(&self, dir: &Path) -> u64 {
        let _ = fs::remove_dir_all(dir);
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        let files: Vec<BufWriter<File>> = ExportFile::ALL
            .iter()
            .map(|f| {
                BufWriter::new(File::create(dir.join(f.name())).unwrap_or_else(|e| panic!("{e}")))
            })
            .collect();
        let mut write = Lines { files, lines: 0 };
        let with_contact = |item: &Value, contact: &str| {
            let mut item = item.clone();
            if let Value::Object(fields) = &mut item {
                fields.insert("ms_id".into(), Value::from(contact));
            }
            item
        };
        let mut offset = 0u64;
        loop {
            let body = json!({"account_id": self.account, "op": "conversations", "op1": "get",
                "offset": offset, "limit": PAGE, "cdts": []});
            let page = self.call(body, false).await;
            let conversations = page.as_array().cloned().unwrap_or_default();
            for conversation in &conversations {
                let contact = match &conversation["ms_id"] {
                    Value::String(id) => id.clone(),
                    other => other.to_string(),
                };
                let body = json!({"account_id": self.account, "op": "users", "op1": "get",
                    "ms_id": contact});
                let details = self.call(body, false).await;
                for note in details["notes"].as_array().into_iter().flatten() {
                    write.line(ExportFile::Notes, &with_contact(note, &contact));
                }
                for value in details["custom_fields"].as_array().into_iter().flatten() {
                    write.line(ExportFile::CustomFields, &with_contact(value, &contact));
                }
                let number: u64 = contact.parse().unwrap_or(0);
                let mut from = 0u64;
                loop {
                    let body = json!({"account_id": self.account, "op": "conversations",
                        "op1": "get", "id": number, "offset": from, "limit": PAGE});
                    let answer = self.call(body, true).await;
                    let messages = answer["data"].as_array().cloned().unwrap_or_default();
                    for message in &messages {
                        write.line(ExportFile::Messages, &with_contact(message, &contact));
                    }
                    from += messages.len() as u64;
                    if (messages.len() as u64) < PAGE {
                        break;
                    }
                }
                write.line(ExportFile::Conversations, conversation);
            }
            offset += conversations.len() as u64;
            write.flush();
            let state = json!({"offset": offset, "done": conversations.len() < PAGE as usize});
            fs::write(dir.join(STATE_FILE), state.to_string()).unwrap_or_else(|e| panic!("{e}"));
            if (conversations.len() as u64) < PAGE {
                return write.lines;
            }
        }
    }
}

/// The hand-written side's files.
struct Lines {
    files: Vec<BufWriter<File>>,
    lines: u64,
}

impl Lines {
    fn line(&mut self, file: ExportFile, value: &Value) {
        let out = &mut self.files[file as usize];
        serde_json::to_writer(&mut *out, value).unwrap_or_else(|e| panic!("{e}"));
        out.write_all(b"\n").unwrap_or_else(|e| panic!("{e}"));
        self.lines += 1;
    }

    fn flush(&mut self) {
        for file in &mut self.files {
            file.flush().unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Peak memory

async fn memory(sizes: &[usize]) {
    let binary = env!("CARGO_BIN_EXE_chatrace");
    let mut rows = Vec::new();
    for &size in sizes {
        let sandbox = sandbox(size).await;
        let out = scratch(&format!("rss-{size}"));
        let listing = peak_rss(
            binary,
            &sandbox,
            &[
                "list-conversations",
                "--all",
                "-o",
                "jsonl",
                "--limit",
                "100",
                "--max-pages",
                "4000000",
            ],
        )
        .await;
        let out_text = out.to_string_lossy().into_owned();
        let export = peak_rss(
            binary,
            &sandbox,
            &["export", "--out", &out_text, "-o", "json"],
        )
        .await;
        let _ = fs::remove_dir_all(&out);
        sandbox.shutdown().await;
        rows.push((size, listing, export));
    }
    println!("peak RSS of the chatrace binary (VmHWM):");
    for (size, listing, export) in &rows {
        println!(
            "  {size:>7} conversations: list-conversations --all -o jsonl {:>6} KiB ({:.1} s); \
             export {:>6} KiB ({:.1} s)",
            listing.0,
            listing.1.as_secs_f64(),
            export.0,
            export.1.as_secs_f64()
        );
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        println!(
            "  growth from {} to {} conversations: listing x{:.2}, export x{:.2}",
            first.0,
            last.0,
            last.1 .0 as f64 / first.1 .0.max(1) as f64,
            last.2 .0 as f64 / first.2 .0.max(1) as f64,
        );
    }
}

/// Runs the binary with `args` against `sandbox`, its stdout thrown away; answers its peak
/// resident memory in KiB, read from /proc while it runs, and how long it ran.
async fn peak_rss(binary: &str, sandbox: &Sandbox, args: &[&str]) -> (u64, Duration) {
    let creds = sandbox.credentials();
    let started = Instant::now();
    let mut child = tokio::process::Command::new(binary)
        .args(args)
        .env("CHATRACE_BASE_URL", sandbox.base_url())
        .env("CHATRACE_TOKEN", &creds.token)
        .env("CHATRACE_ACCOUNT_ID", creds.account_id.to_string())
        .env_remove("CHATRACE_FORCE_TTY")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{binary}: {e}"));
    let status_file = child.id().map(|pid| format!("/proc/{pid}/status"));
    let mut peak = 0;
    loop {
        if let Some(hwm) = status_file.as_deref().and_then(vm_hwm) {
            peak = peak.max(hwm);
        }
        match child.try_wait() {
            Ok(Some(status)) => {
                assert!(status.success(), "{binary} {args:?} failed: {status}");
                break;
            }
            Ok(None) => tokio::time::sleep(Duration::from_millis(5)).await,
            Err(e) => panic!("{e}"),
        }
    }
    (peak, started.elapsed())
}

/// The `VmHWM` (peak resident set) of a /proc status file, in KiB.
fn vm_hwm(path: &str) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
