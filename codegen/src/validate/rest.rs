//! Checks of the public API's REST operations: the `public_api` header, routes, where params
//! go, documented error statuses and examples.

use super::{check_renamed, check_sent_as, report_missing_from_example};
use crate::diag::Diagnostics;
use crate::model::*;
use crate::path_template::PathTemplate;
use std::collections::{HashMap, HashSet};

/// What concerns all REST operations together: the header they need, and their routes.
pub(super) fn check_catalogue(catalogue: &Catalogue, diags: &mut Diagnostics) {
    let mut rest = catalogue.operations.iter().filter(|op| op.is_rest());
    match (&catalogue.public_api, rest.next()) {
        (Some(public_api), _) => check_public_api(catalogue, public_api, diags),
        (None, Some(first)) => diags.push(
            first.pos,
            &format!("operation `{}`", first.name),
            "a REST operation (`api: public`) needs the catalogue's `public_api` header: its base URL and the header of its API token",
        ),
        (None, None) => {}
    }
    let mut routes: HashMap<(HttpMethod, String), &Operation> = HashMap::new();
    for op in catalogue.operations.iter().filter(|op| op.is_rest()) {
        let Some(http) = &op.http else { continue };
        let Ok(template) = PathTemplate::parse(&http.path) else {
            continue;
        };
        let key = (http.method, template.shape());
        if let Some(first) = routes.get(&key) {
            diags.push(
                http.pos,
                &format!("operation `{}`", op.name),
                format!(
                    "`{} {}` is the route of `{}` (line {}): the same method and path shape, whatever the params' names, cannot be told apart",
                    http.method.spelling(),
                    http.path,
                    first.name,
                    first.pos.line
                ),
            );
        } else {
            routes.insert(key, op);
        }
    }
}

fn check_public_api(catalogue: &Catalogue, public_api: &PublicApi, diags: &mut Diagnostics) {
    let context = "public_api";
    let url = &public_api.base_url;
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    if host.is_empty() || !url.ends_with('/') {
        diags.push(
            public_api.pos,
            context,
            format!(
                "`base_url` must be an absolute URL (`https://host/`) ending in `/`, found `{url}`"
            ),
        );
    }
    let header = &public_api.auth_header;
    if header.is_empty()
        || !header
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        diags.push(
            public_api.pos,
            "public_api auth",
            format!(
                "`header` must be an HTTP header name (letters, digits, `-`), found `{header}`"
            ),
        );
    }
    if let Some(error) = &public_api.error {
        let is_struct = matches!(
            catalogue.type_named(&error.ty).map(|t| &t.kind),
            Some(TypeKind::Struct { .. })
        );
        if !is_struct {
            diags.push(
                error.pos,
                "public_api error",
                format!(
                    "`{}` is not a struct type of `types`: the error object decodes into one",
                    error.ty
                ),
            );
        }
        if error.at.is_empty() {
            diags.push(
                error.pos,
                "public_api error",
                "`at` names the member of an answer that holds the error",
            );
        }
    }
}

/// What concerns one REST operation; unless it was `read_whole`, a path or an example naming
/// a param it does not have is not reported (see `super::check_operation`).
pub(super) fn check_operation(
    catalogue: &Catalogue,
    op: &Operation,
    context: &str,
    read_whole: bool,
    diags: &mut Diagnostics,
) {
    if op.provenance == Provenance::Collection {
        diags.push(
            op.pos,
            context,
            "`provenance: collection` is the mobile API's Postman collection: a REST operation comes from the Swagger page (`swagger`) or is `inferred`",
        );
    }
    if let Some(http) = &op.http {
        check_route(op, http, context, read_whole, diags);
    }
    for param in &op.params {
        check_param(
            catalogue,
            param,
            &format!("{context} param `{}`", param.wire),
            diags,
        );
    }
    let first_of = |location: Location| op.params.iter().find(|p| p.location == location);
    if let (Some(form), Some(body)) = (first_of(Location::Form), first_of(Location::Body)) {
        diags.push(
            form.pos.max(body.pos),
            context,
            format!(
                "`{}` goes in a form and `{}` in a JSON body: an operation's body is one or the other",
                form.wire, body.wire
            ),
        );
    }
    let mut statuses = HashSet::new();
    for error in &op.http_errors {
        if !(400..=599).contains(&error.status) {
            diags.push(
                error.pos,
                context,
                format!(
                    "`http_errors` lists error statuses, 400 to 599; {} is not one",
                    error.status
                ),
            );
        }
        if !statuses.insert(error.status) {
            diags.push(
                error.pos,
                context,
                format!("the status {} is listed twice", error.status),
            );
        }
    }
    for example in &op.examples {
        check_example(catalogue, op, example, context, read_whole, diags);
    }
}

