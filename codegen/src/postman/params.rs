//! What a request sends, as constants and params: header params, the discriminator the caller
//! chooses, the body's keys (a constant, a param, or a param with a `default`) and the file
//! parts of a form, each typed from the template and the examples' values.

use super::body::{form_of, lookup, ParamKey, PAGING_KEYS};
use super::discriminators::DISCRIMINATOR_KEYS;
use super::json::Ordered;
use super::report::Report;
use super::shape::{rust_name, unique_in, NameFor, Shape, TypeBuilder};
use super::template::{id_like, ids_like, is_empty_value, names_a_secret, Choice, TemplateValue};
use crate::diag::Pos;
use crate::model::*;
use crate::names::{pascal_case, snake_case};
use serde_json::Value as Json;
use std::collections::HashSet;

/// Headers every call sends, which the runtime writes itself.
const RUNTIME_HEADERS: [&str; 3] = ["content-type", "user-agent", "x-access-token"];

/// What one operation's request is made of.
pub(super) struct RequestParts<'a> {
    /// The operation's name.
    pub name: &'a str,
    /// Its PascalCase form, which prefixes the names of the types made for it.
    pub op_type: &'a str,
    /// The request's body template (placeholders filled).
    pub template: &'a Ordered,
    /// The bodies the params are read from: the saved examples', or the template alone.
    pub bodies: &'a [&'a Ordered],
    /// Whether `bodies` are saved examples (not the template).
    pub saved_examples: bool,
}

/// The constants and params of an operation, as they are found.
#[derive(Default)]
pub(super) struct Params {
    /// The params, in the order found: headers, the caller's discriminator, the body's keys,
    /// the form's files.
    pub params: Vec<Param>,
    /// The keys always sent with one value.
    pub constants: Vec<Constant>,
    /// The values the examples send for each body param, empty values left out.
    pub values: Vec<(ParamKey, Vec<Json>)>,
    /// The paging keys (`offset`, `limit`) that are params.
    pub paging: Vec<String>,
    names: ParamNames,
}

/// The Rust names of an operation's params, kept apart.
#[derive(Default)]
struct ParamNames {
    taken: HashSet<String>,
}

impl ParamNames {
    /// A param for `wire`, a required top-level string named `rust` (or `rust_2`...) until
    /// the caller says more.
    fn param(&mut self, wire: &str, rust: String) -> Param {
        Param {
            wire: wire.to_string(),
            rust: unique_in(&mut self.taken, rust),
            ty: TypeRef::Scalar(Scalar::String),
            required: true,
            location: Location::Top,
            wire_as: None,
            default: None,
            doc: None,
            inferred: false,
            secret: names_a_secret(wire),
            pos: Pos::default(),
        }
    }
}

