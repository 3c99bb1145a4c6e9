//! The wire-shaped request a command describes: the JSON body as the vendor's server reads it
//! (discriminators, constants, `account_id`, top-level params, the `data` object), the header
//! params, and the files.
//!
//! This is only the input of the typed SDK: [`crate::typed`] reads it back into the
//! operation's typed request with `AnyRequest::from_json`, which applies every rule of the
//! catalogue (defaults, `as` forms, the multipart `param` field) when the request is sent.

use std::fmt;

use chatrace::{FileUpload, OperationMeta, ParamLocation, ParamMeta, Scope, SentBytes};
use clap::ArgMatches;
use serde_json::{Map, Value};

use crate::flags::{flag_value, param_flags, shape_of, ValueKind};

/// A request of one operation, in the shape of its wire body.
#[derive(Clone)]
pub struct WireRequest {
    op: &'static OperationMeta,
    body: Map<String, Value>,
    headers: Vec<(&'static str, String)>,
    files: Vec<(&'static str, FileUpload)>,
}

impl WireRequest {
    /// The fixed part of `op`'s body: its discriminators, its constants, and for an
    /// account-scoped operation `account_id` when one is known.
    pub fn new(op: &'static OperationMeta, account_id: Option<u64>) -> Self {
        let mut request = WireRequest {
            op,
            body: Map::new(),
            headers: Vec::new(),
            files: Vec::new(),
        };
        for (key, value) in op.discriminators {
            request
                .body
                .insert((*key).to_owned(), Value::String((*value).to_owned()));
        }
        for (path, text) in op.constants {
            // The catalogue writes each constant as JSON text; an unreadable one is left out
            // (the typed request sends it anyway).
            if let Ok(value) = serde_json::from_str::<Value>(text) {
                request.insert_at(path, value);
            }
        }
        if let (Scope::Account, Some(account_id)) = (op.scope, account_id) {
            request
                .body
                .insert("account_id".to_owned(), Value::from(account_id));
        }
        request
    }

    /// The request an operation subcommand's flags describe.
    pub fn from_matches(
        op: &'static OperationMeta,
        matches: &ArgMatches,
        account_id: Option<u64>,
    ) -> Self {
        let mut request = WireRequest::new(op, account_id);
        for flag in param_flags(op) {
            if let Some(value) = flag_value(&flag, matches) {
                request.set(flag.param, value);
            }
        }
        request
    }

    /// The request made of `values`, given by the params' wire names (`("email", "a@b.c")`):
    /// what the built-in commands (`login`) send.
    ///
    /// # Errors
    ///
    /// The first name `op` has no param of.
    pub fn from_values(
        op: &'static OperationMeta,
        values: Vec<(&str, Value)>,
        account_id: Option<u64>,
    ) -> Result<Self, String> {
        let mut request = WireRequest::new(op, account_id);
        for (wire, value) in values {
            let param = op
                .params
                .iter()
                .find(|p| p.wire == wire)
                .ok_or_else(|| format!("{} has no param `{wire}`", op.name))?;
            request.set(param, value);
        }
        Ok(request)
    }

    /// The operation.
    pub fn op(&self) -> &'static OperationMeta {
        self.op
    }

    /// The JSON body.
    pub fn body(&self) -> &Map<String, Value> {
        &self.body
    }

    /// The header params, by header name.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The value of the header `name`, when a param sets it.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    }

    /// The file params, by wire name.
    pub fn files(&self) -> &[(&'static str, FileUpload)] {
        &self.files
    }

    /// Counts the bytes of every file into `sent` as they are sent; answers their total length
    /// (the files that cannot be measured count 0).
    pub async fn count_sent(&mut self, sent: &SentBytes) -> u64 {
        let mut total = 0;
        for (_, file) in &mut self.files {
            total += file.length().await.unwrap_or(0);
            *file = file.clone().counting(sent.clone());
        }
        total
    }

    /// Sets a param of the operation, over any value it had: at the top of the body, in
    /// `data`, as a header (its text), or as a file (the value is its path).
    pub fn set(&mut self, param: &'static ParamMeta, value: Value) {
        if shape_of(param).kind == ValueKind::File {
            self.files.retain(|(wire, _)| *wire != param.wire);
            if let Value::String(path) = value {
                self.files.push((param.wire, FileUpload::from_path(path)));
            }
            return;
        }
        match param.location {
            // A REST operation's params are kept by name, like top-level keys: the REST wire
            // style places each where its `in` says when the request is sent.
            ParamLocation::Top
            | ParamLocation::Path
            | ParamLocation::Query
            | ParamLocation::Form
            | ParamLocation::Body => {
                self.body.insert(param.wire.to_owned(), value);
            }
            ParamLocation::Data => self.insert_at(&format!("data.{}", param.wire), value),
            ParamLocation::Header => {
                let text = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                self.headers.retain(|(name, _)| *name != param.wire);
                self.headers.push((param.wire, text));
            }
        }
    }

    /// The value of a param, as set (`None` when not set).
    pub fn get(&self, param: &'static ParamMeta) -> Option<Value> {
        if shape_of(param).kind == ValueKind::File {
            return self
                .files
                .iter()
                .find(|(wire, _)| *wire == param.wire)
                .and_then(|(_, file)| file.path())
                .map(|path| Value::String(path.display().to_string()));
        }
        match param.location {
            ParamLocation::Top
            | ParamLocation::Path
            | ParamLocation::Query
            | ParamLocation::Form
            | ParamLocation::Body => self.body.get(param.wire).cloned(),
            ParamLocation::Data => self.body.get("data")?.get(param.wire).cloned(),
            ParamLocation::Header => self.header(param.wire).map(Value::String),
        }
    }

    /// Unsets a param.
    pub fn remove(&mut self, param: &'static ParamMeta) {
        self.files.retain(|(wire, _)| *wire != param.wire);
        match param.location {
            ParamLocation::Top
            | ParamLocation::Path
            | ParamLocation::Query
            | ParamLocation::Form
            | ParamLocation::Body => {
                self.body.remove(param.wire);
            }
            ParamLocation::Data => {
                if let Some(Value::Object(data)) = self.body.get_mut("data") {
                    data.remove(param.wire);
                }
            }
            ParamLocation::Header => self.headers.retain(|(name, _)| *name != param.wire),
        }
    }

    /// The params that are set, in catalogue order.
    pub fn params_set(&self) -> Vec<&'static ParamMeta> {
        self.op
            .params
            .iter()
            .filter(|p| self.get(p).is_some())
            .collect()
    }

    /// Inserts `value` at a path of the body (`me`, `data.fb_id`), creating `data`.
    fn insert_at(&mut self, path: &str, value: Value) {
        match path.split_once('.') {
            Some((outer, inner)) => {
                let slot = self
                    .body
                    .entry(outer.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(object) = slot {
                    object.insert(inner.to_owned(), value);
                }
            }
            None => {
                self.body.insert(path.to_owned(), value);
            }
        }
    }
}

/// Shows the body and headers with the values of secret params as `***`.
impl fmt::Debug for WireRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.clone();
        for param in self.op.params.iter().filter(|p| p.secret) {
            if shown.get(param).is_some() {
                shown.set(param, Value::String("***".to_owned()));
            }
        }
        let files: Vec<Option<&str>> = self.files.iter().map(|(_, f)| f.file_name()).collect();
        f.debug_struct("WireRequest")
            .field("op", &self.op.name)
            .field("body", &format_args!("{}", Value::Object(shown.body)))
            .field("headers", &shown.headers)
            .field("files", &files)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::operation_command;
    use chatrace::{
        Auth, BodyEncoding, EnumRepr, OperationKind, Provenance, ResponseIn, Scalar, TypeShape,
        WireAs,
    };
    use serde_json::json;

    const fn param(
        wire: &'static str,
        rust: &'static str,
        ty: TypeShape,
        location: ParamLocation,
    ) -> ParamMeta {
        ParamMeta {
            wire,
            rust,
            ty,
            required: false,
            location,
            wire_as: WireAs::String,
            doc: "A param.",
            default: None,
            secret: false,
        }
    }

    const CONTACT_ID: TypeShape = TypeShape::Id { name: "ContactId" };
    const TAG_ID: TypeShape = TypeShape::Id { name: "TagId" };

    static PARAMS: [ParamMeta; 12] = [
        ParamMeta {
            required: true,
            ..param("ms_id", "contact_id", CONTACT_ID, ParamLocation::Top)
        },
        ParamMeta {
            required: true,
            ..param(
                "op2",
                "kind",
                TypeShape::Enum {
                    name: "UploadKind",
                    repr: EnumRepr::String,
                    values: &["image", "voice"],
                },
                ParamLocation::Top,
            )
        },
        param(
            "text",
            "text",
            TypeShape::Scalar(Scalar::String),
            ParamLocation::Data,
        ),
        param(
            "tags",
            "tag_ids",
            TypeShape::List(&TAG_ID),
            ParamLocation::Top,
        ),
        param(
            "value",
            "archived",
            TypeShape::Scalar(Scalar::Boolean),
            ParamLocation::Data,
        ),
        param(
            "cdts",
            "filters",
            TypeShape::List(&TypeShape::Struct {
                name: "ConversationFilter",
            }),
            ParamLocation::Top,
        ),
        param(
            "status",
            "status",
            TypeShape::Enum {
                name: "OrderStatus",
                repr: EnumRepr::Integer,
                values: &["4", "-1"],
            },
            ParamLocation::Data,
        ),
        param(
            "X-PLATFORM",
            "platform",
            TypeShape::Enum {
                name: "Platform",
                repr: EnumRepr::String,
                values: &["ios", "android"],
            },
            ParamLocation::Header,
        ),
        param(
            "timestamp",
            "read_until",
            TypeShape::Scalar(Scalar::Seconds),
            ParamLocation::Top,
        ),
        param(
            "file",
            "file",
            TypeShape::Scalar(Scalar::File),
            ParamLocation::Top,
        ),
        // Takes a global flag's name: becomes --param-token.
        ParamMeta {
            secret: true,
            ..param(
                "token",
                "token",
                TypeShape::Scalar(Scalar::String),
                ParamLocation::Top,
            )
        },
        ParamMeta {
            default: Some("null"),
            ..param(
                "calendarID",
                "calendar_id",
                TypeShape::Id { name: "CalendarId" },
                ParamLocation::Top,
            )
        },
    ];

    static OP: OperationMeta = OperationMeta {
        name: "do_everything",
        title: "Do everything",
        summary: "A made-up operation with one param of each kind.",
        api: chatrace::Api::Mobile,
        http: None,
        provenance: Provenance::Inferred,
        inferred: &[],
        kind: OperationKind::Write,
        discriminators: &[("op", "test"), ("op1", "all")],
        auth: Auth::Token,
        scope: Scope::Account,
        account_as: WireAs::Number,
        session: None,
        body: BodyEncoding::Json,
        retry_safe: false,
        constants: &[("me", "true"), ("data.fb_id", "0")],
        params: &PARAMS,
        paging: None,
        response: None,
        response_in: ResponseIn::Data,
        examples: &[],
    };

    fn parse(args: &[&str]) -> Result<WireRequest, clap::Error> {
        let command = operation_command(&OP);
        let args = std::iter::once("do-everything").chain(args.iter().copied());
        command
            .try_get_matches_from(args)
            .map(|m| WireRequest::from_matches(&OP, &m, Some(42)))
    }

    #[test]
    fn flags_go_where_the_catalogue_says() {
        let file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        let path = file.path().display().to_string();
        let request = parse(&[
            "--contact-id=2850008055041461",
            "--kind=voice",
            "--text=hello, world",
            "--tag-ids=1,2",
            "--tag-ids=3",
            "--archived",
            r#"--filters={"atrb_name":"phone","oprt":"6"}"#,
            "--status=-1",
            "--platform=ios",
            "--read-until=1688459542",
            &format!("--file={path}"),
            "--param-token=t",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            Value::Object(request.body().clone()),
            json!({
                "op": "test", "op1": "all", "op2": "voice", "me": true, "account_id": 42,
                "ms_id": "2850008055041461",
                "tags": ["1", "2", "3"],
                "cdts": [{"atrb_name": "phone", "oprt": "6"}],
                "timestamp": "1688459542",
                "token": "t",
                "data": {"fb_id": 0, "text": "hello, world", "value": true, "status": -1},
            })
        );
        assert_eq!(request.headers(), [("X-PLATFORM", "ios".to_owned())]);
        assert_eq!(request.files().len(), 1);
        assert_eq!(request.files()[0].0, "file");
        assert_eq!(request.files()[0].1.path(), Some(file.path()));
        let debug = format!("{request:?}");
        assert!(debug.contains("\"token\":\"***\""), "{debug}");
    }

    #[test]
    fn unset_params_are_not_sent_whatever_their_default() {
        let request =
            parse(&["--contact-id", "1", "--kind", "image"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            request.body().get("calendarID"),
            None,
            "the SDK sends the default"
        );
        assert_eq!(request.params_set().len(), 2);
    }

    #[test]
    fn bad_values_are_usage_errors_naming_the_flag() {
        for (args, flag) in [
            (&["--contact-id", "1"][..], "--kind"),
            (&["--kind", "image"], "--contact-id"),
            (&["--contact-id", "1", "--kind", "audio"], "--kind"),
            (
                &["--contact-id", "1", "--kind", "image", "--status", "5"],
                "--status",
            ),
            (
                &["--contact-id", "1", "--kind", "image", "--platform", "web"],
                "--platform",
            ),
            (
                &["--contact-id", "1", "--kind", "image", "--filters", "{"],
                "--filters",
            ),
            (
                &[
                    "--contact-id",
                    "1",
                    "--kind",
                    "image",
                    "--archived",
                    "maybe",
                ],
                "--archived",
            ),
            (
                &[
                    "--contact-id",
                    "1",
                    "--kind",
                    "image",
                    "--read-until",
                    "soon",
                ],
                "--read-until",
            ),
            (
                &["--contact-id", "1", "--kind", "image", "--file", "/no/such"],
                "--file",
            ),
        ] {
            let e = parse(args)
                .err()
                .unwrap_or_else(|| panic!("{args:?} parsed"));
            assert_eq!(e.exit_code(), 2, "{args:?}: {e}");
            assert!(e.to_string().contains(flag), "{args:?}: {e}");
        }
    }

    #[test]
    fn values_by_wire_name() {
        let request = WireRequest::from_values(
            &OP,
            vec![("ms_id", json!("7")), ("text", json!("hi"))],
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.body().get("ms_id"), Some(&json!("7")));
        assert_eq!(request.body()["data"]["text"], "hi");
        assert!(
            request.body().get("account_id").is_none(),
            "no account known"
        );
        assert!(WireRequest::from_values(&OP, vec![("nope", json!(1))], None).is_err());
    }

    #[test]
    fn set_get_remove() {
        let mut request = WireRequest::new(&OP, None);
        let status = &PARAMS[6];
        request.set(status, json!(4));
        assert_eq!(request.get(status), Some(json!(4)));
        request.remove(status);
        assert_eq!(request.get(status), None);
        assert_eq!(
            request.body()["data"],
            json!({"fb_id": 0}),
            "the constant stays"
        );
    }
}
