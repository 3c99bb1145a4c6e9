//! The typed model of a catalogue, as loaded from `api-spec.yaml` (format: docs/catalogue.md).

use crate::diag::Pos;

// The catalogue's vocabulary: each enum is declared once, in `chatrace-vocab`, with its
// spellings; the runtime and the CLI use the same ones.
pub use chatrace_vocab::{
    Api, Auth, BodyEncoding, EnumRepr, ErrorSource, HttpMethod, OperationKind, PagingStyle,
    ParamLocation as Location, Placeholder, Provenance, RealtimeFrame, RealtimePart, ResponseIn,
    Scalar, Scope, SessionEffect, Spelled, WireAs,
};

/// A whole catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// The `api` header: the mobile API's.
    pub api: ApiInfo,
    /// The `public_api` header: the public (REST) API's, when the catalogue has one.
    pub public_api: Option<PublicApi>,
    /// The shared types, in file order.
    pub types: Vec<TypeDef>,
    /// The operations, in file order.
    pub operations: Vec<Operation>,
    /// The realtime socket, when the catalogue describes one.
    pub realtime: Option<Realtime>,
    /// The API's error codes (`errors:`), in file order.
    pub errors: Vec<ErrorCode>,
}

/// One code of the catalogue's `errors` table: what an error answer with it means, the members
/// its envelope then carries, and how a client classifies it.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    /// The code, as the envelope's `code` carries it.
    pub code: i64,
    /// A snake_case name of the code (`invalid_session`).
    pub name: String,
    /// What the code means.
    pub meaning: String,
    /// The members the envelope carries with it: dotted wire path and what it says.
    pub fields: Vec<(String, String)>,
    /// The credentials were refused: a new session may help.
    pub unauthorized: bool,
    /// The same call may succeed later.
    pub retryable: bool,
    /// A failure even when `status` is `"OK"`.
    pub fails_when_ok: bool,
    /// Where what is known of it comes from.
    pub source: ErrorSource,
    /// Where it is declared.
    pub pos: Pos,
}

/// The realtime socket: where it is, what the app sends (frames built from JSON templates) and
/// what it hears (an event type).
#[derive(Debug, Clone, PartialEq)]
pub struct Realtime {
    /// Its documentation.
    pub doc: String,
    /// Where the socket's URL comes from: an operation's answer, and the wire names of its
    /// fields to try, in order (the first that is not empty).
    pub url: Lookup,
    /// Where the logged user's id comes from: an operation's answer and a dotted wire path.
    pub user: Lookup,
    /// What a message to a contact needs to know of them, and the operation that tells it.
    pub contact: ContactLookup,
    /// How a file is uploaded before it is sent.
    pub upload: Option<UploadLookup>,
    /// Hours a contact stays reachable after they last wrote, by channel wire value; `0`:
    /// nothing can be sent on that channel.
    pub reply_windows: Vec<(i64, u32)>,
    /// The operation that still reaches a contact once a channel's reply window has closed
    /// (an approved WhatsApp template), by channel.
    pub past_window: Vec<PastWindow>,
    /// The frames the app sends, by name (`authenticate`, `subscribe`, `send`).
    pub frames: Vec<Frame>,
    /// The message parts the app builds, by name (`text`, `reply`, `file`): JSON templates.
    pub parts: Vec<(String, serde_json::Value)>,
    /// Where an incoming frame's event is, and its type.
    pub events: EventsSpec,
    /// Where it is declared.
    pub pos: Pos,
}

/// The operation that still reaches a contact on a channel once its reply window has closed.
#[derive(Debug, Clone, PartialEq)]
pub struct PastWindow {
    /// The channel's wire value.
    pub channel: i64,
    /// The operation's name.
    pub operation: String,
    /// Where it is declared.
    pub pos: Pos,
}

/// An operation whose answer tells something, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    /// The operation to call (it has no required params).
    pub operation: String,
    /// The wire paths to try in its answer, in order (`websocket`, `me.fb_id`).
    pub paths: Vec<String>,
    /// Where it is declared.
    pub pos: Pos,
}

