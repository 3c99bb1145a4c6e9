//! Merges a collection into an existing catalogue. Each request is matched to the operation
//! it is a call of; the merge updates what the collection knows about the wire and keeps what
//! was written by hand (see docs/regenerating.md, "What a merge keeps and updates").

use super::body::{form_of, lookup, ParamKey};
use super::convert::{convert_all, skipped_notes, Converted};
use super::json::Ordered;
use super::shape::{rename_in_notes, unique_in, TypeBuilder};
use super::{unique_name, Collection, Import, Note, NoteKind, PostmanError};
use crate::model::*;
use serde_json::Value as Json;
use std::collections::HashSet;

/// Merges the collection into `existing`: see the module docs for what is updated and what is
/// kept.
pub fn merge(existing: &Catalogue, collection: &Collection) -> Result<Import, PostmanError> {
    let mut types = TypeBuilder::new(existing.types.iter().map(|t| t.name.clone()));
    let converted = convert_all(collection, &mut types)?;
    let mut catalogue = existing.clone();
    let mut notes = Vec::new();
    let mut matched: HashSet<usize> = HashSet::new();
    let mut taken: HashSet<String> = existing.operations.iter().map(|o| o.name.clone()).collect();
    for mut c in converted {
        match find_match(existing, &c, &matched) {
            Some(index) => {
                matched.insert(index);
                let before = &existing.operations[index];
                c.rename(&before.name);
                notes.push(Note::new(
                    NoteKind::Matched,
                    format!("operation {}", before.name),
                    format!("is `{}` of the collection", c.request_path),
                ));
                notes.extend(std::mem::take(&mut c.collection_notes));
                let (merged, op_notes) = merge_operation(existing, before, &c);
                notes.extend(op_notes);
                catalogue.operations[index] = merged;
            }
            None => {
                let name = unique_name(&c.op.name, &taken);
                c.rename(&name);
                taken.insert(name.clone());
                notes.push(Note::new(
                    NoteKind::Added,
                    format!("operation {name}"),
                    format!(
                        "new: `{}` matches no operation of the catalogue (by discriminators, constants and required params, or by title)",
                        c.request_path
                    ),
                ));
                notes.extend(c.notes);
                notes.extend(c.collection_notes);
                catalogue.operations.push(c.op);
            }
        }
    }
    notes.extend(skipped_notes(collection));
    // The collection is the mobile API's: the public API's REST operations are not its to keep.
    let untouched: Vec<&str> = existing
        .operations
        .iter()
        .enumerate()
        .filter(|(i, o)| !matched.contains(i) && !o.is_rest())
        .map(|(_, o)| o.name.as_str())
        .collect();
    if !untouched.is_empty() {
        notes.push(Note::new(
            NoteKind::Kept,
            format!("{} operation(s)", untouched.len()),
            format!(
                "not in the collection, kept as they are: {}",
                untouched.join(", ")
            ),
        ));
    }
    let (new_types, renames) = types.finish(&mut catalogue.operations);
    rename_in_notes(&mut notes, &renames);
    catalogue.types.extend(new_types);
    Ok(Import { catalogue, notes })
}

/// The renames an operation's examples declare (`mame` -> `name`).
fn renames_of(op: &Operation) -> Vec<(String, String)> {
    let mut renames: Vec<(String, String)> = Vec::new();
    for example in &op.examples {
        for rename in &example.renamed {
            if !renames.contains(rename) {
                renames.push(rename.clone());
            }
        }
    }
    renames
}

/// The key the catalogue sends for a key an example sends.
fn sdk_key<'a>(renames: &'a [(String, String)], location: Location, key: &'a str) -> &'a str {
    if location != Location::Top {
        return key;
    }
    renames
        .iter()
        .find(|(from, _)| from == key)
        .map_or(key, |(_, to)| to.as_str())
}

