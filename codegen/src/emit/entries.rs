//! The entry writers: the header, a type, an operation and the realtime section, each as the
//! house style of `api-spec.yaml` writes it.

use super::scalar::*;
use crate::model::*;
use crate::names::snake_case;

/// The `realtime:` section, as the format writes it.
pub fn emit_realtime(realtime: &Realtime) -> String {
    let mut out = String::from("realtime:\n");
    block_entry(&mut out, 2, "doc", &realtime.doc);
    let list = |paths: &[String]| {
        let items: Vec<String> = paths.iter().map(|p| flow_scalar(p)).collect();
        format!("[{}]", items.join(", "))
    };
    out.push_str(&format!(
        "  url: {}\n",
        flow_map(&[
            ("operation", flow_scalar(&realtime.url.operation)),
            ("fields", list(&realtime.url.paths)),
        ])
    ));
    out.push_str(&format!(
        "  user: {}\n",
        flow_map(&[
            ("operation", flow_scalar(&realtime.user.operation)),
            (
                "path",
                realtime
                    .user
                    .paths
                    .first()
                    .map_or_else(String::new, |p| flow_scalar(p))
            ),
        ])
    ));
    let c = &realtime.contact;
    out.push_str(&format!(
        "  contact: {}\n",
        flow_map(&[
            ("operation", flow_scalar(&c.operation)),
            ("param", flow_scalar(&c.param)),
            ("hash", flow_scalar(&c.hash)),
            ("channel", flow_scalar(&c.channel)),
            ("last_interaction", flow_scalar(&c.last_interaction)),
        ])
    ));
    if let Some(u) = &realtime.upload {
        let mut entries = vec![
            ("operation", flow_scalar(&u.operation)),
            ("kind", flow_scalar(&u.kind)),
            ("contact", flow_scalar(&u.contact)),
            ("file", flow_scalar(&u.file)),
        ];
        if let Some(name) = &u.name {
            entries.push(("name", flow_scalar(name)));
        }
        entries.push(("url", flow_scalar(&u.url)));
        out.push_str(&format!("  upload: {}\n", flow_map(&entries)));
    }
    if !realtime.reply_windows.is_empty() {
        let windows: Vec<String> = realtime
            .reply_windows
            .iter()
            .map(|(channel, hours)| format!("\"{channel}\": {hours}"))
            .collect();
        out.push_str(&format!("  reply_windows: {{ {} }}\n", windows.join(", ")));
    }
    if !realtime.past_window.is_empty() {
        let ways: Vec<String> = realtime
            .past_window
            .iter()
            .map(|way| format!("\"{}\": {}", way.channel, flow_scalar(&way.operation)))
            .collect();
        out.push_str(&format!("  past_window: {{ {} }}\n", ways.join(", ")));
    }
    out.push_str("  frames:\n");
    for frame in &realtime.frames {
        out.push_str(&format!("    {}:\n", key(&frame.name)));
        out.push_str(&format!("      action: {}\n", flow_json(&frame.action)));
        out.push_str(&format!("      data: {}\n", flow_scalar(&frame.data)));
        if let Some(doc) = &frame.doc {
            block_entry(&mut out, 6, "doc", doc);
        }
        out.push_str(&format!("      template: {}\n", flow_json(&frame.template)));
    }
    if !realtime.parts.is_empty() {
        out.push_str("  parts:\n");
        for (name, template) in &realtime.parts {
            out.push_str(&format!("    {}: {}\n", key(name), flow_json(template)));
        }
    }
    let mut events = vec![("type", flow_scalar(&realtime.events.ty))];
    if !realtime.events.at.is_empty() {
        events.insert(0, ("at", flow_scalar(&realtime.events.at)));
    }
    out.push_str(&format!("  events: {}\n", flow_map(&events)));
    out
}

// ---------------------------------------------------------------------------------------------
// Items.

