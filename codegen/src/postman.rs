//! Imports a Postman Collection (v2.1 or v2.0 export) into catalogue operations, or merges it
//! into an existing catalogue (`chatrace-codegen import-postman`). The rules are written for
//! people in docs/regenerating.md ("What the import does"); in short:
//!
//! - every request becomes one operation (folders are flattened; the outermost folder is the
//!   operation's `area`), a raw JSON body or a multipart form whose `param` field holds the
//!   request's JSON (`body: multipart`, its file parts `file` params);
//! - the saved examples are the wire truth and all of them become the operation's `examples`;
//!   the body template says what the examples cannot: which values are placeholders
//!   (`"[contact_id]"`, `"..."`), which list the values allowed (`"ios|android"`,
//!   `"[4|6|7|10|13]"`);
//! - a key is a constant when the template and every example send the same literal; a param
//!   otherwise, optional with a `default` when an example sends it empty (`null`, `""`, `[]`);
//! - types come from the values (an id by its key or its placeholder, a time by its size), and
//!   the examples' answers become the response type, beside `data` or in it.
//!
//! [`merge`] matches each request to an operation of the catalogue, updates what the
//! collection knows about the wire (discriminators, auth, scope, constants, where each param
//! goes and its JSON form, defaults, the body's encoding, the examples) and keeps everything
//! written by hand (names, titles, summaries, docs, types, requiredness, kinds, paging, the
//! response). Every guess, and everything that could not be inferred, is reported as a [`Note`].

mod answer;
mod body;
mod collection;
mod convert;
mod discriminators;
mod json;
mod merge;
mod params;
mod report;
mod shape;
mod template;

pub use collection::{parse_collection, read_collection, Collection, Request, SavedExample};
pub use merge::merge;

use crate::model::{ApiInfo, Catalogue};
use std::collections::HashSet;
use std::fmt;

/// Why a collection cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostmanError {
    /// The file cannot be read.
    Io {
        /// The file.
        path: String,
        /// The reason.
        message: String,
    },
    /// The file is not JSON.
    NotJson {
        /// The 1-based line of the syntax error.
        line: usize,
        /// The 1-based column.
        column: usize,
        /// What the parser says.
        message: String,
    },
    /// A Postman Collection v1 export (top-level `requests`/`order`, no `item`).
    V1Collection,
    /// `info.schema` names a format other than Collection v2.0/v2.1.
    UnsupportedSchema(String),
    /// JSON, but not shaped as a Postman collection.
    NotACollection(String),
    /// Requests that cannot be imported, each with its path in the collection.
    Items(Vec<ItemError>),
}

/// A request of the collection that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    /// The folders and the request's name, `Contacts / Delete a contact`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PostmanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostmanError::Io { path, message } => write!(f, "cannot read {path}: {message}"),
            PostmanError::NotJson {
                line,
                column,
                message,
            } => write!(
                f,
                "the collection is not JSON: {message} (line {line}, column {column})"
            ),
            PostmanError::V1Collection => f.write_str(
                "this is a Postman Collection v1 export (top-level `requests` and `order`, no `item`); \
                 export the collection again as Collection v2.1 (in Postman: the collection's menu, \
                 Export, Collection v2.1)",
            ),
            PostmanError::UnsupportedSchema(schema) => write!(
                f,
                "unsupported collection schema `{schema}`: expected a Postman Collection v2.1.0 \
                 (or v2.0.0) export"
            ),
            PostmanError::NotACollection(message) => {
                write!(f, "not a Postman collection: {message}")
            }
            PostmanError::Items(errors) => {
                write!(f, "{} request(s) cannot be imported:", errors.len())?;
                for e in errors {
                    write!(f, "\n  {}: {}", e.path, e.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PostmanError {}

// ---------------------------------------------------------------------------------------------
// What the import tells its user.

/// What a note says about the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteKind {
    /// Something new was added.
    Added,
    /// Something existing was updated from the collection.
    Updated,
    /// Something existing was kept although the collection says otherwise or says nothing.
    Kept,
    /// A value was guessed: check it.
    Guessed,
    /// Something could not be inferred: write it by hand.
    NotInferred,
    /// A request of the collection was matched to an existing operation.
    Matched,
}

impl NoteKind {
    /// The word that opens the note's line.
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Added => "added",
            NoteKind::Updated => "updated",
            NoteKind::Kept => "kept",
            NoteKind::Guessed => "guessed",
            NoteKind::NotInferred => "not inferred",
            NoteKind::Matched => "matched",
        }
    }
}

/// One line of the import's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What kind of note.
    pub kind: NoteKind,
    /// The item: `operation get_order`, `operation get_order: param id`.
    pub item: String,
    /// What happened.
    pub detail: String,
}

impl Note {
    fn new(kind: NoteKind, item: impl Into<String>, detail: impl Into<String>) -> Note {
        Note {
            kind,
            item: item.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<12}  {}: {}",
            self.kind.label(),
            self.item,
            self.detail
        )
    }
}

/// The result of an import or a merge.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The catalogue written.
    pub catalogue: Catalogue,
    /// What was added, updated, kept, guessed or not inferred.
    pub notes: Vec<Note>,
}

/// The operations of a collection as a new catalogue, with the types its examples show.
pub fn import(collection: &Collection) -> Result<Import, PostmanError> {
    let mut types = shape::TypeBuilder::new(std::iter::empty());
    let converted = convert::convert_all(collection, &mut types)?;
    let mut taken = HashSet::new();
    let mut operations = Vec::new();
    let mut notes = Vec::new();
    for mut c in converted {
        let name = unique_name(&c.op.name, &taken);
        c.rename(&name);
        taken.insert(name.clone());
        notes.push(Note::new(
            NoteKind::Added,
            format!("operation {name}"),
            format!("from `{}`", c.request_path),
        ));
        notes.extend(c.notes);
        notes.extend(c.collection_notes);
        operations.push(c.op);
    }
    notes.extend(convert::skipped_notes(collection));
    let (types, renames) = types.finish(&mut operations);
    shape::rename_in_notes(&mut notes, &renames);
    Ok(Import {
        catalogue: Catalogue {
            realtime: None,
            public_api: None,
            errors: Vec::new(),
            api: ApiInfo {
                title: collection.name.clone(),
                source: None,
                doc: collection.description.clone(),
            },
            types,
            operations,
        },
        notes,
    })
}

/// A name not in `taken`: `name`, else `name_2`, `name_3`...
fn unique_name(name: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(name) {
        return name.to_string();
    }
    (2..)
        .map(|n| format!("{name}_{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_default()
}
