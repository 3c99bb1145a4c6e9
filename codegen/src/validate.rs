//! Checks that need the whole catalogue: names, references, duplicates, examples, paging.

mod rest;

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::model::*;
use crate::names::{check_snake_ident, check_type_ident, pascal_case};
use std::collections::{HashMap, HashSet};

/// Builder methods every operation has; a param may not take their names.
pub(crate) const RESERVED_PARAM_NAMES: &[&str] = &[
    "account_id",
    "send",
    "timeout",
    "deadline",
    "retry",
    "into_request",
    "request",
    "pages",
    "items",
    "page_size",
    "max_pages",
];

/// The names of the operations that `diagnostics` (reading's) are about: their context is the
/// operation (`operation `get_order``) or a part of it (`operation `get_order` param `id``).
pub fn operations_named_in(diagnostics: &[Diagnostic]) -> HashSet<String> {
    diagnostics
        .iter()
        .filter_map(|d| d.context.strip_prefix("operation `")?.split_once('`'))
        .map(|(name, _)| name.to_owned())
        .collect()
}

/// Runs every check, adding what is wrong to `diags`. `read_wrong` names the operations that
/// reading found wrong: what was wrong was left out of them (a param whose `required` is
/// neither true nor false), so the checks that would only report its absence skip them.
pub fn validate(catalogue: &Catalogue, read_wrong: &HashSet<String>, diags: &mut Diagnostics) {
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
        let read_whole = !read_wrong.contains(&op.name);
        check_operation(catalogue, op, &context, read_whole, diags);
    }
    check_discriminator_clashes(catalogue, read_wrong, diags);
    rest::check_catalogue(catalogue, diags);
    if let Some(realtime) = &catalogue.realtime {
        check_realtime(catalogue, realtime, diags);
    }
    check_errors(&catalogue.errors, diags);
}

/// The error table: each code and each name once, names snake_case identifiers, field paths
/// dotted wire names.
fn check_errors(errors: &[ErrorCode], diags: &mut Diagnostics) {
    let mut codes: HashMap<i64, Pos> = HashMap::new();
    let mut names: HashMap<&str, Pos> = HashMap::new();
    for error in errors {
        let context = format!("error {}", error.code);
        if let Some(first) = codes.insert(error.code, error.pos) {
            diags.push(
                error.pos,
                &context,
                format!(
                    "duplicate error code (first declared on line {})",
                    first.line
                ),
            );
        }
        if let Err(message) = check_snake_ident(&error.name) {
            diags.push(error.pos, &context, message);
        }
        if let Some(first) = names.insert(&error.name, error.pos) {
            diags.push(
                error.pos,
                &context,
                format!(
                    "duplicate error name `{}` (first declared on line {})",
                    error.name, first.line
                ),
            );
        }
        for (path, _) in &error.fields {
            let wire_name = |part: &str| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            };
            if !path.split('.').all(wire_name) {
                diags.push(
                    error.pos,
                    &context,
                    format!("field `{path}` is not a dotted path of wire names (`data.ref`)"),
                );
            }
        }
    }
}