/// How to look a contact up before sending to them.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactLookup {
    /// The operation that reads a contact.
    pub operation: String,
    /// Its param that takes the contact's id (its only required param).
    pub param: String,
    /// The wire name of the contact's conversation hash in the answer.
    pub hash: String,
    /// The wire name of the contact's channel.
    pub channel: String,
    /// The wire name of when the contact last wrote.
    pub last_interaction: String,
    /// Where it is declared.
    pub pos: Pos,
}

/// How to upload a file before sending it.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadLookup {
    /// The upload operation.
    pub operation: String,
    /// Its params that take the kind of file, the contact and the file.
    pub kind: String,
    /// See `kind`.
    pub contact: String,
    /// See `kind`.
    pub file: String,
    /// Its param that takes the file's name, when it has one: filled from the file's own name.
    pub name: Option<String>,
    /// The wire name of the uploaded file's URL in its answer.
    pub url: String,
    /// Where it is declared.
    pub pos: Pos,
}

/// A frame the app sends: `{"action": <action>, "data": <template filled>}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Its name (`authenticate`, `subscribe`, `send`).
    pub name: String,
    /// The value of the frame's `action`.
    pub action: serde_json::Value,
    /// The struct type its `data` must decode as.
    pub data: String,
    /// Its documentation.
    pub doc: Option<String>,
    /// The `data` to send, with `{placeholders}`.
    pub template: serde_json::Value,
    /// Where it is declared.
    pub pos: Pos,
}

/// Where incoming events are.
#[derive(Debug, Clone, PartialEq)]
pub struct EventsSpec {
    /// The member of an incoming frame that holds the event (`data`).
    pub at: String,
    /// The event type (a union).
    pub ty: String,
    /// Where it is declared.
    pub pos: Pos,
}

impl Realtime {
    /// The frame named `name`.
    pub fn frame(&self, name: &str) -> Option<&Frame> {
        self.frames.iter().find(|f| f.name == name)
    }

    /// The part template named `name`.
    pub fn part(&self, name: &str) -> Option<&serde_json::Value> {
        self.parts.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }
}

impl Catalogue {
    /// The type declared under `name`.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The operation named `name`.
    pub fn operation_named(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.name == name)
    }

    /// The fields a dotted wire path (`me.fb_id`) goes through, from a value of type `ty`; or
    /// why it goes nowhere. Every step but the last must be a struct type of the catalogue.
    ///
    /// # Errors
    ///
    /// The first step that is not a declared field of a struct, in words.
    pub fn field_path<'a>(&'a self, ty: &TypeRef, path: &str) -> Result<Vec<&'a Field>, String> {
        let mut fields: Vec<&Field> = Vec::new();
        let mut at_name = match ty {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        };
        for step in path.split('.') {
            let holder = at_name.ok_or_else(|| match fields.last() {
                Some(field) => format!("`{}` is not a struct, so it has no `{step}`", field.wire),
                None => format!("`{ty}` is not a struct, so it has no `{step}`"),
            })?;
            let Some(TypeKind::Struct { fields: declared }) =
                self.type_named(holder).map(|t| &t.kind)
            else {
                return Err(format!("`{holder}` is not a struct, so it has no `{step}`"));
            };
            let field = declared
                .iter()
                .find(|f| f.wire == step)
                .ok_or_else(|| format!("`{holder}` has no field `{step}`"))?;
            at_name = match &field.ty {
                TypeRef::Named(name) => Some(name.as_str()),
                _ => None,
            };
            fields.push(field);
        }
        Ok(fields)
    }
}

/// The catalogue's `api` header.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApiInfo {
    /// The API's name.
    pub title: String,
    /// Where the vendor documents it.
    pub source: Option<String>,
    /// A description.
    pub doc: Option<String>,
}

/// The catalogue's `public_api` header: how the public (REST) API is reached.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicApi {
    /// The API's name.
    pub title: String,
    /// Where the vendor documents it.
    pub source: Option<String>,
    /// A description.
    pub doc: Option<String>,
    /// The default base URL, absolute and ending in `/`; operation paths are joined to it
    /// without their leading `/`.
    pub base_url: String,
    /// The header that carries the account's API token (a secret) on every request.
    pub auth_header: String,
    /// What the token is.
    pub auth_doc: Option<String>,
    /// The error object an answer may carry, whatever its HTTP status.
    pub error: Option<ErrorObject>,
    /// Where it is declared.
    pub pos: Pos,
}