/// A body with its top-level keys renamed as the catalogue sends them.
fn renamed(body: &Ordered, renames: &[(String, String)]) -> Ordered {
    match body {
        Ordered::Object(entries) => Ordered::Object(
            entries
                .iter()
                .map(|(k, v)| (sdk_key(renames, Location::Top, k).to_string(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Two values equal once numbers and the strings holding them are taken as the same.
fn loosely_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(n), Json::String(s)) | (Json::String(s), Json::Number(n)) => {
            n.to_string() == s.trim()
        }
        _ => a == b,
    }
}

fn constant_key(constant: &Constant) -> ParamKey {
    let (location, key) = constant.location();
    (location, key.to_string())
}

/// Whether every example of the request could be a call of `op`: each sends `op`'s constants
/// and its required params (keys renamed as `op`'s examples say).
fn shows(op: &Operation, c: &Converted) -> bool {
    let renames = renames_of(op);
    c.bodies.iter().all(|body| {
        let body = renamed(body, &renames);
        let constants_hold = op.constants.iter().all(|constant| {
            lookup(&body, &constant_key(constant))
                .is_some_and(|sent| loosely_equal(&sent.to_json(), &constant.value))
        });
        let required_sent = op.params.iter().filter(|p| p.required).all(|p| {
            p.is_file()
                || p.is_discriminator()
                || p.location == Location::Header
                || lookup(&body, &(p.location, p.wire.clone())).is_some()
        });
        constants_hold && required_sent
    })
}

/// The existing operation a request is a call of: the same discriminators, its constants
/// sent and its required params present in every example (the same title first, then the one
/// with the most constants, then the most required params, as servers tell such operations
/// apart); failing that, the operation with the same title (its discriminators changed).
fn find_match(existing: &Catalogue, c: &Converted, taken: &HashSet<usize>) -> Option<usize> {
    let pattern = c.op.discriminator_pattern();
    let candidates: Vec<usize> = existing
        .operations
        .iter()
        .enumerate()
        .filter(|(i, o)| {
            !taken.contains(i)
                && !o.is_rest()
                && o.discriminator_pattern() == pattern
                && shows(o, c)
        })
        .map(|(i, _)| i)
        .collect();
    let titled = |i: &&usize| existing.operations[**i].title == c.op.title;
    candidates
        .iter()
        .find(titled)
        .or_else(|| {
            candidates.iter().max_by_key(|i| {
                let op = &existing.operations[**i];
                (
                    op.constants.len(),
                    op.required_paths().len(),
                    usize::MAX - **i,
                )
            })
        })
        .copied()
        .or_else(|| {
            existing
                .operations
                .iter()
                .enumerate()
                .find(|(i, o)| !taken.contains(i) && !o.is_rest() && o.title == c.op.title)
                .map(|(i, _)| i)
        })
}

/// Whether an example value fits the declared type `ty` (as loosely as the SDK reads it).
fn fits(catalogue: &Catalogue, ty: &TypeRef, value: &Json) -> bool {
    let numeric_text = |s: &str| s.trim().parse::<f64>().is_ok();
    if value.is_null() {
        return true;
    }
    match ty {
        TypeRef::Scalar(Scalar::Json | Scalar::File) => true,
        TypeRef::Scalar(Scalar::String) => value.is_string() || value.is_number(),
        TypeRef::Scalar(Scalar::Integer | Scalar::Number) => {
            value.is_number() || value.as_str().is_some_and(numeric_text)
        }
        TypeRef::Scalar(Scalar::Id | Scalar::Millis | Scalar::Seconds | Scalar::DateTime) => {
            value.is_number() || value.is_string()
        }
        TypeRef::Scalar(Scalar::Boolean) => match value {
            Json::Bool(_) => true,
            Json::Number(n) => n.as_u64().is_some_and(|n| n <= 1),
            Json::String(s) => ["0", "1", "true", "false"].contains(&s.as_str()),
            _ => false,
        },
        TypeRef::List(inner) => value
            .as_array()
            .is_some_and(|items| items.iter().all(|item| fits(catalogue, inner, item))),
        TypeRef::Encoded(_) => value.is_string() || value.is_array() || value.is_object(),
        TypeRef::Named(name) => match catalogue.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Enum {
                repr: EnumRepr::Integer,
                ..
            }) => value.is_number() || value.as_str().is_some_and(numeric_text),
            Some(TypeKind::Enum {
                repr: EnumRepr::String,
                ..
            }) => value.is_string() || value.is_number(),
            Some(TypeKind::Struct { .. } | TypeKind::Union(_)) => value.is_object(),
            Some(TypeKind::Id) => value.is_number() || value.is_string(),
            None => true,
        },
    }
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim_end() == b.trim_end()
}

/// Whether two examples' requests are the same text, blank space at their ends aside.
fn same_request(a: &Example, b: &Example) -> bool {
    a.request.as_deref().map(str::trim_end) == b.request.as_deref().map(str::trim_end)
}

fn same_example(a: &Example, b: &Example) -> bool {
    a.name == b.name
        && a.headers == b.headers
        && same_request(a, b)
        && match (&a.response, &b.response) {
            (Some(x), Some(y)) => same_text(x, y),
            (None, None) => true,
            _ => false,
        }
        && a.renamed == b.renamed
        && a.note == b.note
}

/// The values shown in a note, at most three.
fn shown_values(values: &[Json]) -> String {
    let mut texts: Vec<String> = Vec::new();
    for value in values {
        let text = value.to_string();
        if !texts.contains(&text) && texts.len() < 3 {
            texts.push(text);
        }
    }
    texts.join(", ")
}

/// The notes of one merged operation.
struct Notes {
    item: String,
    notes: Vec<Note>,
}

impl Notes {
    fn push(&mut self, kind: NoteKind, detail: impl Into<String>) {
        let note = Note::new(kind, self.item.clone(), detail);
        self.notes.push(note);
    }

    fn param(&mut self, kind: NoteKind, wire: &str, detail: impl Into<String>) {
        let note = Note::new(kind, format!("{}: param {wire}", self.item), detail);
        self.notes.push(note);
    }
}

fn merge_operation(
    catalogue: &Catalogue,
    before: &Operation,
    c: &Converted,
) -> (Operation, Vec<Note>) {
    let imported = &c.op;
    let mut notes = Notes {
        item: format!("operation {}", before.name),
        notes: Vec::new(),
    };
    let mut op = before.clone();
    if before.title != imported.title {
        notes.push(
            NoteKind::Kept,
            format!(
                "title `{}` kept; the collection calls it `{}`",
                before.title, imported.title
            ),
        );
    }
    if before.provenance != Provenance::Collection {
        op.provenance = Provenance::Collection;
        notes.push(NoteKind::Updated, "provenance inferred -> collection");
    }
    if before.discriminators != imported.discriminators {
        let text = |d: &Discriminators| {
            d.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        notes.push(
            NoteKind::Updated,
            format!(
                "discriminators {} -> {} (the collection's request of the same title sends them)",
                text(&before.discriminators),
                text(&imported.discriminators)
            ),
        );
        op.discriminators = imported.discriminators.clone();
    }
    if before.auth != imported.auth {
        op.auth = imported.auth;
        notes.push(NoteKind::Updated, format!("auth -> {}", imported.auth));
    }
    if before.scope != imported.scope {
        op.scope = imported.scope;
        notes.push(NoteKind::Updated, format!("scope -> {}", imported.scope));
    }
    if op.scope == Scope::Account && before.account_as != imported.account_as {
        op.account_as = imported.account_as;
        notes.push(
            NoteKind::Updated,
            format!(
                "account_as -> {} (the examples send `account_id` so)",
                imported.account_as
            ),
        );
    }
    if before.body != imported.body {
        op.body = imported.body;
        notes.push(NoteKind::Updated, format!("body -> {}", imported.body));
    }
    let renames = renames_of(before);
    merge_constants(&mut op, c, &renames, &mut notes);
    merge_params(catalogue, &mut op, c, &renames, &mut notes);
    merge_examples(&mut op, c, &mut notes);
    match (&before.response, &imported.response) {
        (None, Some(_)) => notes.push(
            NoteKind::Kept,
            "no `response` declared, though the collection's answers carry one: declare its type by hand",
        ),
        (Some(declared), Some(_)) if before.response_in != imported.response_in => notes.push(
            NoteKind::Kept,
            format!(
                "response {declared}, response_in: {} kept, though the collection's answers hold {}",
                before.response_in,
                if imported.response_in == ResponseIn::Envelope {
                    "keys beside `data`"
                } else {
                    "nothing beside `data`"
                }
            ),
        ),
        _ => {}
    }
    if imported.session.is_some() && before.session != imported.session {
        notes.push(
            NoteKind::Kept,
            "no `session: start`, though the answer holds a `token`",
        );
    }
    (op, notes.notes)
}

fn merge_constants(
    op: &mut Operation,
    c: &Converted,
    renames: &[(String, String)],
    notes: &mut Notes,
) {
    let renamed_path = |constant: &Constant| -> ParamKey {
        let (location, key) = constant.location();
        (location, sdk_key(renames, location, key).to_string())
    };
    let path_of = |(location, key): &ParamKey| match location {
        Location::Data => format!("data.{key}"),
        _ => key.clone(),
    };
    let is_param = |op: &Operation, (location, key): &ParamKey| {
        op.params
            .iter()
            .any(|p| p.location == *location && &p.wire == key)
    };
    for constant in &c.op.constants {
        let key = renamed_path(constant);
        let path = path_of(&key);
        let is_a_param = is_param(op, &key);
        match op.constants.iter_mut().find(|k| k.path == path) {
            Some(existing) if existing.value == constant.value => {}
            Some(existing) => {
                notes.push(
                    NoteKind::Updated,
                    format!(
                        "constant {path}: {} -> {} (the template and every example send it)",
                        existing.value, constant.value
                    ),
                );
                existing.value = constant.value.clone();
            }
            None if is_a_param => notes.param(
                NoteKind::Kept,
                &key.1,
                format!(
                    "kept as a param, though the template and every example send {}",
                    constant.value
                ),
            ),
            None => {
                notes.push(
                    NoteKind::Updated,
                    format!(
                        "constant {path}: {} added (the template and every example send it)",
                        constant.value
                    ),
                );
                op.constants.push(Constant {
                    path,
                    ..constant.clone()
                });
            }
        }
    }
    let imported_paths: Vec<String> =
        c.op.constants
            .iter()
            .map(|k| path_of(&renamed_path(k)))
            .collect();
    let mut removed = Vec::new();
    for constant in &op.constants {
        if imported_paths.contains(&constant.path) {
            continue;
        }
        let key = constant_key(constant);
        let example_key =
            c.op.params
                .iter()
                .map(|p| (p.location, p.wire.clone()))
                .find(|(location, wire)| {
                    *location == key.0 && sdk_key(renames, *location, wire) == key.1
                });
        let sent = c
            .bodies
            .iter()
            .any(|body| lookup(&renamed(body, renames), &key).is_some());
        match example_key {
            Some(example_key) => notes.push(
                NoteKind::Kept,
                format!(
                    "constant {}: {} kept, though the examples send {}",
                    constant.path,
                    constant.value,
                    shown_values(c.values_of(&example_key))
                ),
            ),
            None if !sent => {
                notes.push(
                    NoteKind::Updated,
                    format!(
                        "constant {} removed: no example of the collection sends it",
                        constant.path
                    ),
                );
                removed.push(constant.path.clone());
            }
            None => notes.push(
                NoteKind::Kept,
                format!(
                    "constant {}: {} kept, though not every example sends it",
                    constant.path, constant.value
                ),
            ),
        }
    }
    op.constants.retain(|k| !removed.contains(&k.path));
}

fn merge_params(
    catalogue: &Catalogue,
    op: &mut Operation,
    c: &Converted,
    renames: &[(String, String)],
    notes: &mut Notes,
) {
    let is_header = |p: &Param| p.location == Location::Header;
    let same_param = |p: &Param, header: bool, wire: &str| {
        is_header(p) == header
            && if header {
                p.wire.eq_ignore_ascii_case(wire)
            } else {
                p.wire == wire
            }
    };
    let mut rust_names: HashSet<String> = op.params.iter().map(|p| p.rust.clone()).collect();
    let mut seen: Vec<(bool, String)> = Vec::new();
    for new_param in &c.op.params {
        let header = is_header(new_param);
        let wire = sdk_key(renames, new_param.location, &new_param.wire).to_string();
        seen.push((header, wire.clone()));
        let values = c.values_of(&(new_param.location, new_param.wire.clone()));
        let constant_here = op.constants.iter().any(|k| {
            let (location, key) = k.location();
            !header && key == wire && location == new_param.location
        });
        if constant_here {
            continue;
        }
        match op.params.iter_mut().find(|p| same_param(p, header, &wire)) {
            Some(param) => {
                if !header && param.location != new_param.location {
                    notes.param(
                        NoteKind::Updated,
                        &wire,
                        format!(
                            "in: {} -> {} (the examples send it there)",
                            param.location, new_param.location
                        ),
                    );
                    param.location = new_param.location;
                }
                // Numbers, ids, times and flags: what may go as either JSON form.
                let takes_form = matches!(
                    catalogue.natural_form(&param.ty),
                    NaturalForm::Number
                        | NaturalForm::IdText
                        | NaturalForm::TimeText
                        | NaturalForm::Boolean
                );
                if let Some(form) = form_of(values).filter(|_| takes_form && c.saved_examples) {
                    if param.sent_as(catalogue) != form {
                        notes.param(
                            NoteKind::Updated,
                            &wire,
                            format!("sent as a {} (the examples send it so)", form),
                        );
                        param.wire_as = Some(form);
                    }
                }
                if let Some(default) = &new_param.default {
                    if param.required {
                        notes.param(
                            NoteKind::Kept,
                            &wire,
                            format!("required, though an example sends it empty ({default})"),
                        );
                    } else if param.default.as_ref() != Some(default) {
                        notes.param(
                            NoteKind::Updated,
                            &wire,
                            format!(
                                "default {} -> {default} (an example sends it so)",
                                param
                                    .default
                                    .as_ref()
                                    .map_or_else(|| "none".to_string(), Json::to_string)
                            ),
                        );
                        param.default = Some(default.clone());
                    }
                } else if param.required && !new_param.required {
                    notes.param(
                        NoteKind::Kept,
                        &wire,
                        "required, though an example of the collection leaves it out",
                    );
                }
                if !values.iter().all(|v| fits(catalogue, &param.ty, v)) {
                    notes.param(
                        NoteKind::Kept,
                        &wire,
                        format!(
                            "type {} kept, though the examples send {}",
                            param.ty,
                            shown_values(values)
                        ),
                    );
                }
            }
            None => {
                let mut param = new_param.clone();
                param.wire = wire.clone();
                param.rust = unique_in(&mut rust_names, param.rust.clone());
                notes.param(
                    NoteKind::Added,
                    &wire,
                    format!(
                        "{}, {} (the collection sends it){}",
                        param.ty,
                        if param.required {
                            "required"
                        } else {
                            "optional"
                        },
                        if param.required {
                            "; make it optional if calls work without it"
                        } else {
                            ""
                        }
                    ),
                );
                op.params.push(param);
            }
        }
    }
    for param in &op.params {
        let in_collection = seen
            .iter()
            .any(|(header, wire)| same_param(param, *header, wire));
        if !in_collection && param.required && !is_header(param) && !param.is_discriminator() {
            notes.param(
                NoteKind::Kept,
                &param.wire,
                "required, but no example of the collection sends it",
            );
        }
    }
}

fn merge_examples(op: &mut Operation, c: &Converted, notes: &mut Notes) {
    let before = &op.examples;
    let candidates: Vec<Example> = c
        .op
        .examples
        .iter()
        .map(|new| {
            let mut new = new.clone();
            if let Some(old) = before.iter().find(|o| o.name == new.name) {
                if new.headers.is_empty() {
                    new.headers = old.headers.clone();
                }
                if new.response.is_none() {
                    new.response = old.response.clone();
                }
                let still_sent = old
                    .renamed
                    .iter()
                    .all(|(from, _)| new.sends_key(from));
                if still_sent {
                    new.renamed = old.renamed.clone();
                    if !old.renamed.is_empty() || same_request(old, &new) {
                        new.note = old.note.clone();
                    }
                } else {
                    notes.push(
                        NoteKind::Updated,
                        format!(
                            "example `{}`: its `renamed` is dropped: the example no longer sends those keys",
                            new.name
                        ),
                    );
                }
            }
            new
        })
        .collect();
    let unchanged = candidates.len() == before.len()
        && candidates
            .iter()
            .zip(before.iter())
            .all(|(a, b)| same_example(a, b));
    if !c.saved_examples && !before.is_empty() {
        notes.push(
            NoteKind::Kept,
            "examples kept: the collection has no saved example for it",
        );
    } else if !unchanged {
        notes.push(
            NoteKind::Updated,
            format!(
                "examples: {} from the collection (there were {})",
                candidates.len(),
                before.len()
            ),
        );
        op.examples = candidates;
    }
}