fn check_realtime(catalogue: &Catalogue, realtime: &Realtime, diags: &mut Diagnostics) {
    let struct_fields = |ty: &TypeRef| -> Option<&Vec<Field>> {
        match catalogue.type_named(ty.named()?).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields }) if matches!(ty, TypeRef::Named(_)) => Some(fields),
            _ => None,
        }
    };
    // An operation whose answer is read, called with no argument; `text` when what it reads
    // must be a string.
    let lookup = |what: &str, lookup: &Lookup, text: bool, diags: &mut Diagnostics| {
        let context = format!("realtime {what}");
        let Some(op) = catalogue.operation_named(&lookup.operation) else {
            diags.push(
                lookup.pos,
                &context,
                format!(
                    "`{}` is not an operation of the catalogue",
                    lookup.operation
                ),
            );
            return;
        };
        if op.params.iter().any(|p| p.required) {
            diags.push(
                lookup.pos,
                &context,
                format!(
                    "`{}` has required params: a lookup is called without any",
                    op.name
                ),
            );
        }
        let Some(answer) = op
            .response
            .as_ref()
            .filter(|ty| struct_fields(ty).is_some())
        else {
            diags.push(
                lookup.pos,
                &context,
                format!("`{}` does not answer a struct to read from", op.name),
            );
            return;
        };
        for path in &lookup.paths {
            match catalogue.field_path(answer, path) {
                Err(why) => diags.push(
                    lookup.pos,
                    &context,
                    format!("`{}`'s answer has no `{path}`: {why}", op.name),
                ),
                Ok(fields) if text && !fields.last().is_some_and(|f| is_text(&f.ty)) => diags.push(
                    lookup.pos,
                    &context,
                    format!("`{path}` of `{}`'s answer must be a string", op.name),
                ),
                Ok(_) => {}
            }
        }
        if lookup.paths.is_empty() {
            diags.push(lookup.pos, &context, "name at least one field to read");
        }
    };
    lookup("url", &realtime.url, true, diags);
    lookup("user", &realtime.user, false, diags);
    let contact = &realtime.contact;
    match catalogue.operation_named(&contact.operation) {
        None => diags.push(
            contact.pos,
            "realtime contact",
            format!(
                "`{}` is not an operation of the catalogue",
                contact.operation
            ),
        ),
        Some(op) => {
            let required: Vec<&str> = op
                .params
                .iter()
                .filter(|p| p.required)
                .map(|p| p.wire.as_str())
                .collect();
            if required != [contact.param.as_str()] {
                diags.push(
                    contact.pos,
                    "realtime contact",
                    format!(
                        "`{}` must take the contact as its only required param `{}` (its required params: {})",
                        op.name,
                        contact.param,
                        required.join(", ")
                    ),
                );
            }
            if let Some(fields) = op.response.as_ref().and_then(struct_fields) {
                for name in [&contact.hash, &contact.channel, &contact.last_interaction] {
                    if !fields.iter().any(|f| &f.wire == name) {
                        diags.push(
                            contact.pos,
                            "realtime contact",
                            format!("`{}`'s answer has no field `{name}`", op.name),
                        );
                    }
                }
                let last = fields.iter().find(|f| f.wire == contact.last_interaction);
                if last.is_some_and(|f| !is_epoch_time(&f.ty)) {
                    diags.push(
                        contact.pos,
                        "realtime contact",
                        format!(
                            "`{}` must be a time since 1970 (millis, seconds, or an integer or string of milliseconds)",
                            contact.last_interaction
                        ),
                    );
                }
            } else {
                diags.push(
                    contact.pos,
                    "realtime contact",
                    format!("`{}` does not answer a struct", op.name),
                );
            }
        }
    }
    if let Some(upload) = &realtime.upload {
        match catalogue.operation_named(&upload.operation) {
            None => diags.push(
                upload.pos,
                "realtime upload",
                format!(
                    "`{}` is not an operation of the catalogue",
                    upload.operation
                ),
            ),
            Some(op) => {
                let roles = [&upload.kind, &upload.contact, &upload.file];
                for param in op.params.iter().filter(|p| p.required) {
                    if !roles.contains(&&param.wire) && upload.name.as_ref() != Some(&param.wire) {
                        diags.push(
                            upload.pos,
                            "realtime upload",
                            format!(
                                "`{}` needs `{}`, which the upload does not give (kind, contact, file, name)",
                                op.name, param.wire
                            ),
                        );
                    }
                }
                for role in roles.into_iter().chain(&upload.name) {
                    if op.param(role).is_none() {
                        diags.push(
                            upload.pos,
                            "realtime upload",
                            format!("`{}` has no param `{role}`", op.name),
                        );
                    }
                }
                let url = op
                    .response
                    .as_ref()
                    .ok_or_else(|| "it answers nothing".to_owned())
                    .and_then(|answer| catalogue.field_path(answer, &upload.url));
                match url {
                    Err(why) => diags.push(
                        upload.pos,
                        "realtime upload",
                        format!("`{}`'s answer has no `{}`: {why}", op.name, upload.url),
                    ),
                    Ok(fields) if !fields.last().is_some_and(|f| is_text(&f.ty)) => diags.push(
                        upload.pos,
                        "realtime upload",
                        format!(
                            "`{}` of `{}`'s answer must be a string",
                            upload.url, op.name
                        ),
                    ),
                    Ok(_) => {}
                }
            }
        }
    }
    for way in &realtime.past_window {
        let context = "realtime past_window";
        match catalogue.operation_named(&way.operation) {
            None => diags.push(
                way.pos,
                context,
                format!("`{}` is not an operation of the catalogue", way.operation),
            ),
            Some(op) if op.kind != OperationKind::Write => diags.push(
                way.pos,
                context,
                format!(
                    "`{}` is a read: the way past a window sends something",
                    op.name
                ),
            ),
            Some(_) => {}
        }
        let window = realtime
            .reply_windows
            .iter()
            .find(|(channel, _)| *channel == way.channel);
        if !matches!(window, Some((_, hours)) if *hours > 0) {
            diags.push(
                way.pos,
                context,
                format!(
                    "channel {} has no reply window in `reply_windows` to be past",
                    way.channel
                ),
            );
        }
    }
    for frame in RealtimeFrame::ALL {
        if realtime.frame(frame.spelling()).is_none() {
            diags.push(
                realtime.pos,
                "realtime frames",
                format!(
                    "the frame `{frame}` is missing (the frames are: {})",
                    RealtimeFrame::expected()
                ),
            );
        }
    }
    for frame in &realtime.frames {
        let context = format!("realtime frame `{}`", frame.name);
        if RealtimeFrame::from_spelling(&frame.name).is_none() {
            diags.push(
                frame.pos,
                &context,
                format!(
                    "unknown frame: the frames are {}",
                    RealtimeFrame::expected()
                ),
            );
        }
        let fields = struct_fields(&TypeRef::Named(frame.data.clone()));
        match (fields, &frame.template) {
            (None, _) => diags.push(
                frame.pos,
                &context,
                format!("`{}` is not a struct type of `types`", frame.data),
            ),
            (Some(fields), serde_json::Value::Object(template)) => {
                for key in template.keys() {
                    if !fields.iter().any(|f| &f.wire == key) {
                        diags.push(
                            frame.pos,
                            &context,
                            format!(
                                "the template sends `{key}`, which `{}` does not declare",
                                frame.data
                            ),
                        );
                    }
                }
            }
            (Some(_), _) => diags.push(frame.pos, &context, "the template must be a mapping"),
        }
        check_placeholders(&frame.template, frame.pos, &context, diags);
    }
    for (name, template) in &realtime.parts {
        let context = format!("realtime part `{name}`");
        if RealtimePart::from_spelling(name).is_none() {
            diags.push(
                realtime.pos,
                &context,
                format!("unknown part: the parts are {}", RealtimePart::expected()),
            );
        }
        if !template.is_object() {
            diags.push(realtime.pos, &context, "a part template must be a mapping");
        }
        check_placeholders(template, realtime.pos, &context, diags);
    }
    match catalogue.type_named(&realtime.events.ty).map(|t| &t.kind) {
        Some(TypeKind::Union(_) | TypeKind::Struct { .. }) => {}
        _ => diags.push(
            realtime.events.pos,
            "realtime events",
            format!(
                "`{}` is not a union or struct type of `types`",
                realtime.events.ty
            ),
        ),
    }
}

