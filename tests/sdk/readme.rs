//! The README tells the truth: every operation of the catalogue is listed with its provenance,
//! and the test command it gives is the one CI runs.

const README: &str = include_str!("../../README.md");
const CI: &str = include_str!("../../.ci/run");

#[test]
fn readme_lists_every_operation_with_its_provenance() {
    let catalogue =
        chatrace_codegen::load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml"))
            .expect("the catalogue is valid");
    // The mobile API's table (the public API's operations are listed by `chatrace ops`).
    for op in catalogue.operations.iter().filter(|op| !op.is_rest()) {
        let (provenance, kind) = (op.provenance, op.kind);
        let retried = if op.retry_safe() { "yes" } else { "no" };
        let notes = match op.inferred.len() {
            0 => String::new(),
            n => n.to_string(),
        };
        let row = format!(
            "| `{}` | {} | {provenance} | {kind} | {retried} | {notes} |",
            op.name, op.title
        );
        assert!(README.contains(&row), "README lacks the row {row}");
    }
}

#[test]
fn readme_test_command_is_the_one_ci_runs() {
    assert!(README.contains("cargo test --workspace"));
    assert!(CI
        .lines()
        .any(|line| line.trim() == "cargo test --workspace"));
    assert!(README.contains("cargo run --example quickstart"));
}
