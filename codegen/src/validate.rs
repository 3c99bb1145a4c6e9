//! Checks that need the whole catalogue: names, references, duplicates, examples, paging.

use crate::diag::{Diagnostics, Pos};
use crate::model::*;
use crate::names::{check_snake_ident, check_type_ident, pascal_case};
use std::collections::{HashMap, HashSet};

/// Builder methods every operation has; a param may not take their names.
pub(crate) const RESERVED_PARAM_NAMES: &[&str] = &[
    "account_id",
    "send",
    "timeout",
    "retry",
    "into_request",
    "request",
    "pages",
    "items",
    "page_size",
];

/// Runs every check, adding what is wrong to `diags`.
pub fn validate(catalogue: &Catalogue, root: Pos, diags: &mut Diagnostics) {
    if catalogue.operations.is_empty() {
        diags.push(root, "", "the catalogue declares no operations");
    }
    check_types(catalogue, diags);
    let mut names: HashMap<&str, Pos> = HashMap::new();
    for op in &catalogue.operations {
        let context = format!("operation `{}`", op.name);
        if let Err(message) = check_snake_ident(&op.name) {
            diags.push(op.pos, &context, message);
        }
        if let Some(first) = names.insert(&op.name, op.pos) {
            diags.push(
                op.pos,
                &context,
                format!(
                    "duplicate operation name `{}` (first declared on line {})",
                    op.name, first.line
                ),
            );
        }
        check_operation(catalogue, op, &context, diags);
    }
    check_discriminator_clashes(catalogue, diags);
}

fn check_types(catalogue: &Catalogue, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, Pos> = HashMap::new();
    for ty in &catalogue.types {
        let context = format!("type `{}`", ty.name);
        if let Err(message) = check_type_ident(&ty.name) {
            diags.push(ty.pos, &context, message);
        }
        if let Some(first) = seen.insert(&ty.name, ty.pos) {
            diags.push(
                ty.pos,
                &context,
                format!(
                    "duplicate type name `{}` (first declared on line {})",
                    ty.name, first.line
                ),
            );
        }
        match &ty.kind {
            TypeKind::Struct { fields } => {
                let mut wires = HashSet::new();
                let mut rusts = HashSet::new();
                for field in fields {
                    let field_context = format!("{context} field `{}`", field.wire);
                    if let Err(message) = check_snake_ident(&field.rust) {
                        diags.push(field.pos, &field_context, message);
                    }
                    if field.rust == "extra" {
                        diags.push(
                            field.pos,
                            &field_context,
                            "`extra` is reserved for the fields the catalogue does not know: rename it with `rust:`",
                        );
                    }
                    if !wires.insert(&field.wire) {
                        diags.push(field.pos, &field_context, "duplicate field");
                    }
                    if !rusts.insert(&field.rust) {
                        diags.push(
                            field.pos,
                            &field_context,
                            format!("two fields have the Rust name `{}`", field.rust),
                        );
                    }
                    check_reference(
                        catalogue,
                        &field.ty,
                        field.pos,
                        &field_context,
                        false,
                        diags,
                    );
                }
            }
            TypeKind::Enum { values, .. } => {
                if values.is_empty() {
                    diags.push(ty.pos, &context, "an enum needs at least one value");
                }
                let mut wire_values = HashSet::new();
                let mut variants = HashSet::new();
                for value in values {
                    if let Err(message) = check_snake_ident(&value.name) {
                        diags.push(value.pos, &context, message);
                    }
                    let variant = pascal_case(&value.name);
                    if variant == "Unknown" {
                        diags.push(
                            value.pos,
                            &context,
                            "`unknown` is reserved for values the catalogue does not list",
                        );
                    }
                    if !variants.insert(variant) {
                        diags.push(
                            value.pos,
                            &context,
                            format!("duplicate value name `{}`", value.name),
                        );
                    }
                    if !wire_values.insert(&value.value) {
                        diags.push(
                            value.pos,
                            &context,
                            format!("duplicate value `{}`", value.value),
                        );
                    }
                }
            }
        }
    }
}

fn check_reference(
    catalogue: &Catalogue,
    ty: &TypeRef,
    pos: Pos,
    context: &str,
    file_allowed: bool,
    diags: &mut Diagnostics,
) {
    if let Some(name) = ty.named() {
        if catalogue.type_named(name).is_none() {
            diags.push(
                pos,
                context,
                format!("type `{name}` is not declared under `types`"),
            );
        }
    }
    if ty.scalar() == Some(Scalar::File) && !file_allowed {
        diags.push(
            pos,
            context,
            "`file` is for params of `body: multipart` operations only",
        );
    }
}