/// Where an answer of the public API carries its error, and the type it decodes into.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorObject {
    /// The member of a JSON object answer that holds the error (`error`).
    pub at: String,
    /// The struct type of the error object.
    pub ty: String,
    /// Where it is declared.
    pub pos: Pos,
}

/// A shared type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The PascalCase name.
    pub name: String,
    /// Its documentation.
    pub doc: String,
    /// A struct or an enum.
    pub kind: TypeKind,
    /// For a struct: the fields that make its row when a tool shows a list of it (`row:`),
    /// in order; empty when the catalogue names none.
    pub row: Vec<RowField>,
    /// Where it is declared.
    pub pos: Pos,
}

/// A field named in a struct's `row`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowField {
    /// The field's JSON key.
    pub wire: String,
    /// Where the catalogue names it.
    pub pos: Pos,
}

/// What a shared type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// The fields, in file order.
        fields: Vec<Field>,
    },
    /// An enum over wire values.
    Enum {
        /// The wire form of the values.
        repr: EnumRepr,
        /// The known values.
        values: Vec<EnumValue>,
    },
    /// A distinct id type, kept as text.
    Id,
    /// Objects told apart by a tag key.
    Union(Union),
}

/// A union: objects whose `tag` key names which struct they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The key naming the variant (`type`).
    pub tag: String,
    /// The variant of an object without the tag.
    pub default: Option<String>,
    /// Variants an object without the tag is told apart by, before `default`: the first whose
    /// member (a wire name) the object has, as (member, tag value).
    pub by_member: Vec<(String, String)>,
    /// The variants, in file order.
    pub variants: Vec<UnionVariant>,
}

impl Union {
    /// The tag value of an object without the tag that has the members `has` says it has: by
    /// its members, else the default.
    pub fn untagged_variant(&self, has: impl Fn(&str) -> bool) -> Option<&str> {
        self.by_member
            .iter()
            .find(|(member, _)| has(member))
            .map(|(_, tag_value)| tag_value.as_str())
            .or(self.default.as_deref())
    }
}

/// One variant of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The tag's value.
    pub tag_value: String,
    /// The snake_case name; the Rust variant is its PascalCase form.
    pub name: String,
    /// The struct type of the variant.
    pub ty: String,
    /// Its documentation, if the catalogue gives one.
    pub doc: Option<String>,
    /// Where it is declared.
    pub pos: Pos,
}

/// A field of a struct type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON key.
    pub wire: String,
    /// The Rust field name (may be a raw identifier such as `r#type`).
    pub rust: String,
    /// The field's type.
    pub ty: TypeRef,
    /// Whether the field is always present.
    pub required: bool,
    /// Its documentation, if the catalogue gives one.
    pub doc: Option<String>,
    /// Whether the meaning in `doc` is our reading.
    pub inferred: bool,
    /// Whether the value is a credential, never shown by `Debug`.
    pub secret: bool,
    /// The JSON form the catalogue asks for (`as:`); `None`: the type's own form.
    pub wire_as: Option<WireAs>,
    /// Where it is declared.
    pub pos: Pos,
}

impl Field {
    /// How the value is written. Unlike a param's ([`Param::form`]), an id without `as` keeps
    /// its text: the mobile API's answers write ids as strings, while a param's id goes out
    /// as the number the vendor's requests send.
    pub fn form(&self, catalogue: &Catalogue) -> ValueForm {
        match self.wire_as {
            None => ValueForm::Natural,
            wire_as => catalogue.value_form(&self.ty, wire_as),
        }
    }

    /// The JSON form the value is written in.
    pub fn sent_as(&self, catalogue: &Catalogue) -> WireAs {
        catalogue.sent_as(&self.ty, self.form(catalogue))
    }
}

