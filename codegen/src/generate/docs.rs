//! The rustdoc of generated items: doc attributes, the docs of fields and params, and each
//! operation's page (provenance, wire form, policies and an example request).

use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

/// `text` as one `#[doc]` attribute, each line led by a space as `///` would write it (rustdoc
/// reads both alike). One attribute rather than one per line: an item's docs are then five
/// tokens instead of five per line, which the macro builds and rustc parses on every build.
pub(super) fn doc_attr(text: &str) -> TokenStream {
    if text.is_empty() {
        return TokenStream::new();
    }
    let mut block = String::with_capacity(text.len() + text.len() / 32 + 1);
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            block.push('\n');
        }
        block.push(' ');
        block.push_str(line);
    }
    quote! { #[doc = #block] }
}

/// A doc line for a field or param the catalogue gives no doc for.
pub(super) fn fallback_doc(doc: &Option<String>, wire: &str) -> String {
    doc.clone()
        .unwrap_or_else(|| format!("The `{wire}` value, as the server names it."))
}

/// The rustdoc of a field or param: its doc, its wire name when the Rust name differs, and
/// whether its meaning is our reading.
pub(super) fn member_doc(doc: &Option<String>, wire: &str, rust: &str, inferred: bool) -> String {
    let mut text = fallback_doc(doc, wire);
    if rust.trim_start_matches("r#") != wire {
        text.push_str(&format!(" (On the wire: `{wire}`.)"));
    }
    if inferred {
        text.push_str(" *Inferred: the vendor does not say what this means; this is our reading.*");
    }
    text
}

/// What the operation's wire form rests on: the vendor's collection, or our inference.
fn provenance_text(op: &Operation) -> &'static str {
    match op.provenance {
        Provenance::Collection => {
            "**From the vendor's collection**: the vendor's Postman collection gives this wire \
             form, and the SDK sends what its examples send."
        }
        Provenance::Swagger => {
            "**From the vendor's Swagger page**: the public API's Swagger page gives this wire \
             form."
        }
        Provenance::Inferred => {
            "**Inferred**: the vendor's collection does not have this operation; its wire form \
             is our inference and is not confirmed."
        }
    }
}

/// The first example request of the collection, or one made from the params for an operation
/// without examples.
fn example_request(catalogue: &Catalogue, op: &Operation) -> (String, &'static str) {
    if let Some(example) = op.examples.first() {
        let heading = if op.body == BodyEncoding::Multipart {
            "The vendor's example (the JSON of the form's `param` field):"
        } else {
            "The vendor's example request:"
        };
        if let Some(request) = &example.request {
            return (trim_lines(request), heading);
        }
    }
    let mut body = serde_json::Map::new();
    if op.scope == Scope::Account {
        body.insert("account_id".into(), serde_json::json!(123456));
    }
    for (key, value) in &op.discriminators {
        body.insert(key.clone(), serde_json::Value::String(value.clone()));
    }
    let mut data = serde_json::Map::new();
    for constant in &op.constants {
        match constant.location() {
            (Location::Data, key) => data.insert(key.to_owned(), constant.value.clone()),
            (_, key) => body.insert(key.to_owned(), constant.value.clone()),
        };
    }
    for param in op.params.iter().filter(|p| !p.is_file()) {
        let value = sample_value(catalogue, &param.ty, param.sent_as(catalogue));
        match param.location {
            Location::Top => {
                body.insert(param.wire.clone(), value);
            }
            Location::Data => {
                data.insert(param.wire.clone(), value);
            }
            // Headers are not in the body; REST params are not generated yet.
            Location::Header
            | Location::Path
            | Location::Query
            | Location::Form
            | Location::Body => {}
        }
    }
    if op.has_data() {
        body.insert("data".into(), serde_json::Value::Object(data));
    }
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(body)).unwrap_or_default();
    (text, "The request this operation sends (inferred):")
}

/// The example's lines, without the trailing spaces the vendor's text carries.
fn trim_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_owned()
}

