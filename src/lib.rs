//! # chatrace
//!
//! The Rust SDK for the ChatRace mobile API, generated at compile time from `api-spec.yaml`,
//! the catalogue of every operation of the API.
//!
//! ```no_run
//! # async fn run() -> Result<(), chatrace::Error> {
//! let client = chatrace::Client::builder()
//!     .base_url("https://api.example.com/")
//!     .token("a session token")
//!     .account_id(1_234_567)
//!     .build()?;
//! let order = client.get_order(1_000_000).send().await?;
//! println!("order {} has status {:?}", order.id, order.status);
//! # Ok(())
//! # }
//! ```
//!
//! - [`Client`] has one method per operation; each returns a builder whose required params
//!   were the method's arguments, whose optional params are chained setters, and whose
//!   `send().await` runs the call.
//! - [`types`] holds the shared types the operations answer; [`operations`] the request types
//!   and builders; [`OPERATIONS`] the metadata of every operation. With the `server` feature,
//!   every request type also implements `Deserialize` and `AnyRequest` reads any request body
//!   back (the sandbox answers with it).
//! - Each operation's rustdoc says whether its wire form is **documented** by the vendor or
//!   **inferred** from the documented ones.
//!
//! To regenerate after the API changes, edit `api-spec.yaml` and rebuild (format:
//! `docs/catalogue.md`).

#![deny(missing_docs)]

// The server side (request `Deserialize`, `AnyRequest`) is only for servers such as the
// sandbox: clients do not compile it.
chatrace_macros::generate!("api-spec.yaml", server(feature = "server"));

pub use chatrace_runtime::{
    Auth, BodyEncoding, CallOptions, Error, FileUpload, Handle, Operation, OperationKind,
    OperationMeta, Paged, PagingMeta, ParamLocation, ParamMeta, ParseRequestError, Provenance,
    RetryPolicy, Scope, SecretToken, SessionEffect, WireAs,
};

/// The README's examples, compiled as doctests so that the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