/// One known value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The wire value.
    pub value: EnumLiteral,
    /// The snake_case name; the Rust variant is its PascalCase form.
    pub name: String,
    /// Its documentation, if the catalogue gives one.
    pub doc: Option<String>,
    /// Whether the meaning given to the value is our reading.
    pub inferred: bool,
    /// Where it is declared.
    pub pos: Pos,
}

/// A wire value of an enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumLiteral {
    /// An integer value.
    Integer(i64),
    /// A string value.
    String(String),
}

impl std::fmt::Display for EnumLiteral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnumLiteral::Integer(v) => write!(f, "{v}"),
            EnumLiteral::String(v) => f.write_str(v),
        }
    }
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A built-in scalar.
    Scalar(Scalar),
    /// A shared type, by name.
    Named(String),
    /// `list<T>`.
    List(Box<TypeRef>),
    /// `encoded<T>`: a string holding the JSON of a `T`.
    Encoded(Box<TypeRef>),
}

impl TypeRef {
    /// Parses a type expression such as `list<OrderItem>`.
    pub fn parse(text: &str) -> Result<TypeRef, String> {
        let text = text.trim();
        if let Some(inner) = text
            .strip_prefix("list<")
            .and_then(|rest| rest.strip_suffix('>'))
        {
            return Ok(TypeRef::List(Box::new(TypeRef::parse(inner)?)));
        }
        if let Some(inner) = text
            .strip_prefix("encoded<")
            .and_then(|rest| rest.strip_suffix('>'))
        {
            return Ok(TypeRef::Encoded(Box::new(TypeRef::parse(inner)?)));
        }
        if let Some(scalar) = Scalar::from_spelling(text) {
            return Ok(TypeRef::Scalar(scalar));
        }
        let valid = text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && text.chars().all(|c| c.is_ascii_alphanumeric());
        if valid {
            Ok(TypeRef::Named(text.to_string()))
        } else {
            Err(format!(
                "`{text}` is not a type: expected string, integer, number, boolean, id, millis, seconds, datetime, json, file, a declared PascalCase type, list<T> or encoded<T>"
            ))
        }
    }

    /// The innermost named type, if any.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Scalar(_) => None,
            TypeRef::Named(name) => Some(name),
            TypeRef::List(inner) | TypeRef::Encoded(inner) => inner.named(),
        }
    }

    /// The innermost scalar, if the type is made of one.
    pub fn scalar(&self) -> Option<Scalar> {
        match self {
            TypeRef::Scalar(s) => Some(*s),
            TypeRef::Named(_) => None,
            TypeRef::List(inner) | TypeRef::Encoded(inner) => inner.scalar(),
        }
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Scalar(s) => f.write_str(s.spelling()),
            TypeRef::Named(n) => f.write_str(n),
            TypeRef::List(inner) => write!(f, "list<{inner}>"),
            TypeRef::Encoded(inner) => write!(f, "encoded<{inner}>"),
        }
    }
}

/// The method and path template of a REST operation.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRoute {
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, as written (`/contacts/{contact_id}/tags`).
    pub path: String,
    /// Where it is declared.
    pub pos: Pos,
}

/// An HTTP error status the vendor documents for a REST operation.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    /// The status, 400 to 599.
    pub status: u16,
    /// What it means for this operation.
    pub doc: String,
    /// Where it is declared.
    pub pos: Pos,
}

/// A key always sent with a fixed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Constant {
    /// The wire path: `me`, or `data.fb_id` inside `data`.
    pub path: String,
    /// The value.
    pub value: serde_json::Value,
    /// Where it is declared.
    pub pos: Pos,
}

impl Constant {
    /// Whether the key goes inside `data`, and its key there or at the top.
    pub fn location(&self) -> (Location, &str) {
        match self.path.strip_prefix("data.") {
            Some(key) => (Location::Data, key),
            None => (Location::Top, &self.path),
        }
    }
}

/// How a type writes itself in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NaturalForm {
    /// A JSON number (`integer`, `number`, integer enums).
    Number,
    /// `true`/`false`.
    Boolean,
    /// A string holding an id, which can be sent as a number (and is, unless `as: string`).
    IdText,
    /// A string holding a time, which can be sent as a number with `as: number`.
    TimeText,
    /// Anything else (text, string enums, objects, lists, files).
    Other,
}