fn check_operation(catalogue: &Catalogue, op: &Operation, context: &str, diags: &mut Diagnostics) {
    if op.discriminators.is_empty() {
        diags.push(op.pos, context, "`discriminators` must give at least `op`");
    }
    let mut wires = HashSet::new();
    let mut rusts = HashSet::new();
    for param in &op.params {
        let param_context = format!("{context} param `{}`", param.wire);
        if let Err(message) = check_snake_ident(&param.rust) {
            diags.push(param.pos, &param_context, message);
        }
        if RESERVED_PARAM_NAMES.contains(&param.rust.as_str()) {
            diags.push(
                param.pos,
                &param_context,
                format!(
                    "`{}` is the name of a builder method: choose another with `rust:`",
                    param.rust
                ),
            );
        }
        if !wires.insert((param.location == Location::Header, &param.wire)) {
            diags.push(param.pos, &param_context, "duplicate param");
        }
        if !rusts.insert(&param.rust) {
            diags.push(
                param.pos,
                &param_context,
                format!("two params have the Rust name `{}`", param.rust),
            );
        }
        let written_by_runtime = ["data", "account_id", "op", "op1", "op2", "op3"];
        if param.location == Location::Top && written_by_runtime.contains(&param.wire.as_str()) {
            diags.push(
                param.pos,
                &param_context,
                format!(
                    "`{}` is written by the runtime and cannot be a param",
                    param.wire
                ),
            );
        }
        let file_allowed = op.body == BodyEncoding::Multipart;
        check_reference(
            catalogue,
            &param.ty,
            param.pos,
            &param_context,
            file_allowed,
            diags,
        );
        if param.location == Location::Header {
            let text_like = match &param.ty {
                TypeRef::Scalar(Scalar::String) => true,
                TypeRef::Named(name) => matches!(
                    catalogue.type_named(name).map(|t| &t.kind),
                    Some(TypeKind::Enum {
                        repr: EnumRepr::String,
                        ..
                    })
                ),
                _ => false,
            };
            if !text_like {
                diags.push(
                    param.pos,
                    &param_context,
                    "a header param must be a string or a string enum",
                );
            }
        }
    }
    if let Some(response) = &op.response {
        check_reference(catalogue, response, op.pos, context, false, diags);
    }
    if let Some(paging) = &op.paging {
        let paging_context = format!("{context} paging");
        for name in [&paging.offset, &paging.limit] {
            match op.param(name) {
                Some(p) if p.ty == TypeRef::Scalar(Scalar::Integer) && !p.required => {}
                Some(p) => diags.push(
                    p.pos,
                    &paging_context,
                    format!("paging param `{name}` must be an optional `integer`"),
                ),
                None => diags.push(
                    paging.pos,
                    &paging_context,
                    format!(
                        "paging names the param `{name}`, which the operation does not declare"
                    ),
                ),
            }
        }
        if !matches!(op.response, Some(TypeRef::List(_))) {
            diags.push(
                paging.pos,
                &paging_context,
                "a paged operation's `response` must be a list<T>",
            );
        }
        if paging.default_limit > paging.max_limit {
            diags.push(
                paging.pos,
                &paging_context,
                "`default_limit` is larger than `max_limit`",
            );
        }
    }
    if op.session == Some(SessionEffect::Start) {
        let has_token = match &op.response {
            Some(TypeRef::Named(name)) => match catalogue.type_named(name).map(|t| &t.kind) {
                Some(TypeKind::Struct { fields }) => fields.iter().any(|f| {
                    f.rust == "token" && f.required && f.ty == TypeRef::Scalar(Scalar::String)
                }),
                _ => false,
            },
            _ => false,
        };
        if !has_token {
            diags.push(
                op.pos,
                context,
                "`session: start` needs a response type with a required string field `token`",
            );
        }
    }
    let has_file = op
        .params
        .iter()
        .any(|p| p.ty.scalar() == Some(Scalar::File));
    if op.body == BodyEncoding::Multipart && !has_file {
        diags.push(
            op.pos,
            context,
            "a `body: multipart` operation needs a `file` param",
        );
    }
    match (&op.example, op.provenance) {
        (None, Provenance::Documented) => diags.push(
            op.pos,
            context,
            "a documented operation must carry its `example` (request and response, verbatim from the docs)",
        ),
        (Some(example), _) => check_example(op, example, context, diags),
        (None, Provenance::Inferred) => {}
    }
}