/// Whether values of `ty` are text the realtime client can use as it is (a URL).
fn is_text(ty: &TypeRef) -> bool {
    *ty == TypeRef::Scalar(Scalar::String)
}

/// Whether values of `ty` are times the realtime client reads as milliseconds since 1970.
fn is_epoch_time(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Scalar(Scalar::Millis | Scalar::Seconds | Scalar::Integer | Scalar::String)
    )
}

/// Every `{name}` in a template's strings must be a known placeholder.
fn check_placeholders(
    template: &serde_json::Value,
    pos: Pos,
    context: &str,
    diags: &mut Diagnostics,
) {
    match template {
        serde_json::Value::String(text) => {
            let mut rest = text.as_str();
            while let Some(start) = rest.find('{') {
                let Some(end) = rest[start..].find('}') else {
                    break;
                };
                let name = &rest[start + 1..start + end];
                if Placeholder::from_spelling(name).is_none() {
                    diags.push(
                        pos,
                        context,
                        format!(
                            "unknown placeholder `{{{name}}}` (known: {})",
                            Placeholder::expected()
                        ),
                    );
                }
                rest = &rest[start + end + 1..];
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                check_placeholders(item, pos, context, diags);
            }
        }
        serde_json::Value::Object(map) => {
            for value in map.values() {
                check_placeholders(value, pos, context, diags);
            }
        }
        _ => {}
    }
}

