//! Reads a YAML tree into the catalogue model, reporting every shape error with its position.

use crate::diag::Diagnostics;
use crate::model::*;
use crate::names::snake_case;
use crate::yaml::{Node, Value};

/// Reads the mapping entries of one node and remembers which keys were read, so that the
/// rest can be reported as unknown.
struct Entries<'a> {
    node: &'a Node,
    entries: &'a [(Node, Node)],
    context: String,
}

impl<'a> Entries<'a> {
    fn of(node: &'a Node, context: &str, diags: &mut Diagnostics) -> Option<Entries<'a>> {
        match &node.value {
            Value::Map(entries) => Some(Entries {
                node,
                entries,
                context: context.to_string(),
            }),
            _ => {
                diags.push(
                    node.pos,
                    context,
                    format!("expected a mapping, found {}", node.kind_name()),
                );
                None
            }
        }
    }

    fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(_, v)| v)
    }

    /// Reports the keys that are not in `known`, with the nearest known key.
    fn check_keys(&self, known: &[&str], diags: &mut Diagnostics) {
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in self.entries {
            let Some(name) = key.as_scalar() else {
                diags.push(key.pos, &self.context, "keys must be plain text");
                continue;
            };
            if seen.contains(&name) {
                diags.push(key.pos, &self.context, format!("duplicate key `{name}`"));
            }
            seen.push(name);
            if !known.contains(&name) {
                let hint = nearest(name, known)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                diags.push(
                    key.pos,
                    &self.context,
                    format!(
                        "unknown key `{name}`{hint} (expected one of: {})",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    /// Where `key` is written, which is where a reader looks for the item it names.
    fn key_pos(&self, key: &str) -> Option<crate::diag::Pos> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(k, _)| k.pos)
    }

    fn require(&self, key: &str, diags: &mut Diagnostics) -> Option<&'a Node> {
        let found = self.get(key);
        // A misspelt key is reported once, as unknown with a "did you mean": not also as missing.
        // A key of the format (`note` beside a missing `name`) is no misspelling. (Looked for
        // only when the key is missing: the edit distances cost the macro's every run.)
        let misspelt = || {
            self.entries.iter().any(|(k, _)| {
                k.as_scalar().is_some_and(|name| {
                    name != key && !is_format_key(name) && nearest(name, &[key]).is_some()
                })
            })
        };
        if found.is_none() && !misspelt() {
            diags.push(
                self.node.pos,
                &self.context,
                format!("missing required key `{key}`"),
            );
        }
        found
    }

    fn text(&self, key: &str, required: bool, diags: &mut Diagnostics) -> Option<String> {
        let node = if required {
            self.require(key, diags)?
        } else {
            self.get(key)?
        };
        scalar_text(node, &self.context, key, diags)
    }

    fn flag(&self, key: &str, diags: &mut Diagnostics) -> bool {
        match self.get(key) {
            None => false,
            Some(node) => match node.as_scalar() {
                Some("true") => true,
                Some("false") => false,
                _ => {
                    diags.push(
                        node.pos,
                        &self.context,
                        format!("`{key}` must be true or false"),
                    );
                    false
                }
            },
        }
    }

    /// Reads a key whose value is one of the spellings of `T`; absent gives `default`.
    fn choice<T: Spelled>(
        &self,
        key: &str,
        default: Option<T>,
        diags: &mut Diagnostics,
    ) -> Option<T> {
        let node = match (self.get(key), default) {
            (None, Some(d)) => return Some(d),
            (None, None) => return self.require(key, diags).and(None),
            (Some(node), _) => node,
        };
        let text = node.as_scalar().unwrap_or_default();
        let value = T::from_spelling(text);
        if value.is_none() {
            diags.push(
                node.pos,
                &self.context,
                format!("`{key}` must be one of {}, found `{text}`", T::expected()),
            );
        }
        value
    }
}

fn scalar_text(node: &Node, context: &str, key: &str, diags: &mut Diagnostics) -> Option<String> {
    match &node.value {
        Value::Scalar { text, .. } if !node.is_null() => Some(text.clone()),
        _ => {
            diags.push(
                node.pos,
                context,
                format!("`{key}` must be text, found {}", node.kind_name()),
            );
            None
        }
    }
}

/// The known key closest to a misspelt one, if any is close.
fn nearest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

const TOP_KEYS: &[&str] = &[
    "format",
    "api",
    "public_api",
    "errors",
    "types",
    "realtime",
    "operations",
];
const ERROR_KEYS: &[&str] = &[
    "code",
    "name",
    "meaning",
    "fields",
    "unauthorized",
    "retryable",
    "fails_when_ok",
    "source",
];
const REALTIME_KEYS: &[&str] = &[
    "doc",
    "url",
    "user",
    "contact",
    "upload",
    "reply_windows",
    "past_window",
    "frames",
    "parts",
    "events",
];
const URL_KEYS: &[&str] = &["operation", "fields"];
const USER_KEYS: &[&str] = &["operation", "path"];
const CONTACT_KEYS: &[&str] = &["operation", "param", "hash", "channel", "last_interaction"];
const UPLOAD_KEYS: &[&str] = &["operation", "kind", "contact", "file", "name", "url"];
const FRAME_KEYS: &[&str] = &["action", "data", "doc", "template"];
const EVENTS_KEYS: &[&str] = &["at", "type"];
const API_KEYS: &[&str] = &["title", "source", "doc"];
const PUBLIC_API_KEYS: &[&str] = &["title", "source", "doc", "base_url", "auth", "error"];
const PUBLIC_AUTH_KEYS: &[&str] = &["header", "doc"];
const PUBLIC_ERROR_KEYS: &[&str] = &["at", "type"];
const HTTP_KEYS: &[&str] = &["method", "path"];
const HTTP_ERROR_KEYS: &[&str] = &["status", "doc"];
const STRUCT_KEYS: &[&str] = &["doc", "fields", "row"];
const ENUM_KEYS: &[&str] = &["doc", "enum", "values"];
const ID_KEYS: &[&str] = &["doc", "id"];
const UNION_KEYS: &[&str] = &["doc", "union"];
const UNION_BODY_KEYS: &[&str] = &["tag", "default", "by_member", "variants"];
const VARIANT_KEYS: &[&str] = &["type", "name", "doc"];
const FIELD_KEYS: &[&str] = &[
    "type", "required", "as", "doc", "rust", "inferred", "secret",
];
const VALUE_KEYS: &[&str] = &["value", "name", "doc", "inferred"];
/// The keys of every operation; `MOBILE_ONLY_KEYS` and `REST_ONLY_KEYS` add those of one API.
const OPERATION_KEYS: &[&str] = &[
    "name",
    "title",
    "summary",
    "area",
    "api",
    "provenance",
    "inferred",
    "kind",
    "idempotent",
    "params",
    "response",
    "paging",
    "examples",
];
const PARAM_KEYS: &[&str] = &[
    "type", "required", "in", "as", "default", "doc", "rust", "secret", "inferred",
];
const PAGING_KEYS: &[&str] = &[
    "style",
    "offset",
    "limit",
    "items",
    "default_limit",
    "max_limit",
    "first_page_only",
];
const EXAMPLE_KEYS: &[&str] = &["name", "headers", "request", "response", "renamed", "note"];
const DISCRIMINATOR_KEYS: &[&str] = &["op", "op1", "op2", "op3"];

/// The keys only mobile operations have: a REST operation's method and path, its params'
/// locations and `public_api` say what these say.
const MOBILE_ONLY_KEYS: &[&str] = &[
    "discriminators",
    "auth",
    "scope",
    "account_as",
    "session",
    "body",
    "constants",
    "response_in",
];
/// The keys only REST operations have.
const REST_ONLY_KEYS: &[&str] = &["http", "http_errors"];

/// Whether `name` is a key somewhere in the format.
fn is_format_key(name: &str) -> bool {
    [
        TOP_KEYS,
        ERROR_KEYS,
        API_KEYS,
        PUBLIC_API_KEYS,
        PUBLIC_AUTH_KEYS,
        PUBLIC_ERROR_KEYS,
        HTTP_KEYS,
        HTTP_ERROR_KEYS,
        STRUCT_KEYS,
        ENUM_KEYS,
        ID_KEYS,
        UNION_KEYS,
        UNION_BODY_KEYS,
        VARIANT_KEYS,
        FIELD_KEYS,
        VALUE_KEYS,
        OPERATION_KEYS,
        MOBILE_ONLY_KEYS,
        REST_ONLY_KEYS,
        PARAM_KEYS,
        PAGING_KEYS,
        EXAMPLE_KEYS,
        DISCRIMINATOR_KEYS,
    ]
    .iter()
    .any(|keys| keys.contains(&name))
}

/// Reads the root node of a catalogue. Returns the model when the shape is right enough to
/// build one; shape errors are added to `diags` either way.
pub fn read_catalogue(root: &Node, diags: &mut Diagnostics) -> Option<Catalogue> {
    let top = Entries::of(root, "", diags)?;
    top.check_keys(TOP_KEYS, diags);
    if let Some(format) = top.require("format", diags) {
        if format.as_scalar() != Some("1") {
            diags.push(format.pos, "", "`format` must be 1");
        }
    }
    let api = top
        .require("api", diags)
        .and_then(|node| read_api(node, diags))
        .unwrap_or_default();
    let types = match top.get("types") {
        None => Vec::new(),
        Some(node) if node.is_null() => Vec::new(),
        Some(node) => read_types(node, diags),
    };
    // An empty `operations` is reported here, where it can be told from operations that are
    // declared but fail to load (each reported on its own).
    let no_operations = |diags: &mut Diagnostics| {
        let pos = top.key_pos("operations").unwrap_or(root.pos);
        diags.push(pos, "", "the catalogue declares no operations");
    };
    let operations = match top.require("operations", diags) {
        None => Vec::new(),
        Some(node) => match &node.value {
            Value::Seq(items) if items.is_empty() => {
                no_operations(diags);
                Vec::new()
            }
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| read_operation(item, i, diags))
                .collect(),
            _ if node.is_null() => {
                no_operations(diags);
                Vec::new()
            }
            _ => {
                diags.push(
                    node.pos,
                    "",
                    format!(
                        "`operations` must be a sequence, found {}",
                        node.kind_name()
                    ),
                );
                Vec::new()
            }
        },
    };
    let realtime = top
        .get("realtime")
        .and_then(|node| read_realtime(node, diags));
    let public_api = top
        .get("public_api")
        .and_then(|node| read_public_api(node, diags));
    let errors = match top.get("errors") {
        None => Vec::new(),
        Some(node) => read_errors(node, diags),
    };
    Some(Catalogue {
        api,
        public_api,
        types,
        operations,
        realtime,
        errors,
    })
}