impl Params {
    /// Header params: the request's headers but those the runtime writes, optional when an
    /// example does not send them, an enum when the template lists values (`ios|android`).
    pub(super) fn headers(
        &mut self,
        parts: &RequestParts,
        headers: &[(String, String)],
        example_headers: &[Option<&Vec<(String, String)>>],
        types: &mut TypeBuilder,
        report: &mut Report,
    ) {
        for (header, value) in headers {
            if RUNTIME_HEADERS.contains(&header.to_ascii_lowercase().as_str()) {
                continue;
            }
            let sent_by_all = example_headers.iter().all(|headers| {
                headers.is_none_or(|headers| {
                    headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(header))
                })
            });
            let mut p = self.names.param(header, rust_name(header, NameFor::Header));
            p.location = Location::Header;
            p.required = sent_by_all;
            p.doc = Some(format!(
                "The `{header}` header; the template shows `{value}`."
            ));
            let listed = TemplateValue::of(&Ordered::Scalar(Json::String(value.clone())));
            if let TemplateValue::Choice(Choice::Words(words)) = listed {
                let values: Vec<EnumLiteral> = words.into_iter().map(EnumLiteral::String).collect();
                let enum_name = types.enum_type(
                    &format!("{}{}", parts.op_type, type_word(header)),
                    &p.rust,
                    EnumRepr::String,
                    &values,
                    format!("The values of the `{header}` header, as the collection lists them."),
                );
                p.ty = TypeRef::Named(enum_name);
            }
            report.guessed_param(
                header,
                format!(
                    "{}, {} (the template shows `{value}`{})",
                    p.ty,
                    if p.required { "required" } else { "optional" },
                    if p.required {
                        ""
                    } else {
                        "; no example sends it"
                    }
                ),
            );
            self.params.push(p);
        }
    }

    /// The discriminator the caller chooses (`op2` of an upload): a required string enum of
    /// the values the template lists and the examples send, named `kind` in Rust.
    pub(super) fn caller_discriminator(
        &mut self,
        parts: &RequestParts,
        key: &str,
        listed: &[String],
        types: &mut TypeBuilder,
        report: &mut Report,
    ) {
        let mut words = listed.to_vec();
        for body in parts.bodies {
            if let Some(Ordered::Scalar(Json::String(sent))) = body.get(key) {
                if !words.contains(sent) {
                    report.collection(format!(
                        "an example sends `{key}: {sent}`, which the template does not list: added to its values"
                    ));
                    words.push(sent.clone());
                }
            }
        }
        let mut p = self.names.param(key, "kind".to_string());
        let values: Vec<EnumLiteral> = words.iter().cloned().map(EnumLiteral::String).collect();
        let enum_name = types.enum_type(
            &format!("{}Kind", parts.op_type),
            &p.rust,
            EnumRepr::String,
            &values,
            format!(
                "What `{}` is asked for, sent as its `{key}`: the values the collection lists.",
                parts.name
            ),
        );
        p.ty = TypeRef::Named(enum_name);
        p.doc = Some(format!("Which `{key}` the call sends."));
        report.guessed_param(
            key,
            format!(
                "the discriminator the caller chooses: {} (the template lists `{}`)",
                p.ty,
                words.join("|")
            ),
        );
        self.params.push(p);
    }

    /// The body's keys, the template's first, then those only examples send: each a
    /// constant, a param, or nothing (a key only the template sends).
    pub(super) fn body(
        &mut self,
        parts: &RequestParts,
        types: &mut TypeBuilder,
        report: &mut Report,
    ) {
        let mut keys = body_keys(parts.template);
        for body in parts.bodies {
            for key in body_keys(body) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        for key in &keys {
            self.body_key(parts, key, types, report);
        }
    }

    fn body_key(
        &mut self,
        parts: &RequestParts,
        key: &ParamKey,
        types: &mut TypeBuilder,
        report: &mut Report,
    ) {
        let path = path_text(key);
        let template_value = lookup(parts.template, key);
        let sent: Vec<Option<&Ordered>> = parts.bodies.iter().map(|b| lookup(b, key)).collect();
        if parts.saved_examples && sent.iter().all(Option::is_none) {
            report.guessed(format!(
                "the template sends `{path}`, which no example sends: left out (the examples are what the server was sent)"
            ));
            return;
        }
        if parts.saved_examples && template_value.is_none() {
            report.guessed(format!(
                "the examples send `{path}`, which the template does not: taken from the examples"
            ));
        }
        let sent_by_all = sent.iter().all(Option::is_some);
        let present: Vec<&Ordered> = sent.into_iter().flatten().collect();
        let empty = present.iter().find(|v| is_empty_value(v));
        let filled: Vec<&Ordered> = present
            .iter()
            .filter(|v| !is_empty_value(v))
            .copied()
            .collect();
        let filled_json: Vec<Json> = filled.iter().map(|v| v.to_json()).collect();
        self.values.push((key.clone(), filled_json.clone()));

        let is_paging = key.0 == Location::Top
            && PAGING_KEYS.contains(&key.1.as_str())
            && !filled.is_empty()
            && filled_json.iter().all(|v| v.is_i64() || v.is_u64());
        let literal = match template_value.map(TemplateValue::of) {
            Some(TemplateValue::Literal(literal)) => Some(literal),
            _ => None,
        };
        let constant = !is_paging
            && empty.is_none()
            && parts.saved_examples
            && sent_by_all
            && literal.is_some_and(|l| filled_json.iter().all(|v| *v == l));
        if constant {
            let value = filled_json[0].clone();
            report.guessed(format!(
                "constant {path}: {value} (the template and every example send it)"
            ));
            self.constants.push(Constant {
                path,
                value,
                pos: Pos::default(),
            });
            return;
        }

        let mut p = self.names.param(&key.1, rust_name(&key.1, NameFor::Param));
        p.location = key.0;
        p.required = sent_by_all && empty.is_none() && !is_paging;
        p.default = empty.map(|v| v.to_json());
        let (ty, why) = if is_paging {
            (TypeRef::Scalar(Scalar::Integer), String::new())
        } else {
            param_type(parts.op_type, &key.1, template_value, &filled, types)
        };
        p.ty = ty;
        if takes_wire_as(&p.ty, types) {
            if forms_disagree(&filled_json) {
                report.collection(format!(
                    "the examples send `{path}` as a number and as a string: it is any JSON (`json`), sent as given"
                ));
                p.ty = TypeRef::Scalar(Scalar::Json);
            } else {
                p.wire_as = form_of(&filled_json).or(match &p.ty {
                    TypeRef::Scalar(Scalar::Boolean) => None,
                    _ => Some(WireAs::Number),
                });
            }
        }
        if is_paging {
            self.paging.push(key.1.clone());
        }
        report.guessed_param(&path, param_note(&p, is_paging, &filled_json, &why));
        self.params.push(p);
    }

    /// The file parts of a form: required `file` params.
    pub(super) fn files(&mut self, file_parts: &[String], report: &mut Report) {
        for part in file_parts {
            let mut p = self.names.param(part, rust_name(part, NameFor::Param));
            p.ty = TypeRef::Scalar(Scalar::File);
            p.doc = Some(format!("The file sent as the form's `{part}` part."));
            report.guessed_param(part, "file, required (a file part of the form)");
            self.params.push(p);
        }
    }
}