/// A struct's `row` names fields it has, each once.
fn check_row(row: &[RowField], fields: &[Field], context: &str, diags: &mut Diagnostics) {
    let mut named = HashSet::new();
    for field in row {
        if !named.insert(field.wire.as_str()) {
            diags.push(
                field.pos,
                context,
                format!("`row` names the field `{}` twice", field.wire),
            );
        } else if !fields.iter().any(|f| f.wire == field.wire) {
            let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
            diags.push(
                field.pos,
                context,
                format!(
                    "`row` names `{}`, which is not a field of the type (its fields: {})",
                    field.wire,
                    known.join(", ")
                ),
            );
        }
    }
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
                    check_wire_as(
                        catalogue,
                        &field.ty,
                        field.wire_as,
                        field.pos,
                        &field_context,
                        diags,
                    );
                    if nests_scalar_lists(&field.ty) {
                        diags.push(
                            field.pos,
                            &field_context,
                            "a list of lists of scalars is not supported in a struct field (the \
                             runtime reads scalar lists one level deep): use `list<json>` or a \
                             struct for the inner items",
                        );
                    }
                }
                check_row(&ty.row, fields, &context, diags);
            }
            TypeKind::Id => {}
            TypeKind::Union(union) => check_union(catalogue, union, ty.pos, &context, diags),
            TypeKind::Enum { values, .. } => {
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

fn check_union(
    catalogue: &Catalogue,
    union: &Union,
    pos: Pos,
    context: &str,
    diags: &mut Diagnostics,
) {
    let mut names = HashSet::new();
    for variant in &union.variants {
        let variant_context = format!("{context} variant `{}`", variant.tag_value);
        if let Err(message) = check_snake_ident(&variant.name) {
            diags.push(variant.pos, &variant_context, message);
        }
        if pascal_case(&variant.name) == "Unknown" {
            diags.push(
                variant.pos,
                &variant_context,
                "`unknown` is reserved for the objects the catalogue does not list",
            );
        }
        if !names.insert(pascal_case(&variant.name)) {
            diags.push(
                variant.pos,
                &variant_context,
                format!("duplicate variant name `{}`", variant.name),
            );
        }
        match catalogue.type_named(&variant.ty).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields }) => {
                if fields.iter().any(|f| f.wire == union.tag) {
                    diags.push(
                        variant.pos,
                        &variant_context,
                        format!(
                            "`{}` declares the tag `{}` as a field: the union writes the tag itself",
                            variant.ty, union.tag
                        ),
                    );
                }
            }
            Some(_) => diags.push(
                variant.pos,
                &variant_context,
                format!(
                    "`{}` is not a struct type: a variant's type must be one",
                    variant.ty
                ),
            ),
            None => diags.push(
                variant.pos,
                &variant_context,
                format!("type `{}` is not declared under `types`", variant.ty),
            ),
        }
    }
    if let Some(default) = &union.default {
        if !union.variants.iter().any(|v| &v.tag_value == default) {
            diags.push(
                pos,
                context,
                format!("`default` names `{default}`, which is not a variant"),
            );
        }
    }
    for (member, tag_value) in &union.by_member {
        let Some(variant) = union.variants.iter().find(|v| &v.tag_value == tag_value) else {
            diags.push(
                pos,
                context,
                format!("`by_member` names `{tag_value}` for `{member}`, which is not a variant"),
            );
            continue;
        };
        if let Some(TypeKind::Struct { fields }) =
            catalogue.type_named(&variant.ty).map(|t| &t.kind)
        {
            if !fields.iter().any(|f| &f.wire == member) {
                diags.push(
                    pos,
                    context,
                    format!(
                        "`by_member` tells `{tag_value}` by `{member}`, which `{}` does not declare",
                        variant.ty
                    ),
                );
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
    if has_encoded_items(ty) {
        diags.push(
            pos,
            context,
            "`encoded<T>` is for a field or param itself, not the items of a list",
        );
    }
    if ty.scalar() == Some(Scalar::File) && !file_allowed {
        diags.push(
            pos,
            context,
            "`file` is for params of `body: multipart` operations only",
        );
    }
}

/// Whether `ty` is a list whose items are lists of scalars (`list<list<string>>`), which the
/// runtime's record codec does not read in a struct field.
fn nests_scalar_lists(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::List(inner) | TypeRef::Encoded(inner) => match &**inner {
            TypeRef::List(item) => {
                matches!(**item, TypeRef::Scalar(_)) || nests_scalar_lists(inner)
            }
            other => nests_scalar_lists(other),
        },
        TypeRef::Scalar(_) | TypeRef::Named(_) => false,
    }
}

/// Whether a list anywhere in `ty` has `encoded<T>` items (`list<encoded<T>>`,
/// `list<list<encoded<T>>>`, `encoded<list<encoded<T>>>`).
fn has_encoded_items(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::List(inner) => matches!(**inner, TypeRef::Encoded(_)) || has_encoded_items(inner),
        TypeRef::Encoded(inner) => has_encoded_items(inner),
        TypeRef::Scalar(_) | TypeRef::Named(_) => false,
    }
}