/// The path template must parse, and name exactly the operation's `in: path` params, once each.
fn check_route(
    op: &Operation,
    http: &HttpRoute,
    context: &str,
    read_whole: bool,
    diags: &mut Diagnostics,
) {
    let template = match PathTemplate::parse(&http.path) {
        Ok(template) => template,
        Err(message) => {
            diags.push(http.pos, context, message);
            return;
        }
    };
    let mut named = HashSet::new();
    for name in template.params() {
        if !named.insert(name) {
            diags.push(
                http.pos,
                context,
                format!("the path names `{{{name}}}` twice: each path param fills one segment"),
            );
        }
        if read_whole
            && !op
                .params
                .iter()
                .any(|p| p.wire == name && p.location == Location::Path)
        {
            diags.push(
                http.pos,
                context,
                format!(
                    "the path names `{{{name}}}`, which is not an `in: path` param of the operation"
                ),
            );
        }
    }
    for param in op.params.iter().filter(|p| p.location == Location::Path) {
        if !named.contains(param.wire.as_str()) {
            diags.push(
                param.pos,
                &format!("{context} param `{}`", param.wire),
                format!(
                    "an `in: path` param must be named in the path as `{{{}}}`; `{}` does not name it",
                    param.wire, http.path
                ),
            );
        }
    }
}

fn check_param(catalogue: &Catalogue, param: &Param, context: &str, diags: &mut Diagnostics) {
    if matches!(param.location, Location::Top | Location::Data) {
        diags.push(
            param.pos,
            context,
            "`in: top` and `in: data` are for mobile operations: a REST operation's params go in path, query, form, body or header",
        );
    }
    if param.location == Location::Path {
        if !param.required {
            diags.push(
                param.pos,
                context,
                "an `in: path` param fills a segment of the path: it must be `required: true`",
            );
        }
        if param.default.is_some() {
            diags.push(
                param.pos,
                context,
                "an `in: path` param is always given: it has no `default`",
            );
        }
    }
    if matches!(
        param.location,
        Location::Path | Location::Query | Location::Form
    ) {
        if !is_written_as_text(catalogue, &param.ty) {
            diags.push(
                param.pos,
                context,
                format!(
                    "a path, query or form value is text: `{}` is not written as text (use a scalar, an id type or an enum)",
                    param.ty
                ),
            );
        }
        if param.wire_as.is_some() {
            diags.push(
                param.pos,
                context,
                "`as` chooses a JSON form; a path, query or form value is text and has none",
            );
        }
    }
}

/// Whether values of `ty` have one text form: scalars but `json` and `file`, id types, enums.
fn is_written_as_text(catalogue: &Catalogue, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(Scalar::Json | Scalar::File) => false,
        TypeRef::Scalar(_) => true,
        TypeRef::Named(name) => matches!(
            catalogue.type_named(name).map(|t| &t.kind),
            Some(TypeKind::Id | TypeKind::Enum { .. })
        ),
        TypeRef::List(_) | TypeRef::Encoded(_) => false,
    }
}

/// A REST example shows a JSON body, an answer or both, and its body agrees with the `body`
/// params (those of an operation `read_whole`: see `check_example_request`).
fn check_example(
    catalogue: &Catalogue,
    op: &Operation,
    example: &Example,
    context: &str,
    read_whole: bool,
    diags: &mut Diagnostics,
) {
    let context = format!("{context} example `{}`", example.name);
    let pos = example.pos;
    if example.request.is_none() && example.response.is_none() {
        diags.push(
            pos,
            &context,
            "an example shows a `request`, a `response` or both",
        );
    }
    if let Some(request) = &example.request {
        check_example_request(catalogue, op, example, request, &context, read_whole, diags);
    }
    if let Some(response) = &example.response {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(response) {
            diags.push(
                pos,
                &context,
                format!("the example response is not JSON: {e}"),
            );
        }
    }
}

/// The example's body against the `body` params; of an operation not `read_whole`, a key that
/// is not one of them is not reported, nor a body when there are none.
fn check_example_request(
    catalogue: &Catalogue,
    op: &Operation,
    example: &Example,
    request: &str,
    context: &str,
    read_whole: bool,
    diags: &mut Diagnostics,
) {
    let pos = example.pos;
    let body_params = op.params_in(Location::Body);
    if body_params.is_empty() {
        if read_whole {
            diags.push(
                pos,
                context,
                "the operation has no `body` params, so no JSON body: its example has no `request`",
            );
        }
        return;
    }
    let body = match serde_json::from_str::<serde_json::Value>(request) {
        Ok(serde_json::Value::Object(body)) => body,
        Ok(_) => {
            diags.push(
                pos,
                context,
                "the example request is not a JSON object: a REST operation's JSON body is one",
            );
            return;
        }
        Err(e) => {
            diags.push(
                pos,
                context,
                format!("the example request is not JSON: {e}"),
            );
            return;
        }
    };
    let sent_name = |key: &str| {
        example
            .renamed
            .iter()
            .find(|(from, _)| from == key)
            .map_or(key.to_string(), |(_, to)| to.clone())
    };
    for (key, value) in &body {
        match body_params.iter().find(|p| p.wire == sent_name(key)) {
            Some(param) => check_sent_as(catalogue, param, value, context, diags),
            None if !read_whole => {}
            None => diags.push(
                pos,
                context,
                format!("the example sends `{key}`, which is not a `body` param of the operation"),
            ),
        }
    }
    for param in body_params.iter().filter(|p| p.required) {
        if !body.keys().any(|key| sent_name(key) == param.wire) {
            report_missing_from_example(param, context, diags);
        }
    }
    check_renamed(
        example,
        |key| body.contains_key(key),
        |name| !read_whole || body_params.iter().any(|p| p.wire == name),
        context,
        diags,
    );
}