/// How a param's or a field's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueForm {
    /// As its type writes itself.
    Natural,
    /// As a JSON string of its text.
    AsString,
    /// As a JSON number (booleans as `1`/`0`; ids and times whose text is a number).
    AsNumber,
}

impl Catalogue {
    /// How a value of `ty` that the catalogue asks `as` `wire_as` is written (a param's or a
    /// field's): ids as numbers unless `as: string`; numbers and booleans as strings with
    /// `as: string`; times and booleans as numbers with `as: number`.
    pub fn value_form(&self, ty: &TypeRef, wire_as: Option<WireAs>) -> ValueForm {
        match (wire_as, self.natural_form(ty)) {
            (None, NaturalForm::IdText) => ValueForm::AsNumber,
            (None, _) => ValueForm::Natural,
            (Some(WireAs::String), NaturalForm::Number | NaturalForm::Boolean) => {
                ValueForm::AsString
            }
            (Some(WireAs::String), _) => ValueForm::Natural,
            (
                Some(WireAs::Number),
                NaturalForm::IdText | NaturalForm::TimeText | NaturalForm::Boolean,
            ) => ValueForm::AsNumber,
            (Some(WireAs::Number), _) => ValueForm::Natural,
        }
    }

    /// The JSON form a value of `ty` written in `form` takes.
    pub fn sent_as(&self, ty: &TypeRef, form: ValueForm) -> WireAs {
        match (form, self.natural_form(ty)) {
            (ValueForm::AsString, _) => WireAs::String,
            (ValueForm::AsNumber, _) | (_, NaturalForm::Number) => WireAs::Number,
            _ => WireAs::String,
        }
    }

    /// How values of `ty` write themselves; a list is judged by its items.
    pub fn natural_form(&self, ty: &TypeRef) -> NaturalForm {
        match ty {
            TypeRef::Scalar(Scalar::Integer | Scalar::Number) => NaturalForm::Number,
            TypeRef::Scalar(Scalar::Boolean) => NaturalForm::Boolean,
            TypeRef::Scalar(Scalar::Id) => NaturalForm::IdText,
            TypeRef::Scalar(Scalar::Millis | Scalar::Seconds) => NaturalForm::TimeText,
            TypeRef::Scalar(_) | TypeRef::Encoded(_) => NaturalForm::Other,
            TypeRef::List(inner) => self.natural_form(inner),
            TypeRef::Named(name) => match self.type_named(name).map(|t| &t.kind) {
                Some(TypeKind::Id) => NaturalForm::IdText,
                Some(TypeKind::Enum {
                    repr: EnumRepr::Integer,
                    ..
                }) => NaturalForm::Number,
                _ => NaturalForm::Other,
            },
        }
    }
}

/// The discriminators of an operation (`op`, `op1`, ...), in order.
pub type Discriminators = Vec<(String, String)>;

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The snake_case name.
    pub name: String,
    /// The vendor's title.
    pub title: String,
    /// What it does.
    pub summary: String,
    /// The area of the API it belongs to (`Inbox`, `Shop`), which groups the client's methods.
    pub area: Option<String>,
    /// The API it belongs to.
    pub api: Api,
    /// Its method and path, for a REST operation (`api: public`).
    pub http: Option<HttpRoute>,
    /// The HTTP error statuses the vendor documents for it (REST operations).
    pub http_errors: Vec<HttpError>,
    /// Where the wire form comes from.
    pub provenance: Provenance,
    /// What inside the operation is still our inference.
    pub inferred: Vec<String>,
    /// Read or write.
    pub kind: OperationKind,
    /// Whether a write may be retried.
    pub idempotent: bool,
    /// `op`, `op1`, ... in order.
    pub discriminators: Discriminators,
    /// How it authenticates.
    pub auth: Auth,
    /// Whether it is account-scoped.
    pub scope: Scope,
    /// The JSON form of `account_id`.
    pub account_as: WireAs,
    /// What it does to the session.
    pub session: Option<SessionEffect>,
    /// How the body is encoded.
    pub body: BodyEncoding,
    /// Keys always sent with a fixed value.
    pub constants: Vec<Constant>,
    /// The params, in file order.
    pub params: Vec<Param>,
    /// The type of the answer, if any.
    pub response: Option<TypeRef>,
    /// Where the answer is.
    pub response_in: ResponseIn,
    /// How the list pages, if it does.
    pub paging: Option<Paging>,
    /// The vendor's examples.
    pub examples: Vec<Example>,
    /// Where it is declared.
    pub pos: Pos,
}