fn read_errors(node: &Node, diags: &mut Diagnostics) -> Vec<ErrorCode> {
    let Value::Seq(items) = &node.value else {
        diags.push(
            node.pos,
            "errors",
            format!("`errors` must be a sequence, found {}", node.kind_name()),
        );
        return Vec::new();
    };
    let mut codes = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let context = format!("error #{}", i + 1);
        let Some(entries) = Entries::of(item, &context, diags) else {
            continue;
        };
        entries.check_keys(ERROR_KEYS, diags);
        let code = entries.require("code", diags).and_then(|node| {
            let parsed = node.as_scalar().and_then(|t| t.trim().parse::<i64>().ok());
            if parsed.is_none() {
                diags.push(node.pos, &context, "`code` must be an integer");
            }
            parsed
        });
        let name = entries.text("name", true, diags);
        let meaning = entries.text("meaning", true, diags);
        let source = entries.choice("source", None, diags);
        let mut fields = Vec::new();
        if let Some(node) = entries.get("fields") {
            if let Some(map) = Entries::of(node, &format!("{context} fields"), diags) {
                for (key, value) in map.entries {
                    let path = scalar_text(key, &context, "field path", diags);
                    let doc = scalar_text(value, &context, "field doc", diags);
                    if let (Some(path), Some(doc)) = (path, doc) {
                        fields.push((path, doc));
                    }
                }
            }
        }
        let (unauthorized, retryable, fails_when_ok) = (
            entries.flag("unauthorized", diags),
            entries.flag("retryable", diags),
            entries.flag("fails_when_ok", diags),
        );
        if let (Some(code), Some(name), Some(meaning), Some(source)) = (code, name, meaning, source)
        {
            codes.push(ErrorCode {
                code,
                name,
                meaning,
                fields,
                unauthorized,
                retryable,
                fails_when_ok,
                source,
                pos: item.pos,
            });
        }
    }
    codes
}

