//! `chatrace-codegen`: checks a catalogue and prints what it holds.

use chatrace_codegen::model::{Provenance, TypeKind};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { file } => check(&file),
        Command::Expand { file } => match chatrace_codegen::expand_file(&file) {
            Ok(code) => {
                print!("{code}");
                ExitCode::SUCCESS
            }
            Err(error) => report(&error),
        },
    }
}

fn check(file: &std::path::Path) -> ExitCode {
    match chatrace_codegen::load_file(file) {
        Ok(catalogue) => {
            let ops = &catalogue.operations;
            let documented = ops
                .iter()
                .filter(|o| o.provenance == Provenance::Documented)
                .count();
            let structs = catalogue
                .types
                .iter()
                .filter(|t| matches!(t.kind, TypeKind::Struct { .. }))
                .count();
            println!("{}: ok", file.display());
            println!("  api:        {}", catalogue.api.title);
            println!("  operations: {}", ops.len());
            println!("  documented: {documented}");
            println!("  inferred:   {}", ops.len() - documented);
            println!(
                "  types:      {} ({structs} structs, {} enums)",
                catalogue.types.len(),
                catalogue.types.len() - structs
            );
            println!(
                "  paged:      {}",
                ops.iter().filter(|o| o.paging.is_some()).count()
            );
            ExitCode::SUCCESS
        }
        Err(error) => report(&error),
    }
}

fn report(error: &chatrace_codegen::CatalogueError) -> ExitCode {
    for diagnostic in &error.diagnostics {
        eprintln!("error: {}", error.render(diagnostic));
    }
    eprintln!("{}: {} error(s)", error.file, error.diagnostics.len());
    ExitCode::FAILURE
}
