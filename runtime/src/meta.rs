//! Static descriptions of operations, generated as `const`s from the catalogue.
//!
//! The runtime reads these to decide how to send a call (auth, scope, body encoding, retries,
//! paging); tools such as the CLI read them to build requests dynamically. The enums they hold
//! are the catalogue's vocabulary (crate `chatrace-vocab`), shared with the generator.

pub use chatrace_vocab::{
    Api, Auth, BodyEncoding, EnumMeta, EnumRepr, ErrorSource, FieldMeta, HttpMethod, OperationKind,
    ParamLocation, Provenance, ResponseIn, Scalar, Scope, SessionEffect, Spelled, TypeMeta,
    TypeShape, WireAs,
};

/// Everything the runtime and tools need to know about one operation of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationMeta {
    /// The stable snake_case name (`get_order`): method name, CLI subcommand, error prefix.
    pub name: &'static str,
    /// The title as the vendor's docs write it.
    pub title: &'static str,
    /// One or two sentences saying what the operation does.
    pub summary: &'static str,
    /// The API the operation belongs to: the mobile API (a JSON POST told apart by its
    /// discriminators) or the public API (REST).
    pub api: Api,
    /// A REST operation's method and path template; `None` for the mobile API's operations.
    pub http: Option<HttpMeta>,
    /// Where the wire form comes from.
    pub provenance: Provenance,
    /// What inside the operation is still our inference, one sentence each.
    pub inferred: &'static [&'static str],
    /// Read or write.
    pub kind: OperationKind,
    /// The discriminators of the body, in order (`[("op", "ecommerce"), ("op1", "orders")]`).
    pub discriminators: &'static [(&'static str, &'static str)],
    /// Whether the `X-ACCESS-TOKEN` header carries the session token.
    pub auth: Auth,
    /// Whether the body carries `account_id`.
    pub scope: Scope,
    /// The JSON form of `account_id`.
    pub account_as: WireAs,
    /// Whether the operation starts or ends a session.
    pub session: Option<SessionEffect>,
    /// How the body is encoded.
    pub body: BodyEncoding,
    /// Whether sending the operation twice has the effect of sending it once (reads, idempotent
    /// writes): only such operations are retried.
    pub retry_safe: bool,
    /// Keys always sent with a fixed value: the wire path (`me`, `data.fb_id`) and the value's
    /// JSON text (`true`, `0`, `null`).
    pub constants: &'static [(&'static str, &'static str)],
    /// The params of the operation.
    pub params: &'static [ParamMeta],
    /// How the operation pages, for list operations.
    pub paging: Option<PagingMeta>,
    /// The type of the answer (`Order`, `list<Tag>` when displayed), if any.
    pub response: Option<TypeShape>,
    /// Where the answer is: in `data`, or the whole envelope beside `status`.
    pub response_in: ResponseIn,
    /// The vendor's examples of the operation, verbatim.
    pub examples: &'static [ExampleMeta],
}

/// One of the vendor's examples of an operation, verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExampleMeta {
    /// The example's name in the vendor's collection.
    pub name: &'static str,
    /// The example request's headers (values may be placeholders such as `{{token}}`).
    pub headers: &'static [(&'static str, &'static str)],
    /// The example request body (for a multipart operation, its `param` field), with
    /// placeholders such as `{{account_id}}`; empty for a REST example that shows only an
    /// answer.
    pub request: &'static str,
    /// The example answer, when the collection gives one.
    pub response: Option<&'static str>,
    /// Keys of the example request that the SDK sends under another name (a mistake of the
    /// example that the catalogue corrects): `(the example's key, the key sent)`.
    pub renamed: &'static [(&'static str, &'static str)],
}

/// One param of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamMeta {
    /// The name on the wire (`contact_id`, `X-PLATFORM`).
    pub wire: &'static str,
    /// The Rust name of the setter or argument.
    pub rust: &'static str,
    /// The param's type, resolved: a scalar, a typed id, an enum with its wire values, a
    /// struct, or a list of one of these (`Display` writes the catalogue's expression, such as
    /// `list<integer>`).
    pub ty: TypeShape,
    /// Whether the param must be given.
    pub required: bool,
    /// Where the param goes.
    pub location: ParamLocation,
    /// The JSON form the param is sent as.
    pub wire_as: WireAs,
    /// The rustdoc / help text of the param.
    pub doc: &'static str,
    /// The JSON text sent when the param is not set (`null`, `""`, `[]`); `None`: not sent.
    pub default: Option<&'static str>,
    /// Whether the value is a credential, never shown.
    pub secret: bool,
}

/// The method and path of a REST operation (the public API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpMeta {
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, joined to the client's base URL: `/contacts/{contact_id}/tags`,
    /// where each `{name}` is the text of the path param of that wire name.
    pub path: &'static str,
}

/// How a list operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagingMeta {
    /// The wire name of the offset param.
    pub offset: &'static str,
    /// The wire name of the page-size param.
    pub limit: &'static str,
    /// When the answer is a struct: the wire name of its field holding the page's items.
    pub items: Option<&'static str>,
    /// The page size the SDK asks for when the caller sets none.
    pub default_limit: u32,
    /// The largest page size the server accepts.
    pub max_limit: u32,
    /// The wire names of the params sent with a listing's first request only (the catalogue's
    /// `first_page_only`).
    pub first_page_only: &'static [&'static str],
}

/// One code of the catalogue's `errors` table: what an API error with this code means, the
/// members its envelope then carries, and how the runtime classifies it.
///
/// The generated crate hands its whole table to the runtime ([`crate::ClientBuilder::error_codes`]);
/// an [`crate::ApiError`] whose code is in it points at its entry ([`crate::ApiCode::Known`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCodeMeta {
    /// The code, as the envelope's `code` carries it (`1`, `99`, `403`).
    pub code: i64,
    /// A stable snake_case name of the code (`invalid_session`).
    pub name: &'static str,
    /// What the code means, one sentence.
    pub meaning: &'static str,
    /// The members the envelope carries with this code, by dotted wire path (`forced`,
    /// `data.ref`), each with what it says.
    pub fields: &'static [ErrorFieldMeta],
    /// The credentials were refused: logging in again (a new session token) may help.
    pub unauthorized: bool,
    /// The same call may succeed if sent again later.
    pub retryable: bool,
    /// An answer with this code is a failure even when its `status` is `"OK"` (code 99).
    pub fails_when_ok: bool,
    /// Where what is known of the code comes from.
    pub source: ErrorSource,
}

/// A member an error envelope carries with a code (see [`ErrorCodeMeta::fields`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorFieldMeta {
    /// The dotted wire path of the member in the envelope (`url`, `data.ref`).
    pub path: &'static str,
    /// What it says.
    pub doc: &'static str,
}

impl ErrorCodeMeta {
    /// The entry of `code` in `table`, if it lists it.
    pub fn find(table: &'static [ErrorCodeMeta], code: i64) -> Option<&'static ErrorCodeMeta> {
        table.iter().find(|entry| entry.code == code)
    }
}
