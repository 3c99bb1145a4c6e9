//! Imports a Postman Collection (v2.1 or v2.0 export) into catalogue operations, or merges it
//! into an existing catalogue (`chatrace-codegen import-postman`).
//!
//! Each request of the collection (folders are walked recursively) becomes one operation:
//! - discriminators: the `op`, `op1`, `op2`, `op3` keys of the body;
//! - auth: `token` when the request sends `X-ACCESS-TOKEN`, else `none`;
//! - scope: `account` when the body has `account_id`, else `none`;
//! - header params: every header but `Content-Type`, `User-Agent` and `X-ACCESS-TOKEN`, as a
//!   required string (`X-PLATFORM` is the Rust param `platform`);
//! - params: the other top-level keys (`in: top`) and the keys of `data` (`in: data`), typed
//!   from the values of the saved example's request (see [`infer_type`]), all required;
//! - the example: the first saved example's request headers and body and its response body,
//!   verbatim (trailing blank space trimmed), and `provenance: documented`;
//! - `kind`: `read` when a discriminator is `get` or `list`, else `write`;
//! - the response type only when it is trivial (no `data`: none; a scalar `data`: that scalar).
//!
//! Every guess and everything that could not be inferred is reported as a [`Note`]. A request
//! whose body is not raw JSON (a `formdata` upload) is skipped and reported; a request that is
//! malformed (no body, not a POST, a body without `op`) is an error, as is a file that is not a
//! Collection v2.x export.
//!
//! [`merge`] matches each request to an existing operation (same discriminators and the
//! operation's required params all present; the same title breaks ties, and a request whose
//! discriminators changed is found by its title), updates what the collection knows (the wire
//! form: discriminators, auth, scope, where each param goes and its JSON form, the example,
//! `provenance: documented`), adds what is new, and never drops or renames anything written by
//! hand: names, titles, summaries, docs, types, requiredness, kinds, paging.

use crate::model::*;
use crate::names::{check_snake_ident, is_keyword, snake_case};
use serde_json::Value as Json;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

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
// The collection, as far as the import needs it.

/// A parsed collection: its name and its requests, folders flattened.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    /// `info.name`.
    pub name: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The requests, in document order.
    pub requests: Vec<Request>,
    /// The requests that are not imported (a body that is not raw JSON, such as a `formdata`
    /// upload), with the reason.
    pub skipped: Vec<ItemError>,
}

/// One request of a collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The folders it is in, outermost first.
    pub folders: Vec<String>,
    /// The item's name: the vendor's title.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// The HTTP method.
    pub method: String,
    /// The URL as written (`{{api_url}}`).
    pub url: String,
    /// The enabled headers, in order.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: String,
    /// The saved examples, in order.
    pub examples: Vec<SavedExample>,
}

impl Request {
    /// `Folder / Sub-folder / Name`.
    pub fn path(&self) -> String {
        let mut parts = self.folders.clone();
        parts.push(self.name.clone());
        parts.join(" / ")
    }
}

/// A saved example response, with the request it answered.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedExample {
    /// The example's name.
    pub name: String,
    /// The headers of the request it answered, when saved.
    pub request_headers: Option<Vec<(String, String)>>,
    /// The raw body of the request it answered, when saved.
    pub request_body: Option<String>,
    /// The HTTP status code.
    pub code: Option<u16>,
    /// The response body.
    pub body: Option<String>,
}

/// Reads and parses the collection at `path`.
pub fn read_collection(path: impl AsRef<Path>) -> Result<Collection, PostmanError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| PostmanError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    parse_collection(&text)
}

/// Parses a collection export. Every request that is malformed is reported, with its path.
pub fn parse_collection(text: &str) -> Result<Collection, PostmanError> {
    let root: Json = serde_json::from_str(text).map_err(|e| PostmanError::NotJson {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    })?;
    let Some(top) = root.as_object() else {
        return Err(PostmanError::NotACollection(
            "the top level is not a JSON object".into(),
        ));
    };
    let looks_v1 = top.contains_key("requests") || top.contains_key("order");
    if !top.contains_key("item") && looks_v1 {
        return Err(PostmanError::V1Collection);
    }
    let schema = top
        .get("info")
        .and_then(|i| i.get("schema"))
        .and_then(Json::as_str)
        .ok_or_else(|| {
            PostmanError::NotACollection(
                "no `info.schema` (a Postman export names its format there)".into(),
            )
        })?;
    if schema.contains("v1.0.0") {
        return Err(PostmanError::V1Collection);
    }
    if !(schema.contains("v2.1.0") || schema.contains("v2.0.0")) {
        return Err(PostmanError::UnsupportedSchema(schema.to_string()));
    }
    let info = &top["info"];
    let name = info
        .get("name")
        .and_then(Json::as_str)
        .unwrap_or("Postman collection")
        .to_string();
    let description = info.get("description").and_then(description_text);
    let Some(items) = top.get("item").and_then(Json::as_array) else {
        return Err(PostmanError::NotACollection(
            "`item` is missing or is not a list".into(),
        ));
    };
    let mut walked = Walked::default();
    walk(items, &[], &mut walked);
    if !walked.errors.is_empty() {
        return Err(PostmanError::Items(walked.errors));
    }
    Ok(Collection {
        name,
        description,
        requests: walked.requests,
        skipped: walked.skipped,
    })
}

