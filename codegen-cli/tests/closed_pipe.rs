//! A reader that closes the pipe early (`chatrace-codegen expand api-spec.yaml | head -1`)
//! ends the tool quietly with its usual exit code, as the `chatrace` CLI does: no panic
//! ("failed printing to stdout: Broken pipe", exit 101).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

mod common;

use common::{api_spec, vendor_collection};

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