/// What the report says of a param: its type and form, whether it is required, and why.
fn param_note(p: &Param, is_paging: bool, values: &[Json], why: &str) -> String {
    let form = match p.wire_as {
        Some(WireAs::Number) => " sent as a number",
        Some(WireAs::String) => " sent as a string",
        None => "",
    };
    let status = match (&p.default, p.required) {
        _ if is_paging => "optional (it pages the list)".to_string(),
        (Some(default), _) => format!("optional, default {default} (an example sends it so)"),
        (None, true) => "required".to_string(),
        (None, false) => "optional (an example leaves it out)".to_string(),
    };
    let mut shown: Vec<String> = Vec::new();
    for value in values {
        let text = short(value);
        if !shown.contains(&text) && shown.len() < 3 {
            shown.push(text);
        }
    }
    let evidence = match (shown.is_empty(), why.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!(" ({why})"),
        (false, true) => format!(" (the examples send {})", shown.join(", ")),
        (false, false) => format!(" (the examples send {}; {why})", shown.join(", ")),
    };
    format!("{}{form}, {status}{evidence}", p.ty)
}

/// A value as the report shows it, cut to 40 characters.
fn short(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// The keys of a body that carry params or constants, in document order: the top-level keys
/// but the discriminators, `account_id` and `data`, with the keys of `data` where it stands.
fn body_keys(body: &Ordered) -> Vec<ParamKey> {
    let mut keys = Vec::new();
    for (key, value) in body.entries().unwrap_or_default() {
        if DISCRIMINATOR_KEYS.contains(&key.as_str()) || key == "account_id" {
            continue;
        }
        if key == "data" {
            if let Some(entries) = value.entries() {
                keys.extend(entries.iter().map(|(k, _)| (Location::Data, k.clone())));
            }
            continue;
        }
        keys.push((Location::Top, key.clone()));
    }
    keys
}

fn path_text((location, key): &ParamKey) -> String {
    match location {
        Location::Data => format!("data.{key}"),
        _ => key.clone(),
    }
}

/// Whether some values are sent as numbers and others as strings.
fn forms_disagree(values: &[Json]) -> bool {
    let sent_as = |form: WireAs| {
        values
            .iter()
            .any(|v| form_of(std::slice::from_ref(v)) == Some(form))
    };
    sent_as(WireAs::Number) && sent_as(WireAs::String)
}

/// Whether values of `ty` may be sent as either a number or a string (`as:`).
fn takes_wire_as(ty: &TypeRef, types: &TypeBuilder) -> bool {
    match ty {
        TypeRef::Scalar(s) => matches!(
            s,
            Scalar::Integer
                | Scalar::Number
                | Scalar::Boolean
                | Scalar::Id
                | Scalar::Millis
                | Scalar::Seconds
        ),
        TypeRef::List(inner) => takes_wire_as(inner, types),
        TypeRef::Named(name) => types.is_integer_enum(name),
        TypeRef::Encoded(_) => false,
    }
}

/// A wire name as a word of a type name: `status` -> `Status`, `X-PLATFORM` -> `Platform`.
fn type_word(wire: &str) -> String {
    let snake = snake_case(wire).to_ascii_lowercase().replace('-', "_");
    pascal_case(snake.strip_prefix("x_").unwrap_or(&snake))
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The type of a body param, from what its template says and the values the examples send,
/// with a few words on why for the report: an enum (or a flag) where the template lists the
/// values, an id where the key or the placeholder names one, else the values' shape.
fn param_type(
    op_type: &str,
    key: &str,
    template: Option<&Ordered>,
    filled: &[&Ordered],
    types: &mut TypeBuilder,
) -> (TypeRef, String) {
    let read = template.map(TemplateValue::of);
    let enum_name = format!("{op_type}{}", type_word(key));
    let param_rust = rust_name(key, NameFor::Param);
    match read {
        Some(TemplateValue::Choice(Choice::Integers(listed))) => {
            let mut values = listed.clone();
            for value in filled {
                let sent = match value.to_json() {
                    Json::Number(n) => n.as_i64(),
                    Json::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                if let Some(sent) = sent.filter(|v| !values.contains(v)) {
                    values.push(sent);
                }
            }
            let listed_text = listed
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join("|");
            let mut sorted = values.clone();
            sorted.sort_unstable();
            if sorted == [0, 1] {
                return (
                    TypeRef::Scalar(Scalar::Boolean),
                    format!("the template lists `{listed_text}`: a flag"),
                );
            }
            let literals: Vec<EnumLiteral> = values.into_iter().map(EnumLiteral::Integer).collect();
            let name = types.enum_type(
                &enum_name,
                &param_rust,
                EnumRepr::Integer,
                &literals,
                format!("The values of `{key}`, as the collection lists them."),
            );
            (
                TypeRef::Named(name),
                format!("the template lists `{listed_text}`"),
            )
        }
        Some(TemplateValue::Choice(Choice::Words(listed))) => {
            let mut values = listed.clone();
            for value in filled {
                if let Json::String(sent) = value.to_json() {
                    if !values.contains(&sent) {
                        values.push(sent);
                    }
                }
            }
            let literals: Vec<EnumLiteral> = values.into_iter().map(EnumLiteral::String).collect();
            let name = types.enum_type(
                &enum_name,
                &param_rust,
                EnumRepr::String,
                &literals,
                format!("The values of `{key}`, as the collection lists them."),
            );
            (
                TypeRef::Named(name),
                format!("the template lists `{}`", listed.join("|")),
            )
        }
        _ => {
            let placeholder_id = read.as_ref().is_some_and(TemplateValue::names_id);
            let key_names_id = id_like(key) || ids_like(key);
            let names_id = key_names_id || placeholder_id;
            let mut shape = filled
                .iter()
                .map(|v| Shape::of_param(v, names_id))
                .fold(Shape::Unknown, Shape::join);
            if shape == Shape::Unknown {
                if let Some(template) = template {
                    shape = Shape::of_param(template, names_id);
                }
            }
            if shape == Shape::Unknown && names_id {
                shape = Shape::Id;
            }
            let why = if placeholder_id && !key_names_id {
                "the template's placeholder names an id".to_string()
            } else {
                String::new()
            };
            (shape.param_type(), why)
        }
    }
}
