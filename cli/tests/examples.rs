//! Every example request of the vendor's collection can be given to the CLI as flags, and the
//! flags make the very typed request the example is: the request a server reads from the
//! example body (`AnyRequest::from_json`) equals the one the CLI builds from the flags. With
//! `tests/sdk/collection_wire.rs` of the SDK (a typed request sends its example exactly), this
//! shows the CLI sends every example exactly.

use chatrace::{AnyRequest, FileUpload, OperationMeta, ParamLocation, OPERATIONS};
use chatrace_cli::body::WireRequest;
use chatrace_cli::commands::operation_command;
use chatrace_cli::flags::{kebab, param_flags, ParamFlag, ValueKind};
use chatrace_cli::typed::typed_request;
use serde_json::Value;

/// The account the examples' `{{account_id}}` placeholders stand for.
const ACCOUNT_ID: u64 = 1_234_567;

/// The example body, as the SDK reads it: placeholders filled, renamed keys renamed.
fn example_body(example: &chatrace::ExampleMeta) -> Value {
    let text = chatrace_codegen::model::fill_placeholders(example.request, ACCOUNT_ID);
    let mut body: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", example.name));
    if let Value::Object(map) = &mut body {
        for (from, to) in example.renamed {
            if let Some(value) = map.remove(*from) {
                map.insert((*to).to_owned(), value);
            }
        }
    }
    body
}

/// A JSON scalar as the text a user types; anything else as its JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The flag arguments that give `value` to `flag`.
fn flag_args(flag: &ParamFlag, value: &Value) -> Vec<String> {
    let long = format!("--{}", flag.long);
    if value.is_null() {
        // The SDK sends the param's default (null) when the flag is left out.
        assert!(
            flag.param.default == Some("null"),
            "{long}: null without a null default"
        );
        return Vec::new();
    }
    if flag.shape.list {
        let items = value.as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            // An empty list: a JSON array where the items are JSON; else the default.
            return match flag.shape.kind {
                ValueKind::Json | ValueKind::Object(_) => vec![long, "[]".into()],
                _ => Vec::new(),
            };
        }
        return items
            .iter()
            .flat_map(|item| [long.clone(), text(item)])
            .collect();
    }
    let given = match flag.shape.kind {
        ValueKind::Boolean => match value {
            Value::Bool(b) => b.to_string(),
            other => (text(other).trim() == "1").to_string(),
        },
        _ => text(value),
    };
    vec![long, given]
}

/// The flags that give the example's values, and the file to upload when there is one.
fn flags_of(
    op: &'static OperationMeta,
    body: &Value,
    headers: &[(&str, &str)],
    file: &std::path::Path,
) -> Vec<String> {
    let mut args = Vec::new();
    for flag in param_flags(op) {
        let param = flag.param;
        let value = match param.location {
            _ if flag.shape.kind == ValueKind::File => {
                Some(Value::String(file.display().to_string()))
            }
            ParamLocation::Top => body.get(param.wire).cloned(),
            ParamLocation::Data => body.get("data").and_then(|d| d.get(param.wire)).cloned(),
            ParamLocation::Header => headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(param.wire))
                .map(|(_, value)| Value::String((*value).to_owned())),
            // The examples are the mobile collection's, whose params have no REST location.
            ParamLocation::Path
            | ParamLocation::Query
            | ParamLocation::Form
            | ParamLocation::Body => None,
        };
        if let Some(value) = value {
            args.extend(flag_args(&flag, &value));
        }
    }
    args
}

fn account_of(body: &Value) -> Option<u64> {
    match body.get("account_id")? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[test]
fn every_vendor_example_is_a_command_line_that_makes_its_typed_request() {
    let file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    for op in OPERATIONS.iter().copied() {
        for example in op.examples {
            let what = format!("{} / {}", op.name, example.name);
            let body = example_body(example);
            let header = |name: &str| {
                example
                    .headers
                    .iter()
                    .find(|(h, _)| h.eq_ignore_ascii_case(name))
                    .map(|(_, v)| (*v).to_owned())
            };
            let mut expected = AnyRequest::from_json(body.clone(), header)
                .unwrap_or_else(|e| panic!("{what}: the example does not read: {e}"));
            assert_eq!(expected.meta().name, op.name, "{what}");

            let flags = flags_of(op, &body, example.headers, file.path());
            let args = std::iter::once(kebab(op.name)).chain(flags.iter().cloned());
            let matches = operation_command(op)
                .try_get_matches_from(args)
                .unwrap_or_else(|e| panic!("{what}: {flags:?}: {e}"));
            let wire = WireRequest::from_matches(op, &matches, account_of(&body));
            let actual = typed_request(&kebab(op.name), &wire)
                .unwrap_or_else(|e| panic!("{what}: {flags:?}: {e}\n{wire:?}"));
            for (name, _) in wire.files() {
                let attached = expected.attach_file(name, FileUpload::from_path(file.path()));
                assert!(attached.is_ok(), "{what}: no file param {name}");
            }
            assert_eq!(actual, expected, "{what}: {flags:?}");
            checked += 1;
        }
    }
    let examples: usize = OPERATIONS.iter().map(|op| op.examples.len()).sum();
    assert_eq!(checked, examples);
    assert!(
        checked >= 60,
        "the collection has 60 examples, checked {checked}"
    );
}