/// The checks of one operation. `read_whole`: reading found nothing wrong in it; when it did,
/// a param, a constant or a discriminator may have been left out of it (`params:` written as a
/// list), and the checks that would only report its absence (an example sending a key that
/// is not a param, a path naming one) skip it: the reading's error says what is wrong.
fn check_operation(
    catalogue: &Catalogue,
    op: &Operation,
    context: &str,
    read_whole: bool,
    diags: &mut Diagnostics,
) {
    let mut wires = HashSet::new();
    let mut rusts = HashSet::new();
    for param in &op.params {
        let param_context = format!("{context} param `{}`", param.wire);
        check_param(catalogue, op, param, &param_context, diags);
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
    }
    check_constants(op, context, diags);
    if let Some(response) = &op.response {
        check_reference(catalogue, response, op.pos, context, false, diags);
    }
    let response_struct = match &op.response {
        Some(TypeRef::Named(name)) => match catalogue.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields }) => Some(fields),
            _ => None,
        },
        _ => None,
    };
    if op.response_in == ResponseIn::Envelope && response_struct.is_none() {
        diags.push(
            op.pos,
            context,
            "`response_in: envelope` needs a `response` that is a struct type: the answer's keys are its fields",
        );
    }
    if let Some(paging) = &op.paging {
        check_paging(
            op,
            paging,
            response_struct.map(Vec::as_slice),
            context,
            diags,
        );
    }
    if op.session == Some(SessionEffect::Start) {
        let has_token = response_struct.is_some_and(|fields| {
            fields
                .iter()
                .any(|f| f.rust == "token" && f.required && f.ty == TypeRef::Scalar(Scalar::String))
        });
        if !has_token {
            diags.push(
                op.pos,
                context,
                "`session: start` needs a response type with a required string field `token`",
            );
        }
    }
    let has_file = op.params.iter().any(Param::is_file);
    if op.body == BodyEncoding::Multipart && !has_file {
        diags.push(
            op.pos,
            context,
            "a `body: multipart` operation needs a `file` param",
        );
    }
    if op.provenance == Provenance::Collection && op.examples.is_empty() && !op.is_rest() {
        diags.push(
            op.pos,
            context,
            "an operation from the collection must carry its `examples` (requests and answers, verbatim)",
        );
    }
    if op.is_rest() {
        rest::check_operation(catalogue, op, context, read_whole, diags);
        return;
    }
    check_mobile_only(op, context, diags);
    for example in &op.examples {
        check_example(catalogue, op, example, context, read_whole, diags);
    }
}

/// What a mobile operation may not have: the public API's provenance and param locations.
fn check_mobile_only(op: &Operation, context: &str, diags: &mut Diagnostics) {
    if op.provenance == Provenance::Swagger {
        diags.push(
            op.pos,
            context,
            "`provenance: swagger` is for REST operations (`api: public`): a mobile operation comes from the collection or is inferred",
        );
    }
    for param in op.params.iter().filter(|p| p.location.is_rest_only()) {
        diags.push(
            param.pos,
            &format!("{context} param `{}`", param.wire),
            "this `in` is for REST operations (`api: public`): a mobile operation's params go in top, data or header",
        );
    }
}

fn check_param(
    catalogue: &Catalogue,
    op: &Operation,
    param: &Param,
    context: &str,
    diags: &mut Diagnostics,
) {
    if let Err(message) = check_snake_ident(&param.rust) {
        diags.push(param.pos, context, message);
    }
    if RESERVED_PARAM_NAMES.contains(&param.rust.as_str()) {
        diags.push(
            param.pos,
            context,
            format!(
                "`{}` is the name of a builder method: choose another with `rust:`",
                param.rust
            ),
        );
    }
    if param.location == Location::Top
        && ["data", "account_id", "op"].contains(&param.wire.as_str())
    {
        diags.push(
            param.pos,
            context,
            format!(
                "`{}` is written by the runtime and cannot be a param",
                param.wire
            ),
        );
    }
    if param.is_discriminator() {
        check_discriminator_param(catalogue, op, param, context, diags);
    }
    check_reference(
        catalogue,
        &param.ty,
        param.pos,
        context,
        op.body == BodyEncoding::Multipart,
        diags,
    );
    if param.location == Location::Header && !is_text_like(catalogue, &param.ty) {
        diags.push(
            param.pos,
            context,
            "a header param must be a string or a string enum",
        );
    }
    if param.default.is_some() {
        if param.required {
            diags.push(
                param.pos,
                context,
                "a required param cannot have a `default`: it is always set",
            );
        }
        if param.location == Location::Header || param.is_file() {
            diags.push(param.pos, context, "only body params can have a `default`");
        }
    }
    check_wire_as(
        catalogue,
        &param.ty,
        param.wire_as,
        param.pos,
        context,
        diags,
    );
}

/// A param's or a field's `as`: `number` only where the value has a number form.
fn check_wire_as(
    catalogue: &Catalogue,
    ty: &TypeRef,
    wire_as: Option<WireAs>,
    pos: Pos,
    context: &str,
    diags: &mut Diagnostics,
) {
    if wire_as == Some(WireAs::Number) && catalogue.natural_form(ty) == NaturalForm::Other {
        diags.push(
            pos,
            context,
            format!(
                "`as: number` is for numbers, booleans, ids and times; a `{ty}` cannot be sent as a number"
            ),
        );
    }
}

