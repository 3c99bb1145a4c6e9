//! One request of the collection as a catalogue operation: discriminators, auth and scope; its
//! constants and params, read from the body template and every saved example; its examples;
//! and the type of its answer.

use super::answer::{answer_of, paging_of};
use super::body::{parse_body, ParamKey, PAGING_KEYS};
use super::collection::{Collection, Request, SavedExample};
use super::discriminators::{read_template, Discriminators};
use super::json::Ordered;
use super::params::{Params, RequestParts};
use super::report::Report;
use super::shape::TypeBuilder;
use super::{ItemError, Note, NoteKind, PostmanError};
use crate::diag::Pos;
use crate::model::*;
use crate::names::{check_snake_ident, pascal_case, snake_case};
use serde_json::Value as Json;

/// One request turned into an operation, with what the conversion saw and guessed.
pub(super) struct Converted {
    /// The operation.
    pub op: Operation,
    /// The request's path in the collection (`Folder / Title`).
    pub request_path: String,
    /// The values the examples send for each body param, empty values left out.
    pub values: Vec<(ParamKey, Vec<Json>)>,
    /// The examples' request bodies (placeholders filled), what matching reads.
    pub bodies: Vec<Ordered>,
    /// Whether the examples are the collection's saved examples (not the request's template).
    pub saved_examples: bool,
    /// What the conversion guessed or could not infer about the new operation.
    pub notes: Vec<Note>,
    /// What the collection itself lacks or contradicts, which a merge reports too.
    pub collection_notes: Vec<Note>,
}

impl Converted {
    /// Renames the operation, and the items of its notes with it.
    pub(super) fn rename(&mut self, to: &str) {
        let old = format!("operation {}", self.op.name);
        for note in self.notes.iter_mut().chain(&mut self.collection_notes) {
            if note.item == old || note.item.starts_with(&format!("{old}:")) {
                note.item = format!("operation {to}{}", &note.item[old.len()..]);
            }
        }
        self.op.name = to.to_string();
    }

    /// The example values of the body param at `key`.
    pub(super) fn values_of(&self, key: &ParamKey) -> &[Json] {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

/// Every request of the collection, converted; the malformed ones are errors, all reported.
pub(super) fn convert_all(
    collection: &Collection,
    types: &mut TypeBuilder,
) -> Result<Vec<Converted>, PostmanError> {
    if collection.requests.is_empty() {
        let mut message = String::from("the collection holds no requests it can import");
        for skipped in &collection.skipped {
            message.push_str(&format!("\n  {}: {}", skipped.path, skipped.message));
        }
        return Err(PostmanError::NotACollection(message));
    }
    let mut converted = Vec::new();
    let mut errors = Vec::new();
    for request in &collection.requests {
        match convert(request, types) {
            Ok(c) => converted.push(c),
            Err(message) => errors.push(ItemError {
                path: request.path(),
                message,
            }),
        }
    }
    if errors.is_empty() {
        Ok(converted)
    } else {
        Err(PostmanError::Items(errors))
    }
}

/// The requests the collection could not import, as notes.
pub(super) fn skipped_notes(collection: &Collection) -> Vec<Note> {
    collection
        .skipped
        .iter()
        .map(|s| {
            Note::new(
                NoteKind::NotInferred,
                format!("request `{}`", s.path),
                s.message.clone(),
            )
        })
        .collect()
}

/// An operation name from a title: `Get list of orders` -> `get_list_of_orders`.
pub(super) fn operation_name(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| snake_case(w).to_ascii_lowercase())
        .collect();
    let mut name = words.join("_");
    if name.is_empty() {
        name = "operation".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("op_{name}");
    }
    if check_snake_ident(&name).is_err() {
        name.push_str("_op");
    }
    name
}

/// Body text as the catalogue keeps it: verbatim but for line ends (CRLF, as the vendor's
/// collection has them, becomes LF) and trailing blank space (trimmed), with one final newline.
pub(super) fn normalize_body(text: &str) -> String {
    let mut out = text.replace("\r\n", "\n").trim_end().to_string();
    out.push('\n');
    out
}

pub(super) fn has_token(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("X-ACCESS-TOKEN"))
}

/// A request's saved example that can be imported.
struct ExampleRequest<'a> {
    saved: &'a SavedExample,
    /// Its request's JSON text.
    text: &'a str,
    /// Its request, parsed.
    body: Ordered,
}