impl Operation {
    /// Whether it is a REST operation of the public API.
    pub fn is_rest(&self) -> bool {
        self.api == Api::Public
    }

    /// Whether the runtime may send it more than once.
    pub fn retry_safe(&self) -> bool {
        self.kind == OperationKind::Read || self.idempotent
    }

    /// The param with wire name `wire`.
    pub fn param(&self, wire: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.wire == wire)
    }

    /// The params that go in `location` (a REST operation's `body` params), in their order.
    pub fn params_in(&self, location: Location) -> Vec<&Param> {
        self.params
            .iter()
            .filter(|p| p.location == location)
            .collect()
    }

    /// The wire paths of the required body params (`id`, `data.code`): with the constants,
    /// what tells apart two operations that share discriminators.
    pub fn required_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .params
            .iter()
            .filter(|p| p.required && !p.is_file() && !p.is_discriminator())
            .filter_map(|p| p.path())
            .collect();
        paths.sort();
        paths
    }

    /// Whether the body has a `data` object: a param or a constant goes in it.
    pub fn has_data(&self) -> bool {
        self.params.iter().any(Param::in_data)
            || self
                .constants
                .iter()
                .any(|c| c.location().0 == Location::Data)
    }

    /// The param that carries a discriminator the caller chooses (`op2` of `upload_file`).
    pub fn discriminator_param(&self) -> Option<&Param> {
        self.params.iter().find(|p| p.is_discriminator())
    }

    /// The discriminator keys, in order, with their fixed value, or `None` for the one the
    /// caller chooses.
    pub fn discriminator_pattern(&self) -> Vec<(String, Option<String>)> {
        let mut pattern: Vec<(String, Option<String>)> = self
            .discriminators
            .iter()
            .map(|(k, v)| (k.clone(), Some(v.clone())))
            .collect();
        if let Some(param) = self.discriminator_param() {
            pattern.push((param.wire.clone(), None));
            pattern.sort_by(|a, b| a.0.cmp(&b.0));
        }
        pattern
    }
}

/// One param of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The wire name (JSON key or header name).
    pub wire: String,
    /// The Rust name.
    pub rust: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// Where it goes.
    pub location: Location,
    /// The JSON form the catalogue asks for (`as:`); `None`: the type's own form, except ids,
    /// which are sent as numbers.
    pub wire_as: Option<WireAs>,
    /// The JSON value sent when the param is not set; `None`: not sent.
    pub default: Option<serde_json::Value>,
    /// Its documentation, if the catalogue gives one.
    pub doc: Option<String>,
    /// Whether the meaning in `doc` is our reading.
    pub inferred: bool,
    /// Whether the value is a credential, never shown by `Debug`.
    pub secret: bool,
    /// Where it is declared.
    pub pos: Pos,
}

/// The keys a param may take to carry a discriminator the caller chooses.
pub const CALLER_DISCRIMINATORS: &[&str] = &["op1", "op2", "op3"];

impl Param {
    /// Whether the param is a file part of a multipart body.
    pub fn is_file(&self) -> bool {
        self.ty == TypeRef::Scalar(Scalar::File)
    }

    /// Whether the param is sent inside the body's `data` object (a file never is: it is a part
    /// of its own).
    pub fn in_data(&self) -> bool {
        self.location == Location::Data && !self.is_file()
    }

    /// Whether the param carries a discriminator (`op2`).
    pub fn is_discriminator(&self) -> bool {
        self.location == Location::Top && CALLER_DISCRIMINATORS.contains(&self.wire.as_str())
    }

