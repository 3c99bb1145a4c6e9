//! The round trip that proves the import: `chatrace-codegen import-postman` of the vendor's
//! collection (`tests/fixtures/chatrace.postman_collection.json`, its source in
//! tests/fixtures/README.md) into a copy of api-spec.yaml changes no wire form of any of the 54
//! operations (nor anything written by hand), and `chatrace-codegen diff` between before and
//! after reports no change. A collection the vendor changed shows in the same pipeline.

mod common;

use common::*;

use chatrace_codegen::diff::diff;
use chatrace_codegen::{load_file, load_str};

#[test]
fn importing_the_vendor_s_collection_into_a_copy_of_the_catalogue_changes_nothing() {
    let copy = TempFile::copy_of(&api_spec(), "merge");
    let before = std::fs::read_to_string(&copy.0).unwrap();
    let (code, out, err) = run(&[
        "import-postman",
        &vendor_collection().display().to_string(),
        "--into",
        &copy.arg(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.is_empty(), "with --into nothing goes to stdout: {out}");
    // Every request found its operation, and nothing changed.
    let matched = err.lines().filter(|l| l.starts_with("matched ")).count();
    assert_eq!(matched, 54, "{err}");
    assert!(
        !err.lines()
            .any(|l| l.starts_with("updated ") || l.starts_with("added ")),
        "{err}"
    );
    assert!(
        err.contains("against the previous catalogue: 0 change(s), 0 breaking; implied bump: none"),
        "{err}"
    );
    // The file written holds both APIs: the collection's 54, the web inbox's 3 and the public
    // API's 55.
    assert!(err.contains("(112 operations)"), "{err}");

    // `diff` between before and after: no change at all, exit 0.
    let (code, diff_out, diff_err) = run(&["diff", &api_spec().display().to_string(), &copy.arg()]);
    assert_eq!(code, 0, "{diff_out}{diff_err}");
    assert_eq!(diff_out.lines().count(), 1, "{diff_out}");
    assert!(
        diff_out
            .to_ascii_lowercase()
            .starts_with("no changes; implied bump: none"),
        "{diff_out}"
    );
    let (code, json, _) = run(&[
        "diff",
        &api_spec().display().to_string(),
        &copy.arg(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["changes"], serde_json::json!([]));
    assert_eq!(json["bump"], "none");

    // The same, read as models: the merged catalogue is valid and equal to the original.
    let merged = load_file(&copy.0).expect("the merged catalogue is valid");
    let original = load_str(&before, "api-spec.yaml").unwrap();
    assert!(diff(&original, &merged).changes.is_empty());
    // And not one byte of the file moved, comments included.
    let after = std::fs::read_to_string(&copy.0).unwrap();
    assert!(before == after, "the merge rewrote text it did not change");
}

#[test]
fn a_wire_change_in_the_collection_shows_in_the_same_round_trip() {
    // The vendor now sends the order id of `Get order information` as a string.
    let text = std::fs::read_to_string(vendor_collection()).unwrap();
    let needle = r#"\"id\": 1000000\r\n}"#;
    assert_eq!(text.matches(needle).count(), 1, "the order example's id");
    let changed = TempFile::new(
        "collection",
        "json",
        &text.replacen(needle, r#"\"id\": \"1000000\"\r\n}"#, 1),
    );
    let copy = TempFile::copy_of(&api_spec(), "changed");
    let (code, out, err) = run(&["import-postman", &changed.arg(), "--into", &copy.arg()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("updated       operation get_order: param id: sent as a string (the examples send it so)"),
        "{err}"
    );
    let (code, diff_out, diff_err) = run(&["diff", &api_spec().display().to_string(), &copy.arg()]);
    assert_eq!(code, 0, "a wire change is compatible: {diff_out}{diff_err}");
    assert!(
        diff_out.contains(
            "compatible  operation get_order: param id: as: number -> string (wire change) [patch]"
        ),
        "{diff_out}"
    );
    assert!(
        diff_out.contains("compatible  operation get_order: examples changed (1 -> 1) [patch]"),
        "{diff_out}"
    );
}
