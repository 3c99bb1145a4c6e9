//! `chatrace-codegen`: checks a catalogue and prints what it holds; expands it to Rust; lists
//! what changed between two catalogues; imports a Postman collection.

use chatrace_codegen::model::{Provenance, TypeKind};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes a line on stderr, as `eprintln!` does; a stderr that cannot be written (a closed
/// pipe) does not end the tool, whose exit code says what happened.
macro_rules! note {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

/// Tools for the ChatRace catalogue (api-spec.yaml).
#[derive(Parser)]
#[command(name = "chatrace-codegen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validates a catalogue: prints a summary and exits 0, or prints every error and exits 1.
    Check {
        /// The catalogue file.
        file: PathBuf,
    },
    /// Prints the Rust the macro generates for a catalogue, formatted.
    Expand {
        /// The catalogue file.
        file: PathBuf,
        /// Also the server side (request `Deserialize` and `AnyRequest`), as
        /// `generate!("...", server)` emits it.
        #[arg(long)]
        server: bool,
    },
    /// Lists what changed between two catalogues, each change breaking or compatible for a user
    /// of the generated crate, and the semver bump they imply. Exits 0 when every change is
    /// compatible, 1 when one is breaking, 2 on error.
    Diff {
        /// The catalogue before the change.
        old: PathBuf,
        /// The catalogue after the change.
        new: PathBuf,
        /// `text` (one line per change, then a summary) or `json` (for tools).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The crate's current version, from which the next version is computed.
        #[arg(long, value_name = "X.Y.Z", default_value = env!("CARGO_PKG_VERSION"))]
        current_version: String,
    },
    /// Imports the requests of a Postman Collection v2.1 export as catalogue operations. Prints
    /// the catalogue, or with `--into FILE` merges into FILE and writes it back; what was
    /// updated, added, guessed or not inferred goes to stderr. Exits 0 on success, 1 on error.
    ImportPostman {
        /// The collection (`*.postman_collection.json`).
        collection: PathBuf,
        /// The catalogue to merge into and rewrite (items that do not change keep their text).
        #[arg(long, value_name = "FILE")]
        into: Option<PathBuf>,
    },
}

/// How `diff` prints its report.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One line per change, then a summary.
    Text,
    /// One JSON object: `changes`, `breaking`, `bump`, `version`, `next_version`.
    Json,
}

/// Stdout that a reader may close (`chatrace-codegen expand api-spec.yaml | head`): once the
/// pipe is closed, what follows is dropped and the tool ends as it would have (exit 0 unless
/// the command itself failed), as the `chatrace` CLI does, instead of panicking.
struct Out<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Out<W> {
    fn new(inner: W) -> Self {
        Out {
            inner,
            closed: false,
        }
    }