fn read_realtime(node: &Node, diags: &mut Diagnostics) -> Option<Realtime> {
    let context = "realtime";
    let entries = Entries::of(node, context, diags)?;
    entries.check_keys(REALTIME_KEYS, diags);
    let doc = entries.text("doc", true, diags).unwrap_or_default();
    let lookup = |key: &str, keys: &[&str], paths_key: &str, diags: &mut Diagnostics| {
        let node = entries.require(key, diags)?;
        let sub_context = format!("realtime {key}");
        let sub = Entries::of(node, &sub_context, diags)?;
        sub.check_keys(keys, diags);
        let operation = sub.text("operation", true, diags)?;
        let paths = match sub.require(paths_key, diags) {
            Some(node) => match &node.value {
                Value::Seq(_) => read_text_list(node, &sub_context, paths_key, diags),
                _ => scalar_text(node, &sub_context, paths_key, diags)
                    .into_iter()
                    .collect(),
            },
            None => Vec::new(),
        };
        Some(Lookup {
            operation,
            paths,
            pos: node.pos,
        })
    };
    let url = lookup("url", URL_KEYS, "fields", diags);
    let user = lookup("user", USER_KEYS, "path", diags);
    let contact = entries.require("contact", diags).and_then(|node| {
        let sub = Entries::of(node, "realtime contact", diags)?;
        sub.check_keys(CONTACT_KEYS, diags);
        let mut text = |key: &str| sub.text(key, true, diags);
        Some(ContactLookup {
            operation: text("operation")?,
            param: text("param")?,
            hash: text("hash")?,
            channel: text("channel")?,
            last_interaction: text("last_interaction")?,
            pos: node.pos,
        })
    });
    let upload = entries.get("upload").and_then(|node| {
        let sub = Entries::of(node, "realtime upload", diags)?;
        sub.check_keys(UPLOAD_KEYS, diags);
        let name = sub.text("name", false, diags);
        let mut text = |key: &str| sub.text(key, true, diags);
        Some(UploadLookup {
            operation: text("operation")?,
            kind: text("kind")?,
            contact: text("contact")?,
            file: text("file")?,
            name,
            url: text("url")?,
            pos: node.pos,
        })
    });
    let mut reply_windows = Vec::new();
    if let Some(node) = entries.get("reply_windows") {
        if let Some(windows) = Entries::of(node, "realtime reply_windows", diags) {
            for (key, value) in windows.entries {
                let channel = key.as_scalar().and_then(|t| t.trim().parse::<i64>().ok());
                let hours = value.as_scalar().and_then(|t| t.trim().parse::<u32>().ok());
                match (channel, hours) {
                    (Some(channel), Some(hours)) => reply_windows.push((channel, hours)),
                    _ => diags.push(
                        key.pos,
                        "realtime reply_windows",
                        "each entry is a channel's wire value and a number of hours (`\"5\": 24`)",
                    ),
                }
            }
        }
    }
    let mut past_window = Vec::new();
    if let Some(node) = entries.get("past_window") {
        if let Some(ways) = Entries::of(node, "realtime past_window", diags) {
            for (key, value) in ways.entries {
                let channel = key.as_scalar().and_then(|t| t.trim().parse::<i64>().ok());
                let operation = value.as_scalar().map(|t| t.trim().to_owned());
                match (channel, operation) {
                    (Some(channel), Some(operation)) if !operation.is_empty() => {
                        past_window.push(PastWindow {
                            channel,
                            operation,
                            pos: key.pos,
                        })
                    }
                    _ => diags.push(
                        key.pos,
                        "realtime past_window",
                        "each entry is a channel's wire value and an operation's name (`\"5\": send_whatsapp_template`)",
                    ),
                }
            }
        }
    }
    let mut frames = Vec::new();
    if let Some(node) = entries.require("frames", diags) {
        if let Some(map) = Entries::of(node, "realtime frames", diags) {
            for (key, value) in map.entries {
                let Some(name) = scalar_text(key, "realtime frames", "frame name", diags) else {
                    continue;
                };
                let frame_context = format!("realtime frame `{name}`");
                let Some(frame) = Entries::of(value, &frame_context, diags) else {
                    continue;
                };
                frame.check_keys(FRAME_KEYS, diags);
                let action = frame
                    .require("action", diags)
                    .and_then(|n| json_value(n, &frame_context, diags));
                let data = frame.text("data", true, diags);
                let template = frame
                    .require("template", diags)
                    .and_then(|n| json_value(n, &frame_context, diags));
                if let (Some(action), Some(data), Some(template)) = (action, data, template) {
                    frames.push(Frame {
                        name,
                        action,
                        data,
                        doc: frame.text("doc", false, diags),
                        template,
                        pos: key.pos,
                    });
                }
            }
        }
    }
    let mut parts = Vec::new();
    if let Some(node) = entries.get("parts") {
        if let Some(map) = Entries::of(node, "realtime parts", diags) {
            for (key, value) in map.entries {
                if let (Some(name), Some(template)) = (
                    scalar_text(key, "realtime parts", "part name", diags),
                    json_value(value, "realtime parts", diags),
                ) {
                    parts.push((name, template));
                }
            }
        }
    }
    let events = entries.require("events", diags).and_then(|node| {
        let sub = Entries::of(node, "realtime events", diags)?;
        sub.check_keys(EVENTS_KEYS, diags);
        Some(EventsSpec {
            at: sub.text("at", false, diags).unwrap_or_default(),
            ty: sub.text("type", true, diags)?,
            pos: node.pos,
        })
    });
    Some(Realtime {
        doc,
        url: url?,
        user: user?,
        contact: contact?,
        upload,
        reply_windows,
        past_window,
        frames,
        parts,
        events: events?,
        pos: node.pos,
    })
}

