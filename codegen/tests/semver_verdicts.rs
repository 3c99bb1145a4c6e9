//! `diff` against cargo-semver-checks. Each case of `fixtures/semver/verdicts.json` edits
//! `fixtures/semver/base.yaml` (or the `baseline` it names) once (one kind of change) and records what cargo-semver-checks
//! said of the crate generated from the edited catalogue against the crate generated from the
//! original (`fixtures/semver/lab.py` records it, run by hand: these tests only read the
//! record, and need no cargo-semver-checks). `diff`'s bump on each pair must be that verdict;
//! a case may say why `diff` is stricter (`blind_spot`: a break no lint can see), or why
//! cargo-semver-checks is (`open_issue`: the generated code is what should change).

use chatrace_codegen::diff::{diff, Bump, Diff};
use chatrace_codegen::generate::{generate, Options, ServerSide};
use chatrace_codegen::load_str;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/semver")
        .join(name)
}

fn verdicts() -> Value {
    let text = std::fs::read_to_string(fixture("verdicts.json")).expect("verdicts.json");
    serde_json::from_str(&text).expect("verdicts.json is JSON")
}

fn cases(verdicts: &Value) -> &[Value] {
    verdicts["cases"].as_array().expect("cases")
}

fn name(case: &Value) -> &str {
    case["name"].as_str().expect("a case has a name")
}

fn base() -> String {
    std::fs::read_to_string(fixture("base.yaml")).expect("base.yaml")
}

