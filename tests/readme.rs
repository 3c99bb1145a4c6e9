//! The README tells the truth: every operation of the catalogue is listed with its provenance,
//! and the test command it gives is the one CI runs.

use chatrace_codegen::model::Provenance;

const README: &str = include_str!("../README.md");
const CI: &str = include_str!("../.ci/run");

#[test]
fn readme_lists_every_operation_with_its_provenance() {
    let catalogue =
        chatrace_codegen::load_file(concat!(env!("CARGO_MANIFEST_DIR"), "/api-spec.yaml"))
            .expect("the catalogue is valid");
    for op in &catalogue.operations {
        let provenance = match op.provenance {
            Provenance::Documented => "documented",
            Provenance::Inferred => "inferred",
        };
        let row = format!("| `{}` | {} | {provenance} |", op.name, op.title);
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
