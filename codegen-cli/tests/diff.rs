//! `chatrace-codegen diff` from the command line: its report, its JSON, its exit codes.

mod common;

use common::*;
use std::path::PathBuf;

fn fixture(name: &str) -> std::path::PathBuf {
    codegen_fixture("diff", name)
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

#[test]
fn cli_exits_0_on_compatible_changes() {
    let (code, out, err) = run(&["diff", &path("base.yaml"), &path("compatible.yaml")]);
    assert_eq!(code, 0, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert!(
        lines[..5].iter().all(|l| l.starts_with("compatible  ")),
        "{out}"
    );
    assert!(
        out.contains("compatible  operation list_tags: added"),
        "{out}"
    );
    assert!(
        out.contains("param serverAuthCode: added, optional"),
        "{out}"
    );
    assert!(out.contains("type Order: field currency: added"), "{out}");
    assert!(
        out.contains("param id: as: number -> string (wire change) [patch]"),
        "{out}"
    );
    assert!(
        lines[5].ends_with("implied bump: minor (0.1.0 -> 0.1.1)"),
        "{}",
        lines[5]
    );
}

#[test]
fn cli_exits_1_on_breaking_changes() {
    let (code, out, err) = run(&["diff", &path("base.yaml"), &path("breaking.yaml")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("BREAKING    operation get_order: param id: type id -> string [major]"),
        "{out}"
    );
    assert!(
        out.contains("BREAKING    operation login_with_google: removed"),
        "{out}"
    );
    assert!(out.contains("implied bump: major (0.1.0 -> 0.2.0"), "{out}");

    let (code, out, _) = run(&[
        "diff",
        &path("base.yaml"),
        &path("breaking.yaml"),
        "--format",
        "json",
        "--current-version",
        "1.4.0",
    ]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(json["breaking"], true);
    assert_eq!(json["bump"], "major");
    assert_eq!(json["version"], "1.4.0");
    assert_eq!(json["next_version"], "2.0.0");
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(2));
}

#[test]
fn cli_exits_0_when_nothing_changed() {
    let (code, out, _) = run(&[
        "diff",
        &path("base.yaml"),
        &path("base.yaml"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(json["bump"], "none");
    assert_eq!(json["changes"], serde_json::json!([]));
}

#[test]
fn cli_exits_2_on_an_invalid_or_missing_catalogue() {
    let (code, out, err) = run(&["diff", &path("base.yaml"), &path("invalid.yaml")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("invalid.yaml:"), "{err}");
    assert!(err.contains("type `Ordr` is not declared"), "{err}");

    let (code, _, err) = run(&["diff", &path("missing.yaml"), &path("base.yaml")]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the catalogue"), "{err}");

    let (code, _, _) = run(&["diff", &path("base.yaml")]);
    assert_eq!(code, 2, "a usage error exits 2 too");
}

#[test]
fn the_real_catalogue_has_no_change_against_itself() {
    let api = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-spec.yaml");
    let (code, out, err) = run(&[
        "diff",
        &api.display().to_string(),
        &api.display().to_string(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "no changes; implied bump: none\n");
}
