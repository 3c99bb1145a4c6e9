//! What the tests of bad catalogues share: fixture files, and assertions on the diagnostics a
//! catalogue gets.

// Each test binary uses the part it needs.
#![allow(dead_code)]

use chatrace_codegen::{load_file, CatalogueError};
use std::path::PathBuf;

/// A file under `tests/fixtures` (`rest/valid.yaml` for one in a folder).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The errors of a fixture that must not load.
pub fn errors_of(name: &str) -> CatalogueError {
    match load_file(fixture(name)) {
        Ok(_) => panic!("{name} loaded, but it is invalid"),
        Err(error) => error,
    }
}

/// Asserts that some diagnostic is on `line` and its rendering contains every one of `needles`.
pub fn assert_reports(error: &CatalogueError, line: u32, needles: &[&str]) {
    let found = error.diagnostics.iter().any(|d| {
        let text = error.render(d);
        d.pos.line == line && needles.iter().all(|n| text.contains(n))
    });
    assert!(
        found,
        "no diagnostic on line {line} containing {needles:?}; got:\n{error}"
    );
}

/// Asserts that some diagnostic is at `line:column`, that its rendering starts with
/// `<file>:<line>:<column>: ` and contains every one of `needles`.
pub fn assert_reports_at(error: &CatalogueError, line: u32, column: u32, needles: &[&str]) {
    let prefix = format!("{}:{line}:{column}: ", error.file);
    let found = error.diagnostics.iter().any(|d| {
        let text = error.render(d);
        d.pos.line == line
            && d.pos.column == column
            && text.starts_with(&prefix)
            && needles.iter().all(|n| text.contains(n))
    });
    assert!(
        found,
        "no diagnostic at {line}:{column} containing {needles:?}; got:\n{error}"
    );
}

/// Asserts that the file has exactly `count` diagnostics.
pub fn assert_count(error: &CatalogueError, count: usize) {
    assert_eq!(error.diagnostics.len(), count, "got:\n{error}");
}
