//! The runtime of the ChatRace SDK.
//!
//! The `chatrace` crate generates one request type per operation of its catalogue and hands
//! each to [`Handle::execute`]; this crate does the rest: it writes the JSON (or multipart)
//! body and headers, POSTs it to the API URL, retries what is safe to retry, decodes the
//! `{"status": "OK", "data": ...}` envelope in one pass, and turns everything else into an
//! [`Error`] that names the operation and never shows the session token.
//!
//! Modules: [`meta`] (static descriptions of operations), [`lenient`] and [`wire`] (helpers of
//! generated serde code), `realtime` (the WebSocket connection, crate feature `realtime`); the
//! rest is re-exported at the crate root, including the helpers a server uses to read the
//! SDK's request bodies back ([`parse_request`] and its kin).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api_error;
mod client;
mod envelope;
mod error;
mod execute;
mod hooks;
pub mod lenient;
pub mod meta;
mod operation;
mod paging;
#[cfg(feature = "realtime")]
pub mod realtime;
pub mod record;
mod redact;
mod request;
mod rest;
mod retry;
mod secret;
mod upload;
mod values;
pub mod wire;

pub use api_error::{ApiCode, ApiError, ErrorForm, ResponseBody};
pub use client::{
    CallOptions, ClientBuilder, Handle, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_MAX_ANSWER_BYTES, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use error::{DecodeCause, Error, PagingStop, TimeoutLimit, MAX_DISPLAY_BYTES};
pub use execute::output_to_json;
pub use hooks::{AnswerContext, CallContext, Hook, HookFuture, Recovery, RequestContext};
pub use meta::{
    Api, Auth, BodyEncoding, EnumMeta, EnumRepr, ErrorCodeMeta, ErrorFieldMeta, ErrorSource,
    ExampleMeta, FieldMeta, HttpMeta, HttpMethod, OperationKind, OperationMeta, PagingMeta,
    ParamLocation, ParamMeta, Provenance, ResponseIn, Scalar, Scope, SessionEffect, Spelled,
    TypeMeta, TypeShape, WireAs,
};
pub use operation::{Operation, Paged};
pub use paging::{fingerprint, PageOptions, Pager, DEFAULT_MAX_PAGES};
pub use redact::masked_line;
pub use request::{
    body_map, discriminators_of, has_paths, holds_constants, parse_request, prepare_request_body,
    route_request, Discriminator, ParseRequestError, Route,
};
pub use retry::RetryPolicy;
pub use secret::SecretToken;
pub use upload::{FileUpload, SentBytes};
pub use values::{
    AnyId, DateTimeParts, DateTimeText, Id, IdKind, TypedId, UnixMillis, UnixSeconds,
};

/// The stream trait of [`Handle::pages`] and [`Handle::items`] (`futures::Stream`).
pub use futures::Stream;
/// The HTTP client crate, for [`ClientBuilder::http_client`].
pub use reqwest;

#[cfg(test)]
mod tests {
    fn shared_across_tasks<T: Send + Sync + 'static>() {}

    #[test]
    fn public_types_can_cross_threads() {
        shared_across_tasks::<crate::Handle>();
        shared_across_tasks::<crate::Error>();
        shared_across_tasks::<crate::CallOptions>();
        shared_across_tasks::<crate::FileUpload>();
        shared_across_tasks::<crate::SecretToken>();
        shared_across_tasks::<crate::ClientBuilder<crate::Handle>>();
    }
}