/// The `errors:` section, as the format writes it (nothing for an empty table).
pub(super) fn emit_errors(errors: &[ErrorCode]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nerrors:\n");
    for error in errors {
        let mut entries = vec![
            ("code", error.code.to_string()),
            ("name", flow_scalar(&error.name)),
            ("source", flow_scalar(error.source.spelling())),
        ];
        for (key, on) in [
            ("unauthorized", error.unauthorized),
            ("retryable", error.retryable),
            ("fails_when_ok", error.fails_when_ok),
        ] {
            if on {
                entries.push((key, "true".to_owned()));
            }
        }
        entries.push(("meaning", flow_scalar(&error.meaning)));
        if !error.fields.is_empty() {
            let fields: Vec<(&str, String)> = error
                .fields
                .iter()
                .map(|(path, doc)| (path.as_str(), flow_scalar(doc)))
                .collect();
            entries.push(("fields", flow_map(&fields)));
        }
        out.push_str(&format!("  - {}\n", flow_map(&entries)));
    }
    out
}

/// The `format` and `api` header, and the `public_api` one when there is one.
pub(super) fn emit_head(catalogue: &Catalogue) -> String {
    let api = &catalogue.api;
    let mut out = String::from("format: 1\napi:\n");
    header_entries(&mut out, &api.title, &api.source, &api.doc);
    if let Some(public_api) = &catalogue.public_api {
        out.push_str(&emit_public_api(public_api));
    }
    out
}

/// The `title`, `source` and `doc` both API headers have.
fn header_entries(out: &mut String, title: &str, source: &Option<String>, doc: &Option<String>) {
    block_entry(out, 2, "title", title);
    if let Some(source) = source {
        block_entry(out, 2, "source", source);
    }
    if let Some(doc) = doc {
        block_entry(out, 2, "doc", doc);
    }
}

/// The `public_api:` header.
fn emit_public_api(public_api: &PublicApi) -> String {
    let mut out = String::from("public_api:\n");
    header_entries(
        &mut out,
        &public_api.title,
        &public_api.source,
        &public_api.doc,
    );
    block_entry(&mut out, 2, "base_url", &public_api.base_url);
    let mut auth = vec![("header", flow_scalar(&public_api.auth_header))];
    if let Some(doc) = &public_api.auth_doc {
        auth.push(("doc", flow_scalar(doc)));
    }
    out.push_str(&format!("  auth: {}\n", flow_map(&auth)));
    if let Some(error) = &public_api.error {
        let entries = [
            ("at", flow_scalar(&error.at)),
            ("type", flow_scalar(&error.ty)),
        ];
        out.push_str(&format!("  error: {}\n", flow_map(&entries)));
    }
    out
}

