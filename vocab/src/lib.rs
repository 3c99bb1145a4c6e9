//! The vocabulary of the ChatRace catalogue (`api-spec.yaml`): each of its enums once, with the
//! one table of how the catalogue spells its values, and the shape of a type and the fields of
//! a struct as generated metadata describes them.
//!
//! The generator (`chatrace-codegen`) reads catalogue text into these enums, the runtime acts on
//! them, and tools (the CLI) print them; all three share this crate so that a value has one
//! name, one meaning and one spelling everywhere.
//!
//! ```
//! use chatrace_vocab::{Auth, Spelled};
//!
//! assert_eq!(Auth::from_spelling("none"), Some(Auth::None));
//! assert_eq!(Auth::Token.spelling(), "token");
//! assert_eq!(Auth::expected().to_string(), "token, none");
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), no_std)]

mod realtime;
mod shape;
mod spelled;
mod type_meta;

pub use realtime::{Placeholder, RealtimeFrame, RealtimePart};
pub use shape::TypeShape;
pub use spelled::Spelled;
pub use type_meta::{EnumMeta, FieldMeta, TypeMeta};

spelled! {
    /// Where an operation's wire form comes from.
    pub enum Provenance {
        /// The vendor's Postman collection gives this wire form, with examples.
        Collection = "collection",
        /// The vendor's Swagger page of the public API gives this wire form (REST operations).
        Swagger = "swagger",
        /// The vendor's documents do not give it; the wire form is our inference.
        Inferred = "inferred",
    }
}

spelled! {
    /// Which of the platform's two APIs an operation belongs to.
    pub enum Api {
        /// The mobile API: a JSON POST to one URL, told apart by `op` discriminators.
        Mobile = "mobile",
        /// The public API: REST, a method and a path per operation, the account's API token.
        Public = "public",
    }
}

spelled! {
    /// The HTTP method of a REST operation, spelled as HTTP writes it.
    pub enum HttpMethod {
        /// Reads.
        Get = "GET",
        /// Creates, changes or acts.
        Post = "POST",
        /// Replaces.
        Put = "PUT",
        /// Changes in part.
        Patch = "PATCH",
        /// Deletes.
        Delete = "DELETE",
    }
}

spelled! {
    /// Whether an operation reads or changes state.
    pub enum OperationKind {
        /// Reads state; safe to retry.
        Read = "read",
        /// Changes state; retried only when the catalogue marks it idempotent.
        Write = "write",
    }
}

spelled! {
    /// Whether an operation sends the session token.
    pub enum Auth {
        /// The `X-ACCESS-TOKEN` header carries the session token (when the client has one).
        Token = "token",
        /// No token is sent.
        None = "none",
    }
}

spelled! {
    /// Whether an operation is scoped to an account.
    pub enum Scope {
        /// The body carries `account_id` (the client's default account, or the call's).
        Account = "account",
        /// No `account_id` is sent (a constant may still send one).
        None = "none",
    }
}

spelled! {
    /// What an operation does to the client's session.
    pub enum SessionEffect {
        /// The `token` of its answer becomes the client's session token.
        Start = "start",
        /// The client's session token is cleared after success.
        End = "end",
    }
}

spelled! {
    /// How an operation's request body is encoded.
    pub enum BodyEncoding {
        /// One JSON object.
        Json = "json",
        /// `multipart/form-data`: the request's JSON in a text field `param`, one file part per
        /// file param.
        Multipart = "multipart",
        /// `application/x-www-form-urlencoded`: a REST operation's `form` params.
        Form = "form",
    }
}

spelled! {
    /// Where a param goes in the request.
    pub enum ParamLocation {
        /// A key of the body, beside `op`.
        Top = "top",
        /// A key of the body's `data` object.
        Data = "data",
        /// An HTTP header named by the param's wire name.
        Header = "header",
        /// A `{name}` segment of a REST operation's path, escaped.
        Path = "path",
        /// A parameter of a REST operation's query string.
        Query = "query",
        /// A field of a REST operation's `application/x-www-form-urlencoded` body.
        Form = "form",
        /// A member of a REST operation's JSON object body.
        Body = "body",
    }
}

