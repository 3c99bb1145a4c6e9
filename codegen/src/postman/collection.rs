//! Reads a Postman Collection export: its requests, folders flattened, each with its body
//! template, its headers and its saved examples. A body is raw JSON, or a multipart form
//! whose text field `param` holds the request's JSON beside file parts (the vendor's upload).

use super::discriminators::read_template;
use super::{ItemError, PostmanError};
use crate::model::BodyEncoding;
use serde_json::Value as Json;
use std::path::Path;

/// The text field of a multipart form that holds the request's JSON (docs/catalogue.md,
/// `body: multipart`).
pub(super) const MULTIPART_JSON_FIELD: &str = "param";

/// A parsed collection: its name and its requests, folders flattened.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    /// `info.name`.
    pub name: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The requests, in document order.
    pub requests: Vec<Request>,
    /// The requests that are not imported (a body that is neither raw JSON nor a form, such as
    /// `urlencoded` or `graphql`), with the reason.
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
    /// How the body is sent: raw JSON, or a multipart form.
    pub encoding: BodyEncoding,
    /// The body template: the raw JSON text, or the JSON text of the form's `param` field.
    pub body: String,
    /// The keys of the form's file parts (a multipart body only).
    pub file_parts: Vec<String>,
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
    /// The JSON text of the request it answered (a raw body, or a form's `param` field), when
    /// saved.
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
        let parsed = match parse_request(request) {
            Ok(parsed) => parsed,
            Err(message) => {
                error(message);
                continue;
            }
        };
        if parsed.method != "POST" {
            error(format!(
                "method {}: every ChatRace call is a POST to the one API URL",
                parsed.method
            ));
            continue;
        }
        let body = match parsed.body {
            Ok(Some(body)) if !body.json.trim().is_empty() => body,
            Ok(_) => {
                error(
                    "the request has no body: a ChatRace call is a POST with a raw JSON body (or a multipart form with a `param` field)"
                        .into(),
                );
                continue;
            }
            Err(BodyError::Unsupported(mode)) => {
                walked.skipped.push(ItemError {
                    path,
                    message: format!(
                        "not imported: its body's mode is `{mode}`; only raw JSON bodies and multipart forms (`formdata`) are; write this operation by hand"
                    ),
                });
                continue;
            }
            Err(BodyError::Malformed(message)) => {
                error(message);
                continue;
            }
        };
        if let Err(message) = read_template(&body.json, body.encoding, &body.file_parts) {
            error(message);
            continue;
        }
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
            encoding: body.encoding,
            body: body.json,
            file_parts: body.file_parts,
            examples,
        });
    }
}

/// A request body as the import reads it.
struct Body {
    encoding: BodyEncoding,
    /// The raw JSON text, or the JSON text of the form's `param` field.
    json: String,
    /// The keys of the form's file parts.
    file_parts: Vec<String>,
}

/// Why a body cannot be read.
enum BodyError {
    /// A mode the catalogue cannot express (`urlencoded`, `graphql`, `file`).
    Unsupported(String),
    /// A body that is wrong as it is.
    Malformed(String),
}

struct ParsedRequest {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Result<Option<Body>, BodyError>,
}

/// Reads a request object.
fn parse_request(request: &Json) -> Result<ParsedRequest, String> {
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
        None | Some(Json::Null) => Ok(None),
        Some(body) => read_body(body),
    };
    Ok(ParsedRequest {
        method,
        url,
        headers,
        body,
    })
}

/// The JSON text of a body: a raw body, or the `param` field of a form with its file parts.
fn read_body(body: &Json) -> Result<Option<Body>, BodyError> {
    let mode = body.get("mode").and_then(Json::as_str).unwrap_or("raw");
    match mode {
        "raw" => Ok(body.get("raw").and_then(Json::as_str).map(|raw| Body {
            encoding: BodyEncoding::Json,
            json: raw.to_string(),
            file_parts: Vec::new(),
        })),
        "formdata" => read_form(body.get("formdata")).map(Some),
        other => Err(BodyError::Unsupported(other.to_string())),
    }
}

/// A multipart form: one text field `param` holding the request's JSON, and file parts.
fn read_form(fields: Option<&Json>) -> Result<Body, BodyError> {
    let malformed = |message: String| BodyError::Malformed(message);
    let fields = match fields {
        Some(Json::Array(fields)) => fields.as_slice(),
        None | Some(Json::Null) => &[],
        Some(_) => return Err(malformed("the form's `formdata` must be a list".into())),
    };
    let mut json = None;
    let mut file_parts = Vec::new();
    for field in fields {
        if field.get("disabled").and_then(Json::as_bool) == Some(true) {
            continue;
        }
        let Some(key) = field.get("key").and_then(Json::as_str) else {
            return Err(malformed("a form field has no `key`".into()));
        };
        match field.get("type").and_then(Json::as_str).unwrap_or("text") {
            "file" => file_parts.push(key.to_string()),
            _ if key == MULTIPART_JSON_FIELD => {
                json = Some(
                    field
                        .get("value")
                        .and_then(Json::as_str)
                        .unwrap_or_default()
                        .to_string(),
                )
            }
            _ => {
                return Err(malformed(format!(
                    "the form has a text field `{key}`: a ChatRace upload sends its request as JSON in the one text field `{MULTIPART_JSON_FIELD}`, beside file parts"
                )))
            }
        }
    }
    match json {
        Some(json) => Ok(Body {
            encoding: BodyEncoding::Multipart,
            json,
            file_parts,
        }),
        None => Err(malformed(format!(
            "the form has no text field `{MULTIPART_JSON_FIELD}`: a ChatRace upload sends its request as JSON in that field, beside file parts"
        ))),
    }
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
        .and_then(|r| parse_request(r).ok());
    let (request_headers, request_body) = match original {
        Some(original) => (
            Some(original.headers),
            original.body.ok().flatten().map(|body| body.json),
        ),
        None => (None, None),
    };
    SavedExample {
        name: response
            .get("name")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string(),
        request_headers,
        request_body,
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