/// A shared type, indented under `types:`.
pub fn emit_type(ty: &TypeDef) -> String {
    let mut out = format!("  {}:\n", key(&ty.name));
    block_entry(&mut out, 4, "doc", &ty.doc);
    if !ty.row.is_empty() {
        let names: Vec<String> = ty.row.iter().map(|f| flow_scalar(&f.wire)).collect();
        out.push_str(&format!("    row: [{}]\n", names.join(", ")));
    }
    match &ty.kind {
        TypeKind::Struct { fields } => {
            if fields.is_empty() {
                out.push_str("    fields: {}\n");
            } else {
                out.push_str("    fields:\n");
            }
            for field in fields {
                let mut entries = vec![("type", field.ty.to_string())];
                if field.required {
                    entries.push(("required", "true".into()));
                }
                if let Some(wire_as) = field.wire_as {
                    entries.push(("as", wire_as.to_string()));
                }
                member_entries(
                    &mut entries,
                    (&field.wire, &field.rust),
                    &field.doc,
                    field.inferred,
                    field.secret,
                );
                out.push_str(&format!(
                    "      {}: {}\n",
                    key(&field.wire),
                    flow_map(&entries)
                ));
            }
        }
        TypeKind::Enum { repr, values } => {
            out.push_str(&format!("    enum: {repr}\n    values:\n"));
            for value in values {
                let literal = match &value.value {
                    EnumLiteral::Integer(i) => i.to_string(),
                    EnumLiteral::String(s) => flow_scalar(s),
                };
                let mut entries = vec![("value", literal), ("name", flow_scalar(&value.name))];
                if let Some(doc) = &value.doc {
                    entries.push(("doc", flow_scalar(doc)));
                }
                if value.inferred {
                    entries.push(("inferred", "true".into()));
                }
                out.push_str(&format!("      - {}\n", flow_map(&entries)));
            }
        }
        TypeKind::Id => out.push_str("    id: true\n"),
        TypeKind::Union(union) => {
            out.push_str(&format!(
                "    union:\n      tag: {}\n",
                block_scalar_inline(&union.tag)
            ));
            if let Some(default) = &union.default {
                out.push_str(&format!(
                    "      default: {}\n",
                    block_scalar_inline(default)
                ));
            }
            if !union.by_member.is_empty() {
                let entries: Vec<(&str, String)> = union
                    .by_member
                    .iter()
                    .map(|(member, tag_value)| (member.as_str(), flow_scalar(tag_value)))
                    .collect();
                out.push_str(&format!("      by_member: {}\n", flow_map(&entries)));
            }
            out.push_str("      variants:\n");
            for variant in &union.variants {
                let mut entries = vec![("type", flow_scalar(&variant.ty))];
                if variant.name != snake_case(&variant.tag_value) {
                    entries.push(("name", flow_scalar(&variant.name)));
                }
                if let Some(doc) = &variant.doc {
                    entries.push(("doc", flow_scalar(doc)));
                }
                out.push_str(&format!(
                    "        {}: {}\n",
                    key(&variant.tag_value),
                    flow_map(&entries)
                ));
            }
        }
    }
    out
}

/// An operation, as an item of the `operations:` sequence.
pub fn emit_operation(op: &Operation) -> String {
    let mut out = format!("  - name: {}\n", block_scalar_inline(&op.name));
    block_entry(&mut out, 4, "title", &op.title);
    block_entry(&mut out, 4, "summary", &op.summary);
    if let Some(area) = &op.area {
        block_entry(&mut out, 4, "area", area);
    }
    if op.api != Api::Mobile {
        out.push_str(&format!("    api: {}\n", op.api));
    }
    out.push_str(&format!("    provenance: {}\n", op.provenance));
    if !op.inferred.is_empty() {
        out.push_str("    inferred:\n");
        for sentence in &op.inferred {
            block_entry_item(&mut out, 6, sentence);
        }
    }
    out.push_str(&format!("    kind: {}\n", op.kind));
    if op.idempotent {
        out.push_str("    idempotent: true\n");
    }
    match &op.http {
        Some(http) => {
            let entries = [
                ("method", http.method.to_string()),
                ("path", flow_scalar(&http.path)),
            ];
            out.push_str(&format!("    http: {}\n", flow_map(&entries)));
        }
        None => emit_mobile_wire(&mut out, op),
    }
    if !op.params.is_empty() {
        out.push_str("    params:\n");
        for param in &op.params {
            out.push_str(&format!(
                "      {}: {}\n",
                key(&param.wire),
                flow_map(&param_entries(param))
            ));
        }
    }
    if let Some(response) = &op.response {
        out.push_str(&format!("    response: {response}\n"));
    }
    if op.response_in == ResponseIn::Envelope {
        out.push_str("    response_in: envelope\n");
    }
    if let Some(paging) = &op.paging {
        let mut entries = vec![
            ("offset", flow_scalar(&paging.offset)),
            ("limit", flow_scalar(&paging.limit)),
        ];
        if let Some(items) = &paging.items {
            entries.push(("items", flow_scalar(items)));
        }
        entries.push(("default_limit", paging.default_limit.to_string()));
        entries.push(("max_limit", paging.max_limit.to_string()));
        if !paging.first_page_only.is_empty() {
            let names: Vec<String> = paging
                .first_page_only
                .iter()
                .map(|n| flow_scalar(n))
                .collect();
            entries.push(("first_page_only", format!("[{}]", names.join(", "))));
        }
        out.push_str(&format!("    paging: {}\n", flow_map(&entries)));
    }
    if !op.http_errors.is_empty() {
        out.push_str("    http_errors:\n");
        for error in &op.http_errors {
            let entries = [
                ("status", error.status.to_string()),
                ("doc", flow_scalar(&error.doc)),
            ];
            out.push_str(&format!("      - {}\n", flow_map(&entries)));
        }
    }
    if !op.examples.is_empty() {
        out.push_str("    examples:\n");
    }
    for example in &op.examples {
        out.push_str(&format!(
            "      - name: {}\n",
            block_scalar_inline(&example.name)
        ));
        if !example.headers.is_empty() {
            out.push_str("        headers:\n");
            for (name, value) in &example.headers {
                out.push_str(&format!(
                    "          {}: {}\n",
                    key(name),
                    block_scalar_inline(value)
                ));
            }
        }
        if let Some(request) = &example.request {
            block_entry(&mut out, 8, "request", request);
        }
        if let Some(response) = &example.response {
            block_entry(&mut out, 8, "response", response);
        }
        if !example.renamed.is_empty() {
            let renamed: Vec<(&str, String)> = example
                .renamed
                .iter()
                .map(|(from, to)| (from.as_str(), flow_scalar(to)))
                .collect();
            out.push_str(&format!("        renamed: {}\n", flow_map(&renamed)));
        }
        if let Some(note) = &example.note {
            block_entry(&mut out, 8, "note", note);
        }
    }
    out
}