    /// `result`, with a closed pipe counted as written (and remembered).
    fn closing(&mut self, result: io::Result<()>) -> io::Result<()> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

impl<W: Write> Write for Out<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.closed {
            let written = self.inner.write_all(buf);
            self.closing(written)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let flushed = self.inner.flush();
        self.closing(flushed)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Out::new(io::stdout().lock());
    let result = run(cli.command, &mut out).and_then(|code| out.flush().map(|()| code));
    match result {
        Ok(code) => code,
        Err(e) => {
            note!("error: cannot write to stdout: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `command`, its output on `out`.
fn run(command: Command, out: &mut impl Write) -> io::Result<ExitCode> {
    Ok(match command {
        Command::Check { file } => check(&file, out)?,
        Command::Expand { file, server } => match chatrace_codegen_cli::expand_file(
            &file,
            chatrace_codegen::generate::Options {
                server: if server {
                    chatrace_codegen::generate::ServerSide::Always
                } else {
                    chatrace_codegen::generate::ServerSide::Omit
                },
                // The realtime module is part of what the catalogue generates.
                realtime: chatrace_codegen::generate::ServerSide::Always,
                // Both APIs, ungated.
                ..Default::default()
            },
        ) {
            Ok(code) => {
                write!(out, "{code}")?;
                ExitCode::SUCCESS
            }
            Err(error) => report(&error),
        },
        Command::Diff {
            old,
            new,
            format,
            current_version,
        } => diff(&old, &new, format, &current_version, out)?,
        Command::ImportPostman { collection, into } => {
            import_postman(&collection, into.as_deref(), out)?
        }
    })
}

fn diff(
    old: &Path,
    new: &Path,
    format: Format,
    version: &str,
    out: &mut impl Write,
) -> io::Result<ExitCode> {
    let (old, new) = match (
        chatrace_codegen::load_file(old),
        chatrace_codegen::load_file(new),
    ) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            for error in [old.err(), new.err()].into_iter().flatten() {
                report(&error);
            }
            return Ok(ExitCode::from(2));
        }
    };
    let changes = chatrace_codegen::diff::diff(&old, &new);
    match format {
        Format::Text => write!(out, "{}", changes.to_text(version))?,
        Format::Json => writeln!(out, "{:#}", changes.to_json(version))?,
    }
    Ok(if changes.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn import_postman(
    collection_path: &Path,
    into: Option<&Path>,
    out: &mut impl Write,
) -> io::Result<ExitCode> {
    use chatrace_codegen::{emit, postman};
    let collection = match postman::read_collection(collection_path) {
        Ok(collection) => collection,
        Err(error) => {
            note!("error: {}: {error}", collection_path.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let (result, text, previous, shown) = match into {
        Some(path) => {
            let shown = path.display().to_string();
            let original = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) => {
                    note!("error: cannot read {shown}: {e}");
                    return Ok(ExitCode::FAILURE);
                }
            };
            let existing = match chatrace_codegen::load_str(&original, &shown) {
                Ok(existing) => existing,
                Err(error) => return Ok(report(&error)),
            };
            let result = match postman::merge(&existing, &collection) {
                Ok(result) => result,
                Err(error) => {
                    note!("error: {}: {error}", collection_path.display());
                    return Ok(ExitCode::FAILURE);
                }
            };
            let text = emit::emit_over(&result.catalogue, &original);
            (result, text, Some(existing), shown)
        }
        None => {
            let result = match postman::import(&collection) {
                Ok(result) => result,
                Err(error) => {
                    note!("error: {}: {error}", collection_path.display());
                    return Ok(ExitCode::FAILURE);
                }
            };
            let text = format!(
                "# Imported by `chatrace-codegen import-postman` from {}.\n# Format: docs/catalogue.md. Review what the import guessed (it printed it) before use.\n{}",
                collection_path.display(),
                emit::emit(&result.catalogue)
            );
            (result, text, None, "<imported catalogue>".to_string())
        }
    };
    for note in &result.notes {
        note!("{note}");
    }
    let written = match chatrace_codegen::load_str(&text, &shown) {
        Ok(written) => written,
        Err(error) => {
            note!("error: the imported catalogue does not validate, so nothing was written:");
            return Ok(report(&error));
        }
    };
    if let Some(previous) = &previous {
        let changes = chatrace_codegen::diff::diff(previous, &written);
        let breaking = changes.changes.iter().filter(|c| c.is_breaking()).count();
        note!(
            "against the previous catalogue: {} change(s), {breaking} breaking; implied bump: {} (see `chatrace-codegen diff`)",
            changes.changes.len(),
            changes.bump().as_str()
        );
    }
    match into {
        Some(path) => {
            if let Err(e) = write_atomically(path, &text) {
                note!("error: cannot write {}: {e}", path.display());
                return Ok(ExitCode::FAILURE);
            }
            note!(
                "wrote {} ({} operations)",
                path.display(),
                written.operations.len()
            );
        }
        None => write!(out, "{text}")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to a file beside `path`, then renames it over `path`.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".{}.tmp", std::process::id()));
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

fn check(file: &std::path::Path, out: &mut impl Write) -> io::Result<ExitCode> {
    match chatrace_codegen::load_file(file) {
        Ok(catalogue) => {
            let ops = &catalogue.operations;
            // How many operations come from a source, and how many examples they carry.
            let from = |provenance: Provenance| {
                let picked = ops.iter().filter(|o| o.provenance == provenance);
                let examples: usize = picked.clone().map(|o| o.examples.len()).sum();
                (picked.count(), examples)
            };
            let (from_collection, examples) = from(Provenance::Collection);
            let (from_swagger, swagger_examples) = from(Provenance::Swagger);
            let count = |pick: fn(&TypeKind) -> bool| {
                catalogue.types.iter().filter(|t| pick(&t.kind)).count()
            };
            writeln!(out, "{}: ok", file.display())?;
            writeln!(out, "  api:        {}", catalogue.api.title)?;
            if let Some(public_api) = &catalogue.public_api {
                let rest = ops.iter().filter(|o| o.is_rest()).count();
                writeln!(
                    out,
                    "  public api: {} ({rest} REST operations)",
                    public_api.title
                )?;
            }
            writeln!(out, "  operations: {}", ops.len())?;
            writeln!(out, "  collection: {from_collection} ({examples} examples)")?;
            if from_swagger > 0 {
                writeln!(
                    out,
                    "  swagger:    {from_swagger} ({swagger_examples} examples)"
                )?;
            }
            writeln!(
                out,
                "  inferred:   {}",
                ops.len() - from_collection - from_swagger
            )?;
            writeln!(
                out,
                "  types:      {} ({} structs, {} enums, {} ids, {} unions)",
                catalogue.types.len(),
                count(|k| matches!(k, TypeKind::Struct { .. })),
                count(|k| matches!(k, TypeKind::Enum { .. })),
                count(|k| matches!(k, TypeKind::Id)),
                count(|k| matches!(k, TypeKind::Union(_))),
            )?;
            writeln!(
                out,
                "  paged:      {}",
                ops.iter().filter(|o| o.paging.is_some()).count()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(report(&error)),
    }
}

/// Prints each problem as rustc does: the message, where, and the line with a caret.
fn report(error: &chatrace_codegen::CatalogueError) -> ExitCode {
    let source = std::fs::read_to_string(&error.file).unwrap_or_default();
    // A byte order mark stands before line 1, column 1: the line shown starts after it.
    let source = source.strip_prefix('\u{feff}').unwrap_or(&source);
    for diagnostic in &error.diagnostics {
        note!("error: {}\n", error.render_snippet(diagnostic, source));
    }
    note!("{}: {} error(s)", error.file, error.diagnostics.len());
    ExitCode::FAILURE
}