/// A documented example must agree with the operation it documents.
fn check_example(op: &Operation, example: &Example, context: &str, diags: &mut Diagnostics) {
    let context = format!("{context} example");
    let request = match example.request_json(1) {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(_) => {
            diags.push(
                example.pos,
                &context,
                "the example request is not a JSON object",
            );
            return;
        }
        Err(e) => {
            diags.push(
                example.pos,
                &context,
                format!("the example request is not JSON: {e}"),
            );
            return;
        }
    };
    for (key, value) in &op.discriminators {
        if request.get(key).and_then(|v| v.as_str()) != Some(value.as_str()) {
            diags.push(
                example.pos,
                &context,
                format!("the example request does not send `{key}: {value}`"),
            );
        }
    }
    let scoped = op.scope == Scope::Account;
    if request.contains_key("account_id") != scoped {
        let message = if scoped {
            "the operation is account-scoped but the example request has no `account_id`"
        } else {
            "the example request sends `account_id` but the operation has `scope: none`"
        };
        diags.push(example.pos, &context, message);
    }
    for (key, value) in &request {
        if key == "account_id" || op.discriminators.iter().any(|(k, _)| k == key) {
            continue;
        }
        if key == "data" {
            let Some(data) = value.as_object() else {
                diags.push(
                    example.pos,
                    &context,
                    "the example's `data` is not an object",
                );
                continue;
            };
            for data_key in data.keys() {
                let declared = op
                    .params
                    .iter()
                    .any(|p| p.location == Location::Data && &p.wire == data_key);
                if !declared {
                    diags.push(
                        example.pos,
                        &context,
                        format!("the example sends `data.{data_key}`, which is not a declared `data` param"),
                    );
                }
            }
            continue;
        }
        match op.param(key) {
            Some(param) if param.location == Location::Top => {
                let sent_as = if value.is_string() {
                    WireAs::String
                } else {
                    WireAs::Number
                };
                let numeric = param.ty.scalar().is_some_and(Scalar::is_numeric);
                if numeric && sent_as != param.wire_as {
                    diags.push(
                        param.pos,
                        &context,
                        format!(
                            "the example sends `{key}` as a {}, but the param says `as: {}`",
                            if sent_as == WireAs::String {
                                "string"
                            } else {
                                "number"
                            },
                            if param.wire_as == WireAs::String {
                                "string"
                            } else {
                                "number"
                            },
                        ),
                    );
                }
            }
            _ => diags.push(
                example.pos,
                &context,
                format!("the example sends `{key}`, which is not a declared top-level param"),
            ),
        }
    }
    for param in op.params.iter().filter(|p| p.required) {
        let present = match param.location {
            Location::Top => request.contains_key(&param.wire),
            Location::Data => request
                .get("data")
                .and_then(|d| d.get(&param.wire))
                .is_some(),
            Location::Header => true,
        };
        if !present {
            diags.push(
                param.pos,
                &context,
                format!(
                    "required param `{}` is missing from the example request",
                    param.wire
                ),
            );
        }
    }
    let sends_token = example
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("X-ACCESS-TOKEN"));
    if sends_token != (op.auth == Auth::Token) && !example.headers.is_empty() {
        diags.push(
            example.pos,
            &context,
            if sends_token {
                "the example sends X-ACCESS-TOKEN but the operation has `auth: none`"
            } else {
                "the operation has `auth: token` but the example sends no X-ACCESS-TOKEN"
            },
        );
    }
    if let Some(response) = &example.response {
        match serde_json::from_str::<serde_json::Value>(response) {
            Ok(value) if value.get("status").is_some() => {}
            Ok(_) => diags.push(
                example.pos,
                &context,
                "the example response has no `status`: it is not an envelope",
            ),
            Err(e) => diags.push(
                example.pos,
                &context,
                format!("the example response is not JSON: {e}"),
            ),
        }
    }
}

/// Two operations that send the same discriminators must differ in their required params.
fn check_discriminator_clashes(catalogue: &Catalogue, diags: &mut Diagnostics) {
    let mut seen: HashMap<(&Discriminators, Vec<String>), &Operation> = HashMap::new();
    for op in &catalogue.operations {
        let key = (&op.discriminators, op.required_paths());
        if let Some(first) = seen.get(&key) {
            let discriminators: Vec<String> = op
                .discriminators
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            diags.push(
                op.pos,
                &format!("operation `{}`", op.name),
                format!(
                    "sends the same discriminators ({}) as `{}` (line {}) and nothing tells them apart: give one of them a required param the other does not have",
                    discriminators.join(", "),
                    first.name,
                    first.pos.line
                ),
            );
        } else {
            seen.insert(key, op);
        }
    }
}