/// A value of type `ty` for an inferred example, in the JSON form `wire_as` says.
fn sample_value(catalogue: &Catalogue, ty: &TypeRef, wire_as: WireAs) -> serde_json::Value {
    use serde_json::json;
    match ty {
        TypeRef::Scalar(Scalar::String | Scalar::DateTime) => json!("..."),
        TypeRef::Scalar(
            Scalar::Integer | Scalar::Id | Scalar::Number | Scalar::Millis | Scalar::Seconds,
        ) => {
            if wire_as == WireAs::String {
                json!("12345")
            } else {
                json!(12345)
            }
        }
        TypeRef::Scalar(Scalar::Boolean) => json!(true),
        TypeRef::Scalar(Scalar::Json) => json!("..."),
        TypeRef::Scalar(Scalar::File) => json!("<file>"),
        TypeRef::List(inner) => json!([sample_value(catalogue, inner, wire_as)]),
        TypeRef::Encoded(_) => json!("[...]"),
        TypeRef::Named(name) => match catalogue.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Enum { values, .. }) => match values.first().map(|v| &v.value) {
                Some(EnumLiteral::Integer(i)) if wire_as == WireAs::String => json!(i.to_string()),
                Some(EnumLiteral::Integer(i)) => json!(i),
                Some(EnumLiteral::String(s)) => json!(s),
                None => json!(null),
            },
            Some(TypeKind::Id) if wire_as == WireAs::String => json!("12345"),
            Some(TypeKind::Id) => json!(12345),
            _ => json!({}),
        },
    }
}

/// The rustdoc of an operation: title, summary, provenance, what is inferred, the wire form
/// and policies, and an example request.
pub(super) fn operation_doc(catalogue: &Catalogue, op: &Operation) -> String {
    let mut discriminators: Vec<String> = op
        .discriminators
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if let Some(param) = op.discriminator_param() {
        discriminators.push(format!("{}=<{}>", param.wire, param.rust));
    }
    for constant in &op.constants {
        discriminators.push(format!("{}={}", constant.path, constant.value));
    }
    let (example, example_heading) = example_request(catalogue, op);
    let auth = match op.auth {
        Auth::Token => "the session token (`X-ACCESS-TOKEN`)",
        Auth::None => "none",
    };
    let scope = match op.scope {
        Scope::Account => {
            "account-scoped (`account_id`: the client's default, or `.account_id(..)`)"
        }
        Scope::None => "not account-scoped",
    };
    let retry = match (op.kind, op.idempotent) {
        (OperationKind::Read, _) => "yes (a read)",
        (OperationKind::Write, true) => "yes (sending this write twice cannot be seen by anyone)",
        (OperationKind::Write, false) => {
            "no (a write whose repetition could be seen is sent once; its error is returned)"
        }
    };
    let inferred = if op.inferred.is_empty() {
        String::new()
    } else {
        let items: Vec<String> = op.inferred.iter().map(|s| format!("- {s}")).collect();
        format!("\n\n**Still our inference:**\n\n{}", items.join("\n"))
    };
    if let Some(http) = &op.http {
        return rest_operation_doc(catalogue, op, http, &inferred, retry);
    }
    format!(
        "{title}\n\n{summary}\n\n{provenance}{inferred}\n\n\
         Wire: `{discriminators}`; auth: {auth}; {scope}; retried on failure: {retry}.\n\n\
         {example_heading}\n\n```json\n{example}\n```",
        title = op.title,
        summary = op.summary.trim(),
        provenance = provenance_text(op),
        discriminators = discriminators.join(" "),
    )
}