fn read_api(node: &Node, diags: &mut Diagnostics) -> Option<ApiInfo> {
    let entries = Entries::of(node, "api", diags)?;
    entries.check_keys(API_KEYS, diags);
    Some(ApiInfo {
        title: entries.text("title", true, diags).unwrap_or_default(),
        source: entries.text("source", false, diags),
        doc: entries.text("doc", false, diags),
    })
}

fn read_public_api(node: &Node, diags: &mut Diagnostics) -> Option<PublicApi> {
    let context = "public_api";
    let entries = Entries::of(node, context, diags)?;
    entries.check_keys(PUBLIC_API_KEYS, diags);
    let title = entries.text("title", true, diags).unwrap_or_default();
    let base_url = entries.text("base_url", true, diags);
    let auth = entries.require("auth", diags).and_then(|node| {
        let sub = Entries::of(node, "public_api auth", diags)?;
        sub.check_keys(PUBLIC_AUTH_KEYS, diags);
        Some((
            sub.text("header", true, diags)?,
            sub.text("doc", false, diags),
        ))
    });
    let error = entries.get("error").and_then(|node| {
        let sub = Entries::of(node, "public_api error", diags)?;
        sub.check_keys(PUBLIC_ERROR_KEYS, diags);
        Some(ErrorObject {
            at: sub.text("at", true, diags)?,
            ty: sub.text("type", true, diags)?,
            pos: node.pos,
        })
    });
    let (auth_header, auth_doc) = auth?;
    Some(PublicApi {
        title,
        source: entries.text("source", false, diags),
        doc: entries.text("doc", false, diags),
        base_url: base_url?,
        auth_header,
        auth_doc,
        error,
        pos: entries.key_pos("base_url").unwrap_or(node.pos),
    })
}

fn read_types(node: &Node, diags: &mut Diagnostics) -> Vec<TypeDef> {
    let Some(entries) = Entries::of(node, "types", diags) else {
        return Vec::new();
    };
    let mut types = Vec::new();
    for (key, value) in entries.entries {
        let Some(name) = scalar_text(key, "types", "type name", diags) else {
            continue;
        };
        let context = format!("type `{name}`");
        let Some(def) = Entries::of(value, &context, diags) else {
            continue;
        };
        let doc = def.text("doc", true, diags).unwrap_or_default();
        let mut row = Vec::new();
        let kind = if def.get("enum").is_some() {
            def.check_keys(ENUM_KEYS, diags);
            read_enum(&def, diags)
        } else if let Some(node) = def.get("id") {
            def.check_keys(ID_KEYS, diags);
            if node.as_scalar() != Some("true") {
                diags.push(node.pos, &context, "`id` must be `true`");
            }
            Some(TypeKind::Id)
        } else if let Some(node) = def.get("union") {
            def.check_keys(UNION_KEYS, diags);
            read_union(node, &context, diags)
        } else {
            def.check_keys(STRUCT_KEYS, diags);
            if let Some(node) = def.get("row") {
                row = read_row(node, &context, diags);
            }
            read_struct(&def, diags)
        };
        if let Some(kind) = kind {
            types.push(TypeDef {
                name,
                doc,
                kind,
                row,
                pos: key.pos,
            });
        }
    }
    types
}

