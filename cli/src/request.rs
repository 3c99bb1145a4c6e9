//! From parsed flags back to a request: the body map, the header params and the files.

use chatrace_runtime::{FileUpload, OperationMeta, ParamLocation, ParamMeta, WireAs};
use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::commands::{element_type, param_flags, DATA_JSON};

/// A request built at run time, ready for `Handle::execute_json_with_files`.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The body: top-level params and the `data` object (discriminators and `account_id` are
    /// added by the runtime).
    pub body: Map<String, Value>,
    /// The header params, by header name.
    pub headers: Vec<(&'static str, String)>,
    /// The file params, by wire name (multipart operations).
    pub files: Vec<(&'static str, FileUpload)>,
}

/// The request an operation subcommand's flags describe.
///
/// Values are placed where the catalogue says (top level, `data`, header); `--data-json` is the
/// starting `data` object and flags win over its keys; numbers sent `as: string` become JSON
/// strings. When the operation has a `data` param (or `--data-json` is given) the body carries
/// a `data` object, empty or not.
pub fn from_matches(op: &'static OperationMeta, matches: &ArgMatches) -> Request {
    let mut values = Vec::new();
    for flag in param_flags(op) {
        let (_, is_list) = element_type(flag.param.ty);
        let value = if is_list {
            matches
                .try_get_many::<Value>(&flag.id)
                .ok()
                .flatten()
                .map(|many| Value::Array(many.cloned().collect()))
        } else {
            matches
                .try_get_one::<Value>(&flag.id)
                .ok()
                .flatten()
                .cloned()
        };
        if let Some(value) = value {
            values.push((flag.param, value));
        }
    }
    let data = matches
        .try_get_one::<Value>(DATA_JSON)
        .ok()
        .flatten()
        .and_then(|v| v.as_object().cloned());
    build(op, data, values)
}

/// The request made of `values`, given by the params' Rust names (`("email", "a@b.c")`);
/// names the operation does not declare are ignored. Used by the built-in commands (login).
pub fn from_values(op: &'static OperationMeta, values: &[(&str, Value)]) -> Request {
    let values = values
        .iter()
        .filter_map(|(rust, value)| {
            op.params
                .iter()
                .find(|p| p.rust.trim_start_matches("r#") == *rust)
                .map(|p| (p, value.clone()))
        })
        .collect();
    build(op, None, values)
}

fn build(
    op: &'static OperationMeta,
    data_json: Option<Map<String, Value>>,
    values: Vec<(&'static ParamMeta, Value)>,
) -> Request {
    let has_data =
        data_json.is_some() || op.params.iter().any(|p| p.location == ParamLocation::Data);
    let mut data = data_json.unwrap_or_default();
    let mut request = Request::default();
    for (param, value) in values {
        if element_type(param.ty).0 == "file" {
            if let Value::String(path) = &value {
                request
                    .files
                    .push((param.wire, FileUpload::from_path(path.as_str())));
            }
            continue;
        }
        let value = wire_form(param, value);
        match param.location {
            ParamLocation::Top => {
                request.body.insert(param.wire.to_owned(), value);
            }
            ParamLocation::Data => {
                data.insert(param.wire.to_owned(), value);
            }
            ParamLocation::Header => {
                let text = match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                request.headers.push((param.wire, text));
            }
        }
    }
    if has_data {
        request.body.insert("data".to_owned(), Value::Object(data));
    }
    request
}

/// The JSON form a value is sent as: numeric scalars (`id`, `integer`, `number`) marked
/// `as: string` become strings; everything else keeps its natural form, as the typed SDK
/// sends it.
pub fn wire_form(param: &ParamMeta, value: Value) -> Value {
    let numeric = matches!(param.ty.trim(), "id" | "integer" | "number");
    match value {
        Value::Number(n) if numeric && param.wire_as == WireAs::String => {
            Value::String(n.to_string())
        }
        other => other,
    }
}
