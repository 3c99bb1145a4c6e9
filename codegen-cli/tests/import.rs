//! `chatrace-codegen import-postman` from the command line: what it prints, what it writes, and
//! how it fails.

mod common;

use common::*;
use std::path::PathBuf;

use chatrace_codegen::diff::diff;
use chatrace_codegen::{load_file, load_str};

fn fixture(name: &str) -> PathBuf {
    codegen_fixture("postman", name)
}

/// Eight requests of the vendor's collection, verbatim (CRLF line ends and all), in folders.
const SUBSET: &str = "chatrace-subset.postman_collection.json";

#[test]
fn merging_part_of_the_collection_into_a_copy_of_the_catalogue_changes_nothing() {
    let copy = TempFile::copy_of(&api_spec(), "merge");
    let before = std::fs::read_to_string(&copy.0).unwrap();
    let (code, out, err) = run(&[
        "import-postman",
        &fixture(SUBSET).display().to_string(),
        "--into",
        &copy.0.display().to_string(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.is_empty(), "with --into nothing goes to stdout: {out}");
    assert!(err.contains("0 change(s), 0 breaking"), "{err}");
    assert!(
        err.contains("49 operation(s): not in the collection, kept"),
        "{err}"
    );
    let after = std::fs::read_to_string(&copy.0).unwrap();
    // The merged catalogue loads, and diff sees no change at all (so none breaking).
    let merged = load_file(&copy.0).expect("the merged catalogue is valid");
    let original = load_str(&before, "api-spec.yaml").unwrap();
    let changes = diff(&original, &merged);
    assert!(changes.changes.is_empty(), "{:#?}", changes.changes);
    let (code, out, err) = run(&[
        "diff",
        &api_spec().display().to_string(),
        &copy.0.display().to_string(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    // And the file is untouched, comments and all.
    assert!(before == after, "the merge rewrote text it did not change");
}

#[test]
fn the_cli_reports_malformed_collections_and_exits_1() {
    for (name, needle) in [
        ("not-json.postman_collection.json", "not JSON"),
        ("v1.postman_collection.json", "Collection v1"),
        (
            "no-body.postman_collection.json",
            "E-commerce / Get list of orders: the request has no body",
        ),
        ("missing.postman_collection.json", "cannot read"),
    ] {
        let (code, out, err) = run(&["import-postman", &fixture(name).display().to_string()]);
        assert_eq!(code, 1, "{name}: {out}{err}");
        assert!(err.contains(needle), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(out.is_empty(), "{name}: {out}");
    }
}

#[test]
fn the_cli_prints_a_catalogue_of_the_vendor_s_collection_that_passes_check() {
    let (code, out, err) = run(&["import-postman", &vendor_collection().display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let catalogue = load_str(&out, "stdout").unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(catalogue.operations.len(), 54);
    let examples: usize = catalogue.operations.iter().map(|o| o.examples.len()).sum();
    assert_eq!(examples, 60);
    assert!(
        out.starts_with("# Imported by `chatrace-codegen import-postman`"),
        "{out}"
    );
    // What it guessed, per operation, on stderr.
    let added = err.lines().filter(|l| l.starts_with("added ")).count();
    assert_eq!(added, 54, "{err}");
    assert!(
        err.contains("guessed       operation upload_a_file: param op2: the discriminator the caller chooses"),
        "{err}"
    );
    // `check` accepts what it printed, and `expand` generates Rust that parses.
    let printed = TempFile::new("imported", "yaml", &out);
    let (code, check_out, check_err) = run(&["check", &printed.0.display().to_string()]);
    assert_eq!(code, 0, "{check_out}{check_err}");
    assert!(check_out.contains("  operations: 54\n"), "{check_out}");
    assert!(
        check_out.contains("  collection: 54 (60 examples)\n"),
        "{check_out}"
    );
    let (code, expanded, expand_err) = run(&["expand", &printed.0.display().to_string()]);
    assert_eq!(code, 0, "{expand_err}");
    assert!(
        expanded.contains("pub fn upload_a_file"),
        "the client has the upload"
    );
}