/// A struct, enum or union whose fields, values or variants cannot be read is kept with none
/// (the error is reported), so that references to the type do not give errors of their own.
fn read_struct(def: &Entries<'_>, diags: &mut Diagnostics) -> Option<TypeKind> {
    let empty = Some(TypeKind::Struct { fields: Vec::new() });
    let Some(fields_node) = def.require("fields", diags) else {
        return empty;
    };
    let Some(fields) = Entries::of(fields_node, &def.context, diags) else {
        return empty;
    };
    let mut out = Vec::new();
    for (key, value) in fields.entries {
        let Some(wire) = scalar_text(key, &def.context, "field name", diags) else {
            continue;
        };
        let context = format!("{} field `{wire}`", def.context);
        let Some(field) = Entries::of(value, &context, diags) else {
            continue;
        };
        field.check_keys(FIELD_KEYS, diags);
        let ty = read_type(&field, "type", diags);
        let rust = field
            .text("rust", false, diags)
            .unwrap_or_else(|| snake_case(&wire));
        let required = field.flag("required", diags);
        let doc = field.text("doc", false, diags);
        let inferred = field.flag("inferred", diags);
        let secret = field.flag("secret", diags);
        let wire_as = field
            .get("as")
            .and_then(|_| field.choice("as", None, diags));
        if let Some(ty) = ty {
            out.push(Field {
                wire,
                rust,
                ty,
                required,
                doc,
                inferred,
                secret,
                wire_as,
                pos: key.pos,
            });
        }
    }
    Some(TypeKind::Struct { fields: out })
}

/// A struct's `row`: the JSON keys of the fields that make its row, each with its position
/// (validation checks that the struct has them).
fn read_row(node: &Node, context: &str, diags: &mut Diagnostics) -> Vec<RowField> {
    let Value::Seq(items) = &node.value else {
        diags.push(
            node.pos,
            context,
            format!(
                "`row` must be a sequence of field names, found {}",
                node.kind_name()
            ),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let wire = scalar_text(item, context, "row", diags)?;
            Some(RowField {
                wire,
                pos: item.pos,
            })
        })
        .collect()
}

fn read_enum(def: &Entries<'_>, diags: &mut Diagnostics) -> Option<TypeKind> {
    let repr = def.choice("enum", None, diags)?;
    let empty = Some(TypeKind::Enum {
        repr,
        values: Vec::new(),
    });
    let Some(values_node) = def.require("values", diags) else {
        return empty;
    };
    let Value::Seq(items) = &values_node.value else {
        diags.push(
            values_node.pos,
            &def.context,
            format!(
                "`values` must be a sequence, found {}",
                values_node.kind_name()
            ),
        );
        return empty;
    };
    if items.is_empty() {
        diags.push(
            values_node.pos,
            &def.context,
            "an enum needs at least one value",
        );
    }
    let mut values = Vec::new();
    for item in items {
        let Some(entry) = Entries::of(item, &def.context, diags) else {
            continue;
        };
        entry.check_keys(VALUE_KEYS, diags);
        let name = entry.text("name", true, diags);
        let doc = entry.text("doc", false, diags);
        let inferred = entry.flag("inferred", diags);
        let value = entry.require("value", diags).and_then(|node| {
            let text = node.as_scalar()?;
            match repr {
                EnumRepr::Integer => match text.parse::<i64>() {
                    Ok(v) => Some(EnumLiteral::Integer(v)),
                    Err(_) => {
                        diags.push(
                            node.pos,
                            &def.context,
                            format!("`{text}` is not an integer, as `enum: integer` requires"),
                        );
                        None
                    }
                },
                EnumRepr::String => Some(EnumLiteral::String(text.to_string())),
            }
        });
        if let (Some(name), Some(value)) = (name, value) {
            values.push(EnumValue {
                value,
                name,
                doc,
                inferred,
                pos: item.pos,
            });
        }
    }
    Some(TypeKind::Enum { repr, values })
}

fn read_union(node: &Node, context: &str, diags: &mut Diagnostics) -> Option<TypeKind> {
    let body = Entries::of(node, context, diags)?;
    body.check_keys(UNION_BODY_KEYS, diags);
    let tag = body.text("tag", true, diags).unwrap_or_default();
    let default = body.text("default", false, diags);
    let by_member = body
        .get("by_member")
        .map(|node| read_by_member(node, context, diags))
        .unwrap_or_default();
    let empty = Some(TypeKind::Union(Union {
        tag: tag.clone(),
        default: default.clone(),
        by_member: by_member.clone(),
        variants: Vec::new(),
    }));
    let Some(variants_node) = body.require("variants", diags) else {
        return empty;
    };
    let Some(entries) = Entries::of(variants_node, context, diags) else {
        return empty;
    };
    if entries.entries.is_empty() {
        diags.push(
            variants_node.pos,
            context,
            "a union needs at least one variant",
        );
    }
    let mut variants = Vec::new();
    for (key, value) in entries.entries {
        let Some(tag_value) = scalar_text(key, context, "variant tag", diags) else {
            continue;
        };
        let variant_context = format!("{context} variant `{tag_value}`");
        let Some(variant) = Entries::of(value, &variant_context, diags) else {
            continue;
        };
        variant.check_keys(VARIANT_KEYS, diags);
        let Some(ty) = variant.text("type", true, diags) else {
            continue;
        };
        variants.push(UnionVariant {
            name: variant
                .text("name", false, diags)
                .unwrap_or_else(|| snake_case(&tag_value)),
            tag_value,
            ty,
            doc: variant.text("doc", false, diags),
            pos: key.pos,
        });
    }
    Some(TypeKind::Union(Union {
        tag,
        default,
        by_member,
        variants,
    }))
}