/// The rustdoc of a REST operation: as a mobile one's, with its route and where each param
/// goes, its documented error statuses, and its JSON body when it has one.
fn rest_operation_doc(
    catalogue: &Catalogue,
    op: &Operation,
    http: &HttpRoute,
    inferred: &str,
    retry: &str,
) -> String {
    let header = catalogue
        .public_api
        .as_ref()
        .map_or("X-ACCESS-TOKEN", |api| api.auth_header.as_str());
    let mut wire = format!("`{} {}`", http.method, http.path);
    for (location, what) in [
        (Location::Path, "path"),
        (Location::Query, "query"),
        (Location::Form, "form"),
        (Location::Body, "JSON body"),
        (Location::Header, "headers"),
    ] {
        let names: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.location == location)
            .map(|p| format!("`{}`", p.wire))
            .collect();
        if !names.is_empty() {
            wire.push_str(&format!("; {what}: {}", names.join(", ")));
        }
    }
    let mut text = format!(
        "{title}\n\n{summary}\n\n{provenance}{inferred}\n\n\
         Wire: {wire}; auth: the account's API token (`{header}`); retried on failure: \
         {retry}.",
        title = op.title,
        summary = op.summary.trim(),
        provenance = provenance_text(op),
    );
    if !op.http_errors.is_empty() {
        let errors: Vec<String> = op
            .http_errors
            .iter()
            .map(|e| format!("{} ({})", e.status, e.doc.trim().trim_end_matches('.')))
            .collect();
        text.push_str(&format!(
            "\n\nHTTP errors the vendor documents: {}.",
            errors.join(", ")
        ));
    }
    let body_params = op.params_in(Location::Body);
    if body_params.is_empty() {
        return text;
    }
    let (example, heading) = match op.examples.iter().find_map(|e| e.request.as_ref()) {
        Some(request) => (trim_lines(request), "The Swagger page's example body:"),
        None => {
            let body: serde_json::Map<String, serde_json::Value> = body_params
                .iter()
                .map(|p| {
                    let value = sample_value(catalogue, &p.ty, p.sent_as(catalogue));
                    (p.wire.clone(), value)
                })
                .collect();
            let body = serde_json::Value::Object(body);
            let text = serde_json::to_string_pretty(&body).unwrap_or_default();
            (text, "The JSON body this operation sends (inferred):")
        }
    };
    text.push_str(&format!("\n\n{heading}\n\n```json\n{example}\n```"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::test_support::list_things;
    use serde_json::json;

    #[test]
    fn an_operation_without_examples_shows_the_request_it_would_send() {
        let catalogue = list_things();
        let (text, heading) = example_request(&catalogue, &catalogue.operations[0]);
        assert_eq!(heading, "The request this operation sends (inferred):");
        // Each param where it goes, in the JSON form its `as` says; headers are not in the body.
        let body: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            body,
            json!({
                "account_id": 123456, "op": "things", "op1": "get", "contact": "12345",
                "data": { "archived": false, "channel": "9", "limit": 12345 }
            })
        );
    }

    #[test]
    fn a_rest_operations_page_shows_its_route_params_errors_and_body() {
        let catalogue = crate::load_str(
            r#"
format: 1
api: { title: Tiny }
public_api:
  title: Tiny public API
  base_url: https://api.example.com/
  auth: { header: X-ACCESS-TOKEN }
types:
  ContactId: { doc: A contact., id: true }
operations:
  - name: send_text
    api: public
    title: Send a text
    summary: Sends a text.
    provenance: swagger
    kind: write
    http: { method: POST, path: "/contacts/{contact_id}/send/text" }
    params:
      contact_id: { type: ContactId, required: true, in: path }
      text: { type: string, required: true, in: body }
    http_errors:
      - { status: 404, doc: Contact not found }
"#,
            "tiny.yaml",
        )
        .expect("a valid catalogue");
        let page = operation_doc(&catalogue, &catalogue.operations[0]);
        assert!(
            page.contains(
                "Wire: `POST /contacts/{contact_id}/send/text`; path: `contact_id`; JSON body: \
                 `text`; auth: the account's API token (`X-ACCESS-TOKEN`); retried on failure: no"
            ),
            "{page}"
        );
        assert!(
            page.contains("HTTP errors the vendor documents: 404 (Contact not found)."),
            "{page}"
        );
        assert!(
            page.contains("The JSON body this operation sends (inferred):\n\n```json\n{\n  \"text\": \"...\"\n}\n```"),
            "{page}"
        );
        assert!(!page.contains("account-scoped"), "{page}");
    }
}