fn description_text(value: &Json) -> Option<String> {
    let text = match value {
        Json::String(s) => s.as_str(),
        Json::Object(o) => o.get("content")?.as_str()?,
        _ => return None,
    };
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// What walking the items finds.
#[derive(Default)]
struct Walked {
    requests: Vec<Request>,
    skipped: Vec<ItemError>,
    errors: Vec<ItemError>,
}

fn walk(items: &[Json], folders: &[String], walked: &mut Walked) {
    for (index, item) in items.iter().enumerate() {
        let name = item
            .get("name")
            .and_then(Json::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("(item #{})", index + 1));
        let path = {
            let mut path = folders.to_vec();
            path.push(name.clone());
            path.join(" / ")
        };
        let mut error = |message: String| {
            walked.errors.push(ItemError {
                path: path.clone(),
                message,
            });
        };
        if !item.is_object() {
            error("an item must be a JSON object".into());
            continue;
        }
        if let Some(children) = item.get("item") {
            match children.as_array() {
                Some(children) => {
                    let mut inner = folders.to_vec();
                    inner.push(name.clone());
                    walk(children, &inner, walked);
                }
                None => error("a folder's `item` must be a list".into()),
            }
            continue;
        }
        let Some(request) = item.get("request") else {
            error("neither a folder (`item`) nor a request (`request`)".into());
            continue;
        };
        let mode = request
            .get("body")
            .and_then(|b| b.get("mode"))
            .and_then(Json::as_str);
        if let Some(mode) = mode.filter(|m| *m != "raw") {
            walked.skipped.push(ItemError {
                path,
                message: format!(
                    "not imported: its body's mode is `{mode}`, and only raw JSON bodies are; write this operation by hand (a `{mode}` upload is a `body: multipart` operation)"
                ),
            });
            continue;
        }
        match parse_request(request, true) {
            Ok(parsed) => {
                let examples = match item.get("response") {
                    None | Some(Json::Null) => Vec::new(),
                    Some(Json::Array(responses)) => responses.iter().map(saved_example).collect(),
                    Some(_) => {
                        error("`response` (the saved examples) must be a list".into());
                        continue;
                    }
                };
                walked.requests.push(Request {
                    folders: folders.to_vec(),
                    name: name.clone(),
                    description: item
                        .get("description")
                        .or_else(|| request.get("description"))
                        .and_then(description_text),
                    method: parsed.method,
                    url: parsed.url,
                    headers: parsed.headers,
                    body: parsed.body.unwrap_or_default(),
                    examples,
                });
            }
            Err(message) => error(message),
        }
    }
}

struct ParsedRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

/// Reads a request object; `need_body` makes a missing raw body an error.
fn parse_request(request: &Json, need_body: bool) -> Result<ParsedRequest, String> {
    let Some(object) = request.as_object() else {
        return Err(if request.is_string() {
            "the request is only a URL: it has no method, headers or body".into()
        } else {
            "`request` must be a JSON object".into()
        });
    };
    let method = match object.get("method") {
        None => "GET".to_string(),
        Some(Json::String(m)) => m.to_ascii_uppercase(),
        Some(_) => return Err("`method` must be a string".into()),
    };
    let url = match object.get("url") {
        Some(Json::String(u)) => u.clone(),
        Some(Json::Object(u)) => u
            .get("raw")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    let headers = headers(object.get("header"))?;
    let body = match object.get("body") {
        None | Some(Json::Null) => None,
        Some(body) => {
            let mode = body.get("mode").and_then(Json::as_str).unwrap_or("raw");
            if mode != "raw" {
                return Err(format!(
                    "the body's mode is `{mode}`: only raw JSON bodies are supported"
                ));
            }
            body.get("raw").and_then(Json::as_str).map(str::to_string)
        }
    };
    if need_body && body.as_deref().is_none_or(|b| b.trim().is_empty()) {
        return Err(
            "the request has no body: a ChatRace call is a POST with a raw JSON body".into(),
        );
    }
    Ok(ParsedRequest {
        method,
        url,
        headers,
        body,
    })
}

/// The enabled headers of a `header` list (or of a raw `Key: Value` block).
fn headers(value: Option<&Json>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    match value {
        None | Some(Json::Null) => {}
        Some(Json::String(block)) => {
            for line in block.lines() {
                if let Some((k, v)) = line.split_once(':') {
                    out.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
        }
        Some(Json::Array(list)) => {
            for header in list {
                if header.get("disabled").and_then(Json::as_bool) == Some(true) {
                    continue;
                }
                let Some(key) = header.get("key").and_then(Json::as_str) else {
                    return Err("a header has no `key`".into());
                };
                let value = match header.get("value") {
                    Some(Json::String(v)) => v.clone(),
                    None | Some(Json::Null) => String::new(),
                    Some(other) => other.to_string(),
                };
                out.push((key.to_string(), value));
            }
        }
        Some(_) => return Err("`header` must be a list".into()),
    }
    Ok(out)
}

fn saved_example(response: &Json) -> SavedExample {
    let original = response
        .get("originalRequest")
        .and_then(|r| parse_request(r, false).ok());
    SavedExample {
        name: response
            .get("name")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        request_headers: original.as_ref().map(|r| r.headers.clone()),
        request_body: original.and_then(|r| r.body),
        code: response
            .get("code")
            .and_then(Json::as_u64)
            .and_then(|c| u16::try_from(c).ok()),
        body: response
            .get("body")
            .and_then(Json::as_str)
            .map(str::to_string),
    }
}

// ---------------------------------------------------------------------------------------------
// What the import tells its user.

/// What a note says about the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    fn label(self) -> &'static str {
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

// ---------------------------------------------------------------------------------------------
// Requests to operations.

/// The JSON kind of an example value, which decides a param's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Null,
    Bool,
    Number,
    NumericString,
    String,
    Object,
    Array,
}

impl ValueKind {
    fn of(value: &Json) -> ValueKind {
        match value {
            Json::Null => ValueKind::Null,
            Json::Bool(_) => ValueKind::Bool,
            Json::Number(_) => ValueKind::Number,
            Json::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                ValueKind::NumericString
            }
            Json::String(_) => ValueKind::String,
            Json::Object(_) => ValueKind::Object,
            Json::Array(_) => ValueKind::Array,
        }
    }
}

/// Whether `key` names an id: `id`, `..._id`, `...Id`, `...ID`.
fn id_like(key: &str) -> bool {
    key == "id" || key.ends_with("_id") || key.ends_with("Id") || key.ends_with("ID")
}

/// The type and wire form of a param, from its key and the example's value: a number is an
/// `id` under an id-like key (`id`, `*_id`, `*Id`, `*ID`), else an `integer` or a `number`; a
/// string of digits under an id-like key is an `id` sent as a string; `true`/`false` is a
/// `boolean`; an object, a list or `null` is `json`; anything else is a `string`.
pub fn infer_type(key: &str, value: &Json) -> (TypeRef, WireAs) {
    let scalar = match (ValueKind::of(value), value) {
        (ValueKind::Number, Json::Number(n)) if id_like(key) && n.is_u64() => {
            return (TypeRef::Scalar(Scalar::Id), WireAs::Number)
        }
        (ValueKind::Number, Json::Number(n)) if n.is_i64() || n.is_u64() => Scalar::Integer,
        (ValueKind::Number, _) => Scalar::Number,
        (ValueKind::NumericString, _) if id_like(key) => {
            return (TypeRef::Scalar(Scalar::Id), WireAs::String)
        }
        (ValueKind::Bool, _) => Scalar::Boolean,
        (ValueKind::Object | ValueKind::Array | ValueKind::Null, _) => Scalar::Json,
        _ => Scalar::String,
    };
    let wire_as = if scalar.is_numeric() {
        WireAs::Number
    } else {
        WireAs::String
    };
    (TypeRef::Scalar(scalar), wire_as)
}

/// A Rust name for a wire name: snake_case, made an identifier, and kept clear of keywords
/// and of the builder's own methods.
fn rust_name(wire: &str, header: bool) -> String {
    let mut name: String = snake_case(wire)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if header {
        if let Some(rest) = name.strip_prefix("x_").filter(|r| !r.is_empty()) {
            name = rest.to_string();
        }
    }
    let trimmed = name.trim_matches('_');
    name = if trimmed.is_empty() {
        "value".to_string()
    } else {
        trimmed.to_string()
    };
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    if is_keyword(&name) || crate::validate::RESERVED_PARAM_NAMES.contains(&name.as_str()) {
        name.push_str("_value");
    }
    name
}

/// An operation name from a title: `Get list of orders` -> `get_list_of_orders`.
fn operation_name(title: &str) -> String {
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

/// Body text as the catalogue keeps it: verbatim, trailing blank space trimmed, one final
/// newline.
fn normalize_body(text: &str) -> String {
    let mut out = text.trim_end().to_string();
    out.push('\n');
    out
}

fn is_standard_header(name: &str) -> bool {
    ["content-type", "user-agent", "x-access-token"].contains(&name.to_ascii_lowercase().as_str())
}

fn has_token(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("X-ACCESS-TOKEN"))
}

/// One request turned into an operation, with what the conversion guessed.
struct Converted {
    op: Operation,
    /// The example value's kind of each param, by (is header, wire name).
    kinds: Vec<((bool, String), ValueKind)>,
    /// Whether the example comes from a saved example (not the request's placeholder body).
    saved_example: bool,
    /// The body paths the example request holds (`id`, `data.code`).
    paths: Vec<String>,
    /// What the conversion guessed or could not infer about the new operation.
    notes: Vec<Note>,
    /// What it could not take from the request's wire form or example (kept by merges too).
    wire_notes: Vec<Note>,
}

/// The entries of a JSON object in document order (`serde_json::Map` sorts its keys); `None`
/// when the text is JSON but not an object.
fn ordered_object(text: &str) -> Result<Option<Vec<(String, Json)>>, serde_json::Error> {
    use serde::de::{Deserializer, MapAccess, Visitor};
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Option<Vec<(String, Box<serde_json::value::RawValue>)>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry()? {
                out.push(entry);
            }
            Ok(Some(out))
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let entries = (&mut deserializer).deserialize_any(Entries)?;
    deserializer.end()?;
    let Some(entries) = entries else {
        return Ok(None);
    };
    entries
        .into_iter()
        .map(|(k, raw)| Ok((k, serde_json::from_str(raw.get())?)))
        .collect::<Result<_, _>>()
        .map(Some)
}

/// The entries of the body's `data` object, in document order.
fn data_entries(request_text: &str) -> Option<Vec<(String, Json)>> {
    let text = fill_placeholders(request_text, 1);
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let top: std::collections::BTreeMap<String, Box<serde_json::value::RawValue>> =
        serde::Deserialize::deserialize(&mut deserializer).ok()?;
    ordered_object(top.get("data")?.get()).ok()?
}

fn convert(request: &Request) -> Result<Converted, String> {
    if request.method != "POST" {
        return Err(format!(
            "method {}: every ChatRace call is a POST to the one API URL",
            request.method
        ));
    }
    let item = format!("operation {}", operation_name(&request.name));
    let mut notes = Vec::new();
    let mut note = |kind: NoteKind, item: &str, detail: String| {
        notes.push(Note {
            kind,
            item: item.to_string(),
            detail,
        })
    };
    let saved = request.examples.first();
    let example_body = saved.and_then(|s| s.request_body.clone());
    let saved_example = example_body.is_some();
    let request_text = example_body.unwrap_or_else(|| request.body.clone());
    if !saved_example {
        note(
            NoteKind::Guessed,
            &item,
            "no saved example request: the example and the param types come from the request's own body".into(),
        );
    }
    let body = match ordered_object(&fill_placeholders(&request_text, 1)) {
        Ok(Some(body)) => body,
        Ok(None) => return Err("the body is not a JSON object".into()),
        Err(e) => return Err(format!("the body is not JSON: {e}")),
    };
    let get = |key: &str| body.iter().find(|(k, _)| k == key).map(|(_, v)| v);

    let mut discriminators = Vec::new();
    for key in ["op", "op1", "op2", "op3"] {
        match get(key) {
            Some(Json::String(value)) => discriminators.push((key.to_string(), value.clone())),
            Some(_) => return Err(format!("the body's `{key}` is not a string")),
            None => {
                if key == "op" {
                    return Err("the body has no `op`: it is not a ChatRace call".into());
                }
                break;
            }
        }
    }
    for key in ["op1", "op2", "op3"] {
        let index = discriminators.iter().position(|(k, _)| k == key);
        if get(key).is_some() && index.is_none() {
            return Err(format!(
                "the body sends `{key}` without the discriminators before it"
            ));
        }
    }
    let verb = discriminators
        .iter()
        .find(|(_, v)| matches!(v.to_ascii_lowercase().as_str(), "get" | "list"));
    let kind = if verb.is_some() {
        OperationKind::Read
    } else {
        OperationKind::Write
    };
    note(
        NoteKind::Guessed,
        &item,
        match verb {
            Some((k, v)) => format!("kind: read (its `{k}` is `{v}`)"),
            None => {
                "kind: write (no `get`/`list` discriminator); reads are retried, writes are not"
                    .into()
            }
        },
    );

    let scope = if get("account_id").is_some() {
        Scope::Account
    } else {
        Scope::None
    };
    let auth = if has_token(&request.headers) {
        Auth::Token
    } else {
        Auth::None
    };

    let mut params = Vec::new();
    let mut kinds = Vec::new();
    let mut paths = Vec::new();
    let mut rust_names: HashSet<String> = HashSet::new();
    let mut add = |params: &mut Vec<Param>, param: Param| {
        let mut rust = param.rust.clone();
        let mut n = 2;
        while !rust_names.insert(rust.clone()) {
            rust = format!("{}_{n}", param.rust);
            n += 1;
        }
        params.push(Param { rust, ..param });
    };
    for (name, value) in &request.headers {
        if is_standard_header(name) {
            continue;
        }
        let rust = rust_name(name, true);
        note(
            NoteKind::Guessed,
            &format!("{item}: param {name}"),
            format!(
                "a required string header (the docs show `{value}`); a string enum may fit better"
            ),
        );
        kinds.push(((true, name.clone()), ValueKind::String));
        add(
            &mut params,
            Param {
                wire: name.clone(),
                rust,
                ty: TypeRef::Scalar(Scalar::String),
                required: true,
                location: Location::Header,
                wire_as: WireAs::String,
                doc: Some(format!("The `{name}` header; the docs show `{value}`.")),
                pos: Default::default(),
            },
        );
    }
    let mut body_param = |key: &str, value: &Json, location: Location, notes: &mut Vec<Note>| {
        let (ty, wire_as) = infer_type(key, value);
        let shown = {
            let text = value.to_string();
            if text.chars().count() > 40 {
                format!("{}...", text.chars().take(40).collect::<String>())
            } else {
                text
            }
        };
        let as_text = if ty.scalar().is_some_and(Scalar::is_numeric) {
            match wire_as {
                WireAs::Number => " sent as a number",
                WireAs::String => " sent as a string",
            }
        } else {
            ""
        };
        notes.push(Note {
            kind: NoteKind::Guessed,
            item: format!("{item}: param {key}"),
            detail: format!("{ty}{as_text}, required (from the example value {shown})"),
        });
        kinds.push(((false, key.to_string()), ValueKind::of(value)));
        paths.push(match location {
            Location::Data => format!("data.{key}"),
            _ => key.to_string(),
        });
        add(
            &mut params,
            Param {
                wire: key.to_string(),
                rust: rust_name(key, false),
                ty,
                required: true,
                location,
                wire_as,
                doc: None,
                pos: Default::default(),
            },
        );
    };
    let mut body_notes = Vec::new();
    // Notes on the wire form and the example, which matter to a merge too.
    let mut wire_notes = Vec::new();
    for (key, value) in &body {
        if matches!(key.as_str(), "op" | "op1" | "op2" | "op3" | "account_id") {
            continue;
        }
        if key == "data" {
            match data_entries(&request_text) {
                Some(data) => {
                    for (data_key, data_value) in &data {
                        body_param(data_key, data_value, Location::Data, &mut body_notes);
                    }
                }
                None => wire_notes.push(Note {
                    kind: NoteKind::NotInferred,
                    item: item.clone(),
                    detail: "its `data` is not an object: not imported as params".into(),
                }),
            }
            continue;
        }
        body_param(key, value, Location::Top, &mut body_notes);
    }
    notes.extend(body_notes);

    // The example: the saved one when there is one.
    let mut example_headers = saved
        .and_then(|s| s.request_headers.clone())
        .unwrap_or_else(|| request.headers.clone());
    if !example_headers.is_empty() && has_token(&example_headers) != (auth == Auth::Token) {
        wire_notes.push(Note {
            kind: NoteKind::NotInferred,
            item: item.clone(),
            detail: "the saved example's headers disagree with the request's about X-ACCESS-TOKEN: the example's headers are not kept".into(),
        });
        example_headers.clear();
    }
    let response_text = saved.and_then(|s| s.body.clone());
    let response_json = response_text
        .as_deref()
        .and_then(|t| serde_json::from_str::<Json>(t).ok());
    let example_response = match (&response_text, &response_json) {
        (Some(text), Some(json)) if json.get("status").is_some() => Some(normalize_body(text)),
        (Some(_), _) => {
            wire_notes.push(Note {
                kind: NoteKind::NotInferred,
                item: item.clone(),
                detail: "the saved response is not a JSON envelope with a `status`: not kept"
                    .into(),
            });
            None
        }
        (None, _) => None,
    };
    let response = match response_json
        .as_ref()
        .filter(|_| example_response.is_some())
    {
        None => {
            notes.push(Note {
                kind: NoteKind::NotInferred,
                item: item.clone(),
                detail: "no saved response: the response type is not inferred".into(),
            });
            None
        }
        Some(json) => match json.get("data") {
            None | Some(Json::Null) => None,
            Some(data) => {
                let scalar = match ValueKind::of(data) {
                    ValueKind::Bool => Some(Scalar::Boolean),
                    ValueKind::String | ValueKind::NumericString => Some(Scalar::String),
                    ValueKind::Number if data.is_i64() || data.is_u64() => Some(Scalar::Integer),
                    ValueKind::Number => Some(Scalar::Number),
                    _ => None,
                };
                if scalar.is_none() {
                    notes.push(Note {
                        kind: NoteKind::NotInferred,
                        item: item.clone(),
                        detail: format!(
                            "response type not inferred for {}: its `data` is {}; declare a type and set `response:` (until then the call returns `()`)",
                            operation_name(&request.name),
                            if data.is_array() { "a list" } else { "an object" }
                        ),
                    });
                }
                scalar.map(TypeRef::Scalar)
            }
        },
    };
    let summary = match &request.description {
        Some(description) => description
            .split("\n\n")
            .next()
            .unwrap_or(description)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        None => {
            notes.push(Note {
                kind: NoteKind::NotInferred,
                item: item.clone(),
                detail: "no description: the summary repeats the title; write one".into(),
            });
            request.name.clone()
        }
    };
    let op = Operation {
        name: operation_name(&request.name),
        title: request.name.clone(),
        summary,
        provenance: Provenance::Documented,
        kind,
        idempotent: false,
        discriminators,
        auth,
        scope,
        session: None,
        body: BodyEncoding::Json,
        params,
        response,
        paging: None,
        example: Some(Example {
            headers: example_headers,
            request: normalize_body(&request_text),
            response: example_response,
            pos: Default::default(),
        }),
        pos: Default::default(),
    };
    paths.sort();
    Ok(Converted {
        op,
        kinds,
        saved_example,
        paths,
        notes,
        wire_notes,
    })
}

fn convert_all(collection: &Collection) -> Result<Vec<Converted>, PostmanError> {
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
        match convert(request) {
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
fn skipped_notes(collection: &Collection) -> Vec<Note> {
    collection
        .skipped
        .iter()
        .map(|s| Note {
            kind: NoteKind::NotInferred,
            item: format!("request `{}`", s.path),
            detail: s.message.clone(),
        })
        .collect()
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

impl Converted {
    /// Renames the operation, and the items of its notes with it.
    fn rename(&mut self, to: &str) {
        let old = format!("operation {}", self.op.name);
        for note in self.notes.iter_mut().chain(&mut self.wire_notes) {
            if note.item == old || note.item.starts_with(&format!("{old}:")) {
                note.item = format!("operation {to}{}", &note.item[old.len()..]);
            }
        }
        self.op.name = to.to_string();
    }
}

/// The operations of a collection as a new catalogue (no shared types).
pub fn import(collection: &Collection) -> Result<Import, PostmanError> {
    let converted = convert_all(collection)?;
    let mut taken = HashSet::new();
    let mut operations = Vec::new();
    let mut notes = Vec::new();
    for mut c in converted {
        let name = unique_name(&c.op.name, &taken);
        c.rename(&name);
        taken.insert(name.clone());
        notes.push(Note {
            kind: NoteKind::Added,
            item: format!("operation {name}"),
            detail: format!("from `{}`", c.op.title),
        });
        notes.extend(c.notes);
        notes.extend(c.wire_notes);
        operations.push(c.op);
    }
    notes.extend(skipped_notes(collection));
    Ok(Import {
        catalogue: Catalogue {
            api: ApiInfo {
                title: collection.name.clone(),
                source: None,
                doc: collection.description.clone(),
            },
            types: Vec::new(),
            operations,
        },
        notes,
    })
}

/// Merges the collection into `existing`: see the module docs for what is updated and what is
/// kept.
pub fn merge(existing: &Catalogue, collection: &Collection) -> Result<Import, PostmanError> {
    let converted = convert_all(collection)?;
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
                notes.push(Note {
                    kind: NoteKind::Matched,
                    item: format!("operation {}", before.name),
                    detail: format!("is `{}` of the collection", c.op.title),
                });
                notes.extend(std::mem::take(&mut c.wire_notes));
                let (merged, op_notes) = merge_operation(existing, before, &c);
                notes.extend(op_notes);
                catalogue.operations[index] = merged;
            }
            None => {
                let name = unique_name(&c.op.name, &taken);
                c.rename(&name);
                taken.insert(name.clone());
                notes.push(Note {
                    kind: NoteKind::Added,
                    item: format!("operation {name}"),
                    detail: format!(
                        "new: `{}` matches no operation of the catalogue (by discriminators and required params, or by title)",
                        c.op.title
                    ),
                });
                notes.extend(c.notes);
                notes.extend(c.wire_notes);
                catalogue.operations.push(c.op);
            }
        }
    }
    let untouched: Vec<&str> = existing
        .operations
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched.contains(i))
        .map(|(_, o)| o.name.as_str())
        .collect();
    notes.extend(skipped_notes(collection));
    if !untouched.is_empty() {
        notes.push(Note {
            kind: NoteKind::Kept,
            item: format!("{} operation(s)", untouched.len()),
            detail: format!(
                "not in the collection, kept as they are: {}",
                untouched.join(", ")
            ),
        });
    }
    Ok(Import { catalogue, notes })
}

/// The existing operation a converted request is: same discriminators with all of its required
/// params present in the request (the same title first, then the most required params), else
/// the same title.
fn find_match(existing: &Catalogue, c: &Converted, taken: &HashSet<usize>) -> Option<usize> {
    let candidates: Vec<usize> = existing
        .operations
        .iter()
        .enumerate()
        .filter(|(i, o)| {
            !taken.contains(i)
                && o.discriminators == c.op.discriminators
                && o.required_paths().iter().all(|p| c.paths.contains(p))
        })
        .map(|(i, _)| i)
        .collect();
    let titled = |i: &&usize| existing.operations[**i].title == c.op.title;
    candidates
        .iter()
        .find(titled)
        .or_else(|| {
            candidates.iter().max_by_key(|i| {
                (
                    existing.operations[**i].required_paths().len(),
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
                .find(|(i, o)| !taken.contains(i) && o.title == c.op.title)
                .map(|(i, _)| i)
        })
}

/// Whether an example value of `kind` fits the declared type `ty`.
fn fits(catalogue: &Catalogue, ty: &TypeRef, kind: ValueKind) -> bool {
    use ValueKind as V;
    if kind == V::Null {
        return true;
    }
    match ty {
        TypeRef::Scalar(Scalar::Json | Scalar::File) => true,
        TypeRef::Scalar(Scalar::String) => matches!(kind, V::String | V::NumericString),
        TypeRef::Scalar(Scalar::Integer | Scalar::Number | Scalar::Id) => {
            matches!(kind, V::Number | V::NumericString)
        }
        TypeRef::Scalar(Scalar::Boolean) => matches!(kind, V::Bool | V::Number),
        TypeRef::List(_) => kind == V::Array,
        TypeRef::Named(name) => match catalogue.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Enum {
                repr: EnumRepr::Integer,
                ..
            }) => matches!(kind, V::Number | V::NumericString),
            Some(TypeKind::Enum {
                repr: EnumRepr::String,
                ..
            }) => matches!(kind, V::String | V::NumericString),
            Some(TypeKind::Struct { .. }) => kind == V::Object,
            None => true,
        },
    }
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim_end() == b.trim_end()
}

fn merge_operation(
    catalogue: &Catalogue,
    before: &Operation,
    c: &Converted,
) -> (Operation, Vec<Note>) {
    let item = format!("operation {}", before.name);
    let imported = &c.op;
    let mut notes: Vec<Note> = Vec::new();
    let mut note = |kind: NoteKind, item: &str, detail: String| {
        notes.push(Note {
            kind,
            item: item.to_string(),
            detail,
        })
    };
    let mut op = before.clone();
    if before.title != imported.title {
        note(
            NoteKind::Kept,
            &item,
            format!(
                "title `{}` kept; the collection calls it `{}`",
                before.title, imported.title
            ),
        );
    }
    if before.provenance != Provenance::Documented {
        op.provenance = Provenance::Documented;
        note(
            NoteKind::Updated,
            &item,
            "provenance inferred -> documented".into(),
        );
    }
    if before.discriminators != imported.discriminators {
        op.discriminators = imported.discriminators.clone();
        note(NoteKind::Updated, &item, "discriminators".into());
    }
    if before.auth != imported.auth {
        op.auth = imported.auth;
        note(
            NoteKind::Updated,
            &item,
            format!(
                "auth -> {}",
                if imported.auth == Auth::Token {
                    "token"
                } else {
                    "none"
                }
            ),
        );
    }
    if before.scope != imported.scope {
        op.scope = imported.scope;
        note(
            NoteKind::Updated,
            &item,
            format!(
                "scope -> {}",
                if imported.scope == Scope::Account {
                    "account"
                } else {
                    "none"
                }
            ),
        );
    }
    let is_header = |p: &Param| p.location == Location::Header;
    let same_param = |a: &Param, b: &Param| {
        is_header(a) == is_header(b)
            && if is_header(a) {
                a.wire.eq_ignore_ascii_case(&b.wire)
            } else {
                a.wire == b.wire
            }
    };
    let mut rust_names: HashSet<String> = op.params.iter().map(|p| p.rust.clone()).collect();
    for new_param in &imported.params {
        let param_item = format!("{item}: param {}", new_param.wire);
        let kind = c
            .kinds
            .iter()
            .find(|((h, w), _)| *h == is_header(new_param) && *w == new_param.wire)
            .map(|(_, k)| *k)
            .unwrap_or(ValueKind::Null);
        match op.params.iter_mut().find(|p| same_param(p, new_param)) {
            Some(param) => {
                if param.location != new_param.location {
                    note(
                        NoteKind::Updated,
                        &param_item,
                        format!(
                            "moved to `in: {}`",
                            if new_param.location == Location::Top {
                                "top"
                            } else {
                                "data"
                            }
                        ),
                    );
                    param.location = new_param.location;
                }
                let numeric = matches!(param.ty, TypeRef::Scalar(s) if s.is_numeric());
                let shown = matches!(kind, ValueKind::Number | ValueKind::NumericString);
                let wire_as = if kind == ValueKind::Number {
                    WireAs::Number
                } else {
                    WireAs::String
                };
                if numeric && shown && c.saved_example && param.wire_as != wire_as {
                    note(
                        NoteKind::Updated,
                        &param_item,
                        format!(
                            "sent as a {} (the example shows it so)",
                            if wire_as == WireAs::Number {
                                "number"
                            } else {
                                "string"
                            }
                        ),
                    );
                    param.wire_as = wire_as;
                }
                if !fits(catalogue, &param.ty, kind) {
                    note(
                        NoteKind::Kept,
                        &param_item,
                        format!(
                            "type {} kept, though the example's value suggests {}",
                            param.ty, new_param.ty
                        ),
                    );
                }
            }
            None => {
                let mut param = new_param.clone();
                if !rust_names.insert(param.rust.clone()) {
                    param.rust = format!("{}_param", param.rust);
                    rust_names.insert(param.rust.clone());
                }
                note(
                    NoteKind::Added,
                    &param_item,
                    format!(
                        "{}, required (guessed: the example sends it); make it optional if calls work without it",
                        param.ty
                    ),
                );
                op.params.push(param);
            }
        }
    }
    for param in &before.params {
        let in_collection = imported.params.iter().any(|p| same_param(p, param));
        if !in_collection && param.required && !is_header(param) {
            note(
                NoteKind::Kept,
                &format!("{item}: param {}", param.wire),
                "required, but the collection's example does not send it".into(),
            );
        }
    }
    // What the collection does not give (a response that is missing or not JSON, headers it
    // contradicts) is kept from the catalogue's example.
    let candidate = imported.example.as_ref().map(|new| {
        let mut new = new.clone();
        if let Some(old) = &before.example {
            if new.headers.is_empty() {
                new.headers = old.headers.clone();
            }
            if new.response.is_none() {
                new.response = old.response.clone();
            }
        }
        new
    });
    match (&before.example, candidate) {
        (Some(old), Some(new))
            if old.headers == new.headers
                && same_text(&old.request, &new.request)
                && match (&old.response, &new.response) {
                    (Some(a), Some(b)) => same_text(a, b),
                    (None, None) => true,
                    _ => false,
                } => {}
        (Some(_), Some(_)) if !c.saved_example => note(
            NoteKind::Kept,
            &item,
            "example kept: the collection has no saved example for it".into(),
        ),
        (_, Some(new)) => {
            op.example = Some(new);
            note(
                NoteKind::Updated,
                &item,
                "example (headers, request, response) from the collection".into(),
            );
        }
        (_, None) => {}
    }
    (op, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_are_inferred_from_values() {
        let t = |k: &str, v: Json| infer_type(k, &v);
        let id = TypeRef::Scalar(Scalar::Id);
        assert_eq!(t("id", json!(1000000)), (id.clone(), WireAs::Number));
        assert_eq!(
            t("contact_id", json!("12345")),
            (id.clone(), WireAs::String)
        );
        assert_eq!(t("flowID", json!(7)), (id, WireAs::Number));
        assert_eq!(t("status", json!(7)).0, TypeRef::Scalar(Scalar::Integer));
        assert_eq!(t("price", json!(1.5)).0, TypeRef::Scalar(Scalar::Number));
        assert_eq!(t("id", json!(-1)).0, TypeRef::Scalar(Scalar::Integer));
        assert_eq!(
            t("code", json!("456788")).0,
            TypeRef::Scalar(Scalar::String)
        );
        assert_eq!(t("me", json!(true)).0, TypeRef::Scalar(Scalar::Boolean));
        assert_eq!(t("cdts", json!([])).0, TypeRef::Scalar(Scalar::Json));
        assert_eq!(t("expand", json!({})).0, TypeRef::Scalar(Scalar::Json));
    }

    #[test]
    fn names_are_identifiers() {
        assert_eq!(operation_name("Get list of orders"), "get_list_of_orders");
        assert_eq!(
            operation_name("Get list of conversations (contacts)"),
            "get_list_of_conversations_contacts"
        );
        assert_eq!(
            operation_name("Assign a conversation to admin/team"),
            "assign_a_conversation_to_admin_team"
        );
        assert_eq!(operation_name("Validate OTP"), "validate_otp");
        assert_eq!(operation_name("!!"), "operation");
        assert_eq!(operation_name("2FA"), "op_2_fa");
        assert_eq!(rust_name("X-PLATFORM", true), "platform");
        assert_eq!(rust_name("idToken", false), "id_token");
        assert_eq!(rust_name("type", false), "type_value");
        assert_eq!(rust_name("request", false), "request_value");
        assert_eq!(rust_name("2nd", false), "n2nd");
        assert_eq!(rust_name("a--b", false), "a_b");
        for name in ["type_value", "request_value", "n2nd", "a_b", "platform"] {
            assert!(check_snake_ident(name).is_ok(), "{name}");
        }
    }
}