/// A union's `by_member`: a mapping of member (wire name) to the tag value of its variant.
fn read_by_member(node: &Node, context: &str, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let context = format!("{context} by_member");
    let Some(entries) = Entries::of(node, &context, diags) else {
        return Vec::new();
    };
    entries
        .entries
        .iter()
        .filter_map(|(key, value)| {
            let member = scalar_text(key, &context, "member", diags)?;
            let tag_value = scalar_text(value, &context, "variant tag", diags)?;
            Some((member, tag_value))
        })
        .collect()
}

fn read_text_list(node: &Node, context: &str, key: &str, diags: &mut Diagnostics) -> Vec<String> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| scalar_text(item, context, key, diags))
            .collect(),
        _ => {
            diags.push(
                node.pos,
                context,
                format!(
                    "`{key}` must be a sequence of text, found {}",
                    node.kind_name()
                ),
            );
            Vec::new()
        }
    }
}

fn read_constants(node: &Node, context: &str, diags: &mut Diagnostics) -> Vec<Constant> {
    let constants_context = format!("{context} constants");
    let Some(entries) = Entries::of(node, &constants_context, diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in entries.entries {
        let Some(path) = scalar_text(key, &constants_context, "constant key", diags) else {
            continue;
        };
        if let Some(value) = json_value(value, &constants_context, diags) {
            out.push(Constant {
                path,
                value,
                pos: key.pos,
            });
        }
    }
    out
}

/// The JSON value a YAML node writes: plain scalars are `null`, booleans, numbers or text;
/// quoted scalars are text.
fn json_value(node: &Node, context: &str, diags: &mut Diagnostics) -> Option<serde_json::Value> {
    use serde_json::Value as Json;
    Some(match &node.value {
        Value::Scalar { text, plain } => {
            if !*plain {
                Json::String(text.clone())
            } else if node.is_null() {
                Json::Null
            } else if let Ok(b) = text.parse::<bool>() {
                Json::Bool(b)
            } else if let Ok(i) = text.parse::<i64>() {
                Json::from(i)
            } else if let Some(n) = text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Json::Number(n)
            } else {
                Json::String(text.clone())
            }
        }
        Value::Seq(items) => Json::Array(
            items
                .iter()
                .map(|item| json_value(item, context, diags))
                .collect::<Option<_>>()?,
        ),
        Value::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (key, value) in entries {
                let key = scalar_text(key, context, "key", diags)?;
                map.insert(key, json_value(value, context, diags)?);
            }
            Json::Object(map)
        }
    })
}

fn read_type(entries: &Entries<'_>, key: &str, diags: &mut Diagnostics) -> Option<TypeRef> {
    let node = entries.require(key, diags)?;
    let text = scalar_text(node, &entries.context, key, diags)?;
    match TypeRef::parse(&text) {
        Ok(ty) => Some(ty),
        Err(message) => {
            diags.push(node.pos, &entries.context, message);
            None
        }
    }
}