/// The flow mapping of one param, its defaults left out.
/// The keys of a mobile operation's wire form: auth, scope, session, body, discriminators and
/// constants.
fn emit_mobile_wire(out: &mut String, op: &Operation) {
    if op.auth == Auth::None {
        out.push_str("    auth: none\n");
    }
    if op.scope == Scope::None {
        out.push_str("    scope: none\n");
    }
    if op.account_as == WireAs::String {
        out.push_str("    account_as: string\n");
    }
    if let Some(session) = op.session {
        out.push_str(&format!("    session: {session}\n"));
    }
    if op.body == BodyEncoding::Multipart {
        out.push_str("    body: multipart\n");
    }
    let discriminators: Vec<(&str, String)> = op
        .discriminators
        .iter()
        .map(|(k, v)| (k.as_str(), flow_scalar(v)))
        .collect();
    out.push_str(&format!(
        "    discriminators: {}\n",
        flow_map(&discriminators)
    ));
    if !op.constants.is_empty() {
        let constants: Vec<(&str, String)> = op
            .constants
            .iter()
            .map(|c| (c.path.as_str(), flow_json(&c.value)))
            .collect();
        out.push_str(&format!("    constants: {}\n", flow_map(&constants)));
    }
}

fn param_entries(param: &Param) -> Vec<(&'static str, String)> {
    let mut entries = vec![("type", param.ty.to_string())];
    if param.required {
        entries.push(("required", "true".into()));
    }
    // `data` is the default place of a param.
    if param.location != Location::Data {
        entries.push(("in", param.location.to_string()));
    }
    if let Some(wire_as) = param.wire_as {
        entries.push(("as", wire_as.to_string()));
    }
    if let Some(default) = &param.default {
        entries.push(("default", flow_json(default)));
    }
    member_entries(
        &mut entries,
        (&param.wire, &param.rust),
        &param.doc,
        param.inferred,
        param.secret,
    );
    entries
}

/// The keys a struct field and a param share, after their own: `rust` when it is not the wire
/// name's snake_case, `doc`, and the `inferred` and `secret` marks when set.
fn member_entries(
    entries: &mut Vec<(&'static str, String)>,
    (wire, rust): (&str, &str),
    doc: &Option<String>,
    inferred: bool,
    secret: bool,
) {
    if rust != snake_case(wire) {
        entries.push(("rust", flow_scalar(rust)));
    }
    if let Some(doc) = doc {
        entries.push(("doc", flow_scalar(doc)));
    }
    if inferred {
        entries.push(("inferred", "true".into()));
    }
    if secret {
        entries.push(("secret", "true".into()));
    }
}
