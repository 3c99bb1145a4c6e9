//! Every kind of bad catalogue gives an error that names the file, the line and the problem.

use chatrace_codegen::{load_file, CatalogueError};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn errors_of(name: &str) -> CatalogueError {
    match load_file(fixture(name)) {
        Ok(_) => panic!("{name} loaded, but it is invalid"),
        Err(error) => error,
    }
}

/// Asserts that some diagnostic is on `line` and its rendering contains every one of `needles`.
fn assert_reports(error: &CatalogueError, line: u32, needles: &[&str]) {
    let found = error.diagnostics.iter().any(|d| {
        let text = error.render(d);
        d.pos.line == line && needles.iter().all(|n| text.contains(n))
    });
    assert!(
        found,
        "no diagnostic on line {line} containing {needles:?}; got:\n{error}"
    );
}

#[test]
fn the_valid_fixture_loads() {
    let catalogue = load_file(fixture("valid.yaml")).expect("valid.yaml is valid");
    assert_eq!(catalogue.operations.len(), 2);
    assert_eq!(catalogue.types.len(), 1);
}

#[test]
fn syntax_error_names_its_line() {
    let error = errors_of("syntax_error.yaml");
    assert!(error.file.ends_with("syntax_error.yaml"));
    let first = error.first().expect("one diagnostic");
    assert!(first.message.contains("YAML syntax error"), "{error}");
    assert!((6..=8).contains(&first.pos.line), "{error}");
}

#[test]
fn unknown_key_suggests_the_known_one() {
    let error = errors_of("unknown_key.yaml");
    assert_reports(
        &error,
        12,
        &[
            "unknown_key.yaml:12:",
            "operation `get_thing` param `id`",
            "unknown key `requird`",
            "did you mean `required`?",
        ],
    );
}

#[test]
fn undeclared_type_is_named() {
    let error = errors_of("undeclared_type.yaml");
    assert_reports(
        &error,
        5,
        &["operation `get_thing`", "type `Thingy` is not declared"],
    );
}

#[test]
fn duplicate_operation_points_at_the_second() {
    let error = errors_of("duplicate_operation.yaml");
    assert_reports(
        &error,
        11,
        &[
            "duplicate operation name `get_thing`",
            "first declared on line 5",
        ],
    );
}

#[test]
fn operations_that_cannot_be_told_apart_are_refused() {
    let error = errors_of("indistinguishable.yaml");
    assert_reports(
        &error,
        13,
        &[
            "operation `find_thing`",
            "same discriminators (op=things, op1=get)",
            "`get_thing` (line 5)",
            "nothing tells them apart",
        ],
    );
}

#[test]
fn operations_sharing_discriminators_but_not_required_params_are_fine() {
    let catalogue = load_file(fixture("valid.yaml")).expect("valid");
    assert_eq!(
        catalogue.operations[0].discriminators,
        catalogue.operations[1].discriminators
    );
}

#[test]
fn invalid_identifier_is_refused() {
    let error = errors_of("bad_identifier.yaml");
    assert_reports(
        &error,
        5,
        &["`getThing` is not a valid snake_case identifier"],
    );
}

#[test]
fn unescaped_keyword_is_refused() {
    let error = errors_of("keyword.yaml");
    assert_reports(&error, 12, &["param `type`", "Rust keyword", "r#type"]);
}

#[test]
fn documented_operation_needs_its_example() {
    let error = errors_of("documented_without_example.yaml");
    assert_reports(
        &error,
        5,
        &["documented operation must carry its `example`"],
    );
}

#[test]
fn empty_file_is_refused() {
    let error = errors_of("empty.yaml");
    assert_reports(&error, 1, &["the catalogue is empty"]);
}

#[test]
fn catalogue_without_operations_is_refused() {
    let error = errors_of("no_operations.yaml");
    assert_reports(&error, 1, &["declares no operations"]);
}

#[test]
fn every_error_of_a_file_is_reported_at_once() {
    let error = errors_of("many_errors.yaml");
    assert!(error.diagnostics.len() >= 4, "{error}");
    assert_reports(&error, 12, &["unknown key `requird`"]);
    assert_reports(&error, 5, &["type `Thingy` is not declared"]);
    assert_reports(
        &error,
        14,
        &["`getOther` is not a valid snake_case identifier"],
    );
    assert_reports(&error, 14, &["must carry its `example`"]);
    let lines: Vec<u32> = error.diagnostics.iter().map(|d| d.pos.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "diagnostics are in file order");
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let error = errors_of("does-not-exist.yaml");
    assert!(error.to_string().contains("cannot read the catalogue"));
}

#[test]
fn wrong_kinds_of_values_are_reported() {
    let source = "format: 1\napi:\n  title: T\noperations:\n  - name: a\n    title: A\n    summary: S\n    provenance: maybe\n    kind: read\n    discriminators: { op: x }\n    params: [1, 2]\n";
    let error = chatrace_codegen::load_str(source, "inline.yaml").unwrap_err();
    assert_reports(
        &error,
        8,
        &["`provenance` must be one of documented, inferred, found `maybe`"],
    );
    assert_reports(&error, 11, &["expected a mapping, found a sequence"]);
}
