//! What the tool's tests share: running the binary, the repository's files, temporary copies.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `chatrace-codegen` with `args`: its exit code, stdout and stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_chatrace-codegen"))
        .args(args)
        .output()
        .expect("run chatrace-codegen");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The repository's root.
pub fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The project's catalogue.
pub fn api_spec() -> PathBuf {
    repository().join("api-spec.yaml")
}

/// The vendor's collection, verbatim (its source: tests/fixtures/README.md).
pub fn vendor_collection() -> PathBuf {
    repository().join("tests/fixtures/chatrace.postman_collection.json")
}

/// A fixture of the codegen library's tests, under `codegen/tests/fixtures/<dir>`.
pub fn codegen_fixture(dir: &str, name: &str) -> PathBuf {
    repository()
        .join("codegen/tests/fixtures")
        .join(dir)
        .join(name)
}

/// A unique temporary file, removed when dropped.
pub struct TempFile(pub PathBuf);

impl TempFile {
    /// A temporary file holding `text`.
    pub fn new(tag: &str, extension: &str, text: &str) -> TempFile {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "chatrace-codegen-{tag}-{}-{nanos}.{extension}",
            std::process::id()
        ));
        std::fs::write(&path, text).expect("write the temporary file");
        TempFile(path)
    }

    /// A temporary copy of the YAML file `from`.
    pub fn copy_of(from: &Path, tag: &str) -> TempFile {
        TempFile::new(tag, "yaml", &std::fs::read_to_string(from).unwrap())
    }

    /// The path, as an argument of the tool.
    pub fn arg(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