/// `base` with each `[from, to]` of `edits` made; each `from` must occur exactly once.
fn apply(base: &str, edits: &Value, case: &str) -> String {
    let mut text = base.to_string();
    for edit in edits.as_array().expect("edits") {
        let (from, to) = (edit[0].as_str().unwrap(), edit[1].as_str().unwrap());
        assert_eq!(
            text.matches(from).count(),
            1,
            "{case}: `{from}` must occur once in its baseline"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// The catalogue a case edits: its own `baseline`, else base.yaml.
fn baseline_of(case: &Value) -> String {
    match case["baseline"].as_str() {
        Some(name) => std::fs::read_to_string(fixture(name)).expect("the case's baseline"),
        None => base(),
    }
}

/// The diff between the case's two catalogues.
fn pair_diff(case: &Value) -> Diff {
    let base = baseline_of(case);
    let (old, new) = (
        apply(&base, &case["old"], name(case)),
        apply(&base, &case["new"], name(case)),
    );
    let load = |text: &str, file: &str| {
        load_str(text, file).unwrap_or_else(|e| panic!("{}: {file} is invalid:\n{e}", name(case)))
    };
    diff(&load(&old, "old.yaml"), &load(&new, "new.yaml"))
}

/// What a verdict of cargo-semver-checks asks of the version: `none` (no change of the API it
/// can see) is a patch.
fn bump_of(verdict: &str) -> Bump {
    match verdict {
        "major" => Bump::Major,
        "minor" => Bump::Minor,
        "none" => Bump::Patch,
        other => panic!("unknown verdict `{other}`"),
    }
}

/// A run's lints that require `level` (`major` or `minor`).
fn lints<'a>(run: &'a Value, level: &str) -> Vec<&'a str> {
    run["lints"]
        .as_array()
        .expect("lints")
        .iter()
        .filter(|l| l["requires"] == level)
        .map(|l| l["lint"].as_str().unwrap())
        .collect()
}

#[test]
fn each_case_makes_the_change_it_is_named_for() {
    for case in cases(&verdicts()) {
        let d = pair_diff(case);
        let found: BTreeSet<&str> = d.changes.iter().map(|c| c.kind.as_str()).collect();
        let named: BTreeSet<&str> = case["kinds"]
            .as_array()
            .expect("kinds")
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert_eq!(found, named, "{}: {d:#?}", name(case));
    }
}

#[test]
fn diff_bumps_as_cargo_semver_checks_says_except_where_a_case_says_why() {
    let verdicts = verdicts();
    let mut wrong = Vec::new();
    for case in cases(&verdicts) {
        let name = name(case);
        let bump = pair_diff(case).bump();
        if case["diff"] != bump.as_str() {
            wrong.push(format!(
                "{name}: diff says {}, verdicts.json records {}",
                bump.as_str(),
                case["diff"]
            ));
        }
        let verdict = case["semver_checks"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no verdict recorded: run lab.py"));
        let theirs = bump_of(verdict);
        let blind_spot = case["blind_spot"].as_str().filter(|s| !s.is_empty());
        let open_issue = case["open_issue"].as_str().filter(|s| !s.is_empty());
        let agrees = match (blind_spot, open_issue) {
            (None, None) => bump == theirs,
            // A break cargo-semver-checks cannot see: diff must say more.
            (Some(_), None) => bump > theirs,
            // The generated code should change; until it does, cargo-semver-checks says more.
            (None, Some(_)) => bump < theirs,
            (Some(_), Some(_)) => false,
        };
        if !agrees {
            wrong.push(format!(
                "{name}: diff says {}, cargo-semver-checks {verdict} (blind_spot: {blind_spot:?}, open_issue: {open_issue:?})",
                bump.as_str(),
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn each_recorded_verdict_is_what_its_lints_say() {
    // major: a major lint on the change; minor: a minor lint on it, or a major lint on its
    // reverse (the change adds what going back would remove); none: no lint either way.
    let verdicts = verdicts();
    assert!(verdicts["cargo_semver_checks"]
        .as_str()
        .is_some_and(|v| v.starts_with("cargo-semver-checks ")));
    assert!(verdicts["command"]
        .as_str()
        .is_some_and(|c| c.starts_with("cargo semver-checks check-release ")));
    for case in cases(&verdicts) {
        let (forward, reverse) = (&case["forward"], &case["reverse"]);
        for run in [forward, reverse] {
            for lint in run["lints"].as_array().expect("lints") {
                assert!(
                    lint["requires"] == "major" || lint["requires"] == "minor",
                    "{}: {lint}",
                    name(case)
                );
            }
        }
        let derived = if !lints(forward, "major").is_empty() {
            "major"
        } else if !lints(forward, "minor").is_empty() || !lints(reverse, "major").is_empty() {
            "minor"
        } else {
            "none"
        };
        assert_eq!(case["semver_checks"], derived, "{}", name(case));
    }
}

#[test]
fn every_kind_of_change_has_a_case() {
    // The kinds are the names `ChangeKind::as_str` gives: its arms, read from the source, so
    // that a new kind fails here until it has a case.
    let source = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/diff/change.rs"),
    )
    .expect("src/diff/change.rs");
    let body = source
        .split("pub fn as_str(self) -> &'static str {\n        use ChangeKind::*;")
        .nth(1)
        .expect("ChangeKind::as_str")
        .split("\n    }\n")
        .next()
        .unwrap();
    let kinds: BTreeSet<&str> = body
        .lines()
        .filter_map(|l| l.split("=> \"").nth(1))
        .map(|l| l.trim_end_matches("\","))
        .collect();
    assert!(kinds.len() > 40, "{kinds:?}");
    let verdicts = verdicts();
    let covered: BTreeSet<&str> = cases(&verdicts)
        .iter()
        .flat_map(|c| c["kinds"].as_array().unwrap())
        .map(|k| k.as_str().unwrap())
        .collect();
    // The realtime section is classified as a whole and conservatively (tests/diff.rs): its
    // generated module needs the runtime's `realtime` feature and a catalogue with the
    // operations it calls, which the lab's catalogue does not have.
    let missing: Vec<_> = kinds
        .difference(&covered)
        .filter(|k| **k != "realtime")
        .collect();
    assert!(
        missing.is_empty(),
        "no case in fixtures/semver/verdicts.json for {missing:?}"
    );
}

#[test]
fn the_additions_are_minor_only_because_the_types_are_non_exhaustive() {
    // The same pairs with `#[non_exhaustive]` taken out of the generated code: a new field or
    // variant is then a major change for cargo-semver-checks (a struct literal or an exhaustive
    // `match` breaks), which is what the old policy of `diff` guessed.
    let verdicts = verdicts();
    let controls: Vec<&Value> = cases(&verdicts)
        .iter()
        .filter(|c| !c["without_non_exhaustive"].is_null())
        .collect();
    assert!(controls.len() >= 5);
    for case in controls {
        assert_eq!(case["semver_checks"], "minor", "{}", name(case));
        let without = lints(&case["without_non_exhaustive"], "major");
        assert!(
            without.contains(&"enum_variant_added")
                || without.contains(&"constructible_struct_adds_field"),
            "{}: {without:?}",
            name(case)
        );
    }
}

#[test]
fn adding_an_operation_is_minor_even_for_server_code() {
    // `AnyRequest` (generated with the `server` option) is #[non_exhaustive], so a new
    // operation cannot break a `match` on it; the lab agrees and no case is left open.
    let verdicts = verdicts();
    let open: Vec<&str> = cases(&verdicts)
        .iter()
        .filter(|c| c["open_issue"].is_string())
        .map(name)
        .collect();
    assert!(open.is_empty(), "open cases: {open:?}");
    let server_case = cases(&verdicts)
        .iter()
        .find(|c| name(c) == "operation_added_server")
        .expect("operation_added_server is recorded");
    assert_eq!(server_case["semver_checks"], "minor");
    let catalogue = load_str(&base(), "base.yaml").expect("base.yaml");
    let options = Options {
        server: ServerSide::Always,
        ..Options::default()
    };
    let code = generate(&catalogue, None, options).to_string();
    let at = code
        .find("pub enum AnyRequest")
        .expect("AnyRequest is generated");
    // Its attributes: what comes after the end of the item before it.
    let attributes = &code[code[..at].rfind(['}', ';']).unwrap_or(0)..at];
    assert!(
        attributes.contains("non_exhaustive"),
        "AnyRequest must be #[non_exhaustive]: {attributes}"
    );
}