fn example_name(saved: &SavedExample) -> String {
    let name = saved.name.trim();
    if name.is_empty() {
        "Example".to_string()
    } else {
        name.to_string()
    }
}

/// The saved examples that show this request: a request saved and parsed, sending the
/// request's discriminators. The others are left out, and reported.
fn read_examples<'a>(
    request: &'a Request,
    discriminators: &Discriminators,
    report: &mut Report,
) -> Vec<ExampleRequest<'a>> {
    let mut examples = Vec::new();
    for saved in &request.examples {
        let label = example_name(saved);
        let Some(text) = saved.request_body.as_deref() else {
            report.collection(format!(
                "example `{label}` has no saved request: not imported"
            ));
            continue;
        };
        let body = match parse_body(text) {
            Ok(body) => body,
            Err(e) => {
                report.collection(format!("example `{label}`: {e}: not imported"));
                continue;
            }
        };
        if let Some(key) = discriminators.disagreement(&body) {
            report.collection(format!(
                "example `{label}` sends another `{key}` than the request's template: not imported"
            ));
            continue;
        }
        examples.push(ExampleRequest { saved, text, body });
    }
    examples
}

/// Whether the operation is account-scoped, from the `account_id` the bodies send: none, a
/// `null` (the constant `account_id: null`, not scoped), or a value, whose JSON form is
/// `account_as`.
fn account_scope(
    bodies: &[&Ordered],
    constants: &mut Vec<Constant>,
    report: &mut Report,
) -> (Scope, WireAs) {
    let accounts: Vec<Option<&Ordered>> = bodies.iter().map(|b| b.get("account_id")).collect();
    let null = Ordered::Scalar(Json::Null);
    if accounts.iter().all(Option::is_none) {
        return (Scope::None, WireAs::Number);
    }
    if accounts.iter().all(|a| *a == Some(&null)) {
        constants.push(Constant {
            path: "account_id".into(),
            value: Json::Null,
            pos: Pos::default(),
        });
        report.guessed("constant account_id: null (every example sends it so): not account-scoped");
        return (Scope::None, WireAs::Number);
    }
    if accounts.iter().any(|a| a.is_none_or(|a| *a == null)) {
        report.collection(
            "some examples send no `account_id`, others do: the operation is account-scoped, and those examples disagree with it",
        );
    }
    let as_string = accounts
        .iter()
        .flatten()
        .all(|a| matches!(a, Ordered::Scalar(Json::String(_))));
    let account_as = if as_string {
        WireAs::String
    } else {
        WireAs::Number
    };
    (Scope::Account, account_as)
}

/// An example as the catalogue keeps it, before it is checked.
struct ExampleSource<'a> {
    name: String,
    headers: Option<&'a Vec<(String, String)>>,
    request: &'a str,
    response: Option<&'a str>,
}

/// The examples, verbatim (line ends made LF), and the answers they show. Without a saved
/// example, the template is the example.
fn examples_of(
    request: &Request,
    examples: &[ExampleRequest],
    auth: Auth,
    report: &mut Report,
) -> (Vec<Example>, Vec<Ordered>) {
    let sources: Vec<ExampleSource> = if examples.is_empty() {
        let saved = request.examples.first();
        vec![ExampleSource {
            name: saved.map_or_else(|| "Example".to_string(), example_name),
            headers: None,
            request: &request.body,
            response: saved.and_then(|s| s.body.as_deref()),
        }]
    } else {
        examples
            .iter()
            .map(|e| ExampleSource {
                name: example_name(e.saved),
                headers: e.saved.request_headers.as_ref(),
                request: e.text,
                response: e.saved.body.as_deref(),
            })
            .collect()
    };
    let mut kept = Vec::new();
    let mut answers = Vec::new();
    for source in sources {
        let label = &source.name;
        let mut headers = source
            .headers
            .cloned()
            .unwrap_or_else(|| request.headers.clone());
        if !headers.is_empty() && has_token(&headers) != (auth == Auth::Token) {
            report.collection(format!(
                "example `{label}`: its headers disagree with the request's about X-ACCESS-TOKEN: they are not kept"
            ));
            headers.clear();
        }
        let answer = source.response.and_then(|r| Ordered::parse(r).ok());
        let response = match (source.response, answer) {
            (Some(text), Some(answer)) if answer.get("status").is_some() => {
                answers.push(answer);
                Some(normalize_body(text))
            }
            (Some(_), _) => {
                report.collection(format!(
                    "example `{label}`: the saved response is not a JSON envelope with a `status`: not kept"
                ));
                None
            }
            (None, _) => None,
        };
        kept.push(Example {
            name: source.name,
            headers,
            request: Some(normalize_body(source.request)),
            response,
            renamed: Vec::new(),
            note: None,
            pos: Pos::default(),
        });
    }
    (kept, answers)
}