/// A discriminator the caller chooses: a required top-level string enum in place of the key.
fn check_discriminator_param(
    catalogue: &Catalogue,
    op: &Operation,
    param: &Param,
    context: &str,
    diags: &mut Diagnostics,
) {
    let string_enum = matches!(
        param
            .ty
            .named()
            .and_then(|n| catalogue.type_named(n))
            .map(|t| &t.kind),
        Some(TypeKind::Enum {
            repr: EnumRepr::String,
            ..
        })
    ) && matches!(param.ty, TypeRef::Named(_));
    if !param.required || !string_enum {
        diags.push(
            param.pos,
            context,
            format!(
                "a param named `{}` carries the discriminator the caller chooses: it must be a required string enum",
                param.wire
            ),
        );
    }
    if op.discriminators.iter().any(|(k, _)| *k == param.wire) {
        diags.push(
            param.pos,
            context,
            format!(
                "`{}` is both a discriminator and a param: keep one",
                param.wire
            ),
        );
    }
    let index = CALLER_DISCRIMINATORS
        .iter()
        .position(|k| *k == param.wire)
        .unwrap_or(0);
    let before = ["op", "op1", "op2"][index];
    if !op.discriminators.iter().any(|(k, _)| k == before) {
        diags.push(
            param.pos,
            context,
            format!(
                "the discriminator `{}` is chosen by the caller, but `{before}` is not given",
                param.wire
            ),
        );
    }
}

fn is_text_like(catalogue: &Catalogue, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(Scalar::String) => true,
        TypeRef::Named(name) => matches!(
            catalogue.type_named(name).map(|t| &t.kind),
            Some(TypeKind::Enum {
                repr: EnumRepr::String,
                ..
            })
        ),
        _ => false,
    }
}

fn check_constants(op: &Operation, context: &str, diags: &mut Diagnostics) {
    let mut seen = HashSet::new();
    for constant in &op.constants {
        let constant_context = format!("{context} constant `{}`", constant.path);
        let (location, key) = constant.location();
        if key.is_empty() || key.contains('.') {
            diags.push(
                constant.pos,
                &constant_context,
                "a constant is a top-level key (`me`) or a key of `data` (`data.fb_id`)",
            );
            continue;
        }
        if location == Location::Top && ["op", "op1", "op2", "op3", "data"].contains(&key) {
            diags.push(
                constant.pos,
                &constant_context,
                format!("`{key}` is written by the runtime and cannot be a constant"),
            );
        }
        if location == Location::Top && key == "account_id" && op.scope == Scope::Account {
            diags.push(
                constant.pos,
                &constant_context,
                "an account-scoped operation sends its account: `account_id` can be a constant only with `scope: none`",
            );
        }
        if op
            .params
            .iter()
            .any(|p| p.location == location && p.wire == key)
        {
            diags.push(
                constant.pos,
                &constant_context,
                "this key is also a param: a key is either set by the caller or constant",
            );
        }
        if !seen.insert(&constant.path) {
            diags.push(constant.pos, &constant_context, "duplicate constant");
        }
    }
}

fn check_paging(
    op: &Operation,
    paging: &Paging,
    response_struct: Option<&[Field]>,
    context: &str,
    diags: &mut Diagnostics,
) {
    let paging_context = format!("{context} paging");
    let (location, where_) = if op.is_rest() {
        (Location::Query, "query")
    } else {
        (Location::Top, "top-level")
    };
    for name in [&paging.offset, &paging.limit] {
        match op.param(name) {
            Some(p)
                if p.ty == TypeRef::Scalar(Scalar::Integer)
                    && !p.required
                    && p.location == location => {}
            Some(p) => diags.push(
                p.pos,
                &paging_context,
                format!("paging param `{name}` must be an optional {where_} `integer`"),
            ),
            None => diags.push(
                paging.pos,
                &paging_context,
                format!("paging names the param `{name}`, which the operation does not declare"),
            ),
        }
    }
    match (&op.response, &paging.items, response_struct) {
        (Some(TypeRef::List(_)), None, _) => {}
        (_, Some(items), Some(fields)) => {
            if !fields
                .iter()
                .any(|f| &f.wire == items && matches!(f.ty, TypeRef::List(_)))
            {
                diags.push(
                    paging.pos,
                    &paging_context,
                    format!("`items` names `{items}`, which is not a list field of the response"),
                );
            }
        }
        (Some(TypeRef::List(_)), Some(_), _) => diags.push(
            paging.pos,
            &paging_context,
            "`items` is for a struct response; a list response is the page's items itself",
        ),
        _ => diags.push(
            paging.pos,
            &paging_context,
            "a paged operation's `response` must be a list<T>, or a struct whose list field `items` names",
        ),
    }
    for name in &paging.first_page_only {
        match op.param(name) {
            Some(p) if name == &paging.offset || name == &paging.limit || p.required => diags.push(
                p.pos,
                &paging_context,
                format!("`first_page_only` names `{name}`: an optional param other than the offset and the page size is needed"),
            ),
            Some(_) => {}
            None => diags.push(
                paging.pos,
                &paging_context,
                format!("`first_page_only` names the param `{name}`, which the operation does not declare"),
            ),
        }
    }
    if paging.default_limit > paging.max_limit {
        diags.push(
            paging.pos,
            &paging_context,
            "`default_limit` is larger than `max_limit`",
        );
    }
}

