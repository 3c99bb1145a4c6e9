//! From parsed flags back to a request: the body map, the header params and the files.

use chatrace::{FileUpload, OperationMeta, ParamLocation, ParamMeta, WireAs};
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

impl Request {
    /// Sets the param whose wire name is `wire` (ignored when `op` has none), in its wire form
    /// and place, over any value it had: how `--all` sets the offset and page size.
    pub fn set(&mut self, op: &'static OperationMeta, wire: &str, value: Value) {
        let Some(param) = op.params.iter().find(|p| p.wire == wire) else {
            return;
        };
        let value = wire_form(param, value);
        match param.location {
            ParamLocation::Top => {
                self.body.insert(param.wire.to_owned(), value);
            }
            ParamLocation::Data => {
                let data = self
                    .body
                    .entry("data")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(data) = data {
                    data.insert(param.wire.to_owned(), value);
                }
            }
            ParamLocation::Header => {
                let text = match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                self.headers.retain(|(name, _)| *name != param.wire);
                self.headers.push((param.wire, text));
            }
        }
    }

    /// The value of the top-level or `data` param whose wire name is `wire`, as sent.
    pub fn get(&self, op: &'static OperationMeta, wire: &str) -> Option<&Value> {
        let param = op.params.iter().find(|p| p.wire == wire)?;
        match param.location {
            ParamLocation::Top => self.body.get(wire),
            ParamLocation::Data => self.body.get("data")?.get(wire),
            ParamLocation::Header => None,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::operation_command;
    use chatrace::{Auth, BodyEncoding, OperationKind, Provenance, Scope};
    use serde_json::json;

    const fn param(
        wire: &'static str,
        rust: &'static str,
        ty: &'static str,
        location: ParamLocation,
        wire_as: WireAs,
    ) -> ParamMeta {
        ParamMeta {
            wire,
            rust,
            ty,
            required: false,
            location,
            wire_as,
            doc: "A param.",
            enum_values: &[],
        }
    }

    static PARAMS: [ParamMeta; 11] = [
        ParamMeta {
            required: true,
            ..param("id", "id", "id", ParamLocation::Top, WireAs::Number)
        },
        param(
            "ms_id",
            "contact_id",
            "id",
            ParamLocation::Top,
            WireAs::String,
        ),
        param(
            "text",
            "text",
            "string",
            ParamLocation::Data,
            WireAs::String,
        ),
        param(
            "tags",
            "tag_ids",
            "list<id>",
            ParamLocation::Top,
            WireAs::Number,
        ),
        param(
            "value",
            "archived",
            "boolean",
            ParamLocation::Data,
            WireAs::String,
        ),
        param(
            "cdts",
            "conditions",
            "json",
            ParamLocation::Top,
            WireAs::String,
        ),
        ParamMeta {
            enum_values: &["4", "-1"],
            ..param(
                "status",
                "status",
                "OrderStatus",
                ParamLocation::Data,
                WireAs::String,
            )
        },
        ParamMeta {
            enum_values: &["ios", "android"],
            ..param(
                "X-PLATFORM",
                "platform",
                "Platform",
                ParamLocation::Header,
                WireAs::String,
            )
        },
        param(
            "total",
            "total",
            "number",
            ParamLocation::Data,
            WireAs::String,
        ),
        param("file", "file", "file", ParamLocation::Data, WireAs::String),
        // Takes a global flag's name: becomes --param-token.
        param(
            "token",
            "token",
            "string",
            ParamLocation::Top,
            WireAs::String,
        ),
    ];

    static OP: OperationMeta = OperationMeta {
        name: "do_everything",
        title: "Do everything",
        summary: "A made-up operation with one param of each kind.",
        provenance: Provenance::Inferred,
        kind: OperationKind::Write,
        discriminators: &[("op", "test")],
        auth: Auth::Token,
        scope: Scope::Account,
        session: None,
        body: BodyEncoding::Json,
        retry_safe: false,
        params: &PARAMS,
        paging: None,
        response: None,
    };

    fn parse(args: &[&str]) -> Result<Request, clap::Error> {
        let command = operation_command(&OP);
        let args = std::iter::once("do-everything").chain(args.iter().copied());
        command
            .try_get_matches_from(args)
            .map(|m| from_matches(&OP, &m))
    }

    #[test]
    fn flags_go_where_the_catalogue_says_in_their_wire_form() {
        let request = parse(&[
            "--id=1000000",
            "--contact-id=12345",
            "--text=hello, world",
            "--tag-ids=1,2",
            "--tag-ids=3",
            "--archived",
            "--conditions=[{\"a\":1}]",
            "--status=-1",
            "--platform=ios",
            "--total=12.5",
            "--file=/tmp/x.png",
            "--param-token=t",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Value::Object(request.body),
            json!({
                "id": 1000000,
                "ms_id": "12345",
                "tags": [1, 2, 3],
                "cdts": [{"a": 1}],
                "token": "t",
                "data": {"text": "hello, world", "value": true, "status": -1, "total": "12.5"},
            })
        );
        assert_eq!(request.headers, vec![("X-PLATFORM", "ios".to_owned())]);
        assert_eq!(request.files.len(), 1);
        assert_eq!(request.files[0].0, "file");
        assert_eq!(request.files[0].1.file_name(), Some("x.png"));
    }

    #[test]
    fn data_json_is_the_starting_data_and_flags_win() {
        let request = parse(&[
            "--id",
            "1",
            "--archived",
            "false",
            "--data-json",
            r#"{"value": true, "extra": [1]}"#,
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            request.body.get("data"),
            Some(&json!({"value": false, "extra": [1]}))
        );
    }

    #[test]
    fn data_is_sent_even_when_empty_when_the_operation_has_data_params() {
        let request = parse(&["--id", "1"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Value::Object(request.body), json!({"id": 1, "data": {}}));
    }

    #[test]
    fn bad_values_are_usage_errors() {
        for args in [
            &["--id", "-5"][..],
            &["--id", "abc"],
            &["--id", "1", "--status", "5"],
            &["--id", "1", "--platform", "windows"],
            &["--id", "1", "--total", "NaN"],
            &["--id", "1", "--conditions", "{"],
            &["--id", "1", "--data-json", "[1]"],
            &["--id", "1", "--archived", "maybe"],
            &[],
        ] {
            let e = parse(args)
                .err()
                .unwrap_or_else(|| panic!("{args:?} parsed"));
            assert_eq!(e.exit_code(), 2, "{args:?}: {e}");
        }
        let e = parse(&[]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("--id <ID>"), "{e}");
    }

    #[test]
    fn values_by_rust_name() {
        let request = from_values(
            &OP,
            &[
                ("contact_id", json!(7)),
                ("text", json!("hi")),
                ("nope", json!(1)),
            ],
        );
        assert_eq!(
            Value::Object(request.body),
            json!({"ms_id": "7", "data": {"text": "hi"}})
        );
    }
}
