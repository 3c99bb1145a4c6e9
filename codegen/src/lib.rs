//! chatrace-codegen: the ChatRace catalogue (`api-spec.yaml`) as a typed model, its validation,
//! and the Rust the `chatrace` crate is generated from.
//!
//! The format is documented in `docs/catalogue.md`. [`load_file`] and [`load_str`] read and
//! check a catalogue, reporting every problem with its file, line and column.
//!
//! The modules the `chatrace-codegen` tool needs beyond reading and generating (`diff`, `emit`,
//! `postman`) are behind the `tools` feature, so that the proc-macro, which every user of
//! `chatrace` compiles, does not build them.

#![deny(missing_docs)]

pub mod diag;
#[cfg(feature = "tools")]
pub mod diff;
#[cfg(feature = "tools")]
pub mod emit;
pub mod generate;
pub mod model;
pub mod names;
pub mod path_template;
#[cfg(feature = "tools")]
pub mod postman;
pub mod yaml;

mod load;
mod validate;

pub use diag::{CatalogueError, Diagnostic, Pos};
pub use model::Catalogue;

use std::path::Path;

/// Reads and checks the catalogue at `path`. Errors name `path` as given.
pub fn load_file(path: impl AsRef<Path>) -> Result<Catalogue, CatalogueError> {
    let path = path.as_ref();
    let shown = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| {
        CatalogueError::whole_file(&shown, format!("cannot read the catalogue: {e}"))
    })?;
    load_str(&source, &shown)
}

/// Reads and checks a catalogue held in `source`; `file` is the name errors give it. A
/// leading byte order mark (U+FEFF, which some editors write) is no part of the catalogue: it
/// stands before line 1, column 1, so positions are those of the text after it.
pub fn load_str(source: &str, file: &str) -> Result<Catalogue, CatalogueError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let root = match yaml::parse(source) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return Err(CatalogueError::whole_file(
                file,
                "the catalogue is empty: it must declare `format`, `api` and `operations`",
            ))
        }
        Err(e) => {
            let mut diags = diag::Diagnostics::default();
            diags.push(e.pos, "", e.message);
            return Err(diags.into_error(file));
        }
    };
    let mut diags = diag::Diagnostics::default();
    let catalogue = load::read_catalogue(&root, &mut diags);
    if let Some(catalogue) = &catalogue {
        // What reading found wrong in an operation was left out of it: the checks that would
        // only repeat it (a param left out) skip that operation.
        let read = std::mem::take(&mut diags).into_error(file).diagnostics;
        let wrong = validate::operations_named_in(&read);
        for diagnostic in read {
            diags.push(diagnostic.pos, &diagnostic.context, diagnostic.message);
        }
        validate::validate(catalogue, &wrong, &mut diags);
    }
    match catalogue {
        Some(catalogue) if diags.is_empty() => Ok(catalogue),
        _ => Err(diags.into_error(file)),
    }
}

/// Reads and checks the catalogue at `path` and generates its Rust, with an `include_str!` of
/// the file so that the invoking crate is rebuilt when it changes. Errors name the file
/// `shown_as` (the path as the user wrote it).
pub fn generate_file(
    path: impl AsRef<Path>,
    shown_as: &str,
    options: generate::Options,
) -> Result<proc_macro2::TokenStream, CatalogueError> {
    let path = path.as_ref();
    let source = std::fs::read_to_string(path).map_err(|e| {
        CatalogueError::whole_file(
            shown_as,
            format!("cannot read the catalogue at {}: {e}", path.display()),
        )
    })?;
    let catalogue = load_str(&source, shown_as)?;
    Ok(generate::generate(
        &catalogue,
        Some(&path.display().to_string()),
        options,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "# A catalogue.
format: 1
api:
  title: Tiny API
operations:
  - name: get_thing
    title: Get a thing
    summary: Reads one thing.
    provenance: inferred
    kind: read
    discriminators: { op: things, op1: get }
";

    #[test]
    fn a_leading_byte_order_mark_is_skipped_and_positions_stay() {
        let with_bom = format!("\u{feff}{TINY}");
        let catalogue = load_str(&with_bom, "bom.yaml");
        let catalogue = catalogue.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(catalogue.operations.len(), 1);

        // An error on line 1 (and one further down) is where it is without the mark.
        for (line, bad) in [("format: 1", "formt: 1"), ("kind: read", "kind: reed")] {
            let text = TINY.replace(line, bad);
            let plain = load_str(&text, "bom.yaml").err().map(|e| e.to_string());
            let marked = load_str(&format!("\u{feff}{text}"), "bom.yaml")
                .err()
                .map(|e| e.to_string());
            assert!(plain.is_some(), "{bad}: no error");
            assert_eq!(marked, plain, "{bad}");
            assert!(!marked.unwrap_or_default().contains('\u{feff}'));
        }
        let first = TINY.replacen("# A catalogue.", "formt: 1", 1);
        let error = load_str(&format!("\u{feff}{first}"), "bom.yaml").err();
        let pos = error
            .as_ref()
            .and_then(|e| e.diagnostics.first())
            .map(|d| d.pos);
        assert_eq!(pos, Some(Pos { line: 1, column: 1 }), "{error:?}");
    }
}
