//! The typed model of a catalogue, as loaded from `api-spec.yaml` (format: docs/catalogue.md).

use crate::diag::Pos;

/// A whole catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// The `api` header.
    pub api: ApiInfo,
    /// The shared types, in file order.
    pub types: Vec<TypeDef>,
    /// The operations, in file order.
    pub operations: Vec<Operation>,
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

/// A shared type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The PascalCase name.
    pub name: String,
    /// Its documentation.
    pub doc: String,
    /// A struct or an enum.
    pub kind: TypeKind,
    /// Where it is declared.
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
    /// Where it is declared.
    pub pos: Pos,
}

/// The wire form of an enum's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    /// JSON integers (strings holding one are accepted on decode).
    Integer,
    /// JSON strings.
    String,
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

/// A built-in scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// `string`: text.
    String,
    /// `integer`: a signed 64-bit integer.
    Integer,
    /// `number`: a 64-bit float.
    Number,
    /// `boolean`.
    Boolean,
    /// `id`: an unsigned 64-bit id.
    Id,
    /// `json`: any JSON value.
    Json,
    /// `file`: a file uploaded as a multipart part (params only).
    File,
}

impl Scalar {
    /// The name the catalogue uses.
    pub fn keyword(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::Integer => "integer",
            Scalar::Number => "number",
            Scalar::Boolean => "boolean",
            Scalar::Id => "id",
            Scalar::Json => "json",
            Scalar::File => "file",
        }
    }

    /// The scalar a catalogue keyword names.
    pub fn from_keyword(word: &str) -> Option<Scalar> {
        Some(match word {
            "string" => Scalar::String,
            "integer" => Scalar::Integer,
            "number" => Scalar::Number,
            "boolean" => Scalar::Boolean,
            "id" => Scalar::Id,
            "json" => Scalar::Json,
            "file" => Scalar::File,
            _ => return None,
        })
    }

    /// Whether values of this type are numbers on the wire by default.
    pub fn is_numeric(self) -> bool {
        matches!(self, Scalar::Integer | Scalar::Number | Scalar::Id)
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
        if let Some(scalar) = Scalar::from_keyword(text) {
            return Ok(TypeRef::Scalar(scalar));
        }
        let valid = text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && text.chars().all(|c| c.is_ascii_alphanumeric());
        if valid {
            Ok(TypeRef::Named(text.to_string()))
        } else {
            Err(format!(
                "`{text}` is not a type: expected string, integer, number, boolean, id, json, file, a declared PascalCase type, or list<T>"
            ))
        }
    }

    /// The innermost named type, if any.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Scalar(_) => None,
            TypeRef::Named(name) => Some(name),
            TypeRef::List(inner) => inner.named(),
        }
    }

    /// The innermost scalar, if the type is made of one.
    pub fn scalar(&self) -> Option<Scalar> {
        match self {
            TypeRef::Scalar(s) => Some(*s),
            TypeRef::Named(_) => None,
            TypeRef::List(inner) => inner.scalar(),
        }
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Scalar(s) => f.write_str(s.keyword()),
            TypeRef::Named(n) => f.write_str(n),
            TypeRef::List(inner) => write!(f, "list<{inner}>"),
        }
    }
}

/// Whether an operation's wire form is confirmed by the vendor's docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// The docs give the exact wire form.
    Documented,
    /// The wire form follows the documented operations' conventions.
    Inferred,
}

/// Whether an operation reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// A read: safe to retry.
    Read,
    /// A write.
    Write,
}

/// How an operation authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The session token goes in `X-ACCESS-TOKEN`.
    Token,
    /// No token.
    None,
}

/// Whether an operation acts on one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The body carries `account_id`.
    Account,
    /// No `account_id`.
    None,
}

/// What an operation does to the client's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEffect {
    /// Its response's `token` becomes the session token.
    Start,
    /// It ends the session: the token is cleared.
    End,
}

/// How the request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// A JSON object.
    Json,
    /// A multipart form.
    Multipart,
}

/// Where a param goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A key of the body, beside `op`.
    Top,
    /// A key of the body's `data` object.
    Data,
    /// An HTTP header.
    Header,
}

/// The JSON form a numeric param is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireAs {
    /// A JSON number.
    Number,
    /// A JSON string.
    String,
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
    /// Documented or inferred.
    pub provenance: Provenance,
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
    /// What it does to the session.
    pub session: Option<SessionEffect>,
    /// How the body is encoded.
    pub body: BodyEncoding,
    /// The params, in file order.
    pub params: Vec<Param>,
    /// The type of the envelope's `data`, if any.
    pub response: Option<TypeRef>,
    /// How the list pages, if it does.
    pub paging: Option<Paging>,
    /// The docs' example, for documented operations.
    pub example: Option<Example>,
    /// Where it is declared.
    pub pos: Pos,
}

impl Operation {
    /// Whether the runtime may send it more than once.
    pub fn retry_safe(&self) -> bool {
        self.kind == OperationKind::Read || self.idempotent
    }

    /// The param with wire name `wire`.
    pub fn param(&self, wire: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.wire == wire)
    }

    /// The wire paths of the required body params (`id`, `data.code`): what tells apart two
    /// operations that share discriminators.
    pub fn required_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .params
            .iter()
            .filter(|p| p.required)
            .filter_map(|p| match p.location {
                Location::Top => Some(p.wire.clone()),
                Location::Data => Some(format!("data.{}", p.wire)),
                Location::Header => None,
            })
            .collect();
        paths.sort();
        paths
    }

    /// Whether any param goes in `data`.
    pub fn has_data(&self) -> bool {
        self.params.iter().any(|p| p.location == Location::Data)
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
    /// The JSON form of a numeric value.
    pub wire_as: WireAs,
    /// Its documentation, if the catalogue gives one.
    pub doc: Option<String>,
    /// Where it is declared.
    pub pos: Pos,
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The param carrying the offset.
    pub offset: String,
    /// The param carrying the page size.
    pub limit: String,
    /// The server's default page size.
    pub default_limit: u32,
    /// The largest page size the server accepts.
    pub max_limit: u32,
    /// Where it is declared.
    pub pos: Pos,
}

/// The docs' example of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The curl example's headers.
    pub headers: Vec<(String, String)>,
    /// The request body, verbatim.
    pub request: String,
    /// The response body, verbatim.
    pub response: Option<String>,
    /// Where it is declared.
    pub pos: Pos,
}

impl Example {
    /// The request body as JSON, with `{{placeholders}}` outside strings replaced by
    /// `account_id` (numbers) so that it parses.
    pub fn request_json(&self, account_id: u64) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(&fill_placeholders(&self.request, account_id))
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
