//! What the tool reads and where it writes, at their edges: a catalogue that starts with a byte
//! order mark (U+FEFF, as some editors save UTF-8) is read as the same catalogue without it, its
//! errors at the same lines and columns; a reader that closes the pipe early
//! (`chatrace-codegen expand api-spec.yaml | head -1`) ends the tool quietly with its usual exit
//! code, as the `chatrace` CLI does, not with a panic ("failed printing to stdout: Broken pipe",
//! exit 101).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

mod common;

use common::{api_spec, run, vendor_collection, TempFile};

/// Runs the tool with `args`, its stdout a pipe closed after its first line (at once with
/// `read_first_line` false): the exit code, the first line and stderr.
fn run_closed(args: &[&str], read_first_line: bool) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chatrace-codegen"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chatrace-codegen");
    let stdout = child.stdout.take().expect("a piped stdout");
    let mut first = String::new();
    if read_first_line {
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("read the first line");
    } else {
        drop(stdout);
    }
    let output = child.wait_with_output().expect("wait for chatrace-codegen");
    (
        output.status.code(),
        first,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_the_tool_quietly_with_exit_0() {
    let spec = api_spec();
    let spec = spec.to_str().expect("a UTF-8 path");
    for read_first_line in [true, false] {
        let (code, first, stderr) = run_closed(&["expand", spec], read_first_line);
        assert_eq!(code, Some(0), "expand: {stderr}");
        assert!(stderr.is_empty(), "expand: {stderr}");
        if read_first_line {
            assert!(!first.is_empty(), "expand printed nothing");
        }
        let (code, _, stderr) = run_closed(&["check", spec], read_first_line);
        assert_eq!(code, Some(0), "check: {stderr}");
        assert!(stderr.is_empty(), "check: {stderr}");
        let (code, _, stderr) = run_closed(&["diff", spec, spec], read_first_line);
        assert_eq!(code, Some(0), "diff: {stderr}");
        assert!(stderr.is_empty(), "diff: {stderr}");
        let collection = vendor_collection();
        let collection = collection.to_str().expect("a UTF-8 path");
        let (code, _, stderr) = run_closed(&["import-postman", collection], read_first_line);
        assert_eq!(code, Some(0), "import-postman: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "import-postman: {stderr}");
    }
}

const TINY: &str = "format: 1
api:
  title: Tiny API
operations:
  - name: get_thing
    title: Get a thing
    summary: Reads one thing.
    provenance: inferred
    kind: read
    discriminators: { op: things, op1: get }
";

#[test]
fn a_leading_byte_order_mark_is_no_part_of_the_catalogue() {
    let marked = TempFile::new("bom", "yaml", &format!("\u{feff}{TINY}"));
    let (code, out, err) = run(&["check", &marked.arg()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(": ok"), "{out}");

    let bad = TempFile::new("bom-bad", "yaml", &format!("\u{feff}formt: 1\n{TINY}"));
    let (code, _, err) = run(&["check", &bad.arg()]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains('\u{feff}'), "{err:?}");
    assert!(err.contains(":1:1\n"), "{err}");
    // The line as written after the mark, the caret under its first word.
    assert!(err.contains("\n1 | formt: 1\n  | ^^^^^\n"), "{err}");
}