/// A read when a discriminator says `get` or `list`; reads are retried.
fn kind_of(discriminators: &[(String, String)], report: &mut Report) -> OperationKind {
    let verb = discriminators
        .iter()
        .find(|(_, v)| matches!(v.to_ascii_lowercase().as_str(), "get" | "list"));
    match verb {
        Some((key, value)) => {
            report.guessed(format!("kind: read (its `{key}` is `{value}`)"));
            OperationKind::Read
        }
        None => {
            report.guessed(
                "kind: write (no `get`/`list` discriminator); reads are retried, writes are not",
            );
            OperationKind::Write
        }
    }
}

/// The first paragraph of the request's description, or its title (reported).
fn summary_of(request: &Request, report: &mut Report) -> String {
    match &request.description {
        Some(description) => description
            .split("\n\n")
            .next()
            .unwrap_or(description)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        None => {
            report.not_inferred("no description: the summary repeats the title; write one");
            request.name.clone()
        }
    }
}

fn convert(request: &Request, types: &mut TypeBuilder) -> Result<Converted, String> {
    let name = operation_name(&request.name);
    let op_type = pascal_case(&name);
    let mut report = Report::new(&name);
    let (template, discriminators) =
        read_template(&request.body, request.encoding, &request.file_parts)?;

    let examples = read_examples(request, &discriminators, &mut report);
    let saved_examples = !examples.is_empty();
    if !saved_examples {
        report.guessed(if request.examples.is_empty() {
            "no saved example: the example and the params come from the request's template"
        } else {
            "no saved example could be imported: the example and the params come from the request's template"
        });
    }
    let bodies: Vec<&Ordered> = if saved_examples {
        examples.iter().map(|e| &e.body).collect()
    } else {
        vec![&template]
    };
    let parts = RequestParts {
        name: &name,
        op_type: &op_type,
        template: &template,
        bodies: &bodies,
        saved_examples,
    };

    let mut params = Params::default();
    let (scope, account_as) = account_scope(&bodies, &mut params.constants, &mut report);
    let auth = if has_token(&request.headers) {
        Auth::Token
    } else {
        Auth::None
    };
    let example_headers: Vec<Option<&Vec<(String, String)>>> = examples
        .iter()
        .map(|e| e.saved.request_headers.as_ref())
        .collect();
    params.headers(
        &parts,
        &request.headers,
        &example_headers,
        types,
        &mut report,
    );
    if let Some((key, listed)) = &discriminators.chosen {
        params.caller_discriminator(&parts, key, listed, types, &mut report);
    }
    params.body(&parts, types, &mut report);
    params.files(&request.file_parts, &mut report);
    let kind = kind_of(&discriminators.fixed, &mut report);

    let (op_examples, answers) = examples_of(request, &examples, auth, &mut report);
    let answer = answer_of(&answers, &name, &op_type, types, &mut report);
    let paging = if PAGING_KEYS
        .iter()
        .all(|k| params.paging.iter().any(|p| p == k))
    {
        let limits = params
            .values
            .iter()
            .find(|((location, key), _)| *location == Location::Top && key == "limit")
            .map_or(&[][..], |(_, values)| values.as_slice());
        paging_of(&answer, template.get("limit"), limits, types, &mut report)
    } else {
        None
    };
    let summary = summary_of(request, &mut report);

    let op = Operation {
        name,
        title: request.name.clone(),
        summary,
        area: request.folders.first().cloned(),
        api: Api::Mobile,
        http: None,
        http_errors: Vec::new(),
        provenance: Provenance::Collection,
        inferred: Vec::new(),
        kind,
        idempotent: false,
        discriminators: discriminators.fixed,
        auth,
        scope,
        account_as,
        session: answer.session,
        body: request.encoding,
        constants: params.constants,
        params: params.params,
        response: answer.response,
        response_in: answer.response_in,
        paging,
        examples: op_examples,
        pos: Pos::default(),
    };
    Ok(Converted {
        op,
        request_path: request.path(),
        values: params.values,
        bodies: bodies.into_iter().cloned().collect(),
        saved_examples,
        notes: report.notes,
        collection_notes: report.collection,
    })
}
