//! # chatrace
//!
//! The Rust SDK for ChatRace, generated at compile time from `api-spec.yaml`, the catalogue of
//! every operation of its two APIs: the mobile (inbox) API an admin's session speaks, with its
//! realtime socket, and the public REST API an account's API token speaks.
//!
//! ```no_run
//! # async fn run() -> Result<(), chatrace::Error> {
//! use chatrace::types::OrderId;
//!
//! let client = chatrace::Client::builder()
//!     .base_url("https://app.example.com/php/user")
//!     .token("a session token")
//!     .account_id(1_234_567)
//!     .build()?;
//! let order = client.get_order(OrderId::new(1_000_000u64)).send().await?;
//! println!("order {} has status {:?}", order.id, order.status);
//! # Ok(())
//! # }
//! ```
//!
//! - [`Client`] has one method per operation of the mobile API, [`PublicClient`] one per
//!   operation of the public API (feature `public`); each returns a builder whose required
//!   params were the method's arguments, whose optional params are chained setters, and whose
//!   `send().await` runs the call. `Client::realtime` opens the inbox's socket (feature
//!   `realtime`).
//! - [`types`] holds the shared types the operations answer, and the typed ids (`ContactId`,
//!   `OrderId`, ...) that keep ids of different kinds apart; [`operations`] the request types and
//!   builders; [`OPERATIONS`] and [`PUBLIC_OPERATIONS`] the metadata of every operation, with
//!   the vendor's examples. With
//!   the `server` feature, every request type also implements `Deserialize`, and `AnyRequest`
//!   reads any request body back as the vendor's server does (the sandbox and the CLI use it).
//! - Every operation's wire form comes from the vendor's own documents: the mobile API's from
//!   its Postman collection, the public API's from its Swagger page (a few operations beyond
//!   them are marked inferred). Each operation's rustdoc says which, shows the vendor's example
//!   where there is one, and says what is still our inference.
//!
//! To regenerate after the API changes, edit `api-spec.yaml` and rebuild (format:
//! `docs/catalogue.md`).

#![deny(missing_docs)]

// The server side (request `Deserialize`, `AnyRequest`) is only for servers such as the
// sandbox: clients do not compile it.
chatrace_macros::generate!(
    "api-spec.yaml",
    server(feature = "server"),
    realtime(feature = "realtime"),
    mobile(feature = "mobile"),
    public(feature = "public")
);

pub use chatrace_runtime::{
    fingerprint, masked_line, AnswerContext, Api, ApiCode, ApiError, Auth, BodyEncoding,
    CallContext, CallOptions, DateTimeParts, DateTimeText, EnumMeta, EnumRepr, Error,
    ErrorCodeMeta, ErrorFieldMeta, ErrorForm, ErrorSource, ExampleMeta, FieldMeta, FileUpload,
    Handle, Hook, HookFuture, HttpMeta, HttpMethod, Id, IdKind, Operation, OperationKind,
    OperationMeta, PageOptions, Paged, Pager, PagingMeta, PagingStop, ParamLocation, ParamMeta,
    ParseRequestError, Provenance, Recovery, RequestContext, ResponseBody, ResponseIn, RetryPolicy,
    Scalar, Scope, SecretToken, SentBytes, SessionEffect, Spelled, TimeoutLimit, TypeMeta,
    TypeShape, TypedId, UnixMillis, UnixSeconds, WireAs, DEFAULT_MAX_PAGES, MAX_DISPLAY_BYTES,
};

/// The README's examples, compiled as doctests so that the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