/// An example must agree with the operation it shows. Unless the operation was `read_whole`,
/// a key it sends that is not a param is not reported (the param may be what reading left
/// out).
fn check_example(
    catalogue: &Catalogue,
    op: &Operation,
    example: &Example,
    context: &str,
    read_whole: bool,
    diags: &mut Diagnostics,
) {
    let context = format!("{context} example `{}`", example.name);
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
    if let Some(param) = op.discriminator_param() {
        let values = enum_values(catalogue, &param.ty);
        match request.get(&param.wire).and_then(|v| v.as_str()) {
            Some(sent) if values.iter().any(|v| v == sent) => {}
            sent => diags.push(
                example.pos,
                &context,
                format!(
                    "the example sends `{}: {}`, which is not a value of `{}` ({})",
                    param.wire,
                    sent.unwrap_or("(nothing)"),
                    param.ty,
                    values.join(", ")
                ),
            ),
        }
    }
    let scoped = op.scope == Scope::Account;
    let constant_account = op.constants.iter().any(|c| c.path == "account_id");
    if request.contains_key("account_id") != (scoped || constant_account) {
        let message = if scoped {
            "the operation is account-scoped but the example request has no `account_id`"
        } else {
            "the example request sends `account_id` but the operation has `scope: none`"
        };
        diags.push(example.pos, &context, message);
    }
    for constant in &op.constants {
        let (location, key) = constant.location();
        let sent = match location {
            Location::Data => request.get("data").and_then(|d| d.get(key)),
            _ => request.get(key),
        };
        match sent {
            Some(value) if loosely_equal(value, &constant.value) => {}
            Some(value) => diags.push(
                constant.pos,
                &context,
                format!(
                    "the example sends `{}: {value}`, not the constant {}",
                    constant.path, constant.value
                ),
            ),
            None => diags.push(
                constant.pos,
                &context,
                format!("the example does not send the constant `{}`", constant.path),
            ),
        }
    }
    let is_constant = |location: Location, key: &str| {
        op.constants.iter().any(|c| c.location() == (location, key))
    };
    for (key, value) in &request {
        if key == "account_id"
            || op.discriminators.iter().any(|(k, _)| k == key)
            || is_constant(Location::Top, key)
        {
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
            for (data_key, data_value) in data {
                if is_constant(Location::Data, data_key) {
                    continue;
                }
                match op
                    .params
                    .iter()
                    .find(|p| p.location == Location::Data && &p.wire == data_key)
                {
                    Some(param) => check_sent_as(catalogue, param, data_value, &context, diags),
                    None if !read_whole => {}
                    None => diags.push(
                        example.pos,
                        &context,
                        format!("the example sends `data.{data_key}`, which is not a declared `data` param"),
                    ),
                }
            }
            continue;
        }
        match op.param(key) {
            Some(param) if param.location == Location::Top => {
                check_sent_as(catalogue, param, value, &context, diags)
            }
            _ if !read_whole => {}
            _ => diags.push(
                example.pos,
                &context,
                format!("the example sends `{key}`, which is not a declared top-level param"),
            ),
        }
    }
    for param in op.params.iter().filter(|p| p.required && !p.is_file()) {
        let present = match param.location {
            Location::Top => request.contains_key(&param.wire),
            Location::Data => request
                .get("data")
                .and_then(|d| d.get(&param.wire))
                .is_some(),
            Location::Header
            | Location::Path
            | Location::Query
            | Location::Form
            | Location::Body => true,
        };
        if !present {
            report_missing_from_example(param, &context, diags);
        }
    }
    check_renamed(
        example,
        |key| example.sends_key(key),
        |name| !read_whole || op.param(name).is_some(),
        &context,
        diags,
    );
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

/// Reports a required param that an example request does not send.
pub(crate) fn report_missing_from_example(param: &Param, context: &str, diags: &mut Diagnostics) {
    diags.push(
        param.pos,
        context,
        format!(
            "required param `{}` is missing from the example request",
            param.wire
        ),
    );
}

/// Each `renamed` entry of an example must name a key the example sends (`sends`) and a param
/// of the operation (`is_param`).
pub(crate) fn check_renamed(
    example: &Example,
    sends: impl Fn(&str) -> bool,
    is_param: impl Fn(&str) -> bool,
    context: &str,
    diags: &mut Diagnostics,
) {
    for (from, to) in &example.renamed {
        if !sends(from) {
            diags.push(
                example.pos,
                context,
                format!("`renamed` names `{from}`, which the example request does not send"),
            );
        }
        if !is_param(to) {
            diags.push(
                example.pos,
                context,
                format!("`renamed` renames `{from}` to `{to}`, which is not a param"),
            );
        }
    }
}

/// The example's JSON form of a value must be the one the param sends (a string or a number).
pub(crate) fn check_sent_as(
    catalogue: &Catalogue,
    param: &Param,
    value: &serde_json::Value,
    context: &str,
    diags: &mut Diagnostics,
) {
    let sent = match value {
        serde_json::Value::String(_) => WireAs::String,
        serde_json::Value::Number(_) => WireAs::Number,
        serde_json::Value::Array(items) => match items.first() {
            Some(serde_json::Value::String(_)) => WireAs::String,
            Some(serde_json::Value::Number(_)) => WireAs::Number,
            _ => return,
        },
        _ => return,
    };
    let natural = catalogue.natural_form(&param.ty);
    if natural == NaturalForm::Other {
        return;
    }
    let declared = param.sent_as(catalogue);
    if sent != declared {
        let text = |w: WireAs| {
            if w == WireAs::String {
                "string"
            } else {
                "number"
            }
        };
        diags.push(
            param.pos,
            context,
            format!(
                "the example sends `{}` as a {}, but the param sends a {} (set `as: {}`)",
                param.wire,
                text(sent),
                text(declared),
                text(sent)
            ),
        );
    }
}

fn enum_values(catalogue: &Catalogue, ty: &TypeRef) -> Vec<String> {
    match ty
        .named()
        .and_then(|n| catalogue.type_named(n))
        .map(|t| &t.kind)
    {
        Some(TypeKind::Enum { values, .. }) => values.iter().map(|v| v.value.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// JSON values equal once numbers and the strings holding them are taken as the same.
fn loosely_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as Json;
    match (a, b) {
        (Json::Number(n), Json::String(s)) | (Json::String(s), Json::Number(n)) => {
            n.to_string() == s.trim()
        }
        _ => a == b,
    }
}

/// Two operations that send the same discriminators must differ in their constants or their
/// required params. An operation of `read_wrong` is not compared: what tells it apart may be
/// what reading left out of it, and its own error says what is wrong.
fn check_discriminator_clashes(
    catalogue: &Catalogue,
    read_wrong: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    type Identity = (Vec<(String, Option<String>)>, Vec<String>, Vec<String>);
    let mut seen: HashMap<Identity, &Operation> = HashMap::new();
    // REST operations are told apart by their method and path (`rest::check_catalogue`).
    let compared = catalogue
        .operations
        .iter()
        .filter(|op| !op.is_rest() && !read_wrong.contains(&op.name));
    for op in compared {
        let mut constants: Vec<String> = op
            .constants
            .iter()
            .map(|c| format!("{}={}", c.path, c.value))
            .collect();
        constants.sort();
        let key = (op.discriminator_pattern(), constants, op.required_paths());
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
                    "sends the same discriminators ({}) as `{}` (line {}) and nothing tells them apart: give one of them a constant or a required param the other does not have",
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

#[cfg(test)]
mod tests {
    /// Two operations with the same discriminators, told apart by `get_order`'s required
    /// `id`, whose params are `params`.
    fn orders(params: &str) -> String {
        format!(
            "format: 1
api:
  title: Tiny API
operations:
  - name: list_orders
    title: Get list of orders
    summary: Lists orders.
    provenance: inferred
    kind: read
    discriminators: {{ op: ecommerce, op1: orders, op2: get }}
  - name: get_order
    title: Get an order
    summary: Reads one order.
    provenance: inferred
    kind: read
    discriminators: {{ op: ecommerce, op1: orders, op2: get }}
{params}"
        )
    }

    /// The messages of the catalogue's errors, in the order they are reported.
    fn errors(text: &str) -> Vec<String> {
        match crate::load_str(text, "orders.yaml") {
            Ok(_) => Vec::new(),
            Err(error) => error
                .diagnostics
                .iter()
                .map(|d| d.message.clone())
                .collect(),
        }
    }

    const CLASH: &str = "sends the same discriminators";

    #[test]
    fn an_operation_read_wrong_is_not_said_to_clash() {
        let told_apart = "    params:\n      id: { type: id, required: true, in: top }\n";
        assert_eq!(errors(&orders(told_apart)), Vec::<String>::new());
        // The check itself still works.
        let clashing = errors(&orders(""));
        assert!(clashing.iter().any(|m| m.contains(CLASH)), "{clashing:?}");

        let maybe = errors(&orders(
            "    params:\n      id: { type: id, required: maybe, in: top }\n",
        ));
        assert!(!maybe.iter().any(|m| m.contains(CLASH)), "{maybe:?}");
        assert_eq!(maybe.len(), 1, "{maybe:?}");
        assert!(
            maybe[0].contains("`required` must be true or false"),
            "{maybe:?}"
        );

        let listed = errors(&orders(
            "    params:\n      - id: { type: id, required: true, in: top }\n",
        ));
        assert!(!listed.iter().any(|m| m.contains(CLASH)), "{listed:?}");
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert!(listed[0].contains("expected a mapping"), "{listed:?}");
    }
}
