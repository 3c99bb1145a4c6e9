//! What a user of `chatrace` compiles: no clap nor prettyplease (they belong to the
//! `chatrace-codegen` tool), one syn, no proc-macro or executor that no code uses, and the
//! README's example builds when pasted into a new crate with exactly the dependencies the README
//! lists.

use std::path::{Path, PathBuf};
use std::process::Command;

const README: &str = include_str!("../../README.md");

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of the first fenced block of `language` after `heading`.
fn block_after<'a>(heading: &str, language: &str) -> &'a str {
    let from = README
        .find(heading)
        .unwrap_or_else(|| panic!("the README has `{heading}`"));
    let fence = format!("```{language}\n");
    let start = README[from..]
        .find(&fence)
        .unwrap_or_else(|| panic!("a ```{language} block after `{heading}`"))
        + from
        + fence.len();
    let end = README[start..].find("```").expect("the block ends") + start;
    &README[start..end]
}

#[test]
fn depending_on_chatrace_compiles_neither_the_tools_nor_what_no_code_uses() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "chatrace",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .args(["--offline", "--format", "{p}"])
        .current_dir(repository())
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(crates.contains(&"chatrace-macros"), "{tree}");
    for tool_only in ["clap", "clap_derive", "prettyplease"] {
        assert!(
            !crates.contains(&tool_only),
            "`chatrace` pulls in {tool_only}:\n{tree}"
        );
    }
    // tokio's `macros` (for `select!`) brings a proc-macro and syn's `full` tree; tracing's
    // default features `#[instrument]`; futures' the executor; tokio's `signal` a registry.
    for unused in [
        "tokio-macros",
        "tracing-attributes",
        "futures-executor",
        "signal-hook-registry",
    ] {
        assert!(
            !crates.contains(&unused),
            "`chatrace` pulls in {unused}, which no code of it uses:\n{tree}"
        );
    }
    // The macro's syn is the derives' (serde's, thiserror's): one version is compiled.
    let syn_versions: std::collections::BTreeSet<&str> = tree
        .lines()
        .filter_map(|line| line.strip_prefix("syn v"))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    assert_eq!(
        syn_versions.len(),
        1,
        "syn versions {syn_versions:?}:\n{tree}"
    );
}

#[test]
fn the_readmes_example_builds_in_a_new_crate_with_the_dependencies_it_lists() {
    let dependencies = block_after("## Use", "toml");
    let example = block_after("## Use", "rust,no_run");
    // The README points at the published repository; here the crate is this checkout.
    let repo = repository();
    let dependencies = dependencies.replace(
        r#"chatrace = { git = "https://github.com/chatrace-rs/chatrace-rs" }"#,
        &format!("chatrace = {{ path = {:?} }}", repo.display().to_string()),
    );
    assert!(dependencies.contains("chatrace = { path"), "{dependencies}");

    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("readme-example");
    let _ = std::fs::remove_dir_all(root.join("src"));
    std::fs::create_dir_all(root.join("src")).expect("a crate directory");
    let manifest = format!(
        "[package]\nname = \"readme-example\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n{dependencies}"
    );
    write(&root.join("Cargo.toml"), &manifest);
    write(&root.join("src/main.rs"), example);
    // The versions this checkout is tested with.
    std::fs::copy(repo.join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");

    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(&root)
        // A target directory of its own: this test's cargo still holds the workspace's.
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .expect("run cargo check");
    assert!(
        output.status.success(),
        "the README's example does not build with the dependencies it lists:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}