fn read_operation(node: &Node, index: usize, diags: &mut Diagnostics) -> Option<Operation> {
    let provisional = format!("operation #{}", index + 1);
    let entries = Entries::of(node, &provisional, diags)?;
    let name = entries.text("name", true, diags);
    let context = match &name {
        Some(name) => format!("operation `{name}`"),
        None => provisional,
    };
    let op = Entries { context, ..entries };
    op.check_keys(
        &[OPERATION_KEYS, MOBILE_ONLY_KEYS, REST_ONLY_KEYS].concat(),
        diags,
    );
    let title = op.text("title", true, diags).unwrap_or_default();
    let summary = op.text("summary", true, diags).unwrap_or_default();
    let area = op.text("area", false, diags);
    let api = op.choice("api", Some(Api::Mobile), diags);
    let rest = api == Some(Api::Public);
    report_keys_of_the_other_api(&op, rest, diags);
    let provenance = op.choice("provenance", None, diags);
    let kind = op.choice("kind", None, diags);
    let idempotent = op.flag("idempotent", diags);
    let auth = op.choice("auth", Some(Auth::Token), diags);
    // A REST operation names no account: the API token opens one account.
    let scope = if rest {
        Some(Scope::None)
    } else {
        op.choice("scope", Some(Scope::Account), diags)
    };
    let account_as = op.choice("account_as", Some(WireAs::Number), diags);
    let inferred = op
        .get("inferred")
        .map(|node| read_text_list(node, &op.context, "inferred", diags))
        .unwrap_or_default();
    let constants = match op.get("constants") {
        None => Vec::new(),
        Some(node) => read_constants(node, &op.context, diags),
    };
    let response_in = op.choice("response_in", Some(ResponseIn::Data), diags);
    let session = match op.get("session") {
        None => None,
        Some(_) => op.choice("session", None, diags),
    };
    let body = if rest {
        None
    } else {
        op.choice("body", Some(BodyEncoding::Json), diags)
    };
    // A REST operation is told apart by its method and path, a mobile one by its discriminators.
    let discriminators = if rest {
        Vec::new()
    } else {
        op.require("discriminators", diags)
            .map(|node| read_discriminators(node, &op.context, diags))
            .unwrap_or_default()
    };
    let http = if rest {
        op.require("http", diags)
            .and_then(|node| read_http(node, &op.context, diags))
    } else {
        None
    };
    let http_errors = match (rest, op.get("http_errors")) {
        (true, Some(node)) => read_http_errors(node, &op.context, diags),
        _ => Vec::new(),
    };
    let params = match op.get("params") {
        None => Vec::new(),
        Some(node) if node.is_null() => Vec::new(),
        Some(node) => read_params(node, &op.context, rest, diags),
    };
    // A REST operation's body is a form when it has form params, else JSON (when it has one).
    let body = body.or_else(|| {
        let form = params.iter().any(|p| p.location == Location::Form);
        Some(if form {
            BodyEncoding::Form
        } else {
            BodyEncoding::Json
        })
    });
    let response = match op.get("response") {
        None => None,
        Some(_) => read_type(&op, "response", diags),
    };
    let paging = op
        .get("paging")
        .and_then(|node| read_paging(node, &op.context, diags));
    let examples = match op.get("examples") {
        None => Vec::new(),
        Some(node) => match &node.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|item| read_example(item, &op.context, rest, diags))
                .collect(),
            _ => {
                diags.push(
                    node.pos,
                    &op.context,
                    format!("`examples` must be a sequence, found {}", node.kind_name()),
                );
                Vec::new()
            }
        },
    };
    Some(Operation {
        name: name?,
        title,
        summary,
        area,
        api: api?,
        http,
        http_errors,
        provenance: provenance?,
        inferred,
        kind: kind?,
        idempotent,
        discriminators,
        auth: auth?,
        scope: scope?,
        account_as: account_as?,
        session,
        body: body?,
        constants,
        params,
        response,
        response_in: response_in?,
        paging,
        examples,
        pos: op.key_pos("name").unwrap_or(node.pos),
    })
}

/// Reports the keys a mobile operation has and a REST one does not, or the other way round.
fn report_keys_of_the_other_api(op: &Entries<'_>, rest: bool, diags: &mut Diagnostics) {
    let (keys, message): (&[&str], &str) = if rest {
        (
            MOBILE_ONLY_KEYS,
            "is a key of mobile operations: a REST operation (`api: public`) is told apart by `http`, authenticates as `public_api` says and encodes its body as its params' `in` say",
        )
    } else {
        (
            REST_ONLY_KEYS,
            "is a key of REST operations: add `api: public`, or remove it",
        )
    };
    for (key, _) in op.entries {
        if let Some(name) = key.as_scalar().filter(|name| keys.contains(name)) {
            diags.push(key.pos, &op.context, format!("`{name}` {message}"));
        }
    }
}

fn read_http(node: &Node, context: &str, diags: &mut Diagnostics) -> Option<HttpRoute> {
    let http_context = format!("{context} http");
    let entries = Entries::of(node, &http_context, diags)?;
    entries.check_keys(HTTP_KEYS, diags);
    let method = entries.choice::<HttpMethod>("method", None, diags);
    let path = entries.text("path", true, diags);
    Some(HttpRoute {
        method: method?,
        path: path?,
        pos: entries.key_pos("path").unwrap_or(node.pos),
    })
}