    /// How the value is written: as its type writes itself, or through a conversion to a JSON
    /// string or number.
    pub fn form(&self, catalogue: &Catalogue) -> ValueForm {
        catalogue.value_form(&self.ty, self.wire_as)
    }

    /// The JSON form the value goes out in, as the metadata says it.
    pub fn sent_as(&self, catalogue: &Catalogue) -> WireAs {
        catalogue.sent_as(&self.ty, self.form(catalogue))
    }

    /// The param's path in a mobile operation's body (`id`, `data.code`); `None` for headers
    /// and the params of REST operations.
    pub fn path(&self) -> Option<String> {
        match self.location {
            Location::Top => Some(self.wire.clone()),
            Location::Data => Some(format!("data.{}", self.wire)),
            Location::Header
            | Location::Path
            | Location::Query
            | Location::Form
            | Location::Body => None,
        }
    }
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The param carrying the offset.
    pub offset: String,
    /// The param carrying the page size.
    pub limit: String,
    /// The field of a struct answer that holds the items.
    pub items: Option<String>,
    /// The page size the SDK asks for when the caller sets none.
    pub default_limit: u32,
    /// The largest page size the server accepts.
    pub max_limit: u32,
    /// The params sent on a listing's first request only (by wire name): what the vendor's app
    /// asks for once, beside the first page.
    pub first_page_only: Vec<String>,
    /// Where it is declared.
    pub pos: Pos,
}

/// One of the vendor's examples of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Its name in the collection.
    pub name: String,
    /// The example request's headers.
    pub headers: Vec<(String, String)>,
    /// The request body, verbatim; `None` for a REST operation's example that shows only an
    /// answer.
    pub request: Option<String>,
    /// The response body, verbatim.
    pub response: Option<String>,
    /// Keys of the example request the SDK sends under another name: (example's, sent).
    pub renamed: Vec<(String, String)>,
    /// Why the catalogue departs from the example, when it does.
    pub note: Option<String>,
    /// Where it is declared.
    pub pos: Pos,
}

impl Example {
    /// Whether the example request sends the key `key` (as `"key"` in its text).
    pub fn sends_key(&self, key: &str) -> bool {
        self.request
            .as_deref()
            .is_some_and(|request| request.contains(&format!("\"{key}\"")))
    }

    /// The request body as JSON, with `{{placeholders}}` outside strings replaced by
    /// `account_id` (numbers) so that it parses, and the keys of `renamed` renamed to what the
    /// SDK sends.
    pub fn request_json(&self, account_id: u64) -> Result<serde_json::Value, serde_json::Error> {
        let request = self.request.as_deref().unwrap_or_default();
        let mut value: serde_json::Value =
            serde_json::from_str(&fill_placeholders(request, account_id))?;
        if let serde_json::Value::Object(map) = &mut value {
            for (from, to) in &self.renamed {
                if let Some(v) = map.remove(from) {
                    map.insert(to.clone(), v);
                }
            }
        }
        Ok(value)
    }
}

/// Replaces each `{{name}}` that stands outside a JSON string with `account_id`, the only
/// unquoted placeholder the docs use.
pub fn fill_placeholders(text: &str, account_id: u64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !in_string && rest.starts_with("{{") {
            if let Some(end) = rest.find("}}") {
                out.push_str(&account_id.to_string());
                rest = &rest[end + 2..];
                continue;
            }
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_expressions_parse() {
        assert_eq!(
            TypeRef::parse("list<OrderItem>").unwrap(),
            TypeRef::List(Box::new(TypeRef::Named("OrderItem".into())))
        );
        assert_eq!(TypeRef::parse("id").unwrap(), TypeRef::Scalar(Scalar::Id));
        assert!(TypeRef::parse("orderItem").is_err());
        assert!(TypeRef::parse("list<>").is_err());
    }

    #[test]
    fn placeholders_outside_strings_are_filled() {
        let filled = fill_placeholders(r#"{"account_id": {{account_id}}, "t": "{{x}}"}"#, 7);
        assert_eq!(filled, r#"{"account_id": 7, "t": "{{x}}"}"#);
    }
}