impl ParamLocation {
    /// Whether only REST operations put params here (`path`, `query`, `form`, `body`).
    pub const fn is_rest_only(self) -> bool {
        matches!(
            self,
            ParamLocation::Path | ParamLocation::Query | ParamLocation::Form | ParamLocation::Body
        )
    }
}

spelled! {
    /// The JSON form a value is sent in.
    pub enum WireAs {
        /// A JSON number (`"id": 1000000`; a boolean as `1`/`0`); a value that is not a number
        /// keeps its natural JSON form.
        Number = "number",
        /// A JSON string (`"contact_id": "12345"`).
        String = "string",
    }
}

spelled! {
    /// Where what the catalogue says of an API error code comes from.
    pub enum ErrorSource {
        /// The vendor's web inbox handles the code (its `check_error`): the code, the members
        /// it reads and what it does are the vendor's; the wording of the meaning is ours.
        WebInbox = "web_inbox",
        /// Seen in an answer of the real server.
        Observed = "observed",
        /// Our inference: neither the vendor's code nor an answer shows it.
        Inferred = "inferred",
    }
}

spelled! {
    /// Where an operation's answer is.
    pub enum ResponseIn {
        /// The envelope's `data`: `{"status":"OK","data":{...}}`.
        Data = "data",
        /// The whole answer object beside `status`: `{"status":"OK","rid":"..."}`.
        Envelope = "envelope",
    }
}

spelled! {
    /// How a list operation pages.
    pub enum PagingStyle {
        /// A page starts at `offset` and holds at most `limit` items; the next page's offset
        /// is this one's plus its size.
        Offset = "offset",
    }
}

spelled! {
    /// The wire form of an enum type's values.
    pub enum EnumRepr {
        /// JSON integers (a string holding one is accepted on decode).
        Integer = "integer",
        /// JSON strings.
        String = "string",
    }
}

spelled! {
    /// A built-in scalar type of the catalogue.
    pub enum Scalar {
        /// Text.
        String = "string",
        /// A signed 64-bit integer.
        Integer = "integer",
        /// A 64-bit float.
        Number = "number",
        /// True or false.
        Boolean = "boolean",
        /// An id of no particular kind, kept as text.
        Id = "id",
        /// A time in milliseconds since 1970, kept as text.
        Millis = "millis",
        /// A time in seconds since 1970, kept as text.
        Seconds = "seconds",
        /// A `YYYY-MM-DD HH:MM:SS` time, kept as text.
        DateTime = "datetime",
        /// Any JSON value.
        Json = "json",
        /// A file sent as a multipart part (params only).
        File = "file",
    }
}

impl Scalar {
    /// Whether values of this type are JSON numbers when nothing else is said.
    pub const fn is_numeric(self) -> bool {
        matches!(self, Scalar::Integer | Scalar::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value reads back from its spelling, and no two values share one.
    fn round_trips<T: Spelled + core::fmt::Debug>() {
        for (i, value) in T::ALL.iter().enumerate() {
            assert_eq!(T::from_spelling(value.spelling()), Some(*value));
            for other in &T::ALL[i + 1..] {
                assert_ne!(value.spelling(), other.spelling());
            }
        }
        assert_eq!(T::from_spelling("no such value"), None);
    }

    #[test]
    fn every_vocabulary_round_trips() {
        round_trips::<Provenance>();
        round_trips::<Api>();
        round_trips::<HttpMethod>();
        round_trips::<OperationKind>();
        round_trips::<Auth>();
        round_trips::<Scope>();
        round_trips::<SessionEffect>();
        round_trips::<BodyEncoding>();
        round_trips::<ParamLocation>();
        round_trips::<WireAs>();
        round_trips::<ResponseIn>();
        round_trips::<EnumRepr>();
        round_trips::<PagingStyle>();
        round_trips::<Scalar>();
        round_trips::<RealtimeFrame>();
        round_trips::<RealtimePart>();
        round_trips::<Placeholder>();
    }

    #[test]
    fn expected_lists_every_spelling_in_order() {
        assert_eq!(
            ParamLocation::expected().to_string(),
            "top, data, header, path, query, form, body"
        );
        assert_eq!(HttpMethod::Delete.spelling(), "DELETE");
        assert_eq!(Scalar::DateTime.spelling(), "datetime");
        assert_eq!(Scalar::DateTime.variant_name(), "DateTime");
    }
}