fn read_http_errors(node: &Node, context: &str, diags: &mut Diagnostics) -> Vec<HttpError> {
    let errors_context = format!("{context} http_errors");
    let Value::Seq(items) = &node.value else {
        diags.push(
            node.pos,
            &errors_context,
            format!(
                "`http_errors` must be a sequence, found {}",
                node.kind_name()
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(entries) = Entries::of(item, &errors_context, diags) else {
            continue;
        };
        entries.check_keys(HTTP_ERROR_KEYS, diags);
        let status = entries.require("status", diags).and_then(|node| {
            let status = node.as_scalar().and_then(|t| t.trim().parse::<u16>().ok());
            if status.is_none() {
                diags.push(node.pos, &errors_context, "`status` must be an HTTP status");
            }
            status
        });
        let doc = entries.text("doc", true, diags);
        if let (Some(status), Some(doc)) = (status, doc) {
            out.push(HttpError {
                status,
                doc,
                pos: entries.key_pos("status").unwrap_or(item.pos),
            });
        }
    }
    out
}

fn read_discriminators(
    node: &Node,
    context: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, String)> {
    let Some(entries) = Entries::of(node, context, diags) else {
        return Vec::new();
    };
    entries.check_keys(DISCRIMINATOR_KEYS, diags);
    // With a later key (`op1`), a missing `op` is reported below, as missing before it.
    if DISCRIMINATOR_KEYS[1..]
        .iter()
        .all(|key| entries.get(key).is_none())
    {
        entries.require("op", diags);
    }
    let mut out = Vec::new();
    for key in DISCRIMINATOR_KEYS {
        if let Some(value) = entries.text(key, false, diags) {
            out.push((key.to_string(), value));
        }
    }
    // A misspelt key (`opp`) is reported as unknown: not also as missing before the next one.
    let misspelt = |key: &str| {
        entries.entries.iter().any(|(k, _)| {
            k.as_scalar().is_some_and(|name| {
                !DISCRIMINATOR_KEYS.contains(&name)
                    && nearest(name, DISCRIMINATOR_KEYS) == Some(key)
            })
        })
    };
    for window in DISCRIMINATOR_KEYS.windows(2) {
        if entries.get(window[1]).is_some()
            && entries.get(window[0]).is_none()
            && !misspelt(window[0])
        {
            diags.push(
                node.pos,
                context,
                format!(
                    "discriminator `{}` is given without `{}`",
                    window[1], window[0]
                ),
            );
        }
    }
    out
}

/// Reads the params of an operation; a REST operation's (`rest`) must each say where they go.
fn read_params(node: &Node, context: &str, rest: bool, diags: &mut Diagnostics) -> Vec<Param> {
    let Some(entries) = Entries::of(node, context, diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in entries.entries {
        let Some(wire) = scalar_text(key, context, "param name", diags) else {
            continue;
        };
        let param_context = format!("{context} param `{wire}`");
        let Some(param) = Entries::of(value, &param_context, diags) else {
            continue;
        };
        param.check_keys(PARAM_KEYS, diags);
        let ty = read_type(&param, "type", diags);
        let required = param.flag("required", diags);
        let location = param.choice("in", (!rest).then_some(Location::Data), diags);
        let wire_as = param
            .get("as")
            .and_then(|_| param.choice("as", None, diags));
        let rust = param
            .text("rust", false, diags)
            .unwrap_or_else(|| snake_case(&wire));
        let doc = param.text("doc", false, diags);
        let inferred = param.flag("inferred", diags);
        let secret = param.flag("secret", diags);
        let default = param
            .get("default")
            .and_then(|node| json_value(node, &param_context, diags));
        let (Some(ty), Some(location)) = (ty, location) else {
            continue;
        };
        out.push(Param {
            wire,
            rust,
            ty,
            required,
            location,
            wire_as,
            default,
            doc,
            inferred,
            secret,
            pos: key.pos,
        });
    }
    out
}

fn read_paging(node: &Node, context: &str, diags: &mut Diagnostics) -> Option<Paging> {
    let paging_context = format!("{context} paging");
    let entries = Entries::of(node, &paging_context, diags)?;
    entries.check_keys(PAGING_KEYS, diags);
    entries.choice("style", Some(PagingStyle::Offset), diags);
    let number = |key: &str, default: u32, diags: &mut Diagnostics| match entries.get(key) {
        None => default,
        Some(node) => match node.as_scalar().and_then(|t| t.parse::<u32>().ok()) {
            Some(v) if v > 0 => v,
            _ => {
                diags.push(
                    node.pos,
                    &paging_context,
                    format!("`{key}` must be a positive integer"),
                );
                default
            }
        },
    };
    let default_limit = number("default_limit", 20, diags);
    let max_limit = number("max_limit", 100, diags);
    let first_page_only = entries
        .get("first_page_only")
        .map(|node| read_text_list(node, &paging_context, "first_page_only", diags))
        .unwrap_or_default();
    Some(Paging {
        offset: entries
            .text("offset", false, diags)
            .unwrap_or_else(|| "offset".into()),
        limit: entries
            .text("limit", false, diags)
            .unwrap_or_else(|| "limit".into()),
        items: entries.text("items", false, diags),
        default_limit,
        max_limit,
        first_page_only,
        pos: node.pos,
    })
}

/// Reads an example; a REST operation's (`rest`) may show only an answer.
fn read_example(
    node: &Node,
    context: &str,
    rest: bool,
    diags: &mut Diagnostics,
) -> Option<Example> {
    let example_context = format!("{context} example");
    let entries = Entries::of(node, &example_context, diags)?;
    entries.check_keys(EXAMPLE_KEYS, diags);
    let mut headers = Vec::new();
    if let Some(node) = entries.get("headers") {
        if let Some(map) = Entries::of(node, &example_context, diags) {
            for (key, value) in map.entries {
                if let (Some(k), Some(v)) = (
                    scalar_text(key, &example_context, "header name", diags),
                    scalar_text(value, &example_context, "header value", diags),
                ) {
                    headers.push((k, v));
                }
            }
        }
    }
    let mut renamed = Vec::new();
    if let Some(node) = entries.get("renamed") {
        if let Some(map) = Entries::of(node, &example_context, diags) {
            for (key, value) in map.entries {
                if let (Some(from), Some(to)) = (
                    scalar_text(key, &example_context, "renamed key", diags),
                    scalar_text(value, &example_context, "renamed key", diags),
                ) {
                    renamed.push((from, to));
                }
            }
        }
    }
    Some(Example {
        name: entries.text("name", true, diags).unwrap_or_default(),
        headers,
        request: match entries.text("request", !rest, diags) {
            None if !rest => return None,
            request => request,
        },
        response: entries.text("response", false, diags),
        renamed,
        note: entries.text("note", false, diags),
        // Where its `name` is written: the line of its `- name:`, not the one after.
        pos: entries.key_pos("name").unwrap_or(node.pos),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_key_is_suggested() {
        assert_eq!(nearest("requird", FIELD_KEYS), Some("required"));
        assert_eq!(nearest("zzzzzz", FIELD_KEYS), None);
    }
}
